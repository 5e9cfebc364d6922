package madoguchi.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resident page: {@code /} in Japanese or English and its few assets under {@code /assets/},
 * read once from the classpath ({@code web/}) and kept in memory. The page links each asset with
 * its content hash ({@code ?v=}), so assets may be cached for a year while the page itself is
 * revalidated on every visit. The language is chosen here (so {@code <html lang>} is right
 * before any script runs): {@code ?lang=}, then the {@code lang} cookie the page's switch sets,
 * then Accept-Language; Japanese when nothing says otherwise.
 *
 * <p>The page's script is a set of ES modules ({@code <script type="module">}, no bundler) that
 * import each other by relative paths. They are versioned together: each module's imports are
 * rewritten to carry {@code ?v=} the hash of all modules, so a changed module changes every URL
 * and a browser never mixes an old module with a new one (nor loads one module twice under two
 * URLs, which would split its state).
 */
final class WebPages {
    /** The page's ES modules; {@code app.js} is the one the page loads, it imports the others. */
    static final List<String> MODULES = List.of("app.js", "state.js", "i18n.js", "texts.js", "time.js", "api.js", "page.js",
            "verify.js", "manage.js", "calendar.js", "slots.js", "booking.js", "waitlist.js", "session.js", "keep.js");
    static final List<String> ASSETS = List.of("style.css", "keep.css");
    /** {@code from './x.js'} and {@code import './x.js'}: a relative import of one of the page's modules. */
    private static final Pattern IMPORT = Pattern.compile("((?:\\bfrom|^import)\\s*)'(\\./[A-Za-z0-9_-]+\\.js)'", Pattern.MULTILINE);

    private final Map<String, WebAsset> assets;
    private final Map<String, WebAsset> pages;
    private final WebAsset notFound;
    private final WebAsset icon = WebAsset.file("favicon.svg");

    private WebPages(Map<String, WebAsset> assets, Map<String, WebAsset> pages, WebAsset notFound) {
        this.assets = assets;
        this.pages = pages;
        this.notFound = notFound;
    }

    /** Reads the page and its assets from the classpath; fails at start-up when one is missing. */
    static WebPages load() {
        Map<String, WebAsset> assets = new LinkedHashMap<>();
        assets.putAll(modules());
        for (String name : ASSETS) {
            assets.put(name, WebAsset.file(name));
        }
        String page = WebAsset.text("index.html");
        for (var e : assets.entrySet()) {
            page = page.replace("{{v:" + e.getKey() + "}}", e.getValue().version());
        }
        return new WebPages(assets, localized(page), WebAsset.file("404.html"));
    }

    /** The modules, each import carrying the version of the whole set, and each module known by that version. */
    static Map<String, WebAsset> modules() {
        Map<String, String> sources = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        for (String name : MODULES) {
            String text = WebAsset.text(name);
            sources.put(name, text);
            all.append(name).append('\0').append(text).append('\0');
        }
        String version = WebAsset.of(all.toString(), WebAsset.JS).version();
        Map<String, WebAsset> out = new LinkedHashMap<>();
        sources.forEach((name, text) -> {
            Matcher m = IMPORT.matcher(text);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                if (!MODULES.contains(m.group(2).substring(2))) {
                    throw new IllegalStateException("web/" + name + " imports " + m.group(2) + ", which is not in WebPages.MODULES");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + "'" + m.group(2) + "?v=" + version + "'"));
            }
            m.appendTail(b);
            out.put(name, WebAsset.of(b.toString(), WebAsset.JS).withVersion(version));
        });
        return out;
    }

    /** The page in each language, {@code <html lang>} set (pages are written with {@code lang="ja"}). */
    static Map<String, WebAsset> localized(String page) {
        Map<String, WebAsset> pages = new LinkedHashMap<>();
        for (String lang : List.of("ja", "en")) {
            pages.put(lang, WebAsset.of(page.replace("<html lang=\"ja\">", "<html lang=\"" + lang + "\">"), WebAsset.HTML));
        }
        return pages;
    }

    void mount(Router router) {
        router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::page);
        router.route("/index.html").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.redirect("/"));
        router.route("/assets/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::asset);
        // every page (resident, staff, board, reports) links /favicon.svg; /favicon.ico is what
        // browsers and monitors ask for without a link: the same small SVG, not a 404 on each visit
        for (String path : List.of("/favicon.svg", "/favicon.ico")) {
            router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
                ctx.response().putHeader("Cache-Control", "public, max-age=86400");
                icon.send(ctx);
            });
        }
    }

    private void page(RoutingContext ctx) {
        String lang = language(ctx.request().getParam("lang"), cookie(ctx, "lang"), ctx.request().getHeader("Accept-Language"));
        HttpServerResponse r = ctx.response();
        r.putHeader("Cache-Control", "no-cache");
        r.putHeader("Vary", "Accept-Language, Cookie");
        r.putHeader("Content-Language", lang);
        pages.get(lang).send(ctx);
    }

    private void asset(RoutingContext ctx) {
        WebAsset a = assets.get(ctx.pathParam("name"));
        if (a == null) {
            ctx.next(); // on to the 404 of the router
            return;
        }
        boolean current = a.version().equals(ctx.request().getParam("v"));
        ctx.response().putHeader("Cache-Control", current ? "public, max-age=31536000, immutable" : "no-cache");
        a.send(ctx);
    }

    /** A page for people: unknown paths get a short bilingual HTML 404 when a browser asks for HTML. */
    boolean notFound(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (ctx.request().path().startsWith("/api/") || accept == null || !accept.contains("text/html")) {
            return false;
        }
        ctx.response().setStatusCode(404).putHeader("Cache-Control", "no-cache");
        notFound.send(ctx);
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
}
