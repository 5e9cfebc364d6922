package madoguchi.app.booking;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Lockouts;
import madoguchi.domain.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/**
 * What a resident does to their own booking, on the web, by phone, by SMS or on a reminder call:
 * hold, confirm, release, book, reschedule, cancel. One rule for every channel: a card may change
 * its booking only so many times a day ({@code MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY}), so
 * that nobody can keep seats churning. Past the limit, a hold, a booking or a move is refused
 * ({@link Settled#limited}, saying until when); a cancellation gives a seat back, so it counts but
 * is never refused. A confirmation or a release finishes a hold already counted.
 */
public final class BookingChanges {
    private static final Logger LOG = LoggerFactory.getLogger(BookingChanges.class);
    private final BookingDesk desk;
    private final Attempts perCard;
    private final MeterRegistry registry;

    public BookingChanges(BookingDesk desk, Attempts perCard, MeterRegistry registry) {
        this.desk = desk;
        this.perCard = perCard;
        this.registry = registry;
    }

    public Future<Settled> hold(CardRef card, long slotId, Channel channel, Idempotency idempotency) {
        return limitedUntil(card).compose(until -> until != null ? Future.succeededFuture(Settled.limited(until))
                : counted(card, desk.hold(card, slotId, channel, idempotency)));
    }

    /**
     * A seat held while a caller hears it read out (the phone offers one free seat at a time and
     * "next" holds the next): checked against the limit but not counted, so that listening is not
     * a change; {@link #confirmOffered} counts the one the caller takes.
     */
    public Future<Settled> holdToOffer(CardRef card, long slotId, Channel channel) {
        return limitedUntil(card).compose(until -> until != null ? Future.succeededFuture(Settled.limited(until))
                : desk.hold(card, slotId, channel, null));
    }

    /** The caller takes the seat read out: a booking, counted as one change. */
    public Future<Settled> confirmOffered(CardRef card, UUID holdId, String bookedBy) {
        return counted(card, desk.confirm(card, holdId, bookedBy, null));
    }

    public Future<Settled> confirm(CardRef card, UUID holdId, String bookedBy, Idempotency idempotency) {
        return desk.confirm(card, holdId, bookedBy, idempotency);
    }

    public Future<Settled> release(CardRef card, UUID holdId) {
        return desk.release(card, holdId);
    }

    public Future<Settled> book(CardRef card, long slotId, Channel channel, Idempotency idempotency) {
        return limitedUntil(card).compose(until -> until != null ? Future.succeededFuture(Settled.limited(until))
                : counted(card, desk.book(card, slotId, channel, "resident", false, null, idempotency)));
    }

    public Future<Settled> reschedule(CardRef card, String code, long slotId, Channel channel, Idempotency idempotency) {
        return limitedUntil(card).compose(until -> until != null ? Future.succeededFuture(Settled.limited(until))
                : counted(card, desk.reschedule(card, code, slotId, channel, false, null, idempotency)));
    }

    /** Never refused by the limit: a cancellation gives a seat back. */
    public Future<Settled> cancel(CardRef card, String code, String reason) {
        return counted(card, desk.cancel(card, code, reason));
    }

    /** Until when the card may not change its booking, or null when it may. */
    public Future<Instant> limitedUntil(CardRef card) {
        return perCard.lockedUntil(scope(card)).recover(e -> {
            // fails open, as when counting (see uncounted)
            LOG.warn("the booking change limit could not be read: {}", e.toString());
            return Future.succeededFuture();
        }).onSuccess(until -> {
            if (until != null) {
                Lockouts.count(registry, "booking_changes");
            }
        });
    }

    /** Until when the card may not change its booking, or null; only a look (an operator's), nothing is counted. */
    public Future<Instant> lookUp(CardRef card) {
        return perCard.lockedUntil(scope(card));
    }

    /** Counts a change made elsewhere for the resident (a waitlist offer taken). */
    public Future<Void> count(CardRef card) {
        return perCard.tryAcquire(scope(card)).<Void>mapEmpty().recover(BookingChanges::uncounted);
    }

    /**
     * Counts a change once it was made (not a refusal, not a replay), before it is answered: the
     * resident's next change here finds it counted (on other instances once the count reached
     * them: at once or within a moment, as the {@link Attempts} implementation says).
     */
    private Future<Settled> counted(CardRef card, Future<Settled> change) {
        return change.compose(done -> done.decision() != null && done.replay() == null ? count(card).map(done)
                : Future.succeededFuture(done));
    }

    /**
     * The change was made but could not be counted (the shared count was unreachable): it is
     * answered all the same. This limit fails open: it stops churn, it guards no secret, and a
     * booking is worth more than one uncounted change.
     */
    private static Future<Void> uncounted(Throwable e) {
        LOG.warn("a booking change could not be counted: {}", e.toString());
        return Future.succeededFuture();
    }

    private static String scope(CardRef card) {
        return "card:" + card.cardId();
    }
}
