package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.booking.CardRef;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.staff.SiteAccessNotes;
import madoguchi.app.sites.Sites;
import madoguchi.app.sms.BookingNotices;
import madoguchi.app.booking.KeptDecision;
import madoguchi.app.booking.Settled;
import madoguchi.app.cards.CardStore;
import madoguchi.app.verification.ResidentTokens;
import madoguchi.app.verification.Verification;
import madoguchi.domain.BookingCode;
import madoguchi.app.counter.CounterDesk;
import madoguchi.app.counter.WalkInHours;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.PickUpNeeds;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.NoticeNumber;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;

import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The resident API: verify, availability, holds, bookings. It only translates: the limits and
 * rules are app/verification's and app/booking's, shared with the phone and SMS.
 */
public final class ResidentApi {
    private static final int MAX_DAYS = 62;
    private final Needs s;
    private final Guard guard;
    private final IdempotentPosts posts;
    private final AvailabilityJson availability = new AvailabilityJson();

    /**
     * What the resident API works with: the sites and their seats, the resident's changes and
     * verification, the signed tokens, the cards and bookings, and the number residents may call.
     */
    public record Needs(Sites sites, Allocator allocator, BookingChanges changes, Verification verification,
                        ResidentTokens tokens, CardStore cards, BookingStore bookings, Clock clock, String callCenter,
                        CounterDesk counter, WalkInHours walkInHours, BookingNotices notices, SiteAccessNotes access) {
    }

    ResidentApi(Needs needs, Guard guard, IdempotentPosts posts) {
        this.s = needs;
        this.guard = guard;
        this.posts = posts;
    }

    void mount(Router router) {
        router.get("/api/v1/sites").handler(this::sites);
        router.get("/api/v1/sites/:siteId/availability").handler(this::availability);
        router.post("/api/v1/residents/verify").handler(this::verify);
        router.get("/api/v1/residents/me").handler(this::me);
        router.get("/api/v1/residents/me/needs").handler(this::needs);
        router.put("/api/v1/residents/me/needs").handler(this::setNeeds);
        router.post("/api/v1/holds").handler(this::hold);
        router.post("/api/v1/holds/:holdId/confirm").handler(this::confirm);
        router.delete("/api/v1/holds/:holdId").handler(this::release);
        router.post("/api/v1/bookings").handler(this::book);
        router.get("/api/v1/bookings/:code").handler(this::read);
        router.delete("/api/v1/bookings/:code").handler(this::cancel);
        router.post("/api/v1/bookings/:code/reschedule").handler(this::reschedule);
    }

    private void sites(RoutingContext ctx) {
        // the access notes are a help, not the list: without the database the sites are still answered
        s.access().all().otherwise(java.util.Map.of()).onSuccess(access -> {
            JsonArray out = new JsonArray();
            for (Site site : s.sites().all()) {
                JsonObject json = site.walkIn() ? site(site).put("walkInHours", walkInHours(site)) : site(site);
                out.add(json.put("access", access(access.get(site.id()))));
            }
            Answers.json(ctx, 200, out);
        });
    }

    /** How to get there: a map link and the notes on station, parking and floor (null when none were written). */
    static JsonObject access(SiteAccess a) {
        if (a == null) {
            return null;
        }
        return new JsonObject().put("mapUrl", a.mapUrl())
                .put("station", new JsonObject().put("ja", a.stationJa()).put("en", a.stationEn()))
                .put("parking", new JsonObject().put("ja", a.parkingJa()).put("en", a.parkingEn()))
                .put("floor", new JsonObject().put("ja", a.floorJa()).put("en", a.floorEn()));
    }

    /** When a walk-in site is open in the coming week: each day's first open slot to its last (its seats are the day's tickets). */
    private JsonArray walkInHours(Site site) {
        JsonArray days = new JsonArray();
        for (WalkInHours.Open open : s.walkInHours().of(site)) {
            days.add(new JsonObject().put("date", open.day().toString()).put("opens", Answers.time(open.opens()))
                    .put("closes", Answers.time(open.closes())));
        }
        return days;
    }

