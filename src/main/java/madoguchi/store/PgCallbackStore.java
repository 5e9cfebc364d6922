package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.reminders.CallbackRequest;
import madoguchi.app.reminders.CallbackStore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

public final class PgCallbackStore implements CallbackStore {
    private static final String COLUMNS = "id, phone, language, requested_at, state, preferred, reason";
    private final Pool pool;

    public PgCallbackStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<CallbackRequest> add(String callSid, String phone, String language, String preferred, String reason, Instant at) {
        return pool.preparedQuery("WITH ins AS (INSERT INTO callback_requests (call_sid, phone, language, requested_at, preferred, reason)"
                        + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (call_sid) DO NOTHING RETURNING " + COLUMNS + ")"
                        + " SELECT " + COLUMNS + " FROM ins UNION ALL"
                        + " SELECT " + COLUMNS + " FROM callback_requests WHERE call_sid = $1 LIMIT 1")
                .execute(Tuple.of(callSid, phone, language, at.atOffset(ZoneOffset.UTC), preferred, reason))
                .map(rows -> request(rows.iterator().next()));
    }

    @Override
    public Future<List<CallbackRequest>> list(int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM callback_requests"
                        + " ORDER BY state = 'done', CASE WHEN state = 'open' THEN requested_at END ASC, requested_at DESC LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> PgSeatSource.list(rows, PgCallbackStore::request));
    }

    @Override
    public Future<Optional<CallbackRequest>> done(long id, String by, Instant at) {
        return pool.preparedQuery("UPDATE callback_requests SET state = 'done',"
                        + " done_at = COALESCE(done_at, $2), done_by = COALESCE(done_by, $3) WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC), by))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(request(rows.iterator().next())));
    }

    private static CallbackRequest request(Row r) {
        return new CallbackRequest(r.getLong("id"), r.getString("phone"), r.getString("language"),
                r.getOffsetDateTime("requested_at").toInstant(), r.getString("state"),
                r.getString("preferred"), r.getString("reason"));
    }
}
