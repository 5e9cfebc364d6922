package madoguchi.store;

import madoguchi.Config;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void aNewInstallationMakesItsOwnBookingCodeKeyOnceAndKeepsIt() throws Exception {
        byte[] first;
        byte[] second;
        Config.DatabaseUrl a = migrated();
        Config.DatabaseUrl b = migrated();
        try (Connection c = TestDatabase.connect(a)) {
            first = Settings.bookingCodeKey(c).orElseThrow();
            assertEquals(32, first.length);
            assertArrayEquals(first, Settings.bookingCodeKey(c).orElseThrow(), "read again, by every instance");
        }
        try (Connection c = TestDatabase.connect(b)) {
            second = Settings.bookingCodeKey(c).orElseThrow();
        }
        assertFalse(java.util.Arrays.equals(first, second), "two installations, two secrets");
    }

    @Test
    void anInstallationThatIssuedCodesBeforeKeepsTheFirstBuildsPermutation() throws Exception {
        Config.DatabaseUrl db = migrated();
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('x', 'x', 'x', 'popup')");
            s.execute("INSERT INTO slots (id, site_id, start_at, end_at, capacity, quota_web, quota_phone, booked)"
                    + " VALUES (1, 'x', now(), now() + interval '15 minutes', 2, 2, 2, 1)");
            s.execute("INSERT INTO cards (id, notice_number, birth_date, site_id, state) VALUES (1, '1234567890', '1980-01-01', 'x', 'ready')");
            s.execute("INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status, booked_by)"
                    + " VALUES (7, '" + madoguchi.domain.BookingCode.legacy().of(7) + "', 1, 'x', 1, 'web', 'active', 't')");
            Optional<byte[]> key = Settings.bookingCodeKey(c);
            assertTrue(key.isEmpty(), "a new permutation could give a new booking a code already in use");
            assertTrue(Settings.bookingCodeKey(c).isEmpty(), "and the choice is kept");
        }
    }

    private static Config.DatabaseUrl migrated() {
        Config.DatabaseUrl db = TestDatabase.fresh();
        new Database(db, null).migrate();
        return db;
    }
}
