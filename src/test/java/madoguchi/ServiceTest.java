package madoguchi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.TcpProxy;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The foundation, from outside: demo sites, readiness, metrics, over real HTTP on a real database. */
class ServiceTest {
    private static TcpProxy proxy;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        var db = TestDatabase.fresh();
        proxy = new TcpProxy(db.host(), db.port());
        var throughProxy = new Config.DatabaseUrl("127.0.0.1", proxy.port(), db.database(), db.user(), db.password());
        service = TestService.start(throughProxy, Map.of("MADOGUCHI_DEMO", "true"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        proxy.close();
    }

    @Test
    void listsTheTenSitesInJapaneseAndEnglish() {
        TestService.Response r = service.get("/api/v1/sites", null);
        assertEquals(200, r.status());
        JsonArray sites = r.array();
        assertEquals(11, sites.size(), "the ten sites of the city's hours and the walk-in site");
        Set<String> ids = sites.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
        assertEquals(Set.of("center", "kawasaki", "saiwai", "nakahara", "takatsu", "miyamae", "tama", "asao", "daishi", "tajima",
                "ksp-walk-in"), ids);
        JsonObject center = sites.getJsonObject(0);
        assertEquals("center", center.getString("id"));
        assertEquals("マイナンバーカードセンター", center.getJsonObject("name").getString("ja"));
        assertEquals("My Number Card Center", center.getJsonObject("name").getString("en"));
        JsonObject walkIn = sites.getJsonObject(10);
        assertEquals(true, walkIn.getBoolean("walkIn"));
        assertEquals(7, walkIn.getJsonArray("walkInHours").size(), "open every day, 10:00-18:00");
        sites.remove(10);
        for (Object o : sites) {
            JsonObject site = (JsonObject) o;
            assertTrue(site.getJsonObject("name").getString("ja").matches(".*(センター|区役所|支所)"), site.encode());
            assertTrue(site.getJsonObject("name").getString("en").matches(".*(Center|Office)"), site.encode());
        }
    }

    @Test
    void demoCardsAreSpreadLikeTheSeedShelfCount() throws Exception {
        try (var c = TestDatabase.connect(service.database); var st = c.createStatement();
             var rs = st.executeQuery("SELECT site_id, count(*) FROM cards WHERE state = 'ready'"
                     + " AND notice_number BETWEEN '2100000001' AND '2100100000' GROUP BY site_id")) {
            Map<String, Long> bySite = new java.util.HashMap<>();
            while (rs.next()) {
                bySite.put(rs.getString(1), rs.getLong(2));
            }
            assertEquals(100_000L, bySite.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(20_000L, bySite.get("center"), 10, "a fifth at the center (plus rounding)");
            // 宮前 2,021 and 田島 546 of 11,530 on the shelves: the same shares of the other 80,000
            assertEquals(80_000L * 2021 / 11530, bySite.get("miyamae"), 1);
            assertEquals(80_000L * 546 / 11530, bySite.get("tajima"), 1);
        }
    }

    @Test
    void wardOfficesOpenOnlyTheSecondAndFourthSaturday() {
        // the ward offices' hours as the city publishes them (DemoData): 2nd and 4th Saturday 08:30-12:00 and 15:00-18:00
        JsonArray slots = service.get("/api/v1/sites/nakahara/availability?channel=operator&from="
                + java.time.LocalDate.now().plusDays(1) + "&to=" + java.time.LocalDate.now().plusDays(56), null).array();
        List<java.time.OffsetDateTime> saturdays = slots.stream().map(o -> java.time.OffsetDateTime.parse(((JsonObject) o).getString("start")))
                .filter(t -> t.getDayOfWeek() == java.time.DayOfWeek.SATURDAY).collect(Collectors.toList());
        assertTrue(!saturdays.isEmpty());
        for (var t : saturdays) {
            int nth = (t.getDayOfMonth() - 1) / 7 + 1;
            assertTrue(nth == 2 || nth == 4, t.toString());
            String time = t.toLocalTime().toString();
            assertTrue(time.compareTo("08:30") >= 0 && time.compareTo("12:00") < 0 || time.compareTo("15:00") >= 0 && time.compareTo("18:00") < 0, time);
        }
        assertTrue(slots.stream().noneMatch(o -> java.time.OffsetDateTime.parse(((JsonObject) o).getString("start")).getDayOfWeek()
                == java.time.DayOfWeek.SUNDAY));
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        assertEquals(200, service.get("/health", null).status());
        assertEquals(200, service.get("/ready", null).status());
        String metrics = service.metrics();
        assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
        assertTrue(metrics.contains("vertx_http_server_requests_total"), "HTTP server metrics");
    }

    @Test
    void readinessTurns503WhileTheDatabaseIsUnreachable() throws Exception {
        proxy.cut();
        try {
            TestService.Response r = service.get("/ready", null);
            assertEquals(503, r.status());
            assertEquals("database_unreachable", r.json().getString("error"));
            assertEquals(200, service.get("/health", null).status(), "the process itself is alive");
        } finally {
            proxy.resume();
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (service.get("/ready", null).status() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(200, service.get("/ready", null).status(), "ready again once the database is back");
    }

    @Test
    void unknownRoutesAndMethodsAnswerJsonErrors() {
        TestService.Response missing = service.get("/api/v1/nothing", null);
        assertEquals(404, missing.status());
        assertEquals("not_found", missing.json().getString("error"));
    }
}
