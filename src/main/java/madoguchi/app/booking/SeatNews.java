package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;

import java.util.Optional;

/**
 * What a caller tells the allocator of a booking its own transaction already changed (the card
 * issued, a no-show, a capacity cut), or asks it about a card: named and immutable, carried out
 * on the shard's thread. No caller ever touches the shard's ledger itself.
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

    /** The card's active booking, as the shard knows it. */
    record BookingOf(long cardId) implements SeatNews<Optional<ActiveBooking>> {
    }
}
