package madoguchi.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every answer carries: no sniffing, no framing, no referrer, a content security policy
 * that allows only the service's own scripts and styles, no caching of API answers, and HSTS when
 * the service is reached over https.
 * No CORS header is ever sent: other origins cannot call the API from a browser.
 */
final class SecurityHeaders {
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    // encoded once: every answer carries them, and re-encoding the strings per answer showed in profiles
    private static final CharSequence[] ALWAYS = {
            HttpHeaders.createOptimized("X-Content-Type-Options"), HttpHeaders.createOptimized("nosniff"),
            HttpHeaders.createOptimized("X-Frame-Options"), HttpHeaders.createOptimized("DENY"),
            HttpHeaders.createOptimized("Referrer-Policy"), HttpHeaders.createOptimized("no-referrer"),
            HttpHeaders.createOptimized("Content-Security-Policy"), HttpHeaders.createOptimized(POLICY),
            HttpHeaders.createOptimized("Permissions-Policy"), HttpHeaders.createOptimized("camera=(), microphone=(), geolocation=()")};
    private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

    static final String HSTS = "max-age=31536000; includeSubDomains";
    private static final CharSequence STRICT_TRANSPORT = HttpHeaders.createOptimized("Strict-Transport-Security");
    private static final CharSequence HSTS_VALUE = HttpHeaders.createOptimized(HSTS);

    private SecurityHeaders() {
    }

    /**
     * The handler for this service: when it is reached over https ({@code PUBLIC_BASE_URL}), every
     * answer also tells browsers to use https only, for a year, subdomains included.
     */
    static io.vertx.core.Handler<RoutingContext> of(boolean https) {
        return https ? SecurityHeaders::handleStrict : SecurityHeaders::handle;
    }

    private static void handleStrict(RoutingContext ctx) {
        ctx.response().headers().set(STRICT_TRANSPORT, HSTS_VALUE);
        handle(ctx);
    }

    static void handle(RoutingContext ctx) {
        MultiMap h = ctx.response().headers();
        for (int i = 0; i < ALWAYS.length; i += 2) {
            h.set(ALWAYS[i], ALWAYS[i + 1]);
        }
        if (ctx.request().path().startsWith("/api/")) {
            h.set(CACHE_CONTROL, NO_STORE);
        }
        ctx.next();
    }
}
