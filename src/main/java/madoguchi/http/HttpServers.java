package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The public HTTP servers (one per event loop), so that a draining instance can stop them gracefully. */
public final class HttpServers {
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    void add(HttpServer server) {
        servers.add(server);
    }

    /**
     * Stops taking connections; requests under way get up to {@code timeout} to be answered, then
     * their connections close. Idle keep-alive connections close at once.
     */
    public Future<Void> shutdown(Duration timeout) {
        List<Future<Void>> each = new ArrayList<>();
        servers.forEach(s -> each.add(s.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        return Future.join(each).mapEmpty();
    }
}
