package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.reports.ReportStore;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.MonthlyFigures;
import madoguchi.domain.Reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reports' queries over cards, card events, bookings and slots; months are Tokyo months. */
public final class PgReports implements ReportStore {
    // a card's application month: its applied_on, else the day it was first recorded
    private static final String APPLICATIONS = "SELECT site_id, to_char(applied_on, 'YYYY-MM') AS m, count(*)::int AS n"
            + " FROM cards WHERE applied_on < $1 GROUP BY 1, 2"
            + " UNION ALL"
            + " SELECT c.site_id, to_char(f.first_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM'), count(*)::int FROM cards c"
            + " CROSS JOIN LATERAL (SELECT min(e.at) AS first_at FROM card_events e WHERE e.card_id = c.id) f"
            + " WHERE c.applied_on IS NULL AND f.first_at < $2 GROUP BY 1, 2";
    private static final String ENDINGS = "SELECT c.site_id, to_char(e.at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS m,"
            + " count(*) FILTER (WHERE e.to_state = 'issued')::int AS issued,"
            + " count(*) FILTER (WHERE e.to_state = 'cancelled')::int AS cancelled"
            + " FROM card_events e JOIN cards c ON c.id = e.card_id"
            + " WHERE e.to_state IN ('issued', 'cancelled') AND e.from_state IS DISTINCT FROM e.to_state AND e.at < $1"
            + " GROUP BY 1, 2";
    private static final String NO_SHOWS = "SELECT b.site_id, to_char(s.start_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS m,"
            + " count(*)::int AS n FROM bookings b JOIN slots s ON s.id = b.slot_id"
            + " WHERE b.status = 'no_show' AND s.start_at < $1 GROUP BY 1, 2";
    private static final String RECORD = "INSERT INTO inventory_counts (site_id, counted_on, counted, note, counted_by,"
            + " idempotency_key, request_hash)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (counted_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
            + " RETURNING id";
    private static final String BY_KEY = "SELECT id, site_id, counted_on, counted, note, counted_by, request_hash FROM inventory_counts"
            + " WHERE counted_by = $1 AND idempotency_key = $2";
    private static final String LATEST = "SELECT DISTINCT ON (site_id) id, site_id, counted_on, counted, note, counted_by"
            + " FROM inventory_counts WHERE counted_on <= $1 ORDER BY site_id, counted_on DESC, id DESC";
    /*
     * The cards held ready at the end of a day ($1, cut-off $2 = the next Tokyo midnight): the
     * state a card had then is that of its last event before the cut-off; a card with events
     * only after it had the first one's from_state; a card without events has its current state.
     * The site then was the from_site of its first move after the cut-off, else its site now.
     * Each such card gets the most certain reason its history gives to be off the shelf: a later
     * cancellation with its reason; a reason noted on a card still ready; a later move to
     * another site; expiry (a minor's card lapses on the fifth birthday after application).
     */
    private static final String READY_ON = "SELECT site_then, reason, count(*)::int AS n FROM ("
            + " SELECT coalesce(mv.from_site, c.site_id) AS site_then,"
            + "  CASE WHEN lc.reason IS NOT NULL THEN lc.reason"
            + "   WHEN c.state = 'ready' AND c.cancel_reason IS NOT NULL THEN c.cancel_reason"
            + "   WHEN mv.from_site IS NOT NULL THEN 'moved_between_wards'"
            + "   WHEN c.applied_on IS NOT NULL AND c.applied_on < c.birth_date + interval '20 years'"
            + "    AND c.birth_date + make_interval(years => extract(year FROM age(c.applied_on, c.birth_date))::int + 5) <= $1::date"
            + "    THEN 'expired'"
            + "   ELSE 'none' END AS reason,"
            + "  CASE WHEN b.to_state IS NOT NULL THEN b.to_state WHEN a.found THEN a.from_state ELSE c.state END AS state_then"
            + " FROM cards c"
            + " LEFT JOIN LATERAL (SELECT e.to_state FROM card_events e WHERE e.card_id = c.id AND e.at < $2"
            + "   ORDER BY e.at DESC, e.id DESC LIMIT 1) b ON true"
            + " LEFT JOIN LATERAL (SELECT e.from_state, true AS found FROM card_events e WHERE e.card_id = c.id AND e.at >= $2"
            + "   ORDER BY e.at, e.id LIMIT 1) a ON true"
            + " LEFT JOIN LATERAL (SELECT e.from_site FROM card_events e WHERE e.card_id = c.id AND e.at >= $2"
            + "   AND e.to_site IS NOT NULL ORDER BY e.at, e.id LIMIT 1) mv ON true"
            + " LEFT JOIN LATERAL (SELECT e.reason FROM card_events e WHERE e.card_id = c.id AND e.at >= $2"
            + "   AND e.to_state = 'cancelled' ORDER BY e.at, e.id LIMIT 1) lc ON true"
            + ") x WHERE state_then = 'ready' AND site_then = ANY($3) GROUP BY 1, 2";
    /**
     * The same for a site or two (a shelf count just recorded): only the cards that can have been
     * there — kept there now, or moved away from there after the day (card_events_moves) — not
     * the whole city. Measured on 1,000,000 cards: 0.9-1.1 s for one site against 4.2-4.4 s
     * (BENCHMARKS.md, run J's data); for every site at once the whole-city form is the quicker.
     */
    private static final String READY_ON_SITES = narrowed(READY_ON.replace(" FROM cards c LEFT JOIN LATERAL",
            " FROM (SELECT id FROM cards WHERE site_id = ANY($3)"
                    + " UNION SELECT card_id FROM card_events WHERE from_site = ANY($3) AND to_site IS NOT NULL AND at >= $2) k"
                    + " JOIN cards c ON c.id = k.id LEFT JOIN LATERAL"));

