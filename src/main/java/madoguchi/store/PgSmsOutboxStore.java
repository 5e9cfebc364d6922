package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.sms.SmsOutboxStore;
import madoguchi.domain.TextKind;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

public final class PgSmsOutboxStore implements SmsOutboxStore {
    private final Pool pool;

    public PgSmsOutboxStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Long> add(TextKind kind, String phone, String body, Instant at, Instant firstAttempt) {
        return pool.preparedQuery("INSERT INTO sms_outbox (kind, phone, body, created_at, next_attempt_at)"
                        + " VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .execute(Tuple.of(kind.id(), phone, body, at.atOffset(ZoneOffset.UTC), firstAttempt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    @Override
    public Future<Pending> addWithReminder(String code, String phone, String plain, String withReminder, Instant at) {
        // one statement: the booking's reminder row points at this message, and the message says
        // the reminder only when this statement recorded it (the reminder job may have been first)
        return pool.preparedQuery("WITH n AS (SELECT nextval('sms_outbox_id_seq') AS id),"
                        + " r AS (INSERT INTO reminders (booking_id, state, outbox_id, at)"
                        + "   SELECT b.id, 'queued', n.id, $5 FROM bookings b, n WHERE b.code = $1 AND b.status = 'active'"
                        + "   ON CONFLICT (booking_id) DO NOTHING RETURNING booking_id),"
                        + " o AS (INSERT INTO sms_outbox (id, kind, booking_code, phone, body, created_at, next_attempt_at)"
                        + "   SELECT n.id, 'confirmation', $1, $2, CASE WHEN EXISTS (SELECT 1 FROM r) THEN $4 ELSE $3 END, $5,"
                        + "   $5::timestamptz + interval '2 minutes' FROM n"
                        + "   RETURNING id, body)"
                        + " SELECT id, body FROM o")
                .execute(Tuple.of(code, phone, plain, withReminder, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new Pending(row.getLong(0), phone, row.getString(1), 0, TextKind.CONFIRMATION, at);
                });
    }

    @Override
    public Future<Void> sent(long id, String providerId, Instant at) {
        return pool.preparedQuery("UPDATE sms_outbox SET sent_at = $2, provider_id = $3, attempts = attempts + 1,"
                        + " last_error = NULL WHERE id = $1")
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC), providerId)).mapEmpty();
    }

    @Override
    public Future<Void> failed(long id, String error, Instant nextAttempt) {
        return pool.preparedQuery("UPDATE sms_outbox SET attempts = attempts + 1, last_error = $2,"
                        + " next_attempt_at = $3 WHERE id = $1")
                .execute(Tuple.of(id, error, nextAttempt.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    @Override
    public Future<List<Pending>> claimDue(Instant now, Instant leaseUntil, int limit) {
        // the lease keeps another instance from sending the same message meanwhile
        return pool.preparedQuery("UPDATE sms_outbox SET next_attempt_at = $3 WHERE id IN ("
                        + "SELECT id FROM sms_outbox WHERE sent_at IS NULL AND next_attempt_at <= $1"
                        + " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING id, phone, body, attempts, kind, created_at")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit, leaseUntil.atOffset(ZoneOffset.UTC)))
                .map(rows -> PgSeatSource.list(rows, r -> new Pending(r.getLong("id"), r.getString("phone"),
                        r.getString("body"), r.getInteger("attempts"), TextKind.of(r.getString("kind")),
                        r.getOffsetDateTime("created_at").toInstant())));
    }

    @Override
    public Future<Void> putOff(long id, Instant until) {
        return pool.preparedQuery("UPDATE sms_outbox SET next_attempt_at = $2 WHERE id = $1 AND sent_at IS NULL")
                .execute(Tuple.of(id, until.atOffset(ZoneOffset.UTC))).mapEmpty();
    }

    @Override
    public Future<Integer> waitingFor(Instant at) {
        return pool.preparedQuery("SELECT count(*)::int FROM sms_outbox WHERE sent_at IS NULL AND next_attempt_at = $1")
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC))).map(rows -> rows.iterator().next().getInteger(0));
    }
}
