package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Hold;
import madoguchi.domain.SlotSnapshot;

import java.util.List;

/** What a shard loads from the database at start: its sites' slots, active holds and bookings. */
public record ShardState(List<SlotSnapshot> slots, List<Hold> holds, List<ActiveBooking> bookings) {
}
