package madoguchi.app.capacity;

import madoguchi.app.sites.Sites;

import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.SeatNews;

import io.vertx.core.Future;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;

import madoguchi.domain.OpeningRule;
import madoguchi.domain.SlotLimits;
import madoguchi.domain.SlotPlanner;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Administrators tune capacity during a surge. The change is made in the database under row
 * locks (PostgreSQL arbitrates between instances and against the allocator's batches); while it
 * is written the slots go by the tighter of their old and new limits, then the allocator reads
 * them again, and memory forgets or re-marks what was displaced.
 */
public final class CapacityTuning {
    private final CapacityStore store;
    private final CalendarStore calendar;
    private final Sites sites;
    private final Allocator allocator;
    private final Clock clock;
    private static final SlotLimits NONE = new SlotLimits(0, 0, 0, false);

    public CapacityTuning(CapacityStore store, CalendarStore calendar, Sites sites, Allocator allocator, Clock clock) {
        this.clock = clock;
        this.store = store;
        this.calendar = calendar;
        this.sites = sites;
        this.allocator = allocator;
    }

    public Future<CapacityResult> change(CapacityChange change, boolean dryRun) {
        Site site = sites.get(change.siteId());
        return calendar.calendar().compose(cal -> {
            List<CapacityStore.Target> targets = new ArrayList<>();
            for (LocalDate day = change.from(); !day.isAfter(change.to()); day = day.plusDays(1)) {
                if (!change.weekdays().contains(day.getDayOfWeek()) || cal.closed(site.id(), day)) {
                    continue;
                }
                int last = change.end().toSecondOfDay() / 60 - site.slotMinutes();
                for (int m = change.start().toSecondOfDay() / 60; m <= last; m += site.slotMinutes()) {
                    ZonedDateTime start = day.atTime(LocalTime.ofSecondOfDay(m * 60L)).atZone(BookingWindow.TOKYO);
                    targets.add(new CapacityStore.Target(start.toInstant(), start.plusMinutes(site.slotMinutes()).toInstant()));
                }
            }
            if (dryRun) {
                return store.apply(change, targets, true);
            }
            return allocator.whileLimitsChange(site.id(), known(site.id(), targets), limitsOf(change),
                    () -> store.apply(change, targets, false).compose(result -> settleMemory(change, result)));
        });
    }

    /** The limits a change gives its slots (as the store writes them). */
    private static SlotLimits limitsOf(CapacityChange change) {
        int phone = change.quotaPhone() == null ? change.capacity() : change.quotaPhone();
        int web = change.quotaWeb() == null ? phone : change.quotaWeb();
        return new SlotLimits(change.capacity(), Math.min(web, phone), Math.min(phone, change.capacity()), false);
    }

    /** The slots memory knows that start at one of the targets (slots it does not know nobody is offered). */
    private java.util.Set<Long> known(String siteId, List<CapacityStore.Target> targets) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        if (targets.isEmpty()) {
            return ids;
        }
        java.util.Set<Instant> starts = new java.util.HashSet<>();
        Instant from = targets.get(0).start();
        Instant to = from;
        for (CapacityStore.Target t : targets) {
            starts.add(t.start());
            from = t.start().isBefore(from) ? t.start() : from;
            to = t.start().isAfter(to) ? t.start() : to;
        }
        for (madoguchi.domain.SlotSeats s : allocator.slots(siteId, from, to.plusSeconds(1))) {
            if (starts.contains(s.start())) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /**
     * Closes a site for a day: its slots that day get no seats and are blocked; bookings in them
     * are kept as overrides or cancelled (with an SMS), as the change says.
     */
    public Future<CapacityResult> close(String siteId, LocalDate day, CapacityChange.Displacement mode, String actor,
                                        String reason, boolean dryRun) {
        Site site = sites.get(siteId);
        CapacityChange change = new CapacityChange(siteId, day, day, java.util.EnumSet.allOf(java.time.DayOfWeek.class),
                LocalTime.MIDNIGHT, LocalTime.MAX, 0, 0, null, null, mode, actor, reason);
        List<CapacityStore.Target> targets = new ArrayList<>();
        ZonedDateTime start = day.atStartOfDay(BookingWindow.TOKYO);
        ZonedDateTime end = day.plusDays(1).atStartOfDay(BookingWindow.TOKYO);
        for (ZonedDateTime t = start; t.isBefore(end); t = t.plusMinutes(5)) {
            // every 5 minutes: slots of any length start on such a minute
            targets.add(new CapacityStore.Target(t.toInstant(), t.plusMinutes(site.slotMinutes()).toInstant()));
        }
        if (dryRun) {
            return store.close(change, targets, true);
        }
        return allocator.whileLimitsChange(siteId, known(siteId, targets), new SlotLimits(0, 0, 0, true),
                () -> store.close(change, targets, false).compose(result -> settleMemory(change, result)));
    }

    /**
     * Undoes a closure of a site's day: the day gets back the seats its opening rules give (a
     * capacity change for it works again afterwards). Empty when the site was not closed that day.
     */
    public Future<CapacityStore.Reopened> reopen(String siteId, LocalDate day, String actor, String reason, boolean dryRun) {
        Site site = sites.get(siteId);
        return calendar.calendar().compose(cal -> {
            List<CapacityStore.Planned> plan = new ArrayList<>();
            for (madoguchi.domain.SlotPlanner.PlannedSlot p : new madoguchi.domain.SlotPlanner(cal.holidays())
                    .plan(site, cal.rules().getOrDefault(siteId, List.of()), day, false)) {
                plan.add(new CapacityStore.Planned(p.start().toInstant(), p.end().toInstant(), p.limits(), p.label()));
            }
            return store.reopen(siteId, day, plan, actor, reason, dryRun);
        }).compose(result -> dryRun || !result.found() ? Future.succeededFuture(result) : allocator.reload(siteId).map(result));
    }

    /**
     * Plans a site's day again with these holidays (a holiday just added, say) and gives each slot
     * the seats the rules then give: slots the rules no longer open lose their seats (displacing
     * bookings as {@code mode} says), slots they open now are added. Made as capacity changes over
     * runs of slots with the same seats, each with its audit row; a closed day stays closed.
     */
    public Future<CapacityResult> replan(String siteId, LocalDate day, java.util.Set<LocalDate> holidays,
                                         CapacityChange.Displacement mode, String actor, String reason, boolean dryRun) {
        Site site = sites.get(siteId);
        return calendar.calendar().compose(cal -> {
            LocalDate today = clock.instant().atZone(BookingWindow.TOKYO).toLocalDate();
            if (cal.closed(siteId, day) || day.isAfter(today.plusDays(site.window().horizonDays()))) {
                // a day beyond the booking window is not planned yet: the calendar plans it with the holidays when it comes
                return Future.succeededFuture(new CapacityResult(!dryRun, 0, 0, List.of()));
            }
            Map<Instant, SlotLimits> wanted = planned(site, cal.rules().getOrDefault(siteId, List.of()), holidays, day);
            return planDayAgain(site, day, wanted, false, mode, actor, reason, dryRun);
        });
    }

    /**
     * Plans a site's days again after its opening rules changed, from tomorrow to the end of its
     * booking window (today's seats are the counter's business: a capacity change). Where the
     * administrator changed capacity by hand, that change still decides the slot (it is planned
     * after the opening rules): such slots are left as they are and counted. Days not planned yet
     * are planned from the new rules when they come; closed days stay closed.
     */
    private Future<RulesApplied> planRulesAgain(CalendarStore.Calendar cal, String siteId, List<OpeningRule> before,
                                                List<OpeningRule> after, CapacityChange.Displacement mode, String actor,
                                                String reason, boolean dryRun) {
        Site site = sites.get(siteId);
        LocalDate today = clock.instant().atZone(BookingWindow.TOKYO).toLocalDate();
        List<OpeningRule> openingBefore = before.stream().filter(r -> !r.byHand()).toList();
        List<OpeningRule> openingAfter = after.stream().filter(r -> !r.byHand()).toList();
        RulesApplied[] sum = {new RulesApplied(!dryRun, 0, 0, 0, 0, List.of())};
        Future<Void> each = Future.succeededFuture();
        for (int d = 1; d <= site.window().horizonDays(); d++) {
            LocalDate day = today.plusDays(d);
            if (cal.closed(siteId, day)) {
                continue;
            }
            Map<Instant, SlotLimits> wanted = planned(site, after, cal.holidays(), day);
            Map<Instant, SlotLimits> expected = planned(site, before, cal.holidays(), day);
            // slots the opening rules alone would change, but a capacity change made by hand decides
            int decidedByHand = 0;
            Map<Instant, SlotLimits> rulesBefore = planned(site, openingBefore, cal.holidays(), day);
            Map<Instant, SlotLimits> rulesAfter = planned(site, openingAfter, cal.holidays(), day);
            java.util.Set<Instant> starts = new java.util.HashSet<>(rulesBefore.keySet());
            starts.addAll(rulesAfter.keySet());
            for (Instant start : starts) {
                if (!sameSeats(rulesBefore.getOrDefault(start, NONE), rulesAfter.getOrDefault(start, NONE))
                        && sameSeats(expected.getOrDefault(start, NONE), wanted.getOrDefault(start, NONE))) {
                    decidedByHand++;
                }
            }
            int byHand = decidedByHand;
            each = each.compose(v -> planDayAgain(site, day, wanted, true, mode, actor, reason, dryRun).map(r -> {
                sum[0] = sum[0].plus(new Replanned(r, byHand));
                return null;
            }));
        }
        return each.map(v -> sum[0]);
    }

    /** A site's opening rules and the capacity changes kept as rules, oldest first. */
    public Future<List<OpeningRule>> rules(String siteId) {
        return calendar.calendar().map(cal -> cal.rules().getOrDefault(siteId, List.of()));
    }

    /**
     * Adds, replaces or removes one of a site's opening rules, then plans its days again with the
     * rules as they are now (tomorrow to the end of its booking window). {@code ruleId} null adds
     * {@code rule}; {@code rule} null removes the rule {@code ruleId}. The rule and its audit row
     * are one transaction; each slot change after it is a capacity change with its own. A dry run
     * writes nothing and answers what the change would displace.
     */
    public Future<RuleChanged> changeRule(String siteId, Long ruleId, OpeningRule rule, CapacityChange.Displacement mode,
                                          String actor, String reason, java.util.function.Function<OpeningRule, madoguchi.app.AuditEntry> audit,
                                          boolean dryRun) {
        return calendar.calendar().compose(cal -> {
            List<OpeningRule> before = cal.rules().getOrDefault(siteId, List.of());
            OpeningRule old = ruleId == null ? null
                    : before.stream().filter(r -> r.id() == ruleId).findFirst().orElse(null);
            if (ruleId != null && old == null) {
                return Future.succeededFuture(RuleChanged.NOT_FOUND);
            }
            if (old != null && old.byHand()) {
                return Future.succeededFuture(RuleChanged.BY_HAND); // a capacity change: changed as capacity, audited as such
            }
            Future<OpeningRule> stored;
            if (dryRun) {
                stored = Future.succeededFuture(rule);
            } else if (rule == null) {
                stored = calendar.removeRule(siteId, ruleId, audit.apply(old)).map(found -> found ? old : null);
            } else {
                stored = calendar.saveRule(rule, audit.apply(old));
            }
            return stored.compose(written -> {
                if (!dryRun && written == null) {
                    return Future.succeededFuture(RuleChanged.NOT_FOUND); // removed meanwhile by another administrator
                }
                List<OpeningRule> after = new ArrayList<>(before);
                after.removeIf(r -> ruleId != null && r.id() == ruleId);
                if (rule != null) {
                    after.add(written);
                }
                // holidays and closures as read above: the rule just written changes neither
                return planRulesAgain(cal, siteId, before, after, mode, actor, reason, dryRun)
                        .recover(e -> Future.failedFuture(dryRun ? e : new DaysNotPlanned(e)))
                        .map(applied -> new RuleChanged(RuleChanged.Outcome.DONE, rule == null ? old : written, applied));
            });
        });
    }

    /** A rule change: the rule as stored (or removed, or as it would be), and what planning the days again did. */
    public record RuleChanged(Outcome outcome, OpeningRule rule, RulesApplied days) {
        static final RuleChanged NOT_FOUND = new RuleChanged(Outcome.NOT_FOUND, null, null);
        static final RuleChanged BY_HAND = new RuleChanged(Outcome.BY_HAND, null, null);

        public enum Outcome { DONE, NOT_FOUND, BY_HAND }
    }

    /** What planning a site's days again after a rule change did (or would do). */
    public record RulesApplied(boolean applied, int daysChanged, int slotsChanged, int slotsAdded, int slotsKeptAsTuned,
                               List<CapacityResult.Displaced> displaced) {

        RulesApplied plus(Replanned day) {
            List<CapacityResult.Displaced> all = new ArrayList<>(displaced);
            all.addAll(day.result().displaced());
            boolean changed = day.result().slotsChanged() + day.result().slotsAdded() > 0;
            return new RulesApplied(applied, daysChanged + (changed ? 1 : 0), slotsChanged + day.result().slotsChanged(),
                    slotsAdded + day.result().slotsAdded(), slotsKeptAsTuned + day.keptAsTuned(), all);
        }
    }

    private record Replanned(CapacityResult result, int keptAsTuned) {
    }

    private static Map<Instant, SlotLimits> planned(Site site, List<OpeningRule> rules, java.util.Set<LocalDate> holidays,
                                                    LocalDate day) {
        Map<Instant, SlotLimits> out = new java.util.TreeMap<>();
        for (SlotPlanner.PlannedSlot p : new SlotPlanner(holidays).plan(site, rules, day, false)) {
            out.put(p.start().toInstant(), p.limits());
        }
        return out;
    }

    /**
     * Gives a day's slots the {@code wanted} seats, as capacity changes over runs of slots with the
     * same seats. Repeatable: a slot that has them already is left alone, so planning a day again
     * after an interrupted run changes only what still differs.
     */
    private Future<CapacityResult> planDayAgain(Site site, LocalDate day, Map<Instant, SlotLimits> wanted, boolean followsRules,
                                                CapacityChange.Displacement mode, String actor, String reason, boolean dryRun) {
        String siteId = site.id();
        Map<Instant, SlotLimits> now = new java.util.HashMap<>();
        for (madoguchi.domain.SlotSeats slot : allocator.slots(siteId, day.atStartOfDay(BookingWindow.TOKYO).toInstant(),
                day.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant())) {
            now.put(slot.start(), slot.limits());
        }
        java.util.TreeSet<Instant> starts = new java.util.TreeSet<>(wanted.keySet());
        starts.addAll(now.keySet());
        List<CapacityChange> changes = new ArrayList<>();
        SlotLimits runLimits = null;
        Instant runStart = null;
        Instant runEnd = null;
        for (Instant start : starts) {
            SlotLimits want = wanted.getOrDefault(start, NONE);
            SlotLimits have = now.get(start);
            boolean differs = have == null ? want.capacity() > 0 : !sameSeats(have, want);
            Instant end = start.plus(java.time.Duration.ofMinutes(site.slotMinutes()));
            if (differs && runLimits != null && runLimits.equals(want) && runEnd.equals(start)) {
                runEnd = end;
                continue;
            }
            if (runLimits != null) {
                changes.add(change(siteId, day, runStart, runEnd, runLimits, mode, actor, reason, followsRules));
                runLimits = null;
            }
            if (differs) {
                runLimits = want;
                runStart = start;
                runEnd = end;
            }
        }
        if (runLimits != null) {
            changes.add(change(siteId, day, runStart, runEnd, runLimits, mode, actor, reason, followsRules));
        }
        // one after another: each is a capacity change with its own transaction and audit row
        Future<CapacityResult> all = Future.succeededFuture(new CapacityResult(!dryRun, 0, 0, List.of()));
        for (CapacityChange c : changes) {
            all = all.compose(sum -> change(c, dryRun).map(r -> {
                List<CapacityResult.Displaced> displaced = new ArrayList<>(sum.displaced());
                displaced.addAll(r.displaced());
                return new CapacityResult(!dryRun, sum.slotsChanged() + r.slotsChanged(), sum.slotsAdded() + r.slotsAdded(), displaced);
            }));
        }
        return all;
    }

    private static boolean sameSeats(SlotLimits a, SlotLimits b) {
        return a.capacity() == b.capacity() && a.quotaWeb() == b.quotaWeb() && a.quotaPhone() == b.quotaPhone();
    }

    /**
     * Adds a holiday (a national one, or a day the city closes its offices) and plans that day
     * again at every site: sites closed on holidays lose their seats that day (the bookings are
     * kept as overrides or cancelled, as {@code mode} says), holiday-only hours open. A dry run
     * answers the same per site and writes nothing, the holiday included.
     */
    public Future<java.util.Map<String, CapacityResult>> holiday(LocalDate day, String nameJa, String nameEn,
                                                                CapacityChange.Displacement mode, String actor, String reason,
                                                                madoguchi.app.AuditEntry audit, boolean dryRun) {
        Future<Void> added = dryRun ? Future.succeededFuture() : calendar.addHoliday(day, nameJa, nameEn, audit);
        return added.compose(v -> calendar.calendar()).compose(cal -> {
            java.util.Set<LocalDate> holidays = new java.util.HashSet<>(cal.holidays());
            holidays.add(day);
            java.util.Map<String, CapacityResult> out = new java.util.LinkedHashMap<>();
            Future<Void> each = Future.succeededFuture();
            for (Site site : sites.all()) {
                each = each.compose(x -> replan(site.id(), day, holidays, mode, actor, reason, dryRun)
                        .map(r -> {
                            out.put(site.id(), r);
                            return null;
                        }));
            }
            return each.map(out);
        });
    }

    /** The capacity change that gives slots [start, end) of a day these seats (counters = seats, one resident each). */
    private static CapacityChange change(String siteId, LocalDate day, java.time.Instant start, java.time.Instant end,
                                         madoguchi.domain.SlotLimits limits, CapacityChange.Displacement mode, String actor, String reason,
                                         boolean followsRules) {
        LocalTime from = start.atZone(BookingWindow.TOKYO).toLocalTime();
        LocalTime to = end.atZone(BookingWindow.TOKYO).toLocalTime();
        return new CapacityChange(siteId, day, day, java.util.EnumSet.of(day.getDayOfWeek()), from,
                to.equals(LocalTime.MIDNIGHT) ? LocalTime.MAX : to, limits.capacity(), 1,
                limits.quotaWeb(), limits.quotaPhone(), mode, actor, reason, followsRules);
    }

    private Future<CapacityResult> settleMemory(CapacityChange change, CapacityResult result) {
        return allocator.reload(change.siteId())
                .compose(v -> {
                    List<Future<Boolean>> told = new ArrayList<>();
                    for (CapacityResult.Displaced d : result.displaced()) {
                        if ("hold".equals(d.kind())) {
                            continue; // the ledger learns on expiry or confirm that the hold ended
                        }
                        told.add(allocator.tell(change.siteId(), new SeatNews.BookingDisplaced(d.cardId(), d.code(),
                                change.displacement() == CapacityChange.Displacement.CANCEL)));
                    }
                    return Future.all(told).map(result);
                });
    }
}
