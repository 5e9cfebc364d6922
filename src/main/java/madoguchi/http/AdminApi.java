package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.capacity.CapacityChange;
import madoguchi.app.capacity.CapacityResult;
import madoguchi.app.sites.Sites;
import madoguchi.app.sms.SmsOutbox;
import madoguchi.app.staff.AdminActions;
import madoguchi.app.staff.AuditLog;
import madoguchi.app.staff.Principal;
import madoguchi.app.sites.SiteStore;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Administrators: users, sites, capacity, closures, the audit trail (card imports: CardUpload). */
public final class AdminApi {
    private final Needs s;
    private final Guard guard;

    /**
     * What administrators' requests work with: their actions (each audited), capacity changes, the
     * sites, the audit trail, and the text outbox (nudged when a closure cancelled bookings).
     */
    public record Needs(AdminActions admin, Sites sites, AuditLog auditLog, SmsOutbox sms) {
    }

    AdminApi(Needs needs, Guard guard) {
        this.s = needs;
        this.guard = guard;
    }

    void mount(Router router) {
        // /api/v1/admin/* is guarded in HttpVerticle, from the headers, before the body handler reads a byte
        router.post("/api/v1/admin/users").handler(this::createUser);
        router.post("/api/v1/admin/sites").handler(this::createSite);
        router.put("/api/v1/admin/sites/:siteId/capacity").handler(this::capacity);
        // POST /api/v1/admin/cards/import is CardUpload, mounted in HttpVerticle before the body handler
        router.post("/api/v1/admin/closures").handler(this::closure);
        router.delete("/api/v1/admin/closures").handler(this::reopen);
        router.post("/api/v1/admin/holidays").handler(this::holiday);
        router.post("/api/v1/admin/holidays/list").handler(this::holidays);
        router.get("/api/v1/admin/audit").handler(this::audit);
    }

    static CapacityChange.Displacement displacement(JsonObject body) {
        String displacedText = Inputs.optionalText(body, "displaced", 10);
        if (displacedText == null || displacedText.equals("keep")) {
            return CapacityChange.Displacement.KEEP_AS_OVERRIDE;
        } else if (displacedText.equals("cancel")) {
            return CapacityChange.Displacement.CANCEL;
        }
        throw Problem.badRequest("'displaced' must be keep or cancel.");
    }

    /** Closes a site for a day (what it displaces is reported, and handled, as for a capacity cut). */
    private void closure(RoutingContext ctx) {
        boolean dryRun = Inputs.dryRun(ctx);
        JsonObject body = Inputs.body(ctx);
        Site site = s.sites().get(Inputs.text(body, "siteId", 40));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        LocalDate date = Inputs.date(Inputs.text(body, "date", 10), "date");
        String reason = Inputs.text(body, "reason", 500);
        CapacityChange.Displacement mode = displacement(body);
        Principal who = Guard.principal(ctx);
        s.admin().closeDay(site.id(), date, mode, who.name(), reason, dryRun).onFailure(ctx::fail).onSuccess(result -> {
            if (!dryRun && mode == CapacityChange.Displacement.CANCEL) {
                s.sms().retryDue();
            }
            Answers.json(ctx, 200, capacityJson(result).put("siteId", site.id()).put("date", date.toString()));
        });
    }

    /**
     * Adds a holiday (a national one, a city closure of every office) and plans the day again at
     * every site; the dry run lists, per site, the bookings it would displace.
     */
    private void holiday(RoutingContext ctx) {
        boolean dryRun = Inputs.dryRun(ctx);
        JsonObject body = Inputs.body(ctx);
        LocalDate date = Inputs.date(Inputs.text(body, "date", 10), "date");
        String nameJa = Inputs.text(body, "nameJa", 100);
        String nameEn = Inputs.text(body, "nameEn", 100);
        String reason = Inputs.optionalText(body, "reason", 500);
        CapacityChange.Displacement mode = displacement(body);
        Principal who = Guard.principal(ctx);
        s.admin().addHoliday(who, date, nameJa, nameEn, mode, reason == null ? nameJa : reason, dryRun).onFailure(ctx::fail)
                .onSuccess(bySite -> {
                    JsonArray sites = new JsonArray();
                    int displaced = 0;
                    for (var e : bySite.entrySet()) {
                        sites.add(capacityJson(e.getValue()).put("siteId", e.getKey()));
                        displaced += e.getValue().displaced().size();
                    }
                    if (!dryRun && mode == CapacityChange.Displacement.CANCEL) {
                        s.sms().retryDue();
                    }
                    Answers.json(ctx, 200, new JsonObject().put("date", date.toString()).put("applied", !dryRun)
                            .put("bookingsDisplaced", displaced).put("sites", sites));
                });
    }

