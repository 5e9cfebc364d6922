package madoguchi.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrators' reports page ({@code /admin/reports}): static HTML, JavaScript and CSS from
 * {@code web/admin/}, read once. The page itself holds no data; it calls the admin API with the
 * administrator's token (or, once the console's login exists, its session cookie).
 */
final class ReportsPage {
    static final List<String> ASSETS = List.of("reports.js", "reports.css");
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private record Asset(byte[] bytes, String type, String etag) {
    }

    private final Map<String, Asset> assets;
    private final Asset page;

    private ReportsPage(Map<String, Asset> assets, Asset page) {
        this.assets = assets;
        this.page = page;
    }

    static ReportsPage load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : ASSETS) {
            assets.put(name, asset(read(name), name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8"));
        }
        String html = new String(read("reports.html"), StandardCharsets.UTF_8);
        for (var e : assets.entrySet()) {
            html = html.replace("{{v:" + e.getKey() + "}}", e.getValue().etag().replace("\"", ""));
        }
        return new ReportsPage(assets, asset(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
    }

    void mount(Router router) {
        router.route("/admin/reports").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> send(ctx, page, false));
        router.route("/admin/assets/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            Asset a = assets.get(ctx.pathParam("name"));
            if (a == null) {
                ctx.next();
            } else {
                send(ctx, a, a.etag().replace("\"", "").equals(ctx.request().getParam("v")));
            }
        });
    }

    private static void send(RoutingContext ctx, Asset a, boolean immutable) {
        var r = ctx.response();
        r.putHeader("Cache-Control", immutable ? "private, max-age=31536000, immutable" : "no-cache");
        r.putHeader("ETag", a.etag());
        r.putHeader("Content-Security-Policy", SECURITY_POLICY);
        String match = ctx.request().getHeader("If-None-Match");
        if (a.etag().equals(match)) {
            r.setStatusCode(304).end();
            return;
        }
        r.putHeader("Content-Type", a.type());
        if (ctx.request().method() == HttpMethod.HEAD) {
            r.putHeader("Content-Length", Integer.toString(a.bytes().length)).end();
        } else {
            r.end(Buffer.buffer(a.bytes()));
        }
    }

    private static Asset asset(byte[] bytes, String type) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, type, "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = ReportsPage.class.getResourceAsStream("/web/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing web/admin/" + name + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read web/admin/" + name, e);
        }
    }
}
