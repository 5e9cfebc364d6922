package madoguchi.store;

import madoguchi.domain.SeatChange;

/**
 * One slot's share of a batch: the summed changes, and for each channel the most seats the
 * batch has added (counting its own earlier changes) at the moment that channel takes one.
 */
final class SlotNeeds {
    /** Stands for "this channel takes no seat in the batch": the quota condition is then always true. */
    static final int NO_NEED = -1_000_000_000;

    final long slotId;
    int booked;
    int held;
    int override;
    private int prefix;
    boolean needsOpen;
    final int[] need = {NO_NEED, NO_NEED, NO_NEED};

    SlotNeeds(long slotId) {
        this.slotId = slotId;
    }

    void add(SeatChange c) {
        booked += c.booked();
        held += c.held();
        override += c.override();
        prefix += c.taken();
        if (c.needsRoom()) {
            int i = c.channel().ordinal();
            need[i] = Math.max(need[i], prefix);
            needsOpen = true;
        }
    }
}
