package madoguchi.http;

import io.vertx.ext.web.RoutingContext;

/**
 * No request waits longer than {@link #LIMIT_MS}: whatever it waits for (a database that stopped
 * answering, a full pool), it is then answered {@code 503 unavailable} with {@code Retry-After},
 * and the late result, if any, is dropped (administrator requests are exempt). Bookings carry an Idempotency-Key, so the retry learns
 * whether the late one went through.
 */
final class Deadline {
    static final long LIMIT_MS = 12_000;

    private Deadline() {
    }

    static void handle(RoutingContext ctx) {
        if (ctx.request().path().startsWith("/api/v1/admin/")) {
            ctx.next(); // imports and capacity changes of a whole surge may rightly take longer
            return;
        }
        long timer = ctx.vertx().setTimer(LIMIT_MS, id -> {
            if (!ctx.response().ended() && !ctx.response().headWritten()) {
                ctx.response().putHeader("Retry-After", "5");
                Answers.error(ctx, 503, "unavailable", "The service could not answer in time; please retry shortly.");
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }
}
