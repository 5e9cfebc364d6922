package madoguchi.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a state-changing console request that a browser sends on behalf of another site (a
 * self-submitting form, a script on another origin). Browsers say where a request comes from:
 * <ul>
 * <li>{@code Sec-Fetch-Site} (set by the browser, no page can change it): only {@code same-origin}
 * (and {@code none}, a request the user made themselves) pass; when it is sent it decides alone,
 * so that a proxy in front that rewrites the Host header does not matter;
 * <li>else {@code Origin}: it must be this service as the browser addressed it (scheme http or
 * https, and the host and port of the {@code Host} header; over TLS only https), or the origin
 * of {@code PUBLIC_BASE_URL} when that is set; {@code Origin: null} never passes;
 * <li>a request with neither comes from a program, not a browser (every browser in use sends
 * {@code Origin} on a cross-origin POST), and passes: the session cookie and CSRF token still
 * apply.
 * </ul>
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static boolean allows(RoutingContext ctx, Optional<URI> publicBase) {
        HttpServerRequest request = ctx.request();
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            String s = site.trim().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("none");
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        URI o;
        try {
            o = new URI(origin.trim());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        String scheme = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
        if (o.getHost() == null || (!scheme.equals("http") && !scheme.equals("https"))) {
            return false;
        }
        if (publicBase.isPresent() && sameOrigin(scheme, o, publicBase.get())) {
            return true;
        }
        return (scheme.equals("https") || !request.isSSL()) && sameHost(o, port(scheme, o.getPort()), request.getHeader("Host"));
    }

    static void refuse(RoutingContext ctx) {
        Answers.error(ctx, 403, "cross_origin", "Requests from another site are refused; open the console at its own address.");
    }

    private static boolean sameOrigin(String scheme, URI origin, URI base) {
        String baseScheme = base.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals(baseScheme) && origin.getHost().equalsIgnoreCase(base.getHost())
                && port(scheme, origin.getPort()) == port(baseScheme, base.getPort());
    }

    /** The Host header's host and port ({@code [::1]:8080}, {@code example.jp}); without a port, the origin's scheme's default. */
    private static boolean sameHost(URI origin, int originPort, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI h;
        try {
            h = new URI("http://" + host.trim());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (h.getHost() == null || !h.getHost().equalsIgnoreCase(origin.getHost())) {
            return false;
        }
        return (h.getPort() == -1 ? port(origin.getScheme().toLowerCase(Locale.ROOT), -1) : h.getPort()) == originPort;
    }

    private static int port(String scheme, int port) {
        return port != -1 ? port : scheme.equals("https") ? 443 : 80;
    }
}
