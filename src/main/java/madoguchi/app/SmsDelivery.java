package madoguchi.app;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends what waits in the outbox through {@link TextMessages}. A failed send (no provider, the
 * provider refused or was unreachable) stays in the outbox and is tried again later, backing off
 * from one minute to an hour; nothing is dropped. Runs after each change that enqueued messages
 * and periodically.
 */
public final class SmsDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(SmsDelivery.class);
    private static final int BATCH = 50;

    private final SmsOutbox outbox;
    private final TextMessages messages;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    public SmsDelivery(SmsOutbox outbox, TextMessages messages, Clock clock) {
        this.outbox = outbox;
        this.messages = messages;
        this.clock = clock;
    }

    /** Tries every message that is due; returns how many the provider accepted. Never fails. */
    public Future<Integer> deliverDue() {
        if (!running.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        Instant now = clock.instant();
        return outbox.claimDue(now, now.plus(Duration.ofMinutes(5)), BATCH).compose(due -> {
            List<Future<Boolean>> each = new ArrayList<>();
            for (SmsOutbox.Pending p : due) {
                each.add(send(p));
            }
            return Future.join(each).transform(ar -> {
                int ok = 0;
                for (Future<Boolean> f : each) {
                    if (f.succeeded() && f.result()) {
                        ok++;
                    }
                }
                return Future.succeededFuture(ok);
            });
        }).recover(e -> {
            LOG.warn("could not read the SMS outbox: {}", e.toString());
            return Future.succeededFuture(0);
        }).onComplete(ar -> running.set(false));
    }

    private Future<Boolean> send(SmsOutbox.Pending p) {
        Future<String> sent;
        try {
            sent = messages.send(p.phone(), p.body());
        } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
        }
        return sent.compose(id -> outbox.sent(p.id(), id, clock.instant()).map(true),
                e -> {
                    long minutes = Math.min(60, 1L << Math.min(6, p.attempts()));
                    // the provider's message may quote the number: only its kind is logged
                    LOG.warn("SMS {} not sent (attempt {}), kept for a retry in {} min: {}", p.id(), p.attempts() + 1, minutes,
                            e.getClass().getSimpleName());
                    return outbox.failed(p.id(), String.valueOf(e.getMessage()), clock.instant().plus(Duration.ofMinutes(minutes)))
                            .map(false);
                });
    }

    public Future<Long> waiting() {
        return outbox.waiting();
    }
}
