package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.app.staff.SignInLimits;
import madoguchi.support.FromAddress;
import madoguchi.support.MutableClock;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Console sign-in over real HTTP from several client addresses: a stranger cannot lock the real
 * user out, and a page on another site can neither sign a browser in nor act with its session.
 */
class StaffSignInTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), CLOCK);
        StaffClient.createUser(service, "adm-target", "admin", "the admin's own password");
        StaffClient.createUser(service, "op-form", "operator", "operator password 1");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static TestService.Response signIn(String from, String name, String password) {
        return FromAddress.post(from, service.port, "/api/v1/staff/login",
                new JsonObject().put("name", name).put("password", password).encode(), Map.of("Content-Type", "application/json"));
    }

    @Test
    void aStrangersWrongPasswordsSlowTheStrangerAndNeverKeepTheAdministratorOut() throws Exception {
        int tries = 40;
        ExecutorService pool = Executors.newFixedThreadPool(tries);
        CountDownLatch go = new CountDownLatch(1);
        List<TestService.Response> answers = new ArrayList<>();
        try {
            List<Future<TestService.Response>> sent = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                String guess = "guess number " + i;
                sent.add(pool.submit(() -> {
                    go.await();
                    return signIn("127.0.0.2", "adm-target", guess);
                }));
            }
            go.countDown();
            for (Future<TestService.Response> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
        assertEquals(tries, byStatus.getOrDefault(401, 0) + byStatus.getOrDefault(429, 0), "only 401 and 429, never 503: " + byStatus);
        assertTrue(byStatus.getOrDefault(401, 0) <= SignInLimits.FREE_FAILURES, "passwords checked: " + byStatus);
        assertTrue(answers.stream().filter(a -> a.status() == 429).allMatch(a -> a.header("Retry-After") != null
                && "too_many_attempts".equals(a.json().getString("error"))));
        // most of the 40 found both hashing places taken; a few more failures one after another
        // use up the free ones, and the stranger's address is slowed down, even with the right password
        for (int i = 0; i < SignInLimits.FREE_FAILURES; i++) {
            int status = signIn("127.0.0.2", "adm-target", "one more guess " + i).status();
            assertTrue(status == 401 || status == 429, "status " + status);
        }
        TestService.Response stranger = signIn("127.0.0.2", "adm-target", "the admin's own password");
        assertEquals(429, stranger.status(), stranger.toString());
        assertNotNull(stranger.header("Retry-After"));
        // the administrator, at their own address, signs in at once
        TestService.Response owner = signIn("127.0.0.3", "adm-target", "the admin's own password");
        assertEquals(200, owner.status(), owner.toString());
        assertEquals("admin", owner.json().getString("role"));
    }

    @Test
    void aFormOnAnotherSiteCannotSignABrowserIn() throws Exception {
        String body = new JsonObject().put("name", "op-form").put("password", "operator password 1").encode();
        // <form enctype="text/plain"> submitted by a page on another site
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/staff/login"))
                .header("Content-Type", "text/plain").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, form.statusCode(), form.body());
        assertEquals("cross_origin", new JsonObject(form.body()).getString("error"));
        assertTrue(form.headers().allValues("set-cookie").isEmpty());
        // a browser that sends only Sec-Fetch-Site is refused the same, even with JSON
        HttpResponse<String> fetched = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/staff/login"))
                .header("Content-Type", "application/json").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, fetched.statusCode(), fetched.body());
        // the body must be JSON, from anywhere
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create(service.base() + "/api/v1/staff/login"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode(), plain.body());
        assertEquals("unsupported_media_type", new JsonObject(plain.body()).getString("error"));
        // the console itself: its own origin, JSON
        StaffClient console = new StaffClient(service.base());
        console.headers.put("Origin", service.base());
        console.headers.put("Sec-Fetch-Site", "same-origin");
        assertEquals("operator", console.login("op-form", "operator password 1").json().getString("role"));
    }

    @Test
    void sessionRequestsFromAnotherSiteAreRefusedAndTokenRequestsAreNot() {
        StaffClient c = new StaffClient(service.base());
        c.login("adm-target", "the admin's own password");
        JsonObject site = new JsonObject().put("name", new JsonObject().put("ja", "会場").put("en", "Site")).put("kind", "popup");
        c.headers.put("Origin", "https://evil.example");
        TestService.Response cross = c.send("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-1"), true);
        assertEquals(403, cross.status(), cross.toString());
        assertEquals("cross_origin", cross.json().getString("error"));
        assertEquals(403, c.send("POST", "/api/v1/staff/logout", null, true).status());
        c.headers.put("Origin", "null");
        assertEquals(403, c.send("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-1"), true).status());
        c.headers.clear();
        c.headers.put("Sec-Fetch-Site", "same-site");
        assertEquals(403, c.send("DELETE", "/api/v1/operator/bookings/0000000000", null, true).status());
        // the console's own origin (by Origin or by Sec-Fetch-Site), and programs without either
        c.headers.clear();
        c.headers.put("Origin", service.base());
        assertEquals(201, c.send("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-2"), true).status());
        c.headers.clear();
        c.headers.put("Sec-Fetch-Site", "same-origin");
        c.headers.put("Origin", "http://another-name-of-the-proxy.example");
        assertEquals(201, c.send("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-3"), true).status());
        c.headers.clear();
        assertEquals(201, c.send("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-4"), true).status());
        // reading is never refused; a Bearer token needs no Origin
        c.headers.put("Origin", "https://evil.example");
        assertEquals(200, c.send("GET", "/api/v1/staff/me", null, false).status());
        StaffClient script = new StaffClient(service.base());
        script.headers.put("Origin", "https://evil.example");
        assertEquals(201, script.sendWithBearer("POST", "/api/v1/admin/sites", site.copy().put("id", "origin-5"), TestService.ADMIN_TOKEN).status());
    }

    @Test
    void thePublicBaseUrlIsTheConsolesOriginToo() throws Exception {
        try (TestService behindProxy = TestService.start(TestDatabase.fresh(),
                Map.of("PUBLIC_BASE_URL", "https://madoguchi.example.jp"), CLOCK)) {
            StaffClient.createUser(behindProxy, "op-proxy", "operator", "operator password 2");
            StaffClient c = new StaffClient(behindProxy.base());
            c.headers.put("Origin", "https://madoguchi.example.jp");
            assertEquals(200, c.login("op-proxy", "operator password 2").status());
            c.headers.put("Origin", "https://madoguchi.example.jp:8443");
            assertEquals(403, c.send("POST", "/api/v1/staff/logout", null, true).status());
            c.headers.put("Origin", "https://madoguchi.example.jp");
            assertEquals(200, c.send("POST", "/api/v1/staff/logout", null, true).status());
            assertFalse(c.cookies.containsKey("madoguchi_session"));
        }
    }
}
