package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A birth date cannot be found by trying: attempts are limited per address and per notice number. */
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
}
