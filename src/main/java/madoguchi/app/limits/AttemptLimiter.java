package madoguchi.app.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts attempts per key (a client address, a notice number, a calling number) in fixed
 * windows, so that a birth date cannot be found by trying. Counts live in this instance.
 */
public final class AttemptLimiter {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Window> windows;

    private static final class Window {
        final Instant start;
        final AtomicInteger used = new AtomicInteger();

        Window(Instant start) {
            this.start = start;
        }
    }

    public AttemptLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(window.multipliedBy(2)).build();
    }

    /** True when the key has used up its window (without counting an attempt). */
    public boolean isLocked(String key) {
        return lockedUntil(key) != null;
    }

    /** When the key may try again, or null when it may now. */
    public Instant lockedUntil(String key) {
        Window w = windows.getIfPresent(key);
        if (w == null || !clock.instant().isBefore(w.start.plus(window)) || w.used.get() < limit) {
            return null;
        }
        return w.start.plus(window);
    }

    /**
     * Counts an attempt before its outcome is known (e.g. before the card is looked up), so that
     * attempts running at the same time cannot together pass the limit: at most {@code limit}
     * reservations are given per window. The caller keeps a failed attempt and gives back one that
     * does not count (a success, or an attempt that was never evaluated).
     */
    public Reservation reserve(String key) {
        Instant now = clock.instant();
        Window w = windows.asMap().compute(key, (k, old) -> old == null || !now.isBefore(old.start.plus(window)) ? new Window(now) : old);
        for (int used = w.used.get(); used < limit; used = w.used.get()) {
            if (w.used.compareAndSet(used, used + 1)) {
                return new Reservation(w, null);
            }
        }
        return new Reservation(null, w.start.plus(window));
    }

    /** An attempt counted ahead of its outcome, or refused ({@link #refusedUntil()} says until when). */
    public static final class Reservation {
        private final Window counted;
        private final Instant refusedUntil;
        private final java.util.concurrent.atomic.AtomicBoolean givenBack = new java.util.concurrent.atomic.AtomicBoolean();

        private Reservation(Window counted, Instant refusedUntil) {
            this.counted = counted;
            this.refusedUntil = refusedUntil;
        }

        /** Null when the attempt was counted and may go on; else when attempts are allowed again. */
        public Instant refusedUntil() {
            return refusedUntil;
        }

        /** Uncounts the attempt (once; nothing for a refused one). */
        public void giveBack() {
            if (counted != null && givenBack.compareAndSet(false, true)) {
                counted.used.decrementAndGet();
            }
        }
    }

    /** Null when the attempt is allowed (and counted), else the moment attempts are allowed again. */
    public Instant tryAcquire(String key) {
        Instant now = clock.instant();
        Window w = windows.asMap().compute(key, (k, old) -> old == null || !now.isBefore(old.start.plus(window)) ? new Window(now) : old);
        return w.used.incrementAndGet() <= limit ? null : w.start.plus(window);
    }
}
