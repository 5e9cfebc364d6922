package madoguchi.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.Words;
import madoguchi.app.booking.BookingView;
import madoguchi.app.verification.Verification;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.app.booking.Settled;
import madoguchi.app.booking.KeptDecision;
import madoguchi.app.booking.Replay;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.SlotSeats;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The one place where outcomes become HTTP statuses and JSON. What a person reads (the
 * {@code message}) comes from app/Words in the request's language: the page's {@code lang}
 * cookie, else Accept-Language, else Japanese.
 */
final class Answers {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    /** Request data set once per request by HttpVerticle: the service's clock and the call center's number. */
    static final String CLOCK = "madoguchi.clock";
    static final String CALL_CENTER = "madoguchi.callCenter";
    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("^'([A-Za-z.]+)'");

    private Answers() {
    }

    /**
     * The language the person asked for: our pages send their own language as a bare
     * Accept-Language ("ja", "en"); else the page's {@code lang} cookie; else the client's
     * Accept-Language; else Japanese.
     */
    static Words.Language language(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept-Language");
        if ("ja".equals(accept) || "en".equals(accept)) {
            return Words.Language.of(accept);
        }
        io.vertx.core.http.Cookie cookie = ctx.request().getCookie("lang");
        if (cookie != null && ("en".equals(cookie.getValue()) || "ja".equals(cookie.getValue()))) {
            return Words.Language.of(cookie.getValue());
        }
        return Words.Language.of(accept == null ? null : accept.split(",")[0]);
    }

    static int status(Refusal refusal) {
        switch (refusal) {
            case NOT_FOUND:
                return 404;
            case HOLD_EXPIRED:
                return 410;
            case SLOT_NOT_BOOKABLE:
            case UNRECORDABLE:
                return 422;
            case TOO_MANY_CHANGES:
                return 429;
            case BUSY:
            case UNAVAILABLE:
                return 503;
            default:
                return 409;
        }
    }

    static void refuse(RoutingContext ctx, Refusal refusal) {
        if (refusal == Refusal.BUSY || refusal == Refusal.UNAVAILABLE) {
            ctx.response().putHeader("Retry-After", refusal == Refusal.BUSY ? "1" : "2");
        }
        say(ctx, status(refusal), Words.of(refusal));
    }

    /** A refusal from the allocator or the change limit (which says until when). */
    static void refuse(RoutingContext ctx, Settled s) {
        if (s.refusal() == Refusal.TOO_MANY_CHANGES && s.until() != null) {
            until(ctx, 429, Words.TOO_MANY_CHANGES, s.until(), ctx.get(CALL_CENTER));
        } else {
            refuse(ctx, s.refusal());
        }
    }

    /** A verification refused by a lockout: what is locked, until when, and whom to call meanwhile. */
    static void locked(RoutingContext ctx, Verification.Locked locked, String callCenter) {
        until(ctx, 429, Words.of(locked.what()), locked.until(), callCenter);
    }

    /** The day's changes are used up: until when, and the call center meanwhile. */
    static void limited(RoutingContext ctx, Instant until, String callCenter) {
        until(ctx, 429, Words.TOO_MANY_CHANGES, until, callCenter);
    }

