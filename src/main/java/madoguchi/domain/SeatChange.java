package madoguchi.domain;

/**
 * What one decision does to one slot's counts. {@code taken()} (booked + held) is what channel
 * quotas and capacity limit; overrides are counted apart and never limited.
 */
public record SeatChange(long slotId, int booked, int held, int override, Channel channel) {

    public int taken() {
        return booked + held;
    }

    /** True when the change needs a free seat within the channel's limit and an unblocked slot. */
    public boolean needsRoom() {
        return taken() > 0;
    }
}
