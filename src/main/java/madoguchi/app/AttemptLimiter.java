package madoguchi.app;

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

    /** Null when the attempt is allowed (and counted), else the moment attempts are allowed again. */
    public Instant tryAcquire(String key) {
        Instant now = clock.instant();
        Window w = windows.asMap().compute(key, (k, old) -> old == null || !now.isBefore(old.start.plus(window)) ? new Window(now) : old);
        return w.used.incrementAndGet() <= limit ? null : w.start.plus(window);
    }
}