    /** Fails at start-up when READY_ON no longer has the place the narrowing goes. */
    private static String narrowed(String sql) {
        if (sql.equals(READY_ON)) {
            throw new IllegalStateException("READY_ON changed: READY_ON_SITES no longer narrows it");
        }
        return sql;
    }
    private static final String PACE = "WITH w AS (SELECT site_id, count(*)::int AS waiting,"
            + "   count(*) FILTER (WHERE applied_on <= $3)::int AS before"
            + "   FROM cards WHERE state NOT IN ('issued', 'cancelled') GROUP BY site_id),"
            + " fut AS (SELECT site_id, sum(capacity)::bigint AS seats FROM slots"
            + "   WHERE start_at >= $1 AND start_at < $1 + make_interval(days => $2) AND NOT blocked GROUP BY site_id),"
            + " past AS (SELECT site_id, sum(capacity)::bigint AS seats, sum(booked + override_booked)::bigint AS booked FROM slots"
            + "   WHERE start_at >= $1 - make_interval(days => $2) AND end_at <= $1 GROUP BY site_id),"
            + " att AS (SELECT b.site_id, count(*) FILTER (WHERE b.status = 'issued')::bigint AS issued,"
            + "   count(*) FILTER (WHERE b.status = 'no_show')::bigint AS no_shows FROM bookings b JOIN slots s ON s.id = b.slot_id"
            + "   WHERE s.start_at >= $1 - make_interval(days => $2) AND s.end_at <= $1 GROUP BY b.site_id)"
            + " SELECT si.id, coalesce(w.waiting, 0) AS waiting, coalesce(w.before, 0) AS before,"
            + "  coalesce(fut.seats, 0) AS future_seats, coalesce(past.seats, 0) AS past_seats, coalesce(past.booked, 0) AS past_booked,"
            + "  coalesce(att.issued, 0) AS issued, coalesce(att.no_shows, 0) AS no_shows"
            + " FROM sites si LEFT JOIN w ON w.site_id = si.id LEFT JOIN fut ON fut.site_id = si.id"
            + " LEFT JOIN past ON past.site_id = si.id LEFT JOIN att ON att.site_id = si.id ORDER BY si.sort_order, si.id";

    private static final String STEPS = "SELECT c.site_id, to_char(e.at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS m, count(*)::int AS n"
            + " FROM card_events e JOIN cards c ON c.id = e.card_id WHERE e.to_state = $1 AND e.at >= $2 AND e.at < $3"
            + " GROUP BY 1, 2 ORDER BY 2, 1";

