package madoguchi.domain;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * One slot's seats as its shard sees them: the counts last read from the database (ordered by
 * {@code version}) plus the changes decided here and not yet committed. Only the owning shard
 * writes; other threads may read {@link #remaining}, {@link #limits} and {@link #taken}.
 *
 * <p>Readers on other threads are never shown more free seats than the database holds durably:
 * a seat a pending decision takes counts at once, but a seat a pending decision gives back
 * (a release, a cancel, a move away) counts as free only once that decision is durable; a commit
 * whose answer was lost keeps its seats counted until the slot is read again; and limits an
 * administrator is about to lower count lowered from before the change is committed
 * ({@link #narrow}). The shard itself decides on its own count, which does reuse a seat given back
 * in a batch still being written (the database applies the batch in order).
 */
public final class SlotSeats {
    private static final Consumer<SlotSeats> NOBODY = s -> { };

    private final long id;
    private final String siteId;
    private final Instant start;
    private final Instant end;
    private final Consumer<SlotSeats> watcher;

    private SlotLimits limits;
    /** Limits being committed by an administrator's change, or null; the tighter of both holds meanwhile. */
    private SlotLimits coming;
    private int changesComing;
    private int booked;
    private int held;
    private int override;
    private long version;
    private int pendingBooked;
    private int pendingHeld;
    private int pendingOverride;
    /** Seats that pending decisions give back: free for readers only once those decisions are durable. */
    private int pendingFreed;
    /** Seats taken by writes whose fate is unknown (the connection was lost): counted until the slot is read again. */
    private int inDoubt;
    /** booked + held including pending changes: what the shard decides on. */
    private int deciding;
    /** What readers on other threads are shown, published together in one write. */
    private volatile Shown shown;

    /** The limits readers see and the seats they see taken. */
    private record Shown(SlotLimits limits, int taken) {
    }

    public SlotSeats(SlotSnapshot s) {
        this(s, NOBODY);
    }

    /** {@code watcher} is told, on the shard's thread, each time readers are shown new seats (tests watch it). */
    SlotSeats(SlotSnapshot s, Consumer<SlotSeats> watcher) {
        this.id = s.id();
        this.siteId = s.siteId();
        this.start = s.start();
        this.end = s.end();
        this.watcher = watcher;
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

    /** The limits readers go by: while an administrator's change is being committed, the tighter of before and after. */
    public SlotLimits limits() {
        return shown.limits();
    }

    public long version() {
        return version;
    }

    /** Seats taken as readers are shown them (booked + held; never fewer than are durably taken). */
    public int taken() {
        return shown.taken();
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
        Shown s = shown;
        return s.limits().blocked() ? 0 : Math.max(0, s.limits().limit(channel) - s.taken());
    }

    /** Null when the change fits, else why not. */
    Refusal admit(SeatChange change) {
        if (!change.needsRoom()) {
            return null;
        }
        SlotLimits l = shown.limits();
        if (l.blocked()) {
            return Refusal.SLOT_BLOCKED;
        }
        return deciding + change.taken() > l.limit(change.channel()) ? Refusal.SLOT_FULL : null;
    }

    void apply(SeatChange c) {
        pend(c, 1);
        publish();
    }

    /** The change will not be durable: it never happened. */
    void undo(SeatChange c) {
        pend(c, -1);
        publish();
    }

    /**
     * The change's fate is unknown (the write lost its connection, it may have committed): it is
     * no longer pending, but the seats it took stay counted for readers until the slot is read
     * again from the database.
     */
    void doubt(SeatChange c) {
        pend(c, -1);
        inDoubt += Math.max(0, c.taken());
        publish();
    }

    /**
     * The change is durable: it moves from pending into the committed counts, which become
     * {@code row} (the slot as the commit left it) when that is newer than what this shard last
     * saw; a row no newer was read after the commit and counts the change already. Readers see
     * one publication: the seats move from pending to committed without ever looking free.
     */
    void settle(SeatChange c, SlotSnapshot row) {
        pend(c, -1);
        if (row == null) {
            booked += c.booked();
            held += c.held();
            override += c.override();
        } else if (row.version() > version) {
            take(row);
        }
        publish();
    }

    /** Takes the database's values when they are newer than what this shard last saw. */
    boolean adopt(SlotSnapshot s) {
        if (s.version() <= version) {
            return false;
        }
        take(s);
        publish();
        return true;
    }

    /** A read begun after the writes in doubt were reported lost found the row unchanged: they did not commit. */
    void clearDoubt() {
        if (inDoubt != 0) {
            inDoubt = 0;
            publish();
        }
    }

    /**
     * An administrator is about to give the slot these limits (the change is being committed):
     * until {@link #narrowed} says it is over, readers and decisions go by the tighter of the
     * limits known and these, so that nobody is offered a seat the change is taking away.
     */
    void narrow(SlotLimits next) {
        coming = coming == null ? next : tighter(coming, next);
        changesComing++;
        publish();
    }

    /** An administrator's change announced by {@link #narrow} is committed (and read) or failed. */
    void narrowed() {
        if (changesComing > 0 && --changesComing == 0) {
            coming = null;
        }
        publish();
    }

    private void take(SlotSnapshot s) {
        limits = s.limits();
        booked = s.booked();
        held = s.held();
        override = s.override();
        version = s.version();
        inDoubt = 0; // the row says what was written
    }

    private void pend(SeatChange c, int sign) {
        pendingBooked += sign * c.booked();
        pendingHeld += sign * c.held();
        pendingOverride += sign * c.override();
        pendingFreed += sign * Math.max(0, -c.taken());
    }

    private void publish() {
        deciding = booked + held + pendingBooked + pendingHeld;
        shown = new Shown(coming == null ? limits : tighter(limits, coming), deciding + pendingFreed + inDoubt);
        watcher.accept(this);
    }

    private static SlotLimits tighter(SlotLimits a, SlotLimits b) {
        int capacity = Math.min(a.capacity(), b.capacity());
        int phone = Math.min(capacity, Math.min(a.quotaPhone(), b.quotaPhone()));
        int web = Math.min(phone, Math.min(a.quotaWeb(), b.quotaWeb()));
        return new SlotLimits(capacity, web, phone, a.blocked() || b.blocked());
    }
}