    /**
     * Adds a list of holidays (the national list for the coming years, read on the /admin page
     * from the Cabinet Office's CSV), one after another: days already planned are planned again
     * at every site, later ones are planned with them when they come.
     */
    private void holidays(RoutingContext ctx) {
        boolean dryRun = Inputs.dryRun(ctx);
        JsonObject body = Inputs.body(ctx);
        if (!(body.getValue("holidays") instanceof JsonArray list) || list.isEmpty() || list.size() > 200) {
            throw Problem.badRequest("'holidays' must be a list of 1 to 200 days.");
        }
        List<JsonObject> days = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof JsonObject day)) {
                throw Problem.badRequest("'holidays' must hold objects with date, nameJa and nameEn.");
            }
            Inputs.date(Inputs.text(day, "date", 10), "date");
            Inputs.text(day, "nameJa", 100);
            Inputs.optionalText(day, "nameEn", 100);
            days.add(day);
        }
        CapacityChange.Displacement mode = displacement(body);
        Principal who = Guard.principal(ctx);
        int[] displaced = {0};
        io.vertx.core.Future<Void> all = io.vertx.core.Future.succeededFuture();
        for (JsonObject day : days) {
            LocalDate date = LocalDate.parse(day.getString("date"));
            String nameJa = day.getString("nameJa").strip();
            String nameEn = day.getString("nameEn") == null ? nameJa : day.getString("nameEn").strip();
            all = all.compose(v -> s.admin().addHoliday(who, date, nameJa, nameEn, mode, nameJa, dryRun).map(bySite -> {
                bySite.values().forEach(r -> displaced[0] += r.displaced().size());
                return null;
            }));
        }
        all.onFailure(ctx::fail).onSuccess(v -> {
            if (!dryRun && mode == CapacityChange.Displacement.CANCEL) {
                s.sms().retryDue();
            }
            Answers.json(ctx, 200, new JsonObject().put("days", days.size()).put("applied", !dryRun)
                    .put("bookingsDisplaced", displaced[0]));
        });
    }

    /** Undoes a site's closure of a day: the day gets back the seats its opening rules give. */
    private void reopen(RoutingContext ctx) {
        boolean dryRun = Inputs.dryRun(ctx);
        String siteId = Inputs.query(ctx, "siteId");
        if (siteId == null) {
            throw Problem.badRequest("'siteId' is required.");
        }
        Site site = s.sites().get(siteId);
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        LocalDate date = Inputs.date(Inputs.query(ctx, "date"), "date");
        String reason = Inputs.query(ctx, "reason");
        if (reason != null && reason.length() > 500) {
            throw Problem.badRequest("'reason' must be at most 500 characters.");
        }
        Principal who = Guard.principal(ctx);
        s.admin().reopenDay(who, site.id(), date, reason, dryRun).onFailure(ctx::fail).onSuccess(result -> {
            if (!result.found()) {
                Answers.error(ctx, 404, "not_found", Answers.language(ctx) == madoguchi.app.Words.Language.EN
                        ? "This site is not closed on that day." : "この会場はその日に閉じていません。");
                return;
            }
            Answers.json(ctx, 200, new JsonObject().put("siteId", site.id()).put("date", date.toString())
                    .put("slotsRestored", result.restored()).put("slotsAdded", result.added()).put("applied", !dryRun));
        });
    }

    /** The audit trail, newest first; {@code format=csv} (or Accept: text/csv) for a spreadsheet. */
    private void audit(RoutingContext ctx) {
        String actor = Inputs.query(ctx, "actor");
        String action = Inputs.query(ctx, "action");
        String target = Inputs.query(ctx, "target");
        java.time.Instant from = instant(Inputs.query(ctx, "from"), "from", false);
        java.time.Instant to = instant(Inputs.query(ctx, "to"), "to", true);
        String before = Inputs.query(ctx, "before");
        Long beforeId;
        try {
            beforeId = before == null ? null : Long.parseLong(before);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("'before' must be an entry id.");
        }
        String format = Inputs.query(ctx, "format");
        String accept = ctx.request().getHeader("Accept");
        boolean csv = "csv".equals(format) || (format == null && accept != null && accept.startsWith("text/csv"));
        if (format != null && !csv && !"json".equals(format)) {
            throw Problem.badRequest("'format' must be json or csv.");
        }
        int limit;
        try {
            String l = Inputs.query(ctx, "limit");
            limit = l == null ? (csv ? 10_000 : 200) : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("'limit' must be a whole number.");
        }
        if (limit < 1 || limit > 10_000) {
            throw Problem.badRequest("'limit' must be between 1 and 10000.");
        }
        for (String[] f : new String[][] {{"actor", actor}, {"action", action}, {"target", target}}) {
            if (f[1] != null && f[1].length() > 200) {
                throw Problem.badRequest("'" + f[0] + "' is too long.");
            }
        }
        s.auditLog().find(new madoguchi.app.staff.AuditLog.Filter(actor, action, target, from, to, beforeId, limit))
                .onFailure(ctx::fail).onSuccess(entries -> {
                    if (csv) {
                        StringBuilder out = new StringBuilder("id,at,actor,role,action,target,reason,before,after\r\n");
                        for (var e : entries) {
                            out.append(e.id()).append(',').append(Answers.time(e.at())).append(',').append(cell(e.actor())).append(',')
                                    .append(cell(e.role())).append(',').append(cell(e.action())).append(',').append(cell(e.target()))
                                    .append(',').append(cell(e.reason())).append(',')
                                    .append(cell(e.before() == null ? null : e.before().encode())).append(',')
                                    .append(cell(e.after() == null ? null : e.after().encode())).append("\r\n");
                        }
                        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                                .putHeader("Content-Disposition", "attachment; filename=\"madoguchi-audit.csv\"")
                                .end(out.toString());
                        return;
                    }
                    JsonArray list = new JsonArray();
                    for (var e : entries) {
                        list.add(new JsonObject().put("id", e.id()).put("at", Answers.time(e.at())).put("actor", e.actor())
                                .put("role", e.role()).put("action", e.action()).put("target", e.target())
                                .put("before", e.before()).put("after", e.after()).put("reason", e.reason()));
                    }
                    Answers.json(ctx, 200, new JsonObject().put("entries", list)
                            .put("next", entries.size() == limit ? entries.get(entries.size() - 1).id() : null));
                });
    }

    /** A CSV cell; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        String t = v;
        if (!t.isEmpty() && "=+-@\t\r".indexOf(t.charAt(0)) >= 0) {
            t = "'" + t;
        }
        if (t.contains(",") || t.contains("\"") || t.contains("\n") || t.contains("\r") || !t.equals(v)) {
            return "\"" + t.replace("\"", "\"\"") + "\"";
        }
        return t;
    }

    /**
     * A date (the day's start in Tokyo; for {@code to}, the next day's start) or an ISO instant with
     * offset, in the years 1 to 9999 as a date is: beyond them java.time overflows (year -999999999
     * at +18:00) or PostgreSQL's timestamp range ends.
     */
    private static java.time.Instant instant(String text, String field, boolean endOfDay) {
        if (text == null) {
            return null;
        }
        if (text.length() == 10) {
            LocalDate d = Inputs.date(text, field);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay(madoguchi.domain.BookingWindow.TOKYO).toInstant();
        }
        java.time.OffsetDateTime t;
        try {
            t = java.time.OffsetDateTime.parse(text);
        } catch (java.time.DateTimeException e) {
            throw Problem.badRequest("'" + field + "' must be a date (YYYY-MM-DD) or a time with offset.");
        }
        if (t.getYear() < 1 || t.getYear() > 9999) {
            throw Problem.badRequest("'" + field + "' must be in the years 1 to 9999.");
        }
        return t.toInstant();
    }

    private void createUser(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String name = Inputs.text(body, "name", 64);
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw Problem.badRequest("'name' may use letters, digits and . _ - only.");
        }
        Principal.Role role = Principal.Role.fromWire(Inputs.text(body, "role", 20))
                .orElseThrow(() -> Problem.badRequest("'role' must be operator or admin."));
        String password = Inputs.secret(body, "password");
        if (password != null && madoguchi.app.staff.Passwords.weakness(password) != null) {
            throw new Problem(400, "weak_password", madoguchi.app.staff.Passwords.weakness(password));
        }
        Principal who = Guard.principal(ctx);
        io.vertx.core.Future<String> hash = password == null ? io.vertx.core.Future.succeededFuture(null)
                : ctx.vertx().executeBlocking(() -> madoguchi.app.staff.Passwords.hash(password), false);
        hash.compose(h -> s.admin().createUser(who, name, role, h))
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
        if (Inputs.dryRun(ctx)) {
            // what would be opened, and whether the id is free; the capacity dry run then shows its seats (a walk-in site's tickets)
            if (s.sites().get(id) != null) {
                throw new Problem(409, "site_exists", "A site with this id exists already.");
            }
            Answers.json(ctx, 200, ResidentApi.site(site).put("dryRun", true));
            return;
        }
        Principal who = Guard.principal(ctx);
        s.admin().createSite(who, site, ResidentApi.site(site))
                .onFailure(e -> conflictOr(ctx, e, "site_exists"))
                .onSuccess(v -> Answers.json(ctx, 201, ResidentApi.site(site)));
    }

    private void capacity(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        boolean dryRun = Inputs.dryRun(ctx);
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
        Quota quota = quota(body, counters * perCounter);
        CapacityChange.Displacement mode = displacement(body);
        Principal who = Guard.principal(ctx);
        CapacityChange change = new CapacityChange(site.id(), from, to, weekdays, start, end, counters, perCounter,
                quota.web(), quota.phone(), mode, who.name(), Inputs.optionalText(body, "reason", 500));
        s.admin().changeCapacity(change, dryRun).onFailure(ctx::fail).onSuccess(result -> {
            if (!dryRun && mode == CapacityChange.Displacement.CANCEL) {
                s.sms().retryDue(); // the messages are in the outbox already; sending never holds up the answer
            }
            Answers.json(ctx, 200, capacityJson(result));
        });
    }

    /** Channel quotas as sent (null: the whole capacity), for a capacity change or an opening rule. */
    record Quota(Integer web, Integer phone) {
    }

    /** The body's optional {@code quota: {web, phone}}, checked to nest: web <= phone <= capacity. */
    static Quota quota(JsonObject body, int capacity) {
        Integer web = null;
        Integer phone = null;
        if (body.getValue("quota") != null) {
            if (!(body.getValue("quota") instanceof JsonObject quota)) {
                throw Problem.badRequest("'quota' must be an object with 'web' and 'phone'.");
            }
            web = Inputs.optionalInteger(quota, "web", 0, 10_000);
            phone = Inputs.optionalInteger(quota, "phone", 0, 10_000);
        }
        int p = phone == null ? capacity : phone;
        int w = web == null ? p : web;
        if (w > p || p > capacity) {
            throw new Problem(400, "invalid_quota", "Quotas must satisfy web <= phone <= capacity (" + capacity + ").");
        }
        return new Quota(web, phone);
    }

    static JsonObject capacityJson(CapacityResult result) {
        JsonArray displaced = new JsonArray();
        for (CapacityResult.Displaced d : result.displaced()) {
            displaced.add(new JsonObject().put("kind", d.kind()).put("code", d.code()).put("slotId", d.slotId())
                    .put("start", Answers.time(d.start())).put("channel", d.channel()).put("action", d.action())
                    .put("texted", d.texted()));
        }
        return new JsonObject().put("dryRun", !result.applied()).put("slotsChanged", result.slotsChanged())
                .put("slotsAdded", result.slotsAdded()).put("displaced", displaced);
    }

    static Set<DayOfWeek> weekdays(JsonObject body) {
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

    private static void conflictOr(RoutingContext ctx, Throwable e, String code) {
        if (e instanceof SiteStore.Conflict) {
            Answers.error(ctx, 409, code, e.getMessage());
        } else {
            ctx.fail(e);
        }
    }
}