    // a card is waiting at the end of a day when it was applied by then and its first issuance or
    // cancellation (if any) came later; a card issued or cancelled without a dated event counts as ended
    private static final String OBSERVED = "WITH ended AS (SELECT card_id, min(at) AS at FROM card_events"
            + "   WHERE to_state IN ('issued', 'cancelled') GROUP BY card_id),"
            + " w AS (SELECT c.site_id, count(*)::int AS waiting, count(*) FILTER (WHERE c.applied_on <= $3)::int AS before"
            + "   FROM cards c LEFT JOIN ended e ON e.card_id = c.id"
            + "   WHERE c.applied_on <= $1 AND CASE WHEN e.at IS NOT NULL THEN e.at >= $2 ELSE c.state NOT IN ('issued', 'cancelled') END"
            + "   GROUP BY c.site_id),"
            + " i AS (SELECT c.site_id, count(*)::int AS issued FROM card_events ev JOIN cards c ON c.id = ev.card_id"
            + "   WHERE ev.to_state = 'issued' AND ev.at >= $4 AND ev.at < $2 GROUP BY c.site_id)"
            + " SELECT s.id, coalesce(w.waiting, 0) AS waiting, coalesce(w.before, 0) AS before, coalesce(i.issued, 0) AS issued"
            + " FROM sites s LEFT JOIN w ON w.site_id = s.id LEFT JOIN i ON i.site_id = s.id ORDER BY s.sort_order, s.id";

    // per site through slots_site_start and, per slot, the partial index bookings_active_slot:
    // never a scan of every slot or booking of the city's history (autovacuum is off, no statistics to trust)
    private static final String AHEAD = "SELECT si.id, coalesce(a.booked, 0)::int AS booked, coalesce(a.seats, 0)::bigint AS seats,"
            + " coalesce(a.free, 0)::bigint AS free FROM sites si CROSS JOIN LATERAL ("
            + "  SELECT sum(s.capacity) FILTER (WHERE NOT s.blocked) AS seats,"
            + "   sum(greatest(s.capacity - s.booked - s.held, 0)) FILTER (WHERE NOT s.blocked) AS free,"
            + "   sum((SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active')) AS booked"
            + "  FROM slots s WHERE s.site_id = si.id AND s.start_at >= $1) a"
            + " ORDER BY si.sort_order, si.id";

    private final Pool pool;

    public PgReports(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<SiteMonth>> movements(YearMonth to) {
        LocalDate end = to.plusMonths(1).atDay(1);
        OffsetDateTime endAt = end.atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        Map<String, int[]> acc = new HashMap<>();
        Future<Void> apps = pool.preparedQuery(APPLICATIONS).execute(Tuple.of(end, endAt)).map(rows -> {
            rows.forEach(r -> add(acc, r, 0, r.getInteger("n")));
            return null;
        });
        Future<Void> endings = pool.preparedQuery(ENDINGS).execute(Tuple.of(endAt)).map(rows -> {
            rows.forEach(r -> {
                add(acc, r, 1, r.getInteger("issued"));
                add(acc, r, 2, r.getInteger("cancelled"));
            });
            return null;
        });
        Future<Void> noShows = pool.preparedQuery(NO_SHOWS).execute(Tuple.of(endAt)).map(rows -> {
            rows.forEach(r -> add(acc, r, 3, r.getInteger("n")));
            return null;
        });
        return Future.all(apps, endings, noShows).map(v -> {
            List<SiteMonth> out = new ArrayList<>();
            synchronized (acc) {
                acc.forEach((key, n) -> {
                    int bar = key.indexOf('|');
                    out.add(new SiteMonth(key.substring(0, bar), YearMonth.parse(key.substring(bar + 1)),
                            new MonthlyFigures.Movements(n[0], n[1], n[2], n[3])));
                });
            }
            return out;
        });
    }

    private static void add(Map<String, int[]> acc, Row r, int column, int n) {
        synchronized (acc) {
            acc.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new int[4])[column] += n;
        }
    }

