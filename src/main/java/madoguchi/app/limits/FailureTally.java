package madoguchi.app.limits;

import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * Failures of every instance added up over a sliding window (by the minute), for a service-wide
 * budget ({@code VerificationBrake}). Written in batches: each instance adds what it counted since
 * its last call, so that no request waits on it.
 */
public interface FailureTally {
    /** Adds {@code failures} at {@code now}'s minute; answers the failures of every instance in the {@code window} before now. */
    Future<Long> add(int failures, Instant now, Duration window);
}
