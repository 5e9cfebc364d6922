package madoguchi.app.staff;

import madoguchi.app.verification.AddressKey;
import madoguchi.app.limits.AttemptLimiter;

import io.vertx.core.Future;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Backoffs;
import madoguchi.app.limits.LocalBackoffs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * Limits on console sign-in that a stranger cannot turn against the real user. There is no lock of
 * a user name: a lock by name alone would let anyone who knows a name (an administrator's) keep
 * them out. Instead:
 * <ul>
 * <li>per user name <em>and</em> client address: {@link #FREE_FAILURES} failures are free, then
 * each further try waits twice as long as the one before (1 s, 2 s, 4 s … up to
 * {@link #LONGEST_WAIT}) from the last failure; forgotten after a success or an hour without one;
 * <li>per client address (IPv6 by /64): {@link #FAILURES_PER_ADDRESS} failures in
 * {@link #ADDRESS_WINDOW}, whatever the names, then none until that window is over;
 * <li>at most {@link #HASHING} passwords are hashed at a time (PBKDF2 takes a good fraction of a
 * second of one core): one more is refused at once ({@code refusedUntil} one second on) instead of
 * queueing behind the others until the request deadline.
 * </ul>
 * The real user signing in from their own address has a fresh count whatever a stranger did from
 * theirs. A failure is counted before the password is hashed (given back on success), so that tries
 * sent at the same moment cannot pass a limit together. Counts live in this instance's memory or,
 * shared by every instance, in PostgreSQL (a limit reached on one holds on all).
 */
public final class SignInLimits {
    public static final int FREE_FAILURES = 3;
    public static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    public static final int FAILURES_PER_ADDRESS = 30;
    public static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
    /** Two hashes at a time keep the other cores (event loops, allocator) free on a small machine. */
    public static final int HASHING = 2;

    /** The rule per user name and client address. */
    public static final Backoffs.Rule PAIR_RULE = new Backoffs.Rule(FREE_FAILURES, LONGEST_WAIT, Duration.ofHours(1));

    private final Clock clock;
    private final Semaphore hashing;
    private final Attempts perAddress;
    private final Backoffs perNameAndAddress;

    /** Counts in this instance's memory. */
    public SignInLimits(Clock clock) {
        this(clock, HASHING);
    }

    SignInLimits(Clock clock, int hashing) {
        this(clock, hashing, new AttemptLimiter(FAILURES_PER_ADDRESS, ADDRESS_WINDOW, clock), new LocalBackoffs(PAIR_RULE, clock));
    }

    /**
     * Counts where {@code perAddress} ({@link #FAILURES_PER_ADDRESS} in {@link #ADDRESS_WINDOW})
     * and {@code perNameAndAddress} ({@link #PAIR_RULE}) count: shared by every instance, or not.
     * The hashing places are always this instance's: they spare its own cores.
     */
    public SignInLimits(Clock clock, Attempts perAddress, Backoffs perNameAndAddress) {
        this(clock, HASHING, perAddress, perNameAndAddress);
    }

    private SignInLimits(Clock clock, int hashing, Attempts perAddress, Backoffs perNameAndAddress) {
        this.clock = clock;
        this.hashing = new Semaphore(hashing);
        this.perAddress = perAddress;
        this.perNameAndAddress = perNameAndAddress;
    }

    /**
     * A sign-in by {@code name} from {@code hostAddress}: refused, or admitted to have its password
     * checked. Failed when the counts could not be read (the console cannot sign in without its
     * database anyway): nothing is counted then.
     */
    public Future<Attempt> begin(String name, String hostAddress) {
        Instant now = clock.instant();
        if (!hashing.tryAcquire()) {
            return Future.succeededFuture(new Attempt(null, null, null, now.plusSeconds(1), true));
        }
        String address = AddressKey.of(hostAddress);
        String pair = "name:" + name + "|" + address;
        return perNameAndAddress.begin(pair).compose(waitUntil -> {
            if (waitUntil != null) {
                hashing.release();
                return Future.succeededFuture(new Attempt(null, null, null, waitUntil, false));
            }
            return perAddress.reserve(address).compose(byAddress -> {
                if (byAddress.refusedUntil() != null) {
                    perNameAndAddress.uncount(pair);
                    hashing.release();
                    return Future.succeededFuture(new Attempt(null, null, null, byAddress.refusedUntil(), false));
                }
                return Future.succeededFuture(new Attempt(this, pair, byAddress, null, false));
            }, e -> {
                perNameAndAddress.uncount(pair);
                hashing.release();
                return Future.failedFuture(e);
            });
        }, e -> {
            hashing.release();
            return Future.failedFuture(e);
        });
    }

    /** One sign-in: ended once by {@link #failed()}, {@link #succeeded()} or {@link #abandoned()}. */
    public static final class Attempt {
        private final SignInLimits limits;
        private final String pair;
        private final Attempts.Reservation byAddress;
        private final Instant refusedUntil;
        private final boolean busy;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        private Attempt(SignInLimits limits, String pair, Attempts.Reservation byAddress, Instant refusedUntil, boolean busy) {
            this.limits = limits;
            this.pair = pair;
            this.byAddress = byAddress;
            this.refusedUntil = refusedUntil;
            this.busy = busy;
        }

        /** Null when the password may be checked now; else until when to wait. */
        public Instant refusedUntil() {
            return refusedUntil;
        }

        /** True when refused only because enough passwords are being hashed right now (not a failure of anyone). */
        public boolean busy() {
            return busy;
        }

        /** The password was wrong (or the name unknown): the failure stays counted. */
        public void failed() {
            end();
        }

        /** Signed in: the pair's failures are forgotten and this try does not count against the address. */
        public void succeeded() {
            if (end()) {
                limits.perNameAndAddress.forget(pair);
                byAddress.giveBack();
            }
        }

        /** The password could not be checked (e.g. the database was unreachable): nothing is counted. */
        public void abandoned() {
            if (end()) {
                limits.perNameAndAddress.uncount(pair);
                byAddress.giveBack();
            }
        }

        private boolean end() {
            if (limits == null || !ended.compareAndSet(false, true)) {
                return false;
            }
            limits.hashing.release();
            return true;
        }
    }
}
