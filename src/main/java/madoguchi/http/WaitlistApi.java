package madoguchi.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.CardRef;
import madoguchi.app.sites.Sites;
import madoguchi.app.cards.CardStore;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.app.waitlist.Waitlist;
import madoguchi.app.waitlist.WaitlistStore;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.Refusal;

import java.time.LocalDate;

/**
 * The waitlist for residents (their own card, by token) and for operators (any card, by notice
 * number, audited), plus the operators' list of a site.
 */
public final class WaitlistApi {
    private static final int MAX_DAYS = 62;
    private final Needs s;
    private final Guard guard;

    /** What the waitlist's requests work with: the waitlist, staff actions for operators, the sites, seats and cards. */
    public record Needs(Waitlist waitlist, StaffActions staff, Sites sites, Allocator allocator, CardStore cards) {
    }

    WaitlistApi(Needs needs, Guard guard) {
        this.s = needs;
        this.guard = guard;
    }

    void mount(Router router) {
        router.post("/api/v1/waitlist").handler(this::join);
        router.get("/api/v1/waitlist").handler(this::read);
        router.delete("/api/v1/waitlist").handler(this::leave);
        router.post("/api/v1/waitlist/offer/accept").handler(this::accept);
        // operators: /api/v1/operator/* is guarded by OperatorApi
        router.post("/api/v1/operator/waitlist").handler(this::joinFor);
        // the notice number travels in the query or the body, never in the path: paths are logged
        router.get("/api/v1/operator/waitlist").handler(this::readFor);
        router.delete("/api/v1/operator/waitlist").handler(this::leaveFor);
        router.post("/api/v1/operator/waitlist/accept").handler(this::acceptFor);
        router.get("/api/v1/operator/sites/:siteId/waitlist").handler(this::ofSite);
    }

    private void join(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        JsonObject body = Inputs.body(ctx);
        LocalDate[] range = range(body);
        s.waitlist().join(card, range[0], range[1], Channel.WEB, "resident").compose(this::withPlace)
                .onFailure(ctx::fail).onSuccess(a -> answer(ctx, a, 201));
    }

    private void read(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        entryOf(card).onFailure(ctx::fail).onSuccess(a -> entry(ctx, a));
    }

    /** A card's entry; a card never on the list is a plain answer ({"state":"none"}), not a 404 to every page that looks. */
    private void entry(RoutingContext ctx, Placed p) {
        if (p.answer().problem() == Waitlist.Problem.NOT_WAITING) {
            Answers.json(ctx, 200, new JsonObject().put("state", "none"));
        } else {
            answer(ctx, p, 200);
        }
    }

    private void leave(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        s.waitlist().leave(card).onFailure(ctx::fail).onSuccess(a -> answer(ctx, a, 200));
    }

    private void accept(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        s.waitlist().accept(card, "resident").onFailure(ctx::fail).onSuccess(a -> accepted(ctx, a));
    }

    private void joinFor(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        JsonObject body = Inputs.body(ctx);
        String notice = notice(Inputs.text(body, "noticeNumber", 40));
        LocalDate[] range = range(body);
        String reason = Inputs.optionalText(body, "reason", 500);
        forCard(ctx, s.staff().joinWaitlist(who, notice, range[0], range[1], reason),
                a -> withPlace(a).onSuccess(p -> answer(ctx, p, 201)));
    }

    private void readFor(RoutingContext ctx) {
        withCard(ctx, notice(Inputs.query(ctx, "noticeNumber")), card -> entryOf(card).onSuccess(a -> entry(ctx, a)));
    }

    private void leaveFor(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String notice = notice(Inputs.query(ctx, "noticeNumber"));
        forCard(ctx, s.staff().leaveWaitlist(who, notice), a -> answer(ctx, a, 200));
    }

    private void acceptFor(RoutingContext ctx) {
        Principal who = Guard.principal(ctx);
        String notice = notice(Inputs.text(Inputs.body(ctx), "noticeNumber", 40));
        forCard(ctx, s.staff().acceptOffer(who, notice), a -> accepted(ctx, a));
    }

