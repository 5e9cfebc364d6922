package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.cards.CardCsv;
import madoguchi.app.cards.CardImportStore;
import madoguchi.app.cards.CardImportStore.Phones;
import madoguchi.app.cards.CardImportStore.Stranded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.List;

/**
 * Upserts card rows in chunks of multi-row statements as the file arrives, all in one transaction
 * so that a failed or cut-off import leaves nothing half-done; each chunk logs its progress.
 */
public final class PgCardImport implements CardImportStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgCardImport.class);
    private static final int CHUNK = 5_000;
    // Every change of state or of site becomes a card event, dated by the file's changedOn (Tokyo
    // midnight) when given, else now: the monthly report counts issuances and cancellations by it.
    // A phone of NULL keeps the stored number, '' clears it (CardCsv.CLEAR), anything else sets it.
    private static final String PHONE = "CASE WHEN i.phone IS NULL THEN c.phone WHEN i.phone = '' THEN NULL ELSE i.phone END";
    private static final String UPSERT = "WITH incoming AS ("
            + "  SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[])"
            + "    AS x(notice, birth, phone, site, state, reason, applied, changed)),"
            + " previous AS (SELECT c.id, c.notice_number, c.state, c.site_id, c.phone FROM cards c"
            + "  JOIN incoming i ON i.notice = c.notice_number),"
            // a row that changes nothing is not written again (most rows of a monthly status file)
            + " updated AS ("
            + "  UPDATE cards c SET birth_date = i.birth, phone = " + PHONE + ", site_id = i.site, state = i.state,"
            + "    cancel_reason = i.reason, applied_on = coalesce(i.applied, c.applied_on), updated_at = now()"
            + "  FROM incoming i WHERE c.notice_number = i.notice"
            + "  AND (c.birth_date, c.phone, c.site_id, c.state, c.cancel_reason, c.applied_on)"
            + "    IS DISTINCT FROM (i.birth, " + PHONE + ", i.site, i.state, i.reason, coalesce(i.applied, c.applied_on))"
            + "  RETURNING c.id, c.notice_number, false AS inserted),"
            + " inserted AS ("
            + "  INSERT INTO cards (notice_number, birth_date, phone, site_id, state, cancel_reason, applied_on)"
            + "  SELECT notice, birth, nullif(phone, ''), site, state, reason, applied FROM incoming i"
            + "  WHERE NOT EXISTS (SELECT 1 FROM previous p WHERE p.notice_number = i.notice)"
            + "  RETURNING id, notice_number, true AS inserted),"
            + " written AS (SELECT * FROM updated UNION ALL SELECT * FROM inserted),"
            + " events AS ("
            + "  INSERT INTO card_events (card_id, at, from_state, to_state, reason, source, from_site, to_site)"
            + "  SELECT w.id, coalesce(i.changed::timestamp AT TIME ZONE 'Asia/Tokyo', now()), p.state, i.state, i.reason, $9,"
            + "    p.site_id, CASE WHEN p.site_id IS DISTINCT FROM i.site THEN i.site END"
            + "  FROM written w JOIN incoming i ON i.notice = w.notice_number"
            + "  LEFT JOIN previous p ON p.notice_number = w.notice_number"
            + "  WHERE p.state IS DISTINCT FROM i.state OR p.site_id IS DISTINCT FROM i.site)"
            + " SELECT count(*) FILTER (WHERE inserted) AS imported, count(*) FILTER (WHERE NOT inserted) AS updated,"
            + " (SELECT count(*) FROM incoming i JOIN previous p ON p.notice_number = i.notice"
            + "   WHERE i.phone IS NULL AND p.phone IS NOT NULL) AS phones_kept,"
            + " (SELECT count(*) FROM incoming i LEFT JOIN previous p ON p.notice_number = i.notice"
            + "   WHERE i.phone <> '' AND i.phone IS DISTINCT FROM p.phone) AS phones_set,"
            + " (SELECT count(*) FROM incoming i JOIN previous p ON p.notice_number = i.notice"
            + "   WHERE i.phone = '' AND p.phone IS NOT NULL) AS phones_cleared,"
            + " (SELECT coalesce(json_object_agg(state, n), '{}') FROM (SELECT i.state, count(*) AS n FROM written w3"
            + "   JOIN incoming i ON i.notice = w3.notice_number GROUP BY i.state) s) AS by_state,"
            + " (SELECT coalesce(json_object_agg(site, n), '{}') FROM (SELECT i.site, count(*) AS n FROM written w4"
            + "   JOIN incoming i ON i.notice = w4.notice_number GROUP BY i.site) s) AS by_site,"
            // bookings the change strands: the card is no longer ready, or no longer kept where it was booked
            + " (SELECT coalesce(json_agg(json_build_object('cardId', b.card_id, 'siteId', b.site_id, 'code', b.code, 'state', i.state)), '[]')"
            + "   FROM written w2 JOIN incoming i ON i.notice = w2.notice_number JOIN bookings b ON b.card_id = w2.id"
            + "   WHERE NOT w2.inserted AND b.status = 'active' AND (i.state <> 'ready' OR b.site_id <> i.site)) AS stranded"
            + " FROM written";

    private final Pool pool;

    public PgCardImport(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Batch> begin(String actor, java.util.function.IntConsumer progress) {
        return pool.getConnection().compose(conn -> conn.begin()
                .<Batch>map(tx -> new PgBatch(pool, conn, tx, actor, progress))
                .onFailure(e -> conn.close()));
    }

    /** One connection, one transaction, held from the file's header to its end. */
    private static final class PgBatch implements Batch {
        private final Pool pool;
        private final SqlConnection conn;
        private final Transaction tx;
        private final String actor;
        private final java.util.function.IntConsumer progress;
        private int imported;
        private int updated;
        private int rows;
        private final List<Stranded> stranded = new java.util.ArrayList<>();
        private int phonesKept;
        private int phonesSet;
        private int phonesCleared;
        private final java.util.Map<String, Integer> byState = new java.util.TreeMap<>();
        private final java.util.Map<String, Integer> bySite = new java.util.TreeMap<>();
        private boolean over;

        PgBatch(Pool pool, SqlConnection conn, Transaction tx, String actor, java.util.function.IntConsumer progress) {
            this.pool = pool;
            this.conn = conn;
            this.tx = tx;
            this.actor = actor;
            this.progress = progress;
        }

        @Override
        public Future<Void> write(List<CardCsv.Row> chunk) {
            Future<Void> done = Future.succeededFuture();
            for (int from = 0; from < chunk.size(); from += CHUNK) {
                List<CardCsv.Row> part = chunk.subList(from, Math.min(chunk.size(), from + CHUNK));
                done = done.compose(v -> conn.preparedQuery(UPSERT).execute(tuple(part, actor)).map(result -> {
                    Row r = result.iterator().next();
                    rows += part.size();
                    LOG.info("card import: {} rows written so far", rows);
                    progress.accept(part.size());
                    Object json = r.getValue("stranded");
                    io.vertx.core.json.JsonArray list = json instanceof io.vertx.core.json.JsonArray
                            ? (io.vertx.core.json.JsonArray) json : new io.vertx.core.json.JsonArray(String.valueOf(json));
                    for (Object o : list) {
                        io.vertx.core.json.JsonObject b = (io.vertx.core.json.JsonObject) o;
                        stranded.add(new Stranded(b.getLong("cardId"), b.getString("siteId"), b.getString("code"), b.getString("state")));
                    }
                    imported += r.getInteger("imported");
                    updated += r.getInteger("updated");
                    phonesKept += r.getInteger("phones_kept");
                    phonesSet += r.getInteger("phones_set");
                    phonesCleared += r.getInteger("phones_cleared");
                    add(byState, r.getValue("by_state"));
                    add(bySite, r.getValue("by_site"));
                    return null;
                }));
            }
            return done;
        }

        private static void add(java.util.Map<String, Integer> into, Object json) {
            io.vertx.core.json.JsonObject counts = json instanceof io.vertx.core.json.JsonObject o ? o
                    : new io.vertx.core.json.JsonObject(String.valueOf(json));
            counts.forEach(e -> into.merge(e.getKey(), ((Number) e.getValue()).intValue(), Integer::sum));
        }

        private Counts counts() {
            return new Counts(imported, updated, List.copyOf(stranded), new Phones(phonesKept, phonesSet, phonesCleared),
                    java.util.Map.copyOf(byState), java.util.Map.copyOf(bySite));
        }

        @Override
        public Future<Counts> dryRun() {
            Counts counts = counts();
            return rollback().map(counts);
        }

        @Override
        public Future<Counts> commit(java.util.function.Function<Counts, madoguchi.app.AuditEntry> audit) {
            over = true;
            Counts counts = counts();
            madoguchi.app.AuditEntry entry = audit.apply(counts);
            // a failed audit row leaves the transaction uncommitted: closing the connection rolls it back
            return (entry == null ? Future.<Void>succeededFuture() : PgAudit.insert(conn, entry))
                    .compose(v -> tx.commit()).map(counts).eventually(conn::close)
                    .compose(c -> analyzeWhatChanged().map(c));
        }

        /**
         * An import changes the tables' shape faster than autovacuum's statistics follow (and where
         * autovacuum is off, never), and bookings start seconds after it: the reconciliation's plan
         * went from seconds to timeouts on 1,000,000 cards without statistics (BENCHMARKS.md run J).
         * So the tables it wrote are analysed before the answer, which then meets fresh statistics;
         * the seat journal does not depend on them (JournalSql), the reports and counts do. A failed
         * ANALYZE is logged and the import, already committed, is answered as done.
         */
        private Future<Void> analyzeWhatChanged() {
            if (imported + updated == 0) {
                return Future.succeededFuture();
            }
            return pool.query("ANALYZE cards, card_events").execute().<Void>mapEmpty().recover(e -> {
                LOG.warn("card import: the tables could not be analysed afterwards", e);
                return Future.succeededFuture();
            });
        }

        @Override
        public Future<Void> rollback() {
            if (over) {
                return Future.succeededFuture();
            }
            over = true;
            // a failed statement has already ended the transaction: its rollback may fail, harmlessly
            return tx.rollback().<Void>mapEmpty().recover(e -> Future.succeededFuture()).eventually(conn::close)
                    .recover(e -> Future.succeededFuture());
        }
    }

    private static Tuple tuple(List<CardCsv.Row> chunk, String actor) {
        int n = chunk.size();
        String[] notice = new String[n];
        LocalDate[] birth = new LocalDate[n];
        String[] phone = new String[n];
        String[] site = new String[n];
        String[] state = new String[n];
        String[] reason = new String[n];
        LocalDate[] applied = new LocalDate[n];
        LocalDate[] changed = new LocalDate[n];
        for (int i = 0; i < n; i++) {
            CardCsv.Row r = chunk.get(i);
            notice[i] = r.noticeNumber();
            birth[i] = r.birthDate();
            phone[i] = r.phone();
            site[i] = r.siteId();
            state[i] = r.state().wire();
            reason[i] = r.cancelReason();
            applied[i] = r.appliedOn();
            changed[i] = r.changedOn();
        }
        return Tuple.tuple().addValue(notice).addValue(birth).addValue(phone).addValue(site).addValue(state)
                .addValue(reason).addValue(applied).addValue(changed).addString("import:" + actor);
    }
}
