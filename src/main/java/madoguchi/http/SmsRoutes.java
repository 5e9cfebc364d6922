package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.reminders.ReminderStore;
import madoguchi.app.reminders.Reminders;
import madoguchi.telephony.SmsReplies;
import madoguchi.telephony.Telephony;

import java.util.Map;
import java.util.function.Function;

/**
 * Twilio's messaging webhooks (signature-checked like the voice webhooks: a forged request gets 403
 * and changes nothing): residents' replies, and the delivery status of the messages sent. And the
 * operators' list of messages that could not be sent or delivered.
 */
final class SmsRoutes {
    private final Guard guard;
    private final Telephony phone;
    private final SmsReplies replies;
    private final Reminders reminders;

    SmsRoutes(Telephony phone, SmsReplies replies, Reminders reminders, Guard guard) {
        this.guard = guard;
        this.phone = phone;
        this.replies = replies;
        this.reminders = reminders;
    }

    /** Mounted after TelephonyRoutes, whose body handler reads the /twilio/* forms. */
    void mount(Router router) {
        router.post("/twilio/sms").handler(ctx -> webhook(ctx, replies::reply));
        router.post("/twilio/sms/status").handler(ctx -> webhook(ctx, p -> reminders
                .delivery(p.get("MessageSid"), p.get("MessageStatus"), p.get("ErrorCode") == null ? null : "error " + p.get("ErrorCode"))
                .map(found -> SmsReplies.empty())));
        router.get("/api/v1/operator/sms/failed").handler(guard::operator).handler(this::failed);
    }

    private void webhook(RoutingContext ctx, Function<Map<String, String>, Future<String>> handler) {
        Map<String, String> params = TwilioWebhooks.signedParams(ctx, phone);
        if (params == null) {
            return;
        }
        handler.apply(params).recover(e -> Future.succeededFuture(SmsReplies.empty()))
                .onComplete(ar -> TwilioWebhooks.answer(ctx, ar.result()));
    }


    private void failed(RoutingContext ctx) {
        reminders.failed(500).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (ReminderStore.Failed f : list) {
                out.add(new JsonObject().put("id", f.id()).put("bookingCode", f.bookingCode()).put("phone", f.phone())
                        .put("createdAt", Answers.time(f.createdAt())).put("attempts", f.attempts())
                        .put("lastError", f.lastError()).put("deliveryStatus", f.deliveryStatus())
                        .put("deliveryError", f.deliveryError()));
            }
            Answers.json(ctx, 200, new JsonObject().put("messages", out));
        });
    }
}
