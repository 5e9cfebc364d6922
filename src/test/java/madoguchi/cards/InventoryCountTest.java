package madoguchi.cards;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A shelf count is the truth once it is stored: sent again with the same Idempotency-Key (a retry
 * after a timeout) it is stored once and answered again; the key with another count is refused;
 * and a count whose reconciliation cannot be computed at that moment is still answered 201 as
 * recorded, never 503 — staff would otherwise count again and store it twice.
 */
class InventoryCountTest {
    private static final String OP = TestService.ADMIN_TOKEN;
    // yesterday in Tokyo: never "in the future", whenever the test runs
    private static final LocalDate DAY = LocalDate.now(ZoneId.of("Asia/Tokyo")).minusDays(1);
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start();
        service.siteWithOneSlot("shelf", LocalDate.now().plusDays(5), 1, 1);
        service.importCards("shelf", 5_600_000_001L, 5);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static TestService.Response count(int counted, String key) {
        return service.post("/api/v1/admin/inventory", OP, new JsonObject().put("siteId", "shelf").put("countedAt", DAY.toString())
                .put("counted", counted), key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static long rows(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aCountSentAgainWithItsKeyIsStoredOnce() throws Exception {
        var first = count(4, "count-shelf-1");
        assertEquals(201, first.status(), first.body());
        assertEquals(true, first.json().getBoolean("reconciled"));
        assertNull(first.header("Idempotent-Replayed"));
        var again = count(4, "count-shelf-1");
        assertEquals(201, again.status(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals(first.json().getLong("id"), again.json().getLong("id"));
        assertEquals(1, rows("SELECT count(*) FROM inventory_counts WHERE idempotency_key = 'count-shelf-1'"));
        assertEquals(1, rows("SELECT count(*) FROM audit_log WHERE action = 'inventory.count' AND after->>'counted' = '4'"),
                "one count, one audit row");

        var other = count(3, "count-shelf-1");
        assertEquals(422, other.status(), other.body());
        assertEquals("idempotency_key_reused", other.json().getString("error"));
        assertEquals(400, count(3, "no spaces allowed").status());
    }

    @Test
    void aStoredCountIsAnsweredAsRecordedEvenWhenItCannotBeReconciledNow() throws Exception {
        // the reconciliation reads card_events; held locked, it times out after the count was written
        try (Connection lock = TestDatabase.connect(service.database); Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE card_events IN ACCESS EXCLUSIVE MODE");
            var r = count(5, "count-shelf-2");
            lock.rollback();
            assertEquals(201, r.status(), "stored, so never 503: " + r.body());
            assertEquals(false, r.json().getBoolean("reconciled"));
            assertEquals(5, r.json().getInteger("counted"));
        }
        assertEquals(1, rows("SELECT count(*) FROM inventory_counts WHERE idempotency_key = 'count-shelf-2'"));
        var later = service.get("/api/v1/admin/reports/reconciliation?date=" + DAY, OP);
        assertEquals(200, later.status(), later.body());
    }
}
