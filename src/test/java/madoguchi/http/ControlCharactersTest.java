package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NUL byte (or another control character) in any text input is refused with 400 naming the
 * field, before anything is written: PostgreSQL refuses NUL in text, so once it reached a write it
 * skipped the audit row after the change was made, or failed a whole allocator batch.
 */
class ControlCharactersTest {
    private static final LocalDate DAY = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(4);
    private static final long FIRST = 6_600_000_000L;
    private static TestService service;
    private static long slot;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_ALLOCATOR_WAIT_MS", "0"), Clock.systemUTC());
        slot = service.siteWithOneSlot("nul", DAY, 10, 3);
        service.importCards("nul", FIRST, 30);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static void refused(TestService.Response r, String field) {
        assertEquals(400, r.status(), r.toString());
        assertEquals("invalid_request", r.json().getString("error"), r.body());
        // in the request's language (Japanese unless asked otherwise): 'field' or 「field」
        String message = r.json().getString("message");
        assertTrue(message.contains("'" + field + "'") || message.contains("「" + field + "」"), "names the field: " + r.body());
    }

    private static TestService.Response rawJson(String path, String json) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(service.base() + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new TestService.Response(r.statusCode(), r.body(), r.headers().map());
    }

    private static long count(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWaitlistEntryWithANulReasonIsRefusedAndNothingIsWritten() throws Exception {
        long auditBefore = count("SELECT count(*) FROM audit_log");
        TestService.Response r = service.post("/api/v1/operator/waitlist", TestService.ADMIN_TOKEN, new JsonObject()
                .put("noticeNumber", Long.toString(FIRST + 29)).put("from", DAY.toString()).put("to", DAY.toString())
                .put("reason", "\u0000"));
        refused(r, "reason");
        assertEquals(0, count("SELECT count(*) FROM waitlist w JOIN cards c ON c.id = w.card_id WHERE c.notice_number = '"
                + (FIRST + 29) + "'"), "no waitlist row");
        assertEquals(auditBefore, count("SELECT count(*) FROM audit_log"), "no audit row");
    }

    @Test
    void anUnblockWithANulReasonIsRefusedAndTheSlotStaysBlocked() throws Exception {
        long other = service.siteWithOneSlot("nul-block", DAY, 1, 1);
        assertEquals(200, service.post("/api/v1/operator/slots/" + other + "/block", TestService.ADMIN_TOKEN,
                new JsonObject().put("reason", "counter broken")).status());
        refused(service.post("/api/v1/operator/slots/" + other + "/unblock", TestService.ADMIN_TOKEN,
                new JsonObject().put("reason", "x\u0000")), "reason");
        assertEquals(1, count("SELECT count(*) FROM slots WHERE id = " + other + " AND blocked"), "still blocked");
        assertEquals(0, count("SELECT count(*) FROM audit_log WHERE action = 'slot.unblock' AND target = 'slot:" + other + "'"));
    }

    @Test
    void anOverrideWithANulReasonIsRefusedWhileResidentsBookingAtTheSameSiteAllSucceed() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(service.verify(FIRST + i));
        }
        List<CompletableFuture<TestService.Response>> bookings = new ArrayList<>();
        CompletableFuture<TestService.Response> override = null;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            bookings.add(CompletableFuture.supplyAsync(() -> service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot))));
            if (i == tokens.size() / 2) {
                override = CompletableFuture.supplyAsync(() -> service.post("/api/v1/operator/bookings", TestService.ADMIN_TOKEN,
                        new JsonObject().put("noticeNumber", Long.toString(FIRST + 25)).put("slotId", slot)
                                .put("override", true).put("reason", "seat for a wheelchair user\u0000")));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<TestService.Response> b : bookings) {
            statuses.add(b.get().status());
        }
        assertEquals(java.util.Collections.nCopies(20, 201), statuses, "every resident is booked");
        refused(override.get(), "reason");
        assertEquals(20, count("SELECT count(*) FROM bookings WHERE slot_id = " + slot + " AND status = 'active'"));
        assertEquals(0, count("SELECT count(*) FROM bookings WHERE override"));
    }

    @Test
    void everyKindOfTextInputRefusesControlCharacters() throws Exception {
        String a = TestService.ADMIN_TOKEN;
        // JSON fields: a site's name and address, an inventory note, a block reason
        refused(service.post("/api/v1/admin/sites", a, new JsonObject().put("id", "x1").put("kind", "popup")
                .put("name", new JsonObject().put("ja", "会場\u0000").put("en", "Site"))), "ja");
        refused(service.post("/api/v1/admin/sites", a, new JsonObject().put("id", "x2").put("kind", "popup")
                .put("name", new JsonObject().put("ja", "会場").put("en", "Site")).put("address", "川崎\u0000市")), "address");
        refused(service.post("/api/v1/admin/inventory", a, new JsonObject().put("siteId", "nul")
                .put("countedAt", LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).toString()).put("counted", 3)
                .put("note", "shelf\u0000")), "note");
        refused(service.post("/api/v1/operator/slots/" + slot + "/block", a, new JsonObject().put("reason", "\u0000")), "reason");
        // every control character, not only NUL: C0 (tab and newline too), DEL, C1, and a lone surrogate
        for (String bad : new String[] {"\u0001", "\t", "\n", "\r", "\u001f", "\u007f", "\u0080", "\u0085", "\u009f"}) {
            refused(service.post("/api/v1/operator/slots/" + slot + "/block", a, new JsonObject().put("reason", "a" + bad)), "reason");
        }
        // a lone surrogate cannot travel as UTF-8, only as a JSON escape
        for (String escaped : new String[] {"a\\ud800", "\\udc00x", "\\ud83d\\u0041"}) {
            refused(rawJson("/api/v1/operator/slots/" + slot + "/block", "{\"reason\": \"" + escaped + "\"}"), "reason");
        }
        assertEquals(0, count("SELECT count(*) FROM slots WHERE id = " + slot + " AND blocked"));
        // what is not a control character still passes: Japanese, emoji, a paired surrogate
        TestService.Response ok = service.post("/api/v1/operator/slots/" + slot + "/block", a,
                new JsonObject().put("reason", "窓口😀 ｆｕｌｌ"));
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(200, service.post("/api/v1/operator/slots/" + slot + "/unblock", a, null).status());

        // query parameters, their names, and path parameters
        refused(service.get("/api/v1/admin/audit?actor=%00", a), "actor");
        refused(service.get("/api/v1/operator/bookings?phone=%00", a), "phone");
        refused(service.get("/api/v1/operator/bookings?phone=090%C2%85", a), "phone");
        TestService.Response name = service.get("/api/v1/sites?x%01=1", a);
        assertEquals(400, name.status(), name.toString());
        refused(service.get("/api/v1/sites/nul%00/availability", null), "siteId");
        refused(service.post("/api/v1/operator/slots/1%00/unblock", a, null), "slotId");
    }
}
