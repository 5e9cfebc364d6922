package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.sites.Sites;
import madoguchi.app.cards.LifecycleStore;
import madoguchi.app.staff.AdminActions;
import madoguchi.app.staff.Principal;
import madoguchi.app.staff.StaffActions;
import madoguchi.app.reports.Reports;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Forecast;
import madoguchi.domain.MonthlyFigures;
import madoguchi.domain.CardState;
import madoguchi.domain.Reconciliation;
import madoguchi.domain.Site;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The card's end at the counter (operators) and the administrators' reports: monthly movements
 * and backlog (JSON or CSV), shelf counts and their reconciliation, the forecast; and the admin
 * reports page. Mounted after the operator and admin APIs, whose guards cover these paths.
 */
public final class ReportsApi {
    private final Needs s;

    /** What the reports work with: the figures, the sites, and the audited hand-over and count. */
    public record Needs(Reports reports, Sites sites, StaffActions staff, AdminActions admin) {
    }

    ReportsApi(Needs needs) {
        this.s = needs;
    }

    void mount(Router router) {
        router.post("/api/v1/operator/bookings/:code/issued").handler(this::issued);
        router.get("/api/v1/admin/reports/monthly").handler(this::monthly);
        router.get("/api/v1/admin/reports/monthly.csv").handler(ctx -> monthly(ctx, true));
        router.post("/api/v1/admin/inventory").handler(this::recordCount);
        router.get("/api/v1/admin/reports/reconciliation").handler(this::reconciliation);
        router.get("/api/v1/admin/reports/forecast").handler(this::forecast);
        router.get("/api/v1/admin/reports/steps").handler(this::steps);
        router.get("/api/v1/admin/reports/outlook").handler(this::outlook);
        ReportsPage.load().mount(router);
    }

    private void issued(RoutingContext ctx) {
        String code = BookingCode.normalize(ctx.pathParam("code"));
        if (code == null) {
            throw new Problem(404, "not_found", "No booking has that code.");
        }
        Principal who = Guard.principal(ctx);
        s.staff().issue(who, code).onFailure(ctx::fail).onSuccess(result -> {
            if (result instanceof LifecycleStore.Issued issued) {
                Answers.json(ctx, 200, new JsonObject().put("code", code).put("status", "issued").put("was", issued.was())
                        .put("siteId", issued.booking().siteId()).put("cardState", "issued"));
            } else if (result instanceof LifecycleStore.AlreadyIssued already) {
                Answers.json(ctx, 200, new JsonObject().put("code", code).put("status", "issued")
                        .put("siteId", already.booking().siteId()).put("cardState", "issued").put("alreadyIssued", true));
            } else if (result instanceof LifecycleStore.NotActive notActive) {
                Answers.error(ctx, 409, "booking_not_active", notActive.status().equals("no_show_rebooked")
                        ? "The resident missed this booking and has booked again; mark the new booking issued."
                        : "This booking was " + notActive.status() + "; only an active booking or a no-show can be issued.");
            } else if (result instanceof LifecycleStore.CardNotReady notReady) {
                Answers.error(ctx, 409, "card_not_ready", "The card is " + notReady.state() + ", not ready: it cannot be handed over.");
            } else {
                Answers.error(ctx, 404, "not_found", "No booking has that code.");
            }
        });
    }

    private void monthly(RoutingContext ctx) {
        String format = Inputs.query(ctx, "format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw Problem.badRequest("'format' must be json or csv.");
        }
        String accept = ctx.request().getHeader("Accept");
        monthly(ctx, "csv".equals(format) || format == null && accept != null && accept.startsWith("text/csv"));
    }

