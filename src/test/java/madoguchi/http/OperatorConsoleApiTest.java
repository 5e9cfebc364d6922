package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator API beyond plain booking: an override needs a reason and is then booked beyond
 * capacity and audited; moving, cancelling, blocking; the day's slots; closures and capacity
 * cuts that cancel bookings keep an SMS for each resident in the outbox although no SMS
 * provider is configured; the audit log filters and exports CSV.
 */
class OperatorConsoleApiTest {
    private static final String A = TestService.ADMIN_TOKEN;
    private static TestService service;
    private static String operator;
    private static LocalDate day;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        operator = service.post("/api/v1/admin/users", A, new JsonObject().put("name", "op-api").put("role", "operator"))
                .json().getString("token");
        day = LocalDate.now().plusDays(4);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject book(long notice, long slot, Boolean override, String reason) {
        JsonObject body = new JsonObject().put("noticeNumber", Long.toString(notice)).put("slotId", slot);
        if (override != null) {
            body.put("override", override);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        TestService.Response r = service.post("/api/v1/operator/bookings", operator, body);
        return new JsonObject().put("status", r.status()).put("body", r.body().startsWith("{") ? r.json() : new JsonObject());
    }

    @Test
    void overrideNeedsAReasonAndIsThenBookedBeyondCapacityAndAudited() {
        long slot = service.siteWithOneSlot("ov", day, 1, 1);
        service.importCards("ov", 6_100_000_001L, 3);
        assertEquals(201, book(6_100_000_001L, slot, null, null).getInteger("status"));
        JsonObject full = book(6_100_000_002L, slot, null, null);
        assertEquals(409, full.getInteger("status"));
        assertEquals("slot_full", full.getJsonObject("body").getString("error"));
        JsonObject noReason = book(6_100_000_002L, slot, true, null);
        assertEquals(400, noReason.getInteger("status"));
        assertEquals("reason_required", noReason.getJsonObject("body").getString("error"));
        JsonObject blank = book(6_100_000_002L, slot, true, "   ");
        assertEquals(400, blank.getInteger("status"));

        JsonObject forced = book(6_100_000_002L, slot, true, "resident is elderly and came from far away");
        assertEquals(201, forced.getInteger("status"), forced.encode());
        assertTrue(forced.getJsonObject("body").getBoolean("override"));
        JsonObject seats = slotOf("ov", slot);
        assertEquals(1, seats.getInteger("capacity"));
        assertEquals(1, seats.getInteger("booked"));
        assertEquals(1, seats.getInteger("overrideBooked"));

        JsonArray audit = service.get("/api/v1/admin/audit?action=booking.override&actor=op-api", A).json().getJsonArray("entries");
        assertEquals(1, audit.size());
        JsonObject entry = audit.getJsonObject(0);
        assertEquals("resident is elderly and came from far away", entry.getString("reason"));
        assertEquals("booking:" + forced.getJsonObject("body").getString("code"), entry.getString("target"));
        assertEquals("operator", entry.getString("role"));
        assertTrue(entry.getJsonObject("after").getBoolean("override"));
    }

    @Test
    void operatorsMoveCancelBlockAndUnblock() {
        long first = service.siteWithOneSlot("mv", day, 1, 2);
        // a second slot the same day, 10:15-10:30
        assertEquals(200, service.put("/api/v1/admin/sites/mv/capacity", A, new JsonObject().put("from", day.toString())
                .put("to", day.toString()).put("startTime", "10:15").put("endTime", "10:30").put("counters", 1).put("perCounter", 1)).status());
        JsonArray slots = service.get("/api/v1/operator/sites/mv/slots?date=" + day, operator).json().getJsonArray("slots");
        assertEquals(2, slots.size());
        long second = slots.getJsonObject(1).getLong("slotId");
        service.importCards("mv", 6_200_000_001L, 3);
        String code = book(6_200_000_001L, first, null, null).getJsonObject("body").getString("code");
        assertEquals(201, book(6_200_000_002L, second, null, null).getInteger("status"));

        TestService.Response full = service.post("/api/v1/operator/bookings/" + code + "/reschedule", operator, new JsonObject().put("slotId", second));
        assertEquals(409, full.status(), full.toString());
        TestService.Response noReason = service.post("/api/v1/operator/bookings/" + code + "/reschedule", operator,
                new JsonObject().put("slotId", second).put("override", true));
        assertEquals("reason_required", noReason.json().getString("error"));
        TestService.Response moved = service.post("/api/v1/operator/bookings/" + code + "/reschedule", operator,
                new JsonObject().put("slotId", second).put("override", true).put("reason", "same family, same time"));
        assertEquals(200, moved.status(), moved.toString());
        assertEquals(second, moved.json().getLong("slotId"));

        TestService.Response blocked = service.post("/api/v1/operator/slots/" + first + "/block", operator, new JsonObject());
        assertEquals(400, blocked.status(), "a block needs a reason");
        assertEquals(200, service.post("/api/v1/operator/slots/" + first + "/block", operator, new JsonObject().put("reason", "counter broken")).status());
        assertTrue(service.get("/api/v1/operator/sites/mv/slots?date=" + day, operator).json().getJsonArray("slots").getJsonObject(0).getBoolean("blocked"));
        JsonObject intoBlock = book(6_200_000_003L, first, null, null);
        assertEquals(409, intoBlock.getInteger("status"), intoBlock.encode());
        assertEquals(200, service.post("/api/v1/operator/slots/" + first + "/unblock", operator, null).status());
        assertEquals(201, book(6_200_000_003L, first, null, null).getInteger("status"));

        TestService.Response cancelled = service.delete("/api/v1/operator/bookings/" + code, operator);
        assertEquals(200, cancelled.status(), cancelled.toString());
        assertEquals(404, service.delete("/api/v1/operator/bookings/0000000000", operator).status());
        JsonArray found = service.get("/api/v1/operator/bookings?noticeNumber=6200000001", operator).array();
        assertEquals("cancelled", found.getJsonObject(0).getJsonArray("bookings").getJsonObject(0).getString("status"));
        JsonArray actions = service.get("/api/v1/admin/audit?actor=op-api&limit=50", A).json().getJsonArray("entries");
        String all = actions.encode();
        for (String action : new String[] {"booking.move.override", "slot.block", "slot.unblock", "booking.cancel"}) {
            assertTrue(all.contains("\"" + action + "\""), action + " in " + all);
        }
        assertEquals(400, service.get("/api/v1/operator/sites/mv/slots?date=tomorrow", operator).status());
        assertEquals(404, service.get("/api/v1/operator/sites/nosuch/slots?date=" + day, operator).status());
    }

    @Test
    void aClosureThatCancelsKeepsAnSmsForEachResidentAndNeverFailsTheChange() throws Exception {
        long slot = service.siteWithOneSlot("cl", day, 1, 3);
        String csv = "noticeNumber,birthDate,phone,siteId,state\n6300000001,1980-01-01,+819011112222,cl,ready\n"
                + "6300000002,1980-01-01,,cl,ready\n";
        assertEquals(200, service.post("/api/v1/admin/cards/import", A, csv).status());
        String code1 = book(6_300_000_001L, slot, null, null).getJsonObject("body").getString("code");
        book(6_300_000_002L, slot, null, null);

        JsonObject body = new JsonObject().put("siteId", "cl").put("date", day.toString()).put("reason", "power outage")
                .put("displaced", "cancel");
        TestService.Response dry = service.post("/api/v1/admin/closures?dryRun=true", A, body);
        assertEquals(200, dry.status(), dry.toString());
        assertTrue(dry.json().getBoolean("dryRun"));
        assertEquals(2, dry.json().getJsonArray("displaced").size());
        assertEquals(2, slotOf("cl", slot).getInteger("booked"), "a dry run changes nothing");
        assertEquals(400, service.post("/api/v1/admin/closures", A, body.copy().put("reason", null)).status());

        TestService.Response applied = service.post("/api/v1/admin/closures", A, body);
        assertEquals(200, applied.status(), applied.toString());
        JsonObject seats = slotOf("cl", slot);
        assertEquals(0, seats.getInteger("capacity"));
        assertTrue(seats.getBoolean("blocked"));
        assertEquals(0, seats.getInteger("booked"));
        assertEquals("cancelled", service.get("/api/v1/operator/bookings?code=" + code1, operator).array().getJsonObject(0)
                .getJsonArray("bookings").getJsonObject(0).getString("status"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + service.database.host() + ":" + service.database.port()
                + "/" + service.database.database(), service.database.user(), service.database.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT booking_code, phone, body, sent_at, attempts FROM sms_outbox")) {
            assertTrue(rs.next(), "the resident with a phone number gets an SMS");
            assertEquals(code1, rs.getString(1));
            assertEquals("+819011112222", rs.getString(2));
            assertTrue(rs.getString(3).contains(code1));
            assertNull(rs.getObject(4), "no SMS provider here: kept, not sent");
            assertFalse(rs.next(), "the resident without a phone number gets none");
        }
        JsonObject entry = service.get("/api/v1/admin/audit?action=closure.create", A).json().getJsonArray("entries").getJsonObject(0);
        assertEquals("power outage", entry.getString("reason"));
        assertEquals("site:cl", entry.getString("target"));
    }

    @Test
    void theAuditLogFiltersAndExportsCsv() {
        service.post("/api/v1/admin/sites", A, new JsonObject().put("id", "=cmd").put("name", new JsonObject().put("ja", "x").put("en", "x"))
                .put("kind", "popup"));
        service.post("/api/v1/admin/sites", A, new JsonObject().put("id", "audit-csv").put("name", new JsonObject().put("ja", "監査,会場").put("en", "Audit \"site\""))
                .put("kind", "popup"));
        TestService.Response csv = service.get("/api/v1/admin/audit?format=csv&action=site.create&target=site:audit-csv", A);
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertEquals("id,at,actor,role,action,target,reason,before,after", lines[0]);
        assertEquals(2, lines.length, csv.body());
        assertTrue(lines[1].contains(",bootstrap,admin,site.create,site:audit-csv,"), lines[1]);
        assertTrue(lines[1].contains("\"Audit \\\"\"site\\\"\"\""), "quotes doubled inside a quoted cell: " + lines[1]);
        assertEquals(400, service.get("/api/v1/admin/audit?limit=0", A).status());
        assertEquals(400, service.get("/api/v1/admin/audit?from=yesterday", A).status());
        assertEquals(400, service.get("/api/v1/admin/audit?format=xml", A).status());
        JsonObject page = service.get("/api/v1/admin/audit?limit=1", A).json();
        assertEquals(1, page.getJsonArray("entries").size());
        long next = page.getLong("next");
        JsonObject older = service.get("/api/v1/admin/audit?limit=1&before=" + next, A).json();
        assertTrue(older.getJsonArray("entries").getJsonObject(0).getLong("id") < next);
        assertEquals("'=x", AdminApi.cell("=x").replace("\"", ""));
    }

    private static JsonObject slotOf(String site, long slotId) {
        JsonArray slots = service.get("/api/v1/operator/sites/" + site + "/slots?date=" + day, operator).json().getJsonArray("slots");
        for (int i = 0; i < slots.size(); i++) {
            if (slots.getJsonObject(i).getLong("slotId") == slotId) {
                return slots.getJsonObject(i);
            }
        }
        throw new AssertionError("no slot " + slotId + " in " + slots);
    }
}
