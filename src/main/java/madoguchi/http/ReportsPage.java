package madoguchi.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrators' reports page ({@code /admin/reports}): static HTML, JavaScript and CSS from
 * {@code web/admin/}, read once. The page itself holds no data; it calls the admin API with the
 * administrator's token or the console's session cookie. Its links carry each asset's hash, so
 * the assets may be cached for a year.
 */
final class ReportsPage {
    static final List<String> ASSETS = List.of("reports.js", "reports.css");

    private final Map<String, WebAsset> assets;
    private final Map<String, WebAsset> page;

    private ReportsPage(Map<String, WebAsset> assets, Map<String, WebAsset> page) {
        this.assets = assets;
        this.page = page;
    }

    static ReportsPage load() {
        Map<String, WebAsset> assets = new LinkedHashMap<>();
        for (String name : ASSETS) {
            assets.put(name, WebAsset.file("admin/" + name));
        }
        String html = WebAsset.text("admin/reports.html");
        for (var e : assets.entrySet()) {
            html = html.replace("{{v:" + e.getKey() + "}}", e.getValue().version());
        }
        return new ReportsPage(assets, WebPages.localized(html));
    }

    void mount(Router router) {
        // in the staff pages' language: ?lang=, then their lang cookie, then the browser's
        router.route("/admin/reports").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            String lang = WebPages.language(ctx.request().getParam("lang"), Guard.cookie(ctx, "lang"),
                    ctx.request().getHeader("Accept-Language"));
            ctx.response().putHeader("Cache-Control", "no-cache").putHeader("Content-Language", lang)
                    .putHeader("Vary", "Accept-Language, Cookie");
            page.get(lang).send(ctx);
        });
        router.route("/admin/assets/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            WebAsset a = assets.get(ctx.pathParam("name"));
            if (a == null) {
                ctx.next();
                return;
            }
            boolean current = a.version().equals(ctx.request().getParam("v"));
            ctx.response().putHeader("Cache-Control", current ? "private, max-age=31536000, immutable" : "no-cache");
            a.send(ctx);
        });
    }
}
