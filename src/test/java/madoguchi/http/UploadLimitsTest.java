package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.RawHttp;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Uploads to staff routes, spoken to over raw sockets: a request without a valid token is refused
 * from its headers, before the server takes in its body (counted by the bytes this client managed
 * to write before the answer came).
 */
class UploadLimitsTest {
    static final int MIB = 1024 * 1024;
    private static TestService service;
    private static String operatorToken;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        var created = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "uploader-operator").put("role", "operator"));
        assertEquals(201, created.status(), created.body());
        operatorToken = created.json().getString("token");
        var site = service.post("/api/v1/admin/sites", TestService.ADMIN_TOKEN, new JsonObject().put("id", "upload")
                .put("name", new JsonObject().put("ja", "upload").put("en", "upload")).put("kind", "ward"));
        assertEquals(201, site.status(), site.body());
    }

    static String adminToken(String name) {
        var created = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN, new JsonObject().put("name", name).put("role", "admin"));
        assertEquals(201, created.status(), created.body());
        return created.json().getString("token");
    }

    /** An import whose head is sent with Expect: 100-continue; returns once the server said to go on (its permit taken). */
    static RawHttp importGranted(String token, byte[] body) throws Exception {
        RawHttp c = new RawHttp(service.port);
        c.send("POST /api/v1/admin/cards/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                + "Authorization: Bearer " + token + "\r\nExpect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");
        assertTrue(c.awaitText("HTTP/1.1 100 Continue\r\n\r\n", 10_000), "no 100 Continue: " + c.received());
        return c;
    }

    static String cards(long first, int count) {
        StringBuilder csv = new StringBuilder("noticeNumber,birthDate,phone,siteId,state\n");
        for (int i = 0; i < count; i++) {
            csv.append(first + i).append(",1980-01-01,,upload,ready\n");
        }
        return csv.toString();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /**
     * Sends the head of a {@code declared}-byte upload, then its body 64 KiB at a time, looking for
     * an answer before each piece; fails when none came before a mebibyte was written.
     */
    static RawHttp uploadUntilAnswered(String path, String authorization, long declared, String extraHeaders) throws Exception {
        RawHttp c = new RawHttp(service.port);
        c.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + extraHeaders
                + "Content-Length: " + declared + "\r\n\r\n");
        byte[] piece = new byte[64 * 1024];
        Arrays.fill(piece, (byte) 'a');
        while (!c.answered(500)) {
            if (c.bodyBytesWritten() >= MIB) {
                c.close();
                fail("no answer after " + c.bodyBytesWritten() + " bytes of the body were taken in");
            }
            c.sendBody(piece);
        }
        return c;
    }

    @Test
    void anImportWithoutATokenIsRefusedBeforeAMebibyteOfItIsRead() throws Exception {
        try (RawHttp c = uploadUntilAnswered("/api/v1/admin/cards/import", null, 30L * MIB, "")) {
            assertTrue(c.awaitText("\r\n\r\n", 5_000), c.received());
            assertEquals(401, c.status(), c.received());
            assertTrue(c.bodyBytesWritten() < MIB, "body bytes written before the answer: " + c.bodyBytesWritten());
            assertTrue(c.closedWithin(10_000), "the connection is closed rather than the rest read: " + c.received());
        }
    }

    @Test
    void aForgedTokenOnAnOperatorRouteIsRefusedBeforeItsBodyIsRead() throws Exception {
        // within the 64 KiB body limit, so the body handler would wait for all of it
        try (RawHttp c = uploadUntilAnswered("/api/v1/operator/bookings", "Bearer not-a-token-at-all", 60 * 1024, "")) {
            assertTrue(c.awaitText("\r\n\r\n", 5_000), c.received());
            assertEquals(401, c.status(), c.received());
            assertEquals(0, c.bodyBytesWritten(), "answered from the headers alone");
        }
    }

    @Test
    void anOperatorsImportIsForbiddenBeforeItsBodyIsRead() throws Exception {
        try (RawHttp c = uploadUntilAnswered("/api/v1/admin/cards/import", "Bearer " + operatorToken, 30L * MIB, "")) {
            assertTrue(c.awaitText("\r\n\r\n", 5_000), c.received());
            assertEquals(403, c.status(), c.received());
            assertTrue(c.bodyBytesWritten() < MIB, "body bytes written before the answer: " + c.bodyBytesWritten());
        }
    }

    @Test
    void expectContinueIsNotGrantedWithoutAToken() throws Exception {
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST /api/v1/admin/cards/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + 30L * MIB + "\r\n\r\n");
            assertTrue(c.awaitText("\r\n\r\n", 10_000), "an answer to the head alone: " + c.received());
            assertTrue(!c.received().startsWith("HTTP/1.1 100"), "no 100 Continue for a caller without a token: " + c.received());
            assertEquals(401, c.status(), c.received());
        }
    }

    @Test
    void aSecondImportByTheSameAdministratorIsRefusedWhileTheFirstRuns() throws Exception {
        String token = adminToken("importer-one");
        byte[] file = cards(7_700_000_000L, 3).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RawHttp first = importGranted(token, file)) {
            var second = service.post("/api/v1/admin/cards/import", token, cards(7_700_100_000L, 1));
            assertEquals(429, second.status(), second.body());
            assertEquals("import_in_progress", second.json().getString("error"));
            first.sendBody(file);
            assertTrue(first.awaitText("\"unchanged\"", 30_000), first.received());
            assertEquals(200, first.status(), first.received());
        }
        var after = service.post("/api/v1/admin/cards/import", token, cards(7_700_100_000L, 1));
        assertEquals(200, after.status(), "the first answered, the next runs: " + after.body());
    }

    @Test
    void importsBeyondTheServiceWideBoundAreRefused() throws Exception {
        byte[] file = cards(7_700_200_000L, 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RawHttp a = importGranted(adminToken("importer-a"), file); RawHttp b = importGranted(adminToken("importer-b"), file)) {
            var third = service.post("/api/v1/admin/cards/import", adminToken("importer-c"), cards(7_700_300_000L, 1));
            assertEquals(429, third.status(), third.body());
            assertEquals("imports_busy", third.json().getString("error"));
            assertTrue(third.header("Retry-After") != null);
        }
    }

    @Test
    void aControlCharacterInACellRejectsItsLineNamingTheColumn() {
        String csv = "noticeNumber,birthDate,phone,siteId,state\n"
                + "7700400001,1980-01-01,+8190\u00001234,upload,ready\n"
                + "7700400002,1980-01-01,,upl\u001bad,ready\n"
                + "7700400003,1980-01-01,,upload,ready\n";
        var r = service.post("/api/v1/admin/cards/import", TestService.ADMIN_TOKEN, csv);
        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().getInteger("imported"));
        var rejected = r.json().getJsonArray("rejected");
        assertEquals(2, rejected.size(), rejected.encode());
        assertEquals(2, rejected.getJsonObject(0).getInteger("line"));
        assertEquals("column 'phone' contains a control character (U+0000)", rejected.getJsonObject(0).getString("error"));
        assertEquals(3, rejected.getJsonObject(1).getInteger("line"));
        assertEquals("column 'siteId' contains a control character (U+001B)", rejected.getJsonObject(1).getString("error"));
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedAndWritesNothing() throws Exception {
        // declared within the limit (chunked, no length), refused when the bytes pass 32 MiB
        try (RawHttp c = new RawHttp(service.port)) {
            c.send("POST /api/v1/admin/cards/import HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                    + "Authorization: Bearer " + TestService.ADMIN_TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] rows = cards(7_700_500_000L, 20_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] filler = new byte[1024 * 1024];
            Arrays.fill(filler, (byte) '\n'); // blank lines: cheap to read, still bytes
            sendChunk(c, rows);
            boolean refused = false;
            for (int i = 0; i < 40 && !refused; i++) {
                try {
                    sendChunk(c, filler);
                } catch (java.io.IOException e) {
                    refused = true;
                    break;
                }
                refused = c.answered(50);
            }
            assertTrue(refused || c.answered(10_000), "still reading after 40 MiB");
            c.awaitText("\r\n\r\n", 5_000);
            assertEquals(413, c.status(), c.received());
        }
        try (var db = TestDatabase.connect(service.database); var st = db.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM cards WHERE notice_number LIKE '77005%'")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "a refused file leaves nothing behind");
        }
    }

    private static void sendChunk(RawHttp c, byte[] data) throws java.io.IOException {
        c.send(Integer.toHexString(data.length) + "\r\n");
        c.sendBody(data);
        c.send("\r\n");
    }
}
