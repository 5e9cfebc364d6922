package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Booking churn is limited per card: after N changes (hold, book, move, cancel) in a day the
 * resident reads 429 too_many_changes with until when (a cancellation is still allowed), and the
 * lockout is counted in madoguchi_abuse_lockouts_total for the operators' alert.
 */
class BookingChurnLimitTest {
    private static final long NOTICE = 6_200_000_000L;

    @Test
    void aCardMayChangeItsBookingOnlySoManyTimesADay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        try (TestService s = TestService.start(TestDatabase.fresh(),
                Map.of("MADOGUCHI_BOOKING_CHANGES_PER_CARD_PER_DAY", "3", "MADOGUCHI_VERIFY_FAILURES_PER_NOTICE_PER_HOUR", "2"), clock)) {
            LocalDate day = LocalDate.of(2026, 12, 5);
            s.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "churn")
                    .put("name", new JsonObject().put("ja", "試験").put("en", "Test")).put("kind", "popup").put("address", "川崎市"));
            assertEquals(200, s.put("/api/v1/admin/sites/churn/capacity", TestService.ADMIN_TOKEN, new JsonObject()
                    .put("from", day.toString()).put("to", day.toString()).put("startTime", "10:00").put("endTime", "10:30")
                    .put("counters", 1).put("perCounter", 2)).status());
            var slots = s.get("/api/v1/sites/churn/availability?from=" + day + "&to=" + day, null).array();
            long first = slots.getJsonObject(0).getLong("slotId");
            long second = slots.getJsonObject(1).getLong("slotId");
            s.importCards("churn", NOTICE, 1);
            String token = s.verify(NOTICE);

            TestService.Response booked = s.post("/api/v1/bookings", token, new JsonObject().put("slotId", first));
            assertEquals(201, booked.status(), booked.body());
            String code = booked.json().getString("code");
            // a refusal is not a change and is not counted
            assertEquals(409, s.post("/api/v1/bookings", token, new JsonObject().put("slotId", second)).status());
            assertEquals(200, s.post("/api/v1/bookings/" + code + "/reschedule", token, new JsonObject().put("slotId", second)).status());
            assertEquals(200, s.delete("/api/v1/bookings/" + code, token).status());

            TestService.Response refused = s.post("/api/v1/bookings", token, new JsonObject().put("slotId", first));
            assertEquals(429, refused.status(), refused.body());
            assertEquals("too_many_changes", refused.json().getString("error"));
            assertEquals("2026-12-02T09:00:00+09:00", refused.json().getString("retryAt"), "a day after the first change");
            // no Accept-Language and no lang cookie: the city's language, with the date and the next step
            assertTrue(refused.json().getString("message").contains("12月2日(水) 09:00以降"), refused.body());
            assertTrue(refused.json().getString("message").contains("コールセンター"), refused.body());
            assertEquals(Long.toString(Duration.ofDays(1).toSeconds()), refused.header("Retry-After"));
            assertEquals(429, s.post("/api/v1/holds", token, new JsonObject().put("slotId", first)).status());
            assertTrue(refused.json().getString("message").contains("取り消しのみ"), refused.body());
            assertEquals(0, s.get("/api/v1/sites/churn/availability?from=" + day + "&to=" + day, null).array().stream()
                    .mapToInt(o -> 2 - ((JsonObject) o).getInteger("remaining")).sum(), "nothing was booked or held");

            // two wrong birth dates lock the notice number; the next attempt is a counted lockout
            for (int i = 0; i < 3; i++) {
                s.post("/api/v1/residents/verify", null, new JsonObject().put("noticeNumber", Long.toString(NOTICE))
                        .put("birthDate", "1990-01-0" + (i + 1)));
            }
            String metrics = s.metrics();
            assertEquals(2.0, counter(metrics, "booking_changes"), metrics);
            assertEquals(1.0, counter(metrics, "verify_notice"));

            clock.advance(Duration.ofDays(1).plusMinutes(1));
            assertEquals(201, s.post("/api/v1/bookings", s.verify(NOTICE), new JsonObject().put("slotId", first)).status(),
                    "a day later the card may book again");
        }
    }

    private static double counter(String metrics, String kind) {
        Matcher m = Pattern.compile("(?m)^madoguchi_abuse_lockouts_total\\{kind=\"" + kind + "\"[^}]*} ([0-9.Ee+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
