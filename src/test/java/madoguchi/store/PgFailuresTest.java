package madoguchi.store;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures mean "the database cannot be reached" (503 with Retry-After) rather than a bug (500). */
class PgFailuresTest {

    @Test
    void aConnectionLostBeforeTheAnswerIsTheDatabaseAway() {
        // seen when PostgreSQL was cut off during a reschedule: it was answered 500 instead of 503
        assertTrue(PgFailures.isUnreachable(ClosedConnectionException.INSTANCE));
        assertTrue(PgFailures.isUnreachable(new RuntimeException("batch failed", ClosedConnectionException.INSTANCE)));
    }

    @Test
    void connectionRefusedAndResetAreTheDatabaseAway() {
        assertTrue(PgFailures.isUnreachable(new java.net.ConnectException("Connection refused")));
        assertTrue(PgFailures.isUnreachable(new java.io.IOException("Connection reset by peer")));
    }

    @Test
    void aStatementCutOffAtItsTimeLimitIsTooSlowNotAway() throws Exception {
        // a whole-city report at a million cards once answered "cannot reach its database" while the database answered
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.sqlclient.Pool pool = new Database(madoguchi.support.TestDatabase.fresh(), null).pool(vertx, 1);
            Throwable failure = pool.withConnection(c -> c.query("SET statement_timeout = 50").execute()
                            .compose(v -> c.query("SELECT pg_sleep(2)").execute()))
                    .toCompletionStage().handle((ok, e) -> e).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(PgFailures.isStatementTimeout(failure), String.valueOf(failure));
            assertTrue(new PgFailures(pool).tooSlow(failure));
            assertFalse(PgFailures.isStatementTimeout(new java.net.ConnectException("Connection refused")));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(PgFailures.isUnreachable(new IllegalStateException("a bug")));
        assertFalse(PgFailures.isUnreachable(new VertxException("no such column", true)));
    }
}
