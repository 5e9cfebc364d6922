package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.SmsOutbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The displacement_sms table; claiming uses SKIP LOCKED so that two instances never send one message twice at once. */
public final class PgSmsOutbox implements SmsOutbox {
    private final Pool pool;

    public PgSmsOutbox(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<Pending>> claimDue(Instant now, Instant claimUntil, int limit) {
        return pool.preparedQuery("UPDATE displacement_sms m SET next_attempt_at = $2 WHERE m.id IN ("
                        + " SELECT id FROM displacement_sms WHERE sent_at IS NULL AND next_attempt_at <= $1"
                        + " ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING m.id, m.phone, m.body, m.attempts")
                .execute(Tuple.of(Rows.time(now), Rows.time(claimUntil), limit))
                .map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Pending(r.getLong("id"), r.getString("phone"), r.getString("body"), r.getInteger("attempts")));
                    }
                    return out;
                });
    }

    @Override
    public Future<Void> sent(long id, String providerId, Instant at) {
        return pool.preparedQuery("UPDATE displacement_sms SET sent_at = $2, provider_id = $3, attempts = attempts + 1,"
                        + " last_error = NULL WHERE id = $1")
                .execute(Tuple.of(id, Rows.time(at), providerId)).mapEmpty();
    }

    @Override
    public Future<Void> failed(long id, String error, Instant nextAttempt) {
        String e = error == null ? "" : (error.length() > 300 ? error.substring(0, 300) : error);
        return pool.preparedQuery("UPDATE displacement_sms SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3"
                        + " WHERE id = $1")
                .execute(Tuple.of(id, e, Rows.time(nextAttempt))).mapEmpty();
    }

    @Override
    public Future<Long> waiting() {
        return pool.query("SELECT count(*) n FROM displacement_sms WHERE sent_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }
}
