package madoguchi.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import madoguchi.app.AuditEntry;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.UserStore;
import madoguchi.store.Database;
import madoguchi.store.PgUserStore;
import madoguchi.support.StaffClient;
import madoguchi.support.TestDatabase;
import madoguchi.support.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff users an administrator manages, over real HTTP on PostgreSQL: the list, disabling
 * (the user's session ends at once, their token is refused), enabling, a password reset (the
 * old password and session stop working, the new one shown once signs in), each with its audit
 * row; an administrator cannot disable themself nor the last administrator.
 */
class StaffUsersTest {
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        service = TestService.start(TestDatabase.fresh(), Map.of(), Clock.systemUTC());
        StaffClient.createUser(service, "users-admin", "admin", "admin password 1");
        StaffClient.createUser(service, "users-op", "operator", "operator password 1");
        StaffClient.createUser(service, "users-op2", "operator", "operator password 2");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static StaffClient admin() {
        StaffClient c = new StaffClient(service.base());
        c.login("users-admin", "admin password 1");
        return c;
    }

    private static JsonObject user(StaffClient admin, String name) {
        TestService.Response r = admin.send("GET", "/api/v1/admin/users", null, false);
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains("pbkdf2"), "never a hash: " + r.body());
        for (Object o : r.json().getJsonArray("users")) {
            if (((JsonObject) o).getString("name").equals(name)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError(name + " not listed: " + r.body());
    }

    private static int auditRows(String action, String target) {
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_log WHERE action = '" + action + "' AND target = '" + target
                     + "' AND actor = 'users-admin'")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theListShowsRoleStateSignInAndOpenSessions() {
        StaffClient admin = admin();
        JsonObject op = user(admin, "users-op2");
        assertEquals("operator", op.getString("role"));
        assertFalse(op.getBoolean("disabled"));
        assertTrue(op.getBoolean("consoleSignIn"));
        JsonObject bootstrap = user(admin, "bootstrap");
        assertEquals("admin", bootstrap.getString("role"));
        assertFalse(bootstrap.getBoolean("consoleSignIn"), "the bootstrap admin has a token only");
        assertTrue(user(admin, "users-admin").getInteger("sessions") >= 1);
        // an operator may not see it
        StaffClient op2 = new StaffClient(service.base());
        op2.login("users-op2", "operator password 2");
        assertEquals(403, op2.send("GET", "/api/v1/admin/users", null, false).status());
    }

    @Test
    void aDisabledUsersSessionEndsAtOnceAndTheirTokenIsRefusedUntilEnabled() {
        StaffClient admin = admin();
        StaffClient op = new StaffClient(service.base());
        op.login("users-op", "operator password 1");
        String token = service.post("/api/v1/admin/users", TestService.ADMIN_TOKEN,
                new JsonObject().put("name", "users-bot").put("role", "operator")).json().getString("token");
        assertEquals(200, service.get("/api/v1/staff/me", token).status());
        assertEquals(200, op.send("GET", "/api/v1/staff/me", null, false).status());

        TestService.Response r = admin.send("POST", "/api/v1/admin/users/users-op/disable", new JsonObject().put("reason", "left the team"), true);
        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().getInteger("sessionsEnded"));
        assertEquals(401, op.send("GET", "/api/v1/staff/me", null, false).status(), "the session ended at once");
        assertTrue(user(admin, "users-op").getBoolean("disabled"));
        assertEquals(0, user(admin, "users-op").getInteger("sessions"));
        assertEquals(401, new StaffClient(service.base()).send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "users-op").put("password", "operator password 1"), false).status());
        assertEquals(1, auditRows("user.disable", "user:users-op"));

        // a token user: refused at once on this instance (its cached answer is dropped)
        assertEquals(200, admin.send("POST", "/api/v1/admin/users/users-bot/disable", null, true).status());
        assertEquals(401, service.get("/api/v1/staff/me", token).status());

        assertEquals(200, admin.send("POST", "/api/v1/admin/users/users-op/enable", null, true).status());
        assertEquals(1, auditRows("user.enable", "user:users-op"));
        assertFalse(user(admin, "users-op").getBoolean("disabled"));
        new StaffClient(service.base()).login("users-op", "operator password 1");
        assertEquals(404, admin.send("POST", "/api/v1/admin/users/nobody/disable", null, true).status());
        assertEquals(404, admin.send("POST", "/api/v1/admin/users/bad%20name/enable", null, true).status());
    }

    @Test
    void anAdministratorCannotDisableThemself() {
        StaffClient admin = admin();
        TestService.Response r = admin.send("POST", "/api/v1/admin/users/users-admin/disable", null, true);
        assertEquals(409, r.status(), r.body());
        assertEquals("own_account", r.json().getString("error"));
        assertFalse(user(admin, "users-admin").getBoolean("disabled"));
        assertEquals(0, auditRows("user.disable", "user:users-admin"));
    }

    @Test
    void aResetGivesANewPasswordOnceAndEndsTheUsersSessions() {
        StaffClient admin = admin();
        StaffClient op = new StaffClient(service.base());
        op.login("users-op2", "operator password 2");
        TestService.Response r = admin.send("POST", "/api/v1/admin/users/users-op2/password-reset", new JsonObject(), true);
        assertEquals(200, r.status(), r.body());
        assertEquals("no-store", r.headers().get("cache-control").get(0));
        String password = r.json().getString("password");
        assertEquals(16, password.length());
        assertTrue(r.json().getInteger("sessionsEnded") >= 1);
        assertEquals(401, op.send("GET", "/api/v1/staff/me", null, false).status(), "the old session ended");
        assertEquals(401, new StaffClient(service.base()).send("POST", "/api/v1/staff/login",
                new JsonObject().put("name", "users-op2").put("password", "operator password 2"), false).status());
        new StaffClient(service.base()).login("users-op2", password);
        assertEquals(1, auditRows("user.password_reset", "user:users-op2"));
        // the audit row never holds the password
        try (Connection c = TestDatabase.connect(service.database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_log WHERE coalesce(after::text, '') LIKE '%" + password + "%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        // another reset gives another password
        assertNotEquals(password, admin.send("POST", "/api/v1/admin/users/users-op2/password-reset", null, true).json().getString("password"));
    }

    /**
     * Two administrators disabling each other at the same moment: the administrators are locked
     * in the transaction, so the second finds only its target left and is refused. Run one after
     * the other on the store, as the lock orders them.
     */
    @Test
    void theLastAdministratorIsNeverDisabled() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Database db = new Database(TestDatabase.fresh(), null);
            db.migrate();
            Pool pool = db.pool(vertx, 1);
            PgUserStore store = new PgUserStore(pool);
            byte[] t1 = new byte[32];
            byte[] t2 = new byte[32];
            t2[0] = 1;
            AuditEntry audit = new AuditEntry("x", "admin", "user.disable", "user:x", null, null, null);
            store.create("adm-a", Principal.Role.ADMIN, t1, null, null).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            store.create("adm-b", Principal.Role.ADMIN, t2, null, null).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(UserStore.Change.DONE, store.setDisabled("adm-a", true, audit).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).change());
            assertEquals(UserStore.Change.LAST_ADMIN, store.setDisabled("adm-b", true, audit).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).change());
            JsonArray enabled = new JsonArray();
            store.list().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                    .filter(u -> !u.disabled()).forEach(u -> enabled.add(u.name()));
            assertEquals(new JsonArray().add("adm-b"), enabled);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
