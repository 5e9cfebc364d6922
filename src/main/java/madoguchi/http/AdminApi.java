package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.CapacityChange;
import madoguchi.app.CapacityResult;
import madoguchi.app.CardCsv;
import madoguchi.app.Principal;
import madoguchi.app.SiteStore;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Administrators: users, sites, capacity, card imports. */
final class AdminApi {
    private final Services s;
    private final Guard guard;

    AdminApi(Services services, Guard guard) {
        this.s = services;
        this.guard = guard;
    }

    void mount(Router router) {
        router.route("/api/v1/admin/*").handler(ctx -> guard.require(ctx, Principal.Role.ADMIN));
        router.post("/api/v1/admin/users").handler(this::createUser);
        router.post("/api/v1/admin/sites").handler(this::createSite);
        router.put("/api/v1/admin/sites/:siteId/capacity").handler(this::capacity);
        router.post("/api/v1/admin/cards/import").handler(this::importCards);
    }

    private void createUser(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String name = Inputs.text(body, "name", 64);
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw Problem.badRequest("'name' may use letters, digits and . _ - only.");
        }
        Principal.Role role = Principal.Role.fromWire(Inputs.text(body, "role", 20))
                .orElseThrow(() -> Problem.badRequest("'role' must be operator or admin."));
        Principal who = Guard.principal(ctx);
        s.users().create(name, role)
                .compose(created -> s.audit().record(who, "user.create", "user:" + name, null,
                        new JsonObject().put("name", name).put("role", role.wire()), null).map(created))
                .onFailure(e -> conflictOr(ctx, e, "user_exists"))
                .onSuccess(created -> Answers.json(ctx, 201, new JsonObject().put("name", created.name())
                        .put("role", created.role().wire()).put("token", created.token())));
    }

    private void createSite(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String id = Inputs.text(body, "id", 40);
        if (!id.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw Problem.badRequest("'id' must be lower-case letters, digits and dashes.");
        }
        JsonObject name = body.getValue("name") instanceof JsonObject ? body.getJsonObject("name") : null;
        if (name == null) {
            throw Problem.badRequest("'name' must be an object with 'ja' and 'en'.");
        }
        SiteKind kind = SiteKind.fromWire(Inputs.text(body, "kind", 20))
                .orElseThrow(() -> Problem.badRequest("'kind' must be center, ward, branch or popup."));
        String addressJa;
        String addressEn;
        Object address = body.getValue("address");
        if (address instanceof JsonObject) {
            addressJa = Inputs.optionalText((JsonObject) address, "ja", 300);
            addressEn = Inputs.optionalText((JsonObject) address, "en", 300);
        } else {
            addressJa = Inputs.optionalText(body, "address", 300);
            addressEn = addressJa;
        }
        int slotMinutes = body.getValue("slotMinutes") == null ? 15 : Inputs.integer(body, "slotMinutes", 5, 240);
        Site site = new Site(id, Inputs.text(name, "ja", 200), Inputs.text(name, "en", 200), kind,
                addressJa == null ? "" : addressJa, addressEn == null ? "" : addressEn, Inputs.bool(body, "walkIn", false),
                slotMinutes, new BookingWindow(Duration.ofHours(12), 56), Duration.ofSeconds(300), Duration.ofSeconds(120));
        Principal who = Guard.principal(ctx);
        s.siteStore().create(site)
                .compose(v -> s.sites().reload())
                .compose(v -> s.allocator().reload(id))
                .compose(v -> s.audit().record(who, "site.create", "site:" + id, null, ResidentApi.site(site), null))
                .onFailure(e -> conflictOr(ctx, e, "site_exists"))
                .onSuccess(v -> Answers.json(ctx, 201, ResidentApi.site(site)));
    }

    private void capacity(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        String dryRunText = Inputs.query(ctx, "dryRun");
        boolean dryRun = "true".equals(dryRunText);
        if (dryRunText != null && !dryRun && !"false".equals(dryRunText)) {
            throw Problem.badRequest("'dryRun' must be true or false.");
        }
        JsonObject body = Inputs.body(ctx);
        LocalDate from = Inputs.date(Inputs.text(body, "from", 10), "from");
        LocalDate to = Inputs.date(Inputs.text(body, "to", 10), "to");
        if (to.isBefore(from) || to.isAfter(from.plusDays(366))) {
            throw Problem.badRequest("'to' must be on or after 'from', and at most a year later.");
        }
        Set<DayOfWeek> weekdays = weekdays(body);
        LocalTime start = Inputs.time(Inputs.text(body, "startTime", 5), "startTime");
        LocalTime end = Inputs.time(Inputs.text(body, "endTime", 5), "endTime");
        if (!end.isAfter(start)) {
            throw Problem.badRequest("'endTime' must be after 'startTime'.");
        }
        int counters = Inputs.integer(body, "counters", 0, 200);
        int perCounter = Inputs.integer(body, "perCounter", 0, 50);
        int capacity = counters * perCounter;
        Integer web = null;
        Integer phone = null;
        if (body.getValue("quota") != null) {
            if (!(body.getValue("quota") instanceof JsonObject)) {
                throw Problem.badRequest("'quota' must be an object with 'web' and 'phone'.");
            }
            web = Inputs.optionalInteger(body.getJsonObject("quota"), "web", 0, 10_000);
            phone = Inputs.optionalInteger(body.getJsonObject("quota"), "phone", 0, 10_000);
        }
        int p = phone == null ? capacity : phone;
        int w = web == null ? p : web;
        if (w > p || p > capacity) {
            throw new Problem(400, "invalid_quota", "Quotas must satisfy web <= phone <= capacity (" + capacity + ").");
        }
        String displacedText = Inputs.optionalText(body, "displaced", 10);
        CapacityChange.Displacement mode;
        if (displacedText == null || displacedText.equals("keep")) {
            mode = CapacityChange.Displacement.KEEP_AS_OVERRIDE;
        } else if (displacedText.equals("cancel")) {
            mode = CapacityChange.Displacement.CANCEL;
        } else {
            throw Problem.badRequest("'displaced' must be keep or cancel.");
        }
        Principal who = Guard.principal(ctx);
        CapacityChange change = new CapacityChange(site.id(), from, to, weekdays, start, end, counters, perCounter,
                web, phone, mode, who.name(), Inputs.optionalText(body, "reason", 500));
        s.capacity().change(change, dryRun).onFailure(ctx::fail).onSuccess(result -> Answers.json(ctx, 200, capacityJson(result)));
    }

    static JsonObject capacityJson(CapacityResult result) {
        JsonArray displaced = new JsonArray();
        for (CapacityResult.Displaced d : result.displaced()) {
            displaced.add(new JsonObject().put("kind", d.kind()).put("code", d.code()).put("slotId", d.slotId())
                    .put("start", Answers.time(d.start())).put("channel", d.channel()).put("action", d.action()));
        }
        return new JsonObject().put("dryRun", !result.applied()).put("slotsChanged", result.slotsChanged())
                .put("slotsAdded", result.slotsAdded()).put("displaced", displaced);
    }

    private static Set<DayOfWeek> weekdays(JsonObject body) {
        Object v = body.getValue("weekdays");
        if (v == null) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        if (!(v instanceof JsonArray) || ((JsonArray) v).isEmpty()) {
            throw Problem.badRequest("'weekdays' must be a non-empty list such as [\"sat\", \"sun\"] or [6, 7].");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (Object d : (JsonArray) v) {
            days.add(weekday(d));
        }
        return days;
    }

    private static DayOfWeek weekday(Object d) {
        if (d instanceof Number && ((Number) d).intValue() >= 1 && ((Number) d).intValue() <= 7
                && ((Number) d).doubleValue() == ((Number) d).intValue()) {
            return DayOfWeek.of(((Number) d).intValue());
        }
        if (d instanceof String) {
            for (DayOfWeek w : DayOfWeek.values()) {
                if (w.name().substring(0, 3).equalsIgnoreCase((String) d)) {
                    return w;
                }
            }
        }
        throw Problem.badRequest("'weekdays' entries must be 1-7 (Monday = 1) or mon..sun.");
    }

    private void importCards(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) {
            throw Problem.badRequest("Send the CSV file as the request body (header " + String.join(",", CardCsv.REQUIRED) + ").");
        }
        String text = ctx.body().asString("UTF-8");
        Set<String> sites = s.sites().all().stream().map(Site::id).collect(Collectors.toSet());
        CardCsv.Parsed parsed = CardCsv.parse(text, sites);
        if (parsed.headerError() != null) {
            throw new Problem(400, "invalid_csv", parsed.headerError());
        }
        Principal who = Guard.principal(ctx);
        s.cardImport().upsert(parsed.rows(), who.name())
                .compose(counts -> s.audit().record(who, "cards.import", "cards", null,
                        new JsonObject().put("imported", counts.imported()).put("updated", counts.updated())
                                .put("rejected", parsed.rejected().size()), null).map(counts))
                .onFailure(ctx::fail)
                .onSuccess(counts -> {
                    JsonArray rejected = new JsonArray();
                    parsed.rejected().forEach(r -> rejected.add(new JsonObject().put("line", r.line()).put("error", r.error())));
                    Answers.json(ctx, 200, new JsonObject().put("imported", counts.imported())
                            .put("updated", counts.updated()).put("rejected", rejected));
                });
    }

    private static void conflictOr(RoutingContext ctx, Throwable e, String code) {
        if (e instanceof SiteStore.Conflict) {
            Answers.error(ctx, 409, code, e.getMessage());
        } else {
            ctx.fail(e);
        }
    }
}
