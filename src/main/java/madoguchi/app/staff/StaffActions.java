package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.AuditEntry;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.booking.CardRef;
import madoguchi.app.booking.Idempotency;
import madoguchi.app.booking.Settled;
import madoguchi.app.capacity.SlotBlocks;
import madoguchi.app.cards.CardLifecycle;
import madoguchi.app.cards.CardStore;
import madoguchi.app.cards.LifecycleStore;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.SlotSeats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a call-center operator does on a resident's behalf: book (with override), move, cancel,
 * block and unblock slots, hand the card over at the counter, and put a card on or take it off
 * the waitlist. The rule for all of them: <b>a change and its audit row are written in one
 * transaction, or neither is</b>; when that transaction fails the action fails with
 * {@link NotRecorded} — nothing changed, and the operator may try again.
 */
public final class StaffActions {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final BookingDesk desk;
    private final Allocator allocator;
    private final CardStore cards;
    private final BookingStore bookings;
    private final SlotBlocks blocks;
    private final CardLifecycle lifecycle;
    private final Waitlist waitlist;
    private final Audit audit;

    public StaffActions(BookingDesk desk, Allocator allocator, CardStore cards, BookingStore bookings, SlotBlocks blocks,
                        CardLifecycle lifecycle, Waitlist waitlist, Audit audit) {
        this.desk = desk;
        this.allocator = allocator;
        this.cards = cards;
        this.bookings = bookings;
        this.blocks = blocks;
        this.lifecycle = lifecycle;
        this.waitlist = waitlist;
        this.audit = audit;
    }

    /** Books a slot for the card with this notice number; an override (with a reason) goes beyond capacity or into a block. */
    public Future<Settled> book(Principal who, String notice, long slotId, boolean override, String reason, Idempotency key) {
        return cards.byNoticeNumber(notice).compose(card -> {
            if (card.isEmpty()) {
                return Future.succeededFuture(Settled.refused(Refusal.NOT_FOUND));
            }
            CardRef ref = new CardRef(card.get().id(), card.get().siteId());
            return recorded(desk.book(ref, slotId, Channel.OPERATOR, who.name(), override, reason, key, d -> {
                ActiveBooking b = Decision.bookingOf(d);
                return entry(who, b.override() ? "booking.override" : "booking.create", "booking:" + b.code(), null,
                        booking(b), reason);
            }));
        });
    }

    /** Moves the booking with this code to another slot of its site; with override (and a reason) beyond capacity. */
    public Future<Settled> move(Principal who, String code, long slotId, boolean override, String reason, Idempotency key) {
        return withCard(code, (card, before) -> recorded(desk.reschedule(card, code, slotId, Channel.OPERATOR, override, reason, key,
                d -> entry(who, override ? "booking.move.override" : "booking.move", "booking:" + code, booking(before),
                        booking(Decision.bookingOf(d)), reason))));
    }

    /** Cancels the booking with this code on the resident's behalf; the reason, when given, is kept. */
    public Future<Settled> cancel(Principal who, String code, String reason) {
        return withCard(code, (card, before) -> recorded(desk.cancel(card, code,
                reason == null ? "cancelled by operator " + who.name() : reason,
                d -> entry(who, "booking.cancel", "booking:" + code, booking(before),
                        new JsonObject().put("code", code).put("status", "cancelled"), reason))));
    }

    /**
     * Blocks or unblocks a slot (operators may still override into a blocked one). False when
     * there is no such slot. The allocator learns of it once it is written.
     */
    public Future<Boolean> block(Principal who, long slotId, boolean blocked, String reason) {
        JsonObject after = new JsonObject().put("slotId", slotId).put("blocked", blocked);
        java.util.function.Supplier<Future<Boolean>> write = () -> recorded(blocks.setBlocked(slotId, blocked, reason,
                entry(who, blocked ? "slot.block" : "slot.unblock", "slot:" + slotId, null, after, reason)))
                .compose(siteId -> siteId == null ? Future.succeededFuture(false) : allocator.reload(siteId).map(true));
        madoguchi.domain.SlotSeats known = allocator.slot(slotId);
        if (known == null) {
            return write.get();
        }
        // blocked while the block is written (an unblock frees the slot only once it is written)
        madoguchi.domain.SlotLimits l = known.limits();
        return allocator.whileLimitsChange(known.siteId(), java.util.Set.of(slotId),
                new madoguchi.domain.SlotLimits(l.capacity(), l.quotaWeb(), l.quotaPhone(), blocked), write);
    }

    /** The card is handed over at the counter: its booking and the card become issued. */
    public Future<LifecycleStore.IssueResult> issue(Principal who, String code) {
        return recorded(lifecycle.issued(code, who.name(), issued -> entry(who, "booking.issued", "booking:" + code, null,
                new JsonObject().put("code", code).put("status", "issued").put("was", issued.was())
                        .put("siteId", issued.booking().siteId()).put("cardState", "issued"), null)));
    }

    /** Puts the card on its site's waitlist; empty when no card has this notice number. */
    public Future<Optional<Waitlist.Answer>> joinWaitlist(Principal who, String notice, LocalDate from, LocalDate to, String reason) {
        JsonObject after = new JsonObject().put("from", from.toString()).put("to", to.toString())
                .put("channel", Channel.OPERATOR.wire()).put("state", "waiting");
        return forCard(notice, card -> recorded(waitlist.join(card, from, to, Channel.OPERATOR, who.name(),
                entry(who, "waitlist.join", "card:" + notice, null, after, reason))));
    }

