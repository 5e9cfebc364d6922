package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.BookingView;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.booking.CardRef;
import madoguchi.app.staff.Principal;
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
        // /api/v1/operator/* is guarded in HttpVerticle, from the headers, before the body handler reads a byte
        router.post("/api/v1/operator/bookings").handler(this::book);
        router.get("/api/v1/operator/bookings").handler(this::find);
        router.post("/api/v1/operator/slots/:slotId/block").handler(ctx -> block(ctx, true));
        router.post("/api/v1/operator/slots/:slotId/unblock").handler(ctx -> block(ctx, false));
        router.delete("/api/v1/operator/bookings/:code").handler(this::cancel);
        router.post("/api/v1/operator/bookings/:code/reschedule").handler(this::reschedule);
        router.get("/api/v1/operator/sites/:siteId/slots").handler(this::slots);
    }

    /** Cancels a resident's booking on their behalf (the reason, optional, is audited). */
    private void cancel(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String code = ResidentApi.code(ctx);
        String reason = ctx.body() != null && ctx.body().length() > 0 ? Inputs.optionalText(Inputs.body(ctx), "reason", 500) : null;
        withCard(code).onFailure(ctx::fail).onSuccess(found -> {
            if (found == null) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
                return;
            }
            JsonObject before = Answers.booking(found.booking());
            s.desk().cancel(found.card(), code, reason == null ? "cancelled by operator " + who.name() : reason)
                    .compose(done -> done.ok()
                            ? s.audit().record(who, "booking.cancel", "booking:" + code, before,
                                    new JsonObject().put("code", code).put("status", "cancelled"), reason).map(done)
                            : Future.succeededFuture(done))
                    .onFailure(ctx::fail)
                    .onSuccess(done -> Answers.settled(ctx, done, 200, d -> new JsonObject().put("code", code).put("status", "cancelled")));
        });
    }

    /** Moves a booking to another slot at the same site; with override (and a reason) beyond capacity or into a block. */
    private void reschedule(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String code = ResidentApi.code(ctx);
        JsonObject body = Inputs.body(ctx);
        long slotId = Inputs.id(body, "slotId");
        boolean override = Inputs.bool(body, "override", false);
        String reason = Inputs.optionalText(body, "reason", 500);
        if (override && reason == null) {
            throw new Problem(400, "reason_required", "An override needs a reason; it is kept in the audit log.");
        }
        withCard(code).onFailure(ctx::fail).onSuccess(found -> {
            if (found == null) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
                return;
            }
            JsonObject before = Answers.booking(found.booking());
            posts.run(ctx, "user:" + who.name(), 200, this::render,
                    key -> s.desk().reschedule(found.card(), code, slotId, Channel.OPERATOR, override, reason, key)
                            .compose(done -> done.ok()
                                    ? s.audit().record(who, override ? "booking.move.override" : "booking.move", "booking:" + code,
                                            before, render(done.decision()), reason).recover(e -> Future.succeededFuture()).map(done)
                                    : Future.succeededFuture(done)));
        });
    }

    private record Found(BookingView booking, CardRef card) {
    }

    private Future<Found> withCard(String code) {
        return s.bookings().byCode(code).compose(b -> {
            if (b.isEmpty()) {
                return Future.succeededFuture(null);
            }
            return s.cards().byId(b.get().cardId()).map(c -> c.map(card -> new Found(b.get(), new CardRef(card.id(), card.siteId())))
                    .orElse(null));
        });
    }

    /** Every slot of a site on one day, with its seats (including full and blocked slots), for the console. */
    private void slots(RoutingContext ctx) {
        var site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        java.time.LocalDate day = Inputs.date(Inputs.query(ctx, "date"), "date");
        java.time.Instant from = day.atStartOfDay(madoguchi.domain.BookingWindow.TOKYO).toInstant();
        java.time.Instant to = day.plusDays(1).atStartOfDay(madoguchi.domain.BookingWindow.TOKYO).toInstant();
        JsonArray out = new JsonArray();
        for (var slot : s.allocator().slots(site.id(), from, to)) {
            out.add(new JsonObject().put("slotId", slot.id()).put("start", Answers.time(slot.start())).put("end", Answers.time(slot.end()))
                    .put("capacity", slot.limits().capacity()).put("quota", new JsonObject().put("web", slot.limits().quotaWeb())
                            .put("phone", slot.limits().quotaPhone()))
                    .put("booked", slot.booked()).put("held", slot.held()).put("overrideBooked", slot.override())
                    .put("blocked", slot.limits().blocked()).put("remaining", slot.remaining(Channel.OPERATOR)));
        }
        Answers.json(ctx, 200, new JsonObject().put("siteId", site.id()).put("date", day.toString()).put("walkIn", site.walkIn())
                .put("slots", out));
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
