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
    void otherFailuresAreNot() {
        assertFalse(PgFailures.isUnreachable(new IllegalStateException("a bug")));
        assertFalse(PgFailures.isUnreachable(new VertxException("no such column", true)));
    }
}
