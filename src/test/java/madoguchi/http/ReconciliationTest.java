package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's shelf count of 13 July 2021 (section 6): 11,530 cards on the shelves of the ward and
 * branch offices (their own figures, section 5) against 12,137 held "ready" in the system; the
 * 607 are explained by what the cards' history shows. The history is built through status-file
 * imports, the way the city would: one before the count (with three bad lines that are rejected
 * while the rest lands) and one after it (moves, a cancellation, issuances).
 */
class ReconciliationTest {
    static final Map<String, Integer> COUNTED = new LinkedHashMap<>();

    static {
        COUNTED.put("kawasaki", 1_157);
        COUNTED.put("daishi", 772);
        COUNTED.put("tajima", 546);
        COUNTED.put("saiwai", 1_365);
        COUNTED.put("nakahara", 1_772);
        COUNTED.put("takatsu", 1_378);
        COUNTED.put("miyamae", 2_021);
        COUNTED.put("tama", 1_042);
        COUNTED.put("asao", 1_477);
    }

    private static TestService service;
    private static JsonObject firstImport;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), new MutableClock(Instant.parse("2021-07-25T03:00:00Z")));
        for (String site : COUNTED.keySet()) {
            var r = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                    .put("name", new JsonObject().put("ja", site + "区").put("en", site)).put("kind", "ward"));
            assertEquals(201, r.status(), r.body());
        }
        String header = "noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n";
        StringBuilder before = new StringBuilder(header);
        StringBuilder after = new StringBuilder(header);
        long n = 5_000_000_000L;
        for (var e : COUNTED.entrySet()) {
            String site = e.getKey();
            for (int i = 0; i < e.getValue(); i++, n++) {
                before.append(n).append(",1980-01-01,,").append(site).append(",ready,,2021-03-01,2021-06-01\n");
                if (site.equals("nakahara") && i < 300) {
                    // on the shelf on the day of the count, handed over a week later
                    after.append(n).append(",1980-01-01,,nakahara,issued,,2021-03-01,2021-07-20\n");
                }
            }
        }
        for (int i = 0; i < 250; i++, n++) { // ready at Kawasaki in the system; the resident had moved to Saiwai
            before.append(n).append(",1980-01-01,,kawasaki,ready,,2021-02-01,2021-06-01\n");
            after.append(n).append(",1980-01-01,,saiwai,ready,,2021-02-01,2021-07-20\n");
        }
        for (int i = 0; i < 180; i++, n++) { // withdrawn, as the ward noted; the system still says ready
            before.append(n).append(",1980-01-01,,saiwai,ready,withdrawn,2021-02-01,2021-06-01\n");
        }
        for (int i = 0; i < 120; i++, n++) { // applied at 5 in 2016: the card lapsed on the fifth birthday, 1 June 2020
            before.append(n).append(",2010-06-01,,nakahara,ready,,2016-03-01,2016-05-01\n");
        }
        for (int i = 0; i < 7; i++, n++) { // died; cancelled only after the count
            before.append(n).append(",1950-01-01,,takatsu,ready,,2021-01-15,2021-06-01\n");
            after.append(n).append(",1950-01-01,,takatsu,cancelled,died,2021-01-15,2021-07-21\n");
        }
        for (int i = 0; i < 50; i++, n++) { // no trace in the history
            before.append(n).append(",1980-01-01,,miyamae,ready,,2021-03-01,2021-06-01\n");
        }
        for (int i = 0; i < 500; i++, n++) { // issued before the count: not on the shelves, not ready
            before.append(n).append(",1980-01-01,,asao,issued,,2021-03-01,2021-06-15\n");
        }
        for (int i = 0; i < 200; i++, n++) { // applied, not yet delivered
            before.append(n).append(",1980-01-01,,tama,applied,,2021-06-01,2021-06-01\n");
        }
        int goodBefore = (int) (n - 5_000_000_000L);
        before.append("12ab,1980-01-01,,kawasaki,ready,,,\n");                       // line goodBefore + 2
        before.append("5999999998,1980-01-01,,atlantis,ready,,,\n");                 // line goodBefore + 3
        before.append("5999999999,1980-01-01,,tama,cancelled,,2021-01-01,\n");       // line goodBefore + 4
        var r1 = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, before.toString());
        assertEquals(200, r1.status(), r1.body());
        firstImport = r1.json();
        assertEquals(goodBefore, firstImport.getInteger("imported"));
        var r2 = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, after.toString());
        assertEquals(200, r2.status(), r2.body());
        assertEquals(300 + 250 + 7, r2.json().getInteger("updated"));
        for (var e : COUNTED.entrySet()) {
            var c = service.post("/api/v1/admin/inventory", TestService.ADMIN_TOKEN, new JsonObject().put("siteId", e.getKey())
                    .put("countedAt", "2021-07-13").put("counted", e.getValue()));
            assertEquals(201, c.status(), c.body());
            ONE_SITE.put(e.getKey(), c.json());
        }
    }

    /** Each count's own reconciliation (one site: the narrowed query), to hold against the whole report's. */
    private static final Map<String, JsonObject> ONE_SITE = new LinkedHashMap<>();

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void badLinesAreRejectedWithTheirNumbersAndTheRestLands() {
        JsonArray rejected = firstImport.getJsonArray("rejected");
        assertEquals(3, rejected.size(), rejected.encode());
        int last = firstImport.getInteger("imported") + 1; // the header is line 1
        assertEquals(last + 1, rejected.getJsonObject(0).getInteger("line"));
        assertTrue(rejected.getJsonObject(0).getString("error").contains("noticeNumber"));
        assertEquals(last + 2, rejected.getJsonObject(1).getInteger("line"));
        assertTrue(rejected.getJsonObject(1).getString("error").contains("atlantis"));
        assertEquals(last + 3, rejected.getJsonObject(2).getInteger("line"));
        assertTrue(rejected.getJsonObject(2).getString("error").contains("cancelReason"));
    }

    @Test
    void theSeedsSixHundredAndSevenAreExplainedByReason() {
        var r = service.get("/api/v1/admin/reports/reconciliation?date=2021-07-13", TestService.ADMIN_TOKEN);
        assertEquals(200, r.status(), r.body());
        JsonObject totals = r.json().getJsonObject("totals");
        assertEquals(12_137, totals.getInteger("ready"));
        assertEquals(11_530, totals.getInteger("counted"));
        assertEquals(607, totals.getInteger("difference"));
        JsonObject explained = totals.getJsonObject("explained");
        assertEquals(250, explained.getInteger("moved_between_wards"));
        assertEquals(180, explained.getInteger("withdrawn"));
        assertEquals(120, explained.getInteger("expired"));
        assertEquals(7, explained.getInteger("died"));
        assertEquals(0, explained.getInteger("moved_out"));
        assertEquals(50, totals.getInteger("unknown"));

        Map<String, JsonObject> bySite = new LinkedHashMap<>();
        r.json().getJsonArray("sites").forEach(o -> bySite.put(((JsonObject) o).getString("siteId"), (JsonObject) o));
        assertEquals(new java.util.TreeSet<>(COUNTED.keySet()), new java.util.TreeSet<>(bySite.keySet()), "every counted site, only those");
        assertEquals(1_157 + 250, bySite.get("kawasaki").getInteger("ready"), "moved cards counted where they were on the day");
        for (var e : ONE_SITE.entrySet()) {
            JsonObject whole = bySite.get(e.getKey());
            assertEquals(whole.getInteger("ready"), e.getValue().getInteger("ready"), "one site reconciled alone, as in the report: " + e.getKey());
            assertEquals(whole.getJsonObject("explained"), e.getValue().getJsonObject("explained"), e.getKey());
        }
        assertEquals(250, bySite.get("kawasaki").getJsonObject("explained").getInteger("moved_between_wards"));
        assertEquals(1_365 + 180, bySite.get("saiwai").getInteger("ready"), "the cards moved in after the count are not Saiwai's that day");
        assertEquals(1_772 + 120, bySite.get("nakahara").getInteger("ready"), "cards issued after the count were on the shelf");
        assertEquals(120, bySite.get("nakahara").getJsonObject("explained").getInteger("expired"));
        assertEquals(7, bySite.get("takatsu").getJsonObject("explained").getInteger("died"));
        assertEquals(50, bySite.get("miyamae").getInteger("unknown"));
        assertEquals(1_477, bySite.get("asao").getInteger("ready"), "issued before the count: not ready");
        assertEquals(0, bySite.get("tama").getInteger("difference"), "applied cards are not ready");
        for (String site : List.of("daishi", "tajima", "tama", "asao")) {
            assertEquals(0, bySite.get(site).getInteger("difference"), site);
        }
    }

    @Test
    void aLaterDayUsesTheLatestCountAndTheStateOfThatDay() {
        // counted again on 22 July, after the moves and the issuances of 20-21 July
        var c = service.post("/api/v1/admin/inventory", TestService.ADMIN_TOKEN, new JsonObject().put("siteId", "nakahara")
                .put("countedAt", "2021-07-22").put("counted", 1_772 - 300));
        assertEquals(201, c.status(), c.body());
        assertEquals(1_772 + 120 - 300, c.json().getInteger("ready"));
        assertEquals(120, c.json().getInteger("difference"));
        assertEquals(120, c.json().getJsonObject("explained").getInteger("expired"));
        var later = service.get("/api/v1/admin/reports/reconciliation?date=2021-07-22", TestService.ADMIN_TOKEN).json();
        JsonObject nakahara = later.getJsonArray("sites").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("siteId").equals("nakahara")).findFirst().orElseThrow();
        assertEquals("2021-07-22", nakahara.getString("countedAt"));
        JsonObject kawasaki = later.getJsonArray("sites").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("siteId").equals("kawasaki")).findFirst().orElseThrow();
        assertEquals("2021-07-13", kawasaki.getString("countedAt"), "the latest count on or before the day");
    }

    @Test
    void aShelfCountNeedsAKnownSiteAPastDayAndACount() {
        for (JsonObject bad : List.of(new JsonObject().put("siteId", "atlantis").put("countedAt", "2021-07-13").put("counted", 1),
                new JsonObject().put("siteId", "tama").put("countedAt", "2021-08-30").put("counted", 1),
                new JsonObject().put("siteId", "tama").put("countedAt", "2021-07-13").put("counted", -1),
                new JsonObject().put("siteId", "tama").put("countedAt", "13/07/2021").put("counted", 1),
                new JsonObject().put("siteId", "tama").put("countedAt", "2021-07-13"))) {
            var r = service.post("/api/v1/admin/inventory", TestService.ADMIN_TOKEN, bad);
            assertEquals(400, r.status(), bad.encode() + " " + r.body());
            assertTrue(r.json().getString("error") != null);
        }
        assertEquals(401, service.post("/api/v1/admin/inventory", null, new JsonObject()).status());
        assertNull(service.get("/api/v1/admin/reports/reconciliation?date=2020-01-01", TestService.ADMIN_TOKEN).json()
                .getJsonArray("sites").stream().findFirst().orElse(null), "no count before that day");
    }
}
