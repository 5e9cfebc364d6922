package madoguchi.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Web security of what the service serves: the security headers on every kind of answer (pages,
 * assets, API, errors, refusals by the HTTP layer), CORS closed, resident tokens that expire and
 * cannot be forged, and logs that never hold a birth date, a phone number or a token.
 */
class WebSecurityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndCorsStaysClosed() throws Exception {
        try (TestService s = TestService.start()) {
            String b = s.base();
            String json = "application/json";
            List<HttpRequest.Builder> requests = List.of(
                    HttpRequest.newBuilder(URI.create(b + "/")),
                    HttpRequest.newBuilder(URI.create(b + "/?lang=en")),
                    HttpRequest.newBuilder(URI.create(b + "/assets/app.js")),
                    HttpRequest.newBuilder(URI.create(b + "/assets/nothing.js")),
                    HttpRequest.newBuilder(URI.create(b + "/console")),
                    HttpRequest.newBuilder(URI.create(b + "/admin/audit?lang=en")),
                    HttpRequest.newBuilder(URI.create(b + "/staff/console.js")),
                    HttpRequest.newBuilder(URI.create(b + "/admin/reports")),
                    HttpRequest.newBuilder(URI.create(b + "/admin/assets/reports.css")),
                    HttpRequest.newBuilder(URI.create(b + "/no/such/page")),
                    HttpRequest.newBuilder(URI.create(b + "/health")),
                    HttpRequest.newBuilder(URI.create(b + "/ready")),
                    HttpRequest.newBuilder(URI.create(b + "/metrics")),
                    HttpRequest.newBuilder(URI.create(b + "/openapi.yaml")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/sites")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/nothing")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/residents/me")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/sites")).PUT(HttpRequest.BodyPublishers.ofString("{}")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/bookings")).header("Content-Type", json)
                            .POST(HttpRequest.BodyPublishers.ofString("{")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/residents/verify")).header("Content-Type", json)
                            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000))),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/residents/verify")).header("Content-Type", "multipart/form-data; boundary=x")
                            .POST(HttpRequest.BodyPublishers.ofString("--x--")),
                    HttpRequest.newBuilder(URI.create(b + "/api/v1/sites?q=" + "a".repeat(10_000))));
            for (HttpRequest.Builder r : requests) {
                HttpResponse<String> a = send(r.header("Origin", "https://evil.example"));
                String what = a.request().method() + " " + a.request().uri().getPath() + " -> " + a.statusCode();
                String csp = a.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.contains("frame-ancestors 'none'"), what + ": " + csp);
                assertTrue(csp.contains("default-src 'self'"), what);
                assertTrue(csp.contains("object-src 'none'"), what);
                assertEquals("nosniff", a.headers().firstValue("X-Content-Type-Options").orElse(null), what);
                assertEquals("no-referrer", a.headers().firstValue("Referrer-Policy").orElse(null), what);
                assertNull(a.headers().firstValue("Access-Control-Allow-Origin").orElse(null), what);
                assertTrue(a.statusCode() < 500, what);
            }
            // a CORS preflight from another origin is refused and grants nothing
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(b + "/api/v1/bookings"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization,content-type"));
            assertTrue(preflight.statusCode() >= 400 && preflight.statusCode() < 500, "preflight: " + preflight.statusCode());
            preflight.headers().map().keySet().forEach(h -> assertFalse(h.toLowerCase().startsWith("access-control-"), h));
        }
    }

    @Test
    void residentTokensExpireAndCannotBeForged() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of(), clock)) {
            s.siteWithOneSlot("tok", LocalDate.of(2026, 12, 5), 1, 1);
            s.importCards("tok", 6_300_000_000L, 2);
            String token = s.verify(6_300_000_000L);
            assertEquals(200, s.get("/api/v1/residents/me", token).status());
            // another card's number put into a token, or one changed character of the signature
            String[] parts = token.split("\\.");
            String last = parts[parts.length - 1];
            String flipped = token.substring(0, token.length() - 1) + (last.endsWith("A") ? "B" : "A");
            assertEquals(401, s.get("/api/v1/residents/me", flipped).status());
            assertEquals(401, s.get("/api/v1/residents/me", token.replaceFirst("\\.", ".x")).status());
            // staff endpoints never accept a resident's token
            assertEquals(401, s.get("/api/v1/operator/bookings?noticeNumber=6300000000", token).status());
            clock.advance(Duration.ofMinutes(29));
            assertEquals(200, s.get("/api/v1/residents/me", token).status());
            clock.advance(Duration.ofMinutes(2));
            TestService.Response expired = s.get("/api/v1/residents/me", token);
            assertEquals(401, expired.status(), "tokens last 30 minutes");
            assertEquals("unauthorized", expired.json().getString("error"));
        }
    }

    @Test
    void logsHoldNoBirthDatePhoneNumberOrToken() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        String birth = "1975-03-14";
        String phone = "09087654321";
        List<String> secrets = new ArrayList<>(List.of(birth, "19750314", phone, "090-8765-4321", TestService.ADMIN_TOKEN));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of(),
                java.time.Clock.systemUTC())) {
            LocalDate day = LocalDate.now(madoguchi.domain.BookingWindow.TOKYO).plusDays(3);
            long slot = s.siteWithOneSlot("logs", day, 1, 2);
            TestService.Response imported = s.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN,
                    "noticeNumber,birthDate,phone,siteId,state\n6400000001," + birth + "," + phone + ",logs,ready\n");
            assertEquals(200, imported.status(), imported.body());
            assertEquals(401, s.post("/api/v1/residents/verify", null, new JsonObject()
                    .put("noticeNumber", "6400000001").put("birthDate", "1975-03-15")).status());
            TestService.Response verified = s.post("/api/v1/residents/verify", null, new JsonObject()
                    .put("noticeNumber", "6400000001").put("birthDate", birth));
            String token = verified.json().getString("token");
            secrets.add(token);
            String operator = s.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                    new JsonObject().put("name", "logs-operator").put("role", "operator")).json().getString("token");
            secrets.add(operator);
            TestService.Response booked = s.post("/api/v1/bookings", token, new JsonObject().put("slotId", slot),
                    Map.of("Idempotency-Key", "log-test-1"));
            assertEquals(201, booked.status(), booked.body());
            String code = booked.json().getString("code");
            assertEquals(200, s.get("/api/v1/residents/me", token).status());
            assertEquals(200, s.get("/api/v1/bookings/" + code, token).status());
            assertEquals(200, s.get("/api/v1/operator/bookings?phone=" + phone, operator).status());
            assertEquals(200, s.get("/api/v1/operator/bookings?noticeNumber=6400000001", operator).status());
            // an operator checking a caller sees the birth date: answered, audited, never logged
            TestService.Response shown = s.post("/api/v1/operator/cards/6400000001/birth-date", operator, null);
            assertEquals(200, shown.status(), shown.body());
            assertEquals(birth, shown.json().getString("birthDate"));
            assertEquals(200, s.delete("/api/v1/bookings/" + code, token).status());
            assertEquals(401, s.get("/api/v1/residents/me", token + "x").status());
        } finally {
            root.detachAppender(captured);
        }
        assertTrue(captured.list.size() > 10, "the run was logged: " + captured.list.size() + " lines");
        for (ILoggingEvent e : captured.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))
                    + e.getMDCPropertyMap() + e.getKeyValuePairs();
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a log line holds a secret or personal datum: " + text);
            }
        }
    }
}
