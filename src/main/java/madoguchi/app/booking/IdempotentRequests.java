package madoguchi.app.booking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Requests that change seats with an Idempotency-Key are decided once. The first request is decided
 * by the allocator, and its decision ({@link KeptDecision}) is committed under the key in the same
 * transaction as the seat change (the journal writes both). Any later request with the key gets a
 * {@link Replay}: the first decision when it is the same request, or the key-reused refusal —
 * decided by {@link Idempotency#replayOf} alone, here, in the journal (a duplicate that raced the
 * first to the database) and in the shard's follower coalescing ({@link Idempotency#sameRequest}).
 *
 * <p>One instance serves every event loop, so that a duplicate on another connection finds the
 * first in flight, or its decision just kept, instead of deciding again; the database answers for
 * the rest (another instance, a restart). Refusals are not kept: a request refused may be sent
 * again with its key and is decided anew.
 */
public final class IdempotentRequests {
    private final KeptDecisions store;
    /** Keyed requests being decided, by key, with the digest of the request: its duplicates wait for it. */
    private final ConcurrentHashMap<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Decisions kept lately (digest, decision), so that a quick retry needs no query. */
    private final Cache<String, Kept> recent = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    private record Kept(String requestHash, KeptDecision decision) {
    }

    private record InFlight(Idempotency key, Future<Settled> settled) {
    }

    public IdempotentRequests(KeptDecisions store) {
        this.store = store;
    }

    /**
     * Decides the request once: {@code decide} runs only when the key has no first decision yet and
     * none is in flight; otherwise the answer is the first one's ({@link Settled#replay()}, or the
     * in-flight request's own outcome). Without a key ({@code key} null) it just decides.
     */
    public Future<Settled> once(Idempotency key, Function<Idempotency, Future<Settled>> decide) {
        if (key == null) {
            return decide.apply(null);
        }
        Optional<Replay> known = recentReplay(key);
        if (known.isPresent()) {
            return Future.succeededFuture(Settled.replayed(known.get()));
        }
        return store.replayOf(key).compose(stored -> {
            if (stored.isPresent()) {
                return Future.succeededFuture(Settled.replayed(stored.get()));
            }
            // A duplicate on another event loop may have read the database before the first one
            // committed and arrive after it finished: the first one's decision is put in 'recent'
            // before it leaves 'inFlight', and a newcomer looks there atomically with 'inFlight'.
            InFlight first = inFlight.computeIfAbsent(key.id(), k -> new InFlight(key, recentReplay(key)
                    .map(late -> Future.succeededFuture(Settled.replayed(late)))
                    .orElseGet(() -> decide.apply(key))));
            if (!first.key().sameRequest(key)) {
                // another request under the key is being decided: this one is not its duplicate. It is
                // decided alone; the journal refuses it as a key reused if the first one is kept.
                return decide.apply(key);
            }
            first.settled().onComplete(done -> {
                if (done.succeeded() && done.result().decision() != null) {
                    recent.put(key.id(), new Kept(first.key().requestHash(), KeptDecision.of(done.result().decision())));
                }
                inFlight.remove(key.id(), first);
            });
            return first.settled();
        });
    }

    private Optional<Replay> recentReplay(Idempotency key) {
        Kept kept = recent.getIfPresent(key.id());
        return kept == null ? Optional.empty() : Optional.of(key.replayOf(kept.requestHash(), kept.decision()));
    }
}
