package madoguchi.app.booking;

import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;

import java.time.Instant;

/**
 * How a request to the allocator ended: a decision now durable, a refusal, or the first
 * decision kept for a retried request's Idempotency-Key (rendered by the channel that asks). {@code until} says when a refusal that lasts a while
 * ({@link Refusal#TOO_MANY_CHANGES}) ends.
 */
public record Settled(Decision decision, Refusal refusal, Replay replay, Instant until) {

    public static Settled done(Decision d) {
        return new Settled(d, null, null, null);
    }

    public static Settled refused(Refusal r) {
        return new Settled(null, r, null, null);
    }

    /** Refused until a moment: the card's changes for the day are used up. */
    public static Settled limited(Instant until) {
        return new Settled(null, Refusal.TOO_MANY_CHANGES, null, until);
    }

    public static Settled replayed(Replay a) {
        return new Settled(null, null, a, null);
    }

    public boolean ok() {
        return decision != null;
    }
}
