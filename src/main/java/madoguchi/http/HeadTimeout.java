package madoguchi.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * A connection must complete each request head within the header timeout: from when it opens, and
 * again from the end of each answer (keep-alive). The idle timeout alone cannot cut a client that
 * sends its headers a byte a second (each byte makes it busy again); this does, by closing the
 * connection. Neither Vert.x nor Netty offers such a bound for HTTP/1.1, hence this clock.
 * One per HTTP verticle: its connections and requests are all handled on its event loop.
 */
final class HeadTimeout {
    private final Vertx vertx;
    private final long millis;
    private final Map<HttpConnection, Waiting> connections = new HashMap<>();

    /** A connection's clock: the running timer, the heads seen so far, the requests not yet answered. */
    private static final class Waiting {
        long timer = -1;
        long heads;
        int open;
    }

    HeadTimeout(Vertx vertx, java.time.Duration timeout) {
        this.vertx = vertx;
        this.millis = timeout.toMillis();
    }

    void connected(HttpConnection connection) {
        Waiting w = new Waiting();
        connections.put(connection, w);
        connection.closeHandler(v -> {
            Waiting gone = connections.remove(connection);
            if (gone != null) {
                vertx.cancelTimer(gone.timer);
            }
        });
        arm(connection, w);
    }

    private void arm(HttpConnection connection, Waiting w) {
        long headsBefore = w.heads;
        w.timer = vertx.setTimer(millis, id -> {
            // a head that arrived meanwhile, or a request being answered, keeps the connection
            if (w.heads == headsBefore && w.open == 0 && connections.containsKey(connection)) {
                connection.close();
            }
        });
    }

    /** The first route handler: this connection's head is complete; its clock waits for the answer. */
    void headArrived(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        Waiting w = connections.get(connection);
        if (w != null) {
            vertx.cancelTimer(w.timer);
            w.heads++;
            w.open++;
            ctx.addEndHandler(done -> {
                w.open--;
                if (w.open == 0 && connections.containsKey(connection)) {
                    arm(connection, w);
                }
            });
        }
        ctx.next();
    }
}
