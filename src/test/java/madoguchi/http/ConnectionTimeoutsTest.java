package madoguchi.http;

import madoguchi.support.RawHttp;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that hold the server without finishing: a head sent a byte at a time is cut after
 * the header timeout, an upload that stops midway after the idle timeout (both 2 s here), and the
 * stalled import leaves nothing behind.
 */
class ConnectionTimeoutsTest {
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of("MADOGUCHI_IDLE_TIMEOUT_SECONDS", "2",
                "MADOGUCHI_HEADER_TIMEOUT_SECONDS", "2"), Clock.systemUTC());
        var site = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new io.vertx.core.json.JsonObject().put("id", "stalled")
                .put("name", new io.vertx.core.json.JsonObject().put("ja", "stalled").put("en", "stalled")).put("kind", "ward"));
        assertEquals(201, site.status(), site.body());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aHeadSentAByteAtATimeIsCut() throws Exception {
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            boolean cut = false;
            // up to 15 s of trickling, each byte well within the idle timeout
            for (int i = 0; i < 60 && !cut; i++) {
                try {
                    c.send("a");
                } catch (IOException e) {
                    cut = true; // the server closed the connection
                    break;
                }
                cut = c.answered(250);
            }
            assertTrue(cut, "a head still unfinished after 15 s keeps its connection");
            assertEquals("", c.received(), "cut without an answer");
        }
    }

    @Test
    void anUploadThatStopsMidwayIsClosedAndWritesNothing() throws Exception {
        // more than a chunk (CardUpload.CHUNK), so that some rows are already in the import's transaction
        StringBuilder start = new StringBuilder("noticeNumber,birthDate,phone,siteId,state\n");
        for (int i = 0; i < 6_000; i++) {
            start.append(8_800_000_000L + i).append(",1980-01-01,,stalled,ready\n");
        }
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST /api/v1/admin/cards/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Authorization: Bearer " + TestService.ADMIN_TOKEN + "\r\nContent-Length: " + 30 * 1024 * 1024 + "\r\n\r\n");
            c.sendBody(start.toString().getBytes(StandardCharsets.UTF_8));
            // the first chunk goes to the database while the rest of the file has yet to come (streamed, not held)
            long until = System.nanoTime() + 20_000_000_000L;
            while (!service.metrics().contains("madoguchi_card_import_rows_total{result=\"written\"} 5000.0")) {
                assertTrue(System.nanoTime() < until, "no chunk was written before the file's end");
                Thread.sleep(50);
            }
            // the client now sends nothing more, as a stalled or malicious uploader would
            assertTrue(c.closedWithin(20_000), "a stalled upload keeps its connection: " + c.received());
        }
        try (Connection db = TestDatabase.connect(service.database); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM cards")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "an upload cut off midway commits nothing");
        }
        // and its permit is given back: the same administrator's next import runs
        var next = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN,
                "noticeNumber,birthDate,phone,siteId,state\n8800000001,1980-01-01,,stalled,ready\n");
        assertEquals(200, next.status(), next.body());
        assertEquals(1, next.json().getInteger("imported"));
    }
}
