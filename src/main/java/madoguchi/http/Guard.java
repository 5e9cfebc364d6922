package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.CardRef;
import madoguchi.app.staff.Principal;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.app.staff.StaffSessions;
import madoguchi.app.staff.Users;
import io.vertx.core.http.HttpMethod;

/**
 * Who is asking. Residents carry a signed token from verification; operators and administrators
 * an API token, or (in the web console) the session cookie. A resident's token reaches nothing of
 * operators, an operator's nothing of admins. A request authenticated by the session cookie that
 * is not a GET/HEAD must carry the CSRF token in {@code X-CSRF-Token}, equal to the
 * {@code madoguchi_csrf} cookie and to the session's own token (double submit, bound to the
 * session), and must not come from another site ({@link SameOrigin}); a Bearer token needs
 * neither, since browsers never add it by themselves.
 */
final class Guard {
    static final String PRINCIPAL = "principal";
    static final String SESSION_COOKIE = "madoguchi_session";
    static final String CSRF_COOKIE = "madoguchi_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private final ResidentTokens tokens;
    private final Users users;
    private final StaffSessions sessions;
    private final java.util.Optional<java.net.URI> publicBase;

    Guard(ResidentTokens tokens, Users users, StaffSessions sessions, java.util.Optional<java.net.URI> publicBase) {
        this.tokens = tokens;
        this.users = users;
        this.sessions = sessions;
        this.publicBase = publicBase;
    }

    CardRef resident(RoutingContext ctx) {
        return tokens.verify(bearer(ctx)).orElseThrow(() -> new Problem(401, "unauthorized",
                "Verify your notice number and birth date first (the token is missing, invalid or expired)."));
    }

    /**
     * A route handler for operator routes that other classes mount: operators and administrators
     * only (the operator API's own guard may already have let the request in).
     */
    void operator(RoutingContext ctx) {
        if (principal(ctx) != null) {
            ctx.next();
        } else {
            require(ctx, Principal.Role.OPERATOR);
        }
    }

    /** Lets the request through to the next handler when its user has the role; else 401 or 403. */
    void require(RoutingContext ctx, Principal.Role role) {
        String token = bearer(ctx);
        if (token == null) {
            String session = cookie(ctx, SESSION_COOKIE);
            if (session == null) {
                Answers.error(ctx, 401, "unauthorized", "An operator or administrator API token (or a console sign-in) is required.");
                return;
            }
            bySession(ctx, session, role);
            return;
        }
        authenticate(token).onFailure(ctx::fail).onSuccess(found -> {
            if (found == null) {
                Answers.error(ctx, 401, "unauthorized", "The API token is not valid.");
            } else if (!found.may(role)) {
                Answers.error(ctx, 403, "forbidden", "This needs the " + role.wire() + " role.");
            } else {
                ctx.put(PRINCIPAL, found);
                ctx.next();
            }
        });
    }

    private void bySession(RoutingContext ctx, String session, Principal.Role role) {
        sessions.find(session).onFailure(ctx::fail).onSuccess(found -> {
            if (found.isEmpty()) {
                Answers.error(ctx, 401, "session_expired", "Your console session has ended; please sign in again.");
                return;
            }
            HttpMethod m = ctx.request().method();
            if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
                if (!SameOrigin.allows(ctx, publicBase)) {
                    SameOrigin.refuse(ctx);
                    return;
                }
                String header = ctx.request().getHeader(CSRF_HEADER);
                String cookie = cookie(ctx, CSRF_COOKIE);
                if (header == null || cookie == null || !java.security.MessageDigest.isEqual(
                        header.getBytes(java.nio.charset.StandardCharsets.UTF_8), cookie.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        || !found.get().csrfMatches(header)) {
                    Answers.error(ctx, 403, "csrf_failed", "The request lacks the console's CSRF token (X-CSRF-Token); reload the page.");
                    return;
                }
            }
            Principal who = found.get().principal();
            if (!who.may(role)) {
                Answers.error(ctx, 403, "forbidden", "This needs the " + role.wire() + " role.");
                return;
            }
            ctx.put(PRINCIPAL, who);
            ctx.next();
        });
    }

    static String cookie(RoutingContext ctx, String name) {
        var c = ctx.request().getCookie(name);
        return c == null || c.getValue().isEmpty() ? null : c.getValue();
    }

    private Future<Principal> authenticate(String token) {
        if (tokens.verify(token).isPresent()) {
            return Future.succeededFuture(null); // a resident's token is never a staff token
        }
        return users.authenticate(token).map(p -> p.orElse(null));
    }

    static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