    /** Takes the card off the waitlist; empty when no card has this notice number. */
    public Future<Optional<Waitlist.Answer>> leaveWaitlist(Principal who, String notice) {
        return forCard(notice, card -> recorded(waitlist.leave(card,
                entry(who, "waitlist.leave", "card:" + notice, null, new JsonObject().put("state", "cancelled"), null))));
    }

    /** Takes the seat offered to the card, on the resident's behalf; empty when no card has this notice number. */
    public Future<Optional<Waitlist.Answer>> acceptOffer(Principal who, String notice) {
        return forCard(notice, card -> recorded(waitlist.accept(card, who.name(),
                d -> entry(who, "waitlist.accept", "card:" + notice, null, booking(Decision.bookingOf(d)), null))));
    }

    /**
     * The card's birth date, shown to an operator who checks who is calling: the showing is
     * audited ({@code card.birth_date_shown}, the date itself never in the row) before the date is
     * answered; when the row cannot be written the date is not shown ({@link NotRecorded}). Empty
     * when no card has this notice number.
     */
    public Future<Optional<LocalDate>> showBirthDate(Principal who, String notice, String reason) {
        return cards.byNoticeNumber(notice).compose(card -> card.isEmpty() ? Future.succeededFuture(Optional.<LocalDate>empty())
                : recorded(audit.record(entry(who, "card.birth_date_shown", "card:" + notice, null, null, reason)))
                        .map(v -> Optional.of(card.get().birthDate())));
    }

    /**
     * The audit row of a card import, or null when the file changed no card (a file that is
     * refused is answered, not kept).
     */
    public static AuditEntry cardImport(Principal who, int imported, int updated, int rejected) {
        return imported + updated == 0 ? null : entry(who, "cards.import", "cards", null,
                new JsonObject().put("imported", imported).put("updated", updated).put("rejected", rejected), null);
    }

    /** An audit entry of this staff member. */
    public static AuditEntry entry(Principal who, String action, String target, JsonObject before, JsonObject after, String reason) {
        return new AuditEntry(who.name(), who.role().wire(), action, target, before, after, reason);
    }

    /**
     * The one rule for a staff change that could not be written (its audit row included): it
     * fails with {@link NotRecorded}. A conflict (the thing exists already) stays what it is.
     */
    public static <T> Future<T> recorded(Future<T> change) {
        return change.<T>recover(e -> Future.failedFuture(e instanceof madoguchi.app.sites.SiteStore.Conflict
                        || e instanceof NotRecorded ? e : new NotRecorded(e)))
                .compose(result -> unwritten(result) ? Future.failedFuture(new NotRecorded(null)) : Future.succeededFuture(result));
    }

    /** The journal could not commit the batch: nothing of it was written. */
    private static boolean unwritten(Object result) {
        Settled settled = result instanceof Settled s ? s
                : result instanceof Waitlist.Answer a ? a.settled() : null;
        return settled != null && settled.refusal() == Refusal.UNAVAILABLE;
    }

    private interface CardWork {
        Future<Settled> apply(CardRef card, BookingView before);
    }

    private Future<Settled> withCard(String code, CardWork work) {
        return bookings.byCode(code).compose(b -> b.isEmpty() ? Future.succeededFuture(Settled.refused(Refusal.NOT_FOUND))
                : cards.byId(b.get().cardId()).compose(c -> c.isEmpty() ? Future.succeededFuture(Settled.refused(Refusal.NOT_FOUND))
                        : work.apply(new CardRef(c.get().id(), c.get().siteId()), b.get())));
    }

    private <T> Future<Optional<T>> forCard(String notice, Function<CardRef, Future<T>> work) {
        return cards.byNoticeNumber(notice).compose(card -> card.isEmpty() ? Future.succeededFuture(Optional.<T>empty())
                : work.apply(new CardRef(card.get().id(), card.get().siteId())).map(Optional::of));
    }


    /** A booking as the audit trail keeps it (the shape of the API's booking). */
    private JsonObject booking(ActiveBooking b) {
        SlotSeats slot = allocator.slot(b.slotId());
        return new JsonObject().put("bookingId", b.id()).put("code", b.code())
                .put("siteId", slot == null ? null : slot.siteId()).put("slotId", b.slotId())
                .put("start", slot == null ? null : time(slot.start())).put("end", slot == null ? null : time(slot.end()))
                .put("status", "active").put("channel", b.channel().wire()).put("override", b.override());
    }

    private static JsonObject booking(BookingView b) {
        return new JsonObject().put("bookingId", b.id()).put("code", b.code()).put("siteId", b.siteId()).put("slotId", b.slotId())
                .put("start", time(b.start())).put("end", time(b.end())).put("status", b.status()).put("channel", b.channel())
                .put("override", b.override()).put("createdAt", time(b.createdAt()));
    }

    private static String time(Instant t) {
        return t == null ? null : ISO.format(t.atZone(BookingWindow.TOKYO).toOffsetDateTime());
    }
}
