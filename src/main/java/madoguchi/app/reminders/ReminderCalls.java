package madoguchi.app.reminders;

import madoguchi.app.sms.SmsOutbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The optional reminder call (MADOGUCHI_REMINDER_CALLS): a call the day before a booking that reads
 * it and offers 1 = keep, 2 = cancel. The job is stored per booking when the reminder is due; a
 * call is placed only while a provider is configured, only in the daytime, and an attempt that
 * does not reach the resident is tried again later, a limited number of times, then listed for the
 * operators. Numbers are never logged.
 */
public final class ReminderCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ReminderCalls.class);
    public static final int MAX_ATTEMPTS = 3;
    /** The wait after the n-th unanswered attempt is n times this (10 min, then 20 min). */
    public static final Duration RETRY_STEP = Duration.ofMinutes(10);
    /** How long a placed call may go without a report from Twilio before it counts as unanswered. */
    static final Duration LEASE = Duration.ofMinutes(15);
    /** Nobody is rung at night: calls due earlier or later wait for the morning. */
    static final LocalTime FIRST_CALL = LocalTime.of(8, 0);
    static final LocalTime LAST_CALL = LocalTime.of(21, 0);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which bookings get a call: none, those whose number cannot take a text, or all. */
    public enum Mode {
        OFF, LANDLINE, ALL;

        /** off | landline | all; null for anything else. */
        public static Mode parse(String value) {
            for (Mode m : values()) {
                if (m.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return m;
                }
            }
            return null;
        }
    }

    private final ReminderCallStore store;
    private final OutboundCalls calls;
    private final Mode mode;
    private final Clock clock;
    private final MeterRegistry registry;

    /** {@code calls} null: no provider configured, so no job is made and no call placed. */
    public ReminderCalls(ReminderCallStore store, OutboundCalls calls, Mode mode, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.calls = calls;
        this.mode = mode;
        this.clock = clock;
        this.registry = registry;
        for (String event : List.of("placed", "answered", "kept", "cancelled", "retried", "given_up")) {
            counter(event);
        }
    }

    public Mode mode() {
        return mode;
    }

    /** Whether the booking of a card with this number (E.164, null when unusable) gets a call. */
    public boolean wanted(String phone, boolean mobile) {
        if (calls == null || phone == null) {
            return false;
        }
        return mode == Mode.ALL || (mode == Mode.LANDLINE && !mobile);
    }

    /** Stores the booking's call job (once per booking, ever); placed by the next {@link #placeDue()}. */
    public Future<Void> schedule(long bookingId, String phone, Instant now) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return store.add(bookingId, phone, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), now);
    }

    /** Places the calls that are due (daytime only); completes with how many the provider accepted. */
    public Future<Integer> placeDue() {
        Instant now = clock.instant();
        LocalTime local = now.atZone(Reminders.TOKYO).toLocalTime();
        if (calls == null || local.isBefore(FIRST_CALL) || !local.isBefore(LAST_CALL)) {
            return Future.succeededFuture(0);
        }
        return store.claimDue(now, now.plus(LEASE), MAX_ATTEMPTS, 20).compose(list -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (ReminderCallStore.Claimed c : list) {
                chain = chain.compose(n -> place(c).map(ok -> ok ? n + 1 : n));
            }
            return chain;
        });
    }

    private Future<Boolean> place(ReminderCallStore.Claimed c) {
        return calls.reminderCall(c.phone(), c.bookingId(), c.token()).transform(ar -> {
            Instant now = clock.instant();
            if (ar.succeeded()) {
                counter("placed").increment();
                return store.placed(c.bookingId(), ar.result(), now).map(true).otherwise(true);
            }
            // the provider's words may quote the number or the call's URL, whose token opens the call's webhook
            String why = SmsOutbox.withoutNumbers(String.valueOf(ar.cause().getMessage()).replaceAll("t=[A-Za-z0-9_-]+", "t=…"));
            LOG.warn("reminder call for booking {} not placed (attempt {}): {}", c.bookingId(), c.attempt(), why);
            return unanswered(c.bookingId(), null, "not_placed", why, now).map(false).otherwise(false);
        });
    }

    /**
     * Twilio's status callback for the call of {@code bookingId}: an unanswered end is tried again
     * later or given up on; {@code completed} means it was answered. False for a wrong token.
     */
    public Future<Boolean> reported(long bookingId, String token, String callSid, String status) {
        return job(bookingId, token).compose(job -> {
            if (job.isEmpty() || status == null) {
                return Future.succeededFuture(false);
            }
            Instant now = clock.instant();
            switch (status) {
                case "no-answer", "busy", "failed", "canceled":
                    return unanswered(bookingId, callSid, status, null, now).map(true);
                case "completed":
                    // completed = it was answered (and has ended)
                    return store.status(bookingId, callSid, status, now).compose(v -> answered(bookingId, callSid)).map(true);
                default:
                    return Future.succeededFuture(true);
            }
        });
    }

    private Future<Void> unanswered(long bookingId, String callSid, String status, String error, Instant now) {
        return store.unanswered(bookingId, callSid, status, error, MAX_ATTEMPTS, RETRY_STEP, now).compose(state -> {
            state.ifPresent(s -> counter("failed".equals(s) ? "given_up" : "retried").increment());
            return Future.<Void>succeededFuture();
        });
    }

    /** The job, when {@code token} is the one its call was given (compared in constant time). */
    public Future<Optional<ReminderCallStore.Job>> job(long bookingId, String token) {
        if (token == null || token.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        return store.job(bookingId).map(job -> job.filter(j -> MessageDigest.isEqual(
                j.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))));
    }

    /** The resident picked up (the call's webhook was fetched). */
    public Future<Boolean> answered(long bookingId, String callSid) {
        return advance(bookingId, List.of("waiting", "calling"), "answered", callSid, "answered");
    }

    /** 1 = the resident keeps the booking. */
    public Future<Boolean> kept(long bookingId) {
        return advance(bookingId, List.of("waiting", "calling", "answered"), "kept", null, "kept");
    }

    /** 2 = the resident cancelled the booking on the call. */
    public Future<Boolean> cancelled(long bookingId) {
        return advance(bookingId, List.of("waiting", "calling", "answered", "kept"), "cancelled", null, "cancelled");
    }

    private Future<Boolean> advance(long bookingId, List<String> from, String to, String callSid, String event) {
        return store.advance(bookingId, from, to, callSid, clock.instant()).map(moved -> {
            if (moved) {
                counter(event).increment();
            }
            return moved;
        });
    }

    /** Calls given up on after every attempt, newest first, for the operators. */
    public Future<List<ReminderCallStore.Failed>> failed(int limit) {
        return store.failed(limit);
    }

    private Counter counter(String event) {
        return Counter.builder("madoguchi.reminder.calls").description("Reminder calls, by what happened to them")
                .tag("event", event).register(registry);
    }
}
