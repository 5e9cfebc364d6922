package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.changes.ChangeNews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Site and slot changes through PostgreSQL: a store announces the change with {@code pg_notify}
 * inside its own transaction (delivered only when it commits), as
 * {@code {"kind":"slots","siteId":"...","origin":"..."}}; every instance listens on one
 * connection that reconnects by itself, and reads everything again each time it is (re)connected,
 * since what was announced while it was down is lost. An instance skips its own news: it
 * reloaded what it changed right after writing.
 */
public final class PgChangeNews implements ChangeNews {
    static final String CHANNEL = "madoguchi_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeNews.class);

    private final String origin = UUID.randomUUID().toString();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final PgSubscriber subscriber;

    public PgChangeNews(Vertx vertx, PgConnectOptions connect) {
        subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(retries -> retries < 1_000_000 ? 1_000L : -1L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(v -> listeners.forEach(Listener::mayHaveMissedNews))
                .handler(this::heard);
    }

    /** Starts listening; fails when the database does not answer (it keeps trying meanwhile). */
    public Future<Void> start() {
        return subscriber.connect().onFailure(e -> LOG.warn("changes on other instances are seen at the periodic refresh only:"
                + " cannot listen to the database", e));
    }

    public Future<Void> stop() {
        return subscriber.close();
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Announces, with the caller's transaction, that the site (a new one) changed. */
    Future<Void> site(SqlConnection conn, String siteId) {
        return announce(conn, Kind.SITE, siteId);
    }

    /** Announces, with the caller's transaction, that the site's slots changed. */
    Future<Void> slots(SqlConnection conn, String siteId) {
        return announce(conn, Kind.SLOTS, siteId);
    }

    private Future<Void> announce(SqlConnection conn, Kind kind, String siteId) {
        String payload = new JsonObject().put("kind", kind.name().toLowerCase(Locale.ROOT)).put("siteId", siteId)
                .put("origin", origin).encode();
        return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).mapEmpty();
    }

    private void heard(String payload) {
        Kind kind;
        String siteId;
        try {
            JsonObject news = new JsonObject(payload);
            if (origin.equals(news.getString("origin"))) {
                return;
            }
            kind = Kind.valueOf(news.getString("kind", "").toUpperCase(Locale.ROOT));
            siteId = news.getString("siteId");
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            kind = null;
            siteId = null;
        }
        if (kind == null || siteId == null) {
            LOG.warn("ignored a change announcement this version does not understand: {}", payload);
            return;
        }
        Kind k = kind;
        String s = siteId;
        listeners.forEach(l -> l.changed(k, s));
    }
}
