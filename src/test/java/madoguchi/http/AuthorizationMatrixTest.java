package madoguchi.http;

import io.vertx.core.json.JsonObject;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation that openapi.yaml marks with the staff security scheme, called with no
 * credentials, a resident's token, an operator's and an administrator's API token, and an
 * operator's console session without and with the CSRF header. A route added to openapi.yaml is
 * covered without touching this test. Admin routes (under /api/v1/admin) need the admin role;
 * the others the operator role.
 */
class AuthorizationMatrixTest {
    private static TestService service;
    private static String residentToken;
    private static String operatorToken;
    private static StaffClient operatorSession;
    private static StaffClient adminSession;

    record Operation(String method, String path) {
        boolean adminOnly() {
            return path.startsWith("/api/v1/admin/");
        }

        String concrete() {
            return path.replace("{code}", "0000000000").replace("{slotId}", "999999").replace("{siteId}", "nosuchsite")
                    .replace("{holdId}", "00000000-0000-0000-0000-000000000000").replaceAll("\\{[a-zA-Z]+}", "999999");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        service.siteWithOneSlot("matrix", LocalDate.now().plusDays(3), 1, 1);
        service.importCards("matrix", 5_100_000_001L, 1);
        residentToken = service.verify(5_100_000_001L);
        operatorToken = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "op-token").put("role", "operator")).json().getString("token");
        StaffClient.createUser(service, "op-matrix", "operator", "operator password");
        StaffClient.createUser(service, "adm-matrix", "admin", "admin password!");
        operatorSession = new StaffClient(service.base());
        operatorSession.login("op-matrix", "operator password");
        adminSession = new StaffClient(service.base());
        adminSession.login("adm-matrix", "admin password!");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** The operations of openapi.yaml whose security names the staff scheme. */
    static List<Operation> staffOperations() throws IOException {
        String yaml;
        try (InputStream in = AuthorizationMatrixTest.class.getResourceAsStream("/openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Operation> out = new ArrayList<>();
        String path = null;
        String method = null;
        for (String line : yaml.split("\n")) {
            if (line.matches("  /\\S*:\\s*")) {
                path = line.trim().replaceAll(":$", "");
                method = null;
            } else if (path != null && line.matches("    (get|post|put|delete|patch):.*")) {
                method = line.trim().replaceAll(":.*", "").toUpperCase();
            } else if (path != null && method != null && line.matches("      security:.*") && line.contains("staff")) {
                out.add(new Operation(method, path));
            } else if (line.matches("\\S.*")) {
                path = null; // a new top-level section
            }
        }
        return out;
    }

    @Test
    void theContractListsTheStaffRoutes() throws IOException {
        List<Operation> ops = staffOperations();
        assertTrue(ops.size() >= 14, "staff operations found: " + ops);
        assertTrue(ops.contains(new Operation("POST", "/api/v1/operator/bookings")), ops.toString());
        assertTrue(ops.contains(new Operation("GET", "/api/v1/admin/audit")), ops.toString());
        assertTrue(ops.contains(new Operation("PUT", "/api/v1/admin/sites/{siteId}/capacity")), ops.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyStaffRouteChecksWhoIsAsking() throws IOException {
        return staffOperations().stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> check(op)));
    }

    private static void check(Operation op) {
        String path = op.concrete();
        Object body = op.method().equals("GET") ? null : (path.endsWith("/import") ? "" : new JsonObject());
        StaffClient anonymous = new StaffClient(service.base());

        TestService.Response none = anonymous.send(op.method(), path, body, false);
        assertEquals(401, none.status(), "no credentials: " + none);

        TestService.Response resident = withBearer(op.method(), path, body, residentToken);
        assertTrue(Set.of(401, 403).contains(resident.status()), "resident token: " + resident);

        TestService.Response operator = withBearer(op.method(), path, body, operatorToken);
        // signing out ends the session it is sent with: that case gets a session of its own
        StaffClient session = operatorSession;
        if (op.path().equals("/api/v1/staff/logout")) {
            session = new StaffClient(service.base());
            session.login("op-matrix", "operator password");
        }
        TestService.Response operatorBySession = session.send(op.method(), path, body, true);
        if (op.adminOnly()) {
            assertEquals(403, operator.status(), "operator token on an admin route: " + operator);
            assertEquals(403, operatorBySession.status(), "operator session on an admin route: " + operatorBySession);
        } else {
            assertAllowed(operator, "operator token");
            assertAllowed(operatorBySession, "operator session");
        }

        assertAllowed(withBearer(op.method(), path, body, TestService.ADMIN_TOKEN), "admin token");
        if (!op.method().equals("GET") && !op.path().equals("/api/v1/staff/logout")) {
            TestService.Response noCsrf = adminSession.send(op.method(), path, body, false);
            assertEquals(403, noCsrf.status(), "admin session without X-CSRF-Token: " + noCsrf);
            assertEquals("csrf_failed", noCsrf.json().getString("error"));
            assertAllowed(adminSession.send(op.method(), path, body, true), "admin session with CSRF");
        } else if (op.method().equals("GET")) {
            assertAllowed(adminSession.send(op.method(), path, body, false), "admin session (GET needs no CSRF)");
        }
    }

    private static void assertAllowed(TestService.Response r, String who) {
        assertFalse(Set.of(401, 403).contains(r.status()), who + " must get through: " + r);
        assertNotEquals(500, r.status(), who + ": " + r);
        assertFalse(r.body().contains("No such endpoint"), who + ": the route is not mounted: " + r);
    }

    private static TestService.Response withBearer(String method, String path, Object body, String token) {
        StaffClient c = new StaffClient(service.base());
        return c.sendWithBearer(method, path, body, token);
    }
}
