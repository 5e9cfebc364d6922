package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.reminders.ReminderCallStore;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The reminder_calls table (V75): every state change is one conditional statement, safe across instances. */
public final class PgReminderCalls implements ReminderCallStore {
    private final Pool pool;

    public PgReminderCalls(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> add(long bookingId, String phone, String token, Instant now) {
        return pool.preparedQuery("INSERT INTO reminder_calls (booking_id, phone, token, state, next_attempt_at, created_at, updated_at)"
                        + " VALUES ($1, $2, $3, 'waiting', $4, $4, $4) ON CONFLICT (booking_id) DO NOTHING")
                .execute(Tuple.of(bookingId, phone, token, utc(now))).mapEmpty();
    }

    @Override
    public Future<List<Claimed>> claimDue(Instant now, Instant leaseUntil, int maxAttempts, int limit) {
        // no call for a booking that ended or whose slot has started meanwhile
        String drop = "UPDATE reminder_calls rc SET state = 'dropped', next_attempt_at = NULL, updated_at = $1"
                + " FROM bookings b JOIN slots sl ON sl.id = b.slot_id"
                + " WHERE b.id = rc.booking_id AND rc.state IN ('waiting', 'calling') AND rc.next_attempt_at <= $1"
                + " AND (b.status <> 'active' OR sl.start_at <= $1)";
        // a call placed whose report never came (an instance died before placing it, or the report was lost)
        String giveUp = "UPDATE reminder_calls SET state = 'failed', next_attempt_at = NULL,"
                + " last_status = COALESCE(last_status, 'no_report'), updated_at = $1"
                + " WHERE state = 'calling' AND next_attempt_at <= $1 AND attempts >= $2";
        // SKIP LOCKED: two instances never claim the same job
        String claim = "WITH due AS (SELECT booking_id FROM reminder_calls"
                + "   WHERE state IN ('waiting', 'calling') AND next_attempt_at <= $1 AND attempts < $3"
                + "   ORDER BY next_attempt_at, booking_id LIMIT $4 FOR UPDATE SKIP LOCKED)"
                + " UPDATE reminder_calls rc SET state = 'calling', attempts = rc.attempts + 1, next_attempt_at = $2,"
                + "   call_sid = NULL, updated_at = $1"
                + " FROM due WHERE rc.booking_id = due.booking_id"
                + " RETURNING rc.booking_id, rc.phone, rc.token, rc.attempts";
        return pool.withTransaction(c -> c.preparedQuery(drop).execute(Tuple.of(utc(now)))
                .compose(x -> c.preparedQuery(giveUp).execute(Tuple.of(utc(now), maxAttempts)))
                .compose(x -> c.preparedQuery(claim).execute(Tuple.of(utc(now), utc(leaseUntil), maxAttempts, limit))))
                .map(rows -> PgSeatSource.list(rows, r -> new Claimed(r.getLong(0), r.getString(1), r.getString(2), r.getInteger(3))));
    }

    @Override
    public Future<Void> placed(long bookingId, String callSid, Instant now) {
        return pool.preparedQuery("UPDATE reminder_calls SET call_sid = $2, updated_at = $3"
                        + " WHERE booking_id = $1 AND state = 'calling' AND call_sid IS NULL")
                .execute(Tuple.of(bookingId, callSid, utc(now))).mapEmpty();
    }

    @Override
    public Future<Optional<String>> unanswered(long bookingId, String callSid, String status, String error, int maxAttempts,
                                               Duration retryStep, Instant now) {
        return pool.preparedQuery("UPDATE reminder_calls SET"
                        + " state = CASE WHEN attempts >= $5 THEN 'failed' ELSE 'waiting' END,"
                        + " next_attempt_at = CASE WHEN attempts >= $5 THEN NULL"
                        + "   ELSE $6::timestamptz + make_interval(secs => attempts * $7::float8) END,"
                        + " last_status = $3, last_error = $4, updated_at = $6"
                        + " WHERE booking_id = $1 AND state = 'calling' AND ($2::text IS NULL OR call_sid IS NULL OR call_sid = $2)"
                        + " RETURNING state")
                .execute(Tuple.of(bookingId, callSid, status, error, maxAttempts, utc(now), (double) retryStep.toSeconds()))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    @Override
    public Future<Void> status(long bookingId, String callSid, String status, Instant now) {
        return pool.preparedQuery("UPDATE reminder_calls SET last_status = $3, updated_at = $4"
                        + " WHERE booking_id = $1 AND ($2::text IS NULL OR call_sid IS NULL OR call_sid = $2)")
                .execute(Tuple.of(bookingId, callSid, status, utc(now))).mapEmpty();
    }

    @Override
    public Future<Boolean> advance(long bookingId, List<String> from, String to, String callSid, Instant now) {
        return pool.preparedQuery("UPDATE reminder_calls SET state = $3, call_sid = COALESCE(call_sid, $4),"
                        + " next_attempt_at = NULL, updated_at = $5 WHERE booking_id = $1 AND state = ANY($2::text[])")
                .execute(Tuple.of(bookingId, from.toArray(new String[0]), to, callSid, utc(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Future<Optional<Job>> job(long bookingId) {
        return pool.preparedQuery("SELECT rc.token, rc.state, b.code, b.status, b.card_id, b.site_id, s.name_ja, s.name_en, sl.start_at"
                        + " FROM reminder_calls rc JOIN bookings b ON b.id = rc.booking_id JOIN slots sl ON sl.id = b.slot_id"
                        + " JOIN sites s ON s.id = b.site_id WHERE rc.booking_id = $1")
                .execute(Tuple.of(bookingId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Job>empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Job(bookingId, r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                            r.getLong(4), r.getString(5), r.getString(6), r.getString(7), r.getOffsetDateTime(8).toInstant()));
                });
    }

    @Override
    public Future<List<Failed>> failed(int limit) {
        return pool.preparedQuery("SELECT rc.booking_id, b.code, b.status, b.site_id, sl.start_at, rc.phone, rc.attempts,"
                        + " rc.last_status, rc.last_error, rc.updated_at"
                        + " FROM reminder_calls rc JOIN bookings b ON b.id = rc.booking_id JOIN slots sl ON sl.id = b.slot_id"
                        + " WHERE rc.state = 'failed' ORDER BY rc.updated_at DESC, rc.booking_id DESC LIMIT $1")
                .execute(Tuple.of(limit))
                .map(rows -> PgSeatSource.list(rows, r -> new Failed(r.getLong(0), r.getString(1), r.getString(2),
                        r.getString(3), r.getOffsetDateTime(4).toInstant(), r.getString(5), r.getInteger(6),
                        r.getString(7), r.getString(8), r.getOffsetDateTime(9).toInstant())));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