    static JsonObject site(Site site) {
        return new JsonObject()
                .put("id", site.id())
                .put("name", new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()))
                .put("kind", site.kind().wire())
                .put("address", new JsonObject().put("ja", site.addressJa()).put("en", site.addressEn()))
                .put("walkIn", site.walkIn())
                .put("slotMinutes", site.slotMinutes())
                .put("horizonDays", site.window().horizonDays());
    }

    private void availability(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        Channel channel = Channel.fromWire(orDefault(Inputs.query(ctx, "channel"), "web"))
                .orElseThrow(() -> Problem.badRequest("'channel' must be web, phone or operator."));
        Instant now = s.clock().instant();
        LocalDate today = now.atZone(BookingWindow.TOKYO).toLocalDate();
        String fromText = Inputs.query(ctx, "from");
        String toText = Inputs.query(ctx, "to");
        LocalDate from = fromText == null ? today : Inputs.date(fromText, "from");
        LocalDate to = toText == null ? from.plusDays(13) : Inputs.date(toText, "to");
        if (to.isBefore(from)) {
            throw Problem.badRequest("'to' must not be before 'from'.");
        }
        if (to.isAfter(from.plusDays(MAX_DAYS))) {
            throw Problem.badRequest("Ask for at most " + MAX_DAYS + " days at a time.");
        }
        AvailabilityJson.Answer out = availability.answer();
        Instant start = from.atStartOfDay(BookingWindow.TOKYO).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant();
        if (!site.walkIn()) {
            BookingWindow.Open open = site.window().at(now, channel);
            for (SlotSeats slot : s.allocator().slots(site.id(), start, end)) {
                if (open.allows(slot.start())) {
                    out.add(slot, slot.remaining(channel), AvailabilityJson.seats(slot, channel));
                }
            }
        }
        Answers.json(ctx, 200, out.text());
    }

    private void verify(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String notice = NoticeNumber.normalize(Inputs.text(body, "noticeNumber", 40));
        LocalDate birth = Inputs.date(Inputs.text(body, "birthDate", 10), "birthDate");
        if (notice == null) {
            throw Problem.badRequest("'noticeNumber' must be 6 to 20 digits.");
        }
        // the limits (per address, per notice number, service-wide) are the app's, shared with the phone
        s.verification().byWeb(ctx.request().remoteAddress().hostAddress(), notice, birth).onFailure(ctx::fail).onSuccess(outcome -> {
            if (outcome instanceof Verification.Locked locked) {
                Answers.locked(ctx, locked, s.callCenter());
                return;
            }
            if (!(outcome instanceof Verification.Verified verified)) {
                // the same answer whether the number is unknown or the birth date wrong
                Answers.say(ctx, 401, madoguchi.app.Words.VERIFICATION_FAILED);
                return;
            }
            CardRecord found = verified.card();
            ResidentTokens.Issued issued = s.tokens().issue(new CardRef(found.id(), found.siteId()));
            Site site = s.sites().get(found.siteId());
            Answers.json(ctx, 200, new JsonObject()
                    .put("token", issued.token())
                    .put("expiresAt", Answers.time(issued.expiresAt()))
                    .put("siteId", found.siteId())
                    .put("cardState", found.state().wire())
                    .put("site", site == null ? null : site(site)));
        });
    }

    private void me(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        s.cards().byId(card.cardId()).compose(found -> s.bookings().ofCard(card.cardId()).map(list -> {
            JsonArray bookings = new JsonArray();
            list.forEach(b -> bookings.add(Answers.booking(b)));
            return new JsonObject()
                    .put("siteId", card.siteId())
                    .put("cardState", found.map(c -> c.state().wire()).orElse(null))
                    .put("bookings", bookings);
        })).onFailure(ctx::fail).onSuccess(json -> Answers.json(ctx, 200, json));
    }

    /** What the resident told the counter to prepare (a wheelchair, an interpreter, a proxy coming). */
    private void needs(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        s.cards().byId(card.cardId()).compose(found -> s.counter().needs(found.orElseThrow().noticeNumber())).onFailure(ctx::fail)
                .onSuccess(needs -> Answers.json(ctx, 200, CounterDesk.json(needs.orElse(PickUpNeeds.NONE))));
    }

    private void setNeeds(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        PickUpNeeds needs = CounterApi.needsOf(Inputs.body(ctx));
        s.cards().byId(card.cardId()).compose(found -> s.counter().setNeedsByResident(found.orElseThrow().noticeNumber(), needs))
                .onFailure(ctx::fail).onSuccess(v -> Answers.json(ctx, 200, CounterDesk.json(needs)));
    }

    private void hold(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        long slotId = Inputs.id(Inputs.body(ctx), "slotId");
        posts.run(ctx, scope(card), 201, this::renderHold, key -> s.changes().hold(card, slotId, Channel.WEB, key));
    }

    private void confirm(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        UUID holdId = holdId(ctx);
        posts.run(ctx, scope(card), 201, this::renderBooking, key -> told(ctx, card, null,
                s.changes().confirm(card, holdId, "resident", key)));
    }

    private void release(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        UUID holdId = holdId(ctx);
        s.changes().release(card, holdId).onFailure(ctx::fail).onSuccess(done -> Answers.settled(ctx, done, 200,
                d -> new JsonObject().put("holdId", holdId.toString()).put("status", "released")));
    }

    private void book(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        JsonObject body = Inputs.body(ctx);
        long slotId = Inputs.id(body, "slotId");
        Boolean sms = smsChoice(body);
        posts.run(ctx, scope(card), 201, this::renderBooking, key -> told(ctx, card, sms,
                s.changes().book(card, slotId, Channel.WEB, key)));
    }

    private void read(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        String code = code(ctx);
        s.bookings().byCode(code).onFailure(ctx::fail).onSuccess(found -> {
            if (found.isEmpty() || found.get().cardId() != card.cardId()) {
                Answers.refuse(ctx, Refusal.NOT_FOUND);
            } else {
                Answers.json(ctx, 200, Answers.booking(found.get()));
            }
        });
    }

    private void cancel(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        String code = code(ctx);
        told(ctx, card, null, s.changes().cancel(card, code, "cancelled by the resident")).onFailure(ctx::fail).onSuccess(done ->
                Answers.settled(ctx, done, 200, d -> new JsonObject().put("code", code).put("status", "cancelled")));
    }

    private void reschedule(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        String code = code(ctx);
        JsonObject body = Inputs.body(ctx);
        long slotId = Inputs.id(body, "slotId");
        Boolean sms = smsChoice(body);
        posts.run(ctx, scope(card), 200, this::renderBooking, key -> told(ctx, card, sms,
                s.changes().reschedule(card, code, slotId, Channel.WEB, key)));
    }

    /** The page's "Send me an SMS confirmation": true, false, or absent (null: the card's kept choice). */
    static Boolean smsChoice(JsonObject body) {
        Object v = body.getValue("smsConfirmation");
        if (v != null && !(v instanceof Boolean)) {
            throw Problem.badRequest("'smsConfirmation' must be true or false.");
        }
        return (Boolean) v;
    }

    /**
     * A change made (not refused, not a replay) keeps the resident's SMS choice before it is
     * answered, and is told to them by SMS in the request's language when they want it; the answer
     * does not wait for the message (it waits in the outbox until the provider took it).
     */
    private Future<Settled> told(RoutingContext ctx, CardRef card, Boolean sms, Future<Settled> change) {
        madoguchi.app.Words.Language language = Answers.language(ctx);
        return change.compose(done -> {
            Decision d = done.decision();
            if (d == null || done.replay() != null) {
                return Future.succeededFuture(done);
            }
            return s.notices().keep(card, sms).map(v -> {
                BookingNotices.Kind kind = d instanceof Decision.BookingMoved || d instanceof Decision.HoldMovedInto
                        ? BookingNotices.Kind.MOVED
                        : d instanceof Decision.BookingCancelled ? BookingNotices.Kind.CANCELLED : BookingNotices.Kind.BOOKED;
                var booking = Decision.bookingOf(d);
                SlotSeats slot = s.allocator().slot(booking.slotId());
                if (slot != null) {
                    s.notices().tell(card, kind, booking.code(), slot.start(), sms, language);
                }
                return done;
            });
        });
    }

    /** A booking made, confirmed or moved, as kept: rendered alike the first time and on a replay. */
    private JsonObject renderBooking(KeptDecision booking) {
        return Answers.booking(booking, s.allocator().slot(booking.slotId()), "active");
    }

    private JsonObject renderHold(KeptDecision hold) {
        return Answers.hold(hold, s.allocator().slot(hold.slotId()));
    }

    private static String scope(CardRef card) {
        return "card:" + card.cardId();
    }

    private static UUID holdId(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam("holdId"));
        } catch (IllegalArgumentException e) {
            throw new Problem(404, "not_found", "No such hold.");
        }
    }

    static String code(RoutingContext ctx) {
        String code = BookingCode.normalize(ctx.pathParam("code"));
        if (code == null) {
            throw new Problem(404, "not_found", "No such booking (a booking code has 10 digits).");
        }
        return code;
    }

    private static String orDefault(String v, String fallback) {
        return v == null ? fallback : v;
    }
}
