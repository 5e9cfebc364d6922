package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.capacity.CalendarStore;
import madoguchi.domain.OpeningRule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

public final class PgCalendarStore implements CalendarStore {
    private static final String INSERT = "INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, label)"
            + " SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::text[])"
            + " ON CONFLICT (site_id, start_at) DO NOTHING RETURNING site_id";

    private final Pool pool;
    private final PgChangeNews news;

    public PgCalendarStore(Pool pool, PgChangeNews news) {
        this.pool = pool;
        this.news = news;
    }

    @Override
    public Future<Calendar> calendar() {
        Future<Map<String, List<OpeningRule>>> rules = pool.query("SELECT * FROM opening_rules ORDER BY id").execute()
                .map(rows -> {
                    Map<String, List<OpeningRule>> bySite = new HashMap<>();
                    rows.forEach(r -> bySite.computeIfAbsent(r.getString("site_id"), k -> new ArrayList<>()).add(rule(r)));
                    return bySite;
                });
        Future<Set<LocalDate>> holidays = pool.query("SELECT day FROM holidays").execute().map(rows -> {
            Set<LocalDate> days = new HashSet<>();
            rows.forEach(r -> days.add(r.getLocalDate("day")));
            return days;
        });
        Future<Map<String, Set<LocalDate>>> closures = pool.query("SELECT coalesce(site_id, '*') AS site, day FROM closures")
                .execute().map(rows -> {
                    Map<String, Set<LocalDate>> bySite = new HashMap<>();
                    rows.forEach(r -> bySite.computeIfAbsent(r.getString("site"), k -> new HashSet<>()).add(r.getLocalDate("day")));
                    return bySite;
                });
        return Future.all(rules, holidays, closures)
                .map(v -> new Calendar(rules.result(), holidays.result(), closures.result()));
    }

    @Override
    public Future<Set<String>> addSlots(List<NewSlot> slots) {
        if (slots.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        int n = slots.size();
        String[] sites = new String[n];
        OffsetDateTime[] starts = new OffsetDateTime[n];
        OffsetDateTime[] ends = new OffsetDateTime[n];
        Integer[] capacity = new Integer[n];
        Integer[] web = new Integer[n];
        Integer[] phone = new Integer[n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            NewSlot s = slots.get(i);
            sites[i] = s.siteId();
            starts[i] = Rows.time(s.start());
            ends[i] = Rows.time(s.end());
            capacity[i] = s.limits().capacity();
            web[i] = s.limits().quotaWeb();
            phone[i] = s.limits().quotaPhone();
            labels[i] = s.label();
        }
        // the sites that got new days are announced with the insert: every instance's shards load them
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(Tuple.of(sites, starts, ends, capacity, web, phone, labels))
                .compose(rows -> {
                    Set<String> changed = new HashSet<>();
                    rows.forEach(r -> changed.add(r.getString(0)));
                    Future<Void> told = Future.succeededFuture();
                    for (String site : changed) {
                        told = told.compose(v -> news.slots(conn, site));
                    }
                    return told.map(changed);
                }));
    }

    static OpeningRule rule(Row r) {
        Set<DayOfWeek> weekdays = new HashSet<>();
        for (Short d : r.getArrayOfShorts("weekdays")) {
            weekdays.add(DayOfWeek.of(d));
        }
        Set<Integer> nth = new HashSet<>();
        for (Short d : r.getArrayOfShorts("nth_of_month")) {
            nth.add((int) d);
        }
        return new OpeningRule(r.getLong("id"), r.getString("site_id"), weekdays, nth,
                OpeningRule.Holidays.valueOf(r.getString("holidays").toUpperCase(Locale.ROOT)),
                r.getLocalTime("opens"), r.getLocalTime("closes"), r.getInteger("counters"), r.getInteger("per_counter"),
                r.getString("label"), r.getLocalDate("valid_from"), r.getLocalDate("valid_to"),
                r.getInteger("quota_web"), r.getInteger("quota_phone"));
    }

    @Override
    public Future<OpeningRule> saveRule(OpeningRule rule, madoguchi.app.AuditEntry audit) {
        Tuple values = Tuple.tuple().addString(rule.siteId())
                .addArrayOfShort(rule.weekdays().stream().sorted().map(d -> (short) d.getValue()).toArray(Short[]::new))
                .addArrayOfShort(rule.nthOfMonth().stream().sorted().map(Integer::shortValue).toArray(Short[]::new))
                .addString(rule.holidays().name().toLowerCase(Locale.ROOT)).addLocalTime(rule.opens()).addLocalTime(rule.closes())
                .addInteger(rule.counters()).addInteger(rule.perCounter()).addString(rule.label())
                .addLocalDate(rule.validFrom()).addLocalDate(rule.validTo()).addInteger(rule.quotaWeb()).addInteger(rule.quotaPhone());
        String sql = rule.id() == 0
                ? "INSERT INTO opening_rules (site_id, weekdays, nth_of_month, holidays, opens, closes, counters, per_counter,"
                + " label, valid_from, valid_to, quota_web, quota_phone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                + " RETURNING *"
                : "UPDATE opening_rules SET weekdays = $2, nth_of_month = $3, holidays = $4, opens = $5, closes = $6, counters = $7,"
                + " per_counter = $8, label = $9, valid_from = $10, valid_to = $11, quota_web = $12, quota_phone = $13"
                + " WHERE site_id = $1 AND id = $14 RETURNING *";
        if (rule.id() != 0) {
            values.addLong(rule.id());
        }
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(values).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(null);
            }
            OpeningRule stored = rule(rows.iterator().next());
            return PgAudit.insert(conn, audit).map(stored);
        }));
    }

    @Override
    public Future<Boolean> removeRule(String siteId, long ruleId, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM opening_rules WHERE site_id = $1 AND id = $2")
                .execute(Tuple.of(siteId, ruleId))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false) : PgAudit.insert(conn, audit).map(true)));
    }

    @Override
    public Future<Void> addHoliday(LocalDate day, String nameJa, String nameEn, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn.preparedQuery("INSERT INTO holidays (day, name_ja, name_en) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (day) DO UPDATE SET name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en")
                .execute(io.vertx.sqlclient.Tuple.of(day, nameJa, nameEn)).compose(v -> PgAudit.insert(conn, audit)));
    }
}
