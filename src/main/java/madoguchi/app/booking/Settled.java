package madoguchi.app.booking;

import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;

/**
 * How a request to the allocator ended: a decision now durable, a refusal, or the stored first
 * answer to a retried request.
 */
public record Settled(Decision decision, Refusal refusal, StoredAnswer replay) {

    public static Settled done(Decision d) {
        return new Settled(d, null, null);
    }

    public static Settled refused(Refusal r) {
        return new Settled(null, r, null);
    }

    public static Settled replayed(StoredAnswer a) {
        return new Settled(null, null, a);
    }

    public boolean ok() {
        return decision != null;
    }
}
