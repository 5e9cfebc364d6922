package madoguchi.app.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends text messages so that none is lost: the message is kept in the outbox first, sent, and
 * marked sent once the provider accepted it; a failed send is retried later with a growing delay.
 * Sending never fails the caller's request. Numbers and texts are never logged.
 */
public final class SmsOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(SmsOutbox.class);
    public static final int MAX_ATTEMPTS = 10;

    private final SmsOutboxStore store;
    private final TextMessages messages;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;

    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public SmsOutbox(SmsOutboxStore store, TextMessages messages, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.messages = messages;
        this.clock = clock;
        this.sent = Counter.builder("madoguchi.sms.sent").description("Text messages the provider accepted").register(registry);
        this.failed = Counter.builder("madoguchi.sms.failed").description("Text message sends that failed (retried later)").register(registry);
    }

    /** Keeps the message and tries to send it now; completes when the first attempt is over (never fails). */
    public Future<Boolean> send(String phone, String body) {
        Instant now = clock.instant();
        return store.add(phone, body, now)
                .compose(id -> attempt(new SmsOutboxStore.Pending(id, phone, body, 0)),
                        e -> {
                            // the outbox is unreachable: one attempt without it beats none
                            LOG.warn("SMS outbox unreachable ({}); sending once without it", e.getClass().getSimpleName());
                            return attempt(new SmsOutboxStore.Pending(-1, phone, body, 0));
                        });
    }

    /**
     * A booking's confirmation that also is its reminder ({@code withReminder}; see
     * QuietHours.remindsWithConfirmation): the reminder job then skips the booking, so the resident
     * gets one message at night and none at 08:00. Sent at once like {@link #send}, never fails.
     */
    public Future<Boolean> sendConfirmation(String code, String phone, String plain, String withReminder) {
        if (withReminder == null) {
            return send(phone, plain);
        }
        return store.addWithReminder(code, phone, plain, withReminder, clock.instant())
                .compose(this::attempt, e -> {
                    LOG.warn("SMS outbox unreachable ({}); sending once without it", e.getClass().getSimpleName());
                    return attempt(new SmsOutboxStore.Pending(-1, phone, plain, 0));
                });
    }

    /**
     * Like {@link #send}, but completes with the message's outbox row (-1 when the outbox could
     * not keep it), for callers that record which message they sent.
     */
    public Future<Long> sendAndTell(String phone, String body) {
        return store.add(phone, body, clock.instant())
                .compose(id -> attempt(new SmsOutboxStore.Pending(id, phone, body, 0)).map(id),
                        e -> attempt(new SmsOutboxStore.Pending(-1, phone, body, 0)).map(-1L));
    }

    /** Sends a message a caller already put in the outbox (row {@code id}); completes when the attempt is over. */
    public Future<Boolean> sendQueued(long id, String phone, String body) {
        return attempt(new SmsOutboxStore.Pending(id, phone, body, 0));
    }

    /** Retries the messages that are due; completes with how many were sent. */
    public Future<Integer> retryDue() {
        Instant now = clock.instant();
        return store.claimDue(now, now.plus(Duration.ofMinutes(2)), 50).compose(list -> {
            Future<Integer> chain = Future.succeededFuture(0);
            for (SmsOutboxStore.Pending p : list) {
                chain = chain.compose(n -> attempt(p).map(ok -> ok ? n + 1 : n));
            }
            return chain;
        });
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
            Instant next = attempts >= MAX_ATTEMPTS ? now.plus(Duration.ofDays(3650))
                    : now.plus(Duration.ofSeconds(30L << Math.min(attempts - 1, 8)));
            return store.failed(p.id(), why, next).map(false).otherwise(false);
        });
    }
}
