package madoguchi.app.staff;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/** Operators and administrators: creating them, and knowing who an API token belongs to. */
public final class Users {
    private final UserStore store;
    // a token is looked up once a minute at most, not on every request
    private final Cache<String, Optional<Principal>> byToken = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(60)).build();

    public Users(UserStore store) {
        this.store = store;
    }

    public record Created(String name, Principal.Role role, String token) {
    }

    public Future<Created> create(String name, Principal.Role role) {
        return create(name, role, null);
    }

    /** With a password hash (see {@link Passwords}) the user may also sign in to the web console. */
    public Future<Created> create(String name, Principal.Role role, String passwordHash) {
        return create(name, role, passwordHash, null);
    }

    /** As above; {@code audit} (when not null) is written in the same transaction as the user. */
    public Future<Created> create(String name, Principal.Role role, String passwordHash, madoguchi.app.AuditEntry audit) {
        String token = ApiTokens.fresh();
        return store.create(name, role, ApiTokens.digest(token), passwordHash, audit).map(v -> new Created(name, role, token));
    }

    /** Every staff user, by name. */
    public Future<java.util.List<UserStore.Listed>> list() {
        return store.list();
    }

    /**
     * Disables or enables a user (audited in the same transaction). A disabled user's sessions end
     * in that transaction; their API tokens stop working at once on this instance (the cache is
     * emptied) and within a minute on the others.
     */
    public Future<UserStore.Changed> setDisabled(String name, boolean disabled, madoguchi.app.AuditEntry audit) {
        return store.setDisabled(name, disabled, audit).onSuccess(c -> byToken.invalidateAll());
    }

    /** A new password hash for the user; their sessions end (audited in the same transaction). */
    public Future<UserStore.Changed> setPassword(String name, String passwordHash, madoguchi.app.AuditEntry audit) {
        return store.setPassword(name, passwordHash, audit);
    }

    /** The user and stored password hash for a console sign-in (the caller checks the password off the event loop). */
    public Future<Optional<UserStore.Login>> login(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            return Future.succeededFuture(Optional.empty());
        }
        return store.login(name);
    }

    public Future<Optional<Principal>> authenticate(String token) {
        if (token == null || token.length() < 16 || token.length() > 200) {
            return Future.succeededFuture(Optional.empty());
        }
        byte[] digest = ApiTokens.digest(token);
        String key = HexFormat.of().formatHex(digest);
        Optional<Principal> known = byToken.getIfPresent(key);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return store.byTokenDigest(digest).onSuccess(p -> byToken.put(key, p));
    }
}
