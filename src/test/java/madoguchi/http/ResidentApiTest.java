package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resident API (docs/api.md, openapi.yaml) over real HTTP: every path, its refusals and its error codes. */
class ResidentApiTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 8);
    private static MutableClock clock;
    private static TestService service;
    private static long full;
    private static long open;
    private static long other;
    private static long notice = 8_100_000_000L;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant());
        service = TestService.start(TestDatabase.fresh(), Map.of(), clock);
        full = service.siteWithOneSlot("api", DAY, 1, 1);
        service.put("/api/v1/admin/sites/api/capacity", TestService.ADMIN_TOKEN, new JsonObject().put("from", DAY.toString())
                .put("to", DAY.toString()).put("startTime", "11:00").put("endTime", "11:30").put("counters", 2).put("perCounter", 2));
        open = service.get("/api/v1/sites/api/availability?from=" + DAY + "&to=" + DAY, null).array().getJsonObject(1).getLong("slotId");
        other = service.siteWithOneSlot("elsewhere", DAY, 2, 2);
        service.importCards("api", notice, 40);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String resident() {
        return service.verify(notice++);
    }

    private static JsonObject slot(long id) {
        return new JsonObject().put("slotId", id);
    }

    @Test
    void verificationGivesTheSameAnswerForAnUnknownNumberAndAWrongBirthDate() {
        var unknown = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", "1234567890").put("birthDate", "1980-01-01"));
        var wrong = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1980-01-02"));
        assertEquals(401, unknown.status());
        assertEquals(unknown.body(), wrong.body());
        assertEquals("verification_failed", wrong.json().getString("error"));
        var ok = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", "1980-01-01"));
        assertEquals(200, ok.status());
        assertEquals("api", ok.json().getString("siteId"));
        assertEquals("ready", ok.json().getString("cardState"));
        for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("noticeNumber", 12).put("birthDate", "1980-01-01"),
                new JsonObject().put("noticeNumber", "12a").put("birthDate", "1980-01-01"),
                new JsonObject().put("noticeNumber", "1234567890").put("birthDate", "1980-02-30"),
                new JsonObject().put("noticeNumber", "1234567890").put("birthDate", "80-1-1"))) {
            var r = service.post("/api/v1/residents/verify", null, bad);
            assertEquals(400, r.status(), bad.encode());
            assertEquals("invalid_request", r.json().getString("error"));
        }
    }

    @Test
    void holdConfirmReadRescheduleCancel() {
        String token = resident();
        var hold = service.post("/api/v1/holds", token, slot(open));
        assertEquals(201, hold.status(), hold.body());
        assertEquals(clock.instant().plusSeconds(300).atZone(TOKYO).toOffsetDateTime().toString().substring(0, 16),
                hold.json().getString("expiresAt").substring(0, 16), "web holds last five minutes");
        var booked = service.post("/api/v1/holds/" + hold.json().getString("holdId") + "/confirm", token, null);
        assertEquals(201, booked.status(), booked.body());
        String code = booked.json().getString("code");
        assertEquals(code, madoguchi.domain.BookingCode.normalize(code), "ten digits with a valid check digit");
        assertNotEquals(madoguchi.domain.BookingCode.legacy().of(booked.json().getLong("bookingId")), code,
                "a new installation keys its codes with its own secret, not the constants in the source");
        assertEquals("active", service.get("/api/v1/bookings/" + code, token).json().getString("status"));
        assertEquals(404, service.get("/api/v1/bookings/" + code, resident()).status(), "another card cannot read it");
        assertEquals(409, service.post("/api/v1/bookings", token, slot(open)).status(), "one active booking per card");

        long later = service.get("/api/v1/sites/api/availability?from=" + DAY + "&to=" + DAY, null).array().getJsonObject(2).getLong("slotId");
        var moved = service.post("/api/v1/bookings/" + code + "/reschedule", token, slot(later));
        assertEquals(200, moved.status(), moved.body());
        assertEquals(later, moved.json().getLong("slotId"));
        assertEquals(code, moved.json().getString("code"), "the code stays the same");
        var me = service.get("/api/v1/residents/me", token).json();
        assertEquals(1, me.getJsonArray("bookings").size());

        var cancelled = service.delete("/api/v1/bookings/" + code, token);
        assertEquals(200, cancelled.status());
        assertEquals("cancelled", service.get("/api/v1/bookings/" + code, token).json().getString("status"));
        assertEquals(404, service.delete("/api/v1/bookings/" + code, token).status());
        assertEquals(201, service.post("/api/v1/bookings", token, slot(open)).status(), "may book again after cancelling");
    }

    @Test
    void refusalsCarryTheirCodes() {
        String first = resident();
        assertEquals(201, service.post("/api/v1/bookings", first, slot(full)).status());
        var taken = service.post("/api/v1/bookings", resident(), slot(full));
        assertEquals(409, taken.status());
        assertEquals("slot_full", taken.json().getString("error"));
        assertEquals("already_booked", service.post("/api/v1/bookings", first, slot(open)).json().getString("error"));
        var wrongSite = service.post("/api/v1/bookings", resident(), slot(other));
        assertEquals(409, wrongSite.status());
        assertEquals("wrong_site", wrongSite.json().getString("error"));
        var missing = service.post("/api/v1/bookings", resident(), slot(999_999_999));
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.json().getString("error"));
        assertEquals(401, service.post("/api/v1/bookings", null, slot(open)).status());
        assertEquals(401, service.post("/api/v1/bookings", "forged.token", slot(open)).status());
    }

    @Test
    void aCardThatIsNotReadyCannotBook() {
        service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN,
                "noticeNumber,birthDate,phone,siteId,state\n8199999999,1980-01-01,,api,incomplete\n");
        var verified = service.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", "8199999999").put("birthDate", "1980-01-01"));
        assertEquals("incomplete", verified.json().getString("cardState"));
        var r = service.post("/api/v1/bookings", verified.json().getString("token"), slot(open));
        assertEquals(409, r.status());
        assertEquals("card_not_ready", r.json().getString("error"));
    }

    @Test
    void slotsOutsideTheBookingWindowAreRefused() {
        LocalDate today = clock.instant().atZone(TOKYO).toLocalDate();
        service.put("/api/v1/admin/sites/api/capacity", TestService.ADMIN_TOKEN, new JsonObject().put("from", today.toString())
                .put("to", today.toString()).put("startTime", "23:00").put("endTime", "23:15").put("counters", 1).put("perCounter", 1));
        long tonight = service.get("/api/v1/sites/api/availability?channel=operator&from=" + today + "&to=" + today, null)
                .array().getJsonObject(0).getLong("slotId");
        var r = service.post("/api/v1/bookings", resident(), slot(tonight));
        assertEquals(422, r.status());
        assertEquals("slot_not_bookable", r.json().getString("error"));
        assertTrue(service.get("/api/v1/sites/api/availability?from=" + today + "&to=" + today, null).array().isEmpty(),
                "residents are not offered today's slots");
    }

    @Test
    void anUnconfirmedHoldExpiresAndFreesItsSeat() throws Exception {
        service.siteWithOneSlot("tiny", DAY, 1, 1);
        service.importCards("tiny", 8_300_000_000L, 2);
        long tiny = service.get("/api/v1/sites/tiny/availability?from=" + DAY + "&to=" + DAY, null).array().getJsonObject(0).getLong("slotId");
        String a = service.verify(8_300_000_000L);
        String b = service.verify(8_300_000_001L);
        var hold = service.post("/api/v1/holds", a, slot(tiny));
        assertEquals(201, hold.status());
        assertEquals("slot_full", service.post("/api/v1/bookings", b, slot(tiny)).json().getString("error"));
        clock.advance(Duration.ofSeconds(301));
        service.app.services().allocator().expireDueHolds().await();
        var late = service.post("/api/v1/holds/" + hold.json().getString("holdId") + "/confirm", a, null);
        assertEquals(410, late.status());
        assertEquals("hold_expired", late.json().getString("error"));
        assertEquals(201, service.post("/api/v1/bookings", b, slot(tiny)).status(), "the seat came back");
    }

    @Test
    void aRetriedPostWithTheSameIdempotencyKeyBooksOnce() throws Exception {
        String token = resident();
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + notice);
        var first = service.post("/api/v1/bookings", token, slot(open), key);
        var again = service.post("/api/v1/bookings", token, slot(open), key);
        assertEquals(201, first.status());
        assertEquals(201, again.status());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"));
        var otherBody = service.post("/api/v1/bookings", token, slot(full), key);
        assertEquals(422, otherBody.status());
        assertEquals("idempotency_key_reused", otherBody.json().getString("error"));
        assertNull(otherBody.header("Idempotent-Replayed"), "nothing was replayed");
        assertNull(first.header("Idempotent-Replayed"), "the first answer is no replay either");

        String clicker = resident();
        Map<String, String> click = Map.of("Idempotency-Key", "double-click-" + notice);
        var answers = List.of(
                CompletableFuture.supplyAsync(() -> service.post("/api/v1/bookings", clicker, slot(open), click)),
                CompletableFuture.supplyAsync(() -> service.post("/api/v1/bookings", clicker, slot(open), click)),
                CompletableFuture.supplyAsync(() -> service.post("/api/v1/bookings", clicker, slot(open), click)));
        for (var a : answers) {
            assertEquals(201, a.get().status(), a.get().body());
            assertEquals(answers.get(0).get().json().getString("code"), a.get().json().getString("code"));
        }
        try (var c = TestDatabase.connect(service.database); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM bookings b JOIN cards c ON c.id = b.card_id WHERE c.notice_number = '" + (notice - 1) + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "three clicks, one booking");
        }
    }

    @Test
    void aReplayIsRenderedFromTheKeptDecisionForTheRequestThatAsks() throws Exception {
        String token = resident();
        var first = service.post("/api/v1/bookings", token, slot(open), Map.of("Idempotency-Key", "kept-" + notice));
        assertEquals(201, first.status(), first.body());
        try (var c = TestDatabase.connect(service.database); var st = c.createStatement();
             var rs = st.executeQuery("SELECT kind, code, slot_id FROM idempotency_keys WHERE key = 'kept-" + notice + "'")) {
            rs.next();
            assertEquals("booking " + first.json().getString("code") + " " + open,
                    rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3), "the decision is kept as data, not as a body");
        }
        var again = service.post("/api/v1/bookings", token, slot(open), Map.of("Idempotency-Key", "kept-" + notice, "Accept-Language", "en"));
        assertEquals(first.json(), again.json(), "the replay, rendered again, says what the first answer said");
        assertEquals("true", again.header("Idempotent-Replayed"));
        var reusedJa = service.post("/api/v1/bookings", token, slot(full), Map.of("Idempotency-Key", "kept-" + notice, "Accept-Language", "ja"));
        var reusedEn = service.post("/api/v1/bookings", token, slot(full), Map.of("Idempotency-Key", "kept-" + notice, "Accept-Language", "en"));
        assertEquals("idempotency_key_reused", reusedJa.json().getString("error"));
        assertEquals(madoguchi.app.Words.IDEMPOTENCY_KEY_REUSED.text(madoguchi.app.Words.Language.JA, null), reusedJa.json().getString("message"));
        assertEquals("This Idempotency-Key was used for a different request.", reusedEn.json().getString("message"));
    }

    @Test
    void badInputIsA4xxWithACode() {
        String token = resident();
        assertEquals("invalid_json", service.post("/api/v1/bookings", token, "{not json").json().getString("error"));
        assertEquals("invalid_json", service.post("/api/v1/bookings", token, "[1,2]").json().getString("error"));
        assertEquals(400, service.post("/api/v1/bookings", token, new JsonObject().put("slotId", "abc")).status());
        assertEquals(400, service.post("/api/v1/bookings", token, new JsonObject().put("slotId", 1.5)).status());
        assertEquals(400, service.post("/api/v1/bookings", token, slot(open), Map.of("Idempotency-Key", "spaces are bad")).status());
        var huge = service.post("/api/v1/bookings", token, "{\"slotId\":1,\"x\":\"" + "a".repeat(70_000) + "\"}");
        assertEquals(413, huge.status());
        assertEquals("body_too_large", huge.json().getString("error"));
        assertEquals(400, service.get("/api/v1/sites/api/availability?channel=fax", null).status());
        assertEquals(400, service.get("/api/v1/sites/api/availability?from=2026-13-01", null).status());
        assertEquals(400, service.get("/api/v1/sites/api/availability?from=2026-12-01&to=2027-12-01", null).status());
        assertEquals(404, service.get("/api/v1/sites/nowhere/availability", null).status());
        assertEquals(404, service.get("/api/v1/bookings/123", token).status());
        assertNotEquals(500, service.delete("/api/v1/holds/not-a-uuid", token).status());
    }

    @Test
    void residentsReachNothingOfOperatorsOrAdmins() {
        String token = resident();
        assertEquals(401, service.get("/api/v1/operator/bookings?noticeNumber=1", token).status());
        assertEquals(401, service.post("/api/v1/admin/users", token, new JsonObject().put("name", "x").put("role", "admin")).status());
        var op = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN, new JsonObject().put("name", "op1").put("role", "operator"));
        assertEquals(201, op.status());
        String operator = op.json().getString("token");
        assertEquals(200, service.get("/api/v1/operator/bookings?noticeNumber=1", operator).status());
        assertEquals(403, service.post("/api/v1/admin/users", operator, new JsonObject().put("name", "y").put("role", "admin")).status());
        assertEquals(401, service.post("/api/v1/bookings", operator, slot(open)).status(), "a staff token is not a resident token");
    }

    static Instant at(LocalDate d, int h) {
        return d.atTime(h, 0).atZone(TOKYO).toInstant();
    }
}
