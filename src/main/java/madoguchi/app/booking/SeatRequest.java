package madoguchi.app.booking;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import madoguchi.app.AuditEntry;
import madoguchi.domain.Decision;

import java.util.UUID;
import java.util.function.Function;

/**
 * A command waiting for its turn at a shard, with the shard's bookkeeping of it (shard thread
 * only): whom to answer, how often it was decided, which batch it may share. The command itself
 * is immutable; it may be decided again when the database said the slot had changed under it.
 */
final class SeatRequest {
    final SeatCommand command;
    final Idempotency idempotency;
    /** A staff action's audit row for the decision, committed with it (null for residents). */
    final Function<Decision, AuditEntry> audit;
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
    /** Set once the caller has its answer: a request is answered once. */
    boolean answered;

    SeatRequest(SeatCommand command, Idempotency idempotency, Function<Decision, AuditEntry> audit) {
        this.command = command;
        this.idempotency = idempotency;
        this.audit = audit;
    }

    long cardId() {
        return command.cardId();
    }

    /** An expiry of the shard's own sweep (counted apart when it cannot be carried out). */
    boolean sweep() {
        return command instanceof SeatCommand.Expire;
    }

    /** The hold to look for in the database when memory lacks it (never for the sweep's own). */
    UUID holdToFind() {
        return sweep() ? null : command.holdId();
    }

    /** What the shard offers a decision: the time, and fresh booking ids. */
    interface ShardClock {
        java.time.Instant now();

        /** A new booking id, or -1 when none is at hand (the database could not hand out a block). */
        long nextBookingId();
    }
}
