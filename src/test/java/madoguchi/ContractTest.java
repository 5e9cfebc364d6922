package madoguchi;

import madoguchi.support.Contract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check every service test makes of its answers does find what breaks openapi.yaml. */
class ContractTest {
    private static final Map<String, List<String>> JSON = Map.of("content-type", List.of("application/json; charset=utf-8"));
    private static final String BOOKING = "{\"bookingId\":1001,\"code\":\"0010848503\",\"siteId\":\"center\",\"slotId\":7,"
            + "\"start\":\"2026-12-03T10:00:00+09:00\",\"end\":\"2026-12-03T10:15:00+09:00\",\"status\":\"active\","
            + "\"channel\":\"web\",\"override\":false}";

    private static void check(String method, String path, int status, Map<String, List<String>> headers, String body) {
        Contract.check(method, URI.create("http://127.0.0.1:1" + path), status, headers, body);
    }

    @Test
    void aDeclaredAnswerPasses() {
        assertDoesNotThrow(() -> check("POST", "/api/v1/bookings", 201, JSON, BOOKING));
        assertDoesNotThrow(() -> check("GET", "/api/v1/operator/bookings", 401, JSON, "{\"error\":\"unauthorized\",\"message\":\"m\"}"));
        assertDoesNotThrow(() -> check("GET", "/no/such/route", 404, JSON, "{}"), "paths the contract lacks are not its business");
    }

    @Test
    void anUndeclaredStatusIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () -> check("GET", "/api/v1/sites", 418, JSON, "{}"));
        assertTrue(e.getMessage().contains("listSites"), e.getMessage());
    }

    @Test
    void aBodyThatBreaksItsSchemaIsCaught() {
        assertThrows(AssertionError.class, () -> check("POST", "/api/v1/bookings", 201, JSON, BOOKING.replace("\"code\":\"0010848503\",", "")),
                "a required field missing");
        assertThrows(AssertionError.class, () -> check("POST", "/api/v1/bookings", 201, JSON, BOOKING.replace("\"slotId\":7", "\"slotId\":\"7\"")),
                "a field of the wrong type");
        assertThrows(AssertionError.class, () -> check("GET", "/api/v1/sites", 200, JSON, "{\"not\":\"a list\"}"));
    }

    @Test
    void aBodyOfAnUndeclaredTypeIsCaught() {
        assertThrows(AssertionError.class, () -> check("GET", "/api/v1/sites", 200, Map.of("content-type", List.of("text/csv")), "id\ncenter\n"));
        assertDoesNotThrow(() -> check("GET", "/api/v1/admin/reports/monthly.csv", 200,
                Map.of("content-type", List.of("text/csv; charset=utf-8")), "month,siteId\n"));
    }

    @Test
    void aDeclaredHeaderWithAWrongValueIsCaught() {
        assertThrows(AssertionError.class, () -> check("POST", "/api/v1/bookings", 201,
                Map.of("content-type", List.of("application/json"), "Idempotent-Replayed", List.of("yes")), BOOKING));
    }
}
