package madoguchi.telephony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.PhoneCall;
import madoguchi.support.PhoneCall.Twiml;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The way to the operators through the real webhooks (TwiML parsed as XML): the call center's
 * hours, the queue's words and hold tone, a queue that cannot take the caller, callers whose
 * number is withheld, and Twilio's fallback URL.
 */
class OperatorLineTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    /** A Thursday. */
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final String AUTH_TOKEN = "test-twilio-auth-token-operators";
    private static MutableClock clock;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(DAY.atTime(10, 0).atZone(TOKYO).toInstant());
        int port = TestService.freePort();
        service = TestService.start(TestDatabase.fresh(), Map.of(
                "PORT", Integer.toString(port),
                "PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "TWILIO_ACCOUNT_SID", "ACoperators",
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
                "MADOGUCHI_CALL_CENTER_HOURS", "mon-fri 08:30-17:15; sat 09:00-12:00; holiday closed"), clock);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Twiml toOperators(PhoneCall call) {
        call.dial();
        call.press("1");
        return call.press("0");
    }

    private static JsonObject callbackOf(String phone) {
        TestService.Response r = service.get("/api/v1/operator/callbacks", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.toString());
        JsonArray all = r.json().getJsonArray("callbacks");
        for (Object o : all) {
            JsonObject c = (JsonObject) o;
            if (phone.equals(c.getString("phone"))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void outsideTheHoursCallersHearTheHoursAndMayAskForACallBackNeverQueued() {
        clock.set(DAY.atTime(20, 0).atZone(TOKYO).toInstant());
        try {
            PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+819022220001");
            Twiml closed = toOperators(call);
            assertFalse(closed.has("Enqueue"), "nobody is there to answer: " + closed.xml);
            assertTrue(closed.text().contains("受付時間外"), closed.xml);
            assertTrue(closed.text().contains("月曜日から金曜日は午前8時30分から午後5時15分まで"), closed.xml);
            assertTrue(closed.text().contains("土曜日は午前9時から正午まで"), closed.xml);
            assertTrue(closed.gather().getAttribute("action").contains("why=closed"), closed.xml);

            Twiml when = call.press("1");
            assertTrue(when.text().contains("午前中は1を、午後は2を"), when.xml);
            Twiml recorded = call.press("2");
            assertTrue(recorded.has("Hangup"), recorded.xml);
            assertTrue(recorded.text().contains("午後に、オペレーターからこのお電話番号にお電話いたします"), recorded.xml);
            JsonObject request = callbackOf("+819022220001");
            assertNotNull(request, "operators see the request");
            assertEquals("afternoon", request.getString("preferred"));
            assertEquals("closed", request.getString("reason"));
            assertEquals("ja", request.getString("language"));

            // a caller who does not want a call back hears goodbye (not silence, not the queue)
            PhoneCall other = new PhoneCall(service.base(), AUTH_TOKEN, "+819022220002");
            toOperators(other);
            Twiml bye = other.silence();
            assertTrue(bye.has("Hangup"), bye.xml);
            assertTrue(bye.text().contains("受付時間内におかけ直しください"), bye.xml);
        } finally {
            clock.set(DAY.atTime(10, 0).atZone(TOKYO).toInstant());
        }
    }

    @Test
    void theQueueSaysThePlaceAndTheExpectedWaitButNothingOfAQueueToTheFirstInLine() {
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+819022220003");
        Twiml queued = toOperators(call);
        String waitUrl = call.relative(queued.enqueue().getAttribute("waitUrl"));

        Map<String, String> p = call.params();
        p.put("QueuePosition", "3");
        p.put("AvgQueueTime", "150");
        p.put("QueueTime", "20");
        Twiml third = call.post(waitUrl, p).twiml();
        assertTrue(third.text().contains("お待たせしております。お客様の順番は3番目です。"), third.xml);
        assertTrue(third.text().contains("およそ3分"), third.xml);
        assertTrue(third.text().contains("折り返し"), third.xml);
        assertFalse(third.has("Pause"), "no more silence between announcements: " + third.xml);
        String tone = third.gather().getElementsByTagName("Play").item(0).getTextContent();
        assertEquals(service.base() + "/sounds/hold-tone.wav", tone, "the tone plays while a key may still be pressed");

        p.put("QueuePosition", "1");
        Twiml first = call.post(waitUrl, p).twiml();
        assertTrue(first.text().contains("まもなくオペレーターにおつなぎいたします"), first.xml);
        assertFalse(first.text().contains("順番"), first.xml);
        assertFalse(first.text().contains("あなた"), first.xml);
        assertTrue(first.has("Play"), first.xml);
    }

    @Test
    void theHoldToneIsAWaveFileTwilioCanPlay() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(service.base() + "/sounds/hold-tone.wav")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("RIFF", new String(r.body(), 0, 4));
        assertEquals("WAVE", new String(r.body(), 8, 4));
        assertTrue(r.body().length > 8000 * 2 * 20, "at least 20 s of 8 kHz audio");
    }

    @Test
    void aWithheldNumberIsAskedForANumberToCallReadBackAndNeverPromisedThisNumber() {
        for (String withheld : new String[]{"anonymous", "+266696687", ""}) {
            PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, withheld);
            Twiml queued = toOperators(call);
            Map<String, String> p = call.params();
            p.put("QueuePosition", "2");
            call.post(call.relative(queued.enqueue().getAttribute("waitUrl")), p);
            Twiml wait = call.post(call.relative(queued.enqueue().getAttribute("waitUrl")), p).twiml();
            p.put("Digits", "1");
            Twiml askNumber = call.follow(call.relative(wait.gather().getAttribute("action")), p);
            assertTrue(askNumber.text().contains("折り返し先のお電話番号"), withheld + ": " + askNumber.xml);
            assertEquals("#", askNumber.gather().getAttribute("finishOnKey"));

            Twiml wrong = call.press("12#");
            assertTrue(wrong.text().contains("確認できませんでした"), wrong.xml);
            Twiml readBack = call.press("0445550123#");
            assertTrue(readBack.text().contains("0、4、4、5、5、5、0、1、2、3、と入力されました"), readBack.xml);
            Twiml again = call.press("2");
            assertTrue(again.text().contains("折り返し先のお電話番号"), "2 asks for the number again: " + again.xml);
            call.press("0445550124#");
            Twiml when = call.press("1");
            assertTrue(when.text().contains("午前中は1を"), when.xml);
            Twiml recorded = call.press("1");
            assertTrue(recorded.text().contains("午前中に、オペレーターから0、4、4、5、5、5、0、1、2、4にお電話いたします"), recorded.xml);
            assertFalse(recorded.text().contains("この"), "no promise to call 'this number': " + recorded.xml);
            assertTrue(recorded.has("Hangup"), recorded.xml);
            call.hangUp();
        }
        JsonObject request = callbackOf("+81445550124");
        assertNotNull(request, "the number keyed in is the one operators call");
        assertEquals("morning", request.getString("preferred"));
        assertEquals("queue", request.getString("reason"));
        assertEquals(null, callbackOf("anonymous"), "no request without a number to call");
    }

    @Test
    void aQueueThatCannotTakeTheCallerSaysSoAndOffersACallBack() {
        for (String result : new String[]{"queue-full", "error"}) {
            PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+8190222201" + (result.length() + 10));
            Twiml queued = toOperators(call);
            Map<String, String> p = call.params();
            p.put("QueueResult", result);
            p.put("QueueTime", "0");
            Twiml left = call.follow(call.relative(queued.enqueue().getAttribute("action")), p);
            assertFalse(left.has("Hangup"), "not a silent hang-up: " + left.xml);
            assertTrue(left.text().contains("ただいまオペレーターにおつなぎできません"), left.xml);
            assertTrue(left.gather().getAttribute("action").contains("why=queue_failed"), left.xml);
            call.press("1");
            Twiml recorded = call.press("3");
            assertTrue(recorded.text().contains("受付時間内に、オペレーターからこのお電話番号にお電話いたします"), recorded.xml);
            JsonObject request = callbackOf(call.from);
            assertNotNull(request, result);
            assertEquals("queue_failed", request.getString("reason"));
            assertEquals("any", request.getString("preferred"));
        }

        PhoneCall bridged = new PhoneCall(service.base(), AUTH_TOKEN, "+819022220199");
        Twiml queued = toOperators(bridged);
        Map<String, String> p = bridged.params();
        p.put("QueueResult", "bridged");
        p.put("QueueTime", "42");
        assertTrue(bridged.post(bridged.relative(queued.enqueue().getAttribute("action")), p).twiml().has("Hangup"));
    }

    @Test
    void twiliosFallbackUrlAnswersTheApologyAndTheQueueInJapanese() {
        PhoneCall call = new PhoneCall(service.base(), AUTH_TOKEN, "+819022220200");
        Twiml fallback = call.post("/twilio/voice/fallback", call.params()).twiml();
        assertTrue(fallback.text().contains("申し訳ございません。ただいまシステムに接続できません"), fallback.xml);
        assertEquals("ja-JP", fallback.says().get(0).getAttribute("language"));
        assertEquals("madoguchi-operators", fallback.enqueue().getTextContent());
        assertEquals(403, call.post("/twilio/voice/fallback", call.params(), "forged").status());
    }
}
