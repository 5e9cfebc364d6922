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
}
