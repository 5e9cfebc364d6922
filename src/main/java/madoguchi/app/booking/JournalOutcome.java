package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.SlotSnapshot;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What became of a batch. Either everything committed ({@link #committed()}), or nothing did:
 * then {@code rejected} says which entries the database refused and why, {@code fullSlots} which
 * slots had fewer seats than the shard believed (another instance took them). {@code snapshots}
 * are the database's current rows of the slots the batch touched. {@code retry} entries were
 * decided on a hold the database had already ended, or on a booking that changed elsewhere
 * ({@code current} then has the booking as the database holds it): they are decided again.
 */
public record JournalOutcome(List<SlotSnapshot> snapshots, Map<Integer, Rejection> rejected, Set<Long> fullSlots,
                             Set<Integer> retry, Map<Integer, ActiveBooking> current) {

    public boolean committed() {
        return rejected.isEmpty() && fullSlots.isEmpty() && retry.isEmpty();
    }

    public static JournalOutcome committed(List<SlotSnapshot> snapshots) {
        return new JournalOutcome(snapshots, Map.of(), Set.of(), Set.of(), Map.of());
    }
}
