package madoguchi.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seat allocator of one shard: every decision is a map lookup, a comparison and an
 * increment, made by one thread without locks. Accepted decisions stay pending until the
 * journal makes them durable ({@link #settle}) or fails ({@link #undo}).
 *
 * <p>It also remembers each card's hold and active booking so that a second booking for the
 * same card is refused without asking the database; the database's unique index remains the
 * arbiter when several instances share it.
 */
public final class SeatLedger {
    // read from other threads for availability, hence concurrent
    private final Map<Long, SlotSeats> slots = new ConcurrentHashMap<>();
    private final Map<UUID, Hold> holds = new HashMap<>();
    private final Map<Long, Hold> holdByCard = new HashMap<>();
    private final Map<Long, ActiveBooking> bookingByCard = new HashMap<>();
    private final PriorityQueue<Hold> expiries = new PriorityQueue<>((a, b) -> a.expiresAt().compareTo(b.expiresAt()));
    private final java.util.function.Consumer<SlotSeats> watcher;

    public SeatLedger() {
        this(s -> { });
    }

    /**
     * {@code watcher} is told, on the shard's thread, each time readers on other threads are shown
     * new seats of a slot: a test can check every view a reader could ever get.
     */
    public SeatLedger(java.util.function.Consumer<SlotSeats> watcher) {
        this.watcher = watcher;
    }

    /** Adds a slot, or adopts newer database values for one already known. */
    public SlotSeats load(SlotSnapshot snapshot) {
        SlotSeats seats = slots.get(snapshot.id());
        if (seats == null) {
            seats = new SlotSeats(snapshot, watcher);
            slots.put(snapshot.id(), seats);
        } else {
            seats.adopt(snapshot);
        }
        return seats;
    }

    /**
     * A slot re-read from the database (an administrator's change, new days). Adopted even while
     * decisions on the slot await their commit: those stay counted apart as pending, and the
     * database row holds only what is committed. Skipping a busy slot kept a capacity change out
     * of memory until the slot's next commit, which in a quiet hour may never come. The one cost:
     * a batch committed just before the read is counted twice until its answer is settled a
     * moment later: a seat it took is counted twice (a seat refused, never one too many); a seat
     * it gave back is free twice in the shard's own count, and a take decided on it is refused by
     * the database and decided again on the row it returns. Readers never see that seat free
     * twice (see {@link SlotSeats}).
     */
    public void refresh(SlotSnapshot snapshot) {
        load(snapshot);
    }

    /**
     * As {@link #refresh(SlotSnapshot)}, by a read that began after every write in doubt was
     * reported lost: the row says what those writes left, so the seats kept counted for them go.
     */
    public void refreshAfterDoubt(SlotSnapshot snapshot) {
        SlotSeats seats = slots.get(snapshot.id());
        if (seats == null) {
            load(snapshot);
        } else if (!seats.adopt(snapshot)) {
            seats.clearDoubt();
        }
    }

    /**
     * Keeps a hold of one of this ledger's slots. A hold of a slot it does not own (another
     * shard's site) is not kept: its expiry would find no slot to give the seat back to.
     *
     * @return whether the hold is kept
     */
    public boolean loadHold(Hold hold) {
        if (!slots.containsKey(hold.slotId())) {
            return false;
        }
        Hold before = holdByCard.get(hold.cardId());
        if (before != null && !before.id().equals(hold.id())) {
            holds.remove(before.id());
        }
        holds.put(hold.id(), hold);
        holdByCard.put(hold.cardId(), hold);
        expiries.add(hold);
        return true;
    }

    /**
     * Keeps a card's active booking, when its slot is one of this ledger's (see {@link #loadHold}).
     *
     * @return whether the booking is kept
     */
    public boolean loadBooking(ActiveBooking booking) {
        if (!slots.containsKey(booking.slotId())) {
            return false;
        }
        bookingByCard.put(booking.cardId(), booking);
        return true;
    }

    /** Forgets a booking the database says is no longer active (ended elsewhere). */
    public void forgetBooking(long cardId) {
        bookingByCard.remove(cardId);
    }

    /**
     * The booking ended without giving its seat back: the card was issued at the counter, or the
     * slot passed without the resident (no-show). The seat rule: a seat returns to its slot only
     * when a booking is cancelled; an issued or missed booking keeps it counted, because the slot
     * happened — so a slot's {@code booked} is its active, issued and no-show regular bookings,
     * which is also what the database's {@code slots.booked} says when the shard is rebuilt.
     * Only the card is free again (a resident who missed the slot may book anew).
     *
     * @return whether memory knew that booking
     */
    public boolean ended(long cardId, String code) {
        ActiveBooking known = bookingByCard.get(cardId);
        if (known == null || !known.code().equals(code)) {
            return false;
        }
        bookingByCard.remove(cardId);
        return true;
    }

    public void forgetHold(UUID holdId) {
        Hold hold = holds.remove(holdId);
        if (hold != null && hold.equals(holdByCard.get(hold.cardId()))) {
            holdByCard.remove(hold.cardId());
        }
    }

    public SlotSeats slot(long slotId) {
        return slots.get(slotId);
    }

    public Collection<SlotSeats> slots() {
        return slots.values();
    }

    public Hold hold(UUID holdId) {
        return holds.get(holdId);
    }

    public ActiveBooking bookingOf(long cardId) {
        return bookingByCard.get(cardId);
    }

    /** The active holds (for checks and metrics). */
    public Collection<Hold> holds() {
        return java.util.Collections.unmodifiableCollection(holds.values());
    }

    /** The active bookings of cards of this shard's sites. */
    public Collection<ActiveBooking> bookings() {
        return java.util.Collections.unmodifiableCollection(bookingByCard.values());
    }

    /** Holds a seat; a hold the card already had elsewhere is released in the same decision. */
    public Verdict hold(Hold wanted) {
        SlotSeats seats = slots.get(wanted.slotId());
        if (seats == null) {
            return Refusal.NOT_FOUND;
        }
        if (bookingByCard.containsKey(wanted.cardId())) {
            return Refusal.ALREADY_BOOKED;
        }
        Decision.HoldTaken decision = new Decision.HoldTaken(wanted, holdByCard.get(wanted.cardId()));
        Refusal refusal = seats.admit(decision.changes().get(decision.changes().size() - 1));
        if (refusal != null) {
            return refusal;
        }
        apply(decision);
        return decision;
    }

    /**
     * Holds a seat offered from the waitlist to a card that may already have a (later) booking:
     * the hold is then turned into a move by {@link #confirmHoldAsMove}. Without a booking it is
     * an ordinary hold.
     */
    public Verdict holdForMove(Hold wanted, Instant now) {
        SlotSeats seats = slots.get(wanted.slotId());
        if (seats == null) {
            return Refusal.NOT_FOUND;
        }
        ActiveBooking booked = bookingByCard.get(wanted.cardId());
        if (booked != null && booked.slotId() == wanted.slotId()) {
            return Refusal.ALREADY_BOOKED;
        }
        Hold current = holdByCard.get(wanted.cardId());
        if (current != null && !current.expiredAt(now)) {
            // the resident is choosing a seat right now (web or phone): the offer must not take
            // that seat from under them; a later pass offers again
            return Refusal.BUSY;
        }
        Decision.HoldTaken decision = new Decision.HoldTaken(wanted, current, true);
        Refusal refusal = seats.admit(decision.changes().get(decision.changes().size() - 1));
        if (refusal != null) {
            return refusal;
        }
        apply(decision);
        return decision;
    }

    /**
     * The card's booking moves into the seat its hold keeps: one decision releases the hold into
     * a booked seat and gives the old seat back. Refused when the hold is gone or expired, or the
     * card has no booking (then {@link #confirm} is the answer).
     */
    public Verdict confirmHoldAsMove(UUID holdId, long cardId, Instant now) {
        Hold hold = holds.get(holdId);
        if (hold == null || hold.cardId() != cardId || hold.expiredAt(now)) {
            return Refusal.HOLD_EXPIRED;
        }
        ActiveBooking from = bookingByCard.get(cardId);
        if (from == null) {
            return Refusal.NOT_FOUND;
        }
        if (from.slotId() == hold.slotId()) {
            return Refusal.ALREADY_BOOKED; // taken already (a double click, a second YES)
        }
        Decision.HoldMovedInto decision = new Decision.HoldMovedInto(hold, from, from.movedTo(hold.slotId(), hold.channel()));
        apply(decision);
        return decision;
    }

    /**
     * Books a seat. An operator's override takes a regular seat when one is free and otherwise
     * a seat counted apart, even in a blocked slot.
     */
    public Verdict book(ActiveBooking wanted) {
        SlotSeats seats = slots.get(wanted.slotId());
        if (seats == null) {
            return Refusal.NOT_FOUND;
        }
        if (bookingByCard.containsKey(wanted.cardId())) {
            return Refusal.ALREADY_BOOKED;
        }
        ActiveBooking regular = wanted.override()
                ? new ActiveBooking(wanted.id(), wanted.code(), wanted.cardId(), wanted.slotId(), wanted.channel(),
                        false, wanted.reason(), wanted.bookedBy())
                : wanted;
        Refusal refusal = seats.admit(regular.take());
        if (refusal != null && !wanted.override()) {
            return refusal;
        }
        Decision.BookingMade decision = new Decision.BookingMade(refusal == null ? regular : wanted);
        apply(decision);
        return decision;
    }

    public Verdict confirm(UUID holdId, long cardId, long bookingId, String code, String bookedBy, Instant now) {
        Hold hold = holds.get(holdId);
        if (hold == null || hold.cardId() != cardId) {
            return Refusal.HOLD_EXPIRED;
        }
        if (hold.expiredAt(now)) {
            return Refusal.HOLD_EXPIRED;
        }
        if (bookingByCard.containsKey(cardId)) {
            return Refusal.ALREADY_BOOKED;
        }
        ActiveBooking booking = new ActiveBooking(bookingId, code, cardId, hold.slotId(), hold.channel(),
                false, null, bookedBy);
        Decision.HoldConfirmed decision = new Decision.HoldConfirmed(hold, booking);
        apply(decision);
        return decision;
    }

    public Verdict release(UUID holdId, long cardId) {
        Hold hold = holds.get(holdId);
        if (hold == null || hold.cardId() != cardId) {
            return Refusal.NOT_FOUND;
        }
        Decision.HoldReleased decision = new Decision.HoldReleased(hold, Decision.HoldEnd.RELEASED);
        apply(decision);
        return decision;
    }

    public Verdict cancel(long cardId, String code, String reason) {
        ActiveBooking booking = bookingByCard.get(cardId);
        if (booking == null || !booking.code().equals(code)) {
            return Refusal.NOT_FOUND;
        }
        Decision.BookingCancelled decision = new Decision.BookingCancelled(booking, reason);
        apply(decision);
        return decision;
    }

    /**
     * Moves a booking to another slot of the same site: the new seat must fit; the old one is
     * given back in the same decision, so the resident never ends with neither.
     * With {@code override} an operator may move it beyond capacity or into a blocked slot.
     */
    public Verdict reschedule(long cardId, String code, long newSlotId, Channel channel, boolean override, String reason) {
        ActiveBooking from = bookingByCard.get(cardId);
        if (from == null || !from.code().equals(code)) {
            return Refusal.NOT_FOUND;
        }
        SlotSeats seats = slots.get(newSlotId);
        if (seats == null) {
            return Refusal.NOT_FOUND;
        }
        ActiveBooking to = from.movedTo(newSlotId, channel);
        Refusal refusal = seats.admit(to.take());
        if (refusal != null) {
            if (!override) {
                return refusal;
            }
            to = to.asOverride(reason);
        }
        Decision.BookingMoved decision = new Decision.BookingMoved(from, to);
        apply(decision);
        return decision;
    }

    /** Holds whose time is up, oldest first; each is then ended with {@link #expire}. */
    public List<Hold> dueHolds(Instant now) {
        // a hold loaded again (its end undone) is queued once more: each is due once
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        List<Hold> due = new ArrayList<>();
        while (!expiries.isEmpty() && expiries.peek().expiredAt(now)) {
            Hold hold = expiries.poll();
            if (hold.equals(holds.get(hold.id())) && seen.add(hold.id())) {
                due.add(hold);
            }
        }
        return due;
    }

    /** Ends a hold whose time is up; refused when it was confirmed or released meanwhile. */
    public Verdict expire(UUID holdId) {
        Hold hold = holds.get(holdId);
        if (hold == null) {
            return Refusal.NOT_FOUND;
        }
        Decision.HoldReleased decision = new Decision.HoldReleased(hold, Decision.HoldEnd.EXPIRED);
        apply(decision);
        return decision;
    }

    /**
     * A batch is durable: each decision's seats move from pending into the committed counts, and
     * each slot takes the row the commit returned (see {@link SlotSeats#settle}), then the slots
     * the batch did not touch take theirs too.
     */
    public void settle(List<Decision> batch, Collection<SlotSnapshot> rows) {
        Map<Long, SlotSnapshot> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.id(), r));
        for (Decision decision : batch) {
            for (SeatChange c : decision.changes()) {
                SlotSeats seats = slots.get(c.slotId());
                if (seats != null) {
                    seats.settle(c, byId.get(c.slotId()));
                }
            }
        }
        rows.forEach(this::load);
    }

    /** One decision durable, the slots it changed read back as {@code rows}. */
    public void settle(Decision decision, SlotSnapshot... rows) {
        settle(List.of(decision), List.of(rows));
    }

    /** The decision could not be made durable: memory goes back to how it was before it. */
    public void undo(Decision decision) {
        undo(decision, false);
    }

    /**
     * As {@link #undo(Decision)}; {@code inDoubt}: the write lost its connection and may have
     * committed, so the seats the decision took stay counted for readers until the slot is read
     * again from the database (the shard decides as if it had not been written).
     */
    public void undo(Decision decision, boolean inDoubt) {
        for (SeatChange c : decision.changes()) {
            SlotSeats seats = slots.get(c.slotId());
            if (seats != null) {
                if (inDoubt) {
                    seats.doubt(c);
                } else {
                    seats.undo(c);
                }
            }
        }
        if (decision instanceof Decision.HoldTaken) {
            Decision.HoldTaken d = (Decision.HoldTaken) decision;
            forgetHold(d.hold().id());
            if (d.replaced() != null) {
                loadHold(d.replaced());
            }
        } else if (decision instanceof Decision.HoldReleased) {
            Decision.HoldReleased d = (Decision.HoldReleased) decision;
            loadHold(d.hold());
        } else if (decision instanceof Decision.HoldConfirmed) {
            Decision.HoldConfirmed d = (Decision.HoldConfirmed) decision;
            bookingByCard.remove(d.booking().cardId());
            loadHold(d.hold());
        } else if (decision instanceof Decision.BookingMade) {
            bookingByCard.remove(((Decision.BookingMade) decision).booking().cardId());
        } else if (decision instanceof Decision.BookingCancelled) {
            loadBooking(((Decision.BookingCancelled) decision).booking());
        } else if (decision instanceof Decision.BookingMoved) {
            loadBooking(((Decision.BookingMoved) decision).from());
        } else if (decision instanceof Decision.HoldMovedInto) {
            Decision.HoldMovedInto d = (Decision.HoldMovedInto) decision;
            loadBooking(d.from());
            loadHold(d.hold());
        }
    }

    /**
     * An administrator's change is about to give these slots {@code next} (a cut, a block, a
     * closure): until {@link #narrowed}, they go by the tighter of their limits and these.
     */
    public void narrow(Collection<Long> slotIds, SlotLimits next) {
        for (long id : slotIds) {
            SlotSeats seats = slots.get(id);
            if (seats != null) {
                seats.narrow(next);
            }
        }
    }

    /** The change announced by {@link #narrow} is over: committed and read again, or failed. */
    public void narrowed(Collection<Long> slotIds) {
        for (long id : slotIds) {
            SlotSeats seats = slots.get(id);
            if (seats != null) {
                seats.narrowed();
            }
        }
    }

    private void apply(Decision decision) {
        for (SeatChange c : decision.changes()) {
            slots.get(c.slotId()).apply(c);
        }
        if (decision instanceof Decision.HoldTaken) {
            Decision.HoldTaken d = (Decision.HoldTaken) decision;
            if (d.replaced() != null) {
                forgetHold(d.replaced().id());
            }
            loadHold(d.hold());
        } else if (decision instanceof Decision.HoldReleased) {
            forgetHold(((Decision.HoldReleased) decision).hold().id());
        } else if (decision instanceof Decision.HoldConfirmed) {
            Decision.HoldConfirmed d = (Decision.HoldConfirmed) decision;
            forgetHold(d.hold().id());
            loadBooking(d.booking());
        } else if (decision instanceof Decision.BookingMade) {
            loadBooking(((Decision.BookingMade) decision).booking());
        } else if (decision instanceof Decision.BookingCancelled) {
            bookingByCard.remove(((Decision.BookingCancelled) decision).booking().cardId());
        } else if (decision instanceof Decision.BookingMoved) {
            loadBooking(((Decision.BookingMoved) decision).to());
        } else if (decision instanceof Decision.HoldMovedInto) {
            Decision.HoldMovedInto d = (Decision.HoldMovedInto) decision;
            forgetHold(d.hold().id());
            loadBooking(d.to());
        }
    }
}
