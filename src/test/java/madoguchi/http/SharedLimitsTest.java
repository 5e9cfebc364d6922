package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.FromAddress;
import madoguchi.support.MutableClock;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the service on one database count the abuse limits in one place: a notice
 * number locked on one is locked on the other, wrong guesses spread over both (one after another
 * or all at once) are evaluated only up to the limit, a console sign-in limit reached on one
 * holds on the other, and so does a card's change limit. Verification and sign-in counts are
 * written before their answer; the change counts (on the booking path) in batches, synced here
 * by hand, so nothing waits for anything to spread.
 */
class SharedLimitsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private static Config.DatabaseUrl db;
    private static TestService a;
    private static TestService b;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        Map<String, String> env = Map.of("MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", "2");
        a = TestService.start(db, env, CLOCK);
        a.siteWithOneSlot("twin", DAY, 1, 5);
        a.importCards("twin", 6_400_000_000L, 3);
        StaffClient.createUser(a, "op-twin", "operator", "the operator's password");
        // started after the site exists, so that it reads it at start
        b = TestService.start(db, env, CLOCK);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static TestService.Response verify(TestService s, long notice, String birth) {
        return s.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(notice)).put("birthDate", birth));
    }

    @Test
    void aNoticeNumberLockedOnOneInstanceIsLockedOnTheOther() {
        long notice = 6_400_000_000L;
        // ten wrong dates, five on each: counted together
        for (int day = 1; day <= 10; day++) {
            assertEquals(401, verify(day % 2 == 0 ? a : b, notice, "1980-02-" + String.format("%02d", day)).status());
        }
        TestService.Response onA = verify(a, notice, "1980-01-01");
        assertEquals(429, onA.status(), "even the right date: " + onA);
        TestService.Response onB = verify(b, notice, "1980-01-01");
        assertEquals(429, onB.status(), "locked on the other instance too: " + onB);
        assertEquals(onA.json().getString("retryAt"), onB.json().getString("retryAt"), "the same lock, until the same moment");
    }

    @Test
    void wrongGuessesSentTogetherToBothInstancesAreEvaluatedOnlyUpToTheLimit() throws Exception {
        long notice = 6_400_000_001L;
        int guesses = 40;
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                TestService s = i % 2 == 0 ? a : b;
                String birth = "1981-01-" + String.format("%02d", i % 28 + 1);
                answers.add(pool.submit(() -> {
                    go.await();
                    return verify(s, notice, birth).status();
                }));
            }
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<Integer> f : answers) {
                byStatus.merge(f.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(401, 10, 429, guesses - 10), byStatus, "ten dates checked in all, whichever instance");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSignInLimitReachedOnOneInstanceHoldsOnTheOther() {
        for (int i = 0; i < madoguchi.app.staff.SignInLimits.FREE_FAILURES; i++) {
            assertEquals(401, signIn(i % 2 == 0 ? a : b, "127.0.0.5", "wrong " + i).status());
        }
        TestService.Response onA = signIn(a, "127.0.0.5", "the operator's password");
        assertEquals(429, onA.status(), onA.toString());
        TestService.Response onB = signIn(b, "127.0.0.5", "the operator's password");
        assertEquals(429, onB.status(), "slowed on the other instance too: " + onB);
        assertEquals(200, signIn(b, "127.0.0.6", "the operator's password").status(), "the real user, from their own address");
    }

    @Test
    void aCardsChangesAreCountedOnEveryInstance() throws Exception {
        long notice = 6_400_000_002L;
        long slot = a.get("/api/v1/sites/twin/availability?from=" + DAY + "&to=" + DAY, null).array().getJsonObject(0).getLong("slotId");
        String token = a.verify(notice);
        // one change on each instance (a hold let go again: the seat comes back, the change stays counted)
        for (TestService s : List.of(a, b)) {
            TestService.Response held = s.post("/api/v1/holds", token, new JsonObject().put("slotId", slot));
            assertEquals(201, held.status(), held.toString());
            assertEquals(200, s.delete("/api/v1/holds/" + held.json().getString("holdId"), token).status());
        }
        // the counts are written in batches: each instance's sync run now (instead of waiting for its
        // timer, every 200 ms): A writes its change, B writes its own and finds the limit reached, A reads the lock
        sync(a);
        sync(b);
        sync(a);
        TestService.Response onA = a.post("/api/v1/holds", token, new JsonObject().put("slotId", slot));
        assertEquals(429, onA.status(), onA.toString());
        assertEquals("too_many_changes", onA.json().getString("error"));
        assertEquals(429, b.post("/api/v1/holds", token, new JsonObject().put("slotId", slot)).status());
    }

    @Test
    void whatIsCountedIsStoredAsADigestNeverAsTheNumberItself() throws Exception {
        verify(a, 6_499_999_999L, "1980-01-01");
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rows = st.executeQuery("SELECT kind, key FROM attempt_counts")) {
            int seen = 0;
            while (rows.next()) {
                seen++;
                byte[] key = rows.getBytes("key");
                assertEquals(16, key.length, rows.getString("kind"));
                assertTrue(!new String(key, java.nio.charset.StandardCharsets.ISO_8859_1).contains("6499999999"));
            }
            assertTrue(seen > 0);
        }
    }

    private static void sync(TestService s) throws Exception {
        s.app.services().syncLimits().get().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static TestService.Response signIn(TestService s, String from, String password) {
        return FromAddress.post(from, s.port, "/api/v1/staff/login",
                new JsonObject().put("name", "op-twin").put("password", password).encode(), Map.of("Content-Type", "application/json"));
    }
}