    private void ofSite(RoutingContext ctx) {
        var site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        s.waitlist().ofSite(site.id()).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray out = new JsonArray();
            int place = 0;
            for (WaitlistStore.Entry e : list) {
                JsonObject json = render(e).put("noticeNumber", e.noticeNumber());
                if ("waiting".equals(e.state())) {
                    json.put("place", ++place);
                }
                out.add(json);
            }
            Answers.json(ctx, 200, new JsonObject().put("siteId", site.id()).put("entries", out));
        });
    }

    /** Runs {@code work} for the card with that notice number, or answers 404. */
    private void withCard(RoutingContext ctx, String notice, java.util.function.Function<CardRef, Future<?>> work) {
        s.cards().byNoticeNumber(notice).compose(card -> {
            if (card.isEmpty()) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
                return Future.succeededFuture();
            }
            return work.apply(new CardRef(card.get().id(), card.get().siteId()));
        }).onFailure(ctx::fail);
    }

    /** Answers a staff action on the card with a notice number: 404 when there is no such card. */
    private void forCard(RoutingContext ctx, Future<java.util.Optional<Waitlist.Answer>> done,
                         java.util.function.Consumer<Waitlist.Answer> answer) {
        done.onFailure(ctx::fail).onSuccess(found -> {
            if (found.isEmpty()) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
            } else {
                answer.accept(found.get());
            }
        });
    }

    /** An answer with, for a waiting entry, its place in the site's list (1 = next to be offered). */
    private record Placed(Waitlist.Answer answer, Integer place) {
        WaitlistStore.Entry entry() {
            return answer.entry();
        }
    }

    private Future<Placed> entryOf(CardRef card) {
        return s.waitlist().entryOf(card.cardId()).compose(found -> found.isEmpty()
                ? Future.succeededFuture(new Placed(new Waitlist.Answer(null, Waitlist.Problem.NOT_WAITING, null), null))
                : withPlace(new Waitlist.Answer(found.get(), null, null)));
    }

    private Future<Placed> withPlace(Waitlist.Answer a) {
        if (a.entry() == null || !"waiting".equals(a.entry().state())) {
            return Future.succeededFuture(new Placed(a, null));
        }
        return s.waitlist().ahead(a.entry()).map(n -> new Placed(a, n + 1))
                .recover(e -> Future.succeededFuture(new Placed(a, null)));
    }

    private void answer(RoutingContext ctx, Placed p, int status) {
        answer(ctx, p.answer(), p.place(), status);
    }

    private void answer(RoutingContext ctx, Waitlist.Answer a, int status) {
        answer(ctx, a, null, status);
    }

    private void answer(RoutingContext ctx, Waitlist.Answer a, Integer place, int status) {
        if (a.problem() != null) {
            Answers.refuse(ctx, a.problem());
            return;
        }
        JsonObject json = render(a.entry());
        if (place != null) {
            json.put("place", place);
        }
        Answers.json(ctx, status, json);
    }

    private void accepted(RoutingContext ctx, Waitlist.Answer a) {
        if (a.problem() != null) {
            Answers.refuse(ctx, a.problem());
        } else if (!a.settled().ok()) {
            Answers.settled(ctx, a.settled(), 200, d -> null);
        } else {
            Answers.json(ctx, 201, renderBooking(a));
        }
    }

    private JsonObject renderBooking(Waitlist.Answer a) {
        var booking = Decision.bookingOf(a.settled().decision());
        return Answers.booking(booking, s.allocator().slot(booking.slotId()), "active")
                .put("moved", a.settled().decision() instanceof madoguchi.domain.Decision.HoldMovedInto);
    }

    private JsonObject render(WaitlistStore.Entry e) {
        JsonObject json = new JsonObject()
                .put("siteId", e.siteId())
                .put("from", e.from().toString())
                .put("to", e.to().toString())
                .put("channel", e.channel().wire())
                .put("state", e.state())
                .put("createdAt", Answers.time(e.createdAt()));
        if (e.slotId() != null && e.expiresAt() != null) {
            var slot = s.allocator().slot(e.slotId());
            json.put("offer", new JsonObject()
                    .put("slotId", e.slotId())
                    .put("start", slot == null ? null : Answers.time(slot.start()))
                    .put("end", slot == null ? null : Answers.time(slot.end()))
                    .put("offeredAt", Answers.time(e.offeredAt()))
                    .put("expiresAt", Answers.time(e.expiresAt())));
        }
        return json;
    }

    private static LocalDate[] range(JsonObject body) {
        LocalDate from = Inputs.date(Inputs.text(body, "from", 10), "from");
        LocalDate to = Inputs.date(Inputs.text(body, "to", 10), "to");
        if (to.isBefore(from)) {
            throw Problem.badRequest("'to' must not be before 'from'.");
        }
        if (to.isAfter(from.plusDays(MAX_DAYS))) {
            throw Problem.badRequest("Ask for at most " + MAX_DAYS + " days.");
        }
        return new LocalDate[] {from, to};
    }

    private static String notice(String given) {
        String notice = NoticeNumber.normalize(given);
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        return notice;
    }
}
