package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.staff.Audit;
import madoguchi.app.staff.Principal;

public final class PgAudit implements Audit {
    private final Pool pool;

    public PgAudit(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> record(Principal who, String action, String target, JsonObject before, JsonObject after, String reason) {
        return pool.preparedQuery("INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.tuple().addString(who.name()).addString(who.role().wire()).addString(action)
                        .addString(target).addValue(before).addValue(after).addString(reason))
                .mapEmpty();
    }
}
