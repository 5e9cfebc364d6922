package madoguchi.store;

import madoguchi.Config;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationTest {

    @Test
    void migrationsApplyToAnEmptyDatabaseAndAgainWithoutChange() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        Database database = new Database(db, null);
        database.migrate();
        int applied = count(db, "SELECT count(*) FROM flyway_schema_history WHERE success");
        database.migrate();
        assertEquals(applied, count(db, "SELECT count(*) FROM flyway_schema_history WHERE success"));
        assertTrue(applied >= 3);
        assertTrue(count(db, "SELECT count(*) FROM holidays WHERE day BETWEEN '2025-01-01' AND '2027-12-31'") >= 50);
        assertEquals(6, count(db, "SELECT count(*) FROM closures WHERE site_id IS NULL AND day BETWEEN '2026-12-29' AND '2027-01-03'"));
    }

    @Test
    void theDatabaseRefusesToOverbookASlot() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        new Database(db, null).migrate();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('x', 'x', 'x', 'popup')");
            s.execute("INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, booked)"
                    + " VALUES ('x', now(), now() + interval '15 minutes', 2, 2, 2, 2)");
            var e = assertThrows(java.sql.SQLException.class, () -> s.execute("UPDATE slots SET booked = booked + 1"));
            assertEquals("23514", e.getSQLState(), "a CHECK constraint is the last line of defence");
            assertThrows(java.sql.SQLException.class, () -> s.execute("UPDATE slots SET held = 1"));
        }
    }

    @Test
    void answersKeptBeforeBecomeDecisionsAReplayCanRender() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        String jdbc = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
        org.flywaydb.core.Flyway.configure().dataSource(jdbc, db.user(), db.password()).locations("classpath:db/migration")
                .target("95").load().migrate();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            // the first answers as the resident API used to keep them: a booking and a hold
            s.execute("INSERT INTO idempotency_keys (scope, key, request_hash, status, body) VALUES"
                    + " ('card:1', 'b', 'h1', 201, '{\"bookingId\":41,\"code\":\"2921435255\",\"siteId\":\"x\",\"slotId\":3,"
                    + "\"start\":\"2026-12-01T09:00:00+09:00\",\"end\":null,\"status\":\"active\",\"channel\":\"web\",\"override\":true}'),"
                    + " ('card:1', 'h', 'h2', 201, '{\"holdId\":\"00000000-0000-0000-0000-000000000001\",\"slotId\":4,"
                    + "\"start\":null,\"end\":null,\"expiresAt\":\"2026-12-01T09:05:00+09:00\"}')");
        }
        new Database(db, null).migrate();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, kind, slot_id, booking_id, code, channel, override, hold_id,"
                     + " expires_at = '2026-12-01T00:05:00Z' AS at FROM idempotency_keys ORDER BY key")) {
            rs.next();
            assertEquals("b booking 3 41 2921435255 web true null", rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3)
                    + " " + rs.getLong(4) + " " + rs.getString(5) + " " + rs.getString(6) + " " + rs.getBoolean(7) + " " + rs.getString(8));
            rs.next();
            assertEquals("h hold 4 00000000-0000-0000-0000-000000000001 true", rs.getString(1) + " " + rs.getString(2) + " "
                    + rs.getLong(3) + " " + rs.getString(8) + " " + rs.getBoolean(9));
        }
        // an older instance, during a rolling deploy, still writes only the rendered body: the service reads its decision
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO idempotency_keys (scope, key, request_hash, status, body) VALUES ('card:2', 'old', 'h3', 200,"
                    + " '{\"bookingId\":42,\"code\":\"2921435256\",\"slotId\":5,\"status\":\"active\",\"channel\":\"phone\",\"override\":false}')");
            try (ResultSet rs = s.executeQuery("SELECT " + Rows.KEPT_COLUMNS + " FROM idempotency_keys WHERE key = 'old'")) {
                rs.next();
                assertEquals("h3 booking 5 42 2921435256 phone false", rs.getString("request_hash") + " " + rs.getString("kind") + " "
                        + rs.getLong("slot_id") + " " + rs.getLong("booking_id") + " " + rs.getString("code") + " "
                        + rs.getString("channel") + " " + rs.getBoolean("override"));
            }
        }
    }

    private static int count(Config.DatabaseUrl db, String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
