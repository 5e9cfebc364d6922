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
    void onlyABookingConfirmedFrom21ForTheNextDayCarriesItsReminder() {
        java.time.Instant tomorrow = DAY.plusDays(1).atTime(10, 0).atZone(TOKYO).toInstant();
        assertTrue(QuietHours.remindsWithConfirmation(DAY.atTime(21, 0).atZone(TOKYO).toInstant(), tomorrow));
        assertTrue(QuietHours.remindsWithConfirmation(DAY.atTime(23, 59).atZone(TOKYO).toInstant(), tomorrow));
        assertFalse(QuietHours.remindsWithConfirmation(DAY.atTime(20, 59).atZone(TOKYO).toInstant(), tomorrow), "its reminder comes at once");
        assertFalse(QuietHours.remindsWithConfirmation(DAY.atTime(22, 0).atZone(TOKYO).toInstant(),
                DAY.plusDays(2).atTime(10, 0).atZone(TOKYO).toInstant()), "reminded tomorrow evening");
        assertFalse(QuietHours.remindsWithConfirmation(DAY.atTime(3, 0).atZone(TOKYO).toInstant(), tomorrow),
                "made after midnight for the next day: reminded that evening");
        assertFalse(QuietHours.remindsWithConfirmation(DAY.atTime(22, 0).atZone(TOKYO).toInstant(), null));
    }

    @Test
    void aBookingConfirmedAtNightForTomorrowGetsNoSecondReminderAt8() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(1).atTime(22, 30).atZone(TOKYO).toInstant());
        try (FakeTwilioApi api = new FakeTwilioApi()) {
            TestService service = SmsRepliesTest.start(db, api, clock, Map.of());
            try {
                String site = site(service, new AtomicInteger(), DAY, 5);
                String first = book(service, site, DAY, card(service, site, 7_700_000_002L, "09040000002"));
                String second = book(service, site, DAY, card(service, site, 7_700_000_003L, "09040000003"));
                var reminders = service.app.services().reminders();
                var sms = service.app.services().sms();

                // the confirmation the caller asked for goes now and records the booking's reminder
                assertTrue(sms.sendConfirmation(first, "+819040000002", "confirmed", "confirmed + reminder").await(30, TimeUnit.SECONDS));
                assertEquals("confirmed + reminder", api.awaitSentTo("+819040000002").form().get("Body"));
                // the reminder job was first for the second booking: its confirmation says no reminder
                assertEquals(1, reminders.runDue().await(30, TimeUnit.SECONDS), "only the second booking is due");
                sms.sendConfirmation(second, "+819040000003", "confirmed", "confirmed + reminder").await(30, TimeUnit.SECONDS);
                assertEquals("confirmed", api.awaitSentTo("+819040000003").form().get("Body"));

                clock.set(DAY.atTime(8, 0).atZone(TOKYO).toInstant());
                assertEquals(0, reminders.runDue().await(30, TimeUnit.SECONDS));
                assertEquals(1, (int) sms.retryDue().await(30, TimeUnit.SECONDS), "the second booking's reminder, queued for 08:00");
                assertEquals(3, api.sent().size(), "one message for the first booking, two for the second: " + api.sent());
            } finally {
                service.close();
            }
        }
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
