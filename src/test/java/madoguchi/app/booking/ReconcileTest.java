package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pure step after a write: what each entry of a batch gets from the journal's answer. */
class ReconcileTest {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    private static ActiveBooking booking(long id, long card, long slot) {
        return new ActiveBooking(id, "C" + id, card, slot, Channel.WEB, false, null, "r");
    }

    private static JournalEntry entry(Decision d) {
        return new JournalEntry(d, null, null);
    }

    @Test
    void aCommittedBatchIsDoneForEveryone() {
        Decision made = new Decision.BookingMade(booking(1, 1, 1));
        assertEquals(List.of(new Reconcile.Fate.Done(made)),
                Reconcile.of(List.of(entry(made)), JournalOutcome.committed(List.of())));
    }

    @Test
    void aRefusalAFullSlotAChangedBookingAndAnEndedReplacedHoldEachGetTheirOwnFateAndTheRestIsKept() {
        Hold old = new Hold(UUID.randomUUID(), 4, 3, Channel.WEB, AT);
        List<JournalEntry> batch = List.of(
                entry(new Decision.BookingMade(booking(1, 1, 1))),                      // refused: already booked
                entry(new Decision.BookingMade(booking(2, 2, 2))),                      // slot 2 was full
                entry(new Decision.BookingCancelled(booking(3, 3, 3), "x")),            // moved elsewhere meanwhile
                entry(new Decision.HoldTaken(new Hold(UUID.randomUUID(), 4, 3, Channel.WEB, AT), old)), // old hold ended
                entry(new Decision.BookingMade(booking(5, 5, 3))));                     // blameless
        ActiveBooking moved = booking(3, 3, 1);
        Rejection already = new Rejection(Refusal.ALREADY_BOOKED, booking(9, 1, 1), null);
        JournalOutcome outcome = new JournalOutcome(List.of(), Map.of(0, already), Set.of(2L), Set.of(2, 3), Map.of(2, moved));

        assertEquals(List.of(new Reconcile.Fate.Refused(already), new Reconcile.Fate.Again(null, false),
                new Reconcile.Fate.Again(moved, false), new Reconcile.Fate.Again(null, true), new Reconcile.Fate.Keep()),
                Reconcile.of(batch, outcome));
    }
}
