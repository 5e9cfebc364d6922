package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.sms.SmsOutboxStore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

public final class PgSmsOutboxStore implements SmsOutboxStore {
    private final Pool pool;

    public PgSmsOutboxStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Long> add(String phone, String body, Instant at) {
        return pool.preparedQuery("INSERT INTO sms_outbox (phone, body, created_at, next_attempt_at)"
                        + " VALUES ($1, $2, $3, $3) RETURNING id")
                .execute(Tuple.of(phone, body, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong(0));
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
                        + " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id, phone, body, attempts")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC), limit, leaseUntil.atOffset(ZoneOffset.UTC)))
                .map(rows -> PgSeatSource.list(rows, r -> new Pending(r.getLong("id"), r.getString("phone"),
                        r.getString("body"), r.getInteger("attempts"))));
    }
}
