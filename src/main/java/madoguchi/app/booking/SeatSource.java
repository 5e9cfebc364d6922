package madoguchi.app.booking;

import io.vertx.core.Future;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Hold;
import madoguchi.domain.SlotSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads the allocator's state from the database. */
public interface SeatSource {

    /**
     * The state of these sites: slots from {@code from} on, active holds and bookings, after
     * ending the holds whose expiry passed before {@code now} (left by a run that ended).
     */
    Future<ShardState> load(Set<String> siteIds, Instant from, Instant now);

    /** Slot rows of these sites from {@code from} on, to catch up with other instances' changes. */
    Future<List<SlotSnapshot>> slots(Set<String> siteIds, Instant from);

    /** The site of a slot, whatever its date; empty when there is no such slot. */
    Future<Optional<String>> siteOfSlot(long slotId);

    Future<Optional<ActiveBooking>> activeBookingOf(long cardId);

    Future<Optional<Hold>> activeHold(UUID holdId);

    /** Reserves a block of booking ids; returns its first id. */
    Future<Long> reserveBookingIds(int blockSize);

    /**
     * Ends holds left active past their expiry by an instance that died: those that expired more
     * than {@code grace} before {@code now}. {@code now} is the service's clock, the one that set
     * the expiry, not the database's. Returns the slots changed.
     */
    Future<List<SlotSnapshot>> expireAbandonedHolds(Instant now, Duration grace);
}
