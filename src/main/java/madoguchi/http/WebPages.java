package madoguchi.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
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
import java.util.Locale;
import java.util.Map;

/**
 * The resident page: {@code /} in Japanese or English and its few assets under {@code /assets/},
 * read once from the classpath ({@code web/}) and kept in memory. The page links each asset with
 * its content hash ({@code ?v=}), so assets may be cached for a year while the page itself is
 * revalidated on every visit. The language is chosen here (so {@code <html lang>} is right
 * before any script runs): {@code ?lang=}, then the {@code lang} cookie the page's switch sets,
 * then Accept-Language; Japanese when nothing says otherwise.
 */
final class WebPages {
    static final List<String> ASSETS = List.of("app.js", "texts.js", "style.css");
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Map<String, Asset> assets;
    private final Map<String, Asset> pages;
    private final Asset notFound;

    private record Asset(byte[] bytes, String type, String etag, String version) {
    }

    private WebPages(Map<String, Asset> assets, Map<String, Asset> pages, Asset notFound) {
        this.assets = assets;
        this.pages = pages;
        this.notFound = notFound;
    }

    /** Reads the page and its assets from the classpath; fails at start-up when one is missing. */
    static WebPages load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : ASSETS) {
            assets.put(name, asset(read(name), type(name)));
        }
        String page = new String(read("index.html"), StandardCharsets.UTF_8);
        for (var e : assets.entrySet()) {
            page = page.replace("{{v:" + e.getKey() + "}}", e.getValue().version());
        }
        Map<String, Asset> pages = new LinkedHashMap<>();
        for (String lang : List.of("ja", "en")) {
            String localized = page.replace("<html lang=\"ja\">", "<html lang=\"" + lang + "\">");
            pages.put(lang, asset(localized.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
        }
        return new WebPages(assets, pages, asset(read("404.html"), "text/html; charset=utf-8"));
    }

    void mount(Router router) {
        router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::page);
        router.route("/index.html").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.redirect("/"));
        router.route("/assets/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::asset);
    }

    private void page(RoutingContext ctx) {
        String lang = language(ctx.request().getParam("lang"), cookie(ctx, "lang"), ctx.request().getHeader("Accept-Language"));
        HttpServerResponse r = ctx.response();
        r.putHeader("Cache-Control", "no-cache");
        r.putHeader("Vary", "Accept-Language, Cookie");
        r.putHeader("Content-Language", lang);
        send(ctx, pages.get(lang));
    }

    private void asset(RoutingContext ctx) {
        Asset a = assets.get(ctx.pathParam("name"));
        if (a == null) {
            ctx.next(); // on to the 404 of the router
            return;
        }
        boolean current = a.version().equals(ctx.request().getParam("v"));
        ctx.response().putHeader("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
        send(ctx, a);
    }

    private static void send(RoutingContext ctx, Asset a) {
        HttpServerResponse r = ctx.response();
        r.putHeader("ETag", a.etag());
        r.putHeader("X-Content-Type-Options", "nosniff");
        r.putHeader("Referrer-Policy", "no-referrer");
        r.putHeader("Content-Security-Policy", SECURITY_POLICY);
        String match = ctx.request().getHeader("If-None-Match");
        if (match != null && (match.equals(a.etag()) || match.equals("W/" + a.etag()))) {
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

    /** A page for people: unknown paths get a short bilingual HTML 404 when a browser asks for HTML. */
    boolean notFound(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (ctx.request().path().startsWith("/api/") || accept == null || !accept.contains("text/html")) {
            return false;
        }
        ctx.response().setStatusCode(404).putHeader("Cache-Control", "no-cache");
        send(ctx, notFound);
        return true;
    }

    /** ja or en: an explicit choice first, then the best of the two in Accept-Language, else ja. */
    static String language(String query, String cookie, String acceptLanguage) {
        for (String choice : new String[] {query, cookie}) {
            if ("ja".equals(choice) || "en".equals(choice)) {
                return choice;
            }
        }
        if (acceptLanguage == null) {
            return "ja";
        }
        double ja = -1;
        double en = -1;
        for (String part : acceptLanguage.split(",")) {
            String[] bits = part.trim().split(";");
            String tag = bits[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < bits.length; i++) {
                String p = bits[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (tag.equals("ja") || tag.startsWith("ja-")) {
                ja = Math.max(ja, q);
            } else if (tag.equals("en") || tag.startsWith("en-")) {
                en = Math.max(en, q);
            }
        }
        return en > 0 && en > ja ? "en" : "ja";
    }

    private static String cookie(RoutingContext ctx, String name) {
        var c = ctx.request().getCookie(name);
        return c == null ? null : c.getValue();
    }

    private static Asset asset(byte[] bytes, String type) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            return new Asset(bytes, type, "\"" + hash + "\"", hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = WebPages.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read web/" + name, e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
