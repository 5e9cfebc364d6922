package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.counter.BoardNews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Walk-in queue news through PostgreSQL: a change announces its site with {@code pg_notify} in
 * its own transaction (delivered only when it commits), and every instance listens on one
 * connection that reconnects by itself. While it is down, boards keep their last state and
 * catch up with the next change.
 */
public final class PgBoardNews implements BoardNews {
    static final String CHANNEL = "madoguchi_walk_in";
    private static final Logger LOG = LoggerFactory.getLogger(PgBoardNews.class);

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final PgSubscriber subscriber;

    public PgBoardNews(Vertx vertx, PgConnectOptions connect) {
        subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(retries -> retries < 1_000_000 ? 1_000L : -1L);
        subscriber.channel(CHANNEL).handler(site -> listeners.forEach(l -> l.accept(site)));
    }

    /** Starts listening; fails when the database does not answer. */
    public Future<Void> start() {
        return subscriber.connect().onFailure(e -> LOG.warn("walk-in boards will not update: cannot listen to the database", e));
    }

    @Override
    public void listen(Consumer<String> siteChanged) {
        listeners.add(siteChanged);
    }

    public Future<Void> stop() {
        return subscriber.close();
    }

    /** Announces, with the caller's transaction, that the site's queue changed. */
    static Future<Void> announce(SqlConnection conn, String siteId) {
        return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, siteId)).mapEmpty();
    }
}
