package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.SessionStore;

import java.time.Instant;
import java.util.Optional;

public final class PgSessionStore implements SessionStore {
    private final Pool pool;

    public PgSessionStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> create(byte[] idDigest, String userName, byte[] csrfDigest, Instant now) {
        return pool.preparedQuery("INSERT INTO staff_sessions (id_hash, user_name, csrf_hash, created_at, last_seen_at)"
                        + " VALUES ($1, $2, $3, $4, $4)")
                .execute(Tuple.of(Buffer.buffer(idDigest), userName, Buffer.buffer(csrfDigest), Rows.time(now)))
                .mapEmpty();
    }

    @Override
    public Future<Optional<Stored>> find(byte[] idDigest) {
        return pool.preparedQuery("SELECT u.name, u.role, s.csrf_hash, s.created_at, s.last_seen_at FROM staff_sessions s"
                        + " JOIN users u ON u.name = s.user_name WHERE s.id_hash = $1 AND NOT u.disabled")
                .execute(Tuple.of(Buffer.buffer(idDigest)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Principal.Role.fromWire(r.getString("role")).map(role -> new Stored(
                            new Principal(r.getString("name"), role), r.getBuffer("csrf_hash").getBytes(),
                            Rows.instant(r.getOffsetDateTime("created_at")), Rows.instant(r.getOffsetDateTime("last_seen_at"))));
                });
    }

    @Override
    public Future<Void> touch(byte[] idDigest, Instant now) {
        return pool.preparedQuery("UPDATE staff_sessions SET last_seen_at = greatest(last_seen_at, $2) WHERE id_hash = $1")
                .execute(Tuple.of(Buffer.buffer(idDigest), Rows.time(now))).mapEmpty();
    }

    @Override
    public Future<Void> delete(byte[] idDigest) {
        return pool.preparedQuery("DELETE FROM staff_sessions WHERE id_hash = $1")
                .execute(Tuple.of(Buffer.buffer(idDigest))).mapEmpty();
    }

    @Override
    public Future<Integer> purge(Instant idleBefore, Instant createdBefore) {
        return pool.preparedQuery("DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2")
                .execute(Tuple.of(Rows.time(idleBefore), Rows.time(createdBefore))).map(r -> r.rowCount());
    }
}
