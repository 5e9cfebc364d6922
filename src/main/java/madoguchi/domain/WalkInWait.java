package madoguchi.domain;

import java.time.Duration;

/**
 * The expected wait at a walk-in site: the people ahead, served by the counters calling today, at
 * the pace they served so far (a default pace before the first few are served).
 */
public final class WalkInWait {
    /** The pace assumed before a site has served enough people to measure its own. */
    public static final Duration DEFAULT_PER_RESIDENT = Duration.ofMinutes(6);
    /** How many served residents a measured pace needs before it replaces the default. */
    public static final int MEASURED_AFTER = 5;

    private WalkInWait() {
    }

    /**
     * Minutes until a resident with {@code ahead} people before them is called.
     *
     * @param served       residents served today
     * @param servedTime   the time their service took in all (from call to hand-over)
     * @param counters     counters that called someone in the last half hour (at least one is assumed)
     */
    public static long minutes(int ahead, int served, Duration servedTime, int counters) {
        Duration each = served >= MEASURED_AFTER ? servedTime.dividedBy(served) : DEFAULT_PER_RESIDENT;
        long seconds = each.getSeconds() * ahead / Math.max(1, counters);
        return (seconds + 59) / 60;
    }
}
