package madoguchi.app.limits;

import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * Failures per key with a growing wait: {@link Rule#free} tries, then each further try waits twice
 * as long as the one before from the last try (1 s, 2 s, 4 s … up to {@link Rule#longest}); a key
 * is forgotten {@link Rule#forgetAfter} after its last try. In memory ({@link LocalBackoffs}) or
 * shared by every instance ({@code store.PgAttempts}).
 */
public interface Backoffs {

    /** The rule both implementations follow. */
    record Rule(int free, Duration longest, Duration forgetAfter) {
        /** When the try after {@code count} tries, the last at {@code last}, may be made. */
        public Instant nextTry(int count, Instant last) {
            if (count < free) {
                return Instant.MIN;
            }
            int doublings = Math.min(count - free, 20);
            Duration wait = Duration.ofSeconds(1L << doublings);
            return last.plus(wait.compareTo(longest) > 0 ? longest : wait);
        }
    }

    /** Counts a try of {@code key} before its outcome: null when it may go on, else until when it must wait (not counted). */
    Future<Instant> begin(String key);

    /** A counted try that could not be evaluated: it does not count. Never fails (not uncounted, it stays counted). */
    Future<Void> uncount(String key);

    /** The key's tries are forgotten (a success). Never fails (not forgotten, the tries stay counted). */
    Future<Void> forget(String key);
}
