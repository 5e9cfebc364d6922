package madoguchi.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One log line per request with a request id (taken from a well-formed X-Request-Id, else made
 * here, and sent back). Only the path is logged — never the query string, headers or body, where
 * phone numbers, birth dates and tokens travel.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger("madoguchi.request");
    static final String ID = "requestId";

    private RequestLog() {
    }

    static void handle(RoutingContext ctx) {
        String given = ctx.request().getHeader("X-Request-Id");
        String id = given != null && given.matches("[A-Za-z0-9._-]{8,64}") ? given
                : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        ctx.put(ID, id);
        ctx.response().putHeader("X-Request-Id", id);
        long started = System.nanoTime();
        ctx.addEndHandler(done -> LOG.info("{} {} {} {} {}ms", id, ctx.request().method(), safePath(ctx.request().path()),
                ctx.response().getStatusCode(), (System.nanoTime() - started) / 1_000_000));
        ctx.next();
    }

    /** Paths carry booking codes and hold ids at most; anything longer or odd is cut. */
    static String safePath(String path) {
        if (path == null) {
            return "-";
        }
        String cut = path.length() > 120 ? path.substring(0, 120) + "…" : path;
        return cut.replaceAll("[^A-Za-z0-9/._:-]", "?");
    }
}
