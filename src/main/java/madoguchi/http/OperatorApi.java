package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.BookingView;
import madoguchi.app.CardRecord;
import madoguchi.app.CardRef;
import madoguchi.app.Principal;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.Refusal;

import java.util.ArrayList;
import java.util.List;

/** Call-center operators: find a resident, book on their behalf (with override), block slots. */
final class OperatorApi {
    private final Services s;
    private final Guard guard;
    private final IdempotentPosts posts;

    OperatorApi(Services services, Guard guard, IdempotentPosts posts) {
        this.s = services;
        this.guard = guard;
        this.posts = posts;
    }

    void mount(Router router) {
        router.route("/api/v1/operator/*").handler(ctx -> guard.require(ctx, Principal.Role.OPERATOR));
        router.post("/api/v1/operator/bookings").handler(this::book);
        router.get("/api/v1/operator/bookings").handler(this::find);
        router.post("/api/v1/operator/slots/:slotId/block").handler(ctx -> block(ctx, true));
        router.post("/api/v1/operator/slots/:slotId/unblock").handler(ctx -> block(ctx, false));
    }

    private void book(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        JsonObject body = Inputs.body(ctx);
        String notice = NoticeNumber.normalize(Inputs.text(body, "noticeNumber", 40));
        long slotId = Inputs.id(body, "slotId");
        boolean override = Inputs.bool(body, "override", false);
        String reason = Inputs.optionalText(body, "reason", 500);
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        if (override && reason == null) {
            throw new Problem(400, "reason_required", "An override needs a reason; it is kept in the audit log.");
        }
        s.cards().byNoticeNumber(notice).onFailure(ctx::fail).onSuccess(card -> {
            if (card.isEmpty()) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
                return;
            }
            CardRef ref = new CardRef(card.get().id(), card.get().siteId());
            posts.run(ctx, "user:" + who.name(), 201, this::render,
                    key -> s.desk().book(ref, slotId, Channel.OPERATOR, who.name(), override, reason, key)
                            .compose(done -> done.ok() ? audit(who, done.decision(), reason).map(done) : Future.succeededFuture(done)));
        });
    }

    private Future<Void> audit(Principal who, Decision d, String reason) {
        var b = Answers.bookingOf(d);
        return s.audit().record(who, b.override() ? "booking.override" : "booking.create", "booking:" + b.code(), null,
                render(d), reason).recover(e -> Future.succeededFuture());
    }

    private JsonObject render(Decision d) {
        var booking = Answers.bookingOf(d);
        return Answers.booking(booking, s.allocator().slot(booking.slotId()), "active");
    }

    private void find(RoutingContext ctx) {
        String notice = Inputs.query(ctx, "noticeNumber");
        String phone = Inputs.query(ctx, "phone");
        String code = Inputs.query(ctx, "code");
        Future<List<CardRecord>> cards;
        if (notice != null) {
            String n = NoticeNumber.normalize(notice);
            cards = n == null ? Future.succeededFuture(List.of()) : s.cards().byNoticeNumber(n).map(c -> c.map(List::of).orElse(List.of()));
        } else if (phone != null) {
            cards = s.cards().byPhone(phone.replace(" ", "").replace("-", ""));
        } else if (code != null) {
            String c = BookingCode.normalize(code);
            cards = c == null ? Future.succeededFuture(List.of())
                    : s.bookings().byCode(c).compose(b -> b.isEmpty() ? Future.succeededFuture(List.of())
                            : s.cards().byId(b.get().cardId()).map(x -> x.map(List::of).orElse(List.of())));
        } else {
            throw Problem.badRequest("Give one of noticeNumber, phone or code.");
        }
        cards.compose(this::withBookings).onFailure(ctx::fail).onSuccess(out -> Answers.json(ctx, 200, out));
    }

    private Future<JsonArray> withBookings(List<CardRecord> cards) {
        List<Future<JsonObject>> each = new ArrayList<>();
        for (CardRecord card : cards) {
            each.add(s.bookings().ofCard(card.id()).map(list -> {
                JsonArray bookings = new JsonArray();
                for (BookingView b : list) {
                    bookings.add(Answers.booking(b).put("overrideReason", b.overrideReason()).put("bookedBy", b.bookedBy()));
                }
                return new JsonObject()
                        .put("card", new JsonObject().put("noticeNumber", card.noticeNumber()).put("siteId", card.siteId())
                                .put("state", card.state().wire()).put("phone", card.phone()))
                        .put("bookings", bookings);
            }));
        }
        return Future.all(each).map(v -> {
            JsonArray out = new JsonArray();
            each.forEach(f -> out.add(f.result()));
            return out;
        });
    }

    private void block(RoutingContext ctx, boolean blocked) {
        Principal who = Guard.principal(ctx);
        long slotId = Inputs.pathId(ctx, "slotId");
        String reason = blocked ? Inputs.text(Inputs.body(ctx), "reason", 500)
                : (ctx.body() != null && ctx.body().length() > 0 ? Inputs.optionalText(Inputs.body(ctx), "reason", 500) : null);
        s.blocks().setBlocked(slotId, blocked, reason).compose(siteId -> {
            if (siteId == null) {
                return Future.succeededFuture((JsonObject) null);
            }
            JsonObject after = new JsonObject().put("slotId", slotId).put("blocked", blocked);
            return s.allocator().reload(siteId)
                    .compose(v -> s.audit().record(who, blocked ? "slot.block" : "slot.unblock", "slot:" + slotId, null, after, reason))
                    .map(after);
        }).onFailure(ctx::fail).onSuccess(after -> {
            if (after == null) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
            } else {
                Answers.json(ctx, 200, after);
            }
        });
    }
}
