package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.CardRef;
import madoguchi.app.Principal;
import madoguchi.app.ResidentTokens;
import madoguchi.app.Users;

/**
 * Who is asking. Residents carry a signed token from verification; operators and administrators
 * an API token. A resident's token reaches nothing of operators, an operator's nothing of admins.
 */
final class Guard {
    static final String PRINCIPAL = "principal";
    private final ResidentTokens tokens;
    private final Users users;

    Guard(ResidentTokens tokens, Users users) {
        this.tokens = tokens;
        this.users = users;
    }

    CardRef resident(RoutingContext ctx) {
        return tokens.verify(bearer(ctx)).orElseThrow(() -> new Problem(401, "unauthorized",
                "Verify your notice number and birth date first (the token is missing, invalid or expired)."));
    }

    /** Lets the request through to the next handler when its user has the role; else 401 or 403. */
    void require(RoutingContext ctx, Principal.Role role) {
        String token = bearer(ctx);
        if (token == null) {
            Answers.error(ctx, 401, "unauthorized", "An operator or administrator API token is required.");
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
