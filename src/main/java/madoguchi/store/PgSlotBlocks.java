package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.capacity.SlotBlocks;

public final class PgSlotBlocks implements SlotBlocks {
    private final Pool pool;
    private final PgChangeNews news;

    public PgSlotBlocks(Pool pool, PgChangeNews news) {
        this.pool = pool;
        this.news = news;
    }

    @Override
    public Future<String> setBlocked(long slotId, boolean blocked, String reason, AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE slots SET blocked = $2, block_reason = $3, version = version + 1"
                        + " WHERE id = $1 RETURNING site_id")
                .execute(Tuple.of(slotId, blocked, blocked ? reason : null))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture((String) null)
                        : PgAudit.insert(conn, audit).compose(v -> news.slots(conn, rows.iterator().next().getString(0)))
                        .map(rows.iterator().next().getString(0))));
    }
}
