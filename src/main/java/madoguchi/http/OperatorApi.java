package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.Words;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.sites.Sites;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;
import madoguchi.app.staff.CardLocks;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.NearbySites;
import madoguchi.domain.Decision;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.PhoneNumber;
import madoguchi.domain.Refusal;

import java.util.ArrayList;
import java.util.List;

/** Call-center operators: find a resident, book on their behalf (with override), block slots. */
public final class OperatorApi {
    private final Needs s;
    private final Guard guard;
    private final IdempotentPosts posts;

    /** What operators' requests work with: staff actions (each audited), the sites and seats, cards and bookings. */
    public record Needs(StaffActions staff, Sites sites, Allocator allocator, CardStore cards, BookingStore bookings,
                        CardLocks locks, java.time.Clock clock) {
    }

    /** At most this many slots in one answer of the next free ones. */
    static final int MAX_NEXT_FREE = 50;
    /** At most this many sites near the card's in one answer of the next free times. */
    static final int MAX_NEARBY = 5;

    OperatorApi(Needs needs, Guard guard, IdempotentPosts posts) {
        this.s = needs;
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
        router.get("/api/v1/operator/sites/:siteId/next-free").handler(this::nextFree);
        router.get("/api/v1/operator/cards/:noticeNumber/history").handler(this::history);
        router.post("/api/v1/operator/cards/:noticeNumber/birth-date").handler(this::birthDate);
    }

