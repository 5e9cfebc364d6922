package madoguchi.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's statements keep plans whose cost does not grow with the number of cards, slots or
 * bookings, even on tables that were just loaded and never analysed (autovacuum off, bookings
 * seconds after a card import). Each statement is prepared as the driver prepares it and EXPLAINed
 * as the generic plan PostgreSQL caches for it; every read of a big table must be an index scan on a
 * unique key with an index condition, i.e. one row found per row of the batch.
 */
class JournalPlansTest {
    private static final int CARDS = 100_000;
    private static final int SLOTS = 3_000;
    private static final int BOOKINGS = 20_000;
    /** The big tables, and the only indexes a statement may read them by. */
    private static final Map<String, Set<String>> KEYS = Map.of(
            "cards", Set.of("cards_pkey"),
            "slots", Set.of("slots_pkey"),
            "bookings", Set.of("bookings_pkey", "bookings_one_active_per_card"),
            "holds", Set.of("holds_pkey"),
            "idempotency_keys", Set.of("idempotency_keys_pkey"),
            "booking_events", Set.of());
    private static Config.DatabaseUrl db;

    @BeforeAll
    static void loadTablesAndNeverAnalyseThem() throws Exception {
        db = TestDatabase.fresh();
        new Database(db, null).migrate();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            for (String table : KEYS.keySet()) {
                st.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
            }
            st.execute("INSERT INTO sites (id, name_ja, name_en, kind) SELECT 'site' || g, 'x', 'x', 'ward' FROM generate_series(1, 10) g");
            // ten sites' eight weeks of 15-minute slots, round the clock for simplicity
            st.execute("INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone)"
                    + " SELECT 'site' || (1 + g % 10), timestamptz '2027-01-04 09:00+09' + (g / 10) * interval '15 minutes',"
                    + " timestamptz '2027-01-04 09:15+09' + (g / 10) * interval '15 minutes', 10, 8, 9 FROM generate_series(0, " + (SLOTS - 1) + ") g");
            // the card import of a month, as one bulk write
            st.execute("INSERT INTO cards (notice_number, birth_date, site_id, state)"
                    + " SELECT (5000000000 + g)::text, DATE '1980-01-01', 'site' || (1 + g % 10), 'ready' FROM generate_series(1, " + CARDS + ") g");
            // a fifth of the cards booked, each in a slot of its own site (slot ids go round the sites as above)
            st.execute("INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status)"
                    + " SELECT c.id, 'C' || c.id, c.id, c.site_id, 1 + c.id % 10 + 10 * ((c.id / 10) % " + (SLOTS / 10) + "), 'web', 'active'"
                    + " FROM cards c WHERE c.id <= " + BOOKINGS);
            st.execute("INSERT INTO booking_events (booking_id, kind, to_slot) SELECT id, 'moved', slot_id FROM bookings");
            st.execute("INSERT INTO holds (id, card_id, slot_id, channel, status, expires_at)"
                    + " SELECT gen_random_uuid(), b.card_id + " + BOOKINGS + ", b.slot_id, 'web', 'expired', now() FROM bookings b");
            st.execute("INSERT INTO idempotency_keys (scope, key, request_hash, kind, slot_id, booking_id, code, channel)"
                    + " SELECT 'card:' || id, 'k' || id, 'h', 'booking', slot_id, id, code, 'web' FROM bookings");
        }
    }

    @Test
    void theTablesAreLoadedAndHaveNoStatistics() throws Exception {
        assertTrue(count("SELECT count(*) FROM cards") == CARDS && count("SELECT count(*) FROM slots") == SLOTS);
        assertEquals(BOOKINGS, count("SELECT count(*) FROM bookings"));
        assertEquals(0, count("SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('cards', 'slots', 'bookings', 'holds')"),
                "the premise: nothing analysed these tables");
    }

    @Test
    void everyStatementOfABatchFindsItsRowsByKeyWithoutStatistics() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String sql : JournalSql.FAST_PATH) {
            failures.addAll(badScans(sql));
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void everyStatementOfTheSlowPathAndTheRefusalDiagnosisFindsItsRowsByKey() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String sql : JournalSql.SLOW_PATH) {
            failures.addAll(badScans(sql));
        }
        assertEquals(List.of(), failures);
    }

    /** The test's own eyes: a plain join on the same tables is caught. */
    @Test
    void aJoinThatScansASitesSlotsIsCaught() throws Exception {
        List<String> failures = badScans("SELECT x.id FROM unnest($1::bigint[], $2::bigint[]) AS x(id, card_id)"
                + " JOIN cards c ON c.id = x.card_id JOIN slots s ON s.site_id = c.site_id AND s.id = x.id");
        assertTrue(!failures.isEmpty(), "a scan of slots by site is reported");
    }

    /** The generic plan of one statement, prepared with its parameter types as the driver sends it. */
    private static List<String> badScans(String sql) throws Exception {
        int parameters = 0;
        Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
        while (m.find()) {
            parameters = Math.max(parameters, Integer.parseInt(m.group(1)));
        }
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE journal AS " + sql);
            String args = String.join(", ", java.util.Collections.nCopies(parameters, "NULL"));
            try (ResultSet rs = st.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE journal(" + args + ")")) {
                rs.next();
                JsonObject plan = new JsonArray(rs.getString(1)).getJsonObject(0).getJsonObject("Plan");
                List<String> bad = new ArrayList<>();
                walk(plan, bad);
                return bad.stream().map(b -> b + " in: " + sql).toList();
            }
        }
    }

    private static void walk(JsonObject node, List<String> bad) {
        String relation = node.getString("Relation Name");
        String type = node.getString("Node Type");
        if (relation != null && KEYS.containsKey(relation) && !"ModifyTable".equals(type)) {
            boolean byIndex = "Index Scan".equals(type) || "Index Only Scan".equals(type);
            String index = node.getString("Index Name");
            if (!byIndex || !KEYS.get(relation).contains(index) || node.getString("Index Cond") == null) {
                bad.add(type + " on " + relation + (index == null ? "" : " using " + index)
                        + (node.getString("Index Cond") == null ? "" : " (" + node.getString("Index Cond") + ")"));
            }
        }
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                walk(children.getJsonObject(i), bad);
            }
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
