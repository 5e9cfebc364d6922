package madoguchi.app.booking;

import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;

import java.time.Instant;
import java.util.UUID;

/**
 * The first decision on an Idempotency-Key, as kept with the seat change it made (in the same
 * commit): a hold taken or a booking as it stood. No rendering: each channel words it when it
 * answers, the first time and on every replay, in the language of the request that asks.
 *
 * @param holdId    a hold's id (null for a booking)
 * @param expiresAt when a hold ends (null for a booking)
 * @param bookingId a booking's id (null for a hold)
 * @param code      a booking's code (null for a hold)
 * @param channel   the channel the booking was made on, as written ({@code web}, …; null for a hold)
 */
public record KeptDecision(Kind kind, long slotId, UUID holdId, Instant expiresAt, Long bookingId, String code,
                           String channel, boolean override) {

    public enum Kind {
        HOLD, BOOKING;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public static KeptDecision hold(UUID holdId, long slotId, Instant expiresAt) {
        return new KeptDecision(Kind.HOLD, slotId, holdId, expiresAt, null, null, null, false);
    }

    public static KeptDecision booking(long bookingId, String code, long slotId, String channel, boolean override) {
        return new KeptDecision(Kind.BOOKING, slotId, null, null, bookingId, code, channel, override);
    }

    /** What a decision leaves to keep: the hold it took, or the booking it made, confirmed or moved. */
    public static KeptDecision of(Decision d) {
        if (d instanceof Decision.HoldTaken t) {
            Hold h = t.hold();
            return hold(h.id(), h.slotId(), h.expiresAt());
        }
        ActiveBooking b = Decision.bookingOf(d);
        return booking(b.id(), b.code(), b.slotId(), b.channel().wire(), b.override());
    }


    public boolean isHold() {
        return kind == Kind.HOLD;
    }
}
