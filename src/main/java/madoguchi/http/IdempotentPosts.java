package madoguchi.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.Idempotency;
import madoguchi.app.booking.Settled;
import madoguchi.app.booking.StoredAnswer;
import madoguchi.domain.Decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * POSTs that book carry an optional Idempotency-Key. The first answer is committed in the same
 * transaction as the booking, so a retry — after a timeout, a double click or a crash — gets
 * that answer instead of a second booking. Concurrent duplicates wait for the first: one instance
 * serves every event loop, so that a duplicate on another connection (another loop) finds the
 * first in flight, or its answer just kept, instead of deciding again.
 */
public final class IdempotentPosts {
    private final BookingStore store;
    private final ConcurrentHashMap<String, Future<Settled>> inFlight = new ConcurrentHashMap<>();
    private final Cache<String, String[]> recent = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    public IdempotentPosts(BookingStore store) {
        this.store = store;
    }

    /** The request's Idempotency-Key, or null without one; a malformed key is a 400. */
    static String key(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && !key.matches("[A-Za-z0-9_.:-]{1,128}")) {
            throw new Problem(400, "invalid_idempotency_key",
                    "Idempotency-Key must be 1 to 128 letters, digits or the characters _ . : -");
        }
        return key;
    }

    void run(RoutingContext ctx, String scope, int status, Function<Decision, JsonObject> render,
             Function<Idempotency, Future<Settled>> action) {
        String key = key(ctx);
        if (key == null) {
            action.apply(null).onSuccess(s -> Answers.settled(ctx, s, status, render)).onFailure(ctx::fail);
            return;
        }
        String hash = hash(ctx);
        String full = scope + "\n" + key;
        String[] known = recent.getIfPresent(full);
        if (known != null) {
            Answers.replay(ctx, known[0].equals(hash) ? new StoredAnswer(Integer.parseInt(known[1]), known[2]) : StoredAnswer.keyReused());
            return;
        }
        store.storedAnswer(scope, key, hash).onFailure(ctx::fail).onSuccess(stored -> {
            if (stored.isPresent()) {
                Answers.replay(ctx, stored.get());
                return;
            }
            Idempotency idempotency = new Idempotency(scope, key, hash,
                    d -> new StoredAnswer(status, render.apply(d).encode()));
            // A duplicate on another event loop may have read the database before the first one
            // committed and arrive after it finished: the first one's answer is put in 'recent'
            // before it leaves 'inFlight', and a newcomer looks there atomically with 'inFlight'.
            Future<Settled> settled = inFlight.computeIfAbsent(full, k -> {
                String[] late = recent.getIfPresent(full);
                if (late != null) {
                    return Future.succeededFuture(Settled.replayed(late[0].equals(hash)
                            ? new StoredAnswer(Integer.parseInt(late[1]), late[2]) : StoredAnswer.keyReused()));
                }
                return action.apply(idempotency);
            });
            settled.onComplete(done -> {
                if (done.succeeded() && done.result().decision() != null) {
                    recent.put(full, new String[] {hash, Integer.toString(status), render.apply(done.result().decision()).encode()});
                }
                inFlight.remove(full, settled);
            });
            settled.onFailure(ctx::fail).onSuccess(s -> Answers.settled(ctx, s, status, render));
        });
    }

    private static String hash(RoutingContext ctx) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((ctx.request().method().name() + " " + ctx.request().path() + "\n").getBytes(StandardCharsets.UTF_8));
            if (ctx.body() != null && ctx.body().buffer() != null) {
                md.update(ctx.body().buffer().getBytes());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
