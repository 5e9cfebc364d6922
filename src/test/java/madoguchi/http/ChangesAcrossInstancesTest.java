package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.Config;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two instances on one database, as behind a load balancer: what an administrator or operator
 * changes on A is offered, or refused, on B within a second (announced through PostgreSQL's
 * NOTIFY), and a site or slot B has not heard of yet is looked for in the database before B says
 * it does not exist. Every "within a second" is a deadline polled every 20 ms, never a sleep.
 */
class ChangesAcrossInstancesTest {
    private static final String ADMIN = TestService.ADMIN_TOKEN;
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final LocalDate DAY = LocalDate.now(ZoneId.of("Asia/Tokyo")).plusDays(3);
    private static Config.DatabaseUrl db;
    private static TestService a;
    private static TestService b;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        a = TestService.start(db, Map.of(), Clock.systemUTC());
        b = TestService.start(db, Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    @Test
    void aSiteOpenedOnOneInstanceIsBookableOnTheOtherAtOnce() {
        // on A: the site, its seats, its cards; then at once on B, before any news can have been applied
        long slot = a.siteWithOneSlot("opened", DAY, 1, 2);
        a.importCards("opened", 8_100_000_000L, 2);
        TestService.Response offered = b.get(availability("opened", "web"), null);
        assertEquals(200, offered.status(), "B looks for the site before saying 404: " + offered);
        assertEquals(slot, offered.array().getJsonObject(0).getLong("slotId"), offered.body());
        TestService.Response booked = b.post("/api/v1/bookings", b.verify(8_100_000_000L), new JsonObject().put("slotId", slot));
        assertEquals(201, booked.status(), booked.body());
    }

    @Test
    void aSiteAndSlotNobodyAnnouncedAreFoundByTheFirstLookup() throws Exception {
        // written straight into the database: no instance announced them, so only B's lookups can find them
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('quiet', '静か', 'Quiet', 'popup')");
            st.executeUpdate("INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, label) VALUES"
                    + " ('quiet', '" + DAY + " 11:00+09', '" + DAY + " 11:15+09', 2, 2, 2, 'admin')");
        }
        TestService.Response offered = b.get(availability("quiet", "web"), null);
        assertEquals(200, offered.status(), offered.toString());
        assertEquals(1, offered.array().size(), offered.body());
        assertEquals(404, b.get(availability("nowhere", "web"), null).status(), "a site that does not exist is still 404");

        // a slot added to a site B knows, again without news: B's first booking of it finds it
        long added;
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO slots (site_id, start_at, end_at, capacity, quota_web, quota_phone, label)"
                     + " VALUES ('quiet', '" + DAY + " 11:15+09', '" + DAY + " 11:30+09', 2, 2, 2, 'admin') RETURNING id")) {
            rs.next();
            added = rs.getLong(1);
        }
        a.importCards("quiet", 8_200_000_000L, 1);
        TestService.Response booked = b.post("/api/v1/bookings", b.verify(8_200_000_000L), new JsonObject().put("slotId", added));
        assertEquals(201, booked.status(), "B reads the slot before saying it does not exist: " + booked);
        TestService.Response unknown = b.post("/api/v1/bookings", b.verify(8_200_000_000L), new JsonObject().put("slotId", 987_654_321L));
        assertEquals(404, unknown.status(), unknown.toString());
    }

    @Test
    void capacityRaisedOnOneInstanceIsOfferedOnTheOtherWithinASecond() {
        long slot = a.siteWithOneSlot("surge", DAY, 1, 1);
        offered(b, "surge", slot, "operator", 1);
        TestService.Response raised = a.put("/api/v1/admin/sites/surge/capacity", ADMIN, tenOClock(DAY, 3, 1));
        assertEquals(200, raised.status(), raised.body());
        within(SECOND, () -> remaining(b, "surge", slot, "operator") == 3, () -> "B offers " + remaining(b, "surge", slot, "operator"));
    }

    @Test
    void aSlotBlockedOnOneInstanceIsRefusedOnTheOtherWithinASecond() {
        long slot = a.siteWithOneSlot("blocked", DAY, 2, 1);
        a.importCards("blocked", 8_300_000_000L, 1);
        offered(b, "blocked", slot, "web", 2);
        TestService.Response blocked = a.post("/api/v1/operator/slots/" + slot + "/block", ADMIN, new JsonObject().put("reason", "停電"));
        assertEquals(200, blocked.status(), blocked.body());
        within(SECOND, () -> remaining(b, "blocked", slot, "web") == 0, () -> "B offers " + remaining(b, "blocked", slot, "web"));
        TestService.Response refused = b.post("/api/v1/bookings", b.verify(8_300_000_000L), new JsonObject().put("slotId", slot));
        assertEquals(409, refused.status(), refused.body());

        assertEquals(200, a.post("/api/v1/operator/slots/" + slot + "/unblock", ADMIN, null).status());
        within(SECOND, () -> remaining(b, "blocked", slot, "web") == 2, () -> "B offers " + remaining(b, "blocked", slot, "web"));
    }

    @Test
    void aClosureAndItsUndoOnOneInstanceAreSeenOnTheOtherWithinASecond() {
        long slot = a.siteWithOneSlot("closing", DAY, 2, 1);
        offered(b, "closing", slot, "operator", 2);
        TestService.Response closed = a.post("/api/v1/admin/closures", ADMIN, new JsonObject().put("siteId", "closing")
                .put("date", DAY.toString()).put("reason", "停電").put("displaced", "keep"));
        assertEquals(200, closed.status(), closed.body());
        within(SECOND, () -> remaining(b, "closing", slot, "operator") == 0, () -> "B offers " + remaining(b, "closing", slot, "operator"));

        TestService.Response reopened = a.delete("/api/v1/admin/closures?siteId=closing&date=" + DAY, ADMIN);
        assertEquals(200, reopened.status(), reopened.body());
        within(SECOND, () -> remaining(b, "closing", slot, "operator") == 2, () -> "B offers " + remaining(b, "closing", slot, "operator"));
    }

    @Test
    void anOpeningRuleAddedOnOneInstanceOpensItsSlotsOnTheOther() {
        long slot = a.siteWithOneSlot("ruled", DAY, 1, 1);
        offered(b, "ruled", slot, "operator", 1);
        assertEquals(1, b.get(availability("ruled", "operator"), null).array().size());
        JsonObject rule = new JsonObject().put("weekdays", new JsonArray().add(DAY.getDayOfWeek().getValue()))
                .put("holidays", "include").put("opens", "14:00").put("closes", "14:30").put("counters", 2).put("perCounter", 1)
                .put("label", "afternoon").put("reason", "午後も開庁");
        TestService.Response added = a.post("/api/v1/admin/sites/ruled/rules", ADMIN, rule);
        assertEquals(201, added.status(), added.body());
        within(SECOND, () -> b.get(availability("ruled", "operator"), null).array().size() == 3,
                () -> "B offers " + b.get(availability("ruled", "operator"), null).body());
        assertEquals(1, remaining(b, "ruled", slot, "operator"), "the slot tuned by hand is as it was");
    }

    @Test
    void afterTheNewsConnectionIsCutTheInstancesReconnectAndCatchUp() throws Exception {
        long slot = a.siteWithOneSlot("cut", DAY, 1, 1);
        offered(b, "cut", slot, "operator", 1);
        List<Integer> before = listeners();
        assertEquals(2, before.size(), "each instance listens on one connection: " + before);
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
            for (int pid : before) {
                st.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
        }
        // made while B cannot hear: B reads everything again once it listens again
        assertEquals(200, a.put("/api/v1/admin/sites/cut/capacity", ADMIN, tenOClock(DAY, 2, 1)).status());
        within(Duration.ofSeconds(10), () -> {
            List<Integer> now = listeners();
            return now.size() == 2 && now.stream().noneMatch(before::contains);
        }, () -> "listening: " + listeners());
        within(SECOND, () -> remaining(b, "cut", slot, "operator") == 2, () -> "B offers " + remaining(b, "cut", slot, "operator"));
        // and news is heard again
        assertEquals(200, a.put("/api/v1/admin/sites/cut/capacity", ADMIN, tenOClock(DAY, 4, 1)).status());
        within(SECOND, () -> remaining(b, "cut", slot, "operator") == 4, () -> "B offers " + remaining(b, "cut", slot, "operator"));
    }

    /**
     * Waits until B offers the slot just made on A. B knows the site at once (it looks it up), but
     * when news of the site came before the seats were set, the seats follow with their own news.
     */
    private static void offered(TestService service, String site, long slot, String channel, int seats) {
        within(SECOND, () -> remaining(service, site, slot, channel) == seats,
                () -> "B offers " + remaining(service, site, slot, channel));
    }

    private static List<Integer> listeners() {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND query LIKE 'LISTEN%madoguchi_changes%'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    private static JsonObject tenOClock(LocalDate day, int counters, int perCounter) {
        return new JsonObject().put("from", day.toString()).put("to", day.toString()).put("startTime", "10:00").put("endTime", "10:15")
                .put("counters", counters).put("perCounter", perCounter);
    }

    private static String availability(String site, String channel) {
        return "/api/v1/sites/" + site + "/availability?from=" + DAY + "&to=" + DAY + "&channel=" + channel;
    }

    /** The seats the instance offers in the slot; -1 when it does not offer the slot. */
    private static int remaining(TestService service, String site, long slot, String channel) {
        TestService.Response r = service.get(availability(site, channel), null);
        assertEquals(200, r.status(), r.toString());
        for (Object o : r.array()) {
            JsonObject s = (JsonObject) o;
            if (s.getLong("slotId") == slot) {
                return s.getInteger("remaining");
            }
        }
        return -1;
    }

    /** Waits for the condition, looking every 20 ms, and fails when it does not hold within {@code limit}. */
    private static void within(Duration limit, BooleanSupplier condition, Supplier<String> state) {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit.toMillis() + " ms: " + state.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertTrue(System.nanoTime() - started <= limit.toNanos() + Duration.ofMillis(50).toNanos());
    }
}
