package madoguchi.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One log line per request with a request id (taken from a well-formed X-Request-Id, else made
 * here, and sent back). Only the path is logged — never the query string, headers or body, where
 * phone numbers, birth dates and tokens travel.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("madoguchi.request");
    static final String ID = "requestId";
    private static final Pattern GIVEN_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");
    private static final Pattern ODD = Pattern.compile("[^A-Za-z0-9/._:-]");

    private RequestLog() {
    }

    static void handle(RoutingContext ctx) {
        String given = ctx.request().getHeader("X-Request-Id");
        String id = given != null && GIVEN_ID.matcher(given).matches() ? given
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        ctx.put(ID, id);
        ctx.response().putHeader("X-Request-Id", id);
        long started = System.nanoTime();
        ctx.addEndHandler(done -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                log(ctx, id, started);
            } else {
                // the request failed before it was answered (a form Netty would not decode): the
                // failure handler answers next, and that answer is the one to log
                ctx.response().endHandler(v -> log(ctx, id, started));
            }
        });
        ctx.next();
    }

    private static void log(RoutingContext ctx, String id, long started) {
        LOG.info("{} {} {} {} {}ms", id, ctx.request().method(), safePath(ctx.request().path()),
                ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Paths carry booking codes and hold ids at most; anything longer or odd is cut. */
    static String safePath(String path) {
        if (path == null) {
            return "-";
        }
        String cut = path.length() > 120 ? path.substring(0, 120) + "…" : path;
        return ODD.matcher(cut).replaceAll("?");
    }
}
