package madoguchi.domain;

import java.util.List;

/**
 * A change the seat ledger has accepted in memory and that must become durable before anyone
 * is told. Each kind says which seats it moves; the journal turns it into rows.
 */
public sealed interface Decision extends Verdict {

    List<SeatChange> changes();

    /** The booking a decision made, confirmed, moved or cancelled. */
    static ActiveBooking bookingOf(Decision d) {
        if (d instanceof BookingMade m) {
            return m.booking();
        }
        if (d instanceof HoldConfirmed c) {
            return c.booking();
        }
        if (d instanceof BookingMoved m) {
            return m.to();
        }
        if (d instanceof HoldMovedInto m) {
            return m.to();
        }
        if (d instanceof BookingCancelled c) {
            return c.booking();
        }
        throw new IllegalArgumentException("no booking in " + d);
    }

    /**
     * A seat is held for a card; a hold the card had before (if any) is released with it.
     * {@code forMove}: a waitlist offer to a card that may keep its booking until it accepts.
     */
    record HoldTaken(Hold hold, Hold replaced, boolean forMove) implements Decision {
        public HoldTaken(Hold hold, Hold replaced) {
            this(hold, replaced, false);
        }

        public List<SeatChange> changes() {
            SeatChange take = new SeatChange(hold.slotId(), 0, 1, 0, hold.channel());
            return replaced == null ? List.of(take)
                    : List.of(new SeatChange(replaced.slotId(), 0, -1, 0, replaced.channel()), take);
        }
    }

    /**
     * A seat offered to a waitlisted resident who already has a later booking: the held seat
     * becomes that booking and its old seat is given back, in one durable step, so the held
     * seat is never open to others in between and the resident never has two bookings.
     * The booking keeps its id and code, as a reschedule does.
     */
    record HoldMovedInto(Hold hold, ActiveBooking from, ActiveBooking to) implements Decision {
        public List<SeatChange> changes() {
            return List.of(new SeatChange(hold.slotId(), 1, -1, 0, hold.channel()), from.give());
        }
    }

    /** A hold ends without a booking: released by the resident, expired, or the call hung up. */
    record HoldReleased(Hold hold, HoldEnd end) implements Decision {
        public List<SeatChange> changes() {
            return List.of(new SeatChange(hold.slotId(), 0, -1, 0, hold.channel()));
        }
    }

    /** The held seat becomes a booking; the slot's taken count does not change. */
    record HoldConfirmed(Hold hold, ActiveBooking booking) implements Decision {
        public List<SeatChange> changes() {
            return List.of(new SeatChange(hold.slotId(), 1, -1, 0, hold.channel()));
        }
    }

    record BookingMade(ActiveBooking booking) implements Decision {
        public List<SeatChange> changes() {
            return List.of(booking.take());
        }
    }

    record BookingCancelled(ActiveBooking booking, String reason) implements Decision {
        public List<SeatChange> changes() {
            return List.of(booking.give());
        }
    }

    /** Reschedule: the new seat is taken in the same durable step that gives the old one back. */
    record BookingMoved(ActiveBooking from, ActiveBooking to) implements Decision {
        public List<SeatChange> changes() {
            return List.of(to.take(), from.give());
        }
    }

    enum HoldEnd {
        RELEASED("released"), EXPIRED("expired");

        private final String status;

        HoldEnd(String status) {
            this.status = status;
        }

        public String status() {
            return status;
        }
    }
}
