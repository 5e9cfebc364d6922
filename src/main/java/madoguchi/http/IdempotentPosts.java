package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.Idempotency;
import madoguchi.app.booking.IdempotentRequests;
import madoguchi.app.booking.KeptDecision;
import madoguchi.app.booking.Settled;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The HTTP side of POSTs that book with an optional Idempotency-Key: reads the key, digests the
 * request (method, path, body) and hands both to {@link IdempotentRequests}, which decides once.
 * The answer is rendered here, from the decision, the first time and on every replay alike: a
 * replay is worded for the request that asks (its language), with {@code Idempotent-Replayed}.
 */
public final class IdempotentPosts {
    private final IdempotentRequests requests;

    public IdempotentPosts(IdempotentRequests requests) {
        this.requests = requests;
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

    /** The request's key in {@code scope} with the digest of this request, or null without a key. */
    static Idempotency of(RoutingContext ctx, String scope) {
        String key = key(ctx);
        return key == null ? null : new Idempotency(scope, key, hash(ctx));
    }

    void run(RoutingContext ctx, String scope, int status, Function<KeptDecision, JsonObject> render,
             Function<Idempotency, Future<Settled>> action) {
        requests.once(of(ctx, scope), action).onFailure(ctx::fail).onSuccess(s -> {
            if (s.replay() != null) {
                Answers.replay(ctx, s.replay(), status, render);
            } else {
                Answers.settled(ctx, s, status, d -> render.apply(KeptDecision.of(d)));
            }
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
