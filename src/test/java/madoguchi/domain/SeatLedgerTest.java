package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeatLedgerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant START = Instant.parse("2026-12-03T01:00:00Z");
    private final SeatLedger ledger = new SeatLedger();
    private long nextId = 1000;

    private SlotSeats slot(long id, int capacity, int web, int phone) {
        return ledger.load(new SlotSnapshot(id, "center", START, START.plusSeconds(900),
                new SlotLimits(capacity, web, phone, false), 0, 0, 0, 1));
    }

    private ActiveBooking booking(long card, long slot, Channel channel) {
        long id = nextId++;
        return new ActiveBooking(id, BookingCode.legacy().of(id), card, slot, channel, false, null, "t");
    }

    private Verdict book(long card, long slot, Channel channel) {
        return ledger.book(booking(card, slot, channel));
    }

    @Test
    void quotasAreNestedAndCountEveryBookingInTheSlot() {
        SlotSeats s = slot(1, 4, 2, 3);
        assertInstanceOf(Decision.BookingMade.class, book(1, 1, Channel.WEB));
        assertInstanceOf(Decision.BookingMade.class, book(2, 1, Channel.PHONE));
        assertSame(Refusal.SLOT_FULL, book(3, 1, Channel.WEB), "web fills up to 2 counting the phone booking");
        assertEquals(0, s.remaining(Channel.WEB));
        assertEquals(1, s.remaining(Channel.PHONE));
        assertInstanceOf(Decision.BookingMade.class, book(3, 1, Channel.PHONE));
        assertSame(Refusal.SLOT_FULL, book(4, 1, Channel.PHONE));
        assertInstanceOf(Decision.BookingMade.class, book(4, 1, Channel.OPERATOR));
        assertSame(Refusal.SLOT_FULL, book(5, 1, Channel.OPERATOR));
        assertEquals(4, s.taken());
    }

    @Test
    void aCapacityChangeReadWhileABookingAwaitsItsCommitIsTakenAtOnce() {
        SlotSeats s = slot(1, 1, 1, 1);
        Decision pending = (Decision) book(1, 1, Channel.WEB);   // decided, not yet committed
        ledger.refresh(new SlotSnapshot(1, "center", START, START.plusSeconds(900),
                new SlotLimits(3, 3, 3, false), 0, 0, 0, 2));       // an administrator opened two more seats
        assertEquals(2, s.remaining(Channel.WEB), "the new capacity, the pending booking still counted");
        ledger.settle(pending);
        ledger.load(new SlotSnapshot(1, "center", START, START.plusSeconds(900),
                new SlotLimits(3, 3, 3, false), 1, 0, 0, 3));       // the row the commit returned
        assertEquals(1, s.booked());
        assertEquals(2, s.remaining(Channel.WEB));
    }

    @Test
    void aWaitlistOfferNeverTakesTheSeatAResidentIsHoldingNowAndIsTakenOnlyOnce() {
        slot(1, 2, 2, 2);
        slot(2, 2, 2, 2);
        Hold choosing = new Hold(UUID.randomUUID(), 7, 2, Channel.WEB, NOW.plusSeconds(300));
        assertInstanceOf(Decision.HoldTaken.class, ledger.hold(choosing));
        assertSame(Refusal.BUSY, ledger.holdForMove(new Hold(UUID.randomUUID(), 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW),
                "the seat the resident is choosing stays theirs");
        assertInstanceOf(Decision.HoldTaken.class,
                ledger.holdForMove(new Hold(UUID.randomUUID(), 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW.plusSeconds(301)),
                "once their own hold has run out, the offer may be made");

        ledger.book(booking(8, 2, Channel.WEB));
        UUID offer = UUID.randomUUID();
        ledger.holdForMove(new Hold(offer, 8, 1, Channel.WEB, NOW.plusSeconds(900)), NOW);
        assertInstanceOf(Decision.HoldMovedInto.class, ledger.confirmHoldAsMove(offer, 8, NOW));
        ledger.loadHold(new Hold(offer, 8, 1, Channel.WEB, NOW.plusSeconds(900))); // as a retry reloads it from the database
        assertSame(Refusal.ALREADY_BOOKED, ledger.confirmHoldAsMove(offer, 8, NOW), "a second accept moves nothing");
    }

    @Test
    void anOverrideTakesASeatCountedApartOnlyWhenNoneIsFree() {
        SlotSeats s = slot(1, 1, 1, 1);
        ActiveBooking first = new ActiveBooking(1, BookingCode.legacy().of(1), 1, 1, Channel.OPERATOR, true, "elderly caller", "op");
        Decision.BookingMade made = (Decision.BookingMade) ledger.book(first);
        assertEquals(false, made.booking().override(), "a free seat is taken regularly");
        ActiveBooking second = new ActiveBooking(2, BookingCode.legacy().of(2), 2, 1, Channel.OPERATOR, true, "elderly caller", "op");
        Decision.BookingMade forced = (Decision.BookingMade) ledger.book(second);
        assertTrue(forced.booking().override());
        assertEquals(1, s.taken());
        assertEquals(1, s.override());
    }

    @Test
    void aBlockedSlotTakesOnlyOverrides() {
        SlotSeats s = ledger.load(new SlotSnapshot(1, "center", START, START.plusSeconds(900),
                new SlotLimits(4, 4, 4, true), 0, 0, 0, 1));
        assertSame(Refusal.SLOT_BLOCKED, book(1, 1, Channel.OPERATOR));
        assertEquals(0, s.remaining(Channel.OPERATOR));
        ActiveBooking forced = new ActiveBooking(9, BookingCode.legacy().of(9), 1, 1, Channel.OPERATOR, true, "VIP", "op");
        assertTrue(((Decision.BookingMade) ledger.book(forced)).booking().override());
    }

    @Test
    void oneActiveBookingPerCard() {
        slot(1, 4, 4, 4);
        slot(2, 4, 4, 4);
        book(1, 1, Channel.WEB);
        assertSame(Refusal.ALREADY_BOOKED, book(1, 2, Channel.WEB));
        assertSame(Refusal.ALREADY_BOOKED, ledger.hold(new Hold(UUID.randomUUID(), 1, 2, Channel.WEB, NOW.plusSeconds(60))));
    }

    @Test
    void aHoldTakesASeatUntilConfirmedOrExpired() {
        SlotSeats s = slot(1, 1, 1, 1);
        UUID id = UUID.randomUUID();
        Decision.HoldTaken held = (Decision.HoldTaken) ledger.hold(new Hold(id, 7, 1, Channel.PHONE, NOW.plusSeconds(120)));
        assertEquals(1, s.taken());
        assertSame(Refusal.SLOT_FULL, book(8, 1, Channel.WEB));
        assertSame(Refusal.HOLD_EXPIRED, ledger.confirm(id, 7, 5, BookingCode.legacy().of(5), "c", NOW.plusSeconds(121)));
        List<Hold> due = ledger.dueHolds(NOW.plusSeconds(120));
        assertEquals(List.of(held.hold()), due);
        assertInstanceOf(Decision.HoldReleased.class, ledger.expire(id));
        assertEquals(0, s.taken());
        assertInstanceOf(Decision.BookingMade.class, book(8, 1, Channel.WEB));
    }

    @Test
    void confirmingKeepsTheSeatAndANewHoldReplacesTheCardsOldOne() {
        SlotSeats a = slot(1, 2, 2, 2);
        SlotSeats b = slot(2, 2, 2, 2);
        UUID first = UUID.randomUUID();
        ledger.hold(new Hold(first, 7, 1, Channel.WEB, NOW.plusSeconds(300)));
        UUID second = UUID.randomUUID();
        Decision.HoldTaken moved = (Decision.HoldTaken) ledger.hold(new Hold(second, 7, 2, Channel.WEB, NOW.plusSeconds(300)));
        assertEquals(first, moved.replaced().id());
        assertEquals(0, a.taken());
        assertEquals(1, b.taken());
        Decision.HoldConfirmed confirmed = (Decision.HoldConfirmed) ledger.confirm(second, 7, 5, BookingCode.legacy().of(5), "r", NOW);
        assertEquals(1, b.taken());
        assertEquals(1, b.booked());
        assertEquals(0, b.held());
        assertEquals(confirmed.booking(), ledger.bookingOf(7));
    }

    @Test
    void rescheduleTakesTheNewSeatOrLeavesTheOldBookingAlone() {
        SlotSeats a = slot(1, 2, 2, 2);
        SlotSeats b = slot(2, 1, 1, 1);
        Decision.BookingMade made = (Decision.BookingMade) book(1, 1, Channel.WEB);
        book(2, 2, Channel.WEB);
        assertSame(Refusal.SLOT_FULL, ledger.reschedule(1, made.booking().code(), 2, Channel.WEB, false, null));
        assertEquals(made.booking(), ledger.bookingOf(1), "still booked in the old slot");
        assertEquals(1, a.taken());
        SlotSeats c = slot(3, 1, 1, 1);
        Decision.BookingMoved moved = (Decision.BookingMoved) ledger.reschedule(1, made.booking().code(), 3, Channel.WEB, false, null);
        assertEquals(0, a.taken());
        assertEquals(1, c.taken());
        ledger.undo(moved);
        assertEquals(1, a.taken(), "a failed commit gives the old seat back");
        assertEquals(0, c.taken());
        assertEquals(made.booking(), ledger.bookingOf(1));
    }

    @Test
    void undoRestoresMemoryAndSettleKeepsIt() {
        SlotSeats s = slot(1, 2, 2, 2);
        Decision d = (Decision) book(1, 1, Channel.WEB);
        ledger.undo(d);
        assertEquals(0, s.taken());
        assertEquals(null, ledger.bookingOf(1));
        Decision again = (Decision) book(1, 1, Channel.WEB);
        ledger.settle(again);
        ledger.load(new SlotSnapshot(1, "center", START, START.plusSeconds(900), new SlotLimits(2, 2, 2, false), 1, 0, 0, 2));
        assertEquals(1, s.taken());
        assertEquals(1, s.booked());
    }

    @Test
    void olderDatabaseValuesNeverOverwriteNewerOnes() {
        SlotSeats s = slot(1, 2, 2, 2);
        ledger.load(new SlotSnapshot(1, "center", START, START.plusSeconds(900), new SlotLimits(2, 2, 2, false), 2, 0, 0, 5));
        ledger.load(new SlotSnapshot(1, "center", START, START.plusSeconds(900), new SlotLimits(2, 2, 2, false), 1, 0, 0, 4));
        assertEquals(2, s.taken());
    }

    @Test
    void aWaitlistOfferMovesTheLaterBookingIntoTheHeldSeatInOneDecision() {
        SlotSeats early = slot(1, 1, 1, 1);
        SlotSeats later = slot(2, 1, 1, 1);
        ActiveBooking mine = booking(7, 2, Channel.WEB);
        ledger.book(mine);
        UUID holdId = UUID.randomUUID();
        Verdict held = ledger.holdForMove(new Hold(holdId, 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW);
        assertTrue(((Decision.HoldTaken) held).forMove());
        assertEquals(0, early.remaining(Channel.WEB), "the offered seat is kept for the card");
        assertSame(Refusal.SLOT_FULL, book(8, 1, Channel.OPERATOR), "nobody else gets it while the offer stands");
        assertSame(Refusal.ALREADY_BOOKED, ledger.confirm(holdId, 7, 99, BookingCode.legacy().of(99), "t", NOW),
                "a plain confirm would double-book");

        Decision.HoldMovedInto moved = (Decision.HoldMovedInto) ledger.confirmHoldAsMove(holdId, 7, NOW.plusSeconds(60));
        assertEquals(mine.code(), moved.to().code(), "the booking keeps its code, as a reschedule does");
        assertEquals(1, moved.to().slotId());
        assertEquals(1, early.booked());
        assertEquals(0, early.held());
        assertEquals(0, later.taken(), "the old seat is given back");
        assertEquals(1, ledger.bookingOf(7).slotId());
        assertEquals(null, ledger.hold(holdId));
        assertSame(Refusal.HOLD_EXPIRED, ledger.confirmHoldAsMove(holdId, 7, NOW.plusSeconds(60)), "only once");
    }

    @Test
    void aMoveIntoAnOfferIsUndoneWhenItCannotBeMadeDurable() {
        SlotSeats early = slot(1, 1, 1, 1);
        SlotSeats later = slot(2, 1, 1, 1);
        ActiveBooking mine = booking(7, 2, Channel.WEB);
        // (in memory only: settling waits for the database's counts)
        ledger.book(mine);
        UUID holdId = UUID.randomUUID();
        ledger.holdForMove(new Hold(holdId, 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW);
        Decision moved = (Decision) ledger.confirmHoldAsMove(holdId, 7, NOW);
        ledger.undo(moved);
        assertEquals(2, ledger.bookingOf(7).slotId());
        assertEquals(1, early.held());
        assertEquals(0, early.booked());
        assertEquals(1, later.booked());
        assertTrue(ledger.hold(holdId) != null);
    }

    @Test
    void anExpiredOfferCannotBeTakenAndItsSeatReturns() {
        SlotSeats early = slot(1, 1, 1, 1);
        slot(2, 1, 1, 1);
        ledger.book(booking(7, 2, Channel.WEB));
        UUID holdId = UUID.randomUUID();
        ledger.holdForMove(new Hold(holdId, 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW);
        assertSame(Refusal.HOLD_EXPIRED, ledger.confirmHoldAsMove(holdId, 7, NOW.plusSeconds(900)));
        assertEquals(List.of(holdId), ledger.dueHolds(NOW.plusSeconds(900)).stream().map(Hold::id).toList());
        assertInstanceOf(Decision.HoldReleased.class, ledger.expire(holdId));
        assertEquals(1, early.remaining(Channel.WEB));
        assertEquals(2, ledger.bookingOf(7).slotId(), "the resident keeps the later booking");
    }

    @Test
    void withoutABookingAnOfferIsConfirmedAsAnyHold() {
        slot(1, 1, 1, 1);
        UUID holdId = UUID.randomUUID();
        ledger.holdForMove(new Hold(holdId, 7, 1, Channel.WEB, NOW.plusSeconds(900)), NOW);
        assertSame(Refusal.NOT_FOUND, ledger.confirmHoldAsMove(holdId, 7, NOW));
        assertInstanceOf(Decision.HoldConfirmed.class, ledger.confirm(holdId, 7, 50, BookingCode.legacy().of(50), "t", NOW));
    }
}
