package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Console sign-in over real HTTP: cookie attributes, CSRF double submit, Bearer without CSRF,
 * wrong passwords, sign-out, and idle and absolute expiry against the service's clock.
 */
class StaffSessionTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_SESSION_IDLE_MINUTES", "30",
                "MADOGUCHI_SESSION_MAX_HOURS", "2"), CLOCK);
        StaffClient.createUser(service, "op-sess", "operator", "correct horse battery");
        StaffClient.createUser(service, "adm-sess", "admin", "admin password 1");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void signInSetsStrictHttpOnlySessionAndReadableCsrfCookies() {
        StaffClient c = new StaffClient(service.base());
        TestService.Response r = c.login("op-sess", "correct horse battery");
        assertEquals("operator", r.json().getString("role"));
        String session = c.setCookieHeaders.stream().filter(h -> h.startsWith("madoguchi_session=")).findFirst().orElseThrow();
        String csrf = c.setCookieHeaders.stream().filter(h -> h.startsWith("madoguchi_csrf=")).findFirst().orElseThrow();
        assertTrue(session.toLowerCase().contains("httponly"), session);
        assertTrue(session.contains("SameSite=Strict"), session);
        assertTrue(session.contains("Path=/"), session);
        assertFalse(session.contains("Secure"), "plain http here: " + session);
        assertFalse(csrf.toLowerCase().contains("httponly"), "the page must read it: " + csrf);
        assertTrue(csrf.contains("SameSite=Strict"), csrf);
        assertEquals(c.csrf(), r.json().getString("csrfToken"));
        assertEquals("op-sess", c.send("GET", "/api/v1/staff/me", null, false).json().getString("name"));
    }

    @Test
    void nonGetWithSessionNeedsTheCsrfHeaderMatchingTheCookie() {
        StaffClient c = new StaffClient(service.base());
        c.login("adm-sess", "admin password 1");
        JsonObject site = new JsonObject().put("id", "csrf-site").put("name", new JsonObject().put("ja", "会場").put("en", "Site"))
                .put("kind", "popup");
        assertEquals(403, c.send("POST", "/api/v1/admin/sites", site, false).status());
        assertEquals("csrf_failed", c.send("POST", "/api/v1/admin/sites", site, "wrong-token-0123456789").json().getString("error"));
        // a CSRF token of another session is refused too (it is bound to its session)
        StaffClient other = new StaffClient(service.base());
        other.login("adm-sess", "admin password 1");
        assertEquals(403, c.send("POST", "/api/v1/admin/sites", site, other.csrf()).status());
        assertEquals(201, c.send("POST", "/api/v1/admin/sites", site, true).status());
        // a Bearer token needs no CSRF header
        assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, site.copy().put("id", "csrf-site-2")).status());
    }

    @Test
    void wrongPasswordAndUnknownUserAnswerTheSame() {
        StaffClient c = new StaffClient(service.base());
        TestService.Response wrong = c.send("POST", "/api/v1/staff/login", new JsonObject().put("name", "op-sess").put("password", "nope nope nope"), false);
        TestService.Response unknown = c.send("POST", "/api/v1/staff/login", new JsonObject().put("name", "nobody").put("password", "nope nope nope"), false);
        assertEquals(401, wrong.status());
        assertEquals(wrong.body(), unknown.body());
        assertTrue(c.cookies.isEmpty());
        // a user created without a password (API token only) cannot sign in
        assertEquals(201, service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "token-only").put("role", "operator")).status());
        assertEquals(401, c.send("POST", "/api/v1/staff/login", new JsonObject().put("name", "token-only").put("password", "anything at all"), false).status());
        assertEquals(400, service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "weak").put("role", "operator").put("password", "short")).status());
    }

    @Test
    void sessionsEndWhenIdleTooLongOrTooOldAndAtSignOut() {
        StaffClient idle = new StaffClient(service.base());
        idle.login("op-sess", "correct horse battery");
        CLOCK.advance(Duration.ofMinutes(29));
        assertEquals(200, idle.send("GET", "/api/v1/staff/me", null, false).status());
        CLOCK.advance(Duration.ofMinutes(29)); // the last request 29 minutes ago: still alive
        assertEquals(200, idle.send("GET", "/api/v1/staff/me", null, false).status());
        CLOCK.advance(Duration.ofMinutes(31));
        TestService.Response expired = idle.send("GET", "/api/v1/staff/me", null, false);
        assertEquals(401, expired.status());
        assertEquals("session_expired", expired.json().getString("error"));

        StaffClient old = new StaffClient(service.base());
        old.login("op-sess", "correct horse battery");
        for (int i = 0; i < 4; i++) {
            CLOCK.advance(Duration.ofMinutes(25));
            assertEquals(200, old.send("GET", "/api/v1/staff/me", null, false).status());
        }
        CLOCK.advance(Duration.ofMinutes(25)); // 2 h 5 min after sign-in, though never idle 30 minutes
        assertEquals(401, old.send("GET", "/api/v1/staff/me", null, false).status());

        StaffClient out = new StaffClient(service.base());
        out.login("op-sess", "correct horse battery");
        String session = out.cookies.get("madoguchi_session");
        assertEquals(403, out.send("POST", "/api/v1/staff/logout", null, false).status());
        assertEquals(200, out.send("POST", "/api/v1/staff/logout", null, true).status());
        assertFalse(out.cookies.containsKey("madoguchi_session"));
        out.cookies.put("madoguchi_session", session);
        assertEquals(401, out.send("GET", "/api/v1/staff/me", null, false).status());
    }

    @Test
    void failuresSlowTheNameFromThatAddressWithGrowingWaitsUntilASuccess() {
        StaffClient.createUser(service, "op-locked", "operator", "the right password");
        StaffClient c = new StaffClient(service.base());
        for (int i = 0; i < 3; i++) {
            assertEquals(401, c.send("POST", "/api/v1/staff/login",
                    new JsonObject().put("name", "op-locked").put("password", "guess number " + i), false).status());
        }
        TestService.Response waiting = c.send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "op-locked").put("password", "the right password"), false);
        assertEquals(429, waiting.status(), waiting.toString());
        assertEquals("too_many_attempts", waiting.json().getString("error"));
        assertEquals("1", waiting.header("Retry-After"));
        CLOCK.advance(Duration.ofSeconds(1));
        assertEquals(200, c.send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "op-locked").put("password", "the right password"), false).status());
        // a success forgets the failures
        assertEquals(401, c.send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "op-locked").put("password", "a typo after all"), false).status());
        // other names are not affected
        assertEquals(200, new StaffClient(service.base()).login("op-sess", "correct horse battery").status());
    }

    @Test
    void cookiesAreSecureBehindHttpsAndSessionLimitsAreValidated() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@h/d");
        assertFalse(madoguchi.Config.fromEnvironment(env).secureCookies());
        assertTrue(madoguchi.Config.fromEnvironment(Map.of("DATABASE_URL", "postgresql://u@h/d",
                "PUBLIC_BASE_URL", "https://madoguchi.example.jp")).secureCookies());
        assertEquals(Duration.ofMinutes(30), madoguchi.Config.fromEnvironment(env).sessionIdle());
        assertEquals(Duration.ofHours(12), madoguchi.Config.fromEnvironment(env).sessionAbsolute());
        for (Map<String, String> bad : java.util.List.of(Map.of("MADOGUCHI_SESSION_IDLE_MINUTES", "0"),
                Map.of("MADOGUCHI_SESSION_MAX_HOURS", "x"), Map.of("MADOGUCHI_SESSION_IDLE_MINUTES", "600", "MADOGUCHI_SESSION_MAX_HOURS", "2"))) {
            java.util.HashMap<String, String> e = new java.util.HashMap<>(env);
            e.putAll(bad);
            org.junit.jupiter.api.Assertions.assertThrows(madoguchi.Config.Invalid.class, () -> madoguchi.Config.fromEnvironment(e), bad.toString());
        }
    }

    @Test
    void signInsAreAudited() {
        StaffClient c = new StaffClient(service.base());
        c.login("adm-sess", "admin password 1");
        TestService.Response audit = service.get("/api/v1/admin/audit?action=staff.login&actor=adm-sess", TestService.ADMIN_TOKEN);
        assertEquals(200, audit.status());
        assertNotNull(audit.json().getJsonArray("entries").getJsonObject(0));
    }
}
