package madoguchi.app.verification;

import io.vertx.core.Future;
import madoguchi.app.limits.AttemptLimiter;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.FailureTally;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The service-wide budget of failed verifications (web and phone, every source): someone guessing
 * birth dates from many addresses, one guess per notice number, passes every per-address and
 * per-notice limit, but not this one. While more than the budget failed within the sliding
 * window, the brake is on: every source (a client address or /64, a calling number) may try once
 * per {@link #PAUSE}, then hears until when it must wait.
 *
 * <p>Why a pace and not a lock: a lock of everybody would let anyone with a few dozen addresses
 * shut verification for the whole city for as long as they keep failing. With a pace per source,
 * the honest resident on their own address still gets a try every {@link #PAUSE} whatever the
 * attacker does, while the attacker's many sources are cut to one guess each per pause; the brake
 * lifts by itself once the failures within the window fall below the budget.
 *
 * <p>The default budget ({@code MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES}, 200): the surge this
 * service is built for had 78,141 applications in a month, about 2,600 a day, at most a few
 * thousand verifications on a surge day; even if its busiest hour saw 2,000 verifications and one
 * in five failed (a mistyped date), that is about 70 failures in 10 minutes. 200 is three times
 * that, and far below the attack seen (1,160 failures in 4 seconds).
 *
 * <p>Several instances: each keeps its own failures exactly (the brake goes on here at once) and,
 * with a {@link FailureTally}, adds them every {@link #SYNC} to the failures of every instance
 * (by the minute); the brake is also on while those reach the budget. So failures spread over
 * instances put the brake on everywhere within a {@link #SYNC} or two; the pace per source is
 * counted where every instance sees it.
 */
public final class VerificationBrake {
    /** How often each source may try while the brake is on. */
    public static final Duration PAUSE = Duration.ofSeconds(30);
    public static final Duration WINDOW = Duration.ofMinutes(10);
    /** How often {@link #sync} is meant to run (Jobs): the delay before another instance's failures count here. */
    public static final Duration SYNC = Duration.ofSeconds(1);

    private final int budget;
    private final Clock clock;
    // the last `budget` failures here, oldest first: the brake is on while the oldest is within the window
    private final ArrayDeque<Instant> lastFailures;
    private final Attempts paced;
    private final FailureTally tally;
    // failures here not yet added to the tally, those being added, and every instance's as last read
    private int unsent;
    private int sending;
    private long everywhere;

    /** One instance: failures and paces in memory. */
    public VerificationBrake(int budget, Clock clock) {
        this(budget, clock, new AttemptLimiter(1, PAUSE, clock), null);
    }

    /** {@code paced}: one try per {@link #PAUSE} per source; {@code tally}: every instance's failures, or null for this one's only. */
    public VerificationBrake(int budget, Clock clock, Attempts paced, FailureTally tally) {
        this.budget = budget;
        this.clock = clock;
        this.lastFailures = new ArrayDeque<>(Math.min(budget, 100_000));
        this.paced = paced;
        this.tally = tally;
    }

    /** Counts one failed verification. */
    public synchronized void failed() {
        if (lastFailures.size() == budget) {
            lastFailures.pollFirst();
        }
        lastFailures.addLast(clock.instant());
        if (tally != null) {
            unsent++;
        }
    }

    /** True while the failures within the window reached the budget, here or (as last synced) on every instance together. */
    public synchronized boolean on() {
        boolean here = lastFailures.size() == budget && lastFailures.peekFirst().isAfter(clock.instant().minus(WINDOW));
        return here || tally != null && everywhere + sending + unsent >= budget;
    }

    /**
     * Null when the source may try now (while the brake is on, this counts its one try of the
     * pause); else until when it must wait.
     */
    public Future<Instant> admit(String source) {
        return on() ? paced.tryAcquire(source) : Future.succeededFuture();
    }

    /** Adds this instance's failures to the tally and reads every instance's (nothing without a tally). */
    public Future<Void> sync() {
        if (tally == null) {
            return Future.succeededFuture();
        }
        int batch;
        synchronized (this) {
            batch = unsent;
            unsent = 0;
            sending += batch;
        }
        return tally.add(batch, clock.instant(), WINDOW).andThen(done -> {
            synchronized (this) {
                sending -= batch;
                if (done.succeeded()) {
                    everywhere = done.result();
                } else {
                    // sent again at the next turn
                    unsent += batch;
                }
            }
        }).mapEmpty();
    }
}
