package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call's state lives in PostgreSQL: the instance that took the call stops mid-call (as in a
 * rolling deploy) and a second instance on the same database continues the same CallSid at the
 * same step, with the seat held for the caller, to a booking.
 */
class PhoneRestartTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-restart";
    private TestService a;
    private TestService b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static TestService instance(Config.DatabaseUrl db, MutableClock clock) throws Exception {
        int port = TestService.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("TWILIO_ACCOUNT_SID", "ACtestrestart");
        env.put("TWILIO_AUTH_TOKEN", AUTH_TOKEN);
        env.put("TWILIO_FROM_NUMBER", "+81445550000");
        return TestService.start(db, env, clock);
    }

    @Test
    void aSecondInstanceContinuesTheCallAtTheSameStepAndBooksTheHeldSeat() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(10, 0).atZone(TOKYO).toInstant());
        a = instance(db, clock);
        b = instance(db, clock);
        long slot = a.siteWithOneSlot("restart", DAY, 1, 2);
        a.importCards("restart", 7_900_000_001L, 1);

        PhoneCall call = new PhoneCall(a.base(), AUTH_TOKEN, "+819011112222");
        call.dial();
        call.press("1");
        call.press("1");
        call.press("7900000001");
        String birthStep = call.gatherAction();
        Twiml offer = call.press("19800101");
        assertTrue(offer.has("Gather"), offer.xml);
        assertEquals("1 held, 0 booked", seats(db, slot), "the offered seat is held while the caller decides");

        // the instance that took the call goes away mid-call
        a.close();
        a = null;
        call.moveTo(b.base());

        // Twilio retrying the step the first instance answered hears the same answer, and nothing more is held
        Map<String, String> retry = call.params();
        retry.put("Digits", "19800101");
        Twiml again = call.post(call.relative(birthStep), retry).twiml();
        assertEquals(offer.xml, again.xml);
        assertEquals("1 held, 0 booked", seats(db, slot), "a retried step holds no second seat");

        Twiml booked = call.press("1");
        assertFalse(booked.text().contains("失われ"), "the call was not lost: " + booked.xml);
        JsonObject booking = active(b, 7_900_000_001L);
        assertNotNull(booking, "booked through the second instance: " + booked.xml);
        assertEquals(slot, booking.getLong("slotId"));
        assertEquals("phone", booking.getString("channel"));
        assertEquals("0 held, 1 booked", seats(db, slot), "the held seat became the booking");
        call.hangUp();
    }

    @Test
    void aCallWhoseInstanceFellBehindIsReadAgainFromTheDatabase() throws Exception {
        Config.DatabaseUrl db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(10, 0).atZone(TOKYO).toInstant());
        a = instance(db, clock);
        b = instance(db, clock);
        a.siteWithOneSlot("behind", DAY, 1, 2);
        a.importCards("behind", 7_900_000_101L, 1);

        // requests alternate between the instances without affinity
        PhoneCall call = new PhoneCall(a.base(), AUTH_TOKEN, "+819011113333");
        call.dial();
        call.moveTo(b.base());
        call.press("1");
        call.moveTo(a.base());
        Twiml notice = call.press("1");
        assertEquals("#", notice.gather().getAttribute("finishOnKey"), "A, which knew only the greeting, asks the notice number: " + notice.xml);
        call.moveTo(b.base());
        call.press("7900000101");
        call.moveTo(a.base());
        call.press("19800101");
        call.moveTo(b.base());
        call.press("1");
        assertNotNull(active(a, 7_900_000_101L), "booked with every other request on another instance");
    }

    /** The slot's seats as the database counts them (each instance's own view may lag a moment). */
    private static String seats(Config.DatabaseUrl db, long slot) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT held, booked FROM slots WHERE id = " + slot)) {
            assertTrue(r.next());
            return r.getInt(1) + " held, " + r.getInt(2) + " booked";
        }
    }

    private static JsonObject active(TestService s, long notice) {
        TestService.Response r = s.get("/api/v1/operator/bookings?noticeNumber=" + notice, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        for (Object o : r.array().getJsonObject(0).getJsonArray("bookings")) {
            JsonObject booking = (JsonObject) o;
            if ("active".equals(booking.getString("status"))) {
                return booking;
            }
        }
        return null;
    }
}
