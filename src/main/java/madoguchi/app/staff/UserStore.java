package madoguchi.app.staff;

import io.vertx.core.Future;

import java.util.Optional;

public interface UserStore {

    /** Creates the user with one API token (given as its digest); fails with {@link SiteStore.Conflict} if taken. */
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
}
