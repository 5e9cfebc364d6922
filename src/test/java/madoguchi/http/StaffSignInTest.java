package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.app.SignInLimits;
import madoguchi.support.FromAddress;
import madoguchi.support.MutableClock;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Console sign-in over real HTTP from several client addresses: a stranger cannot lock the real user out. */
class StaffSignInTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
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
}
