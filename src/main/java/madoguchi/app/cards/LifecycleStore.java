package madoguchi.app.cards;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/** Where bookings end without a cancel: the card handed over at the counter, or a missed slot. */
public interface LifecycleStore {

    /** A booking that ended: its card, site and code (memory forgets it; the seat stays counted). */
    record Ended(long bookingId, long cardId, String siteId, String code, String status) {
    }

    sealed interface IssueResult permits Issued, AlreadyIssued, NotActive, CardNotReady, NotFound {
    }

    /** The booking was active or a no-show and is now issued; the card is issued too. */
    record Issued(Ended booking, String was) implements IssueResult {
    }

    record AlreadyIssued(Ended booking) implements IssueResult {
    }

    /** Cancelled bookings cannot be issued. */
    record NotActive(String status) implements IssueResult {
    }

    /** The card is no longer ready (cancelled by a status file meanwhile). */
    record CardNotReady(String state) implements IssueResult {
    }

    record NotFound() implements IssueResult {
    }

    /** Marks the booking with this code issued and its card issued, with history, at {@code now}. */
    Future<IssueResult> markIssued(String code, String actor, Instant now);

    /** As above; when the booking is issued now, {@code audit}'s entry for it is written in the same transaction. */
    Future<IssueResult> markIssued(String code, String actor, Instant now,
                                   java.util.function.Function<Issued, madoguchi.app.AuditEntry> audit);

    /** Every active booking whose slot ended at or before {@code now} becomes a no-show. */
    Future<List<Ended>> markNoShows(Instant now);
}
