package madoguchi.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries: no sniffing, no framing, no referrer, a content security policy
 * that allows only the service's own scripts and styles, and no caching of API answers.
 * No CORS header is ever sent: other origins cannot call the API from a browser.
 */
final class SecurityHeaders {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    private SecurityHeaders() {
    }

    static void handle(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", POLICY);
        h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (ctx.request().path().startsWith("/api/")) {
            h.set("Cache-Control", "no-store");
        }
        ctx.next();
    }
}
