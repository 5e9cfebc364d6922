package madoguchi.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.Words;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.booking.CalendarFile;
import madoguchi.app.booking.CardRef;
import madoguchi.app.sites.SiteAccess;
import madoguchi.app.staff.SiteAccessNotes;
import madoguchi.app.sites.Sites;
import madoguchi.app.sms.BookingNotices;
import madoguchi.domain.CallCenterHours;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;

import java.time.Clock;
import java.util.Map;

/**
 * What a resident keeps the booking with, and whom to ask: the booking as a calendar file, the
 * SMS notices they chose, the call center's number and hours; and the administrators' editing of
 * the access notes residents see with their site.
 */
public final class KeepApi {
    private final Needs s;
    private final Guard guard;

    /** The bookings and sites, the notices and access notes, and the call center as configured. */
    public record Needs(BookingStore bookings, Sites sites, BookingNotices notices, SiteAccessNotes access, Clock clock,
                 String callCenter, CallCenterHours callCenterHours, String calendarHost) {
    }

    KeepApi(Needs needs, Guard guard) {
        this.s = needs;
        this.guard = guard;
    }

    void mount(Router router) {
        router.get("/api/v1/bookings/:code/calendar.ics").handler(this::calendar);
        router.get("/api/v1/residents/me/notices").handler(this::notices);
        router.put("/api/v1/residents/me/notices").handler(this::setNotices);
        router.get("/api/v1/call-center").handler(this::callCenter);
        // /api/v1/admin/* is guarded in HttpVerticle; an unknown site is a 404 there (SiteMisses)
        router.put("/api/v1/admin/sites/:siteId/access").handler(this::setAccess);
    }

    /** The booking as an iCalendar file, for the card that holds it (as its read), in the request's language. */
    private void calendar(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        String code = ResidentApi.code(ctx);
        Words.Language language = Answers.language(ctx);
        s.bookings().byCode(code).onFailure(ctx::fail).onSuccess(found -> {
            BookingView b = found.orElse(null);
            if (b == null || b.cardId() != card.cardId() || !"active".equals(b.status())) {
                // a cancelled or issued booking has no date to keep
                Answers.refuse(ctx, Refusal.NOT_FOUND);
                return;
            }
            Site site = s.sites().get(b.siteId());
            boolean en = language == Words.Language.EN;
            String name = site == null ? "" : en ? site.nameEn() : site.nameJa();
            String address = site == null ? "" : en ? site.addressEn() : site.addressJa();
            Map<String, String> values = Map.of("site", name, "code", b.code());
            String text = CalendarFile.of(new CalendarFile.Entry(b.code(), b.start(), b.end(),
                    Words.CALENDAR_SUMMARY.filled(language, s.callCenter(), values), name + (address.isEmpty() ? "" : ", " + address),
                    Words.CALENDAR_DESCRIPTION.filled(language, s.callCenter(), values)), s.clock().instant(), s.calendarHost());
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/calendar; charset=utf-8")
                    .putHeader("Content-Disposition", "attachment; filename=\"booking-" + b.code() + ".ics\"")
                    .putHeader("Cache-Control", "no-store")
                    .end(text);
        });
    }

    /** The card's mobile number, masked, and whether the resident wants SMS notices of their booking. */
    private void notices(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        s.notices().contact(card.cardId()).onFailure(ctx::fail).onSuccess(c -> Answers.json(ctx, 200, contact(c)));
    }

    private void setNotices(RoutingContext ctx) {
        CardRef card = guard.resident(ctx);
        JsonObject body = Inputs.body(ctx);
        if (!(body.getValue("sms") instanceof Boolean wanted)) {
            throw Problem.badRequest("'sms' must be true or false.");
        }
        s.notices().choose(card.cardId(), wanted).compose(v -> s.notices().contact(card.cardId()))
                .onFailure(ctx::fail).onSuccess(c -> Answers.json(ctx, 200, contact(c)));
    }

    static JsonObject contact(BookingNotices.Contact c) {
        return new JsonObject().put("mobile", c.maskedMobile()).put("sms", c.sms());
    }

    /** Whom residents may call, and when: the number and hours configured, and the line to print under a page. */
    private void callCenter(RoutingContext ctx) {
        String number = s.callCenter();
        CallCenterHours hours = s.callCenterHours();
        JsonObject text = new JsonObject();
        for (Words.Language l : Words.Language.values()) {
            String line = number == null || number.isBlank() ? ""
                    : Words.CALL_CENTER_FOOTER.filled(l, number, Map.of("number", number));
            if (!hours.always() && !line.isEmpty()) {
                line += (l == Words.Language.EN ? ", " : "　")
                        + Words.CALL_CENTER_HOURS.filled(l, number, Map.of("hours", hours.text(l == Words.Language.EN)));
            }
            text.put(l.tag(), line);
        }
        ctx.response().putHeader("Cache-Control", "public, max-age=300");
        Answers.json(ctx, 200, new JsonObject().put("number", number)
                .put("hours", hours.always() ? null : new JsonObject().put("ja", hours.text(false)).put("en", hours.text(true)))
                .put("text", text));
    }

    private void setAccess(RoutingContext ctx) {
        String siteId = ctx.pathParam("siteId");
        JsonObject body = Inputs.body(ctx);
        String mapUrl = Inputs.optionalText(body, "mapUrl", 500);
        if (mapUrl != null && !mapUrl.isBlank() && !mapUrl.matches("https://[^\\s\"<>]+")) {
            throw Problem.badRequest("'mapUrl' must be an https:// address.");
        }
        JsonObject station = pair(body, "station");
        JsonObject parking = pair(body, "parking");
        JsonObject floor = pair(body, "floor");
        SiteAccess access = new SiteAccess(mapUrl, station.getString("ja"), station.getString("en"), parking.getString("ja"),
                parking.getString("en"), floor.getString("ja"), floor.getString("en"));
        // a site that does not exist is a 404, never a failed write (SiteMisses looked in the database already)
        if (s.sites().get(siteId) == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        s.access().change(Guard.principal(ctx), siteId, access).onFailure(ctx::fail)
                .onSuccess(v -> Answers.json(ctx, 200, ResidentApi.access(access).put("siteId", siteId)));
    }

    /** A note in both languages: {"ja": "…", "en": "…"}, each at most 300 characters; absent is empty. */
    private static JsonObject pair(JsonObject body, String field) {
        Object v = body.getValue(field);
        if (v == null) {
            return new JsonObject();
        }
        if (!(v instanceof JsonObject o)) {
            throw Problem.badRequest("'" + field + "' must be an object with 'ja' and 'en'.");
        }
        return new JsonObject().put("ja", Inputs.optionalText(o, "ja", 300)).put("en", Inputs.optionalText(o, "en", 300));
    }
}
