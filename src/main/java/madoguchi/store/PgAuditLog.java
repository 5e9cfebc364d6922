package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.staff.AuditLog;

import java.util.ArrayList;
import java.util.List;

public final class PgAuditLog implements AuditLog {
    private final Pool pool;

    public PgAuditLog(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<Entry>> find(Filter f) {
        String like = f.action() == null ? null : f.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return pool.preparedQuery("SELECT id, at, actor, role, action, target, before, after, reason FROM audit_log"
                        + " WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action LIKE $2)"
                        + " AND ($3::text IS NULL OR target = $3) AND ($4::timestamptz IS NULL OR at >= $4)"
                        + " AND ($5::timestamptz IS NULL OR at < $5) AND ($6::bigint IS NULL OR id < $6)"
                        + " ORDER BY id DESC LIMIT $7")
                .execute(Tuple.tuple().addString(f.actor()).addString(like).addString(f.target())
                        .addValue(f.from() == null ? null : Rows.time(f.from())).addValue(f.to() == null ? null : Rows.time(f.to()))
                        .addValue(f.beforeId()).addInteger(f.limit()))
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Entry(r.getLong("id"), Rows.instant(r.getOffsetDateTime("at")), r.getString("actor"),
                                r.getString("role"), r.getString("action"), r.getString("target"), json(r.getValue("before")),
                                json(r.getValue("after")), r.getString("reason")));
                    }
                    return out;
                });
    }

    private static JsonObject json(Object v) {
        if (v instanceof JsonObject) {
            return (JsonObject) v;
        }
        return v == null ? null : new JsonObject().put("value", v);
    }
}
