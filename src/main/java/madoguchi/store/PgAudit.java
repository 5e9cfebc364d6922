package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.staff.Audit;

public final class PgAudit implements Audit {
    private static final String INSERT = "INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7)";
    private final Pool pool;

    public PgAudit(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> record(AuditEntry entry) {
        return insert(pool, entry);
    }

    /** Writes the entry with {@code client}: inside the caller's transaction when it is a connection in one. */
    static Future<Void> insert(SqlClient client, AuditEntry e) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.tuple().addString(e.actor()).addString(e.role()).addString(e.action())
                        .addString(e.target()).addValue(e.before()).addValue(e.after()).addString(e.reason()))
                .mapEmpty();
    }
}
