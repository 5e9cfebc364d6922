package madoguchi.app.staff;

import io.vertx.core.Future;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Signed-in operators and administrators of the web console. A session has a random id (the
 * {@code madoguchi_session} cookie) and a random CSRF token (the readable {@code madoguchi_csrf}
 * cookie, echoed by the page in {@code X-CSRF-Token}); both are stored only as SHA-256 digests.
 * A session ends after {@code idle} without a request or {@code absolute} after sign-in.
 */
public final class StaffSessions {
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private final SessionStore store;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    public StaffSessions(SessionStore store, Clock clock, Duration idle, Duration absolute) {
        this.store = store;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    public record Started(String sessionId, String csrfToken, Principal principal, Duration maxAge) {
    }

    /** A live session: who it is and the digest its CSRF token must match. */
    public record Live(Principal principal, byte[] csrfDigest) {
        public boolean csrfMatches(String token) {
            return token != null && token.length() <= 200 && MessageDigest.isEqual(ApiTokens.digest(token), csrfDigest);
        }
    }

    public Future<Started> start(Principal who) {
        String id = ApiTokens.fresh();
        String csrf = ApiTokens.fresh();
        return store.create(ApiTokens.digest(id), who.name(), ApiTokens.digest(csrf), clock.instant())
                .map(v -> new Started(id, csrf, who, absolute));
    }

    public Future<Optional<Live>> find(String sessionId) {
        if (sessionId == null || sessionId.length() < 16 || sessionId.length() > 200) {
            return Future.succeededFuture(Optional.empty());
        }
        byte[] digest = ApiTokens.digest(sessionId);
        Instant now = clock.instant();
        return store.find(digest).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(Optional.<Live>empty());
            }
            SessionStore.Stored s = found.get();
            if (!now.isBefore(s.lastSeenAt().plus(idle)) || !now.isBefore(s.createdAt().plus(absolute))) {
                return store.delete(digest).map(v -> Optional.<Live>empty());
            }
            Live live = new Live(s.principal(), s.csrfDigest());
            if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) < 0) {
                return Future.succeededFuture(Optional.of(live));
            }
            return store.touch(digest, now).map(v -> Optional.of(live));
        });
    }

    public Future<Void> end(String sessionId) {
        if (sessionId == null || sessionId.length() > 200) {
            return Future.succeededFuture();
        }
        return store.delete(ApiTokens.digest(sessionId));
    }

    public Future<Integer> purgeExpired() {
        Instant now = clock.instant();
        return store.purge(now.minus(idle), now.minus(absolute));
    }
}
