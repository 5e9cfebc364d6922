package madoguchi.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses, before any handler reads them, a query parameter (name or value) or a path segment that
 * decodes to a control character or a lone surrogate (see {@link Inputs#controlAt}): 400
 * invalid_request naming the parameter. Here rather than in each handler, so none can forget;
 * JSON fields are checked by {@link Inputs}, Twilio's form fields by {@link TwilioWebhooks}.
 */
final class ControlCharacters implements Handler<RoutingContext> {
    /** A name safe to repeat in the answer; any other is described, not quoted. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    private final Router router;
    private volatile List<String[]> templates;

    ControlCharacters(Router router) {
        this.router = router;
    }

    @Override
    public void handle(RoutingContext ctx) {
        for (Map.Entry<String, String> q : ctx.queryParams()) {
            if (Inputs.controlAt(q.getKey()) >= 0) {
                throw Problem.badRequest("A query parameter's name must not contain control characters.");
            }
            if (Inputs.controlAt(q.getValue()) >= 0) {
                throw Problem.badRequest(named(q.getKey(), "query parameter") + " must not contain control characters.");
            }
        }
        String[] segments = ctx.request().path() == null ? new String[0] : ctx.request().path().split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (Inputs.controlAt(decoded(segments[i])) >= 0) {
                throw Problem.badRequest(named(parameterAt(segments, i), "path parameter") + " must not contain control characters.");
            }
        }
        ctx.next();
    }

    private static String named(String name, String kind) {
        return name != null && NAME.matcher(name).matches() ? "'" + name + "'" : "A " + kind;
    }

    /** The name of the route parameter ({@code :slotId}) the segment at {@code index} fills, if a route says. */
    private String parameterAt(String[] segments, int index) {
        for (String[] template : templates()) {
            if (template.length != segments.length || !template[index].startsWith(":")) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < template.length && same; i++) {
                same = i == index || template[i].startsWith(":") || template[i].equals(segments[i]);
            }
            if (same) {
                return template[index].substring(1);
            }
        }
        return null;
    }

    /** The routes' paths with parameters, split into segments (read once, after every route is mounted). */
    private List<String[]> templates() {
        List<String[]> t = templates;
        if (t == null) {
            t = new ArrayList<>();
            for (Route route : router.getRoutes()) {
                String path = route.getPath();
                if (path != null && path.contains("/:")) {
                    t.add(path.split("/", -1));
                }
            }
            templates = t;
        }
        return t;
    }

    /**
     * A path segment percent-decoded as UTF-8; a malformed sequence becomes U+FFFD (never a lone
     * surrogate), and a '%' not followed by two hex digits stays as it is.
     */
    static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length() && hex(segment.charAt(i + 1)) >= 0 && hex(segment.charAt(i + 2)) >= 0) {
                bytes.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
                i += 2;
                continue;
            }
            flush(bytes, out);
            out.append(c);
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
