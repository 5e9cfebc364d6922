package madoguchi.app.staff;

import madoguchi.app.Words;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.CardRef;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.verification.Verification;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What holds a card back now, for the operator a stranded resident calls: its notice number
 * locked by failed checks, its changes for the day used up. The operator reads the same words,
 * with the same moment, as the resident did on the page, the phone or by SMS. Looking counts nothing.
 */
public final class CardLocks {
    /** One lock: what it is ({@code notice} or {@code changes}), until when, and its words. */
    public record Held(String what, Instant until, Words words) {
    }

    private final Verification verification;
    private final BookingChanges changes;

    public CardLocks(Verification verification, BookingChanges changes) {
        this.verification = verification;
        this.changes = changes;
    }

    public Future<List<Held>> of(CardRecord card) {
        Future<Verification.Locked> notice = verification.lockOf(card.noticeNumber());
        Future<Instant> changed = changes.lookUp(new CardRef(card.id(), card.siteId()));
        return Future.all(notice, changed).map(both -> {
            List<Held> held = new ArrayList<>();
            if (notice.result() != null) {
                held.add(new Held("notice", notice.result().until(), Words.LOCKED_NOTICE));
            }
            if (changed.result() != null) {
                held.add(new Held("changes", changed.result(), Words.TOO_MANY_CHANGES));
            }
            return held;
        });
    }
}