    /**
     * The card's birth date, for an operator who checks who is calling: a POST because showing it
     * is audited ({@code card.birth_date_shown}; the reason, optional, is kept). Never logged.
     */
    private void birthDate(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String notice = NoticeNumber.normalize(ctx.pathParam("noticeNumber"));
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        String reason = ctx.body() != null && ctx.body().length() > 0 ? Inputs.optionalText(Inputs.body(ctx), "reason", 500) : null;
        s.staff().showBirthDate(who, notice, reason).onFailure(ctx::fail).onSuccess(date -> {
            if (date.isEmpty()) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
            } else {
                Answers.json(ctx, 200, new JsonObject().put("noticeNumber", notice).put("birthDate", date.get().toString()));
            }
        });
    }

    /** A card's way through the process ①–⑩: every move with its time, its source and, for a cancellation, its reason. */
    private void history(RoutingContext ctx) {
        String notice = NoticeNumber.normalize(ctx.pathParam("noticeNumber"));
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        s.cards().byNoticeNumber(notice).compose(card -> card.isEmpty() ? Future.succeededFuture((JsonObject) null)
                : s.cards().history(card.get().id()).map(moves -> {
                    JsonArray out = new JsonArray();
                    for (CardStore.Move m : moves) {
                        out.add(new JsonObject().put("at", Answers.time(m.at()))
                                .put("from", m.from() == null ? null : m.from().wire()).put("to", m.to() == null ? null : m.to().wire())
                                .put("step", m.to() == null ? null : m.to().step()).put("reason", m.reason()).put("source", m.source())
                                .put("fromSite", m.fromSite()).put("toSite", m.toSite()));
                    }
                    CardRecord c = card.get();
                    return new JsonObject().put("noticeNumber", c.noticeNumber()).put("siteId", c.siteId()).put("state", c.state().wire())
                            .put("step", c.state().step()).put("stepName", c.state().japanese()).put("history", out);
                })).onFailure(ctx::fail).onSuccess(found -> {
                    if (found == null) {
                        Answers.refuse(ctx, Refusal.NOT_FOUND);
                    } else {
                        Answers.json(ctx, 200, found);
                    }
                });
    }

    /** Cancels a resident's booking on their behalf (the reason, optional, is audited). */
    private void cancel(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String code = ResidentApi.code(ctx);
        String reason = ctx.body() != null && ctx.body().length() > 0 ? Inputs.optionalText(Inputs.body(ctx), "reason", 500) : null;
        s.staff().cancel(who, code, reason).onFailure(ctx::fail)
                .onSuccess(done -> Answers.settled(ctx, done, 200, d -> new JsonObject().put("code", code).put("status", "cancelled")));
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
        posts.run(ctx, "user:" + who.name(), 200, this::render, key -> s.staff().move(who, code, slotId, override, reason, key));
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

    /**
     * The next slots of a site with a seat for the channel, across days, from the allocator's
     * memory: what an operator offers a caller who asks "when is the next free time?". Only slots
     * the channel may book now (an operator's: not started yet; a resident's: from tomorrow, within
     * the booking window), not blocked, with at least one seat.
     */
    private void nextFree(RoutingContext ctx) {
        var site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        String channelText = Inputs.query(ctx, "channel");
        Channel channel = Channel.fromWire(channelText == null ? "operator" : channelText)
                .orElseThrow(() -> Problem.badRequest("'channel' must be web, phone or operator."));
        String limitText = Inputs.query(ctx, "limit");
        int limit = 10;
        if (limitText != null) {
            if (!limitText.matches("[0-9]{1,3}") || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_NEXT_FREE) {
                throw Problem.badRequest("'limit' must be a whole number from 1 to " + MAX_NEXT_FREE + ".");
            }
            limit = Integer.parseInt(limitText);
        }
        String nearbyText = Inputs.query(ctx, "nearby");
        int nearby = 0;
        if (nearbyText != null) {
            if (!nearbyText.matches("[0-9]{1,2}") || Integer.parseInt(nearbyText) > MAX_NEARBY) {
                throw Problem.badRequest("'nearby' must be a whole number from 0 to " + MAX_NEARBY + ".");
            }
            nearby = Integer.parseInt(nearbyText);
        }
        java.time.Instant now = s.clock().instant();
        java.time.LocalDate today = now.atZone(madoguchi.domain.BookingWindow.TOKYO).toLocalDate();
        String fromText = Inputs.query(ctx, "from");
        java.time.LocalDate from = fromText == null ? today : Inputs.date(fromText, "from");
        JsonObject answer = new JsonObject().put("siteId", site.id()).put("from", from.toString()).put("channel", channel.wire())
                .put("walkIn", site.walkIn()).put("slots", freeSlots(site, from, now, channel, limit));
        if (nearby > 0) {
            // the card's site first (above), then the sites near it, each with its own next free times
            JsonArray near = new JsonArray();
            for (NearbySites.Near n : NearbySites.of(site, s.sites().all(), nearby)) {
                near.add(new JsonObject().put("siteId", n.site().id())
                        .put("name", new JsonObject().put("ja", n.site().nameJa()).put("en", n.site().nameEn()))
                        .put("why", n.why().wire()).put("slots", freeSlots(n.site(), from, now, channel, limit)));
            }
            answer.put("nearby", near);
        }
        Answers.json(ctx, 200, answer);
    }

    /** A site's next slots the channel may book now, with a seat for it, in time order: at most {@code limit}. */
    private JsonArray freeSlots(madoguchi.domain.Site site, java.time.LocalDate from, java.time.Instant now, Channel channel, int limit) {
        madoguchi.domain.BookingWindow.Open open = site.window().at(now, channel);
        // from the day asked, but nothing before the window opens nor beyond where it ends
        java.time.Instant asked = from.atStartOfDay(madoguchi.domain.BookingWindow.TOKYO).toInstant();
        java.time.Instant start = asked.isAfter(open.from()) ? asked : open.from();
        JsonArray out = new JsonArray();
        if (!site.walkIn() && start.isBefore(open.until())) {
            for (var slot : s.allocator().slots(site.id(), start, open.until())) {
                // every slot of [start, open.until()) is inside the window: only its seats are left to check
                if (slot.remaining(channel) <= 0) {
                    continue;
                }
                out.add(new JsonObject().put("slotId", slot.id()).put("start", Answers.time(slot.start()))
                        .put("end", Answers.time(slot.end())).put("remaining", slot.remaining(channel)));
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
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
        posts.run(ctx, "user:" + who.name(), 201, this::render, key -> s.staff().book(who, notice, slotId, override, reason, key));
    }

    /** A booking made or moved, as kept: rendered alike the first time and on a replay. */
    private JsonObject render(madoguchi.app.booking.KeptDecision booking) {
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
            // as callers say it: 080-0019-3084, 08000193084, +81 80 0019 3084, full-width digits
            String e164 = PhoneNumber.e164(phone);
            if (e164 == null) {
                throw Problem.badRequest("'phone' is not a phone number (write it as 090-1234-5678, 09012345678 or +819012345678).");
            }
            cards = s.cards().byPhone(e164);
        } else if (code != null) {
            String c = BookingCode.normalize(code);
            cards = c == null ? Future.succeededFuture(List.of())
                    : s.bookings().byCode(c).compose(b -> b.isEmpty() ? Future.succeededFuture(List.of())
                            : s.cards().byId(b.get().cardId()).map(x -> x.map(List::of).orElse(List.of())));
        } else {
            throw Problem.badRequest("Give one of noticeNumber, phone or code.");
        }
        Words.Language language = Answers.language(ctx);
        cards.compose(found -> withBookings(found, language)).onFailure(ctx::fail).onSuccess(out -> Answers.json(ctx, 200, out));
    }

    private Future<JsonArray> withBookings(List<CardRecord> cards, Words.Language language) {
        List<Future<JsonObject>> each = new ArrayList<>();
        for (CardRecord card : cards) {
            Future<JsonArray> locks = locks(card, language);
            each.add(s.bookings().ofCard(card.id()).compose(list -> locks.map(held -> {
                JsonArray bookings = new JsonArray();
                for (BookingView b : list) {
                    bookings.add(Answers.booking(b).put("overrideReason", b.overrideReason()).put("bookedBy", b.bookedBy()));
                }
                return new JsonObject()
                        .put("card", new JsonObject().put("noticeNumber", card.noticeNumber()).put("siteId", card.siteId())
                                .put("state", card.state().wire()).put("phone", card.phone())
                                .put("locks", held))
                        .put("bookings", bookings);
            })));
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
        s.staff().block(who, slotId, blocked, reason).onFailure(ctx::fail).onSuccess(found -> {
            if (!found) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
            } else {
                Answers.json(ctx, 200, new JsonObject().put("slotId", slotId).put("blocked", blocked));
            }
        });
    }

    /** The card's locks in the words the resident read (without "call us": the operator is that call). */
    private Future<JsonArray> locks(CardRecord card, Words.Language language) {
        return s.locks().of(card).map(all -> {
            JsonArray out = new JsonArray();
            for (var held : all) {
                out.add(new JsonObject().put("what", held.what()).put("until", Answers.time(held.until()))
                        .put("message", held.words().text(language, held.until(), null)));
            }
            return out;
        });
    }
}