    @Override
    public Future<Recorded> recordCount(String siteId, LocalDate countedOn, int counted, String note, String actor,
                                        madoguchi.app.booking.Idempotency key, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery(RECORD).execute(Tuple.of(siteId, countedOn, counted, note, actor,
                        key == null ? null : key.key(), key == null ? null : key.requestHash()))
                .compose(rows -> {
                    if (rows.size() > 0) {
                        ShelfCount made = new ShelfCount(rows.iterator().next().getLong("id"), siteId, countedOn, counted, note, actor);
                        return PgAudit.insert(conn, audit).map(new Recorded(made, false, false));
                    }
                    // the key was used before: the same count sent again, or another count under a used key
                    return conn.preparedQuery(BY_KEY).execute(Tuple.of(actor, key.key())).map(found -> {
                        Row r = found.iterator().next();
                        ShelfCount earlier = new ShelfCount(r.getLong("id"), r.getString("site_id"), r.getLocalDate("counted_on"),
                                r.getInteger("counted"), r.getString("note"), r.getString("counted_by"));
                        String kept = r.getString("request_hash");
                        // a count kept before its request's digest was: compared by what it records
                        boolean same = kept != null ? key.isRequest(kept)
                                : earlier.siteId().equals(siteId) && earlier.countedOn().equals(countedOn) && earlier.counted() == counted;
                        return new Recorded(earlier, same, !same);
                    });
                }));
    }

    @Override
    public Future<List<StepMonth>> stepMonths(madoguchi.domain.CardState state, YearMonth from, YearMonth to) {
        OffsetDateTime start = from.atDay(1).atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        OffsetDateTime end = to.plusMonths(1).atDay(1).atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        return pool.preparedQuery(STEPS).execute(Tuple.of(state.wire(), start, end)).map(rows -> PgSeatSource.list(rows,
                r -> new StepMonth(r.getString("site_id"), YearMonth.parse(r.getString("m")), r.getInteger("n"))));
    }

    @Override
    public Future<List<Observed>> observed(LocalDate asOf, int days, LocalDate appliedBy) {
        OffsetDateTime cut = asOf.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        return pool.preparedQuery(OBSERVED).execute(Tuple.of(asOf, cut, appliedBy, cut.minusDays(days)))
                .map(rows -> PgSeatSource.list(rows, r -> new Observed(r.getString("id"), r.getInteger("waiting"),
                        r.getInteger("before"), r.getInteger("issued"))));
    }

    @Override
    public Future<List<Ahead>> ahead(LocalDate from) {
        OffsetDateTime start = from.atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        return pool.preparedQuery(AHEAD).execute(Tuple.of(start)).map(rows -> PgSeatSource.list(rows,
                r -> new Ahead(r.getString("id"), r.getInteger("booked"), r.getLong("seats"), r.getLong("free"))));
    }

    @Override
    public Future<List<ShelfCount>> latestCounts(LocalDate date) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(date)).map(rows -> PgSeatSource.list(rows,
                r -> new ShelfCount(r.getLong("id"), r.getString("site_id"), r.getLocalDate("counted_on"),
                        r.getInteger("counted"), r.getString("note"), r.getString("counted_by"))));
    }

    @Override
    public Future<Map<String, ReadyCards>> readyOn(LocalDate day, Set<String> sites) {
        OffsetDateTime cut = day.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toOffsetDateTime();
        String sql = sites.size() <= 2 ? READY_ON_SITES : READY_ON;
        return pool.preparedQuery(sql).execute(Tuple.of(day, cut, sites.toArray(new String[0]))).map(rows -> {
            Map<String, Integer> ready = new HashMap<>();
            Map<String, Map<String, Integer>> reasons = new HashMap<>();
            for (Row r : rows) {
                String site = r.getString("site_then");
                ready.merge(site, r.getInteger("n"), Integer::sum);
                String reason = r.getString("reason");
                if (Reconciliation.REASONS.contains(reason)) {
                    reasons.computeIfAbsent(site, k -> new HashMap<>()).merge(reason, r.getInteger("n"), Integer::sum);
                }
            }
            Map<String, ReadyCards> out = new HashMap<>();
            for (String site : sites) {
                out.put(site, new ReadyCards(ready.getOrDefault(site, 0), reasons.getOrDefault(site, Map.of())));
            }
            return out;
        });
    }

    @Override
    public Future<List<Pace>> pace(Instant now, int days, LocalDate appliedBy) {
        return pool.preparedQuery(PACE).execute(Tuple.of(Rows.time(now), days, appliedBy == null ? LocalDate.of(1900, 1, 1) : appliedBy))
                .map(rows -> PgSeatSource.list(rows, r -> new Pace(r.getString("id"), r.getInteger("waiting"),
                        r.getInteger("before"), r.getLong("future_seats"), r.getLong("past_seats"), r.getLong("past_booked"),
                        r.getLong("issued"), r.getLong("no_shows"))));
    }
}
