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

    private static int count(Config.DatabaseUrl db, String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
