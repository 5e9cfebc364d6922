package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TcpProxy;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The phone line when the database goes away, and when Twilio is not configured at all. */
class PhoneOutageTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static TcpProxy proxy;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        var db = TestDatabase.fresh();
        proxy = new TcpProxy(db.host(), db.port());
        var throughProxy = new Config.DatabaseUrl("127.0.0.1", proxy.port(), db.database(), db.user(), db.password());
        int port = TestService.freePort();
        service = TestService.start(throughProxy, Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACoutage",
                "TWILIO_AUTH_TOKEN", PhoneBookingTest.AUTH_TOKEN),
                new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant()));
        service.siteWithOneSlot("outage", DAY, 1, 2);
        service.importCards("outage", 7_400_000_000L, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        proxy.close();
    }

    @Test
    void withTheDatabaseDownCallersHearAnApologyInTheirLanguageAndReachTheOperatorsWithinTwoSeconds() throws Exception {
        PhoneCall ja = new PhoneCall(service.base(), PhoneBookingTest.AUTH_TOKEN, "+819011112222");
        ja.dial();
        ja.press("1");
        ja.press("1");
        ja.press("7400000000");
        PhoneCall en = new PhoneCall(service.base(), PhoneBookingTest.AUTH_TOKEN, "+819011113333");
        en.dial();
        en.press("2");
        en.press("2");
        en.press("7400000001");
        proxy.cut();
        try {
            Instant started = Instant.now();
            Twiml apology = ja.press("19800101");
            assertTrue(Duration.between(started, Instant.now()).toMillis() < 2000, "answered within 2 s");
            assertTrue(apology.text().contains("申し訳ございません。ただいまシステムに接続できません"), apology.xml);
            assertEquals("ja-JP", apology.says().get(0).getAttribute("language"));
            assertNotNull(apology.enqueue());

            started = Instant.now();
            Twiml english = en.press("19800101");
            assertTrue(Duration.between(started, Instant.now()).toMillis() < 2000, "answered within 2 s");
            assertTrue(english.text().contains("our system cannot be reached"), english.xml);
            assertNotNull(english.enqueue());

            // the wait URL needs no database; a callback request that cannot be stored is said so
            Map<String, String> p = en.params();
            p.put("QueuePosition", "2");
            Twiml waiting = en.post(en.relative(english.enqueue().getAttribute("waitUrl")), p).twiml();
            assertTrue(waiting.text().contains("You are number 2 in line"), waiting.xml);
            p.put("Digits", "1");
            en.follow(en.relative(waiting.gather().getAttribute("action")), p);
            Twiml notStored = en.press("3");
            assertTrue(notStored.text().contains("cannot take a callback request right now"), notStored.xml);
        } finally {
            proxy.resume();
        }
        ja.hangUp();
        en.hangUp();
    }

    @Test
    void aDatabaseDownAtTheMenuIsToldBeforeTheCallerTypesTheirNumbers() throws Exception {
        PhoneCall call = new PhoneCall(service.base(), PhoneBookingTest.AUTH_TOKEN, "+819011115555");
        call.dial();
        call.press("1");
        proxy.cut();
        try {
            Instant started = Instant.now();
            Twiml told = call.press("1");
            assertTrue(Duration.between(started, Instant.now()).toMillis() < 2500, "answered within 2.5 s");
            assertTrue(told.text().contains("ただいまシステムに接続できません"), told.xml);
            assertFalse(told.has("Gather"), "no notice number asked for: " + told.xml);
            assertNotNull(told.enqueue());
        } finally {
            proxy.resume();
        }
        call.hangUp();
    }

    @Test
    void withoutTwilioSettingsThePhoneWebhooksAnswer503() throws Exception {
        try (TestService plain = TestService.start(TestDatabase.fresh(), Map.of(), java.time.Clock.systemUTC())) {
            PhoneCall call = new PhoneCall(plain.base(), PhoneBookingTest.AUTH_TOKEN, "+819011114444");
            PhoneCall.Answer a = call.post("/twilio/voice", call.params());
            assertEquals(503, a.status(), a.body());
            assertEquals("telephony_not_configured", new JsonObject(a.body()).getString("error"));
            assertEquals(503, call.post("/twilio/voice/status", call.params()).status());
        }
    }
}
