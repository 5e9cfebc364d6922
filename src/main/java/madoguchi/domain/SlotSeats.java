package madoguchi.domain;

import java.time.Instant;

/**
 * One slot's seats as its shard sees them: the counts last read from the database (ordered by
 * {@code version}) plus the changes decided here and not yet committed. Only the owning shard
 * writes; other threads may read {@link #remaining} and {@link #limits} for availability.
 */
public final class SlotSeats {
    private final long id;
    private final String siteId;
    private final Instant start;
    private final Instant end;

    private volatile SlotLimits limits;
    private int booked;
    private int held;
    private int override;
    private long version;
    private int pendingBooked;
    private int pendingHeld;
    private int pendingOverride;
    /** booked + held including pending changes, published for readers on other threads. */
    private volatile int taken;

    public SlotSeats(SlotSnapshot s) {
        this.id = s.id();
        this.siteId = s.siteId();
        this.start = s.start();
        this.end = s.end();
        this.version = Long.MIN_VALUE;
        adopt(s);
    }

    public long id() {
        return id;
    }

    public String siteId() {
        return siteId;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public SlotLimits limits() {
        return limits;
    }

    public long version() {
        return version;
    }

    public int taken() {
        return taken;
    }

    public int booked() {
        return booked + pendingBooked;
    }

    public int held() {
        return held + pendingHeld;
    }

    public int override() {
        return override + pendingOverride;
    }

    public boolean hasPending() {
        return pendingBooked != 0 || pendingHeld != 0 || pendingOverride != 0;
    }

    /** Seats a channel may still book; a blocked slot has none. Safe to call from any thread. */
    public int remaining(Channel channel) {
        SlotLimits l = limits;
        return l.blocked() ? 0 : Math.max(0, l.limit(channel) - taken);
    }

    /** Null when the change fits, else why not. */
    Refusal admit(SeatChange change) {
        if (!change.needsRoom()) {
            return null;
        }
        SlotLimits l = limits;
        if (l.blocked()) {
            return Refusal.SLOT_BLOCKED;
        }
        return taken + change.taken() > l.limit(change.channel()) ? Refusal.SLOT_FULL : null;
    }

    void apply(SeatChange c) {
        pendingBooked += c.booked();
        pendingHeld += c.held();
        pendingOverride += c.override();
        publish();
    }

    void undo(SeatChange c) {
        pendingBooked -= c.booked();
        pendingHeld -= c.held();
        pendingOverride -= c.override();
        publish();
    }

    /** The change is durable: it now lives in the committed counts (adopted from the database). */
    void settle(SeatChange c) {
        undo(c);
    }

    /** Takes the database's values when they are newer than what this shard last saw. */
    boolean adopt(SlotSnapshot s) {
        if (s.version() <= version) {
            return false;
        }
        limits = s.limits();
        booked = s.booked();
        held = s.held();
        override = s.override();
        version = s.version();
        publish();
        return true;
    }

    private void publish() {
        taken = booked + held + pendingBooked + pendingHeld;
    }
}
