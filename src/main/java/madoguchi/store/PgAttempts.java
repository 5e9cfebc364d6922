package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Backoffs;
import madoguchi.app.limits.FailureTally;
import madoguchi.app.verification.WebAttempts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The abuse limits in {@code attempt_counts}, one row per (kind, key) that every instance counts
 * in: each attempt is one statement, atomic in PostgreSQL, so "at most the limit per window" holds
 * across instances exactly as it does in one instance's memory (a reservation is refused by the
 * row's own condition, under its row lock). Keys are stored as an HMAC under a key derived from
 * the installation's token key: a calling number or an address is never written, and the digests
 * cannot be reversed by trying every phone number without that key.
 *
 * <p>Times come from the service's clock (not PostgreSQL's), as with every other rule here.
 */
public final class PgAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(PgAttempts.class);

    // a counted attempt; else the window as the statement's snapshot saw it (absent: a row inserted meanwhile)
    private static final String RESERVE = "WITH up AS (INSERT INTO attempt_counts AS a (kind, key, until, count) VALUES ($1, $2, $3, 1)"
            + " ON CONFLICT (kind, key) DO UPDATE SET until = CASE WHEN a.until <= $4 THEN excluded.until ELSE a.until END,"
            + " count = CASE WHEN a.until <= $4 THEN 1 ELSE a.count + 1 END"
            + " WHERE a.until <= $4 OR a.count < $5 RETURNING a.until, a.count)"
            + " SELECT true AS counted, until, count FROM up"
            + " UNION ALL SELECT false, until, count FROM attempt_counts WHERE kind = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM up)";
    private static final String COUNT = "INSERT INTO attempt_counts AS a (kind, key, until, count) VALUES ($1, $2, $3, 1)"
            + " ON CONFLICT (kind, key) DO UPDATE SET until = CASE WHEN a.until <= $4 THEN excluded.until ELSE a.until END,"
            + " count = CASE WHEN a.until <= $4 THEN 1 ELSE a.count + 1 END RETURNING until, count";
    private static final String GIVE_BACK = "UPDATE attempt_counts SET count = count - 1 WHERE kind = $1 AND key = $2 AND until = $3 AND count > 0";
    private static final String LOOK = "SELECT until, count FROM attempt_counts WHERE kind = $1 AND key = $2 AND until > $3";
    // a try of a back-off: counted when the key was forgotten, had free tries left, or waited long enough since its last
    // ($6 the seconds a key is kept after its last try, so that the last try is until - $6; $7 the longest wait)
    private static final String BACK_OFF = "WITH up AS (INSERT INTO attempt_counts AS a (kind, key, until, count) VALUES ($1, $2, $3, 1)"
            + " ON CONFLICT (kind, key) DO UPDATE SET until = excluded.until,"
            + " count = CASE WHEN a.until <= $4 THEN 1 ELSE a.count + 1 END"
            + " WHERE a.until <= $4 OR a.count < $5 OR $4 >= a.until - make_interval(secs => $6::float8)"
            + " + make_interval(secs => least(power(2, least(a.count - $5, 20)), $7::float8)) RETURNING a.until, a.count)"
            + " SELECT true AS counted, until, count FROM up"
            + " UNION ALL SELECT false, until, count FROM attempt_counts WHERE kind = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM up)";
    private static final String TALLY = "WITH up AS (INSERT INTO attempt_counts AS a (kind, key, until, count) VALUES ($1, $2, $3, $4)"
            + " ON CONFLICT (kind, key) DO UPDATE SET count = a.count + excluded.count RETURNING count)"
            + " SELECT coalesce((SELECT count FROM up), 0)"
            + " + coalesce((SELECT sum(count) FROM attempt_counts WHERE kind = $1 AND until > $5 AND key <> $2), 0) AS total";

    // a web verification in one statement: the address counted as COUNT does; within its limit, the notice number's
    // failure reserved as RESERVE does (its row locked, so that guesses at the same moment on any instance are counted
    // one after the other), counting 0 instead of 1 when the card's birth date is right (the reservation given back);
    // the card returned only then. One transaction: an error counts nothing.
    private static final String WEB_ATTEMPT = "WITH address AS (INSERT INTO attempt_counts AS a (kind, key, until, count)"
            + " VALUES ($1, $2, $3, 1) ON CONFLICT (kind, key) DO UPDATE"
            + " SET until = CASE WHEN a.until <= $4 THEN excluded.until ELSE a.until END,"
            + " count = CASE WHEN a.until <= $4 THEN 1 ELSE a.count + 1 END RETURNING a.until, a.count <= $5 AS admitted),"
            + " card AS (SELECT c.id, c.notice_number, c.birth_date, c.phone, c.site_id, c.state FROM cards c"
            + " WHERE c.notice_number = $9 AND c.birth_date = $10 AND (SELECT admitted FROM address)),"
            + " notice AS (INSERT INTO attempt_counts AS a (kind, key, until, count)"
            + " SELECT $6, $7, $8, CASE WHEN EXISTS (SELECT 1 FROM card) THEN 0 ELSE 1 END FROM address WHERE admitted"
            + " ON CONFLICT (kind, key) DO UPDATE SET until = CASE WHEN a.until <= $4 THEN excluded.until ELSE a.until END,"
            + " count = CASE WHEN a.until <= $4 THEN excluded.count ELSE a.count + excluded.count END"
            + " WHERE a.until <= $4 OR a.count < $11 RETURNING true AS counted)"
            + " SELECT address.until AS address_until, address.admitted, EXISTS (SELECT 1 FROM notice) AS counted,"
            + " (SELECT n.until FROM attempt_counts n WHERE n.kind = $6 AND n.key = $7) AS notice_until,"
            + " card.id, card.notice_number, card.birth_date, card.phone, card.site_id, card.state"
            + " FROM address LEFT JOIN card ON true";

    /** How often {@link #sync} is meant to run (Jobs): half the longest delay before a lock counted in batches holds everywhere. */
    public static final Duration SYNC = Duration.ofMillis(200);

    private final Pool pool;
    private final Clock clock;
    private final ThreadLocal<Mac> macs;
    private final List<PgBatchedLimit> batched = new CopyOnWriteArrayList<>();

    public PgAttempts(Pool pool, Clock clock, byte[] tokenKey) {
        this.pool = pool;
        this.clock = clock;
        // a key of its own, so that a digest here can never stand for a token's signature
        byte[] own = hmac(mac(tokenKey), "madoguchi attempt_counts v1");
        this.macs = ThreadLocal.withInitial(() -> mac(own));
    }

    /** A limit of {@code limit} attempts per {@code window} from a key's first, as {@code kind} (a row prefix, e.g. verify_notice). */
    public Attempts limit(String kind, int limit, Duration window) {
        return new Limit(kind, limit, window);
    }

    /**
     * A limit like {@link #limit} for the booking path: decided in this instance's memory at once
     * and written in batches every {@link #SYNC}; see {@link PgBatchedLimit} for what that costs.
     */
    public Attempts batched(String kind, int limit, Duration window) {
        PgBatchedLimit b = new PgBatchedLimit(pool, clock, kind, limit, window, this::digest);
        batched.add(b);
        return b;
    }

    /** Writes the counts of every {@link #batched} limit and reads every instance's (a test may run it now). */
    public Future<Void> sync() {
        return Future.all(batched.stream().map(PgBatchedLimit::sync).toList()).mapEmpty();
    }

    /**
     * The web verification's two limits, as {@link #limit} makes them ({@code perAddress}, then
     * {@code perNotice}, counted in the same rows), with the card lookup, in one statement.
     */
    public WebAttempts webAttempts(Attempts perAddress, Attempts perNotice) {
        Limit address = (Limit) perAddress;
        Limit notice = (Limit) perNotice;
        return (addressKey, noticeKey, noticeNumber, birth) -> {
            Instant now = clock.instant();
            Buffer noticeDigest = digest(noticeKey);
            Tuple args = Tuple.tuple(List.of(address.kind, digest(addressKey), Rows.time(now.plus(address.window)), Rows.time(now),
                    address.limit, notice.kind, noticeDigest, Rows.time(now.plus(notice.window)), noticeNumber, birth, notice.limit));
            return pool.preparedQuery(WEB_ATTEMPT).execute(args).map(rows -> {
                Row r = rows.iterator().next();
                if (!r.getBoolean("admitted")) {
                    return new WebAttempts.Met(Rows.instant(r.getOffsetDateTime("address_until")), null, null);
                }
                if (!r.getBoolean("counted")) {
                    Instant until = r.getOffsetDateTime("notice_until") == null ? null : Rows.instant(r.getOffsetDateTime("notice_until"));
                    // the snapshot missed a row inserted at the same moment, or saw its window before it was renewed
                    return new WebAttempts.Met(null, until == null || !until.isAfter(now) ? now.plus(notice.window) : until, null);
                }
                return new WebAttempts.Met(null, null, r.getValue("id") == null ? null : PgCardStore.card(r));
            });
        };
    }

    public Backoffs backoff(String kind, Backoffs.Rule rule) {
        return new BackOff(kind, rule);
    }

    public FailureTally tally(String kind) {
        return (failures, now, window) -> {
            Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
            return pool.preparedQuery(TALLY).execute(Tuple.of(kind, digest("minute:" + minute.getEpochSecond()),
                            Rows.time(minute.plus(window)), failures, Rows.time(now)))
                    .map(rows -> rows.iterator().next().getLong("total"));
        };
    }

    /** Deletes the windows that ended (their counts no longer matter to anyone). */
    public Future<Integer> purge() {
        return pool.preparedQuery("DELETE FROM attempt_counts WHERE until < $1").execute(Tuple.of(Rows.time(clock.instant())))
                .map(RowSet::rowCount);
    }

    private final class Limit implements Attempts {
        private final String kind;
        private final int limit;
        private final Duration window;

        Limit(String kind, int limit, Duration window) {
            this.kind = kind;
            this.limit = limit;
            this.window = window;
        }

        @Override
        public Future<Reservation> reserve(String key) {
            Instant now = clock.instant();
            Buffer digest = digest(key);
            return pool.preparedQuery(RESERVE).execute(Tuple.of(kind, digest, Rows.time(now.plus(window)), Rows.time(now), limit))
                    .map(rows -> {
                        Row r = rows.size() == 0 ? null : rows.iterator().next();
                        if (r != null && r.getBoolean("counted")) {
                            return new Counted(kind, digest, r.getOffsetDateTime("until"));
                        }
                        Instant until = r == null ? null : Rows.instant(r.getOffsetDateTime("until"));
                        // the snapshot missed a row inserted at the same moment, or saw its window before it was renewed
                        return new madoguchi.app.limits.AttemptLimiter.Refused(until == null || !until.isAfter(now) ? now.plus(window) : until);
                    });
        }

        @Override
        public Future<Instant> tryAcquire(String key) {
            Instant now = clock.instant();
            return pool.preparedQuery(COUNT).execute(Tuple.of(kind, digest(key), Rows.time(now.plus(window)), Rows.time(now)))
                    .map(rows -> {
                        Row r = rows.iterator().next();
                        return r.getInteger("count") <= limit ? null : Rows.instant(r.getOffsetDateTime("until"));
                    });
        }

        @Override
        public Future<Instant> lockedUntil(String key) {
            return pool.preparedQuery(LOOK).execute(Tuple.of(kind, digest(key), Rows.time(clock.instant())))
                    .map(rows -> {
                        if (rows.size() == 0) {
                            return null;
                        }
                        Row r = rows.iterator().next();
                        return r.getInteger("count") >= limit ? Rows.instant(r.getOffsetDateTime("until")) : null;
                    });
        }
    }

    /** A counted attempt: given back in the window it was counted in, not in a later one. */
    private final class Counted implements Attempts.Reservation {
        private final String kind;
        private final Buffer digest;
        private final java.time.OffsetDateTime until;
        private final AtomicBoolean givenBack = new AtomicBoolean();

        Counted(String kind, Buffer digest, java.time.OffsetDateTime until) {
            this.kind = kind;
            this.digest = digest;
            this.until = until;
        }

        @Override
        public Instant refusedUntil() {
            return null;
        }

        @Override
        public Future<Void> giveBack() {
            if (!givenBack.compareAndSet(false, true)) {
                return Future.succeededFuture();
            }
            return quietly(pool.preparedQuery(GIVE_BACK).execute(Tuple.of(kind, digest, until)), "an attempt could not be uncounted (" + kind + ")");
        }
    }

    private final class BackOff implements Backoffs {
        private final String kind;
        private final Backoffs.Rule rule;

        BackOff(String kind, Backoffs.Rule rule) {
            this.kind = kind;
            this.rule = rule;
        }

        @Override
        public Future<Instant> begin(String key) {
            Instant now = clock.instant();
            return pool.preparedQuery(BACK_OFF).execute(Tuple.of(kind, digest(key), Rows.time(now.plus(rule.forgetAfter())),
                            Rows.time(now), rule.free(), (double) rule.forgetAfter().toSeconds(), (double) rule.longest().toSeconds()))
                    .map(rows -> {
                        Row r = rows.size() == 0 ? null : rows.iterator().next();
                        if (r != null && r.getBoolean("counted")) {
                            return null;
                        }
                        if (r == null) {
                            // a first try inserted at the same moment by another: this one waits a second
                            return now.plusSeconds(1);
                        }
                        Instant last = Rows.instant(r.getOffsetDateTime("until")).minus(rule.forgetAfter());
                        Instant next = rule.nextTry(r.getInteger("count"), last);
                        return next.isAfter(now) ? next : now.plusSeconds(1);
                    });
        }

        @Override
        public Future<Void> uncount(String key) {
            return quietly(pool.preparedQuery("UPDATE attempt_counts SET count = count - 1 WHERE kind = $1 AND key = $2 AND count > 0")
                    .execute(Tuple.of(kind, digest(key))), "a try could not be uncounted (" + kind + ")");
        }

        @Override
        public Future<Void> forget(String key) {
            return quietly(pool.preparedQuery("DELETE FROM attempt_counts WHERE kind = $1 AND key = $2").execute(Tuple.of(kind, digest(key))),
                    "tries could not be forgotten (" + kind + ")");
        }
    }

    /** Not done (the database went away): what was counted stays counted, the safe side; logged, never failed. */
    private static Future<Void> quietly(Future<?> done, String failure) {
        return done.<Void>mapEmpty().recover(e -> {
            LOG.warn("{}: {}", failure, e.toString());
            return Future.succeededFuture();
        });
    }

    Buffer digest(String key) {
        return Buffer.buffer(Arrays.copyOf(macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8)), 16));
    }

    private static byte[] hmac(Mac mac, String text) {
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
