package madoguchi.app.fakes;

import io.vertx.core.Future;
import madoguchi.app.sms.SmsOutboxStore;
import madoguchi.app.sms.TextMessages;
import madoguchi.domain.TextKind;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SMS outbox in memory, kept as PgSmsOutboxStore keeps it (a row per message, its kind, when it
 * was put in and when it is next due), and a provider that records what it accepted and when, by
 * the test's clock; {@link #failNext} makes it refuse.
 */
public final class MemoryOutbox implements SmsOutboxStore {

    /** A kept message as the table holds it. */
    public static final class Row {
        public final long id;
        public final TextKind kind;
        public final String phone;
        public final String body;
        public final Instant queued;
        public volatile Instant next;
        public volatile Instant sent;
        public volatile int attempts;

        Row(long id, TextKind kind, String phone, String body, Instant queued, Instant next) {
            this.id = id;
            this.kind = kind;
            this.phone = phone;
            this.body = body;
            this.queued = queued;
            this.next = next;
        }
    }

    /** What the provider accepted: to whom, what, at what time of the test's clock. */
    public record Sent(String to, String body, Instant at) {
    }

    public final Map<Long, Row> rows = new ConcurrentHashMap<>();
    public final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private volatile int failures;

    public MemoryOutbox(Clock clock) {
        this.clock = clock;
    }

    /** The provider refuses the next {@code n} messages. */
    public void failNext(int n) {
        failures = n;
    }

    /** The provider, as the outbox sees it. */
    public TextMessages provider() {
        return (to, body) -> {
            if (failures > 0) {
                failures--;
                return Future.failedFuture(new IllegalStateException("HTTP 500 from provider"));
            }
            sent.add(new Sent(to, body, clock.instant()));
            return Future.succeededFuture("SM" + sent.size());
        };
    }

    /** A message another statement put in the outbox, due at once (as the city's cancellations are). */
    public long putDue(TextKind kind, String phone, String body) {
        long id = ids.incrementAndGet();
        rows.put(id, new Row(id, kind, phone, body, clock.instant(), Instant.MIN));
        return id;
    }

    @Override
    public Future<Long> add(TextKind kind, String phone, String body, Instant at, Instant firstAttempt) {
        long id = ids.incrementAndGet();
        rows.put(id, new Row(id, kind, phone, body, at, firstAttempt));
        return Future.succeededFuture(id);
    }

    @Override
    public Future<Pending> addWithReminder(String code, String phone, String plain, String withReminder, Instant at) {
        long id = ids.incrementAndGet();
        rows.put(id, new Row(id, TextKind.CONFIRMATION, phone, withReminder, at, at.plusSeconds(120)));
        return Future.succeededFuture(new Pending(id, phone, withReminder, 0, TextKind.CONFIRMATION, at));
    }

    @Override
    public Future<Void> sent(long id, String providerId, Instant at) {
        Row r = rows.get(id);
        r.sent = at;
        r.attempts++;
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> failed(long id, String error, Instant nextAttempt) {
        Row r = rows.get(id);
        r.attempts++;
        r.next = nextAttempt;
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> putOff(long id, Instant until) {
        rows.get(id).next = until;
        return Future.succeededFuture();
    }

    @Override
    public synchronized Future<List<Pending>> claimDue(Instant now, Instant leaseUntil, int limit) {
        List<Pending> due = new ArrayList<>();
        rows.values().stream().filter(r -> r.sent == null && !r.next.isAfter(now))
                .sorted(Comparator.comparing((Row r) -> r.next)).limit(limit).forEach(r -> {
                    r.next = leaseUntil;
                    due.add(new Pending(r.id, r.phone, r.body, r.attempts, r.kind, r.queued));
                });
        return Future.succeededFuture(due);
    }

    @Override
    public Future<Integer> waitingFor(Instant at) {
        return Future.succeededFuture((int) rows.values().stream().filter(r -> r.sent == null && r.next.equals(at)).count());
    }
}
