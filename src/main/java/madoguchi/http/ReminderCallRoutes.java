package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.reminders.ReminderCallStore;
import madoguchi.app.reminders.ReminderCalls;
import madoguchi.telephony.ReminderCall;
import madoguchi.telephony.Telephony;


/**
 * The reminder call's webhooks (signature-checked like every Twilio webhook; the booking and the
 * job's token in the query say which booking the call is about), and the operators' list of
 * reminder calls given up on.
 */
final class ReminderCallRoutes {
    private final Guard guard;
    private final Telephony phone;
    private final ReminderCall call;
    private final ReminderCalls calls;

    ReminderCallRoutes(Telephony phone, ReminderCall call, ReminderCalls calls, Guard guard) {
        this.guard = guard;
        this.phone = phone;
        this.call = call;
        this.calls = calls;
    }

    /** Mounted after TelephonyRoutes, whose body handler reads the /twilio/* forms. */
    void mount(Router router) {
        router.post("/twilio/voice/reminder").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "reminder",
                p -> call.answer(query(ctx, "booking"), query(ctx, "t"), p)));
        router.post("/twilio/voice/reminder/choice").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "reminder_choice",
                p -> call.choice(query(ctx, "booking"), query(ctx, "t"), query(ctx, "lang"), query(ctx, "round"), p)));
        router.post("/twilio/voice/reminder/status").handler(ctx -> TwilioWebhooks.voice(ctx, phone, "reminder_status",
                p -> call.status(query(ctx, "booking"), query(ctx, "t"), p)));
        router.get("/api/v1/operator/calls/failed").handler(guard::operator).handler(this::failed);
    }

    private static String query(RoutingContext ctx, String name) {
        return ctx.queryParams().get(name);
    }



    private void failed(RoutingContext ctx) {
        calls.failed(500).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (ReminderCallStore.Failed f : list) {
                out.add(new JsonObject().put("bookingId", f.bookingId()).put("bookingCode", f.bookingCode())
                        .put("bookingStatus", f.bookingStatus()).put("siteId", f.siteId()).put("start", Answers.time(f.start()))
                        .put("phone", f.phone()).put("attempts", f.attempts()).put("lastStatus", f.lastStatus())
                        .put("lastError", f.lastError()).put("failedAt", Answers.time(f.failedAt())));
            }
            Answers.json(ctx, 200, new JsonObject().put("calls", out));
        });
    }
}
