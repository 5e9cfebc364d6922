package madoguchi.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * The API takes JSON (and CSV for the card import), never forms: a form or multipart body is
 * refused with 415 before anything tries to decode it. Requests so malformed that the HTTP layer
 * refuses them (a line or headers too long) are answered in the API's JSON error form too.
 */
final class BodyTypes {
    private BodyTypes() {
    }

    static void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null) {
            String t = type.toLowerCase(Locale.ROOT).trim();
            if (t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded")) {
                Answers.error(ctx, 415, "unsupported_media_type", "Send a JSON body (Content-Type: application/json).");
                return;
            }
        }
        ctx.next();
    }

    /** Replaces Vert.x's bare 400/414/431 for requests it cannot parse. */
    static void invalid(HttpServerRequest request) {
        int status = 400;
        String code = "invalid_request";
        String message = "The request could not be read.";
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
            String text = String.valueOf(cause.getMessage());
            if (text.contains("header")) {
                status = 431;
                code = "headers_too_large";
                message = "The request headers are too large.";
            } else {
                status = 414;
                code = "uri_too_long";
                message = "The request address is too long.";
            }
        }
        var response = request.response();
        response.headers().set("X-Content-Type-Options", "nosniff").set("Content-Security-Policy", SecurityHeaders.POLICY)
                .set("X-Frame-Options", "DENY").set("Referrer-Policy", "no-referrer").set("Cache-Control", "no-store")
                .set("Connection", "close");
        response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(new JsonObject().put("error", code).put("message", message).encode());
    }
}
