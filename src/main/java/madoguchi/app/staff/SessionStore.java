package madoguchi.app.staff;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Optional;

/** Web console sessions, kept as digests of their ids. */
public interface SessionStore {

    record Stored(Principal principal, byte[] csrfDigest, Instant createdAt, Instant lastSeenAt) {
    }

    Future<Void> create(byte[] idDigest, String userName, byte[] csrfDigest, Instant now);

    /** The session and its (not disabled) user. */
    Future<Optional<Stored>> find(byte[] idDigest);

    Future<Void> touch(byte[] idDigest, Instant now);

    Future<Void> delete(byte[] idDigest);

    /** Removes sessions not seen since {@code idleBefore} or created before {@code createdBefore}; returns how many. */
    Future<Integer> purge(Instant idleBefore, Instant createdBefore);
}
