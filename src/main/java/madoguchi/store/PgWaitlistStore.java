package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.waitlist.WaitlistStore;
import madoguchi.domain.Channel;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class PgWaitlistStore implements WaitlistStore {
    private static final String COLUMNS = "w.id, w.card_id, c.notice_number, w.site_id, w.wanted_from, w.wanted_to, w.channel,"
            + " w.state, w.created_at, w.created_by, w.offer_hold_id, w.offer_slot_id, w.offer_expires_at, w.offered_at";
    private static final String FROM = " FROM waitlist w JOIN cards c ON c.id = w.card_id";
    /** A card's number in E.164 form, as PgReminders reads it. */
    private static final String E164 = "(CASE WHEN c.phone LIKE '+%' THEN c.phone WHEN c.phone LIKE '0%'"
            + " THEN '+81' || substr(c.phone, 2) ELSE '+' || c.phone END)";

    private final Pool pool;

    public PgWaitlistStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Entry> join(long cardId, String siteId, LocalDate from, LocalDate to, Channel channel, Instant at, String by,
                              AuditEntry audit) {
        return join(cardId, siteId, from, to, channel, at, by, audit, 3);
    }

    /**
     * One statement: a waiting entry gets the new range (keeping its place), an offered one is left
     * alone, and a card with neither is added at the end of the list. It returns nothing only when
     * a concurrent join of the same card inserted first; that entry may be ended again before it
     * is read (a leave), so the statement is run again, on what is committed now.
     */
    private Future<Entry> join(long cardId, String siteId, LocalDate from, LocalDate to, Channel channel, Instant at, String by,
                               AuditEntry audit, int tries) {
        return pool.withTransaction(conn -> conn.preparedQuery("WITH cur AS (SELECT id, state FROM waitlist WHERE card_id = $1 AND state IN ('waiting', 'offered')),"
                        + " upd AS (UPDATE waitlist w SET wanted_from = $3, wanted_to = $4, channel = $5 FROM cur"
                        + "   WHERE w.id = cur.id AND cur.state = 'waiting' AND w.state = 'waiting' RETURNING w.id),"
                        + " ins AS (INSERT INTO waitlist (card_id, site_id, wanted_from, wanted_to, channel, state, created_at, created_by)"
                        + "   SELECT $1, $2, $3, $4, $5, 'waiting', $6, $7 WHERE NOT EXISTS (SELECT 1 FROM cur)"
                        + "   ON CONFLICT DO NOTHING RETURNING id)"
                        + " SELECT id, true AS changed FROM upd UNION ALL SELECT id, true FROM ins"
                        + " UNION ALL SELECT id, false FROM cur WHERE state = 'offered'")
                .execute(Tuple.of(cardId, siteId, from, to, channel.wire(), Rows.time(at)).addString(by))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture((Long) null);
                    }
                    Row r = rows.iterator().next();
                    // the audit row only when the list changed (an entry with a live offer is left alone)
                    return audit != null && r.getBoolean(1) ? PgAudit.insert(conn, audit).map(r.getLong(0))
                            : Future.succeededFuture(r.getLong(0));
                }))
                .compose(id -> id != null ? byId(id) : activeOf(cardId))
                .compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
                        : tries > 1 ? join(cardId, siteId, from, to, channel, at, by, audit, tries - 1)
                        : Future.failedFuture(new IllegalStateException("waitlist entry ended by concurrent requests each time")));
    }

    private Future<Optional<Entry>> byId(long id) {
        return one("SELECT " + COLUMNS + FROM + " WHERE w.id = $1", Tuple.of(id));
    }

    @Override
    public Future<Optional<Entry>> activeOf(long cardId) {
        return one("SELECT " + COLUMNS + FROM + " WHERE w.card_id = $1 AND w.state IN ('waiting', 'offered')", Tuple.of(cardId));
    }

    @Override
    public Future<Optional<Entry>> latestOf(long cardId) {
        return one("SELECT " + COLUMNS + FROM + " WHERE w.card_id = $1 ORDER BY w.id DESC LIMIT 1", Tuple.of(cardId));
    }

    @Override
    public Future<Integer> ahead(Entry entry) {
        return pool.preparedQuery("SELECT count(*) FROM waitlist WHERE site_id = $1 AND state = 'waiting' AND id < $2")
                .execute(Tuple.of(entry.siteId(), entry.id())).map(rows -> rows.iterator().next().getInteger(0));
    }

    @Override
    public Future<Optional<Entry>> leave(long cardId, Instant at, AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE waitlist w SET state = 'cancelled', ended_at = $2 FROM cards c"
                        + " WHERE c.id = w.card_id AND w.card_id = $1 AND w.state IN ('waiting', 'offered')"
                        + " RETURNING w.id, w.card_id, c.notice_number, w.site_id, w.wanted_from, w.wanted_to, w.channel,"
                        + " 'cancelled' AS state, w.created_at, w.created_by, w.offer_hold_id, w.offer_slot_id, w.offer_expires_at, w.offered_at")
                .execute(Tuple.of(cardId, Rows.time(at))).map(PgWaitlistStore::first)
                .compose(left -> left.isPresent() && audit != null ? PgAudit.insert(conn, audit).map(left)
                        : Future.succeededFuture(left)));
    }

    @Override
    public Future<Integer> endPassed(LocalDate today, Instant at) {
        return pool.preparedQuery("UPDATE waitlist SET state = 'expired', ended_at = $2 WHERE state = 'waiting' AND wanted_to < $1")
                .execute(Tuple.of(today, Rows.time(at))).map(RowSet::rowCount);
    }

    @Override
    public Future<List<Entry>> waiting(int limit) {
        return many("SELECT " + COLUMNS + FROM + " WHERE w.state = 'waiting' ORDER BY w.id LIMIT $1", Tuple.of(limit));
    }

    @Override
    public Future<List<Entry>> dueOffers(Instant now) {
        return many("SELECT " + COLUMNS + FROM + " WHERE w.state = 'offered' AND w.offer_expires_at <= $1 ORDER BY w.id",
                Tuple.of(Rows.time(now)));
    }

    @Override
    public Future<Boolean> offered(long id, UUID holdId, long slotId, Instant expiresAt, Instant at) {
        return pool.preparedQuery("UPDATE waitlist SET state = 'offered', offer_hold_id = $2, offer_slot_id = $3,"
                        + " offer_expires_at = $4, offered_at = $5, offer_sms_id = NULL WHERE id = $1 AND state = 'waiting'")
                .execute(Tuple.of(id, holdId, slotId, Rows.time(expiresAt), Rows.time(at))).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Future<Void> smsQueued(long id, long smsId) {
        return pool.preparedQuery("UPDATE waitlist SET offer_sms_id = $2 WHERE id = $1").execute(Tuple.of(id, smsId)).mapEmpty();
    }

    @Override
    public Future<Boolean> expire(long id, Instant at) {
        return end(id, "expired", at);
    }

    @Override
    public Future<Boolean> accepted(long id, Instant at) {
        return end(id, "accepted", at);
    }

    private Future<Boolean> end(long id, String state, Instant at) {
        return pool.preparedQuery("UPDATE waitlist SET state = $2, ended_at = $3 WHERE id = $1 AND state = 'offered'")
                .execute(Tuple.of(id, state, Rows.time(at))).map(rows -> rows.rowCount() == 1);
    }

    @Override
    public Future<Void> cancel(long id, Instant at) {
        return pool.preparedQuery("UPDATE waitlist SET state = 'cancelled', ended_at = $2 WHERE id = $1 AND state IN ('waiting', 'offered')")
                .execute(Tuple.of(id, Rows.time(at))).mapEmpty();
    }

    @Override
    public Future<List<Entry>> ofSite(String siteId, int limit) {
        return many("SELECT " + COLUMNS + FROM + " WHERE w.site_id = $1 AND w.state IN ('waiting', 'offered') ORDER BY w.id LIMIT $2",
                Tuple.of(siteId, limit));
    }

    @Override
    public Future<Optional<Entry>> offeredTo(String phone) {
        return one("SELECT " + COLUMNS + FROM + " WHERE w.state = 'offered' AND c.phone IS NOT NULL AND " + E164 + " = $1"
                + " ORDER BY w.id LIMIT 1", Tuple.of(phone));
    }

    private Future<Optional<Entry>> one(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(PgWaitlistStore::first);
    }

    private Future<List<Entry>> many(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> PgSeatSource.list(rows, PgWaitlistStore::entry));
    }

    private static Optional<Entry> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next()));
    }

    private static Entry entry(Row r) {
        return new Entry(r.getLong("id"), r.getLong("card_id"), r.getString("notice_number"), r.getString("site_id"),
                r.getLocalDate("wanted_from"), r.getLocalDate("wanted_to"), Channel.fromWire(r.getString("channel")).orElseThrow(),
                r.getString("state"), instant(r, "created_at"), r.getString("created_by"), r.getUUID("offer_hold_id"),
                r.getLong("offer_slot_id"), instant(r, "offer_expires_at"), instant(r, "offered_at"));
    }

    private static Instant instant(Row r, String column) {
        var t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
