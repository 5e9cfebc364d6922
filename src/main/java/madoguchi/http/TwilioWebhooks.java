package madoguchi.http;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import madoguchi.telephony.Telephony;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every Twilio webhook (voice and SMS) does around its own work: refuse while the phone line
 * is not configured, refuse a request Twilio did not sign (nothing is changed), answer with TwiML.
 */
final class TwilioWebhooks {
    private TwilioWebhooks() {
    }

    /** The request's form parameters when Twilio signed it; null when a refusal has been sent. */
    static Map<String, String> signedParams(RoutingContext ctx, Telephony phone) {
        if (!phone.enabled()) {
            ctx.response().putHeader("Retry-After", "3600");
            Answers.error(ctx, 503, "telephony_not_configured",
                    "The phone line is not configured (set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN).");
            return null;
        }
        Map<String, String> params = new HashMap<>();
        MultiMap form = ctx.request().formAttributes();
        for (String name : form.names()) {
            params.put(name, form.get(name));
        }
        String url = phone.signedUrl(ctx.request().uri(), ctx.request().absoluteURI());
        if (!phone.verify(url, params, ctx.request().getHeader("X-Twilio-Signature"))) {
            phone.metrics().signatureFailed();
            Answers.error(ctx, 403, "invalid_signature", "The request is not signed by Twilio.");
            return null;
        }
        String refused = controlCharacterIn(params);
        if (refused != null) {
            Answers.error(ctx, 400, "invalid_request", refused + " must not contain control characters.");
            return null;
        }
        return params;
    }

    /**
     * Which form field (as said in an answer) holds a control character, or null. A text message's
     * Body may hold the line breaks and tabs a phone types; nothing else may (see Inputs.controlAt).
     */
    static String controlCharacterIn(Map<String, String> params) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (Inputs.controlAt(p.getKey()) >= 0) {
                return "A form field's name";
            }
            String value = p.getValue() == null ? "" : p.getValue();
            if (p.getKey().equals("Body")) {
                value = value.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
            }
            if (Inputs.controlAt(value) >= 0) {
                return p.getKey().matches("[A-Za-z0-9_.-]{1,40}") ? "'" + p.getKey() + "'" : "A form field";
            }
        }
        return null;
    }

    /**
     * A voice webhook: the handler's TwiML, or — when it failed — the apology and the operators'
     * queue (never silence or an error tone), timed per route.
     */
    static void voice(RoutingContext ctx, Telephony phone, String route, Function<Map<String, String>, Future<String>> handler) {
        Timer.Sample sample = Timer.start();
        Map<String, String> params = signedParams(ctx, phone);
        if (params == null) {
            return;
        }
        handler.apply(params)
                .recover(e -> Future.succeededFuture(phone.fallback(ctx.queryParams().get("lang"))))
                .onComplete(ar -> {
                    sample.stop(phone.metrics().webhook(route));
                    answer(ctx, ar.result());
                });
    }

    /** Sends the TwiML, unless the request's deadline already answered it. */
    static void answer(RoutingContext ctx, String twiml) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/xml; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(twiml);
        }
    }
}
