package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shard's decisions not yet durable: batches by group, taken back by card in order, and what they may still change. */
class PendingTest {

    private static ActiveBooking booking(long id, long card, long slot) {
        return new ActiveBooking(id, "C" + id, card, slot, Channel.WEB, false, null, "r");
    }

    private static Pending.Item made(long bookingId, long card, long slot, int group) {
        SeatRequest request = new SeatRequest(new SeatCommand.Book(card, slot, Channel.WEB, "resident", false, null), null, null);
        request.group = group;
        return new Pending.Item(request, new JournalEntry(new Decision.BookingMade(booking(bookingId, card, slot)), null, null));
    }

    private static Pending.Item cancelled(long bookingId, long card, long slot) {
        SeatRequest request = new SeatRequest(new SeatCommand.Cancel(card, "C" + bookingId, "r"), null, null);
        return new Pending.Item(request, new JournalEntry(new Decision.BookingCancelled(booking(bookingId, card, slot), "r"), null, null));
    }

    private static Pending of(Pending.Item... items) {
        Pending pending = new Pending();
        for (Pending.Item item : items) {
            pending.add(item.request(), item.entry());
        }
        return pending;
    }

    @Test
    void aBatchTakesUpToItsLimitOfTheFirstGroupOnlyInOrder() {
        Pending.Item a = made(1, 1, 10, 1);
        Pending.Item b = made(2, 2, 10, 1);
        Pending.Item c = made(3, 3, 10, 2);
        Pending.Item d = made(4, 4, 10, 1);
        Pending pending = of(a, b, c, d);

        assertEquals(List.of(a), pending.startBatch(1));
        assertTrue(pending.writing());
        pending.batchAnswered();
        pending.batchSettled();
        // the first half of a failed batch is written apart from the second, even with room to spare
        assertEquals(List.of(b), pending.startBatch(10));
        pending.batchAnswered();
        pending.batchSettled();
        assertEquals(List.of(c), pending.startBatch(10));
        assertEquals(1, pending.size());
    }

    @Test
    void takingBackACardsDecisionsKeepsTheOrderOfBothTheTakenAndTheRest() {
        Pending.Item a = made(1, 1, 10, 0);
        Pending.Item b = made(2, 2, 11, 0);
        Pending.Item c = cancelled(1, 1, 10);
        Pending.Item d = made(4, 3, 12, 0);
        Pending pending = of(a, b, c, d);

        assertEquals(List.of(), pending.takeFor(Set.of()));
        assertEquals(List.of(a, c), pending.takeFor(Set.of(1L)));
        assertEquals(List.of(b, d), pending.takeAll());
        assertTrue(pending.isEmpty());
    }

    @Test
    void aDecisionPutBackFirstIsWrittenBeforeThoseQueuedSince() {
        Pending.Item a = made(1, 1, 10, 0);
        Pending.Item b = made(2, 2, 10, 0);
        Pending pending = of(b);
        pending.putBackFirst(a);
        assertEquals(List.of(a, b), pending.startBatch(10));
    }

    @Test
    void aCancelIsSeenQueuedAndWhileItsBatchIsWrittenButNotOnceAnswered() {
        Pending pending = of(cancelled(7, 1, 10));
        assertTrue(pending.cancels(7));
        assertFalse(pending.cancels(8));
        pending.startBatch(10);
        assertTrue(pending.cancels(7), "in flight");
        pending.batchAnswered();
        assertFalse(pending.cancels(7));
    }

    @Test
    void aSlotMayChangeWhileAnyBatchIsWrittenOrWhenAQueuedDecisionTouchesIt() {
        Pending pending = of(made(1, 1, 10, 0));
        assertTrue(pending.mayChange(10));
        assertFalse(pending.mayChange(11));
        pending.startBatch(10);
        assertTrue(pending.mayChange(11), "a batch in flight may hold any slot's seats");
        pending.batchAnswered();
        pending.batchSettled();
        assertFalse(pending.mayChange(10));
    }
}
