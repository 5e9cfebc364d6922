package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.limits.AttemptLimiter;
import madoguchi.app.limits.Attempts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A limit in {@code attempt_counts} for the booking path (the per-card change limit): every
 * attempt is decided and counted here, in memory, at once, and {@link #sync} (every
 * {@link PgAttempts#SYNC}) writes what was counted since, in one statement for every key, and reads
 * back every instance's totals for those keys and the keys locked anywhere. So a request pays no
 * round trip, and a lock reached on one instance holds on every other within two syncs (the
 * counting instance's, then the other's). The price: for those two syncs, other instances still
 * allow a card they have not heard of yet, so a card can pass the limit by the changes it makes
 * on other instances within about {@code 2 × SYNC} — a limit against churning seats, not one that
 * guards a secret (verification is counted exactly, {@link PgAttempts#limit}).
 */
final class PgBatchedLimit implements Attempts {
    private static final String ADD = "INSERT INTO attempt_counts AS a (kind, key, until, count, locked)"
            + " SELECT $1, t.key, t.until, t.count, t.count >= $2 FROM unnest($3::bytea[], $4::timestamptz[], $5::int[]) AS t(key, until, count)"
            + " ON CONFLICT (kind, key) DO UPDATE SET until = CASE WHEN a.until <= $6 THEN excluded.until ELSE a.until END,"
            + " count = CASE WHEN a.until <= $6 THEN excluded.count ELSE a.count + excluded.count END,"
            + " locked = CASE WHEN a.until <= $6 THEN excluded.count ELSE a.count + excluded.count END >= $2"
            + " RETURNING key, until, count";
    private static final String LOCKED = "SELECT key, until FROM attempt_counts WHERE kind = $1 AND locked AND until > $2";

    private final Pool pool;
    private final Clock clock;
    private final String kind;
    private final int limit;
    private final Duration window;
    private final Function<String, Buffer> digest;
    // what this instance knows of each key it counted; a plain map (a bounded cache cost a third of
    // the bookings a second in Run K), emptied of ended windows once a minute by sync
    private final Map<Buffer, Known> known = new ConcurrentHashMap<>();
    private Instant swept;
    private final Set<Buffer> unsent = ConcurrentHashMap.newKeySet();
    // keys locked on any instance, as last read: replaced whole by each sync
    private volatile Map<Buffer, Instant> lockedAnywhere = Map.of();
    private Future<Void> running = Future.succeededFuture();
    private Promise<Void> waiting;

    /** One key's window: the total every instance had at the last sync, and what was counted here since. */
    private static final class Known {
        Instant until;
        int everywhere;
        int sending;
        int unsent;

        Known(Instant until) {
            this.until = until;
        }

        int total() {
            return everywhere + sending + unsent;
        }
    }

    PgBatchedLimit(Pool pool, Clock clock, String kind, int limit, Duration window, Function<String, Buffer> digest) {
        this.pool = pool;
        this.clock = clock;
        this.kind = kind;
        this.limit = limit;
        this.window = window;
        this.digest = digest;
        this.swept = clock.instant();
    }

    @Override
    public Future<Instant> lockedUntil(String key) {
        Buffer d = digest.apply(key);
        Instant now = clock.instant();
        Instant until = null;
        Known k = known.get(d);
        if (k != null) {
            synchronized (k) {
                if (now.isBefore(k.until) && k.total() >= limit) {
                    until = k.until;
                }
            }
        }
        Instant elsewhere = lockedAnywhere.get(d);
        if (until == null && elsewhere != null && now.isBefore(elsewhere)) {
            until = elsewhere;
        }
        return Future.succeededFuture(until);
    }

    @Override
    public Future<Instant> tryAcquire(String key) {
        Buffer d = digest.apply(key);
        Known k = current(d);
        Instant elsewhere = lockedAnywhere.get(d);
        synchronized (k) {
            k.unsent++;
            unsent.add(d);
            if (elsewhere != null && clock.instant().isBefore(elsewhere)) {
                return Future.succeededFuture(elsewhere);
            }
            return Future.succeededFuture(k.total() <= limit ? null : k.until);
        }
    }

    @Override
    public Future<Reservation> reserve(String key) {
        Instant locked = lockedUntil(key).result();
        if (locked != null) {
            return Future.succeededFuture(new AttemptLimiter.Refused(locked));
        }
        Buffer d = digest.apply(key);
        Known k = current(d);
        synchronized (k) {
            if (k.total() >= limit) {
                return Future.succeededFuture(new AttemptLimiter.Refused(k.until));
            }
            k.unsent++;
            unsent.add(d);
        }
        AtomicBoolean givenBack = new AtomicBoolean();
        return Future.succeededFuture(new Reservation() {
            @Override
            public Instant refusedUntil() {
                return null;
            }

            @Override
            public Future<Void> giveBack() {
                if (givenBack.compareAndSet(false, true)) {
                    synchronized (k) {
                        // sent already or not, a minus one in the next batch takes it back
                        k.unsent--;
                        unsent.add(d);
                    }
                }
                return Future.succeededFuture();
            }
        });
    }

    private Known current(Buffer d) {
        Instant now = clock.instant();
        return known.compute(d, (x, old) -> {
            if (old == null) {
                return new Known(now.plus(window));
            }
            synchronized (old) {
                if (!now.isBefore(old.until) && old.sending == 0 && old.unsent == 0) {
                    return new Known(now.plus(window));
                }
            }
            return old;
        });
    }

    /**
     * Writes what was counted here before this call and reads every instance's totals and locks
     * after it: one sync at a time, the next waiting for the one running (a call while one waits
     * is covered by it), so that a caller that waits for it (a test) knows what it saw.
     */
    synchronized Future<Void> sync() {
        if (waiting != null) {
            return waiting.future();
        }
        Promise<Void> next = Promise.promise();
        waiting = next;
        Future<Void> before = running;
        running = next.future();
        before.onComplete(x -> {
            synchronized (this) {
                waiting = null;
            }
            syncNow().onComplete(next);
        });
        return next.future();
    }

    private Future<Void> syncNow() {
        Instant now = clock.instant();
        if (!now.isBefore(swept.plusSeconds(60))) {
            swept = now;
            known.values().removeIf(k -> {
                synchronized (k) {
                    return !now.isBefore(k.until) && k.sending == 0 && k.unsent == 0;
                }
            });
        }
        Map<Buffer, Integer> batch = new HashMap<>();
        List<Buffer> keys = new ArrayList<>();
        List<OffsetDateTime> untils = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Buffer d : unsent) {
            unsent.remove(d);
            Known k = known.get(d);
            if (k == null) {
                continue;
            }
            synchronized (k) {
                if (k.unsent == 0) {
                    continue;
                }
                batch.put(d, k.unsent);
                keys.add(d);
                untils.add(Rows.time(k.until));
                counts.add(k.unsent);
                k.sending += k.unsent;
                k.unsent = 0;
            }
        }
        Future<Void> added = batch.isEmpty() ? Future.succeededFuture()
                : pool.preparedQuery(ADD).execute(Tuple.of(kind, limit, keys.toArray(new Buffer[0]),
                        untils.toArray(new OffsetDateTime[0]), counts.toArray(new Integer[0]), Rows.time(now)))
                .andThen(done -> settle(batch, done.succeeded() ? done.result() : null))
                .mapEmpty();
        return added.compose(v -> pool.preparedQuery(LOCKED).execute(Tuple.of(kind, Rows.time(now))))
                .<Void>map(rows -> {
                    Map<Buffer, Instant> locked = new HashMap<>();
                    for (Row r : rows) {
                        locked.put(r.getBuffer("key"), Rows.instant(r.getOffsetDateTime("until")));
                    }
                    lockedAnywhere = locked;
                    return null;
                });
    }

    /** The batch was written (rows: every instance's totals now), or not (null: sent again at the next sync). */
    private void settle(Map<Buffer, Integer> batch, Iterable<Row> rows) {
        Map<Buffer, Row> totals = new HashMap<>();
        if (rows != null) {
            for (Row r : rows) {
                totals.put(r.getBuffer("key"), r);
            }
        }
        batch.forEach((d, sent) -> {
            Known k = known.get(d);
            if (k == null) {
                return;
            }
            synchronized (k) {
                k.sending -= sent;
                Row r = totals.get(d);
                if (r != null) {
                    // the total includes what was sent; its window is the one every instance counts in
                    k.everywhere = r.getInteger("count") - k.sending;
                    k.until = Rows.instant(r.getOffsetDateTime("until"));
                } else if (rows == null) {
                    k.unsent += sent;
                    unsent.add(d);
                }
            }
        });
    }
}
