package madoguchi.app.booking;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import madoguchi.domain.Decision;
import madoguchi.domain.SeatLedger;
import madoguchi.domain.Verdict;

/**
 * A request waiting for its turn at a shard's ledger. {@code decide} runs on the shard's thread
 * and may run again when the database said the slot had changed under it.
 */
abstract class SeatRequest {
    final Idempotency idempotency;
    final long cardId;
    /** The hold this request is about, if any: looked up in the database when memory lacks it. */
    java.util.UUID holdId;
    /** True when the request works on the card's active booking (cancel, reschedule). */
    boolean needsBooking;
    /** A staff action's audit row for the decision, committed with it (null for residents). */
    java.util.function.Function<Decision, madoguchi.app.AuditEntry> audit;
    Promise<Settled> promise;
    Context caller;
    int attempts;
    /** Times this request waited for the shard to reserve booking ids. */
    int idWaits;
    /**
     * The batch this request may share (0: any). A batch that failed is split in two groups that
     * are written apart, so that only the request that cannot be written fails.
     */
    int group;
    /** An expiry of the shard's own sweep (counted apart when it cannot be decided). */
    boolean sweep;
    /** Set once the caller has its answer: a request is answered once. */
    boolean answered;

    SeatRequest(long cardId, Idempotency idempotency) {
        this.cardId = cardId;
        this.idempotency = idempotency;
    }

    abstract Verdict decide(SeatLedger ledger, ShardClock clock);

    /** What the shard offers a decision: the time, and fresh booking ids. */
    interface ShardClock {
        java.time.Instant now();

        /** A new booking id, or -1 when none is at hand (the database could not hand out a block). */
        long nextBookingId();
    }
}
