package madoguchi.app.staff;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface UserStore {

    /** Creates the user and writes {@code audit} (when not null) in the same transaction. */
    Future<Void> create(String name, Principal.Role role, byte[] tokenDigest, String passwordHash, madoguchi.app.AuditEntry audit);

    Future<Optional<Principal>> byTokenDigest(byte[] digest);

    /** A user who may sign in to the web console, with the stored password hash (null when none is set). */
    record Login(Principal principal, String passwordHash) {
        @Override
        public String toString() {
            return "Login[" + principal + "]"; // never the hash
        }
    }

    /** The (not disabled) user of that name. */
    Future<Optional<Login>> login(String name);

    /** A staff user as the users page lists them: never a hash or a token. */
    record Listed(String name, Principal.Role role, boolean disabled, boolean consoleSignIn, Instant createdAt, int sessions) {
    }

    /** Every staff user, by name. */
    Future<List<Listed>> list();

    /** What became of a change to a user ({@code OWN_ACCOUNT}: an administrator may not disable themself). */
    enum Change { DONE, NOT_FOUND, LAST_ADMIN, OWN_ACCOUNT }

    /** A user's change and how many of their console sessions it ended. */
    record Changed(Change change, int sessionsEnded) {
    }

    /**
     * Disables or enables the user, with {@code audit} in the same transaction. Disabling ends all
     * their console sessions in it too, and is refused ({@link Change#LAST_ADMIN}) for the last
     * administrator not disabled, so that someone can always administer.
     */
    Future<Changed> setDisabled(String name, boolean disabled, madoguchi.app.AuditEntry audit);

    /** Sets the user's password hash and ends all their console sessions, with {@code audit}, in one transaction. */
    Future<Changed> setPassword(String name, String passwordHash, madoguchi.app.AuditEntry audit);
}
