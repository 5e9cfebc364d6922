package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.staff.ApiTokens;
import madoguchi.app.staff.Principal;
import madoguchi.app.sites.SiteStore;
import madoguchi.app.staff.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

public final class PgUserStore implements UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgUserStore.class);
    private final Pool pool;

    public PgUserStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Void> create(String name, Principal.Role role, byte[] tokenDigest, String passwordHash, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3)")
                .execute(Tuple.of(name, role.wire(), passwordHash))
                .compose(v -> conn.preparedQuery("INSERT INTO api_tokens (token_hash, user_name) VALUES ($1, $2)")
                        .execute(Tuple.of(Buffer.buffer(tokenDigest), name)))
                .compose(v -> audit == null ? Future.succeededFuture() : PgAudit.insert(conn, audit)))
                .<Void>mapEmpty()
                .recover(e -> e instanceof PgException && "23505".equals(((PgException) e).getSqlState())
                        ? Future.failedFuture(new SiteStore.Conflict("a user named '" + name + "' already exists"))
                        : Future.failedFuture(e));
    }

    @Override
    public Future<Optional<Principal>> byTokenDigest(byte[] digest) {
        return pool.preparedQuery("SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.name = t.user_name"
                        + " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled")
                .execute(Tuple.of(Buffer.buffer(digest)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Principal.Role.fromWire(r.getString("role")).map(role -> new Principal(r.getString("name"), role));
                });
    }

    @Override
    public Future<Optional<Login>> login(String name) {
        return pool.preparedQuery("SELECT name, role, password_hash FROM users WHERE name = $1 AND NOT disabled")
                .execute(Tuple.of(name))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Principal.Role.fromWire(r.getString("role"))
                            .map(role -> new Login(new Principal(r.getString("name"), role), r.getString("password_hash")));
                });
    }

    @Override
    public Future<java.util.List<Listed>> list() {
        return pool.query("SELECT u.name, u.role, u.disabled, u.password_hash IS NOT NULL AS console, u.created_at,"
                        + " (SELECT count(*) FROM staff_sessions s WHERE s.user_name = u.name) AS sessions FROM users u ORDER BY u.name")
                .execute()
                .map(rows -> {
                    java.util.List<Listed> out = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        Principal.Role.fromWire(r.getString("role")).ifPresent(role -> out.add(new Listed(r.getString("name"), role,
                                r.getBoolean("disabled"), r.getBoolean("console"), Rows.instant(r.getOffsetDateTime("created_at")),
                                r.getLong("sessions").intValue())));
                    }
                    return out;
                });
    }

    @Override
    public Future<Changed> setDisabled(String name, boolean disabled, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn
                // the administrators not disabled, locked: two admins disabling each other at once cannot both pass
                .preparedQuery("SELECT name FROM users WHERE role = 'admin' AND NOT disabled ORDER BY name FOR UPDATE")
                .execute()
                .compose(admins -> {
                    java.util.Set<String> enabledAdmins = new java.util.HashSet<>();
                    admins.forEach(r -> enabledAdmins.add(r.getString("name")));
                    if (disabled && enabledAdmins.size() == 1 && enabledAdmins.contains(name)) {
                        return Future.succeededFuture(new Changed(Change.LAST_ADMIN, 0));
                    }
                    return conn.preparedQuery("UPDATE users SET disabled = $2 WHERE name = $1").execute(Tuple.of(name, disabled))
                            .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture(new Changed(Change.NOT_FOUND, 0))
                                    : endSessions(conn, name, disabled)
                                    .compose(ended -> PgAudit.insert(conn, audit).map(v -> new Changed(Change.DONE, ended))));
                }));
    }

    @Override
    public Future<Changed> setPassword(String name, String passwordHash, madoguchi.app.AuditEntry audit) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("UPDATE users SET password_hash = $2 WHERE name = $1").execute(Tuple.of(name, passwordHash))
                .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture(new Changed(Change.NOT_FOUND, 0))
                        : endSessions(conn, name, true)
                        .compose(ended -> PgAudit.insert(conn, audit).map(v -> new Changed(Change.DONE, ended)))));
    }

    /** Ends every console session of the user (when {@code end}); returns how many. */
    private static Future<Integer> endSessions(io.vertx.sqlclient.SqlConnection conn, String name, boolean end) {
        return !end ? Future.succeededFuture(0) : conn.preparedQuery("DELETE FROM staff_sessions WHERE user_name = $1")
                .execute(Tuple.of(name)).map(r -> r.rowCount());
    }

    /**
     * For the command line: creates a user with a password hash and one API token (given as its
     * digest), audited as done by 'command-line'. Returns false when the name is taken (nothing is changed then).
     */
    public static boolean add(Connection c, String name, Principal.Role role, String passwordHash, byte[] tokenDigest)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setString(2, role.wire());
                s.setString(3, passwordHash);
                if (s.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (token_hash, user_name) VALUES (?, ?)")) {
                s.setBytes(1, tokenDigest);
                s.setString(2, name);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (actor, role, action, target, after)"
                    + " VALUES ('command-line', 'admin', 'user.create', ?, jsonb_build_object('name', ?::text, 'role', ?::text, 'consoleSignIn', true))")) {
                s.setString(1, "user:" + name);
                s.setString(2, name);
                s.setString(3, role.wire());
                s.executeUpdate();
            }
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Demo only: makes sure a staff user with a console password exists (its password is in docs/operators.md). */
    public static void ensureDemoStaff(Connection c, String name, Principal.Role role, java.util.function.Supplier<String> hash)
            throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM users WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, role.wire());
            s.setString(3, hash.get());
            s.executeUpdate();
        }
    }

    /**
     * At start: makes sure the bootstrap administrator exists. With a configured token, that
     * token works; without one and with no administrator yet, a token is made and returned
     * (to be printed once). Returns null when nothing new needs to be shown.
     */
    public static String bootstrap(Connection c, Optional<String> configuredToken) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO users (name, role) VALUES ('bootstrap', 'admin') ON CONFLICT (name) DO NOTHING")) {
            s.executeUpdate();
        }
        if (configuredToken.isPresent()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (token_hash, user_name)"
                    + " VALUES (?, 'bootstrap') ON CONFLICT (token_hash) DO NOTHING")) {
                s.setBytes(1, ApiTokens.digest(configuredToken.get()));
                s.executeUpdate();
            }
            return null;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM api_tokens t JOIN users u ON u.name = t.user_name"
                + " WHERE u.role = 'admin' AND t.revoked_at IS NULL");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return null;
            }
        }
        String token = ApiTokens.fresh();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO api_tokens (token_hash, user_name) VALUES (?, 'bootstrap')")) {
            s.setBytes(1, ApiTokens.digest(token));
            s.executeUpdate();
        }
        LOG.debug("bootstrap administrator token created");
        return token;
    }
}
