package madoguchi.telephony;

import madoguchi.Config;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on one database, each with the call in its cache at the same step, and Twilio
 * sending the same step to both (a retry after a timeout, through a balancer without affinity):
 * the step's action — the verification and hold, the booking and its SMS — happens once, and both
 * answer the caller the same. And a callback asked for across instances is known to all of them.
 */
class PhoneTwoInstancesTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-two";
    private TestService a;
    private TestService b;
    private FakeTwilioApi twilioApi;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{a, b, twilioApi}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestService instance(Config.DatabaseUrl db, MutableClock clock) throws Exception {
        int port = TestService.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("TWILIO_ACCOUNT_SID", "ACtesttwo");
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("TWILIO_FROM_NUMBER", "+81445550000");
        env.put("TWILIO_API_BASE_URL", twilioApi.baseUrl());
        env.put("MADOGUCHI_OPERATOR_PHONES", "desk-1=+81445559999");
        return TestService.start(db, env, clock);
    }

    /** The same step posted again (Twilio's retry), to the instance the call is at now. */
    private static Twiml retry(PhoneCall call, String action, String digits) {
        Map<String, String> p = call.params();
        p.put("Digits", digits);
        return call.post(call.relative(action), p).twiml();
    }

    @Test
    void aStepSentToTwoInstancesAtTheSameStepHoldsBooksAndTextsOnce() throws Exception {
        twilioApi = new FakeTwilioApi();
        Config.DatabaseUrl db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(10, 0).atZone(TOKYO).toInstant());
        a = instance(db, clock);
        b = instance(db, clock);
        long slot = a.siteWithOneSlot("twice", DAY, 1, 2);
        a.importCards("twice", 7_900_000_201L, 1);

        PhoneCall call = new PhoneCall(a.base(), AUTH_TOKEN, "+819011114444");
        call.dial();
        call.press("1");
        call.press("1");
        String noticeStep = call.gatherAction();
        Twiml birthQuestion = call.press("7900000201");
        // the notice number's retry reaches B, which reads the call and so has it at the birth date's step too
        call.moveTo(b.base());
        assertEquals(birthQuestion.xml, retry(call, noticeStep, "7900000201").xml);

        // the birth date goes to A (verified, a seat held), and its retry to B, whose cache is at that very step
        call.moveTo(a.base());
        String birthStep = call.gatherAction();
        Twiml offer = call.press("19800101");
        assertTrue(offer.has("Gather"), offer.xml);
        assertEquals("1 held, 0 booked", seats(db, slot));
        call.moveTo(b.base());
        assertEquals(offer.xml, retry(call, birthStep, "19800101").xml, "B answers what A answered");
        assertEquals("1 held, 0 booked", seats(db, slot), "B held no second seat");
        assertEquals(1, count(db, "SELECT count(*) FROM holds"), "one hold made in all");

        // the booking: B gets the call at the offer's step (a retry of the birth date again), A books, B gets the retry
        assertEquals(offer.xml, retry(call, birthStep, "19800101").xml);
        call.moveTo(a.base());
        String offerStep = call.gatherAction();
        Twiml booked = call.press("1");
        assertTrue(booked.text().contains("予約"), booked.xml);
        twilioApi.awaitSentTo(call.from);
        call.moveTo(b.base());
        assertEquals(booked.xml, retry(call, offerStep, "1").xml, "B answers A's booking, with its code");
        assertEquals("0 held, 1 booked", seats(db, slot));
        assertEquals(1, count(db, "SELECT count(*) FROM bookings"), "one booking");
        assertEquals(1, count(db, "SELECT count(*) FROM sms_outbox"), "one SMS with its code");
        call.hangUp();
    }

    @Test
    void aRetryWaitsForTheAnswerOfTheInstanceThatClaimedTheStepAndActsNot() throws Exception {
        twilioApi = new FakeTwilioApi();
        Config.DatabaseUrl db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(10, 0).atZone(TOKYO).toInstant());
        a = instance(db, clock);
        long slot = a.siteWithOneSlot("wait", DAY, 1, 2);
        a.importCards("wait", 7_900_000_301L, 1);
        PhoneCall call = new PhoneCall(a.base(), AUTH_TOKEN, "+819011115555");
        call.dial();
        call.press("1");
        call.press("1");
        call.press("7900000301");
        String birthStep = call.gatherAction();
        int step = Integer.parseInt(birthStep.replaceAll(".*[?&]n=([0-9]+).*", "$1"));

        // another instance claimed the step and is still at its action (its claim is in the database, no answer yet)
        try (Connection c = TestDatabase.connect(db); PreparedStatement st = c.prepareStatement(
                "INSERT INTO phone_call_steps (call_sid, step, claimed_at) VALUES (?, ?, now())")) {
            st.setString(1, call.sid);
            st.setInt(2, step);
            st.executeUpdate();
        }
        CompletableFuture<Twiml> waiting = CompletableFuture.supplyAsync(() -> retry(call, birthStep, "19800101"));
        // the other instance's answer is kept: the waiting request returns it
        String theirs = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say language=\"ja-JP\">他方の答え</Say><Hangup/></Response>";
        try (Connection c = TestDatabase.connect(db); PreparedStatement st = c.prepareStatement(
                "UPDATE phone_call_steps SET twiml = ? WHERE call_sid = ? AND step = ?")) {
            st.setString(1, theirs);
            st.setString(2, call.sid);
            st.setInt(3, step);
            st.executeUpdate();
        }
        Twiml answer = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("他方の答え", answer.text().trim(), answer.xml);
        assertEquals("0 held, 0 booked", seats(db, slot), "this instance verified and held nothing");
    }

    @Test
    void aCallbackAskedForOnAnotherInstanceIsTheCallsOutcomeAndTheBridgeSpeaksTheCallersLanguage() throws Exception {
        twilioApi = new FakeTwilioApi();
        Config.DatabaseUrl db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.atTime(10, 0).atZone(TOKYO).toInstant());
        a = instance(db, clock);
        b = instance(db, clock);

        // an English caller reaches the queue through A
        PhoneCall call = new PhoneCall(a.base(), AUTH_TOKEN, "+819011116666");
        call.dial();
        call.press("2");
        Twiml queued = call.press("0");
        String waitUrl = call.relative(queued.enqueue().getAttribute("waitUrl"));
        Map<String, String> p = call.params();
        p.put("QueuePosition", "2");
        Twiml wait = call.post(waitUrl, p).twiml();
        // the offer's answers go to B, then A, then B
        call.moveTo(b.base());
        p.put("Digits", "1");
        Twiml when = call.follow(call.relative(wait.gather().getAttribute("action")), p);
        assertTrue(when.text().contains("morning"), when.xml);
        call.moveTo(a.base());
        Twiml recorded = call.press("2");
        assertTrue(recorded.text().contains("afternoon"), recorded.xml);
        // the call ends; Twilio's status callback reaches B, whose memory never held the call
        call.moveTo(b.base());
        call.hangUp();
        assertEquals("callback", outcome(db, call.sid), "the call's outcome is the callback asked for on another instance");

        // another English caller is bridged to an operator; the queue's url is fetched on B, which never saw the call
        PhoneCall other = new PhoneCall(a.base(), AUTH_TOKEN, "+819011117777");
        other.dial();
        other.press("2");
        other.press("0");
        PhoneCall operatorPhone = new PhoneCall(b.base(), AUTH_TOKEN, "+81445559999");
        Twiml dial = operatorPhone.post("/twilio/voice/operator", operatorPhone.params()).twiml();
        String url = operatorPhone.relative(dial.one("Queue").getAttribute("url"));
        Map<String, String> bridge = other.params();
        bridge.put("QueueTime", "12");
        other.moveTo(b.base());
        Twiml toCaller = other.post(url, bridge).twiml();
        assertEquals("en-US", toCaller.says().get(0).getAttribute("language"), "the caller hears English: " + toCaller.xml);
        assertFalse(toCaller.text().contains("オペレーター"), toCaller.xml);
    }

    private static String seats(Config.DatabaseUrl db, long slot) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT held, booked FROM slots WHERE id = " + slot)) {
            assertTrue(r.next());
            return r.getInt(1) + " held, " + r.getInt(2) + " booked";
        }
    }

    private static long count(Config.DatabaseUrl db, String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement(); ResultSet r = st.executeQuery(sql)) {
            assertTrue(r.next());
            return r.getLong(1);
        }
    }

    private static String outcome(Config.DatabaseUrl db, String sid) throws Exception {
        try (Connection c = TestDatabase.connect(db); PreparedStatement st = c.prepareStatement(
                "SELECT outcome FROM phone_calls WHERE call_sid = ?")) {
            st.setString(1, sid);
            try (ResultSet r = st.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }
}
