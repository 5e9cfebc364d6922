package madoguchi.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.sites.Sites;

import java.util.Locale;
import java.util.function.Function;

/**
 * Before a route that names a site: a site this instance does not know is looked for in the
 * database first (it may have been opened on another instance a moment ago), so that the route's
 * own "no such site" is only said of a site that does not exist. Misses share reads
 * ({@link Sites#reload}), so ids that do not exist cost one read at a time, not one each.
 * Whatever is wrong with the id itself is left for the route to say.
 */
final class SiteMisses {
    private SiteMisses() {
    }

    /** The site named in the path ({@code :siteId}). */
    static Handler<RoutingContext> inPath(Sites sites) {
        return of(sites, ctx -> ctx.pathParam("siteId"));
    }

    /** The site named by the query parameter {@code siteId}. */
    static Handler<RoutingContext> inQuery(Sites sites) {
        return of(sites, ctx -> ctx.queryParams().get("siteId"));
    }

    /** The site named by the field {@code siteId} of a JSON body (after the body handler). */
    static Handler<RoutingContext> inBody(Sites sites) {
        return of(sites, ctx -> {
            try {
                JsonObject body = ctx.body().asJsonObject();
                return body == null || !(body.getValue("siteId") instanceof String id) ? null : id;
            } catch (RuntimeException unreadable) {
                return null; // the route answers 400
            }
        });
    }

    private static Handler<RoutingContext> of(Sites sites, Function<RoutingContext, String> named) {
        return ctx -> {
            String id = named.apply(ctx);
            if (id == null || id.isEmpty() || id.length() > 40 || sites.get(id) != null
                    || sites.get(id.toLowerCase(Locale.ROOT)) != null) {
                ctx.next();
                return;
            }
            // the database not answering is a 503, not a 404
            sites.find(id.toLowerCase(Locale.ROOT)).onFailure(ctx::fail).onSuccess(found -> ctx.next());
        };
    }
}
