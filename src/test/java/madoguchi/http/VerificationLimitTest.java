package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.FromAddress;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A birth date cannot be found by trying: attempts are limited per address, per notice number
 * (counted before the card is looked up, so guesses sent together cannot pass it) and, across
 * the whole service, by the brake that slows every source when failures pile up.
 */
class VerificationLimitTest {

    private static TestService.Response verify(TestService s, String notice, String birth) {
        return s.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", notice).put("birthDate", birth));
    }

    @Test
    void tenWrongBirthDatesLockTheNoticeNumberForAnHour() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of(), clock)) {
            s.siteWithOneSlot("lock", java.time.LocalDate.of(2026, 12, 5), 1, 1);
            s.importCards("lock", 6_100_000_000L, 1);
            for (int day = 1; day <= 10; day++) {
                assertEquals(401, verify(s, "6100000000", "1980-02-" + String.format("%02d", day)).status());
            }
            TestService.Response locked = verify(s, "6100000000", "1980-01-01");
            assertEquals(429, locked.status(), "even the right birth date is refused while locked");
            assertEquals("too_many_attempts", locked.json().getString("error"));
            assertTrue(locked.json().getString("message").contains("10:00"), locked.body());
            assertNotNull(locked.header("Retry-After"));
            clock.advance(Duration.ofMinutes(61));
            assertEquals(200, verify(s, "6100000000", "1980-01-01").status(), "unlocked after the hour");
        }
    }

    @Test
    void oneAddressMayTryOnlySoManyTimesAMinute() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "5"), clock)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(401, verify(s, "70000000" + i, "1980-01-01").status());
            }
            TestService.Response limited = verify(s, "7000000099", "1980-01-01");
            assertEquals(429, limited.status());
            assertEquals("60", limited.header("Retry-After"));
            clock.advance(Duration.ofSeconds(61));
            assertEquals(401, verify(s, "7000000099", "1980-01-01").status());
        }
    }

    @Test
    void wrongGuessesSentTogetherAreEvaluatedOnlyUpToTheLimit() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of(), clock)) {
            s.siteWithOneSlot("together", java.time.LocalDate.of(2026, 12, 5), 1, 1);
            s.importCards("together", 6_200_000_000L, 1);
            int guesses = 60;
            ExecutorService pool = Executors.newFixedThreadPool(guesses);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < guesses; i++) {
                    String date = java.time.LocalDate.of(1970, 1, 1).plusDays(i).toString();
                    answers.add(pool.submit(() -> {
                        go.await();
                        return verify(s, "6200000000", date).status();
                    }));
                }
                go.countDown();
                Map<Integer, Integer> byStatus = new TreeMap<>();
                for (Future<Integer> a : answers) {
                    byStatus.merge(a.get(60, TimeUnit.SECONDS), 1, Integer::sum);
                }
                assertEquals(Map.of(401, 10, 429, guesses - 10), byStatus, "ten guesses evaluated, the rest refused");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void failuresFromManyAddressesOnManyNoticeNumbersSlowEverySourceDown() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_VERIFY_PER_ADDRESS_PER_MINUTE", "29",
                "MADOGUCHI_VERIFY_FAILURES_PER_10_MINUTES", "20"), clock)) {
            s.siteWithOneSlot("brake", java.time.LocalDate.of(2026, 12, 5), 1, 1);
            s.importCards("brake", 6_300_000_000L, 1);
            Map<Integer, Integer> byStatus = new TreeMap<>();
            TestService.Response refused = null;
            for (int round = 0; round < 2; round++) {
                for (int a = 0; a < 40; a++) {
                    TestService.Response r = FromAddress.post("127.0.0." + (a + 2), s.port, "/api/v1/residents/verify",
                            new JsonObject().put("noticeNumber", String.valueOf(6_310_000_000L + round * 40 + a))
                                    .put("birthDate", "1980-01-01").encode(), Map.of("Content-Type", "application/json"));
                    byStatus.merge(r.status(), 1, Integer::sum);
                    if (r.status() == 429) {
                        refused = r;
                    }
                }
            }
            // 20 failures reach the budget; then each of the 40 addresses has one try per 30 s
            assertEquals(Map.of(401, 20 + 40, 429, 20), byStatus);
            assertEquals("too_many_attempts", refused.json().getString("error"));
            assertEquals("30", refused.header("Retry-After"));
            assertTrue(lockouts(s, "verify_service") >= 20, "the brake's refusals are counted for the alert");
            // the owner of a card, on an address of their own, still gets through
            TestService.Response owner = FromAddress.post("127.0.0.100", s.port, "/api/v1/residents/verify",
                    new JsonObject().put("noticeNumber", "6300000000").put("birthDate", "1980-01-01").encode(),
                    Map.of("Content-Type", "application/json"));
            assertEquals(200, owner.status(), owner.toString());
        }
    }

    private static double lockouts(TestService s, String kind) {
        Matcher m = Pattern.compile("(?m)^madoguchi_abuse_lockouts_total\\{kind=\"" + kind + "\"[^}]*} ([0-9.Ee+-]+)$")
                .matcher(s.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
