package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On PostgreSQL: while the audit log refuses every row (a trigger raises), each staff change —
 * book, move, cancel, block, hand over, put on the waitlist, a new user, a new site, a shelf
 * count, a card import, showing a birth date — answers the one documented error, 503 {@code not_recorded} with
 * Retry-After, and changes nothing. Once the log takes rows again the same requests succeed.
 */
class AuditOrNothingTest {
    private static final String A = TestService.ADMIN_TOKEN;
    private static TestService service;
    private static Config.DatabaseUrl db;
    private static String operator;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        service = TestService.start(db, Map.of(), Clock.systemUTC());
        operator = service.post("/api/v1/admin/users", A, new JsonObject().put("name", "op-audit").put("role", "operator"))
                .json().getString("token");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void auditRefuses(boolean refuses) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement s = c.createStatement()) {
            if (refuses) {
                s.execute("CREATE OR REPLACE FUNCTION audit_refuses() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'the audit log is refusing rows (test)'; END $$");
                s.execute("CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuses()");
            } else {
                s.execute("DROP TRIGGER audit_refuses ON audit_log");
            }
        }
    }

    private static void notRecorded(TestService.Response r) {
        assertEquals(503, r.status(), r.body());
        assertEquals("not_recorded", r.json().getString("error"), r.body());
        assertTrue(r.json().getString("message").contains("何も変更していません"), "in the city's language: " + r.body());
        assertEquals("2", r.header("Retry-After"));
    }

    private static JsonObject slots(String site, LocalDate day) {
        return service.get("/api/v1/operator/sites/" + site + "/slots?date=" + day, operator).json();
    }

    @Test
    void aStaffChangeWhoseAuditRowCannotBeWrittenChangesNothing() throws Exception {
        LocalDate day = LocalDate.now().plusDays(5);
        long slot = service.siteWithOneSlot("aud", day, 1, 2);
        assertEquals(200, service.put("/api/v1/admin/sites/aud/capacity", A, new JsonObject().put("from", day.toString())
                .put("to", day.toString()).put("startTime", "10:15").put("endTime", "10:30").put("counters", 1)
                .put("perCounter", 2)).status());
        long other = slots("aud", day).getJsonArray("slots").stream().map(o -> ((JsonObject) o).getLong("slotId"))
                .filter(id -> id != slot).findFirst().orElseThrow();
        service.importCards("aud", 6_300_000_001L, 3);
        TestService.Response booked = service.post("/api/v1/operator/bookings", operator,
                new JsonObject().put("noticeNumber", "6300000001").put("slotId", slot));
        assertEquals(201, booked.status(), booked.body());
        String code = booked.json().getString("code");
        String before = service.get("/api/v1/admin/audit?limit=100", A).body();

        auditRefuses(true);
        try {
            notRecorded(service.post("/api/v1/operator/bookings", operator,
                    new JsonObject().put("noticeNumber", "6300000002").put("slotId", slot)));
            notRecorded(service.post("/api/v1/operator/bookings/" + code + "/reschedule", operator,
                    new JsonObject().put("slotId", other)));
            notRecorded(service.delete("/api/v1/operator/bookings/" + code, operator));
            notRecorded(service.post("/api/v1/operator/slots/" + slot + "/block", operator, new JsonObject().put("reason", "flood")));
            notRecorded(service.post("/api/v1/operator/bookings/" + code + "/issued", operator, new JsonObject()));
            notRecorded(service.post("/api/v1/operator/waitlist", operator, new JsonObject().put("noticeNumber", "6300000003")
                    .put("from", day.toString()).put("to", day.toString())));
            notRecorded(service.post("/api/v1/admin/users", A, new JsonObject().put("name", "never").put("role", "operator")));
            notRecorded(service.post("/api/v1/admin/sites", A, new JsonObject().put("id", "never")
                    .put("name", new JsonObject().put("ja", "無").put("en", "Never")).put("kind", "branch")));
            notRecorded(service.post("/api/v1/admin/inventory", A, new JsonObject().put("siteId", "aud")
                    .put("countedAt", LocalDate.now().toString()).put("counted", 3)));
            // a birth date whose showing cannot be recorded is not shown
            TestService.Response birth = service.post("/api/v1/operator/cards/6300000001/birth-date", operator, null);
            notRecorded(birth);
            assertFalse(birth.body().contains("1980"), "no date in the refusal: " + birth.body());

            // nothing changed: the booking is where it was and active, the slot open, nobody new
            JsonObject found = service.get("/api/v1/operator/bookings?code=" + code, operator).array().getJsonObject(0);
            JsonObject booking = found.getJsonArray("bookings").getJsonObject(0);
            assertEquals("active", booking.getString("status"));
            assertEquals(slot, booking.getLong("slotId"));
            assertTrue(service.get("/api/v1/operator/bookings?noticeNumber=6300000002", operator).array().getJsonObject(0)
                    .getJsonArray("bookings").isEmpty());
            JsonObject seats = slots("aud", day).getJsonArray("slots").stream().map(o -> (JsonObject) o)
                    .filter(o -> o.getLong("slotId") == slot).findFirst().orElseThrow();
            assertFalse(seats.getBoolean("blocked"));
            assertEquals(1, seats.getInteger("booked"));
            assertEquals("none", service.get("/api/v1/operator/waitlist?noticeNumber=6300000003", operator).json().getString("state"));
            assertFalse(service.get("/api/v1/sites", null).body().contains("\"never\""));
            assertEquals(before, service.get("/api/v1/admin/audit?limit=100", A).body(), "no audit row either");
        } finally {
            auditRefuses(false);
        }
        TestService.Response moved = service.post("/api/v1/operator/bookings/" + code + "/reschedule", operator,
                new JsonObject().put("slotId", other));
        assertEquals(200, moved.status(), "the same request succeeds once the log takes rows: " + moved.body());
        assertTrue(service.get("/api/v1/admin/audit?action=booking.move", A).body().contains(code));
    }
}