    /**
     * A refusal that ends at a moment: Retry-After, {@code retryAt}, and the moment in the message,
     * with the next step (the call center) so that nobody is left waiting without one.
     */
    private static void until(RoutingContext ctx, int status, Words words, Instant until, String callCenter) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        java.time.Clock clock = ctx.get(CLOCK);
        Instant now = clock == null ? Instant.now() : clock.instant();
        long seconds = Math.max(1, java.time.Duration.between(now, until).getSeconds());
        ctx.response().putHeader("Retry-After", Long.toString(seconds));
        json(ctx, status, new JsonObject().put("error", words.code())
                .put("message", words.textWithNextStep(language(ctx), until, callCenter))
                .put("retryAt", time(until)));
    }

    /** A waitlist request not carried out. */
    static void refuse(RoutingContext ctx, Waitlist.Problem p) {
        int status = switch (p) {
            case OUTSIDE_WINDOW, NOT_EARLIER -> 422;
            case NOT_WAITING, NO_OFFER -> 404;
            default -> 409;
        };
        say(ctx, status, p.words());
    }

    /** A staff change that could not be written with its audit row: nothing changed; try again. */
    static void notRecorded(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", "2");
        say(ctx, 503, Words.NOT_RECORDED);
    }

    /** An outcome in the catalog's words. */
    static void say(RoutingContext ctx, int status, Words words) {
        error(ctx, status, words.code(), words.text(language(ctx), null, null));
    }

    /** A request refused before anything was done; a wrong field is named in the person's language. */
    static void problem(RoutingContext ctx, Problem p) {
        String message = p.getMessage();
        if (language(ctx) == Words.Language.JA) {
            java.util.regex.Matcher field = FIELD.matcher(message == null ? "" : message);
            if ("invalid_request".equals(p.code) && field.find()) {
                message = Words.INVALID_INPUT.text(Words.Language.JA, field.group(1));
            } else if ("reason_required".equals(p.code)) {
                message = Words.REASON_REQUIRED.template(Words.Language.JA);
            } else if ("not_found".equals(p.code)) {
                message = Words.NOT_FOUND.template(Words.Language.JA);
            }
        }
        error(ctx, p.status, p.code, message);
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(new JsonObject().put("error", code).put("message", message).encode());
    }

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        String text = body instanceof JsonObject ? ((JsonObject) body).encode()
                : body instanceof io.vertx.core.json.JsonArray ? ((io.vertx.core.json.JsonArray) body).encode() : String.valueOf(body);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(text);
    }

    /** An Idempotency-Key sent before with a different request: nothing done (the one place this is worded). */
    static void keyReused(RoutingContext ctx) {
        say(ctx, 422, Words.IDEMPOTENCY_KEY_REUSED);
    }

    /**
     * A request whose Idempotency-Key has a first decision: that decision rendered now, for this
     * request, with the endpoint's {@code status} (nothing was done twice); or the key-reused refusal.
     */
    static void replay(RoutingContext ctx, Replay replay, int status, java.util.function.Function<KeptDecision, JsonObject> render) {
        if (replay.keyWasReused()) {
            keyReused(ctx);
            return;
        }
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().putHeader("Idempotent-Replayed", "true");
        json(ctx, status, render.apply(replay.decision()));
    }

    /** Answers a settled allocator request sent without an Idempotency-Key: the decision rendered with {@code status}, or a refusal. */
    static void settled(RoutingContext ctx, Settled s, int status, java.util.function.Function<Decision, JsonObject> render) {
        if (s.replay() != null) {
            throw new IllegalStateException("a replay is answered by IdempotentPosts, which renders kept decisions");
        } else if (s.refusal() != null) {
            refuse(ctx, s);
        } else {
            json(ctx, status, render.apply(s.decision()));
        }
    }

    static String time(Instant t) {
        return t == null ? null : ISO.format(t.atZone(BookingWindow.TOKYO).toOffsetDateTime());
    }

    /** A booking as a decision kept it (on the first answer and on a replay alike). */
    static JsonObject booking(KeptDecision b, SlotSeats slot, String status) {
        return new JsonObject()
                .put("bookingId", b.bookingId())
                .put("code", b.code())
                .put("siteId", slot == null ? null : slot.siteId())
                .put("slotId", b.slotId())
                .put("start", slot == null ? null : time(slot.start()))
                .put("end", slot == null ? null : time(slot.end()))
                .put("status", status)
                .put("channel", b.channel())
                .put("override", b.override());
    }

    /** A hold as a decision kept it. */
    static JsonObject hold(KeptDecision h, SlotSeats slot) {
        return new JsonObject()
                .put("holdId", h.holdId().toString())
                .put("slotId", h.slotId())
                .put("start", slot == null ? null : time(slot.start()))
                .put("end", slot == null ? null : time(slot.end()))
                .put("expiresAt", time(h.expiresAt()));
    }

    static JsonObject booking(ActiveBooking b, SlotSeats slot, String status) {
        return booking(KeptDecision.booking(b.id(), b.code(), b.slotId(), b.channel().wire(), b.override()), slot, status);
    }

    static JsonObject booking(BookingView b) {
        return new JsonObject()
                .put("bookingId", b.id())
                .put("code", b.code())
                .put("siteId", b.siteId())
                .put("slotId", b.slotId())
                .put("start", time(b.start()))
                .put("end", time(b.end()))
                .put("status", b.status())
                .put("channel", b.channel())
                .put("override", b.override())
                .put("createdAt", time(b.createdAt()));
    }
}
