package madoguchi.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.counter.BoardFeed;
import madoguchi.app.counter.WalkIn;
import madoguchi.app.counter.WalkInStore;
import madoguchi.app.sites.Sites;
import madoguchi.domain.Site;

import java.util.Locale;

/**
 * The call-up board of a walk-in site, for a TV in a browser: {@code /board/{site}} (no sign-in:
 * it shows ticket numbers and counters, never who holds them), its state as JSON, and its updates
 * as server-sent events, pushed when the queue changes on any instance.
 */
public final class BoardRoutes {
    /** A comment line this often keeps proxies and the idle timeout from closing a quiet board. */
    static final long HEARTBEAT_MS = 15_000;

    /** What the board works with: the walk-in queue, the feed of its changes, the sites. */
    public record Needs(WalkIn walkIn, BoardFeed feed, Sites sites) {
    }

    private final Needs s;
    private final WebAsset page;
    private final WebAsset script;
    private final WebAsset style;

    BoardRoutes(Needs needs) {
        this.s = needs;
        this.script = WebAsset.file("board.js");
        this.style = WebAsset.file("board.css");
        this.page = WebAsset.of(WebAsset.text("board.html").replace("{{v:board.js}}", script.version())
                .replace("{{v:board.css}}", style.version()), WebAsset.HTML);
    }

    void mount(Router router) {
        router.route("/board/:siteId").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            site(ctx);
            page.send(ctx);
        });
        router.route("/board-assets/board.js").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(script::send);
        router.route("/board-assets/board.css").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(style::send);
        router.get("/api/v1/sites/:siteId/board").handler(this::board);
        router.get("/api/v1/sites/:siteId/board/events").handler(this::events);
    }

    private void board(RoutingContext ctx) {
        Site site = site(ctx);
        s.walkIn().board(site.id()).onFailure(ctx::fail).onSuccess(b -> Answers.json(ctx, 200, json(site, b)));
    }

    /** The board now, then again on every change; a heartbeat comment keeps the stream open. */
    private void events(RoutingContext ctx) {
        Site site = site(ctx);
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        Context context = Vertx.currentContext();
        Runnable unfollow = s.feed().follow(site.id(), b -> context.runOnContext(v -> send(response, site, b)));
        long heartbeat = ctx.vertx().setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed() && !response.ended()) {
                response.write(": still here\n\n");
            }
        });
        response.closeHandler(v -> {
            unfollow.run();
            ctx.vertx().cancelTimer(heartbeat);
        });
        response.write("retry: 2000\n\n");
        s.walkIn().board(site.id()).onSuccess(b -> send(response, site, b));
    }

    private static void send(HttpServerResponse response, Site site, WalkInStore.Board b) {
        if (!response.closed() && !response.ended()) {
            response.write("event: board\ndata: " + json(site, b).encode() + "\n\n");
        }
    }

    static JsonObject json(Site site, WalkInStore.Board b) {
        JsonArray called = new JsonArray();
        for (WalkInStore.Ticket t : b.called()) {
            called.add(new JsonObject().put("number", t.number()).put("counter", t.counter()).put("calls", t.calls())
                    .put("calledAt", Answers.time(t.calledAt())));
        }
        return new JsonObject().put("siteId", site.id()).put("name", new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()))
                .put("called", called).put("waiting", b.waiting()).put("served", b.served())
                .put("expectedWaitMinutes", WalkIn.expectedWait(b, b.waiting()));
    }

    private Site site(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId").toLowerCase(Locale.ROOT));
        if (site == null || !site.walkIn()) {
            throw new Problem(404, "not_found", "No such walk-in site.");
        }
        return site;
    }
}
