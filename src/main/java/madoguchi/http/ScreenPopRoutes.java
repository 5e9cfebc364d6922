package madoguchi.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.calls.ScreenPops;
import madoguchi.app.cards.CardRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The screen pop: an operator's console follows {@code /api/v1/operator/screen-pops/events}
 * (server-sent events) and gets one {@code pop} event for each queued call bridged to their phone,
 * on whichever instance Twilio's webhook came in — the stream reads the stored calls every second.
 */
final class ScreenPopRoutes {
    static final long EVERY_MS = 1000;
    /** A console opened just after the call was bridged still shows it. */
    private static final Duration LOOK_BACK = Duration.ofMinutes(2);

    private final ScreenPops pops;
    private final Clock clock;

    ScreenPopRoutes(ScreenPops pops, Clock clock) {
        this.pops = pops;
        this.clock = clock;
    }

    void events(RoutingContext ctx) {
        String operator = Guard.principal(ctx).name();
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            // not a browser's EventSource: the pops of the last minutes as one JSON answer
            pops.since(operator, clock.instant().minus(LOOK_BACK)).onFailure(ctx::fail).onSuccess(list -> {
                JsonArray out = new JsonArray();
                list.forEach(p -> out.add(json(p)));
                Answers.json(ctx, 200, new JsonObject().put("pops", out));
            });
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        response.write("retry: 2000\n\n");
        Set<String> shown = new HashSet<>();
        Instant[] since = {clock.instant().minus(LOOK_BACK)};
        boolean[] reading = {false};
        long timer = ctx.vertx().setPeriodic(1, EVERY_MS, id -> {
            if (reading[0] || response.closed() || response.ended()) {
                return;
            }
            reading[0] = true;
            pops.since(operator, since[0]).onComplete(ar -> {
                reading[0] = false;
                if (ar.failed() || response.closed() || response.ended()) {
                    return;
                }
                for (ScreenPops.Pop p : ar.result()) {
                    if (shown.add(p.callSid())) {
                        response.write("event: pop\ndata: " + json(p).encode() + "\n\n");
                    }
                    if (p.bridgedAt().isAfter(since[0].plus(LOOK_BACK))) {
                        since[0] = p.bridgedAt().minus(LOOK_BACK);
                    }
                }
            });
        });
        response.closeHandler(v -> ctx.vertx().cancelTimer(timer));
    }

    static JsonObject json(ScreenPops.Pop p) {
        JsonArray cards = new JsonArray();
        for (CardRecord c : p.cards()) {
            cards.add(new JsonObject().put("noticeNumber", c.noticeNumber()).put("siteId", c.siteId())
                    .put("state", c.state().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return new JsonObject().put("callSid", p.callSid()).put("phone", p.phone()).put("language", p.language())
                .put("bridgedAt", Answers.time(p.bridgedAt())).put("queueSeconds", p.queueSeconds())
                .put("verified", p.verified()).put("cards", cards).put("bookingCode", p.bookingCode())
                .put("path", new JsonArray(p.path())).put("reason", p.reason());
    }
}
