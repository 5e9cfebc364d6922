package madoguchi.app.staff;

import madoguchi.app.verification.AddressKey;
import madoguchi.app.limits.AttemptLimiter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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
 * sent at the same moment cannot pass a limit together. Counts live in this instance's memory.
 */
public final class SignInLimits {
    public static final int FREE_FAILURES = 3;
    public static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    public static final int FAILURES_PER_ADDRESS = 30;
    public static final Duration ADDRESS_WINDOW = Duration.ofMinutes(15);
    /** Two hashes at a time keep the other cores (event loops, allocator) free on a small machine. */
    public static final int HASHING = 2;

    private final Clock clock;
    private final Semaphore hashing;
    private final AttemptLimiter perAddress;
    private final Cache<String, Failures> perNameAndAddress;

    /** Failures of one (name, address) pair; replaced, never changed, so that it can be compared and swapped. */
    private record Failures(int count, Instant last) {
        Instant nextTry() {
            if (count < FREE_FAILURES) {
                return Instant.MIN;
            }
            int doublings = Math.min(count - FREE_FAILURES, 20);
            Duration wait = Duration.ofSeconds(1L << doublings);
            return last.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
        }
    }

    public SignInLimits(Clock clock) {
        this(clock, HASHING);
    }

    SignInLimits(Clock clock, int hashing) {
        this.clock = clock;
        this.hashing = new Semaphore(hashing);
        this.perAddress = new AttemptLimiter(FAILURES_PER_ADDRESS, ADDRESS_WINDOW, clock);
        this.perNameAndAddress = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(Duration.ofHours(1)).build();
    }

    /** A sign-in by {@code name} from {@code hostAddress}: refused, or admitted to have its password checked. */
    public Attempt begin(String name, String hostAddress) {
        Instant now = clock.instant();
        if (!hashing.tryAcquire()) {
            return new Attempt(null, null, null, now.plusSeconds(1), true);
        }
        String address = AddressKey.of(hostAddress);
        String pair = "name:" + name + "|" + address;
        Instant[] refused = new Instant[1];
        perNameAndAddress.asMap().compute(pair, (k, old) -> {
            Failures f = old == null ? new Failures(0, now) : old;
            if (now.isBefore(f.nextTry())) {
                refused[0] = f.nextTry();
                return old;
            }
            return new Failures(f.count() + 1, now);
        });
        if (refused[0] != null) {
            hashing.release();
            return new Attempt(null, null, null, refused[0], false);
        }
        AttemptLimiter.Reservation byAddress = perAddress.reserve(address);
        if (byAddress.refusedUntil() != null) {
            uncount(pair);
            hashing.release();
            return new Attempt(null, null, null, byAddress.refusedUntil(), false);
        }
        return new Attempt(this, pair, byAddress, null, false);
    }

    private void uncount(String pair) {
        perNameAndAddress.asMap().computeIfPresent(pair, (k, f) -> f.count() <= 1 ? null : new Failures(f.count() - 1, f.last()));
    }

    /** One sign-in: ended once by {@link #failed()}, {@link #succeeded()} or {@link #abandoned()}. */
    public static final class Attempt {
        private final SignInLimits limits;
        private final String pair;
        private final AttemptLimiter.Reservation byAddress;
        private final Instant refusedUntil;
        private final boolean busy;
        private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

        private Attempt(SignInLimits limits, String pair, AttemptLimiter.Reservation byAddress, Instant refusedUntil, boolean busy) {
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
                limits.perNameAndAddress.invalidate(pair);
                byAddress.giveBack();
            }
        }

        /** The password could not be checked (e.g. the database was unreachable): nothing is counted. */
        public void abandoned() {
            if (end()) {
                limits.uncount(pair);
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
