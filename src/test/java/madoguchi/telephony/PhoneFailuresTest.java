package madoguchi.telephony;

import io.vertx.core.json.JsonObject;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failed answers on the phone count in a row until the caller gets somewhere: wrong birth dates
 * (the flow's {@code "failure": true} say-states) count like keys not understood, so that after
 * {@code maxFailures} of them the caller is put through to the operators. Whole calls over HTTP,
 * TwiML parsed as XML.
 */
class PhoneFailuresTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-failures-0123";
    private static final AtomicLong NOTICE = new AtomicLong(7_400_000_000L);
    /** A fresh calling number for every call: the per-caller verification limit counts by number. */
    private static final AtomicLong PHONE = new AtomicLong(80_2000_0000L);
    /** Failed phone verifications allowed per calling number and per notice number in this service. */
    private static final int VERIFY_LIMIT = 10;

    private static final String JA_ASK_NOTICE = "交付通知書の番号を押して";
    private static final String JA_ASK_BIRTH = "生年月日を西暦8けたで押して";
    private static final String EN_ASK_BIRTH = "Please enter your date of birth as 8 digits";
    private static final String JA_VERIFY_FAILED = "番号と生年月日が一致しませんでした";
    private static final String JA_TO_OPERATOR = "オペレーターにおつなぎします。そのままお待ちください。";
    private static final String JA_LOCKED = "この番号からの確認を一時的に止めています";
    private static final String EN_ASK_NOTICE = "Please enter the number on your notice letter";
    private static final String EN_VERIFY_FAILED = "the number and the date of birth do not match";
    private static final String EN_TO_OPERATOR = "We are connecting you to an operator. Please hold.";
    private static final String EN_INVALID = "We could not understand your input.";
    private static final String RIGHT_BIRTH = "19800101";

    private static MutableClock clock;
    private static FakeTwilioApi twilioApi;
    private static TestService service;
    private static int sites;

    @BeforeAll
    static void start() throws Exception {
        // the per-caller and per-notice limits must leave room for maxFailures wrong dates, or the
        // caller is locked out (and hung up on) before the flow can send them to the operators
        int maxFailures = Flow.load(Path.of("ivr-flows")).maxFailures;
        assertEquals(3, maxFailures, "the shipped flow's maxFailures (the tests below play that many)");
        assertTrue(VERIFY_LIMIT > maxFailures);
        clock = new MutableClock(DAY.minusDays(3).atStartOfDay(TOKYO).toInstant());
        twilioApi = new FakeTwilioApi();
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACtestfailures0123",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "TWILIO_FROM_NUMBER", "+81445550000",
                "TWILIO_API_BASE_URL", twilioApi.baseUrl(),
                "MADOGUCHI_VERIFY_FAILURES_PER_CALLER_PER_HOUR", Integer.toString(VERIFY_LIMIT),
                "MADOGUCHI_VERIFY_FAILURES_PER_NOTICE_PER_HOUR", Integer.toString(VERIFY_LIMIT)), clock);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (twilioApi != null) {
            twilioApi.close();
        }
    }

    /** A new site with free slots on DAY and one ready card there (birth date 1980-01-01); its notice number. */
    private static long card() {
        String site = "fail" + (++sites);
        TestService.Response r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                .put("name", new JsonObject().put("ja", "テスト会場" + sites).put("en", "Test Site " + sites))
                .put("kind", "popup").put("address", "川崎市"));
        assertEquals(201, r.status(), r.toString());
        r = service.put("/api/v1/admin/sites/" + site + "/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                .put("from", DAY.toString()).put("to", DAY.toString()).put("startTime", "14:00").put("endTime", "15:00")
                .put("counters", 1).put("perCounter", 2));
        assertEquals(200, r.status(), r.toString());
        long notice = NOTICE.getAndIncrement();
        service.importCards(site, notice, 1);
        return notice;
    }

    private static PhoneCall call() {
        return new PhoneCall(service.base(), AUTH_TOKEN, "+81" + PHONE.getAndIncrement());
    }

    private static JsonObject active(long notice) {
        TestService.Response r = service.get("/api/v1/operator/bookings?noticeNumber=" + notice, TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        for (Object o : r.array().getJsonObject(0).getJsonArray("bookings")) {
            if ("active".equals(((JsonObject) o).getString("status"))) {
                return (JsonObject) o;
            }
        }
        return null;
    }

    /** The notice number (well-formed, so it is accepted) and then a birth date; the answer to the date. */
    private static Twiml check(PhoneCall call, long notice, String birth) {
        Twiml askBirth = call.press(Long.toString(notice));
        assertNotNull(askBirth.gather(), askBirth.xml);
        return call.press(birth);
    }

    /** After a wrong date the caller hears so and is asked for the date again (only), not put through. */
    private static void askedAgain(Twiml t, String verifyFailed, String askBirth) {
        assertTrue(t.text().contains(verifyFailed), t.xml);
        assertTrue(t.text().contains(askBirth), t.xml);
        assertEquals("8", t.gather().getAttribute("numDigits"), "the date's question: " + t.xml);
        assertNotNull(t.gather(), t.xml);
        assertFalse(t.has("Enqueue"), t.xml);
    }

    private static void putThrough(Twiml t, String toOperator, String askNotice) {
        assertTrue(t.text().contains(toOperator), t.xml);
        assertFalse(t.text().contains(askNotice), "not asked for the notice number again: " + t.xml);
        assertFalse(t.has("Gather"), t.xml);
        assertFalse(t.has("Hangup"), t.xml);
        assertEquals("madoguchi-operators", t.enqueue().getTextContent().trim());
        assertTrue(t.enqueue().getAttribute("waitUrl").contains("/twilio/voice/queue/wait"), t.xml);
    }

    @Test
    void threeWrongBirthDatesPutTheCallerThroughToTheOperatorsThoughEachNoticeNumberWasWellFormed() {
        long notice = card();
        PhoneCall call = call();
        call.dial();
        call.press("1");
        Twiml askNotice = call.press("1");
        assertTrue(askNotice.text().contains(JA_ASK_NOTICE), askNotice.xml);

        // the notice number is accepted and read back; a wrong date asks for the date only, and the count goes on
        askedAgain(check(call, notice, "19800102"), JA_VERIFY_FAILED, JA_ASK_BIRTH);
        askedAgain(call.press("19800103"), JA_VERIFY_FAILED, JA_ASK_BIRTH);
        Twiml third = call.press("19800104");
        assertTrue(third.text().contains(JA_VERIFY_FAILED), third.xml);
        assertFalse(third.text().contains(JA_LOCKED), "the verification limits are not what ended it: " + third.xml);
        putThrough(third, JA_TO_OPERATOR, JA_ASK_NOTICE);
        assertEquals(null, active(notice));
        call.hangUp();
    }

    @Test
    void twoWrongBirthDatesThenTheRightOneIsOfferedABookingAndBooks() {
        long notice = card();
        PhoneCall call = call();
        call.dial();
        call.press("2");
        call.press("1");
        askedAgain(check(call, notice, "19800102"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        // a caller who keyed the wrong notice number goes back to it with *, which is no failure
        Twiml askNotice = call.press("*");
        assertTrue(askNotice.text().contains(EN_ASK_NOTICE), askNotice.xml);
        askedAgain(check(call, notice, "19800103"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        Twiml offer = call.press(RIGHT_BIRTH);
        assertTrue(offer.text().contains("the earliest free time is Thursday, December 3rd at 2 PM. To book it, press 1"), offer.xml);
        assertNotNull(offer.gather(), offer.xml);
        assertFalse(offer.has("Enqueue"), offer.xml);
        Twiml booked = call.press("1");
        assertTrue(booked.text().contains("Your appointment is booked"), booked.xml);
        assertNotNull(active(notice), "booked");
        call.hangUp();
    }

    @Test
    void threeWrongBirthDatesWhenCheckingABookingAlsoPutTheCallerThrough() {
        long notice = card();
        PhoneCall call = call();
        call.dial();
        call.press("2");
        call.press("2");
        askedAgain(check(call, notice, "19800102"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        askedAgain(call.press("19800103"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        putThrough(call.press("19800104"), EN_TO_OPERATOR, EN_ASK_NOTICE);
        call.hangUp();
    }

    @Test
    void aNoticeNumberNotUnderstoodAndWrongBirthDatesCountTogether() {
        long notice = card();
        PhoneCall call = call();
        call.dial();
        call.press("2");
        call.press("1");
        Twiml again = call.press("12");
        assertTrue(again.text().contains(EN_INVALID), again.xml);
        assertTrue(again.text().contains(EN_ASK_NOTICE), again.xml);
        askedAgain(check(call, notice, "19800102"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        putThrough(call.press("19800103"), EN_TO_OPERATOR, EN_ASK_NOTICE);
        call.hangUp();
    }

    @Test
    void failuresBeforeASuccessfulCheckAreForgottenAndDoNotSendTheCallerAwayLater() {
        long notice = card();
        PhoneCall call = call();
        call.dial();
        call.press("2");
        Twiml menu = call.press("7");
        assertTrue(menu.text().contains(EN_INVALID), menu.xml);
        call.press("1");
        askedAgain(check(call, notice, "19800102"), EN_VERIFY_FAILED, EN_ASK_BIRTH);
        Twiml offer = call.press(RIGHT_BIRTH);
        assertTrue(offer.text().contains("To book it, press 1"), offer.xml);
        // two failures came before the successful check: had they been kept, this would be the third
        for (int i = 0; i < 2; i++) {
            Twiml repeated = call.press("8");
            assertTrue(repeated.text().contains(EN_INVALID), repeated.xml);
            assertTrue(repeated.text().contains("To book it, press 1"), repeated.xml);
            assertFalse(repeated.has("Enqueue"), repeated.xml);
        }
        Twiml booked = call.press("1");
        assertTrue(booked.text().contains("Your appointment is booked"), booked.xml);
        assertNotNull(active(notice));
        call.hangUp();
    }
}
