package madoguchi.telephony;

import madoguchi.domain.QuietHours;
import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static madoguchi.telephony.SmsRepliesTest.book;
import static madoguchi.telephony.SmsRepliesTest.card;
import static madoguchi.telephony.SmsRepliesTest.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No reminder SMS between 21:00 and 08:00 Tokyo: one due at night waits in the outbox for the morning. */
class QuietHoursTest {
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @Test
    void theNightIsFrom21To8Tokyo() {
        assertFalse(QuietHours.quiet(DAY.atTime(20, 59).atZone(TOKYO).toInstant()));
        assertTrue(QuietHours.quiet(DAY.atTime(21, 0).atZone(TOKYO).toInstant()));
        assertTrue(QuietHours.quiet(DAY.atTime(7, 59).atZone(TOKYO).toInstant()));
        assertFalse(QuietHours.quiet(DAY.atTime(8, 0).atZone(TOKYO).toInstant()));
        assertEquals(DAY.plusDays(1).atTime(8, 0).atZone(TOKYO).toInstant(), QuietHours.morning(DAY.atTime(22, 0).atZone(TOKYO).toInstant()));
        assertEquals(DAY.atTime(8, 0).atZone(TOKYO).toInstant(), QuietHours.morning(DAY.atTime(3, 0).atZone(TOKYO).toInstant()));
    }

    @Test
    void aReminderForABookingMadeLateForTomorrowWaitsForTheMorning() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(1).atTime(22, 30).atZone(TOKYO).toInstant());
        try (FakeTwilioApi api = new FakeTwilioApi()) {
            TestService service = SmsRepliesTest.start(db, api, clock, Map.of());
            try {
                String site = site(service, new AtomicInteger(), DAY, 5);
                book(service, site, DAY, card(service, site, 7_700_000_001L, "09040000001"));
                var reminders = service.app.services().reminders();
                var sms = service.app.services().sms();
                assertEquals(1, reminders.runDue().await(30, TimeUnit.SECONDS), "queued at 22:30");
                sms.retryDue().await(30, TimeUnit.SECONDS);
                assertEquals(0, api.sent().size(), "nothing sent at night");

                clock.set(DAY.atTime(7, 59).atZone(TOKYO).toInstant());
                assertEquals(0, reminders.runDue().await(30, TimeUnit.SECONDS), "not queued twice");
                sms.retryDue().await(30, TimeUnit.SECONDS);
                assertEquals(0, api.sent().size(), "still night at 07:59");

                clock.set(DAY.atTime(8, 0).atZone(TOKYO).toInstant());
                assertEquals(1, (int) sms.retryDue().await(30, TimeUnit.SECONDS));
                FakeTwilioApi.Sent sent = api.awaitSentTo("+819040000001");
                assertTrue(sent.form().get("Body").contains("【マイナンバーカード受取】本日 12月3日(木) 10:00"), "read that morning: " + sent.form());
                assertTrue(sent.form().get("Body").contains("card pickup today"), sent.form().toString());
            } finally {
                service.close();
            }
        }
    }
}
