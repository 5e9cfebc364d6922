package madoguchi.telephony;

import madoguchi.support.FakeTwilioApi;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static madoguchi.telephony.SmsRepliesTest.TOKYO;
import static madoguchi.telephony.SmsRepliesTest.book;
import static madoguchi.telephony.SmsRepliesTest.card;
import static madoguchi.telephony.SmsRepliesTest.message;
import static madoguchi.telephony.SmsRepliesTest.site;
import static madoguchi.telephony.SmsRepliesTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The day-before reminder SMS against the running service, a fake Twilio REST API and a clock the
 * test moves: sent once each at the configured time, not again after a restart on the same
 * database, none to a number that replied STOP, none for a cancelled booking or another day.
 */
class ReminderTest {
    /** A Thursday. */
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    private static List<FakeTwilioApi.Sent> to(FakeTwilioApi api, String phone) {
        return api.sent().stream().filter(s -> phone.equals(s.form().get("To"))).toList();
    }

    @Test
    void remindersAreSentOnceAtTheConfiguredTimeAcrossARestart() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        AtomicInteger sites = new AtomicInteger();
        Map<String, String> env = Map.of("MADOGUCHI_REMINDER_TIME", "09:30");
        try (FakeTwilioApi api = new FakeTwilioApi()) {
            String kept;
            String code;
            TestService first = SmsRepliesTest.start(db, api, clock, env);
            try {
                String site = site(first, sites, DAY, 5);
                String later = site(first, sites, DAY.plusDays(1), 5);
                code = book(first, site, DAY, card(first, site, 7_500_000_001L, "09020000001"));
                kept = "+819020000001";
                // a number that replied STOP, a booking cancelled, a booking the day after
                book(first, site, DAY, card(first, site, 7_500_000_002L, "09020000002"));
                assertTrue(message(text(first, "+819020000002", "停止", SmsRepliesTest.AUTH_TOKEN)).contains("停止しました"));
                String cancelled = book(first, site, DAY, card(first, site, 7_500_000_003L, "+819020000003"));
                assertEquals(200, first.delete("/api/v1/operator/bookings/" + cancelled, TestService.ADMIN_TOKEN).status());
                book(first, later, DAY.plusDays(1), card(first, later, 7_500_000_004L, "09020000004"));
                // a landline cannot take a text: it gets none, and is not tried again every minute
                book(first, site, DAY, card(first, site, 7_500_000_005L, "0441234567"));

                var reminders = first.app.services().reminders();
                clock.set(DAY.minusDays(1).atTime(9, 29).atZone(TOKYO).toInstant());
                assertEquals(0, reminders.runDue().await(30, TimeUnit.SECONDS), "not before the reminder time");
                assertEquals(0, api.sent().size());

                clock.set(DAY.minusDays(1).atTime(9, 30).atZone(TOKYO).toInstant());
                reminders.runDue().await(30, TimeUnit.SECONDS);
                FakeTwilioApi.Sent sent = api.awaitSentTo(kept);
                String body = sent.form().get("Body");
                assertTrue(body.contains("明日 12月3日(木) 10:00") && body.contains(code), body);
                assertTrue(body.contains("キャンセル " + code) && body.contains("Reply CANCEL " + code), body);
                assertEquals(first.base() + "/twilio/sms/status", sent.form().get("StatusCallback"));

                clock.advance(Duration.ofMinutes(1));
                assertEquals(0, reminders.runDue().await(30, TimeUnit.SECONDS), "each booking gets one reminder");
            } finally {
                first.close();
            }

            // a restart on the same database, later the same evening
            clock.advance(Duration.ofHours(3));
            TestService second = SmsRepliesTest.start(db, api, clock, env);
            try {
                assertEquals(0, second.app.services().reminders().runDue().await(30, TimeUnit.SECONDS));
                clock.advance(Duration.ofHours(2));
                assertEquals(0, second.app.services().reminders().runDue().await(30, TimeUnit.SECONDS));
                second.app.services().sms().retryDue().await(30, TimeUnit.SECONDS);
            } finally {
                second.close();
            }
            assertEquals(1, to(api, kept).size(), "one reminder, not repeated after the restart");
            assertEquals(1, api.sent().size(), "no reminder to the opted-out number, the cancelled booking, the landline or the next day: "
                    + api.sent().stream().map(s -> s.form().get("To")).toList());
            try (Connection c = TestDatabase.connect(db); ResultSet r = c.createStatement().executeQuery(
                    "SELECT state, count(*) FROM reminders GROUP BY state ORDER BY state")) {
                assertTrue(r.next());
                assertEquals("queued", r.getString(1));
                assertEquals(1, r.getInt(2));
                assertTrue(r.next());
                assertEquals("skipped", r.getString(1));
                assertEquals(1, r.getInt(2));
            }
        }
    }

    @Test
    void aQueuedReminderWhoseFirstSendFailedIsSentByTheOutboxAfterARestart() throws Exception {
        var db = TestDatabase.fresh();
        MutableClock clock = new MutableClock(DAY.minusDays(3).atTime(9, 0).atZone(TOKYO).toInstant());
        AtomicInteger sites = new AtomicInteger();
        try (FakeTwilioApi api = new FakeTwilioApi()) {
            TestService first = SmsRepliesTest.start(db, api, clock, Map.of());
            try {
                String site = site(first, sites, DAY, 5);
                book(first, site, DAY, card(first, site, 7_600_000_001L, "08030000001"));
                api.failNext(1);
                clock.set(DAY.minusDays(1).atTime(18, 0).atZone(TOKYO).toInstant());
                assertEquals(1, first.app.services().reminders().runDue().await(30, TimeUnit.SECONDS), "the default time is 18:00");
                assertEquals(0, api.sent().size(), "the provider failed");
            } finally {
                first.close();
            }
            clock.advance(Duration.ofMinutes(5));
            TestService second = SmsRepliesTest.start(db, api, clock, Map.of());
            try {
                assertEquals(0, second.app.services().reminders().runDue().await(30, TimeUnit.SECONDS), "not queued twice");
                assertEquals(1, second.app.services().sms().retryDue().await(30, TimeUnit.SECONDS));
            } finally {
                second.close();
            }
            assertEquals(1, to(api, "+818030000001").size());
            assertEquals(1, api.sent().size());
        }
    }
}
