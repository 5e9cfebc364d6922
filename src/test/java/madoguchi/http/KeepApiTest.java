package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.Contract;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API behind what residents keep a booking with, over real HTTP and PostgreSQL: the calendar
 * file only for the card's own active booking and in the request's language, the SMS choice, the
 * call center's line when none is configured, and the administrators' access notes (audited,
 * refused whole when wrong, shown in the site list).
 */
class KeepApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestService service;
    private static long slot;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        slot = service.siteWithOneSlot("keepapi", LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(3), 1, 2);
        service.importCards("keepapi", 5_300_000_001L, 2);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void theCalendarFileIsTheCardsOwnActiveBookingInTheRequestsLanguage() throws Exception {
        String mine = service.verify(5_300_000_001L);
        String other = service.verify(5_300_000_002L);
        String code = service.post("/api/v1/bookings", mine, new JsonObject().put("slotId", slot)).json().getString("code");

        HttpResponse<String> en = get("/api/v1/bookings/" + code + "/calendar.ics", mine, "en");
        assertEquals(200, en.statusCode());
        assertEquals("text/calendar; charset=utf-8", en.headers().firstValue("Content-Type").orElse(""));
        assertEquals("attachment; filename=\"booking-" + code + ".ics\"", en.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("no-store", en.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(en.body().contains("\r\nSUMMARY:My Number Card pick-up (Test site keepapi)\r\n"), en.body());
        assertTrue(get("/api/v1/bookings/" + code + "/calendar.ics", mine, "ja").body().replace("\r\n ", "") // unfolded
                .contains("\r\nSUMMARY:マイナンバーカードの受け取り（テスト会場 keepapi）\r\n"));

        assertEquals(404, get("/api/v1/bookings/" + code + "/calendar.ics", other, "ja").statusCode(), "another card's booking");
        assertEquals(401, get("/api/v1/bookings/" + code + "/calendar.ics", null, "ja").statusCode());
        assertEquals(404, get("/api/v1/bookings/12345/calendar.ics", mine, "ja").statusCode(), "not a booking code");
        assertEquals(200, service.delete("/api/v1/bookings/" + code, mine).status());
        assertEquals(404, get("/api/v1/bookings/" + code + "/calendar.ics", mine, "ja").statusCode(), "a cancelled booking has no date to keep");
    }

    @Test
    void theSmsChoiceOfACardWithoutAMobileNumber() {
        String token = service.verify(5_300_000_002L);
        assertEquals(new JsonObject().putNull("mobile").put("sms", false), service.get("/api/v1/residents/me/notices", token).json());
        assertEquals(400, service.put("/api/v1/residents/me/notices", token, new JsonObject().put("sms", "yes")).status());
        assertEquals(200, service.put("/api/v1/residents/me/notices", token, new JsonObject().put("sms", true)).status());
        assertEquals(400, service.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot).put("smsConfirmation", "no")).status(),
                "a choice that is not true or false books nothing");
        assertEquals(0, service.get("/api/v1/residents/me", token).json().getJsonArray("bookings").size());
    }

    @Test
    void withoutACallCenterConfiguredTheLineIsEmpty() {
        JsonObject c = service.get("/api/v1/call-center", null).json();
        assertNull(c.getString("number"));
        assertNull(c.getValue("hours"));
        assertEquals(new JsonObject().put("ja", "").put("en", ""), c.getJsonObject("text"));
    }

    @Test
    void accessNotesAreAuditedShownAndRefusedWholeWhenWrong() {
        assertNull(site("keepapi").getValue("access"), "none written yet");
        JsonObject notes = new JsonObject().put("mapUrl", "https://maps.example.jp/keepapi")
                .put("station", new JsonObject().put("ja", "JR川崎駅から徒歩5分").put("en", "5 min walk from JR Kawasaki Station"))
                .put("floor", new JsonObject().put("ja", "2階").put("en", "2nd floor"));
        TestService.Response saved = service.put("/api/v1/admin/sites/keepapi/access", TestService.ADMIN_TOKEN, notes);
        assertEquals(200, saved.status(), saved.body());
        JsonObject access = site("keepapi").getJsonObject("access");
        assertEquals("https://maps.example.jp/keepapi", access.getString("mapUrl"));
        assertEquals("JR川崎駅から徒歩5分", access.getJsonObject("station").getString("ja"));
        assertEquals(new JsonObject().put("ja", "").put("en", ""), access.getJsonObject("parking"), "absent: empty");

        JsonArray audit = service.get("/api/v1/admin/audit?action=site.access", TestService.ADMIN_TOKEN).json().getJsonArray("entries");
        assertEquals(1, audit.size());
        assertEquals("site:keepapi", audit.getJsonObject(0).getString("target"));
        assertEquals("2階", audit.getJsonObject(0).getJsonObject("after").getJsonObject("floor").getString("ja"));

        for (JsonObject bad : new JsonObject[] {
                notes.copy().put("mapUrl", "javascript:alert(1)"), notes.copy().put("mapUrl", "http://maps.example.jp"),
                notes.copy().put("station", "JR川崎駅"), notes.copy().put("floor", new JsonObject().put("ja", "x".repeat(301)))}) {
            TestService.Response r = service.put("/api/v1/admin/sites/keepapi/access", TestService.ADMIN_TOKEN, bad);
            assertEquals(400, r.status(), bad.encode());
            assertEquals("invalid_request", r.json().getString("error"));
        }
        assertEquals(404, service.put("/api/v1/admin/sites/nosuchsite/access", TestService.ADMIN_TOKEN, notes).status());
        assertEquals(1, service.get("/api/v1/admin/audit?action=site.access", TestService.ADMIN_TOKEN).json().getJsonArray("entries").size(),
                "a refused change leaves no audit row");
        assertEquals("https://maps.example.jp/keepapi", site("keepapi").getJsonObject("access").getString("mapUrl"));
    }

    private static JsonObject site(String id) {
        for (Object o : service.get("/api/v1/sites", null).array()) {
            if (id.equals(((JsonObject) o).getString("id"))) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no site " + id);
    }

    private static HttpResponse<String> get(String path, String token, String language) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.base() + path)).header("Accept-Language", language);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = b.build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        Contract.check(request.method(), request.uri(), r.statusCode(), r.headers().map(), r.body());
        return r;
    }
}
