package madoguchi.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.BookingView;
import madoguchi.app.booking.Settled;
import madoguchi.app.booking.StoredAnswer;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import madoguchi.domain.SlotSeats;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** The one place where outcomes become HTTP statuses and JSON. */
final class Answers {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private Answers() {
    }

    static int status(Refusal refusal) {
        switch (refusal) {
            case NOT_FOUND:
                return 404;
            case HOLD_EXPIRED:
                return 410;
            case SLOT_NOT_BOOKABLE:
                return 422;
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
        error(ctx, status(refusal), refusal.code(), refusal.message());
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

    static void replay(RoutingContext ctx, StoredAnswer answer) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (answer.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(answer.body());
    }

    /** Answers a settled allocator request: the decision rendered with {@code status}, a refusal, or a replay. */
    static void settled(RoutingContext ctx, Settled s, int status, java.util.function.Function<Decision, JsonObject> render) {
        if (s.replay() != null) {
            replay(ctx, s.replay());
        } else if (s.refusal() != null) {
            refuse(ctx, s.refusal());
        } else {
            json(ctx, status, render.apply(s.decision()));
        }
    }

    static String time(Instant t) {
        return t == null ? null : ISO.format(t.atZone(BookingWindow.TOKYO).toOffsetDateTime());
    }

    /** The booking a decision made or changed. */
    static ActiveBooking bookingOf(Decision d) {
        if (d instanceof Decision.BookingMade) {
            return ((Decision.BookingMade) d).booking();
        }
        if (d instanceof Decision.HoldConfirmed) {
            return ((Decision.HoldConfirmed) d).booking();
        }
        if (d instanceof Decision.BookingMoved) {
            return ((Decision.BookingMoved) d).to();
        }
        if (d instanceof Decision.HoldMovedInto) {
            return ((Decision.HoldMovedInto) d).to();
        }
        if (d instanceof Decision.BookingCancelled) {
            return ((Decision.BookingCancelled) d).booking();
        }
        throw new IllegalArgumentException("no booking in " + d);
    }

    static JsonObject booking(ActiveBooking b, SlotSeats slot, String status) {
        return new JsonObject()
                .put("bookingId", b.id())
                .put("code", b.code())
                .put("siteId", slot == null ? null : slot.siteId())
                .put("slotId", b.slotId())
                .put("start", slot == null ? null : time(slot.start()))
                .put("end", slot == null ? null : time(slot.end()))
                .put("status", status)
                .put("channel", b.channel().wire())
                .put("override", b.override());
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

    static JsonObject hold(Hold h, SlotSeats slot) {
        return new JsonObject()
                .put("holdId", h.id().toString())
                .put("slotId", h.slotId())
                .put("start", slot == null ? null : time(slot.start()))
                .put("end", slot == null ? null : time(slot.end()))
                .put("expiresAt", time(h.expiresAt()));
    }
}
