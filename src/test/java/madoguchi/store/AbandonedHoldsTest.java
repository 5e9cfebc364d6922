package madoguchi.store;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Holds left by an instance that died are ended by the service's clock, the one that set their
 * expiry: a database clock ahead of it (or a service clock behind the database's, as a test's
 * clock is) must not end a hold that has time left.
 */
class AbandonedHoldsTest {

    @Test
    void aHoldIsEndedOnlyWhenTheServicesClockSaysItsTimeIsUp() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        new Database(db, null).migrate();
        // the hold expires a day before the database's own now()
        Instant expiry = Instant.now().minus(Duration.ofDays(1));
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('x', 'x', 'x', 'popup')");
            st.execute("INSERT INTO slots (id, site_id, start_at, end_at, capacity, quota_web, quota_phone, held)"
                    + " VALUES (1, 'x', now() + interval '2 days', now() + interval '2 days 15 minutes', 2, 2, 2, 1)");
            st.execute("INSERT INTO cards (id, notice_number, birth_date, site_id, state) VALUES (1, '1234567890', '1980-01-01', 'x', 'ready')");
            st.execute("INSERT INTO holds (id, card_id, slot_id, channel, status, expires_at) VALUES"
                    + " ('00000000-0000-0000-0000-000000000001', 1, 1, 'web', 'active', '" + expiry + "')");
        }
        Vertx vertx = Vertx.vertx();
        try {
            Pool pool = new Database(db, null).pool(vertx, 2);
            PgSeatSource source = new PgSeatSource(pool);
            Duration grace = Duration.ofSeconds(60);

            // by the service's clock the hold has 30 s left: it stays
            assertEquals(0, source.expireAbandonedHolds(expiry.minusSeconds(30), grace).await(10, TimeUnit.SECONDS).size());
            assertEquals(1, held(db), "a hold with time left is not ended because the database's clock is ahead");
            // 61 s after its expiry by the service's clock: it was abandoned
            assertEquals(1, source.expireAbandonedHolds(expiry.plusSeconds(61), grace).await(10, TimeUnit.SECONDS).size());
            assertEquals(0, held(db));
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static int held(Config.DatabaseUrl db) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT held FROM slots WHERE id = 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
