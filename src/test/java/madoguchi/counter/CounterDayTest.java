package madoguchi.counter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import madoguchi.telephony.SmsRepliesTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counter's day over HTTP on PostgreSQL: the day list (JSON and CSV), a visit's steps in
 * order with their refusals and audit rows, a proxy pick-up, and a walk-in site's tickets with
 * their cap, their SMS (to a local fake of Twilio's API), calls, no-shows, and a restart that
 * loses no ticket and never gives a number twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CounterDayTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2027, 2, 8);
    private static final String OP = TestService.ADMIN_TOKEN;
    private static final long BOOKED = 7_600_000_001L;
    private static final long WALKING = 7_610_000_001L;
    private static MutableClock clock;
    private static FakeTwilioApi twilio;
    private static TestService service;
    /** The booking codes of the two booked residents. */
    private static final class Codes {
        String first;
        String proxy;
    }

    private static final Codes codes = new Codes();

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(2).atTime(9, 0).atZone(TOKYO).toInstant());
        twilio = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), twilio, clock, Map.of());
        long slot = service.siteWithOneSlot("desk", DAY, 2, 2);
        service.importCards("desk", BOOKED, 4);
        codes.first = book(BOOKED, slot);
        codes.proxy = book(BOOKED + 1, slot);
        JsonObject doorSite = new JsonObject().put("id", "door").put("walkIn", true)
                .put("name", new JsonObject().put("ja", "予約不要窓口").put("en", "Walk-in")).put("kind", "popup").put("address", "川崎市");
        var dry = service.post("/api/v1/admin/sites?dryRun=true", OP, doorSite);
        assertEquals(200, dry.status(), "opening a walk-in site has a dry run: " + dry.body());
        assertEquals(true, dry.json().getBoolean("walkIn"));
        assertEquals(404, service.get("/api/v1/sites/door/board", null).status(), "the dry run opened nothing");
        var door = service.post("/api/v1/admin/sites", OP, doorSite);
        assertEquals(201, door.status(), door.body());
        assertEquals(409, service.post("/api/v1/admin/sites?dryRun=true", OP, doorSite).status(), "the id is taken now");
        var cap = service.put("/api/v1/admin/sites/door/capacity", OP, new JsonObject().put("from", DAY.toString()).put("to", DAY.toString())
                .put("startTime", "10:00").put("endTime", "10:15").put("counters", 2).put("perCounter", 3));
        assertEquals(200, cap.status(), cap.body());
        service.importCards("door", WALKING, 10);
        clock.set(DAY.atTime(10, 5).atZone(TOKYO).toInstant());
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        twilio.close();
    }

    private static String book(long card, long slot) {
        var r = service.post("/api/v1/bookings", service.verify(card), new JsonObject().put("slotId", slot));
        assertEquals(201, r.status(), r.body());
        return r.json().getString("code");
    }

    private static TestService.Response step(long card, JsonObject body) {
        return service.post("/api/v1/operator/cards/" + card + "/steps", OP, body);
    }

    private static JsonObject line(String site, long card) {
        var day = service.get("/api/v1/operator/sites/" + site + "/day?date=" + DAY, OP);
        assertEquals(200, day.status(), day.body());
        for (Object o : day.json().getJsonArray("lines")) {
            JsonObject l = (JsonObject) o;
            if (l.getString("noticeNumber").equals(Long.toString(card))) {
                return l;
            }
        }
        throw new AssertionError("no line for " + card + " in " + day.body());
    }

    private static int audited(String action) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM audit_log WHERE action = '" + action + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @Order(1)
    void theDayListShowsEveryBookingByTimeAndDownloadsAsCsv() {
        var day = service.get("/api/v1/operator/sites/desk/day?date=" + DAY, OP);
        assertEquals(200, day.status(), day.body());
        JsonArray lines = day.json().getJsonArray("lines");
        assertEquals(2, lines.size(), day.body());
        assertEquals("active", lines.getJsonObject(0).getString("state"));
        assertEquals("web", lines.getJsonObject(0).getString("channel"));
        assertTrue(lines.getJsonObject(0).getString("start").startsWith(DAY + "T10:00"), day.body());
        var csv = service.get("/api/v1/operator/sites/desk/day?date=" + DAY + "&format=csv", OP);
        assertEquals(200, csv.status());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.header("Content-Type"));
        String[] rows = csv.body().split("\r\n");
        assertEquals(3, rows.length, csv.body());
        assertTrue(rows[1].contains(codes.first) || rows[2].contains(codes.first), csv.body());
        assertEquals(400, service.get("/api/v1/operator/sites/desk/day", OP).status(), "a date is needed");
        assertEquals(404, service.get("/api/v1/operator/sites/nowhere/day?date=" + DAY, OP).status());
        assertEquals(401, service.get("/api/v1/operator/sites/desk/day?date=" + DAY, null).status());

        // residents see the walk-in site and its hours this week on the site list (the start page names it)
        JsonObject door = service.get("/api/v1/sites", null).array().stream().map(o -> (JsonObject) o)
                .filter(site -> site.getString("id").equals("door")).findFirst().orElseThrow();
        JsonObject today = door.getJsonArray("walkInHours").getJsonObject(0);
        assertEquals(DAY.toString(), today.getString("date"));
        assertTrue(today.getString("opens").startsWith(DAY + "T10:00") && today.getString("closes").startsWith(DAY + "T10:15"), today.encode());

        // and callers hear it at the main menu, in their language
        PhoneCall ja = new PhoneCall(service.base(), SmsRepliesTest.AUTH_TOKEN, "+819011110001");
        ja.dial();
        String menu = ja.press("1").text();
        assertTrue(menu.contains("なお、予約なしで受け取れる窓口もあります。予約不要窓口で、2月8日 月曜日 午前10時から午前10時15分まで受け付けています。"), menu);
        PhoneCall en = new PhoneCall(service.base(), SmsRepliesTest.AUTH_TOKEN, "+819011110002");
        en.dial();
        String english = en.press("2").text();
        assertTrue(english.contains("A walk-in counter also serves without a booking: Walk-in, open Monday, February 8th at 10 AM until 10:15 AM"),
                english);
    }

    @Test
    @Order(2)
    void theIssuingStepsGoInOrderEachAuditedAndEndWithTheCardIssued() throws Exception {
        var early = step(BOOKED, new JsonObject().put("step", "identity_checked").put("notice", true).put("typeA", new JsonArray().add("passport")));
        assertEquals(409, early.status(), early.body());
        assertEquals("no_visit", early.json().getString("error"));

        var arrived = step(BOOKED, new JsonObject().put("step", "arrived").put("counter", 3));
        assertEquals(200, arrived.status(), arrived.body());
        assertEquals(codes.first, arrived.json().getString("code"));
        assertEquals(409, step(BOOKED, new JsonObject().put("step", "arrived")).status(), "arrived once");
        assertEquals("arrived", line("desk", BOOKED).getString("state"));

        var skipped = step(BOOKED, new JsonObject().put("step", "pins").put("pins", "set"));
        assertEquals(409, skipped.status(), skipped.body());
        assertEquals("step_out_of_order", skipped.json().getString("error"));

        var oneB = step(BOOKED, new JsonObject().put("step", "identity_checked").put("notice", true)
                .put("typeB", new JsonArray().add("health_insurance_card")));
        assertEquals(422, oneB.status(), oneB.body());
        assertEquals("identity_insufficient", oneB.json().getString("error"));
        var unknown = step(BOOKED, new JsonObject().put("step", "identity_checked").put("notice", true)
                .put("typeA", new JsonArray().add("library_card")));
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals("unknown_document", unknown.json().getString("error"));
        var twoB = step(BOOKED, new JsonObject().put("step", "identity_checked").put("notice", true)
                .put("typeB", new JsonArray().add("health_insurance_card").add("pension_book")));
        assertEquals(200, twoB.status(), twoB.body());
        assertEquals(new JsonArray().add("notice").add("health_insurance_card").add("pension_book"),
                twoB.json().getJsonObject("visit").getJsonArray("documents"));

        var noReason = step(BOOKED, new JsonObject().put("step", "pins").put("pins", "postponed"));
        assertEquals(400, noReason.status(), noReason.body());
        assertEquals(200, step(BOOKED, new JsonObject().put("step", "pins").put("pins", "postponed").put("reason", "忘れた")).status());
        assertEquals(200, step(BOOKED, new JsonObject().put("step", "returned").put("returned", new JsonArray().add("notification_card"))).status());
        var issued = step(BOOKED, new JsonObject().put("step", "issued"));
        assertEquals(200, issued.status(), issued.body());

        JsonObject l = line("desk", BOOKED);
        assertEquals("issued", l.getString("state"));
        assertEquals("issued", l.getString("status"));
        assertEquals(3, l.getJsonObject("visit").getInteger("counter"));
        assertEquals("postponed", l.getJsonObject("visit").getString("pins"));
        var card = service.get("/api/v1/operator/bookings?noticeNumber=" + BOOKED, OP).array().getJsonObject(0);
        assertEquals("issued", card.getJsonObject("card").getString("state"));
        for (String a : new String[] {"counter.arrived", "counter.identity_checked", "counter.pins", "counter.returned", "counter.issued"}) {
            assertEquals(1, audited(a), a);
        }
        assertTrue(service.metrics().contains("madoguchi_counter_issued_total{site=\"desk\"} 1.0"), "the throughput metric counts it");
    }

    @Test
    @Order(3)
    void aProxyIsShownOnTheDayListAndBringsItsOwnDocuments() throws Exception {
        var partial = service.put("/api/v1/operator/cards/" + (BOOKED + 1) + "/needs", OP, new JsonObject().put("proxy", true));
        assertEquals(400, partial.status(), "a PUT tells every yes/no answer: " + partial.body());
        var needs = service.put("/api/v1/operator/cards/" + (BOOKED + 1) + "/needs", OP, new JsonObject().put("proxy", true)
                .put("wheelchair", true).put("signLanguage", false).put("hearingLoop", false)
                .put("proxyDocuments", new JsonArray().add("letter_of_attorney")));
        assertEquals(200, needs.status(), needs.body());
        JsonObject l = line("desk", BOOKED + 1);
        assertEquals(true, l.getJsonObject("needs").getBoolean("proxy"));
        assertEquals(true, l.getJsonObject("needs").getBoolean("wheelchair"));
        assertEquals(200, step(BOOKED + 1, new JsonObject().put("step", "arrived")).status());
        JsonObject identity = new JsonObject().put("step", "identity_checked").put("notice", true).put("typeA", new JsonArray().add("passport"))
                .put("byProxy", true).put("proxyDocuments", new JsonArray().add("letter_of_attorney"));
        var missing = step(BOOKED + 1, identity);
        assertEquals(422, missing.status(), "a proxy without the reason and their own ID: " + missing.body());
        identity.put("proxyDocuments", new JsonArray().add("letter_of_attorney").add("reason_document").add("proxy_photo_id"));
        var ok = step(BOOKED + 1, identity);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(true, ok.json().getJsonObject("visit").getBoolean("byProxy"));

        // the slot ends while the proxy is still at the counter: the no-show sweep leaves the booking alone
        clock.set(DAY.atTime(11, 0).atZone(TOKYO).toInstant());
        try {
            assertEquals(0, (int) service.app.services().lifecycle().sweepNoShows().await(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("active", line("desk", BOOKED + 1).getString("status"));
        } finally {
            clock.set(DAY.atTime(10, 5).atZone(TOKYO).toInstant());
        }
        assertEquals(404, service.get("/api/v1/operator/cards/9999999999/needs", OP).status());
    }

    @Test
    @Order(4)
    void walkInTicketsAreCappedCalledTextedAndEndServedOrNoShow() throws Exception {
        var elsewhere = service.post("/api/v1/operator/sites/door/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(BOOKED + 2)));
        assertEquals(409, elsewhere.status(), elsewhere.body());
        assertEquals("wrong_site", elsewhere.json().getString("error"));
        var notWalkIn = service.post("/api/v1/operator/sites/desk/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(BOOKED + 2)));
        assertEquals("not_walk_in", notWalkIn.json().getString("error"));
        var wrongBirth = service.post("/api/v1/operator/sites/door/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(WALKING))
                .put("birthDate", "1999-09-09"));
        assertEquals(422, wrongBirth.status(), wrongBirth.body());

        for (int i = 0; i < 6; i++) {
            JsonObject body = new JsonObject().put("noticeNumber", Long.toString(WALKING + i)).put("birthDate", "1980-01-01");
            if (i == 0 || i == 4) {
                body.put("phone", "090-0000-000" + i).put("language", i == 4 ? "en" : "ja");
            }
            var t = service.post("/api/v1/operator/sites/door/tickets", OP, body);
            assertEquals(201, t.status(), t.body());
            assertEquals(i + 1, t.json().getInteger("number"));
            assertEquals(i, t.json().getInteger("ahead"));
            assertEquals(6L * i, t.json().getLong("expectedWaitMinutes"), "6 minutes each before any pace is measured, one counter assumed");
        }
        var again = service.post("/api/v1/operator/sites/door/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(WALKING)));
        assertEquals(409, again.status());
        assertEquals("already_waiting", again.json().getString("error"));
        assertEquals(1, again.json().getJsonObject("ticket").getInteger("number"));
        var gone = service.post("/api/v1/operator/sites/door/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(WALKING + 6)));
        assertEquals(409, gone.status(), "capacity 6 is the day's cap: " + gone.body());
        assertEquals("tickets_gone", gone.json().getString("error"));

        var called = service.post("/api/v1/operator/sites/door/calls", OP, new JsonObject().put("counter", 2));
        assertEquals(200, called.status(), called.body());
        assertEquals(1, called.json().getInteger("number"));
        assertEquals("called", called.json().getString("state"));
        var text = twilio.awaitSentTo("+819000000000");
        assertTrue(text.form().get("Body").contains("番号札 1 番") && text.form().get("Body").contains("2番窓口"), text.form().toString());
        var near = twilio.awaitSentTo("+819000000004");
        assertTrue(near.form().get("Body").contains("Ticket 5") && near.form().get("Body").contains("3 before you"), near.form().toString());

        var board = service.get("/api/v1/sites/door/board", null).json();
        assertEquals(5, board.getInteger("waiting"));
        assertEquals(1, board.getJsonArray("called").getJsonObject(0).getInteger("number"));
        assertEquals(2, board.getJsonArray("called").getJsonObject(0).getInteger("counter"));
        assertNull(board.getJsonArray("called").getJsonObject(0).getValue("noticeNumber"), "the board never shows whose number it is");

        // number 1 comes to the counter and is served through the same steps as a booking
        assertEquals(200, step(WALKING, new JsonObject().put("step", "arrived")).status());
        assertEquals(200, step(WALKING, new JsonObject().put("step", "identity_checked").put("notice", true)
                .put("typeA", new JsonArray().add("driver_license"))).status());
        assertEquals(200, step(WALKING, new JsonObject().put("step", "pins").put("pins", "set")).status());
        assertEquals(200, step(WALKING, new JsonObject().put("step", "returned").put("returned", new JsonArray().add("none"))).status());
        assertEquals(200, step(WALKING, new JsonObject().put("step", "issued")).status());
        assertEquals("issued", service.get("/api/v1/operator/bookings?noticeNumber=" + WALKING, OP).array().getJsonObject(0)
                .getJsonObject("card").getString("state"));
        assertEquals("served", line("door", WALKING).getString("status"));

        // number 2 never comes: called three times, the fourth call ends it
        assertEquals(2, service.post("/api/v1/operator/sites/door/calls", OP, new JsonObject().put("counter", 1)).json().getInteger("number"));
        for (int calls = 2; calls <= 3; calls++) {
            var r = service.post("/api/v1/operator/sites/door/tickets/2/call-again", OP, new JsonObject().put("counter", 1));
            assertEquals(calls, r.json().getInteger("calls"), r.body());
        }
        var noShow = service.post("/api/v1/operator/sites/door/tickets/2/call-again", OP, new JsonObject().put("counter", 1));
        assertEquals("no_show", noShow.json().getString("state"), noShow.body());
        assertEquals(404, service.post("/api/v1/operator/sites/door/tickets/2/call-again", OP, new JsonObject().put("counter", 1)).status());
        assertEquals(1, audited("walkin.no_show"));
        assertEquals(6, audited("walkin.ticket"));
    }

    @Test
    @Order(5)
    void theReportsCountCardsHandedOverPerCounterHour() {
        var r = service.get("/api/v1/admin/reports/counters?from=" + DAY + "&to=" + DAY, OP);
        assertEquals(200, r.status(), r.body());
        JsonArray days = r.json().getJsonArray("days");
        assertEquals(2, days.size(), r.body());
        for (Object o : days) {
            JsonObject d = (JsonObject) o;
            assertEquals(1, d.getInteger("issued"), d.encode());
            assertEquals(1, d.getInteger("counterHours"), "every step in one hour at one counter: " + d.encode());
        }
        assertEquals(1.0, r.json().getJsonObject("totals").getDouble("issuedPerCounterHour"));
        assertEquals(400, service.get("/api/v1/admin/reports/counters?from=" + DAY + "&to=" + DAY.minusDays(1), OP).status());
    }

    @Test
    @Order(6)
    void aRestartLosesNoTicketAndGivesNoNumberTwice() throws Exception {
        var before = service.get("/api/v1/sites/door/board", null).json();
        service.close();
        service = SmsRepliesTest.start(service.database, twilio, clock, Map.of());
        var after = service.get("/api/v1/sites/door/board", null).json();
        assertEquals(before.getInteger("waiting"), after.getInteger("waiting"));
        var cap = service.put("/api/v1/admin/sites/door/capacity", OP, new JsonObject().put("from", DAY.toString()).put("to", DAY.toString())
                .put("startTime", "10:00").put("endTime", "10:15").put("counters", 2).put("perCounter", 4));
        assertEquals(200, cap.status(), "an administrator raises the day's cap like any capacity: " + cap.body());
        var next = service.post("/api/v1/operator/sites/door/tickets", OP, new JsonObject().put("noticeNumber", Long.toString(WALKING + 6)));
        assertEquals(201, next.status(), next.body());
        assertEquals(7, next.json().getInteger("number"));
    }
}
