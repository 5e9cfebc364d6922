package madoguchi.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import madoguchi.app.calls.CallsReport;
import madoguchi.app.reminders.CallbackRequest;
import madoguchi.app.staff.Principal;
import madoguchi.telephony.HoldTone;
import madoguchi.telephony.Telephony;

import java.time.Clock;
import java.time.LocalDate;

/**
 * Twilio's webhooks (signature-checked, answered with TwiML) and the operators' list of callback
 * requests. Without a Twilio account configured the webhooks answer 503.
 */
final class TelephonyRoutes {
    private final Guard guard;
    private final Telephony phone;
    private final Clock clock;

    TelephonyRoutes(Telephony phone, Clock clock, Guard guard) {
        this.guard = guard;
        this.phone = phone;
        this.clock = clock;
    }

    void mount(Router router) {
        router.route("/twilio/*").handler(BodyHandler.create(false).setBodyLimit(HttpVerticle.BODY_LIMIT));
        router.post("/twilio/voice").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "voice", phone::voice));
        router.post("/twilio/voice/step").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "step", p -> phone.step(ctx.queryParams().get("n"), p)));
        router.post("/twilio/voice/status").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "status", phone::status));
        router.post("/twilio/voice/queue/wait").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "queue_wait",
                p -> phone.queueWait(ctx.queryParams().get("lang"), p)));
        router.post("/twilio/voice/queue/callback").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "queue_callback",
                p -> phone.queueCallback(ctx.queryParams().get("lang"), p, ctx.queryParams().get("why"),
                        ctx.queryParams().get("stage"), ctx.queryParams().get("number"), ctx.queryParams().get("try"))));
        router.post("/twilio/voice/queue/left").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "queue_left",
                p -> phone.queueLeft(ctx.queryParams().get("lang"), p)));
        router.post("/twilio/voice/operator").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "operator", phone::operatorLine));
        router.post("/twilio/voice/operator/bridge").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "operator_bridge",
                p -> phone.operatorBridge(ctx.queryParams().get("op"), p)));
        router.post("/twilio/voice/fallback").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "fallback", phone::fallbackCall));
        // fetched by Twilio's <Play> (unsigned, like any media file): the same sound for everyone
        router.get("/sounds/hold-tone.wav").handler(ctx -> ctx.response().putHeader("Content-Type", "audio/wav")
                .putHeader("Cache-Control", "public, max-age=86400").end(Buffer.buffer(HoldTone.wav())));

        router.get("/api/v1/operator/callbacks").handler(guard::operator).handler(this::callbacks);
        // the admin guard of /api/v1/admin/* (HttpVerticle) covers it
        router.get("/api/v1/admin/reports/calls").handler(this::callsReport);
        ScreenPopRoutes pops = new ScreenPopRoutes(phone.screenPops(), clock);
        router.get("/api/v1/operator/screen-pops/events").handler(guard::operator).handler(pops::events);
        router.post("/api/v1/operator/callbacks/:id/done").handler(guard::operator).handler(this::done);
    }



    private void callbacks(RoutingContext ctx) {
        phone.callbacks().list(500).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray out = new JsonArray();
            list.forEach(c -> out.add(callback(c)));
            Answers.json(ctx, 200, new JsonObject().put("callbacks", out));
        });
    }

    private void done(RoutingContext ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Answers.error(ctx, 404, "not_found", "No such callback request.");
            return;
        }
        Principal who = Guard.principal(ctx);
        phone.callbacks().done(id, who.name(), clock.instant()).onFailure(ctx::fail).onSuccess(found -> {
            if (found.isEmpty()) {
                Answers.error(ctx, 404, "not_found", "No such callback request.");
            } else {
                Answers.json(ctx, 200, callback(found.get()));
            }
        });
    }

    /** Calls per day and hour, outcomes, time in the queue, abandoned, callbacks: from the stored call records. */
    private void callsReport(RoutingContext ctx) {
        LocalDate today = clock.instant().atZone(madoguchi.domain.BookingWindow.TOKYO).toLocalDate();
        String fromText = Inputs.query(ctx, "from");
        String toText = Inputs.query(ctx, "to");
        LocalDate to = toText == null ? today : Inputs.date(toText, "to");
        LocalDate from = fromText == null ? to.minusDays(6) : Inputs.date(fromText, "from");
        if (from.isAfter(to) || from.plusDays(366).isBefore(to)) {
            Answers.error(ctx, 400, "invalid_request", "'from' must be on or before 'to', at most 366 days apart.");
            return;
        }
        phone.callsReport(from, to).onFailure(ctx::fail).onSuccess(r -> {
            JsonArray days = new JsonArray();
            r.days().forEach(d -> days.add(day(d)));
            JsonArray hours = new JsonArray();
            for (int n : r.callsPerHour()) {
                hours.add(n);
            }
            Answers.json(ctx, 200, new JsonObject().put("from", from.toString()).put("to", to.toString())
                    .put("days", days).put("callsPerHour", hours).put("total", day(r.total())));
        });
    }

    private static JsonObject day(CallsReport.Day d) {
        JsonObject outcomes = new JsonObject();
        d.outcomes().forEach(outcomes::put);
        JsonObject out = new JsonObject();
        if (d.date() != null) {
            out.put("date", d.date().toString());
        }
        return out.put("calls", d.calls()).put("outcomes", outcomes).put("queued", d.queued()).put("bridged", d.bridged())
                .put("abandonedInQueue", d.abandonedInQueue()).put("queueSecondsP50", d.queueSecondsP50())
                .put("queueSecondsP90", d.queueSecondsP90()).put("callbacksAsked", d.callbacksAsked())
                .put("callbacksDone", d.callbacksDone());
    }

    private static JsonObject callback(CallbackRequest c) {
        return new JsonObject().put("id", c.id()).put("phone", c.phone()).put("language", c.language())
                .put("requestedAt", Answers.time(c.requestedAt())).put("state", c.state())
                .put("preferred", c.preferred()).put("reason", c.reason());
    }
}
