package madoguchi.app.booking;

import madoguchi.domain.Channel;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What a caller asks the allocator to do with seats: named, immutable, decided by the shard that
 * owns the card's site (see {@link Decide}) and made durable by its journal before anyone is told.
 */
public sealed interface SeatCommand {

    /** The card the command acts for. */
    long cardId();

    /** A seat held for {@code holdFor}, from the moment the shard decides. */
    record TakeHold(long cardId, long slotId, Channel channel, Duration holdFor) implements SeatCommand {
    }

    /** A seat offered from the waitlist, held until {@code expiresAt}; the card may keep a later booking meanwhile. */
    record HoldOffer(long cardId, long slotId, Channel channel, Instant expiresAt) implements SeatCommand {
    }

    /** The held seat becomes a booking. */
    record Confirm(long cardId, UUID holdId, String bookedBy) implements SeatCommand {
    }

    /** An offered seat taken: a new booking, or the card's booking moved into it. */
    record TakeOffer(long cardId, UUID holdId, String bookedBy) implements SeatCommand {
    }

    /** The hold ends without a booking. */
    record Release(long cardId, UUID holdId) implements SeatCommand {
    }

    /** A booking at once; {@code override} (operators) books beyond capacity or into a blocked slot. */
    record Book(long cardId, long slotId, Channel channel, String bookedBy, boolean override, String reason)
            implements SeatCommand {
    }

    record Cancel(long cardId, String code, String reason) implements SeatCommand {
    }

    /** The booking moves to another slot of the site, in one decision. */
    record Reschedule(long cardId, String code, long slotId, Channel channel, boolean override, String reason)
            implements SeatCommand {
    }

    /** The shard's own sweep: the hold's time is up. */
    record Expire(long cardId, UUID holdId) implements SeatCommand {
    }

    /** The hold this command is about, or null: looked up in the database when memory lacks it. */
    default UUID holdId() {
        return null;
    }

    /** True when the command works on the card's active booking (cancel, reschedule). */
    default boolean needsBooking() {
        return this instanceof Cancel || this instanceof Reschedule;
    }
}
