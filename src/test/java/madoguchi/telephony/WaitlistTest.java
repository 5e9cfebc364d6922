package madoguchi.telephony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The waitlist against the running service, Twilio's REST API faked and the clock in the test's
 * hands: a freed seat is offered in the list's order and held, passes on when the offer expires,
 * is taken by an SMS "はい" from the card's own number or on the web (a later booking is moved, not
 * doubled), and bad requests get their 4xx codes.
 */
class WaitlistTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 10);
    private static final AtomicLong NOTICE = new AtomicLong(7_700_000_000L);
    private static final AtomicLong PHONE = new AtomicLong(3_000_0001L);
    private static final AtomicInteger SITES = new AtomicInteger();
    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        twilioApi = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), twilioApi, clock, Map.of());
    }

    @BeforeEach
    void morning() {
        clock.set(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
    }

    @AfterAll
    static void stop() {
        service.close();
        twilioApi.close();
    }

    private record Resident(long notice, String local, String e164, String token) {
    }

    private static Resident resident(String site) {
        String local = "080" + PHONE.getAndIncrement();
        long notice = SmsRepliesTest.card(service, site, NOTICE.getAndIncrement(), local);
        return new Resident(notice, local, "+81" + local.substring(1), service.verify(notice));
    }

    /** One more seat at the site, at 10:00 two days after DAY: where a resident's later booking goes. */
    private static void openLaterSeat(String site) {
        TestService.Response later = service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.plusDays(2).toString()).put("to", DAY.plusDays(2).toString())
                .put("startTime", "10:00").put("endTime", "10:15").put("counters", 1).put("perCounter", 1));
        assertEquals(200, later.status(), later.toString());
    }

    private static TestService.Response join(Resident r, LocalDate from, LocalDate to) {
        return service.post("/api/v1/waitlist", r.token(), new JsonObject().put("from", from.toString()).put("to", to.toString()));
    }

    private static JsonObject entry(Resident r) {
        TestService.Response got = service.get("/api/v1/waitlist", r.token());
        assertEquals(200, got.status(), got.toString());
        return got.json();
    }

    private static void tick() {
        try {
            service.app.services().waitlist().tick().await(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the waitlist pass did not end", e);
        }
    }

    private static boolean textedTo(String e164) {
        return twilioApi.sent().stream().anyMatch(s -> e164.equals(s.form().get("To")));
    }

    private static JsonArray activeBookings(Resident r) {
        TestService.Response me = service.get("/api/v1/residents/me", r.token());
        assertEquals(200, me.status(), me.toString());
        JsonArray active = new JsonArray();
        for (Object o : me.json().getJsonArray("bookings")) {
            if ("active".equals(((JsonObject) o).getString("status"))) {
                active.add(o);
            }
        }
        return active;
    }

    @Test
    void aFreedSeatIsOfferedInOrderHeldPassedOnWhenUnansweredAndTakenBySms() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident first = resident(site);
        Resident second = resident(site);
        Resident third = resident(site);
        assertEquals(1, join(first, DAY, DAY).json().getInteger("place"));
        assertEquals(2, join(second, DAY, DAY).json().getInteger("place"));
        TestService.Response j3 = join(third, DAY, DAY);
        assertEquals(201, j3.status(), j3.toString());
        assertEquals(3, j3.json().getInteger("place"));
        tick();
        assertEquals("waiting", entry(first).getString("state"), "nothing is free yet");

        // the booking in range is cancelled by SMS: the first on the list is offered the seat
        SmsRepliesTest.message(SmsRepliesTest.text(service, holder.e164(), "CANCEL " + code, SmsRepliesTest.AUTH_TOKEN));
        tick();
        FakeTwilioApi.Sent offer = twilioApi.awaitSentTo(first.e164());
        String body = offer.form().get("Body");
        assertTrue(body.contains("10:00") && body.contains("はい") && body.contains("YES") && body.contains("9:15"), body);
        JsonObject offered = entry(first);
        assertEquals("offered", offered.getString("state"), offered.encode());
        assertEquals(DAY + "T10:00:00+09:00", offered.getJsonObject("offer").getString("start"));
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY), "the seat is held for the first");
        assertFalse(textedTo(second.e164()), "the second gets nothing yet");
        assertEquals("waiting", entry(second).getString("state"));

        // sixteen minutes without an answer: the offer expires and passes to the second
        clock.advance(Duration.ofMinutes(16));
        tick();
        assertEquals("expired", entry(first).getString("state"));
        assertEquals("offered", entry(second).getString("state"));
        assertTrue(twilioApi.awaitSentTo(second.e164()).form().get("Body").contains("10:00"));
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY));
        TestService.Response late = service.post("/api/v1/waitlist/offer/accept", first.token(), new JsonObject());
        assertEquals(409, late.status(), late.toString());
        assertEquals("offer_expired", late.json().getString("error"));

        // YES from a number that was offered nothing: a polite refusal, nothing changes
        String refused = SmsRepliesTest.message(SmsRepliesTest.text(service, third.e164(), "YES", SmsRepliesTest.AUTH_TOKEN));
        assertTrue(refused.startsWith("We have no seat offer for this phone number"), refused);
        assertEquals("offered", entry(second).getString("state"));
        assertEquals("waiting", entry(third).getString("state"));

        // the second answers はい from the card's number: booked in that seat
        String done = SmsRepliesTest.message(SmsRepliesTest.text(service, second.e164(), "はい", SmsRepliesTest.AUTH_TOKEN));
        assertTrue(done.contains("予約番号"), done);
        JsonArray booked = activeBookings(second);
        assertEquals(1, booked.size(), booked.encode());
        assertEquals(DAY + "T10:00:00+09:00", booked.getJsonObject(0).getString("start"));
        assertTrue(done.contains(booked.getJsonObject(0).getString("code")), done);
        assertEquals("accepted", entry(second).getString("state"));
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY));
        tick();
        assertEquals("waiting", entry(third).getString("state"), "no seat is left for the third");
        assertFalse(textedTo(third.e164()));
    }

    @Test
    void aResidentWithALaterBookingIsMovedNotDoubleBookedOnTheWeb() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        openLaterSeat(site);
        Resident holder = resident(site);
        TestService.Response held = service.post("/api/v1/bookings", holder.token(),
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY)));
        assertEquals(201, held.status(), held.toString());
        Resident mover = resident(site);
        TestService.Response own = service.post("/api/v1/bookings", mover.token(),
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(2))));
        assertEquals(201, own.status(), own.toString());
        String ownCode = own.json().getString("code");

        TestService.Response notEarlier = join(mover, DAY.plusDays(3), DAY.plusDays(5));
        assertEquals(422, notEarlier.status(), notEarlier.toString());
        assertEquals("not_earlier", notEarlier.json().getString("error"));
        assertEquals(201, join(mover, DAY, DAY.plusDays(1)).status());

        // the holder cancels on the web: the seat is offered to the mover (no SMS needed to see it)
        assertEquals(200, service.delete("/api/v1/bookings/" + held.json().getString("code"), holder.token()).status());
        tick();
        assertEquals("offered", entry(mover).getString("state"));
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY), "held for the mover");
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY.plusDays(2)), "the mover keeps the later seat until accepting");

        TestService.Response taken = service.post("/api/v1/waitlist/offer/accept", mover.token(), new JsonObject());
        assertEquals(201, taken.status(), taken.toString());
        assertTrue(taken.json().getBoolean("moved"));
        assertEquals(ownCode, taken.json().getString("code"), "a moved booking keeps its code");
        JsonArray active = activeBookings(mover);
        assertEquals(1, active.size(), active.encode());
        assertEquals(DAY + "T10:00:00+09:00", active.getJsonObject(0).getString("start"));
        assertEquals(1, SmsRepliesTest.remaining(service, site, DAY.plusDays(2)), "the old seat is free again");
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY));
        TestService.Response again = service.post("/api/v1/waitlist/offer/accept", mover.token(), new JsonObject());
        assertEquals(404, again.status(), again.toString());
        assertEquals("no_offer", again.json().getString("error"));
    }

    @Test
    void badRequestsGetTheirCodesAndOperatorsActForACard() {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        SmsRepliesTest.book(service, site, DAY, resident(site).notice()); // the only seat is taken: nothing is offered here
        Resident r = resident(site);
        assertEquals(401, service.get("/api/v1/waitlist", null).status());
        TestService.Response none = service.get("/api/v1/waitlist", r.token());
        assertEquals(200, none.status(), "never on the list is an answer, not a missing thing: " + none);
        assertEquals(new JsonObject().put("state", "none"), none.json());
        assertEquals("outside_window", join(r, DAY.minusDays(10), DAY.minusDays(5)).json().getString("error"));
        assertEquals(422, join(r, DAY.minusDays(10), DAY.minusDays(5)).status());
        assertEquals(400, service.post("/api/v1/waitlist", r.token(), new JsonObject().put("from", "2026-13-01").put("to", "2026-12-20")).status());
        assertEquals(400, join(r, DAY.plusDays(2), DAY).status(), "to before from");
        assertEquals(400, service.post("/api/v1/waitlist", r.token(), new JsonObject().put("from", DAY.toString())).status());
        assertEquals(404, service.post("/api/v1/waitlist/offer/accept", r.token(), new JsonObject()).status());
        assertEquals(404, service.delete("/api/v1/waitlist", r.token()).status());

        // asking again replaces the range
        assertEquals(201, join(r, DAY, DAY).status());
        TestService.Response replaced = join(r, DAY, DAY.plusDays(1));
        assertEquals(DAY.plusDays(1).toString(), replaced.json().getString("to"));
        assertEquals(1, replaced.json().getInteger("place"));
        assertEquals(200, service.delete("/api/v1/waitlist", r.token()).status());
        assertEquals("cancelled", entry(r).getString("state"));

        // an operator puts another card on the list, reads it, sees the site's list, takes it off
        Resident caller = resident(site);
        TestService.Response notYet = service.get("/api/v1/operator/waitlist?noticeNumber=" + caller.notice(), TestService.ADMIN_TOKEN);
        assertEquals(200, notYet.status(), notYet.toString());
        assertEquals(new JsonObject().put("state", "none"), notYet.json());
        TestService.Response byOperator = service.post("/api/v1/operator/waitlist", TestService.ADMIN_TOKEN, new JsonObject()
                .put("noticeNumber", Long.toString(caller.notice())).put("from", DAY.toString()).put("to", DAY.toString())
                .put("reason", "caller asked for an earlier day"));
        assertEquals(201, byOperator.status(), byOperator.toString());
        assertEquals("operator", byOperator.json().getString("channel"));
        assertEquals(401, service.get("/api/v1/operator/sites/" + site + "/waitlist", null).status());
        TestService.Response list = service.get("/api/v1/operator/sites/" + site + "/waitlist", TestService.ADMIN_TOKEN);
        assertEquals(200, list.status(), list.toString());
        JsonArray entries = list.json().getJsonArray("entries");
        assertEquals(1, entries.size(), list.body());
        assertEquals(Long.toString(caller.notice()), entries.getJsonObject(0).getString("noticeNumber"));
        assertEquals(1, entries.getJsonObject(0).getInteger("place"));
        assertEquals("waiting", service.get("/api/v1/operator/waitlist?noticeNumber=" + caller.notice(), TestService.ADMIN_TOKEN).json().getString("state"));
        assertEquals(404, service.get("/api/v1/operator/waitlist?noticeNumber=123456", TestService.ADMIN_TOKEN).status(), "no such card");
        TestService.Response neverOn = service.get("/api/v1/operator/waitlist?noticeNumber=" + r.notice(), TestService.ADMIN_TOKEN);
        assertEquals("cancelled", neverOn.json().getString("state"), "a card that left shows its last entry");
        assertEquals(400, service.get("/api/v1/operator/waitlist", TestService.ADMIN_TOKEN).status(), "no notice number");
        assertEquals(200, service.delete("/api/v1/operator/waitlist?noticeNumber=" + caller.notice(), TestService.ADMIN_TOKEN).status());
        TestService.Response audit = service.get("/api/v1/admin/audit", TestService.ADMIN_TOKEN);
        assertTrue(audit.body().contains("waitlist.join") && audit.body().contains("waitlist.leave"), audit.body());
        assertNotNull(service.get("/api/v1/operator/sites/" + site + "/waitlist", TestService.ADMIN_TOKEN).json().getJsonArray("entries"));
    }

    @Test
    void leavingWithAnOfferPassesTheSeatOnAndOperatorsTakeOffersForCallers() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident first = resident(site);
        Resident second = resident(site);
        assertEquals(201, join(first, DAY, DAY).status());
        TestService.Response byOperator = service.post("/api/v1/operator/waitlist", TestService.ADMIN_TOKEN, new JsonObject()
                .put("noticeNumber", Long.toString(second.notice())).put("from", DAY.toString()).put("to", DAY.toString()));
        assertEquals(201, byOperator.status(), byOperator.toString());
        assertEquals(2, byOperator.json().getInteger("place"));

        assertEquals(200, service.delete("/api/v1/operator/bookings/" + code, TestService.ADMIN_TOKEN).status());
        tick();
        assertEquals("offered", entry(first).getString("state"));
        TestService.Response pending = join(first, DAY, DAY);
        assertEquals(409, pending.status(), pending.toString());
        assertEquals("offer_pending", pending.json().getString("error"));

        // the first leaves: the held seat goes to the next on the list at once
        TestService.Response left = service.delete("/api/v1/waitlist", first.token());
        assertEquals(200, left.status(), left.toString());
        tick();
        assertEquals("cancelled", entry(first).getString("state"));
        TestService.Response offered = service.get("/api/v1/operator/waitlist?noticeNumber=" + second.notice(), TestService.ADMIN_TOKEN);
        assertEquals("offered", offered.json().getString("state"), offered.body());
        assertTrue(twilioApi.awaitSentTo(second.e164()).form().get("Body").contains("YES"));

        // the caller says yes on the phone to an operator, who takes the offer for them
        TestService.Response taken = service.post("/api/v1/operator/waitlist/accept",
                TestService.ADMIN_TOKEN, new JsonObject().put("noticeNumber", Long.toString(second.notice())));
        assertEquals(201, taken.status(), taken.toString());
        assertEquals(1, activeBookings(second).size());
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY));
        TestService.Response audit = service.get("/api/v1/admin/audit?action=waitlist.", TestService.ADMIN_TOKEN);
        assertTrue(audit.body().contains("waitlist.accept"), audit.body());

        // a YES after the offer was taken: nothing is offered to that number any more
        String none = SmsRepliesTest.message(SmsRepliesTest.text(service, second.e164(), "yes", SmsRepliesTest.AUTH_TOKEN));
        assertTrue(none.startsWith("We have no seat offer"), none);
    }

    @Test
    void aCallerWithABookingJoinsByPhoneAndIsOfferedAnEarlierSeat() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        openLaterSeat(site);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident caller = resident(site);
        // booked on the web without the SMS confirmation, so that the first text to the caller is the offer
        assertEquals(201, service.post("/api/v1/bookings", caller.token(),
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(2))).put("smsConfirmation", false)).status());

        madoguchi.support.PhoneCall call = new madoguchi.support.PhoneCall(service.base(), SmsRepliesTest.AUTH_TOKEN, caller.e164());
        call.dial();
        call.press("2");
        call.press("2");
        call.press(Long.toString(caller.notice()));
        madoguchi.support.PhoneCall.Twiml read = call.press("19800101");
        assertTrue(read.text().contains("To wait for an earlier date, press 4."), read.xml);
        madoguchi.support.PhoneCall.Twiml joined = call.press("4");
        assertTrue(joined.text().contains("You are on the waitlist"), joined.xml);
        assertTrue(joined.has("Hangup"), joined.xml);
        JsonObject entry = entry(caller);
        assertEquals("phone", entry.getString("channel"));
        assertEquals(DAY.minusDays(2).toString(), entry.getString("from"), "from tomorrow");
        assertEquals(DAY.plusDays(2).toString(), entry.getString("to"), "up to the booking's day");

        assertEquals(200, service.delete("/api/v1/operator/bookings/" + code, TestService.ADMIN_TOKEN).status());
        tick();
        assertEquals("offered", entry(caller).getString("state"));
        String body = twilioApi.awaitSentTo(caller.e164()).form().get("Body");
        assertTrue(body.contains("10:00") && body.contains("はい"), body);
        String moved = SmsRepliesTest.message(SmsRepliesTest.text(service, caller.e164(), "YES", SmsRepliesTest.AUTH_TOKEN));
        assertTrue(moved.contains("Your earlier booking was moved"), moved);
        JsonArray active = activeBookings(caller);
        assertEquals(1, active.size(), active.encode());
        assertEquals(DAY + "T10:00:00+09:00", active.getJsonObject(0).getString("start"));
        assertEquals(1, SmsRepliesTest.remaining(service, site, DAY.plusDays(2)), "the later seat is free again");
    }

    @Test
    void aCallerWhoseNumberCannotTakeTextsIsToldSoInsteadOfWaitingInVain() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        long notice = SmsRepliesTest.card(service, site, NOTICE.getAndIncrement(), "0312345678");   // a landline
        String token = service.verify(notice);
        assertEquals(201, service.post("/api/v1/bookings", token,
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY))).status());

        madoguchi.support.PhoneCall call = new madoguchi.support.PhoneCall(service.base(), SmsRepliesTest.AUTH_TOKEN, "+81312345678");
        call.dial();
        call.press("2");
        call.press("2");
        call.press(Long.toString(notice));
        call.press("19800101");
        madoguchi.support.PhoneCall.Twiml told = call.press("4");
        assertTrue(told.text().contains("cannot receive them"), told.xml);
        assertTrue(!told.has("Hangup"), "the caller is taken back to the booking's menu: " + told.xml);
        assertEquals("none", service.get("/api/v1/waitlist", token).json().getString("state"), "not put on a list that could never reach them");
    }

    @Test
    void twoAcceptsAtOnceTakeTheOfferOnceAndNeitherCallsItExpired() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        openLaterSeat(site);
        Resident waiting = resident(site);
        assertEquals(201, service.post("/api/v1/bookings", waiting.token(),
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(2)))).status());
        assertEquals(201, join(waiting, DAY, DAY).status());
        assertEquals(200, service.delete("/api/v1/operator/bookings/" + code, TestService.ADMIN_TOKEN).status());
        tick();
        assertEquals("offered", entry(waiting).getString("state"));

        // a double click, or the web and a YES at the same moment
        var first = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> service.post("/api/v1/waitlist/offer/accept", waiting.token(), new JsonObject()));
        var second = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> service.post("/api/v1/waitlist/offer/accept", waiting.token(), new JsonObject()));
        List<TestService.Response> answers = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
        assertEquals(1, answers.stream().filter(a -> a.status() == 201).count(), answers.toString());
        assertTrue(answers.stream().noneMatch(a -> a.status() == 409), "a taken offer is not told expired: " + answers);
        assertEquals("accepted", entry(waiting).getString("state"));
        JsonArray active = activeBookings(waiting);
        assertEquals(1, active.size(), active.encode());
        assertEquals(DAY + "T10:00:00+09:00", active.getJsonObject(0).getString("start"), "moved once, to the offered seat");
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY));
        assertEquals(1, SmsRepliesTest.remaining(service, site, DAY.plusDays(2)), "the later seat given back once");
    }

    @Test
    void leavingGivesBackASeatHeldByAnotherInstance() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident waiting = resident(site);
        assertEquals(201, join(waiting, DAY, DAY).status());
        // another instance on the same database, started before the offer: its memory knows no such hold
        try (TestService other = SmsRepliesTest.start(service.database, twilioApi, clock, Map.of())) {
            assertEquals(200, service.delete("/api/v1/operator/bookings/" + code, TestService.ADMIN_TOKEN).status());
            tick();
            assertEquals("offered", entry(waiting).getString("state"));
            assertEquals(0, SmsRepliesTest.remaining(service, site, DAY), "the seat is held for the offer");
            java.util.UUID hold = service.app.services().waitlist().entryOf(service.app.services().cards()
                    .byNoticeNumber(Long.toString(waiting.notice())).await(10, TimeUnit.SECONDS).orElseThrow().id())
                    .await(10, TimeUnit.SECONDS).orElseThrow().holdId();

            assertEquals(200, other.delete("/api/v1/waitlist", waiting.token()).status());
            assertEquals(1, SmsRepliesTest.remaining(other, site, DAY), "the hold was found in the database and released");
            assertReleased(hold);
        }
    }

    private static void assertReleased(java.util.UUID hold) throws Exception {
        try (java.sql.Connection c = TestDatabase.connect(service.database); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT status FROM holds WHERE id = '" + hold + "'")) {
            assertTrue(rs.next());
            assertEquals("released", rs.getString(1));
        }
    }

    @Test
    void anOfferEndedByAnotherInstanceIsRefusedWholeAndTheBookingStaysWhereItWas() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        openLaterSeat(site);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident mover = resident(site);
        TestService.Response own = service.post("/api/v1/bookings", mover.token(),
                new JsonObject().put("slotId", SmsRepliesTest.slotId(service, site, DAY.plusDays(2))));
        assertEquals(201, own.status(), own.toString());
        assertEquals(201, join(mover, DAY, DAY).status());
        assertEquals(200, service.delete("/api/v1/operator/bookings/" + code, TestService.ADMIN_TOKEN).status());
        tick();
        assertEquals("offered", entry(mover).getString("state"));

        // another instance ended the hold (as its abandoned-hold sweep does); this one's memory still has it
        try (java.sql.Connection c = TestDatabase.connect(service.database); java.sql.Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE holds SET status = 'expired', closed_at = now() WHERE status = 'active'"
                    + " AND slot_id = " + SmsRepliesTest.slotId(service, site, DAY)));
            st.executeUpdate("UPDATE slots SET held = held - 1, version = version + 1 WHERE id = " + SmsRepliesTest.slotId(service, site, DAY));
        }
        TestService.Response refused = service.post("/api/v1/waitlist/offer/accept", mover.token(), new JsonObject());
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("offer_expired", refused.json().getString("error"));
        assertEquals("expired", entry(mover).getString("state"));
        JsonArray active = activeBookings(mover);
        assertEquals(1, active.size(), active.encode());
        assertEquals(own.json().getString("code"), active.getJsonObject(0).getString("code"));
        assertEquals(DAY.plusDays(2) + "T10:00:00+09:00", active.getJsonObject(0).getString("start"), "not moved, nothing half done");
        assertEquals(1, SmsRepliesTest.remaining(service, site, DAY), "the seat the database freed is free in memory too");
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY.plusDays(2)));
    }
}
