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
    void operatorsFindACallerByThePhoneNumberAsTheyWriteItHoweverTheCardFileWroteIt() {
        service.siteWithOneSlot("ph", day, 1, 1);
        // the card file wrote the numbers three ways; callers say them a fourth
        String csv = "noticeNumber,birthDate,phone,siteId,state\n6400000101,1980-01-01,08000193084,ph,ready\n"
                + "6400000102,1980-01-01,+818000193085,ph,ready\n6400000103,1980-01-01,818000193086,ph,ready\n"
                + "6400000104,1980-01-01,,ph,ready\n";
        assertEquals(200, service.post("/api/v1/admin/cards/import", A, csv).status());
        Map<String, String> typed = Map.of(
                "080-0019-3084", "6400000101", "08000193084", "6400000101", "%2B81%2080%200019%203084", "6400000101",
                "%EF%BC%90%EF%BC%98%EF%BC%90%EF%BC%8D%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%99%EF%BC%8D%EF%BC%93%EF%BC%90%EF%BC%98%EF%BC%94",
                "6400000101",
                "080-0019-3085", "6400000102", "%2B818000193085", "6400000102",
                "080%200019%203086", "6400000103");
        typed.forEach((phone, notice) -> {
            TestService.Response r = service.get("/api/v1/operator/bookings?phone=" + phone, operator);
            assertEquals(200, r.status(), phone + ": " + r);
            assertEquals(1, r.array().size(), phone + ": " + r.body());
            assertEquals(notice, r.array().getJsonObject(0).getJsonObject("card").getString("noticeNumber"), phone);
        });
        assertEquals(0, service.get("/api/v1/operator/bookings?phone=080-0019-3099", operator).array().size());
        TestService.Response notAPhone = service.get("/api/v1/operator/bookings?phone=abc", operator);
        assertEquals(400, notAPhone.status(), notAPhone.toString());
        assertEquals("invalid_request", notAPhone.json().getString("error"));
        assertFalse(notAPhone.body().contains("abc"), "the answer does not repeat what was typed");
        assertEquals(400, service.get("/api/v1/operator/bookings?phone=0800", operator).status());
    }

    @Test
    void aNoticeNumberTypedFullWidthOrWithSpacesAndHyphensWorksWhereverOperatorsTypeIt() {
        long slot = service.siteWithOneSlot("fw", day, 1, 2);
        service.importCards("fw", 6_500_000_001L, 2);
        String fullWidth = "６５００　０００－００１"; // 6500 000-001 typed with a Japanese input method
        String query = java.net.URLEncoder.encode(fullWidth, java.nio.charset.StandardCharsets.UTF_8);
        JsonArray found = service.get("/api/v1/operator/bookings?noticeNumber=" + query, operator).array();
        assertEquals(1, found.size(), found.encode());
        assertEquals("6500000001", found.getJsonObject(0).getJsonObject("card").getString("noticeNumber"));
        assertEquals(1, service.get("/api/v1/operator/bookings?noticeNumber=6500-000-001", operator).array().size());

        TestService.Response booked = service.post("/api/v1/operator/bookings", operator,
                new JsonObject().put("noticeNumber", "６５０００００００２").put("slotId", slot));
        assertEquals(201, booked.status(), booked.toString());
        assertEquals(1, service.get("/api/v1/operator/bookings?noticeNumber=6500000002", operator).array().getJsonObject(0)
                .getJsonArray("bookings").size());
        TestService.Response history = service.get("/api/v1/operator/cards/" + query + "/history", operator);
        assertEquals(200, history.status(), history.toString());
        assertEquals("6500000001", history.json().getString("noticeNumber"));
        TestService.Response joined = service.post("/api/v1/operator/waitlist", operator, new JsonObject().put("noticeNumber", fullWidth)
                .put("from", day.minusDays(2).toString()).put("to", day.minusDays(1).toString()));
        assertEquals(201, joined.status(), joined.toString());
        assertEquals(200, service.get("/api/v1/operator/waitlist?noticeNumber=" + query, operator).status());

        TestService.Response notANumber = service.get("/api/v1/operator/cards/65000x0001/history", operator);
        assertEquals(400, notANumber.status(), notANumber.toString());
        assertEquals("invalid_request", notANumber.json().getString("error"));
        assertEquals(0, service.get("/api/v1/operator/bookings?noticeNumber=%EF%BC%96%EF%BC%95", operator).array().size());
    }

    @Test
    void anOperatorSeesACallersBirthDateOnlyByAskingAndEveryShowingIsAudited() {
        service.siteWithOneSlot("bd", day, 1, 1);
        String csv = "noticeNumber,birthDate,phone,siteId,state\n6600000001,1962-11-23,,bd,ready\n";
        assertEquals(200, service.post("/api/v1/admin/cards/import", A, csv).status());
        JsonObject found = service.get("/api/v1/operator/bookings?noticeNumber=6600000001", operator).array().getJsonObject(0);
        assertFalse(found.encode().contains("1962"), "finding a card shows no birth date: " + found.encode());

        TestService.Response shown = service.post("/api/v1/operator/cards/%EF%BC%96600000001/birth-date", operator,
                new JsonObject().put("reason", "caller checks who they are"));
        assertEquals(200, shown.status(), shown.toString());
        assertEquals("1962-11-23", shown.json().getString("birthDate"));
        assertEquals("6600000001", shown.json().getString("noticeNumber"));
        assertEquals(200, service.post("/api/v1/operator/cards/6600000001/birth-date", operator, null).status());

        JsonArray audit = service.get("/api/v1/admin/audit?action=card.birth_date_shown&target=card:6600000001", A).json()
                .getJsonArray("entries");
        assertEquals(2, audit.size(), audit.encode());
        assertEquals("op-api", audit.getJsonObject(1).getString("actor"));
        assertEquals("operator", audit.getJsonObject(1).getString("role"));
        assertEquals("caller checks who they are", audit.getJsonObject(1).getString("reason"));
        assertFalse(audit.encode().contains("1962"), "the audit row says it was shown, not what: " + audit.encode());

        TestService.Response none = service.post("/api/v1/operator/cards/6600009999/birth-date", operator, null);
        assertEquals(404, none.status(), none.toString());
        assertEquals("not_found", none.json().getString("error"));
        TestService.Response bad = service.post("/api/v1/operator/cards/66x/birth-date", operator, null);
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("invalid_request", bad.json().getString("error"));
        assertEquals(2, service.get("/api/v1/admin/audit?action=card.birth_date_shown", A).json().getJsonArray("entries").size(),
                "what was not shown is not recorded");
    }

    @Test
    void theNextFreeSlotsOfASiteSkipFullAndBlockedOnesAcrossDays() {
        LocalDate second = day.plusDays(1);
        long full = service.siteWithOneSlot("nf", day, 1, 1);
        // 10:15 the same day (to be blocked), and 10:00 and 10:15 the next day (two seats each)
        assertEquals(200, service.put("/api/v1/admin/sites/nf/capacity", A, new JsonObject().put("from", day.toString())
                .put("to", day.toString()).put("startTime", "10:15").put("endTime", "10:30").put("counters", 1).put("perCounter", 1)).status());
        assertEquals(200, service.put("/api/v1/admin/sites/nf/capacity", A, new JsonObject().put("from", second.toString())
                .put("to", second.toString()).put("startTime", "10:00").put("endTime", "10:30").put("counters", 1).put("perCounter", 2)).status());
        service.importCards("nf", 6_700_000_001L, 1);
        assertEquals(201, book(6_700_000_001L, full, null, null).getInteger("status"));
        long blocked = service.get("/api/v1/operator/sites/nf/slots?date=" + day, operator).json().getJsonArray("slots").getJsonObject(1)
                .getLong("slotId");
        assertEquals(200, service.post("/api/v1/operator/slots/" + blocked + "/block", operator, new JsonObject().put("reason", "counter broken")).status());

        TestService.Response r = service.get("/api/v1/operator/sites/nf/next-free?from=" + day.minusDays(30), operator);
        assertEquals(200, r.status(), r.toString());
        assertEquals("operator", r.json().getString("channel"));
        assertFalse(r.json().getBoolean("walkIn"));
        JsonArray slots = r.json().getJsonArray("slots");
        assertEquals(2, slots.size(), "the full and the blocked slot are left out: " + slots.encode());
        assertEquals(second + "T10:00:00+09:00", slots.getJsonObject(0).getString("start"));
        assertEquals(second + "T10:15:00+09:00", slots.getJsonObject(1).getString("start"));
        assertEquals(2, slots.getJsonObject(0).getInteger("remaining"));
        JsonArray one = service.get("/api/v1/operator/sites/nf/next-free?limit=1&channel=web", operator).json().getJsonArray("slots");
        assertEquals(1, one.size());
        assertEquals(second + "T10:00:00+09:00", one.getJsonObject(0).getString("start"));
        assertEquals(0, service.get("/api/v1/operator/sites/nf/next-free?from=" + second.plusDays(1), operator).json()
                .getJsonArray("slots").size(), "nothing after the last planned day");

        for (String bad : new String[] {"limit=0", "limit=51", "limit=ten", "channel=fax", "from=tomorrow"}) {
            TestService.Response refused = service.get("/api/v1/operator/sites/nf/next-free?" + bad, operator);
            assertEquals(400, refused.status(), bad + ": " + refused);
            assertEquals("invalid_request", refused.json().getString("error"), bad);
        }
        assertEquals(404, service.get("/api/v1/operator/sites/nosuch/next-free", operator).status());
        assertEquals(201, service.post("/api/v1/admin/sites", A, new JsonObject().put("id", "nf-walk")
                .put("name", new JsonObject().put("ja", "臨時").put("en", "Walk-in")).put("kind", "popup").put("walkIn", true)).status());
        JsonObject walkIn = service.get("/api/v1/operator/sites/nf-walk/next-free", operator).json();
        assertTrue(walkIn.getBoolean("walkIn"));
        assertTrue(walkIn.getJsonArray("slots").isEmpty());
    }

    @Test
    void theNextFreeSlotsNameTheSameWardsOtherSitesThenTheCardCenterWithTheirOwnTimes() {
        for (String[] site : new String[][] {{"nb-ward", "ward", "川崎市幸区戸手本町1-11-1"}, {"nb-branch", "branch", "川崎市幸区小倉1-1"},
                {"nb-other", "ward", "川崎市中原区小杉町3-245"}, {"nb-center", "center", "川崎市高津区坂戸3-2-1"}}) {
            assertEquals(201, service.post("/api/v1/admin/sites", A, new JsonObject().put("id", site[0])
                    .put("name", new JsonObject().put("ja", site[0]).put("en", site[0])).put("kind", site[1])
                    .put("address", new JsonObject().put("ja", site[2]).put("en", ""))).status());
        }
        assertEquals(201, service.post("/api/v1/admin/sites", A, new JsonObject().put("id", "nb-walk")
                .put("name", new JsonObject().put("ja", "臨時").put("en", "Walk-in")).put("kind", "popup").put("walkIn", true)
                .put("address", new JsonObject().put("ja", "川崎市幸区1-1").put("en", ""))).status());
        assertEquals(200, service.put("/api/v1/admin/sites/nb-branch/capacity", A, new JsonObject().put("from", day.toString())
                .put("to", day.toString()).put("startTime", "09:00").put("endTime", "09:15").put("counters", 1).put("perCounter", 3)).status());

        JsonObject r = service.get("/api/v1/operator/sites/nb-ward/next-free?nearby=5", operator).json();
        assertTrue(r.getJsonArray("slots").isEmpty(), "the ward office itself has no slots");
        JsonArray near = r.getJsonArray("nearby");
        // the same ward's branch office (the walk-in site takes no bookings), then the card center; not another ward's office
        assertEquals(2, near.size(), near.encode());
        assertEquals("nb-branch", near.getJsonObject(0).getString("siteId"));
        assertEquals("same_ward", near.getJsonObject(0).getString("why"));
        assertEquals(day + "T09:00:00+09:00", near.getJsonObject(0).getJsonArray("slots").getJsonObject(0).getString("start"));
        assertEquals(3, near.getJsonObject(0).getJsonArray("slots").getJsonObject(0).getInteger("remaining"));
        assertEquals("nb-center", near.getJsonObject(1).getString("siteId"));
        assertEquals("city_center", near.getJsonObject(1).getString("why"));
        assertEquals(1, service.get("/api/v1/operator/sites/nb-ward/next-free?nearby=1", operator).json().getJsonArray("nearby").size());
        assertFalse(service.get("/api/v1/operator/sites/nb-ward/next-free", operator).json().containsKey("nearby"), "none unless asked");
        for (String bad : new String[] {"nearby=6", "nearby=-1", "nearby=two"}) {
            assertEquals(400, service.get("/api/v1/operator/sites/nb-ward/next-free?" + bad, operator).status(), bad);
        }
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
