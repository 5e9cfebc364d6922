package madoguchi.store;

import madoguchi.domain.SlotSnapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What each statement of a batch reported back: the rows it changed. */
final class BatchResults {
    final Set<UUID> endedHolds = new HashSet<>();
    final Set<Long> endedBookings = new HashSet<>();
    final Set<Long> newBookings = new HashSet<>();
    final Set<UUID> newHolds = new HashSet<>();
    final Set<Long> changedSlots = new HashSet<>();
    final Set<String> keys = new HashSet<>();
    final List<SlotSnapshot> snapshots = new ArrayList<>();
    /** Whether the seat change ran at all (the slow path runs it only once every row change happened). */
    boolean slotsTried;
}
