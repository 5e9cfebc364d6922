package madoguchi.app.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Attempts} counted in this instance's memory: exact and free, but only for one instance
 * ({@code MADOGUCHI_LIMITS=local}, and the use-case tests). Every answer is already complete.
 */
public final class AttemptLimiter implements Attempts {
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

    @Override
    public Future<Instant> lockedUntil(String key) {
        Window w = windows.getIfPresent(key);
        if (w == null || !clock.instant().isBefore(w.start.plus(window)) || w.used.get() < limit) {
            return Future.succeededFuture();
        }
        return Future.succeededFuture(w.start.plus(window));
    }

    @Override
    public Future<Reservation> reserve(String key) {
        Window w = current(key);
        for (int used = w.used.get(); used < limit; used = w.used.get()) {
            if (w.used.compareAndSet(used, used + 1)) {
                return Future.succeededFuture(new Counted(w));
            }
        }
        return Future.succeededFuture(new Refused(w.start.plus(window)));
    }

    @Override
    public Future<Instant> tryAcquire(String key) {
        Window w = current(key);
        return Future.succeededFuture(w.used.incrementAndGet() <= limit ? null : w.start.plus(window));
    }

    private Window current(String key) {
        Instant now = clock.instant();
        return windows.asMap().compute(key, (k, old) -> old == null || !now.isBefore(old.start.plus(window)) ? new Window(now) : old);
    }

    private static final class Counted implements Reservation {
        private final Window window;
        private final AtomicBoolean givenBack = new AtomicBoolean();

        Counted(Window window) {
            this.window = window;
        }

        @Override
        public Instant refusedUntil() {
            return null;
        }

        @Override
        public Future<Void> giveBack() {
            if (givenBack.compareAndSet(false, true)) {
                window.used.decrementAndGet();
            }
            return Future.succeededFuture();
        }
    }

    /** A refused attempt: nothing to give back. */
    public record Refused(Instant refusedUntil) implements Reservation {
        @Override
        public Future<Void> giveBack() {
            return Future.succeededFuture();
        }
    }
}
