package madoguchi.app.reminders;

import madoguchi.app.sms.SmsOutbox;

import io.vertx.core.Future;
import madoguchi.domain.QuietHours;
import madoguchi.domain.SmsCommand;
import madoguchi.domain.TextKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The reminder text message sent the day before each booking, from the reminder time (Tokyo) on.
 * Each booking gets one: the job is recorded together with the outbox row, so a restart or a
 * second instance neither loses nor repeats it. Numbers that replied STOP get none; cancelled
 * bookings get none. When reminder calls are on, the booking's call job is stored here too
 * ({@link ReminderCalls}). Numbers and texts are never logged.
 */
public final class Reminders {
    private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);
    public static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter JA = DateTimeFormatter.ofPattern("M月d日(E) H:mm", Locale.JAPANESE);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEE d MMM H:mm", Locale.ENGLISH);

    private final ReminderStore store;
    private final SmsOutbox sms;
    private final Clock clock;
    private final LocalTime time;
    private final ReminderCalls calls;

    /** {@code calls}: the optional reminder call (null: none). */
    public Reminders(ReminderStore store, SmsOutbox sms, Clock clock, LocalTime time, ReminderCalls calls) {
        this.store = store;
        this.sms = sms;
        this.clock = clock;
        this.time = time;
        this.calls = calls;
    }

    public LocalTime time() {
        return time;
    }

    /**
     * Sends the reminders that are due now: from the reminder time on, those of tomorrow's bookings
     * (Tokyo) that have none yet. Completes with how many were queued (sent or waiting in the outbox).
     */
    public Future<Integer> runDue() {
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(TOKYO);
        if (local.toLocalTime().isBefore(time)) {
            return Future.succeededFuture(0);
        }
        LocalDate tomorrow = local.toLocalDate().plusDays(1);
        Instant from = tomorrow.atStartOfDay(TOKYO).toInstant();
        Instant to = tomorrow.plusDays(1).atStartOfDay(TOKYO).toInstant();
        return store.due(from, to, 500).compose(list -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (ReminderStore.Due d : list) {
                chain = chain.compose(n -> one(d, now).map(queued -> queued ? n + 1 : n));
            }
            return chain;
        });
    }

    private Future<Boolean> one(ReminderStore.Due d, Instant now) {
        String phone = SmsCommand.e164(d.phone());
        boolean mobile = SmsCommand.mobile(phone);
        if (calls != null && calls.wanted(phone, mobile)) {
            // the call's job first: should the SMS step below fail, the booking is due again next
            // minute and storing the job again changes nothing
            return calls.schedule(d.bookingId(), phone, now).compose(v -> mobile ? text(d, phone, now)
                    : store.skip(d.bookingId(), now).map(false)).recover(e -> {
                        LOG.warn("reminder call for booking {} not stored: {}", d.bookingId(), e.toString());
                        return Future.succeededFuture(false);
                    });
        }
        if (!mobile) {
            return store.skip(d.bookingId(), now).map(false);
        }
        return text(d, phone, now);
    }

    private Future<Boolean> text(ReminderStore.Due d, String phone, Instant now) {
        // queued in the evening for the morning of the booking's own day: "today", not "tomorrow"
        boolean readThatMorning = QuietHours.quiet(now) && !now.atZone(TOKYO).toLocalTime().isBefore(QuietHours.STARTS);
        String body = readThatMorning ? body(d).replace("】明日 ", "】本日 ").replace("card pickup tomorrow", "card pickup today") : body(d);
        // the outbox says when a reminder may go: at night (21:00-08:00 Tokyo, e.g. a booking made
        // late for tomorrow) it waits there for the morning; in the daytime it goes now, and the
        // outbox's own retry leaves it alone for two minutes while this first attempt runs
        Instant first = sms.goesNow(TextKind.REMINDER) ? now.plus(Duration.ofMinutes(2)) : sms.sendsAt(TextKind.REMINDER);
        return store.queue(d.bookingId(), d.code(), phone, body, now, first).compose(id -> {
            if (id.isEmpty()) {
                return Future.succeededFuture(false);
            }
            return sms.sendQueued(id.get(), TextKind.REMINDER, phone, body).map(true);
        }).recover(e -> {
            LOG.warn("reminder for booking {} not queued: {}", d.bookingId(), e.toString());
            return Future.succeededFuture(false);
        });
    }

    static String body(ReminderStore.Due d) {
        ZonedDateTime start = d.start().atZone(TOKYO);
        return "【マイナンバーカード受取】明日 " + JA.format(start) + " " + d.siteNameJa() + " のご予約です。予約番号 " + d.code()
                + "。キャンセルは「キャンセル " + d.code() + "」、通知の停止は「停止」と返信してください。\n"
                + "Reminder: card pickup tomorrow " + EN.format(start) + " at " + d.siteNameEn() + ", code " + d.code()
                + ". Reply CANCEL " + d.code() + " to cancel, STOP to stop reminders.";
    }

    public Future<Void> optOut(String phone) {
        return store.optOut(phone, clock.instant());
    }

    public Future<Void> optIn(String phone) {
        return store.optIn(phone);
    }

    public Future<Boolean> optedOut(String phone) {
        return store.optedOut(phone);
    }

    /** Twilio's status callback: delivered, undelivered and failed are kept on the message's row. */
    public Future<Boolean> delivery(String providerId, String status, String error) {
        if (providerId == null || status == null || !List.of("delivered", "undelivered", "failed").contains(status)) {
            return Future.succeededFuture(false);
        }
        return store.delivery(providerId, status, error == null ? null : SmsOutbox.withoutNumbers(error), clock.instant());
    }

    /** Messages given up on after every retry, or not delivered, newest first, for the operators. */
    public Future<List<ReminderStore.Failed>> failed(int limit) {
        return store.failed(SmsOutbox.MAX_ATTEMPTS, limit);
    }
}
