package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A card handed over at the counter completes its booking and the card; a slot that passed
 * without the resident leaves a no-show the resident may book again after. Neither gives the
 * seat back: the slot row, memory and the bookings behind them agree.
 */
class CardLifecycleTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 8);
    private static MutableClock clock;
    private static TestService service;
    private static long missedSlot;
    private static long laterSlot;
    private static long issueSlot;
    private static long notice = 7_300_000_000L;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant());
        service = TestService.start(TestDatabase.fresh(), Map.of(), clock);
        missedSlot = service.siteWithOneSlot("life", DAY, 3, 1);
        issueSlot = slotOn(DAY.plusDays(5), 3);
        laterSlot = slotOn(DAY.plusDays(2), 3);
        service.importCards("life", notice, 30);
    }

    private static long slotOn(LocalDate day, int counters) {
        var cap = service.put("/api/v1/admin/sites/life/capacity", TestService.ADMIN_TOKEN, new JsonObject().put("from", day.toString())
                .put("to", day.toString()).put("startTime", "10:00").put("endTime", "10:15").put("counters", counters).put("perCounter", 1));
        assertEquals(200, cap.status(), cap.body());
        return service.get("/api/v1/sites/life/availability?channel=operator&from=" + day + "&to=" + day, null)
                .array().getJsonObject(0).getLong("slotId");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String book(long card, long slot) {
        var r = service.post("/api/v1/bookings", service.verify(card), new JsonObject().put("slotId", slot));
        assertEquals(201, r.status(), r.body());
        return r.json().getString("code");
    }

    private static String cardState(long card) {
        return service.get("/api/v1/operator/bookings?noticeNumber=" + card, TestService.ADMIN_TOKEN).array()
                .getJsonObject(0).getJsonObject("card").getString("state");
    }

    private static int[] seats(long slot) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT booked, override_booked,"
                     + " (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status IN ('active', 'issued', 'no_show')) AS behind"
                     + " FROM slots s WHERE id = " + slot)) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)};
        }
    }

    private static String eventsOf(long card) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(coalesce(e.from_state, '-') || '>' || e.to_state, ' ' ORDER BY e.id)"
                     + " FROM card_events e JOIN cards c ON c.id = e.card_id WHERE c.notice_number = '" + card + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int noShows() {
        var report = service.get("/api/v1/admin/reports/monthly?from=2026-12&to=2026-12", TestService.ADMIN_TOKEN);
        assertEquals(200, report.status(), report.body());
        int total = report.json().getJsonObject("totals").getInteger("noShows");
        for (Object o : report.json().getJsonArray("sites")) {
            JsonObject site = (JsonObject) o;
            int n = site.getJsonArray("months").getJsonObject(0).getInteger("noShows");
            assertEquals(site.getString("siteId").equals("life") ? total : 0, n, site.getString("siteId"));
        }
        return total;
    }

    @Test
    void issuedAtTheCounterCompletesTheBookingAndTheCardAndKeepsTheSeat() throws Exception {
        long card = notice++;
        String code = book(card, issueSlot);
        int remainingBefore = service.app.services().allocator().slot(issueSlot).remaining(madoguchi.domain.Channel.OPERATOR);

        var issued = service.post("/api/v1/operator/bookings/" + code + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(200, issued.status(), issued.body());
        assertEquals("issued", issued.json().getString("status"));
        assertEquals("active", issued.json().getString("was"));
        assertEquals("issued", cardState(card));
        assertEquals("-", eventsOf(card).substring(0, 1));
        assertTrue(eventsOf(card).endsWith("ready>issued"), eventsOf(card));
        String token = service.verify(card);
        assertEquals("issued", service.get("/api/v1/bookings/" + code, token).json().getString("status"));

        int[] s = seats(issueSlot);
        assertEquals(1, s[0], "the issued booking keeps its seat");
        assertEquals(s[2], s[0] + s[1], "slot counts = active + issued + no-show bookings");
        assertEquals(1, service.app.services().allocator().slot(issueSlot).booked(), "memory agrees");
        assertEquals(remainingBefore, service.app.services().allocator().slot(issueSlot).remaining(madoguchi.domain.Channel.OPERATOR));

        var again = service.post("/api/v1/operator/bookings/" + code + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(200, again.status(), "a second click changes nothing");
        assertEquals(true, again.json().getBoolean("alreadyIssued"));
        assertEquals(1, seats(issueSlot)[0]);
        var rebook = service.post("/api/v1/bookings", token, new JsonObject().put("slotId", laterSlot));
        assertEquals(409, rebook.status());
        assertEquals("card_not_ready", rebook.json().getString("error"), "an issued card books nothing more");
    }

    @Test
    void aStatusFileThatEndsACardEndsItsBooking() throws Exception {
        long gone = notice++;
        long handed = notice++;
        String goneCode = book(gone, laterSlot);
        String handedCode = book(handed, laterSlot);
        int before = seats(laterSlot)[0];
        var r = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN,
                "noticeNumber,birthDate,phone,siteId,state,cancelReason\n"
                        + gone + ",1980-01-01,,life,cancelled,moved_out\n"
                        + handed + ",1980-01-01,,life,issued,\n");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().getInteger("updated"));
        var ended = r.json().getJsonArray("bookingsEnded");
        assertEquals(2, ended.size(), ended.encode());
        for (Object o : ended) {
            JsonObject e = (JsonObject) o;
            assertEquals(e.getString("code").equals(goneCode) ? "cancelled" : "issued", e.getString("action"), e.encode());
        }
        assertEquals("cancelled", service.get("/api/v1/bookings/" + goneCode, service.verify(gone)).json().getString("status"));
        assertEquals("issued", service.get("/api/v1/bookings/" + handedCode, service.verify(handed)).json().getString("status"));
        int[] s = seats(laterSlot);
        assertEquals(before - 1, s[0], "the cancelled card's seat is free again; the issued one keeps its seat");
        assertEquals(s[2], s[0] + s[1]);
        assertEquals(s[0], service.app.services().allocator().slot(laterSlot).booked(), "memory agrees");
    }

    @Test
    void onlyOperatorsMarkIssuedAndOnlyActiveBookings() {
        long card = notice++;
        String code = book(card, issueSlot);
        String resident = service.verify(card);
        assertEquals(401, service.post("/api/v1/operator/bookings/" + code + "/issued", null, null).status());
        int asResident = service.post("/api/v1/operator/bookings/" + code + "/issued", resident, null).status();
        assertTrue(asResident == 401 || asResident == 403, "a resident token is refused: " + asResident);
        assertEquals(200, service.delete("/api/v1/bookings/" + code, resident).status());
        var cancelled = service.post("/api/v1/operator/bookings/" + code + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(409, cancelled.status());
        assertEquals("booking_not_active", cancelled.json().getString("error"));
        assertEquals("ready", cardState(card), "nothing changed");
        var unknown = service.post("/api/v1/operator/bookings/ZZZZ-ZZZZ/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().getString("error"));
    }

    @Test
    void aMissedSlotIsANoShowCountedPerSiteAndTheResidentBooksAgain() throws Exception {
        long missing = notice++;
        long late = notice++;
        String missedCode = book(missing, missedSlot);
        String lateCode = book(late, missedSlot);
        assertEquals(0, (int) service.app.services().lifecycle().sweepNoShows().await(10, TimeUnit.SECONDS), "the slot has not ended");

        clock.set(DAY.atTime(10, 15).atZone(TOKYO).toInstant());
        assertEquals(2, (int) service.app.services().lifecycle().sweepNoShows().await(10, TimeUnit.SECONDS));
        assertEquals(0, (int) service.app.services().lifecycle().sweepNoShows().await(10, TimeUnit.SECONDS), "once only");
        assertEquals("no_show", service.get("/api/v1/bookings/" + missedCode, service.verify(missing)).json().getString("status"));
        assertEquals("ready", cardState(missing));
        int[] s = seats(missedSlot);
        assertEquals(2, s[0], "no-shows keep their seats: the slot happened");
        assertEquals(s[2], s[0] + s[1]);
        assertEquals(2, service.app.services().allocator().slot(missedSlot).booked());

        assertEquals(2, noShows(), "no-shows per site");

        // the resident who missed the slot books again; that old booking can no longer be issued
        String again = book(missing, laterSlot);
        var stale = service.post("/api/v1/operator/bookings/" + missedCode + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(409, stale.status());
        assertEquals("booking_not_active", stale.json().getString("error"));
        assertTrue(stale.json().getString("message").contains("booked again"));
        // the one who came late (after the sweep) is still handed the card
        var lateIssue = service.post("/api/v1/operator/bookings/" + lateCode + "/issued", TestService.ADMIN_TOKEN, null);
        assertEquals(200, lateIssue.status(), lateIssue.body());
        assertEquals("no_show", lateIssue.json().getString("was"));
        assertEquals(2, seats(missedSlot)[0], "still two seats counted");

        assertEquals(1, noShows(), "who came late and got the card is no longer a no-show");
        // the pace measured over the past 28 days: 2 of 3 seats booked, 1 of the 2 residents missed it;
        // the coming 28 days hold two slots of 3 seats
        var forecast = service.get("/api/v1/admin/reports/forecast", TestService.ADMIN_TOKEN);
        assertEquals(200, forecast.status(), forecast.body());
        JsonObject pace = forecast.json().getJsonArray("sites").getJsonObject(0);
        assertEquals("life", pace.getString("siteId"));
        assertEquals(0.667, pace.getDouble("bookingRate"), 1e-9);
        assertEquals(0.5, pace.getDouble("noShowRate"), 1e-9);
        assertEquals(0.214, pace.getDouble("seatsPerDay"), 1e-9, "6 seats / 28 days");
        assertEquals(0.071, pace.getDouble("issuedPerDay"), 1e-9, "6/28 × 2/3 × 1/2");
        assertEquals("active", service.get("/api/v1/bookings/" + again, service.verify(missing)).json().getString("status"));
        clock.set(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant());
    }
}
