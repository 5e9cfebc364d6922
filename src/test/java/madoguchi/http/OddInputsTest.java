package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import madoguchi.telephony.TwilioSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that once answered 500 (with a stack trace in the log): a Twilio form of more fields than
 * the server decodes, numbers so small a forecast's date overflowed, instants beyond the years a
 * timestamp holds. The form and the instants are a 4xx JSON answer now; the forecast says "never".
 */
class OddInputsTest {
    private static final String AUTH_TOKEN = "f".repeat(32);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
                "TWILIO_AUTH_TOKEN", AUTH_TOKEN, "PUBLIC_BASE_URL", "http://127.0.0.1"), Clock.systemUTC());
        service.siteWithOneSlot("odd", java.time.LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(3), 1, 1);
        service.importCards("odd", 6_700_000_000L, 3);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static HttpResponse<String> form(String path, Map<String, String> fields, boolean signed) throws Exception {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signed) {
            b.header("X-Twilio-Signature", new TwilioSigner(AUTH_TOKEN).sign("http://127.0.0.1" + path, fields));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void jsonError(int status, String code, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, new JsonObject(r.body()).getString("error"), r.body());
    }

    private static Map<String, String> fields(int count) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("CallSid", "CA" + "1".repeat(32));
        f.put("From", "+819012345678");
        for (int i = f.size(); i < count; i++) {
            f.put("X" + i, "v");
        }
        return f;
    }

    @Test
    void aTwilioFormOfTooManyFieldsIsRefusedAsTooLarge() throws Exception {
        for (String path : new String[] {"/twilio/voice", "/twilio/sms", "/twilio/voice/reminder/status?booking=1&t=x"}) {
            for (int count : new int[] {257, 2_000}) {
                for (boolean signed : new boolean[] {true, false}) {
                    jsonError(413, "body_too_large", form(path, fields(count), signed));
                }
            }
            // a form within the limit is still read (and, signed, answered with TwiML)
            HttpResponse<String> fine = form(path, fields(200), true);
            assertEquals(200, fine.statusCode(), fine.body());
        }
    }

    @Test
    void aSignedTwilioFormWithAControlCharacterIsRefusedNamingTheField() throws Exception {
        Map<String, String> f = fields(5);
        f.put("Digits", "1\u0000");
        HttpResponse<String> r = form("/twilio/voice/step?n=menu", f, true);
        jsonError(400, "invalid_request", r);
        assertTrue(r.body().contains("'Digits'"), r.body());
        Map<String, String> sms = fields(2);
        sms.put("Body", "CANCEL\r\nthank you\t!");
        assertEquals(200, form("/twilio/sms", sms, true).statusCode(), "a text's line breaks are a phone's, not an attack");
        sms.put("Body", "CANCEL\u0000");
        jsonError(400, "invalid_request", form("/twilio/sms", sms, true));
    }

    @Test
    void aForecastAtAPaceTooSmallToEverEndSaysNever() throws Exception {
        var r = service.get("/api/v1/admin/reports/forecast?seatsPerDay=0.0000001&bookingRate=0.0000001", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        JsonObject odd = r.json().getJsonArray("sites").getJsonObject(0);
        assertEquals(3, odd.getInteger("waiting"));
        assertNull(odd.getValue("clearedOn"), "never at that pace (it would end after year 9999): " + odd);
        for (String q : new String[] {"seatsPerDay=1e-308", "seatsPerDay=4.9e-324", "bookingRate=1e-300", "noShowRate=0.9999999999",
                "seatsPerDay=1e308", "seatsPerDay=-0", "seatsPerDay=NaN", "seatsPerDay=Infinity", "seatsPerDay=0x1p-1074"}) {
            var answer = service.get("/api/v1/admin/reports/forecast?" + q, TestService.ADMIN_TOKEN);
            assertTrue(answer.status() == 200 || answer.status() == 400, q + " -> " + answer);
        }
    }

    @Test
    void auditTimesBeyondTheYearsATimestampHoldsAreRefused() {
        for (String q : new String[] {"to=-999999999-01-01T00:00:00%2B18:00", "from=%2B999999999-12-31T23:59:59-18:00",
                "from=-4713-01-01T00:00:00Z", "to=294277-01-01T00:00:00Z", "from=0000-01-01T00:00:00Z"}) {
            var r = service.get("/api/v1/admin/audit?" + q, TestService.ADMIN_TOKEN);
            assertEquals(400, r.status(), q + " -> " + r);
            assertEquals("invalid_request", r.json().getString("error"));
        }
        assertEquals(200, service.get("/api/v1/admin/audit?from=2020-01-01T00:00:00%2B09:00&to=2099-12-31", TestService.ADMIN_TOKEN).status());
    }
}
