package madoguchi.app.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import madoguchi.app.booking.Allocator;
import madoguchi.app.capacity.CapacityChange;
import madoguchi.app.capacity.CapacityResult;
import madoguchi.app.capacity.CapacityTuning;
import madoguchi.app.capacity.RuleShown;
import madoguchi.app.sites.SiteStore;
import madoguchi.app.sites.Sites;
import madoguchi.app.reports.ReportStore;
import madoguchi.app.reports.Reports;
import madoguchi.domain.Site;

import java.time.LocalDate;

/**
 * What an administrator changes: staff users, sites, shelf counts, capacity and closures (which
 * {@code CapacityTuning} writes with their audit row). As for {@link StaffActions}, a change and
 * its audit row are one transaction, and a failed one is {@link NotRecorded}; a dry run writes
 * nothing and fails as it fails.
 */
public final class AdminActions {
    private final Users users;
    private final SiteStore siteStore;
    private final Sites sites;
    private final Allocator allocator;
    private final Reports reports;
    private final CapacityTuning capacity;

    public AdminActions(Users users, SiteStore siteStore, Sites sites, Allocator allocator, Reports reports,
                        CapacityTuning capacity) {
        this.capacity = capacity;
        this.users = users;
        this.siteStore = siteStore;
        this.sites = sites;
        this.allocator = allocator;
        this.reports = reports;
    }

    /** A new operator or administrator; with a password hash they may also sign in to the console. */
    public Future<Users.Created> createUser(Principal who, String name, Principal.Role role, String passwordHash) {
        return StaffActions.recorded(users.create(name, role, passwordHash, StaffActions.entry(who, "user.create", "user:" + name, null,
                new JsonObject().put("name", name).put("role", role.wire()).put("consoleSignIn", passwordHash != null), null)));
    }

    /** Every staff user, by name, with whether they may sign in to the console and their open sessions. */
    public Future<java.util.List<UserStore.Listed>> users() {
        return users.list();
    }

    /**
     * Disables a user (their sessions end at once, in the same transaction as the audit row), or
     * enables them again. An administrator cannot disable themself, nor the last administrator.
     */
    public Future<UserStore.Changed> disableUser(Principal who, String name, boolean disabled, String reason) {
        if (disabled && who.name().equals(name)) {
            return Future.succeededFuture(new UserStore.Changed(UserStore.Change.OWN_ACCOUNT, 0));
        }
        return StaffActions.recorded(users.setDisabled(name, disabled, StaffActions.entry(who, disabled ? "user.disable" : "user.enable",
                "user:" + name, new JsonObject().put("disabled", !disabled), new JsonObject().put("disabled", disabled), reason)));
    }

    /**
     * A password reset: the user's new password hash (of a password the service made and shows the
     * administrator once); their sessions end. The audit row never holds the password or its hash.
     */
    public Future<UserStore.Changed> resetPassword(Principal who, String name, String passwordHash, String reason) {
        return StaffActions.recorded(users.setPassword(name, passwordHash, StaffActions.entry(who, "user.password_reset",
                "user:" + name, null, new JsonObject().put("consoleSignIn", true), reason)));
    }

    /** A new site; {@code shown} is how the audit trail keeps it. It is bookable once its calendar has slots. */
    public Future<Void> createSite(Principal who, Site site, JsonObject shown) {
        return StaffActions.recorded(siteStore.create(site, StaffActions.entry(who, "site.create", "site:" + site.id(), null, shown, null)))
                .compose(v -> sites.reload())
                .compose(v -> allocator.reload(site.id()));
    }

    /** Seats per slot over a range of days (or, as a dry run, what that would do). */
    public Future<CapacityResult> changeCapacity(CapacityChange change, boolean dryRun) {
        Future<CapacityResult> done = capacity.change(change, dryRun);
        return dryRun ? done : StaffActions.recorded(done);
    }

    /** A site closed for a day (or, as a dry run, what that would do). */
    public Future<CapacityResult> closeDay(String siteId, LocalDate day, CapacityChange.Displacement mode, String actor,
                                           String reason, boolean dryRun) {
        Future<CapacityResult> done = capacity.close(siteId, day, mode, actor, reason, dryRun);
        return dryRun ? done : StaffActions.recorded(done);
    }

    /** Adds a holiday and plans the day again at every site (each change audited); a dry run says what it would displace. */
    public Future<java.util.Map<String, CapacityResult>> addHoliday(Principal who, LocalDate day, String nameJa, String nameEn,
                                                                   CapacityChange.Displacement mode, String reason, boolean dryRun) {
        madoguchi.app.AuditEntry audit = StaffActions.entry(who, "holiday.add", "day:" + day, null,
                new JsonObject().put("date", day.toString()).put("nameJa", nameJa).put("nameEn", nameEn), reason);
        Future<java.util.Map<String, CapacityResult>> done = capacity.holiday(day, nameJa, nameEn, mode, who.name(), reason, audit, dryRun);
        return dryRun ? done : StaffActions.recorded(done);
    }

    /** Undoes a closure (the audit row is written with it); a dry run says what it would restore. */
    public Future<madoguchi.app.capacity.CapacityStore.Reopened> reopenDay(Principal who, String siteId, LocalDate day, String reason,
                                                                          boolean dryRun) {
        Future<madoguchi.app.capacity.CapacityStore.Reopened> done = capacity.reopen(siteId, day, who.name(), reason, dryRun);
        return dryRun ? done : StaffActions.recorded(done);
    }

    /** A site's opening rules, oldest first. */
    public Future<java.util.List<madoguchi.domain.OpeningRule>> rules(String siteId) {
        return capacity.rules(siteId);
    }

    /**
     * Adds ({@code ruleId} null), replaces, or removes ({@code rule} null) a site's opening rule and
     * plans its days again; the rule is audited with what it was and what it became.
     */
    public Future<CapacityTuning.RuleChanged> changeRule(Principal who, String siteId, Long ruleId, madoguchi.domain.OpeningRule rule,
                                                         CapacityChange.Displacement mode, String reason, boolean dryRun) {
        String action = ruleId == null ? "rule.add" : rule == null ? "rule.remove" : "rule.change";
        Future<CapacityTuning.RuleChanged> done = capacity.changeRule(siteId, ruleId, rule, mode, who.name(), reason,
                old -> StaffActions.entry(who, action, "site:" + siteId, old == null ? null : RuleShown.of(old),
                        rule == null ? null : RuleShown.of(rule), reason), dryRun);
        // a failure after the rule was written is not "nothing changed": it says so itself
        return dryRun ? done : done.recover(e -> Future.failedFuture(e instanceof madoguchi.app.capacity.DaysNotPlanned
                ? e : new NotRecorded(e)));
    }

    /** A shelf count of undelivered cards at a site, for the reconciliation report. */
    public Future<ReportStore.Recorded> recordCount(Principal who, String siteId, LocalDate countedOn, int counted, String note,
                                                    madoguchi.app.booking.Idempotency key) {
        return StaffActions.recorded(reports.recordCount(siteId, countedOn, counted, note, who.name(), key,
                StaffActions.entry(who, "inventory.count", "site:" + siteId, null,
                        new JsonObject().put("countedAt", countedOn.toString()).put("counted", counted), note)));
    }
}