    private void monthly(RoutingContext ctx, boolean csv) {
        YearMonth to = month(Inputs.query(ctx, "to"), "to", YearMonth.from(s.reports().today()));
        YearMonth from = month(Inputs.query(ctx, "from"), "from", to.minusMonths(11));
        if (from.isAfter(to) || from.plusMonths(240).isBefore(to)) {
            throw Problem.badRequest("'from' must not be after 'to', and at most 240 months before it.");
        }
        s.reports().monthly(from, to).onFailure(ctx::fail).onSuccess(report -> {
            if (csv) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"madoguchi-monthly-" + from + "-" + to + ".csv\"")
                        .end(csv(report));
            } else {
                Answers.json(ctx, 200, json(report));
            }
        });
    }

    private JsonObject json(Reports.Monthly report) {
        JsonArray sites = new JsonArray();
        for (Site site : s.sites().all()) {
            List<MonthlyFigures> months = report.sites().getOrDefault(site.id(),
                    MonthlyFigures.series(Map.of(), report.from(), report.to()));
            sites.add(new JsonObject().put("siteId", site.id())
                    .put("name", new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()))
                    .put("months", months(months)).put("totals", totals(months)));
        }
        return new JsonObject().put("from", report.from().toString()).put("to", report.to().toString())
                .put("months", months(report.total())).put("totals", totals(report.total())).put("sites", sites);
    }

    private static JsonArray months(List<MonthlyFigures> months) {
        JsonArray out = new JsonArray();
        for (MonthlyFigures m : months) {
            out.add(new JsonObject().put("month", m.month().toString()).put("applications", m.applications())
                    .put("issuances", m.issuances()).put("cancellations", m.cancellations()).put("noShows", m.noShows())
                    .put("backlog", m.backlog()));
        }
        return out;
    }

    private static JsonObject totals(List<MonthlyFigures> months) {
        long a = 0, i = 0, c = 0, n = 0;
        for (MonthlyFigures m : months) {
            a += m.applications();
            i += m.issuances();
            c += m.cancellations();
            n += m.noShows();
        }
        return new JsonObject().put("applications", a).put("issuances", i).put("cancellations", c).put("noShows", n)
                .put("backlog", months.isEmpty() ? 0 : months.get(months.size() - 1).backlog());
    }

    private String csv(Reports.Monthly report) {
        StringBuilder out = new StringBuilder("month,siteId,applications,issuances,cancellations,noShows,backlog\r\n");
        row(out, "all", report.total());
        for (Site site : s.sites().all()) {
            row(out, site.id(), report.sites().getOrDefault(site.id(), MonthlyFigures.series(Map.of(), report.from(), report.to())));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String site, List<MonthlyFigures> months) {
        for (MonthlyFigures m : months) {
            out.append(m.month()).append(',').append(site).append(',').append(m.applications()).append(',')
                    .append(m.issuances()).append(',').append(m.cancellations()).append(',').append(m.noShows())
                    .append(',').append(m.backlog()).append("\r\n");
        }
    }

    private void recordCount(RoutingContext ctx) {
        JsonObject body = Inputs.body(ctx);
        String siteId = Inputs.text(body, "siteId", 40);
        if (s.sites().get(siteId) == null) {
            throw new Problem(400, "unknown_site", "'siteId' is not a known site.");
        }
        LocalDate countedAt = Inputs.date(Inputs.text(body, "countedAt", 10), "countedAt");
        if (countedAt.isAfter(s.reports().today())) {
            throw Problem.badRequest("'countedAt' must not be in the future.");
        }
        int counted = Inputs.integer(body, "counted", 0, 10_000_000);
        String note = Inputs.optionalText(body, "note", 500);
        Principal who = Guard.principal(ctx);
        // the same key and digest as every POST that books; the count row keeps the digest
        var key = IdempotentPosts.of(ctx, "user:" + who.name());
        s.admin().recordCount(who, siteId, countedAt, counted, note, key).onFailure(ctx::fail).onSuccess(recorded -> {
            if (recorded.reused()) {
                Answers.keyReused(ctx);
                return;
            }
            if (recorded.replayed()) {
                ctx.response().putHeader("Idempotent-Replayed", "true");
            }
            // the count is written: whatever happens to its reconciliation, the answer says it was recorded
            s.reports().reconciliation(countedAt, siteId)
                    .map(all -> all.stream().filter(r -> r.count().siteId().equals(siteId)).findFirst().orElseThrow())
                    .onSuccess(r -> Answers.json(ctx, 201, reconciled(r).put("reconciled", true)))
                    .onFailure(e -> Answers.json(ctx, 201, recordedOnly(recorded.count())));
        });
    }

    /** A count that is stored but could not be reconciled now (the database was slow or away): the reconciliation page shows it later. */
    private JsonObject recordedOnly(madoguchi.app.reports.ReportStore.ShelfCount c) {
        return new JsonObject().put("id", c.id()).put("siteId", c.siteId()).put("countedAt", c.countedOn().toString())
                .put("counted", c.counted()).put("countedBy", c.countedBy()).put("note", c.note()).put("reconciled", false);
    }

    private void reconciliation(RoutingContext ctx) {
        String dateText = Inputs.query(ctx, "date");
        LocalDate date = dateText == null ? s.reports().today() : Inputs.date(dateText, "date");
        s.reports().reconciliation(date).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray sites = new JsonArray();
            int ready = 0, counted = 0, unknown = 0, notInSystem = 0;
            JsonObject explained = new JsonObject();
            Reconciliation.REASONS.forEach(r -> explained.put(r, 0));
            for (Reports.SiteReconciliation r : list) {
                sites.add(reconciled(r));
                ready += r.result().ready();
                counted += r.result().counted();
                unknown += r.result().unknown();
                notInSystem += r.result().notInSystem();
                r.result().explained().forEach((k, v) -> explained.put(k, explained.getInteger(k) + v));
            }
            Answers.json(ctx, 200, new JsonObject().put("date", date.toString()).put("sites", sites)
                    .put("totals", new JsonObject().put("ready", ready).put("counted", counted).put("difference", ready - counted)
                            .put("explained", explained).put("unknown", unknown).put("notInSystem", notInSystem)));
        });
    }

    private JsonObject reconciled(Reports.SiteReconciliation r) {
        Reconciliation x = r.result();
        Site site = s.sites().get(r.count().siteId());
        return new JsonObject().put("id", r.count().id()).put("siteId", r.count().siteId())
                .put("name", site == null ? null : new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()))
                .put("countedAt", r.count().countedOn().toString()).put("counted", x.counted()).put("ready", x.ready())
                .put("difference", x.difference()).put("explained", new JsonObject(new java.util.LinkedHashMap<>(x.explained())))
                .put("unknown", x.unknown()).put("notInSystem", x.notInSystem())
                .put("candidates", new JsonObject(new java.util.LinkedHashMap<>(x.candidates())))
                .put("countedBy", r.count().countedBy()).put("note", r.count().note());
    }

    /**
     * The outlook from the pace the office actually issues, as of a day: per site and city-wide,
     * by when the cards applied by a date are issued, how many a day would issue them by a
     * deadline and how many more counters that is, the bookings and free seats ahead; the what-if
     * (extra counters, Saturday openings, a walk-in site, or a plain {@code extraPerDay}) is added
     * to the pace of its sites and of the city.
     */
    private void outlook(RoutingContext ctx) {
        LocalDate today = s.reports().today();
        String asOfText = Inputs.query(ctx, "asOf");
        LocalDate asOf = asOfText == null ? today : Inputs.date(asOfText, "asOf");
        Integer daysAsked = wholeNumber(ctx, "days", 7, 365);
        int days = daysAsked == null ? 30 : daysAsked;
        String appliedText = Inputs.query(ctx, "appliedBy");
        String deadlineText = Inputs.query(ctx, "deadline");
        LocalDate appliedBy = appliedText == null ? null : Inputs.date(appliedText, "appliedBy");
        LocalDate deadline = deadlineText == null ? null : Inputs.date(deadlineText, "deadline");
        Integer extraAsked = wholeNumber(ctx, "extraPerDay", 0, 100_000);
        int extra = extraAsked == null ? 0 : extraAsked;
        if (appliedBy != null && appliedBy.isAfter(asOf)) {
            throw Problem.badRequest("'appliedBy' must not be after 'asOf'.");
        }
        Map<String, Integer> extraCounters = extraCounters(Inputs.query(ctx, "extraCounters"));
        List<Reports.Saturdays> saturdays = saturdays(Inputs.query(ctx, "saturdays"));
        Integer tickets = wholeNumber(ctx, "walkInTicketsPerDay", 1, 100_000);
        Integer daysAWeek = wholeNumber(ctx, "walkInDaysPerWeek", 1, 7);
        if ((tickets == null) != (daysAWeek == null)) {
            throw Problem.badRequest("Give both 'walkInTicketsPerDay' and 'walkInDaysPerWeek', or neither.");
        }
        Reports.WalkIn walkIn = tickets == null ? null : new Reports.WalkIn(tickets, daysAWeek);
        Reports.WhatIfAsked whatIf = new Reports.WhatIfAsked(extraCounters, saturdays, walkIn, extra);
        s.reports().outlook(asOf, days, appliedBy, deadline, whatIf).onFailure(ctx::fail).onSuccess(o -> {
            if (!o.notOpen().isEmpty()) {
                Answers.error(ctx, 400, "site_not_open", "No opening hours at " + String.join(", ", new java.util.TreeSet<>(o.notOpen()))
                        + " from " + o.windowFrom() + " for " + o.windowDays() + " days: their counters cannot be turned into issuances.");
                return;
            }
            JsonArray sites = new JsonArray();
            for (Reports.SiteOutlook so : o.sites()) {
                Site site = s.sites().get(so.siteId());
                JsonObject row = outlook(so.outlook()).put("siteId", so.siteId()).put("issuedInWindow", so.issuedInWindow())
                        .put("name", site == null ? null : new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()));
                ahead(row, so.ahead()).put("whatIfPerDay", round1(so.whatIfPerDay())).put("countersNeeded", so.countersNeeded())
                        .put("counter", so.yield() == null ? null : new JsonObject()
                                .put("perOpenDay", round1(so.yield().perOpenDay()))
                                .put("openDaysPerWeek", round1(so.yield().openDaysPerWeek()))
                                .put("perDay", round1(so.yield().perCalendarDay()))
                                .put("perHour", round1(so.yield().perHour())));
                sites.add(row);
            }
            JsonObject city = ahead(outlook(o.city()), o.cityAhead()).put("whatIfPerDay", round1(o.whatIfPerDay()))
                    .put("countersNeeded", o.countersNeeded()).put("countersUnknown", new JsonArray(o.countersUnknown()));
            JsonArray conversions = new JsonArray();
            o.conversions().forEach(c -> conversions.add(new JsonObject().put("kind", c.kind()).put("siteId", c.siteId())
                    .put("perDay", round1(c.perDay()))));
            JsonObject asked = new JsonObject()
                    .put("extraCounters", new JsonObject(new java.util.LinkedHashMap<>(extraCounters)))
                    .put("saturdays", new JsonArray(saturdays.stream().map(x -> new JsonObject().put("siteId", x.siteId())
                            .put("perMonth", x.perMonth()).put("hours", x.hours()).put("counters", x.counters())).toList()))
                    .put("walkIn", walkIn == null ? null : new JsonObject().put("ticketsPerDay", walkIn.ticketsPerDay())
                            .put("daysPerWeek", walkIn.daysPerWeek()))
                    .put("extraPerDay", extra).put("conversions", conversions).put("perDay", round1(o.whatIfPerDay()));
            Answers.json(ctx, 200, new JsonObject().put("asOf", asOf.toString()).put("days", days)
                    .put("appliedBy", appliedBy == null ? null : appliedBy.toString())
                    .put("deadline", deadline == null ? null : deadline.toString()).put("extraPerDay", extra)
                    .put("counterWindow", new JsonObject().put("from", o.windowFrom().toString()).put("days", o.windowDays()))
                    .put("whatIf", asked).put("sites", sites).put("city", city));
        });
    }

    private static JsonObject ahead(JsonObject row, madoguchi.app.reports.ReportStore.Ahead a) {
        return row.put("bookedAhead", a.booked()).put("seatsAhead", a.seats()).put("freeSeatsAhead", a.free());
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static final java.util.regex.Pattern SITE_COUNT = java.util.regex.Pattern.compile("([a-z0-9][a-z0-9-]{0,39}):([0-9]{1,4})");
    private static final java.util.regex.Pattern SITE_SATURDAYS = java.util.regex.Pattern.compile(
            "([a-z0-9][a-z0-9-]{0,39}):([0-9]{1,2}):([0-9]{1,2}(?:\\.[0-9]{1,2})?):([0-9]{1,4})");

    /** {@code site:n[,site:n…]}: extra counters per site, 1 to 100 each, a site once. */
    private Map<String, Integer> extraCounters(String text) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            java.util.regex.Matcher m = SITE_COUNT.matcher(part.trim());
            if (!m.matches()) {
                throw Problem.badRequest("'extraCounters' must be written site:counters, comma-separated, e.g. kawasaki:2,saiwai:1.");
            }
            int n = Integer.parseInt(m.group(2));
            if (n < 1 || n > 100) {
                throw Problem.badRequest("'extraCounters' gives 1 to 100 counters a site.");
            }
            knownSite(m.group(1), "extraCounters");
            if (out.put(m.group(1), n) != null) {
                throw Problem.badRequest("'extraCounters' names " + m.group(1) + " twice.");
            }
        }
        return out;
    }

    /** {@code site:saturdaysAMonth:hours:counters[,…]}: 1 to 5 Saturdays, 0.5 to 12 hours, 1 to 100 counters. */
    private List<Reports.Saturdays> saturdays(String text) {
        List<Reports.Saturdays> out = new java.util.ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            java.util.regex.Matcher m = SITE_SATURDAYS.matcher(part.trim());
            if (!m.matches()) {
                throw Problem.badRequest("'saturdays' must be written site:saturdaysAMonth:hours:counters, comma-separated, e.g. kawasaki:2:3.5:2.");
            }
            int perMonth = Integer.parseInt(m.group(2));
            double hours = Double.parseDouble(m.group(3));
            int counters = Integer.parseInt(m.group(4));
            if (perMonth < 1 || perMonth > 5 || hours < 0.5 || hours > 12 || counters < 1 || counters > 100) {
                throw Problem.badRequest("'saturdays' takes 1 to 5 Saturdays a month, 0.5 to 12 hours and 1 to 100 counters.");
            }
            knownSite(m.group(1), "saturdays");
            out.add(new Reports.Saturdays(m.group(1), perMonth, hours, counters));
        }
        return out;
    }

    private void knownSite(String siteId, String field) {
        if (s.sites().get(siteId) == null) {
            throw new Problem(400, "unknown_site", "'" + field + "' names " + siteId + ", not a known site.");
        }
    }

    /** A whole number from the query, from {@code min} to {@code max}; null when absent. */
    private static Integer wholeNumber(RoutingContext ctx, String name, int min, int max) {
        String text = Inputs.query(ctx, name);
        if (text == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw Problem.badRequest("'" + name + "' must be from " + min + " to " + max + ".");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw Problem.badRequest("'" + name + "' must be a whole number.");
        }
    }

    private static JsonObject outlook(madoguchi.domain.Outlook o) {
        return new JsonObject().put("waiting", o.waiting()).put("waitingAppliedBy", o.waitingBefore())
                .put("issuedPerDay", Math.round(o.issuedPerDay() * 10) / 10.0)
                .put("clearedOn", o.clearedOn() == null ? null : o.clearedOn().toString())
                .put("appliedByIssuedOn", o.servedOn() == null ? null : o.servedOn().toString())
                .put("neededPerDay", o.neededPerDay()).put("extraNeededPerDay", o.extraPerDay()).put("feasible", o.feasible());
    }

    /** How many cards reached one step of the process ①–⑩ per month and site (e.g. notices mailed per month). */
    private void steps(RoutingContext ctx) {
        String stateText = Inputs.query(ctx, "state");
        CardState state = stateText == null ? null : CardState.fromWire(stateText).orElse(null);
        if (state == null) {
            throw Problem.badRequest("'state' must be one of " + CardState.wires() + ".");
        }
        YearMonth to = month(Inputs.query(ctx, "to"), "to", YearMonth.from(s.reports().today()));
        YearMonth from = month(Inputs.query(ctx, "from"), "from", to.minusMonths(11));
        if (from.isAfter(to) || from.isBefore(to.minusMonths(120))) {
            throw Problem.badRequest("'from' must not be after 'to', at most ten years before.");
        }
        s.reports().steps(state, from, to).onFailure(ctx::fail).onSuccess(rows -> {
            JsonArray months = new JsonArray();
            java.util.Map<YearMonth, Integer> totals = new java.util.TreeMap<>();
            for (var r : rows) {
                months.add(new JsonObject().put("month", r.month().toString()).put("siteId", r.siteId()).put("cards", r.cards()));
                totals.merge(r.month(), r.cards(), Integer::sum);
            }
            JsonArray city = new JsonArray();
            totals.forEach((m, n) -> city.add(new JsonObject().put("month", m.toString()).put("cards", n)));
            Answers.json(ctx, 200, new JsonObject().put("state", state.wire()).put("step", state.step()).put("stepName", state.japanese())
                    .put("from", from.toString()).put("to", to.toString()).put("bySite", months).put("city", city));
        });
    }

    private void forecast(RoutingContext ctx) {
        String appliedText = Inputs.query(ctx, "appliedBy");
        String deadlineText = Inputs.query(ctx, "deadline");
        if ((appliedText == null) != (deadlineText == null)) {
            throw Problem.badRequest("Give both 'appliedBy' and 'deadline', or neither.");
        }
        LocalDate appliedBy = appliedText == null ? null : Inputs.date(appliedText, "appliedBy");
        LocalDate deadline = deadlineText == null ? null : Inputs.date(deadlineText, "deadline");
        Reports.PaceOverride override = new Reports.PaceOverride(number(ctx, "seatsPerDay", 0, 1_000_000),
                number(ctx, "bookingRate", 0, 1), number(ctx, "noShowRate", 0, 1));
        s.reports().forecast(appliedBy, deadline, override).onFailure(ctx::fail).onSuccess(list -> {
            JsonArray sites = new JsonArray();
            for (Reports.SiteForecast f : list) {
                Site site = s.sites().get(f.siteId());
                Forecast x = f.forecast();
                JsonObject o = new JsonObject().put("siteId", f.siteId())
                        .put("name", site == null ? null : new JsonObject().put("ja", site.nameJa()).put("en", site.nameEn()))
                        .put("waiting", x.waiting()).put("seatsPerDay", round(x.seatsPerDay()))
                        .put("bookingRate", round(x.bookingRate())).put("noShowRate", round(x.noShowRate()))
                        .put("issuedPerDay", round(x.issuedPerDay()))
                        .put("clearedOn", x.clearedOn() == null ? null : x.clearedOn().toString());
                if (x.deadline() != null) {
                    Forecast.Deadline d = x.deadline();
                    o.put("deadline", new JsonObject().put("appliedBy", d.appliedBy().toString()).put("by", d.by().toString())
                            .put("waiting", d.waiting()).put("days", d.days()).put("canIssue", d.canIssue())
                            .put("feasible", d.feasible()).put("seatsPerDayNeeded", d.seatsPerDayNeeded())
                            .put("extraSeatsPerDay", d.seatsPerDayNeeded() == null ? null
                                    : Math.max(0, (int) Math.ceil(d.seatsPerDayNeeded() - x.seatsPerDay() - 1e-9))));
                }
                sites.add(o);
            }
            Answers.json(ctx, 200, new JsonObject().put("asOf", s.reports().today().toString())
                    .put("paceDays", Reports.PACE_DAYS).put("sites", sites));
        });
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Double number(RoutingContext ctx, String name, double min, double max) {
        String text = Inputs.query(ctx, name);
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isNaN(v) || v < min || v > max) {
                throw Problem.badRequest("'" + name + "' must be a number from " + min + " to " + max + ".");
            }
            return v;
        } catch (NumberFormatException e) {
            throw Problem.badRequest("'" + name + "' must be a number.");
        }
    }

    private static YearMonth month(String text, String field, YearMonth fallback) {
        if (text == null) {
            return fallback;
        }
        if (!text.matches("[0-9]{4}-[0-9]{2}")) {
            throw Problem.badRequest("'" + field + "' must be a month written YYYY-MM.");
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("'" + field + "' is not a real month.");
        }
    }
}
