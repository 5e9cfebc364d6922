package madoguchi.app.booking;

import madoguchi.app.sites.Sites;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;
import madoguchi.domain.Decision;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Function;

/**
 * Booking use cases for every channel: hold a seat, confirm it, book at once, cancel,
 * reschedule. The checks that need no seat counts (the slot exists, belongs to the card's site,
 * is inside the booking window) are made here; the allocator decides the rest.
 */
public final class BookingDesk {
    private final Allocator allocator;
    private final Sites sites;
    private final Clock clock;
    private final BookingMetrics metrics;
    private final BookingCode codes;
    /** Told the site whenever a cancel or a move gave a seat back (the waitlist offers it). */
    private volatile java.util.function.Consumer<String> seatFreed = site -> { };

    public BookingDesk(Allocator allocator, Sites sites, Clock clock, BookingMetrics metrics, BookingCode codes) {
        this.allocator = allocator;
        this.codes = codes;
        this.sites = sites;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Who is told when a seat was given back at a site (set once at start-up). */
    public void onSeatFreed(java.util.function.Consumer<String> listener) {
        this.seatFreed = listener;
    }

    /**
     * Holds a seat offered from the waitlist until {@code expiresAt}. The card may keep a later
     * booking meanwhile; {@link #takeOffer} then moves it into this seat.
     */
    public Future<Settled> holdOffer(CardRef card, long slotId, Channel channel, java.time.Instant expiresAt) {
        return counted("hold", channel, checkedThen(card, slotId, channel,
                new SeatCommand.HoldOffer(card.cardId(), slotId, channel, expiresAt), null, null));
    }

    /**
     * The resident takes an offered seat: confirmed as a new booking, or, when the card has a
     * booking, that booking moved into it — one decision either way, never two bookings.
     */
    public Future<Settled> takeOffer(CardRef card, UUID holdId, String bookedBy) {
        return takeOffer(card, holdId, bookedBy, null);
    }

    /** As {@link #takeOffer(CardRef, UUID, String)}, for staff: {@code audit} is committed with the decision. */
    public Future<Settled> takeOffer(CardRef card, UUID holdId, String bookedBy, Function<Decision, AuditEntry> audit) {
        return counted("confirm", null, allocator.submit(card.siteId(), new SeatCommand.TakeOffer(card.cardId(), holdId, bookedBy),
                null, audit)).onSuccess(done -> {
                    if (done.decision() instanceof Decision.HoldMovedInto) {
                        seatFreed.accept(card.siteId());
                    }
                });
    }

    public Future<Settled> hold(CardRef card, long slotId, Channel channel, Idempotency idempotency) {
        return counted("hold", channel, check(card, slotId, channel).compose(refusal -> {
            if (refusal != null) {
                return Future.succeededFuture(Settled.refused(refusal));
            }
            Site site = sites.get(card.siteId()); // known: the check found it
            return allocator.submit(card.siteId(),
                    new SeatCommand.TakeHold(card.cardId(), slotId, channel, site.holdFor(channel)), idempotency, null);
        }));
    }

    public Future<Settled> confirm(CardRef card, UUID holdId, String bookedBy, Idempotency idempotency) {
        return counted("confirm", null, allocator.submit(card.siteId(), new SeatCommand.Confirm(card.cardId(), holdId, bookedBy),
                idempotency, null));
    }

    public Future<Settled> release(CardRef card, UUID holdId) {
        return counted("release", null, allocator.submit(card.siteId(), new SeatCommand.Release(card.cardId(), holdId)));
    }

    /**
     * Books a slot at once. {@code override} (operators only) books beyond capacity or into a
     * blocked slot when no regular seat is free; {@code reason} is then required by the caller.
     */
    public Future<Settled> book(CardRef card, long slotId, Channel channel, String bookedBy, boolean override,
                                String reason, Idempotency idempotency) {
        return book(card, slotId, channel, bookedBy, override, reason, idempotency, null);
    }

    /** As above, for staff: {@code audit} is committed with the decision, or neither is. */
    public Future<Settled> book(CardRef card, long slotId, Channel channel, String bookedBy, boolean override,
                                String reason, Idempotency idempotency, Function<Decision, AuditEntry> audit) {
        return counted("book", channel, checkedThen(card, slotId, channel,
                new SeatCommand.Book(card.cardId(), slotId, channel, bookedBy, override, reason), idempotency, audit));
    }

    public Future<Settled> cancel(CardRef card, String code, String reason) {
        return cancel(card, code, reason, null);
    }

    /** As above, for staff: {@code audit} is committed with the decision, or neither is. */
    public Future<Settled> cancel(CardRef card, String code, String reason, Function<Decision, AuditEntry> audit) {
        return counted("cancel", null, allocator.submit(card.siteId(), new SeatCommand.Cancel(card.cardId(), code, reason),
                null, audit)).onSuccess(done -> freed(card, done));
    }

    public Future<Settled> reschedule(CardRef card, String code, long slotId, Channel channel, boolean override,
                                      String reason, Idempotency idempotency) {
        return reschedule(card, code, slotId, channel, override, reason, idempotency, null);
    }

    /** As above, for staff: {@code audit} is committed with the decision, or neither is. */
    public Future<Settled> reschedule(CardRef card, String code, long slotId, Channel channel, boolean override,
                                      String reason, Idempotency idempotency, Function<Decision, AuditEntry> audit) {
        return counted("reschedule", channel, checkedThen(card, slotId, channel,
                new SeatCommand.Reschedule(card.cardId(), code, slotId, channel, override, reason), idempotency, audit))
                .onSuccess(done -> freed(card, done));
    }

    private void freed(CardRef card, Settled done) {
        if (done.ok()) {
            seatFreed.accept(card.siteId());
        }
    }

    private Future<Settled> counted(String operation, Channel channel, Future<Settled> answer) {
        return metrics.counted(operation, channel, answer);
    }

    /** Submits the command once the slot passed {@link #check}; else the refusal. */
    private Future<Settled> checkedThen(CardRef card, long slotId, Channel channel, SeatCommand command,
                                        Idempotency idempotency, Function<Decision, AuditEntry> audit) {
        return check(card, slotId, channel).compose(refusal -> refusal != null
                ? Future.succeededFuture(Settled.refused(refusal)) : allocator.submit(card.siteId(), command, idempotency, audit));
    }

    /**
     * Null when the slot may be asked for on this channel, else why not. A slot or site memory
     * does not know is looked for in the database first: it may have been added on another
     * instance a moment ago, and "no such slot" would then be wrong.
     */
    private Future<Refusal> check(CardRef card, long slotId, Channel channel) {
        SlotSeats known = allocator.slot(slotId);
        Future<SlotSeats> slot = known != null ? Future.succeededFuture(known) : allocator.findSlot(slotId);
        return slot.compose(found -> {
            if (found == null) {
                return Future.succeededFuture(Refusal.NOT_FOUND);
            }
            if (!found.siteId().equals(card.siteId())) {
                return Future.succeededFuture(Refusal.WRONG_SITE);
            }
            return sites.find(card.siteId()).map(site -> site == null || site.walkIn()
                    || !site.window().allows(found.start(), clock.instant(), channel) ? Refusal.SLOT_NOT_BOOKABLE : null);
        });
    }
}
