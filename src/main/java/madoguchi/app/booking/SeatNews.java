package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.SlotLimits;

import java.util.Optional;
import java.util.Set;

/**
 * What a caller tells the allocator of a booking its own transaction already changed (the card
 * issued, a no-show, a capacity cut) or of limits its transaction is about to change, or asks it
 * about a card: named and immutable, carried out on the shard's thread. No caller ever touches
 * the shard's ledger itself. PostgreSQL arbitrates every seat meanwhile (see docs/architecture.md,
 * "Changes written outside the journal").
 */
public sealed interface SeatNews<T> {

    /**
     * The booking ended without giving its seat back (issued at the counter, or a no-show): the
     * card may book again. Answers whether memory knew that booking.
     */
    record BookingEnded(long cardId, String code) implements SeatNews<Boolean> {
    }

    /**
     * A capacity cut displaced the booking (its SQL committed): {@code cancelled}, or kept as an
     * override. Answers whether memory knew that booking.
     */
    record BookingDisplaced(long cardId, String code, boolean cancelled) implements SeatNews<Boolean> {
    }

    /**
     * An administrator's change about to be committed gives these slots {@code next} (a cut, a
     * block, a closure; a raise too, which changes nothing yet): until {@link LimitsSettled}, they
     * go by the tighter of their limits and these, for readers and decisions alike, so that nobody
     * is offered a seat the change takes away while it is being written.
     */
    record LimitsComing(Set<Long> slotIds, SlotLimits next) implements SeatNews<Boolean> {
    }

    /** The change announced by {@link LimitsComing} is over: committed and read again, or failed. */
    record LimitsSettled(Set<Long> slotIds) implements SeatNews<Boolean> {
    }

    /** The card's active booking, as the shard knows it. */
    record BookingOf(long cardId) implements SeatNews<Optional<ActiveBooking>> {
    }
}
