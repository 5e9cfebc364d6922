package madoguchi.app.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;

/** {@link Backoffs} in this instance's memory (one instance; the use-case tests). */
public final class LocalBackoffs implements Backoffs {
    private final Rule rule;
    private final Clock clock;
    private final Cache<String, Tries> tries;

    /** Tries of one key; replaced, never changed, so that it can be compared and swapped. */
    private record Tries(int count, Instant last) {
    }

    public LocalBackoffs(Rule rule, Clock clock) {
        this.rule = rule;
        this.clock = clock;
        this.tries = Caffeine.newBuilder().maximumSize(1_000_000).expireAfterWrite(rule.forgetAfter()).build();
    }

    @Override
    public Future<Instant> begin(String key) {
        Instant now = clock.instant();
        Instant[] refused = new Instant[1];
        tries.asMap().compute(key, (k, old) -> {
            Tries t = old == null ? new Tries(0, now) : old;
            Instant next = rule.nextTry(t.count(), t.last());
            if (now.isBefore(next)) {
                refused[0] = next;
                return old;
            }
            return new Tries(t.count() + 1, now);
        });
        return Future.succeededFuture(refused[0]);
    }

    @Override
    public Future<Void> uncount(String key) {
        tries.asMap().computeIfPresent(key, (k, t) -> t.count() <= 1 ? null : new Tries(t.count() - 1, t.last()));
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> forget(String key) {
        tries.invalidate(key);
        return Future.succeededFuture();
    }
}
