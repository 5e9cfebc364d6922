package madoguchi.domain;

/**
 * A card's booking while it is active. {@code override} bookings were forced by an operator
 * beyond capacity or into a blocked slot and are counted apart from regular seats.
 */
public record ActiveBooking(long id, String code, long cardId, long slotId, Channel channel,
                            boolean override, String reason, String bookedBy) {

    public ActiveBooking movedTo(long newSlotId, Channel byChannel) {
        return new ActiveBooking(id, code, cardId, newSlotId, byChannel, false, reason, bookedBy);
    }

    public ActiveBooking asOverride(String why) {
        return new ActiveBooking(id, code, cardId, slotId, channel, true, why, bookedBy);
    }

    SeatChange take() {
        return override ? new SeatChange(slotId, 0, 0, 1, channel) : new SeatChange(slotId, 1, 0, 0, channel);
    }

    SeatChange give() {
        return override ? new SeatChange(slotId, 0, 0, -1, channel) : new SeatChange(slotId, -1, 0, 0, channel);
    }
}
