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
        Decision expired = (Decision) ledger.expire(id);
        assertInstanceOf(Decision.HoldReleased.class, expired);
        assertEquals(1, s.taken(), "readers see the seat free only once the expiry is durable");
        ledger.settle(expired);
        assertEquals(0, s.taken());
        assertInstanceOf(Decision.BookingMade.class, book(8, 1, Channel.WEB));
    }

    @Test
    void confirmingKeepsTheSeatAndANewHoldReplacesTheCardsOldOne() {
        SlotSeats a = slot(1, 2, 2, 2);
        SlotSeats b = slot(2, 2, 2, 2);
        UUID first = UUID.randomUUID();
        ledger.settle((Decision) ledger.hold(new Hold(first, 7, 1, Channel.WEB, NOW.plusSeconds(300))));
        UUID second = UUID.randomUUID();
        Decision.HoldTaken moved = (Decision.HoldTaken) ledger.hold(new Hold(second, 7, 2, Channel.WEB, NOW.plusSeconds(300)));
        assertEquals(first, moved.replaced().id());
        assertEquals(1, a.taken(), "the old hold's seat is free for readers once the new hold is durable");
        ledger.settle(moved);
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
        assertEquals(1, a.taken(), "readers see the old seat free only once the move is durable");
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
        assertEquals(1, later.taken(), "the old seat is given back, for readers once the move is durable");
        ledger.settle(moved);
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
        Decision expired = (Decision) ledger.expire(holdId);
        assertInstanceOf(Decision.HoldReleased.class, expired);
        ledger.settle(expired);
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

    /** A ledger whose every view of slot 1 readers on other threads could get is kept, with the slot's durable row. */
    private static final class Watched {
        final List<Integer> free = new java.util.ArrayList<>();
        final SeatLedger ledger = new SeatLedger(s -> free.add(s.remaining(Channel.OPERATOR)));
        SlotSnapshot durable;

        SlotSeats slot(int capacity, int booked) {
            durable = new SlotSnapshot(1, "center", START, START.plusSeconds(900), new SlotLimits(capacity, capacity, capacity, false),
                    booked, 0, 0, 1);
            return ledger.load(durable);
        }

        /** The batch commits: the database's row changes now, before the shard hears of it. */
        SlotSnapshot commit(int booked) {
            durable = new SlotSnapshot(1, "center", START, START.plusSeconds(900), durable.limits(), booked, 0, 0, durable.version() + 1);
            return durable;
        }

        void assertNeverMoreFreeThan(int durableFree) {
            assertTrue(free.stream().allMatch(f -> f <= durableFree),
                    "every view readers got has at most " + durableFree + " free seats, as the database: " + free);
        }
    }

    @Test
    void readersNeverSeeABatchsSeatsFreeWhileItIsSettled() {
        Watched w = new Watched();
        SlotSeats s = w.slot(3, 0);
        Decision a = (Decision) w.ledger.book(booking(1, 1, Channel.WEB));
        Decision b = (Decision) w.ledger.book(booking(2, 1, Channel.WEB));
        SlotSnapshot row = w.commit(2);
        w.free.clear();
        w.ledger.settle(List.of(a, b), List.of(row));
        w.assertNeverMoreFreeThan(1);
        assertEquals(1, s.remaining(Channel.WEB));
        assertEquals(2, s.booked());
        assertTrue(!s.hasPending());
    }

    @Test
    void aSeatGivenBackIsFreeForReadersOnlyOnceThatIsDurable() {
        Watched w = new Watched();
        SlotSeats s = w.slot(2, 0);
        ActiveBooking mine = booking(1, 1, Channel.WEB);
        Decision made = (Decision) w.ledger.book(mine);
        w.ledger.settle(List.of(made), List.of(w.commit(1)));
        w.free.clear();
        Decision cancelled = (Decision) w.ledger.cancel(1, mine.code(), "x");
        Decision taken = (Decision) w.ledger.book(booking(2, 1, Channel.WEB));
        Decision again = (Decision) w.ledger.book(booking(3, 1, Channel.WEB));
        assertInstanceOf(Decision.BookingMade.class, again, "the shard reuses the seat its pending cancel gives back");
        w.assertNeverMoreFreeThan(1);
        w.ledger.undo(again);
        w.ledger.undo(taken);
        w.ledger.undo(cancelled);
        w.assertNeverMoreFreeThan(1);
        cancelled = (Decision) w.ledger.cancel(1, mine.code(), "x");
        SlotSnapshot row = w.commit(0);
        w.ledger.settle(List.of(cancelled), List.of(row));
        assertEquals(2, s.remaining(Channel.WEB), "durable now, and free");
    }

    @Test
    void aWriteWhoseAnswerWasLostKeepsItsSeatsUntilTheSlotIsReadAgain() {
        Watched w = new Watched();
        SlotSeats s = w.slot(1, 0);
        Decision made = (Decision) w.ledger.book(booking(1, 1, Channel.WEB));
        w.commit(1); // committed, but the connection dropped before the answer
        w.free.clear();
        w.ledger.undo(made, true);
        w.assertNeverMoreFreeThan(0);
        assertEquals(null, w.ledger.bookingOf(1), "the shard decides as if it was not written");
        w.ledger.refreshAfterDoubt(w.durable);
        assertEquals(0, s.remaining(Channel.WEB));
        // and when it did not commit, a read begun after the loss finds the row unchanged and frees it
        Watched lost = new Watched();
        SlotSeats t = lost.slot(1, 0);
        Decision notWritten = (Decision) lost.ledger.book(booking(1, 1, Channel.WEB));
        lost.ledger.undo(notWritten, true);
        assertEquals(0, t.remaining(Channel.WEB));
        lost.ledger.refresh(lost.durable);
        assertEquals(0, t.remaining(Channel.WEB), "a read begun before the loss proves nothing");
        lost.ledger.refreshAfterDoubt(lost.durable);
        assertEquals(1, t.remaining(Channel.WEB));
    }

    @Test
    void whileACutIsWrittenTheSlotGoesByTheTighterLimits() {
        Watched w = new Watched();
        SlotSeats s = w.slot(4, 1);
        w.ledger.narrow(List.of(1L), new SlotLimits(2, 1, 2, false));
        assertEquals(1, s.remaining(Channel.PHONE));
        assertEquals(0, s.remaining(Channel.WEB));
        assertSame(Refusal.SLOT_FULL, w.ledger.book(booking(2, 1, Channel.WEB)), "decisions go by it too");
        w.ledger.narrow(List.of(1L), new SlotLimits(4, 4, 4, true)); // a block written at the same time
        assertEquals(0, s.remaining(Channel.OPERATOR));
        w.ledger.narrowed(List.of(1L));
        assertEquals(0, s.remaining(Channel.OPERATOR), "until both are over");
        w.ledger.refresh(new SlotSnapshot(1, "center", START, START.plusSeconds(900), new SlotLimits(2, 1, 2, false), 1, 0, 0, 2));
        w.ledger.narrowed(List.of(1L));
        assertEquals(1, s.remaining(Channel.OPERATOR), "the cut as written; the block failed");
        w.ledger.narrow(List.of(1L), new SlotLimits(6, 6, 6, false));
        assertEquals(1, s.remaining(Channel.OPERATOR), "a raise shows only once written and read");
    }
}
