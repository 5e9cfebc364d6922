package madoguchi.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import madoguchi.app.capacity.CapacityChange;
import madoguchi.app.capacity.CapacityResult;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.capacity.RuleShown;
import madoguchi.app.staff.Principal;
import madoguchi.domain.OpeningRule;
import madoguchi.domain.Site;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Administrators read and change a site's opening rules: weekdays (or only the nth of them in a
 * month, e.g. the 2nd and 4th Saturday), hours, counters, holidays, dates. Each change plans the
 * site's days again, tomorrow to the end of its booking window, and has a dry run naming the
 * bookings it would displace, like a capacity change.
 */
final class OpeningRulesApi {
    private final AdminApi.Needs s;

    OpeningRulesApi(AdminApi.Needs needs) {
        this.s = needs;
    }

    void mount(Router router) {
        // guarded with the rest of /api/v1/admin/* in HttpVerticle
        router.get("/api/v1/admin/sites/:siteId/rules").handler(this::list);
        router.post("/api/v1/admin/sites/:siteId/rules").handler(ctx -> change(ctx, false));
        router.put("/api/v1/admin/sites/:siteId/rules/:ruleId").handler(ctx -> change(ctx, false));
        router.delete("/api/v1/admin/sites/:siteId/rules/:ruleId").handler(ctx -> change(ctx, true));
    }

    private Site site(RoutingContext ctx) {
        Site site = s.sites().get(ctx.pathParam("siteId"));
        if (site == null) {
            throw new Problem(404, "not_found", "No such site.");
        }
        return site;
    }

    private void list(RoutingContext ctx) {
        Site site = site(ctx);
        s.admin().rules(site.id()).onFailure(ctx::fail).onSuccess(rules -> {
            JsonArray opening = new JsonArray();
            JsonArray byHand = new JsonArray();
            rules.forEach(r -> (r.byHand() ? byHand : opening).add(RuleShown.of(r)));
            // capacity changes made by hand are kept as rules for their days; they are shown apart, and decide their slots
            Answers.json(ctx, 200, new JsonObject().put("siteId", site.id()).put("rules", opening).put("capacityChanges", byHand));
        });
    }

    /** POST adds a rule, PUT replaces one, DELETE removes one; each answers what planning the days again did. */
    private void change(RoutingContext ctx, boolean remove) {
        Site site = site(ctx);
        boolean dryRun = Inputs.dryRun(ctx);
        boolean add = ctx.request().method().name().equals("POST");
        Long ruleId = add ? null : Inputs.pathId(ctx, "ruleId");
        CapacityChange.Displacement mode;
        String reason;
        OpeningRule rule = null;
        if (remove) {
            String displaced = Inputs.query(ctx, "displaced");
            mode = AdminApi.displacement(new JsonObject().put("displaced", displaced));
            reason = Inputs.query(ctx, "reason");
            if (reason != null && reason.length() > 500) {
                throw Problem.badRequest("'reason' must be at most 500 characters.");
            }
        } else {
            JsonObject body = Inputs.body(ctx);
            rule = rule(body, site.id(), ruleId == null ? 0 : ruleId);
            mode = AdminApi.displacement(body);
            reason = Inputs.optionalText(body, "reason", 500);
        }
        Principal who = Guard.principal(ctx);
        s.admin().changeRule(who, site.id(), ruleId, rule, mode, reason, dryRun).onFailure(ctx::fail).onSuccess(changed -> {
            if (changed.outcome() == CapacityTuning.RuleChanged.Outcome.NOT_FOUND) {
                Answers.error(ctx, 404, "not_found", "This site has no such opening rule.");
                return;
            }
            if (changed.outcome() == CapacityTuning.RuleChanged.Outcome.BY_HAND) {
                Answers.error(ctx, 409, "capacity_change", "This is a capacity change made by hand; change it with"
                        + " PUT /api/v1/admin/sites/{siteId}/capacity for its days.");
                return;
            }
            if (!dryRun && mode == CapacityChange.Displacement.CANCEL && !changed.days().displaced().isEmpty()) {
                s.sms().retryDue(); // the messages are in the outbox already
            }
            Answers.json(ctx, add && !dryRun ? 201 : 200, answer(site.id(), changed, remove, dryRun));
        });
    }

    private static JsonObject answer(String siteId, CapacityTuning.RuleChanged changed, boolean removed, boolean dryRun) {
        CapacityTuning.RulesApplied days = changed.days();
        JsonObject planned = AdminApi.capacityJson(new CapacityResult(days.applied(), days.slotsChanged(), days.slotsAdded(),
                days.displaced()));
        return planned.put("siteId", siteId).put("rule", RuleShown.of(changed.rule())).put("removed", removed)
                .put("daysChanged", days.daysChanged()).put("slotsKeptAsTuned", days.slotsKeptAsTuned())
                .put("dryRun", dryRun);
    }

    /** The rule in a request body; every field is checked before anything is written. */
    static OpeningRule rule(JsonObject body, String siteId, long id) {
        if (body.getValue("weekdays") == null) {
            throw Problem.badRequest("'weekdays' is required, e.g. [6] for Saturdays or [\"mon\", \"tue\"].");
        }
        Set<DayOfWeek> weekdays = AdminApi.weekdays(body);
        Set<Integer> nth = new TreeSet<>();
        Object n = body.getValue("nthOfMonth");
        if (n != null) {
            if (!(n instanceof JsonArray list) || list.size() > 5) {
                throw Problem.badRequest("'nthOfMonth' must be a list such as [2, 4] (the 2nd and 4th of the weekdays in a month).");
            }
            for (Object o : list) {
                if (!(o instanceof Integer i) || i < 1 || i > 5) {
                    throw Problem.badRequest("'nthOfMonth' entries must be 1 to 5.");
                }
                nth.add(i);
            }
        }
        String holidaysText = Inputs.optionalText(body, "holidays", 10);
        OpeningRule.Holidays holidays;
        try {
            holidays = holidaysText == null ? OpeningRule.Holidays.EXCLUDE
                    : OpeningRule.Holidays.valueOf(holidaysText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("'holidays' must be exclude, include or only.");
        }
        LocalTime opens = Inputs.time(Inputs.text(body, "opens", 5), "opens");
        LocalTime closes = Inputs.time(Inputs.text(body, "closes", 5), "closes");
        if (!closes.isAfter(opens)) {
            throw Problem.badRequest("'closes' must be after 'opens'.");
        }
        int counters = Inputs.integer(body, "counters", 0, 200);
        int perCounter = Inputs.integer(body, "perCounter", 0, 50);
        AdminApi.Quota quota = AdminApi.quota(body, counters * perCounter);
        String label = Inputs.optionalText(body, "label", 40);
        if (OpeningRule.BY_HAND.equals(label)) {
            throw Problem.badRequest("'label' admin is kept for capacity changes made by hand; call the rule e.g. regular or saturday.");
        }
        LocalDate from = body.getValue("validFrom") == null ? null : Inputs.date(Inputs.text(body, "validFrom", 10), "validFrom");
        LocalDate to = body.getValue("validTo") == null ? null : Inputs.date(Inputs.text(body, "validTo", 10), "validTo");
        if (from != null && to != null && to.isBefore(from)) {
            throw Problem.badRequest("'validTo' must be on or after 'validFrom'.");
        }
        return new OpeningRule(id, siteId, weekdays, nth, holidays, opens, closes, counters, perCounter,
                label == null ? "regular" : label, from, to, quota.web(), quota.phone());
    }
}
