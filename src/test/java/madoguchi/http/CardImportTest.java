package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A status file of 100,000 cards with bad lines among them: the good rows land, each bad one is
 * named by its line; a second file moves states on and the history keeps every change (and only
 * the changes). Progress is visible on /metrics. The time is logged, not asserted (BENCHMARKS.md).
 */
class CardImportTest {
    static final int ROWS = 100_000;
    static final long FIRST = 9_100_000_000L;
    private static TestService service;
    private static JsonObject first;
    private static long readyAfterFirst;
    private static long eventsAfterFirst;
    private static String metricsAfterFirst;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), new MutableClock(Instant.parse("2021-07-01T00:00:00Z")));
        for (String site : new String[] {"kawasaki", "saiwai"}) {
            assertEquals(201, service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", site)
                    .put("name", new JsonObject().put("ja", site).put("en", site)).put("kind", "ward")).status());
        }
        first = importFile(file(0));
        System.out.println("card import: " + ROWS + " rows in " + first.getLong("millis") + " ms");
        // what the first file left, before any test imports more
        readyAfterFirst = scalar("SELECT count(*) FROM cards WHERE state = 'ready'");
        eventsAfterFirst = scalar("SELECT count(*) FROM card_events WHERE from_state IS NULL AND to_state = 'ready'");
        metricsAfterFirst = service.metrics();
    }

    /** 100,000 cards; every 20,000th row (lines 20,001, 40,001 ...) is broken one way or another. */
    static String file(int round) {
        StringBuilder csv = new StringBuilder(ROWS * 64).append("noticeNumber,birthDate,phone,siteId,state,cancelReason,appliedOn,changedOn\n");
        String[] broken = {"", "%d,1980-02-30,,kawasaki,ready,,,", "%d,1980-01-01,12,kawasaki,ready,,,", "%d,1980-01-01,,nowhere,ready,,,",
                "%d,1980-01-01,,kawasaki,lost,,,", "%d,1980-01-01,,kawasaki,ready,,2021-01-01"};
        for (int i = 0; i < ROWS; i++) {
            long n = FIRST + i;
            if (round == 0 && i > 0 && i % 20_000 == 0) {
                csv.append(String.format(broken[i / 20_000], n)).append('\n');
                continue;
            }
            String site = i % 2 == 0 ? "kawasaki" : "saiwai";
            String state = round == 0 ? "ready" : i % 10 == 0 ? "issued" : i % 10 == 1 ? "cancelled" : "ready";
            String reason = round == 1 && i % 10 == 1 ? "moved_out" : "";
            csv.append(n).append(",1980-01-01,+8180").append(String.format("%08d", i)).append(',').append(site).append(',')
                    .append(state).append(',').append(reason).append(",2021-03-").append(10 + i % 18)
                    .append(',').append(round == 0 ? "2021-06-01" : "2021-06-20").append('\n');
        }
        return csv.toString();
    }

    /** A big import may take longer than TestService's 30-second timeout on a busy machine. */
    static JsonObject importFile(String csv) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.base() + "/api/v1/admin/cards/import"))
                .timeout(java.time.Duration.ofMinutes(3)).header("Authorization", "Bearer " + TestService.ADMIN_TOKEN)
                .header("Content-Type", "text/csv").POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body().substring(0, Math.min(300, response.body().length())));
        return new JsonObject(response.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static long scalar(String sql) throws Exception {
        try (Connection c = TestDatabase.connect(service.database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void goodRowsLandAndBadOnesAreNamedByLine() throws Exception {
        JsonArray rejected = first.getJsonArray("rejected");
        assertEquals(4, rejected.size(), rejected.encode());
        String[] expected = {"birthDate", "phone", "siteId", "state"};
        for (int k = 0; k < 4; k++) {
            JsonObject r = rejected.getJsonObject(k);
            assertEquals(20_000 * (k + 1) + 2, r.getInteger("line"), r.encode());
            assertTrue(r.getString("error").contains(expected[k]), r.encode());
        }
        assertEquals(ROWS - 4, first.getInteger("imported"));
        assertEquals(ROWS - 4, readyAfterFirst);
        assertEquals(ROWS - 4, eventsAfterFirst);
        String metrics = metricsAfterFirst;
        assertTrue(metrics.contains("madoguchi_card_import_rows_total{result=\"written\"} 99996.0"), "progress on /metrics");
        assertTrue(metrics.contains("madoguchi_card_import_rows_total{result=\"rejected\"} 4.0"));
    }

    @Test
    void aSecondFileRecordsOnlyTheChangesDatedByTheFile() throws Exception {
        JsonObject second = importFile(file(1));
        assertEquals(4, second.getInteger("imported"), "the four fixed lines are new");
        assertEquals(ROWS / 5 - 4, second.getInteger("updated"), "a fifth of the cards changed state");
        assertEquals(ROWS * 4 / 5, second.getInteger("unchanged"));
        assertEquals(0, second.getJsonArray("rejected").size());
        assertEquals(ROWS / 10 - 4, scalar("SELECT count(*) FROM card_events WHERE from_state = 'ready' AND to_state = 'issued'"));
        assertEquals(ROWS / 10, scalar("SELECT count(*) FROM card_events WHERE to_state = 'issued'"));
        assertEquals(ROWS / 10, scalar("SELECT count(*) FROM card_events WHERE to_state = 'cancelled' AND reason = 'moved_out'"));
        assertEquals(0, scalar("SELECT count(*) FROM card_events WHERE from_state = 'ready' AND to_state = 'ready'"),
                "an unchanged card gets no event");
        var june = service.get("/api/v1/admin/reports/monthly?from=2021-06&to=2021-06", TestService.ADMIN_TOKEN).json()
                .getJsonArray("months").getJsonObject(0);
        assertEquals(ROWS / 10, june.getInteger("issuances"), "dated by changedOn, not by the day of the import");
        assertEquals(ROWS / 10, june.getInteger("cancellations"));
    }

    @Test
    void aFileWithoutItsHeaderIsRefusedWhole() {
        var r = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, "noticeNumber,birthDate\n1234567,1980-01-01\n");
        assertEquals(400, r.status());
        assertEquals("invalid_csv", r.json().getString("error"));
    }
}
