package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import madoguchi.support.RawHttp;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code GET /api/v1/admin/cards/import/progress} while an upload is held half-sent over a raw
 * socket: the figure says how far the server got (rows, bytes, percent of the declared length,
 * rows written and rejected, the same numbers /metrics adds), then how the import ended. The
 * server's reading of the bytes sent is awaited as a condition on the figure itself; nothing
 * moves on until the test sends the rest.
 */
class CardImportProgressTest {
    private static final String PATH = "/api/v1/admin/cards/import";
    private static final String PROGRESS = PATH + "/progress";
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        var site = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "prog")
                .put("name", new JsonObject().put("ja", "prog").put("en", "prog")).put("kind", "ward"));
        assertEquals(201, site.status(), site.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String admin(String name) {
        var created = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN, new JsonObject().put("name", name).put("role", "admin"));
        assertEquals(201, created.status(), created.body());
        return created.json().getString("token");
    }

    private static final String HEADER = "noticeNumber,birthDate,phone,siteId,state\n";

    /** {@code count} lines of cards from {@code first}; the one at index {@code bad} (if any) names no site. */
    private static String rows(long first, int count, int bad) {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < count; i++) {
            csv.append(first + i).append(",1980-01-01,,").append(i == bad ? "nowhere" : "prog").append(",ready\n");
        }
        return csv.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject progress(String token) {
        var r = service.get(PROGRESS, token);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** The running import of {@code actor} in a progress answer, or null. */
    private static JsonObject runningOf(JsonObject answer, String actor) {
        JsonArray imports = answer.getJsonArray("imports");
        for (int i = 0; i < imports.size(); i++) {
            if (imports.getJsonObject(i).getString("actor").equals(actor)) {
                return imports.getJsonObject(i);
            }
        }
        return null;
    }

    /** Reads the progress until it shows what the test has made happen (the server's reading is asynchronous). */
    private static JsonObject awaitProgress(String token, Predicate<JsonObject> shown) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        JsonObject answer = progress(token);
        while (!shown.test(answer)) {
            if (System.nanoTime() > until) {
                fail("the progress never showed it: " + answer.encode());
            }
            Thread.sleep(20);
            answer = progress(token);
        }
        return answer;
    }

    private static double counted(String result) {
        Matcher m = Pattern.compile("madoguchi_card_import_rows_total\\{result=\"" + result + "\"} ([0-9.E]+)").matcher(service.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aHeldUploadShowsHowFarItGotAndAgreesWithMetrics() throws Exception {
        String token = admin("progress-a");
        String other = admin("progress-b");
        byte[] head = bytes(HEADER + rows(7_710_000_000L, 7_000, 9));
        byte[] tail = bytes(rows(7_710_007_000L, 3_000, -1));
        long total = head.length + tail.length;
        double written = counted("written");
        double rejected = counted("rejected");
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + total + "\r\n\r\n");
            c.sendBody(head);
            // 7,000 lines read; the first 5,000 checked (one bad) and written, the other 2,000 waiting for more
            JsonObject answer = awaitProgress(token, a -> {
                JsonObject f = runningOf(a, "progress-a");
                return f != null && f.getLong("bytesRead") == head.length && f.getLong("rowsWritten") == 4_999;
            });
            assertTrue(answer.getBoolean("running"));
            JsonObject mine = runningOf(answer, "progress-a");
            assertTrue(mine.getBoolean("mine"));
            assertFalse(mine.getBoolean("dryRun"));
            assertNotNull(mine.getString("startedAt"));
            assertEquals(7_000, mine.getLong("rowsRead"), "the lines after the header");
            assertEquals(1, mine.getLong("rowsRejected"));
            assertEquals(total, mine.getLong("bytesTotal"), "from Content-Length");
            assertEquals((int) (head.length * 100 / total), mine.getInteger("percent"));
            assertEquals(4_999, counted("written") - written, "/metrics counts the rows the figure counts");
            assertEquals(1, counted("rejected") - rejected);

            JsonObject seenByAnother = runningOf(progress(other), "progress-a");
            assertFalse(seenByAnother.getBoolean("mine"), "another administrator sees it, not as theirs");
            assertEquals(7_000, seenByAnother.getLong("rowsRead"));

            c.sendBody(tail);
            assertTrue(c.awaitText("\"unchanged\"", 60_000), c.received());
            assertEquals(200, c.status(), c.received());
        }
        JsonObject after = progress(token);
        assertFalse(after.getBoolean("running"));
        assertNull(runningOf(after, "progress-a"));
        JsonObject last = after.getJsonObject("last");
        assertEquals("progress-a", last.getString("actor"));
        assertEquals("committed", last.getString("outcome"));
        assertNull(last.getString("error"));
        assertEquals(10_000, last.getLong("rowsRead"));
        assertEquals(9_999, last.getLong("rowsWritten"));
        assertEquals(1, last.getLong("rowsRejected"));
        assertEquals(total, last.getLong("bytesRead"));
        assertEquals(100, last.getInteger("percent"));
        assertEquals(9_999, last.getInteger("imported"));
        assertEquals(0, last.getInteger("updated"));
        assertEquals(0, last.getInteger("unchanged"));
        assertNotNull(last.getString("finishedAt"));
        assertEquals(9_999, counted("written") - written, "the metric agrees with the figure at the end too");
        assertEquals(1, counted("rejected") - rejected);
    }

    @Test
    void aChunkedDryRunHasNoPercentAndEndsAsADryRun() throws Exception {
        String token = admin("progress-dry");
        byte[] part = bytes(HEADER + rows(7_720_000_000L, 6_000, -1));
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST " + PATH + "?dryRun=true HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nAuthorization: Bearer " + token
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            c.send(Integer.toHexString(part.length) + "\r\n");
            c.sendBody(part);
            c.send("\r\n");
            JsonObject mine = runningOf(awaitProgress(token, a -> {
                JsonObject f = runningOf(a, "progress-dry");
                return f != null && f.getLong("bytesRead") == part.length && f.getLong("rowsWritten") == 5_000;
            }), "progress-dry");
            assertTrue(mine.getBoolean("dryRun"));
            assertEquals(6_000, mine.getLong("rowsRead"));
            assertNull(mine.getValue("bytesTotal"), "no length declared");
            assertNull(mine.getValue("percent"));
            c.send("0\r\n\r\n");
            assertTrue(c.awaitText("\"bookingsThatWouldEnd\"", 60_000), c.received());
            assertEquals(200, c.status(), c.received());
        }
        JsonObject last = progress(token).getJsonObject("last");
        assertEquals("dry_run", last.getString("outcome"));
        assertEquals(6_000, last.getInteger("imported"), "what it would have imported");
        assertEquals(6_000, last.getLong("rowsWritten"), "written, then rolled back");
        try (var db = TestDatabase.connect(service.database); var st = db.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM cards WHERE notice_number LIKE '772%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a dry run keeps nothing");
        }
    }

    @Test
    void anUploadCutOffEndsAbandonedAndARefusedOneSaysWhy() throws Exception {
        String token = admin("progress-cut");
        byte[] part = bytes(HEADER + rows(7_730_000_000L, 100, -1));
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + (part.length * 2) + "\r\n\r\n");
            c.sendBody(part);
            awaitProgress(token, a -> {
                JsonObject f = runningOf(a, "progress-cut");
                return f != null && f.getLong("rowsRead") == 100;
            });
        }
        JsonObject last = awaitProgress(token, a -> runningOf(a, "progress-cut") == null).getJsonObject("last");
        assertEquals("progress-cut", last.getString("actor"));
        assertEquals("abandoned", last.getString("outcome"));
        assertEquals(100, last.getLong("rowsRead"));
        assertEquals(50, last.getInteger("percent"));
        assertNull(last.getValue("imported"), "nothing was kept, so no counts");

        var refused = service.post(PATH, token, "noticeNumber,birthDate\n1234567,1980-01-01\n");
        assertEquals(400, refused.status(), refused.body());
        last = progress(token).getJsonObject("last");
        assertEquals("refused", last.getString("outcome"));
        assertEquals("invalid_csv", last.getString("error"), "the code the upload was answered with");
    }

    @Test
    void anOperatorMayNotReadIt() {
        var created = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "progress-operator").put("role", "operator"));
        var r = service.get(PROGRESS, created.json().getString("token"));
        assertEquals(403, r.status(), r.body());
    }
}
