package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No text the resident did not just ask for between 21:00 and 08:00 Tokyo, end to end (PostgreSQL,
 * Twilio's REST API faked, the clock in the test's hands): a seat freed at 23:00 is neither held nor
 * offered before 08:00, and is offered by SMS at 08:00; a booking the city cancels at 23:00 is told
 * at 08:00, not before; the answer to the resident's own SMS comes at once.
 */
class NightTextsTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 10);
    private static final LocalDate NIGHT = DAY.minusDays(3);
    private static final AtomicLong NOTICE = new AtomicLong(7_900_000_000L);
    private static final AtomicLong PHONE = new AtomicLong(5_000_0001L);
    private static final AtomicInteger SITES = new AtomicInteger();
    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(at(NIGHT, "10:00"));
        twilioApi = new FakeTwilioApi();
        service = SmsRepliesTest.start(TestDatabase.fresh(), twilioApi, clock, Map.of());
    }

    @BeforeEach
    void daytime() {
        clock.set(at(NIGHT, "10:00"));
    }

    @AfterAll
    static void stop() {
        service.close();
        twilioApi.close();
    }

    private static Instant at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(TOKYO).toInstant();
    }

    private record Resident(long notice, String e164) {
    }

    private static Resident resident(String site) {
        String local = "080" + PHONE.getAndIncrement();
        return new Resident(SmsRepliesTest.card(service, site, NOTICE.getAndIncrement(), local), "+81" + local.substring(1));
    }

    private static boolean textedTo(String e164) {
        return twilioApi.sent().stream().anyMatch(s -> e164.equals(s.form().get("To")));
    }

    /** What the service's periodic jobs do, at the clock's time: the outbox's retry, then a waitlist pass. */
    private static void jobsRun() throws Exception {
        service.app.services().sms().retryDue().await(30, TimeUnit.SECONDS);
        service.app.services().waitlist().tick().await(30, TimeUnit.SECONDS);
    }

    private static String waitlistState(Resident r) {
        TestService.Response got = service.get("/api/v1/waitlist", service.verify(r.notice()));
        assertEquals(200, got.status(), got.toString());
        return got.json().getString("state");
    }

    private static double metric(String line) {
        for (String l : service.metrics().split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(line.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + line + " in /metrics");
    }

    @Test
    void aSeatFreedAt23IsOfferedAt08AndNotBefore() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident holder = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, holder.notice());
        Resident waiting = resident(site);
        assertEquals(201, service.post("/api/v1/waitlist", service.verify(waiting.notice()),
                new JsonObject().put("from", DAY.toString()).put("to", DAY.toString())).status());
        jobsRun();

        // 23:00: the holder cancels by SMS; the answer to their own message comes at once
        clock.set(at(NIGHT, "23:00"));
        String reply = SmsRepliesTest.message(SmsRepliesTest.text(service, holder.e164(), "CANCEL " + code, SmsRepliesTest.AUTH_TOKEN));
        assertTrue(reply.contains(code), reply);
        assertEquals("cancelled", SmsRepliesTest.status(service, code));
        jobsRun();
        assertEquals("waiting", waitlistState(waiting), "no offer at night");
        assertEquals(1, SmsRepliesTest.remaining(service, site, DAY), "the seat is not held for someone asleep: free for anyone");

        for (String t : new String[] {"01:00", "05:00", "07:59:59"}) {
            clock.set(at(NIGHT.plusDays(1), t));
            jobsRun();
            assertEquals("waiting", waitlistState(waiting), "no offer at " + t);
            assertFalse(textedTo(waiting.e164()), "no text at " + t);
        }

        // 08:00: the first pass offers the seat and the text goes
        clock.set(at(NIGHT.plusDays(1), "08:00"));
        jobsRun();
        FakeTwilioApi.Sent offer = twilioApi.awaitSentTo(waiting.e164());
        assertTrue(offer.form().get("Body").contains("8:15までお取りしています"), offer.form().get("Body"));
        assertEquals("offered", waitlistState(waiting));
        assertEquals(0, SmsRepliesTest.remaining(service, site, DAY), "held for the resident from 08:00");
    }

    @Test
    void aBookingTheCityCancelsAt23IsToldAt08AndNotBefore() throws Exception {
        String site = SmsRepliesTest.site(service, SITES, DAY, 1);
        Resident resident = resident(site);
        String code = SmsRepliesTest.book(service, site, DAY, resident.notice());
        double heldBefore = metric("madoguchi_sms_held_total{kind=\"city_cancelled\"}");

        clock.set(at(NIGHT, "23:00"));
        TestService.Response closed = service.post("/api/v1/admin/closures", TestService.ADMIN_TOKEN, new JsonObject()
                .put("siteId", site).put("date", DAY.toString()).put("reason", "typhoon").put("displaced", "cancel"));
        assertEquals(200, closed.status(), closed.toString());
        assertEquals("cancelled", SmsRepliesTest.status(service, code));
        jobsRun();
        assertFalse(textedTo(resident.e164()), "not told at 23:00");
        assertEquals(at(NIGHT.plusDays(1), "08:00"), nextAttempt(code), "it waits in the outbox for 08:00");
        assertEquals(heldBefore + 1, metric("madoguchi_sms_held_total{kind=\"city_cancelled\"}"));

        clock.set(at(NIGHT.plusDays(1), "07:59:59"));
        jobsRun();
        assertFalse(textedTo(resident.e164()), "not told at 07:59:59");
        assertTrue(metric("madoguchi_sms_waiting_for_morning") >= 1, "the outbox shows it waiting for the morning");

        clock.set(at(NIGHT.plusDays(1), "08:00"));
        jobsRun();
        FakeTwilioApi.Sent told = twilioApi.awaitSentTo(resident.e164());
        assertTrue(told.form().get("Body").contains(code) && told.form().get("Body").contains("取り消されました"), told.form().get("Body"));
        assertEquals(0.0, metric("madoguchi_sms_waiting_for_morning"));
    }

    private static Instant nextAttempt(String code) throws Exception {
        try (Connection c = TestDatabase.connect(service.database);
             ResultSet rs = c.createStatement().executeQuery("SELECT next_attempt_at, kind FROM sms_outbox WHERE booking_code = '" + code
                     + "' AND sent_at IS NULL")) {
            assertTrue(rs.next(), "the message is in the outbox");
            assertEquals("city_cancelled", rs.getString(2));
            return rs.getTimestamp(1).toInstant();
        }
    }
}
