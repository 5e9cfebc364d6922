package madoguchi.app;

import io.vertx.core.Future;

import java.util.Optional;

public interface UserStore {

    /** Creates the user with one API token (given as its digest); fails with {@link SiteStore.Conflict} if taken. */
    Future<Void> create(String name, Principal.Role role, byte[] tokenDigest, String passwordHash);

    Future<Optional<Principal>> byTokenDigest(byte[] digest);
}
