package madoguchi.app.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import madoguchi.domain.QuietHours;
import madoguchi.domain.TextKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends text messages so that none is lost: the message is kept in the outbox first, sent, and
 * marked sent once the provider accepted it; a failed send is retried later with a growing delay.
 * Sending never fails the caller's request. Numbers and texts are never logged.
 *
 * <p>The outbox is the one place that decides when a message may go, by its kind
 * ({@link QuietHours#sendAt}): between 21:00 and 08:00 Tokyo only what the resident just asked for
 * goes; anything else is kept and goes at 08:00, when the periodic retry finds it due. The same rule
 * holds for retries and for messages other parts put in the outbox in their own statements.
 */
public final class SmsOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(SmsOutbox.class);
    public static final int MAX_ATTEMPTS = 10;

    private final SmsOutboxStore store;
    private final TextMessages messages;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;
    private final Map<TextKind, Counter> held = new EnumMap<>(TextKind.class);
    private final AtomicInteger waiting = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    public SmsOutbox(SmsOutboxStore store, TextMessages messages, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.messages = messages;
        this.clock = clock;
        this.sent = Counter.builder("madoguchi.sms.sent").description("Text messages the provider accepted").register(registry);
        this.failed = Counter.builder("madoguchi.sms.failed").description("Text message sends that failed (retried later)").register(registry);
        for (TextKind kind : TextKind.values()) {
            held.put(kind, Counter.builder("madoguchi.sms.held").tag("kind", kind.id())
                    .description("Text messages kept at night for 08:00 Tokyo, by kind").register(registry));
        }
        Gauge.builder("madoguchi.sms.waiting.for.morning", waiting, AtomicInteger::get)
                .description("Text messages in the outbox waiting for 08:00 Tokyo (0 in the daytime)").register(registry);
    }

    /**
     * When a message of {@code kind} put in the outbox now may go: now, or 08:00 when it is night
     * and the resident did not just ask for it: the first attempt of a message kept in the outbox by
     * another statement (the reminders). The city's cancellations are kept due at once instead, and
     * put off by {@link #retryDue}.
     */
    public Instant sendsAt(TextKind kind) {
        Instant now = clock.instant();
        return QuietHours.sendAt(kind, now, now);
    }

    /** Whether a message of {@code kind} put in the outbox now would go now (not at night unasked). */
    public boolean goesNow(TextKind kind) {
        Instant now = clock.instant();
        return !QuietHours.sendAt(kind, now, now).isAfter(now);
    }

    /**
     * Keeps the message and tries to send it now, or leaves it for the morning when it may not go
     * at night; completes when the first attempt is over with whether it was sent (never fails).
     */
    public Future<Boolean> send(TextKind kind, String phone, String body) {
        return sendAndTell(kind, phone, body).map(id -> id.sent);
    }

    /**
     * A booking's confirmation that also is its reminder ({@code withReminder}; see
     * QuietHours.remindsWithConfirmation): the reminder job then skips the booking, so the resident
     * gets one message at night and none at 08:00. Sent at once like {@link #send}, never fails.
     */
    public Future<Boolean> sendConfirmation(String code, String phone, String plain, String withReminder) {
        if (withReminder == null) {
            return send(TextKind.CONFIRMATION, phone, plain);
        }
        return store.addWithReminder(code, phone, plain, withReminder, clock.instant())
                .compose(this::attempt, e -> {
                    LOG.warn("SMS outbox unreachable ({}); sending once without it", e.getClass().getSimpleName());
                    return attempt(unkept(TextKind.CONFIRMATION, phone, plain));
                });
    }

    /** A message kept: its outbox row (-1 when the outbox could not keep it) and whether it was sent at once. */
    public record Kept(long id, boolean sent) {
    }

    /**
     * Like {@link #send}, but completes with the message's outbox row too, for callers that record
     * which message they sent.
     */
    public Future<Kept> sendAndTell(TextKind kind, String phone, String body) {
        Instant now = clock.instant();
        Instant first = QuietHours.sendAt(kind, now, now);
        boolean later = first.isAfter(now);
        // a message sent at once is leased for two minutes, so the periodic retry leaves it to this attempt
        return store.add(kind, phone, body, now, later ? first : now.plus(Duration.ofMinutes(2)))
                .compose(id -> {
                    if (later) {
                        held(kind);
                        return Future.succeededFuture(new Kept(id, false));
                    }
                    return attempt(new SmsOutboxStore.Pending(id, phone, body, 0, kind, now)).map(ok -> new Kept(id, ok));
                }, e -> {
                    // the outbox is unreachable: one attempt without it beats none, but never at night unasked
                    LOG.warn("SMS outbox unreachable ({}); {}", e.getClass().getSimpleName(), later ? "not sent" : "sending once without it");
                    return later ? Future.succeededFuture(new Kept(-1, false))
                            : attempt(unkept(kind, phone, body)).map(ok -> new Kept(-1, ok));
                });
    }

    /**
     * Sends a message a caller already put in the outbox (row {@code id}, first tried at
     * {@link #sendsAt}) when it may go now; completes when the attempt is over.
     */
    public Future<Boolean> sendQueued(long id, TextKind kind, String phone, String body) {
        Instant now = clock.instant();
        if (QuietHours.sendAt(kind, now, now).isAfter(now)) {
            held(kind);
            return Future.succeededFuture(false);
        }
        return attempt(new SmsOutboxStore.Pending(id, phone, body, 0, kind, now));
    }

    /**
     * Tries the messages that are due; one that may not go at night is put off to 08:00 instead.
     * Completes with how many were sent.
     */
    public Future<Integer> retryDue() {
        Instant now = clock.instant();
        return store.claimDue(now, now.plus(Duration.ofMinutes(2)), 50).compose(list -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (SmsOutboxStore.Pending p : list) {
                Instant may = QuietHours.sendAt(p.kind(), p.queued(), now);
                if (may.isAfter(now)) {
                    held(p.kind());
                    chain = chain.compose(n -> store.putOff(p.id(), may).map(n));
                } else {
                    chain = chain.compose(n -> attempt(p).map(ok -> ok ? n + 1 : n));
                }
            }
            return chain;
        }).compose(n -> countWaiting(now).map(n));
    }

    /** The messages waiting for 08:00, for the gauge; none in the daytime. */
    private Future<Void> countWaiting(Instant now) {
        if (!QuietHours.quiet(now)) {
            waiting.set(0);
            return Future.succeededFuture();
        }
        return store.waitingFor(QuietHours.morning(now)).map(n -> {
            waiting.set(n);
            return (Void) null;
        }).otherwiseEmpty();
    }

    private void held(TextKind kind) {
        held.get(kind).increment();
    }

    private static SmsOutboxStore.Pending unkept(TextKind kind, String phone, String body) {
        return new SmsOutboxStore.Pending(-1, phone, body, 0, kind, Instant.EPOCH);
    }

    /** Providers name the number in some errors ("The 'To' number +81... is not valid"): keep it out. */
    public static String withoutNumbers(String message) {
        return String.valueOf(message).replaceAll("\\+?[0-9][0-9 ()-]{5,}[0-9]", "[number]");
    }

    /** Sends under way now (with their bookkeeping): a draining instance waits for them to end. */
    public int inFlight() {
        return inFlight.get();
    }

    private Future<Boolean> attempt(SmsOutboxStore.Pending p) {
        inFlight.incrementAndGet();
        return attemptCounted(p).onComplete(ar -> inFlight.decrementAndGet());
    }

    private Future<Boolean> attemptCounted(SmsOutboxStore.Pending p) {
        return messages.send(p.phone(), p.body()).transform(ar -> {
            Instant now = clock.instant();
            if (ar.succeeded()) {
                sent.increment();
                return p.id() < 0 ? Future.succeededFuture(true)
                        : store.sent(p.id(), ar.result(), now).map(true).otherwise(true);
            }
            failed.increment();
            int attempts = p.attempts() + 1;
            // the reason only: never the number or the text
            String why = withoutNumbers(ar.cause().getMessage());
            LOG.warn("SMS {} not sent (attempt {}): {}", p.id(), attempts, why);
            if (p.id() < 0) {
                return Future.succeededFuture(false);
            }
            // the next try follows the night's rule too: a confirmation still failing long after it
            // was asked for waits for the morning
            Instant next = attempts >= MAX_ATTEMPTS ? now.plus(Duration.ofDays(3650))
                    : QuietHours.sendAt(p.kind(), p.queued(), now.plus(Duration.ofSeconds(30L << Math.min(attempts - 1, 8))));
            return store.failed(p.id(), why, next).map(false).otherwise(false);
        });
    }
}
