package madoguchi.app.capacity;

import madoguchi.app.sites.Sites;

import madoguchi.app.booking.Allocator;

import io.vertx.core.Future;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Administrators tune capacity during a surge. The change is made in the database under row
 * locks (PostgreSQL arbitrates between instances); then the allocator takes the new limits at
 * once, and memory forgets or re-marks what was displaced.
 */
public final class CapacityTuning {
    private final CapacityStore store;
    private final CalendarStore calendar;
    private final Sites sites;
    private final Allocator allocator;

    public CapacityTuning(CapacityStore store, CalendarStore calendar, Sites sites, Allocator allocator) {
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
            return store.apply(change, targets, dryRun);
        }).compose(result -> dryRun ? Future.succeededFuture(result) : settleMemory(change, result));
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
        return store.close(change, targets, dryRun)
                .compose(result -> dryRun ? Future.succeededFuture(result) : settleMemory(change, result));
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
            if (cal.closed(siteId, day)) {
                return Future.succeededFuture(new CapacityResult(!dryRun, 0, 0, List.of()));
            }
            java.util.TreeMap<java.time.Instant, madoguchi.domain.SlotLimits> wanted = new java.util.TreeMap<>();
            for (madoguchi.domain.SlotPlanner.PlannedSlot p : new madoguchi.domain.SlotPlanner(holidays)
                    .plan(site, cal.rules().getOrDefault(siteId, List.of()), day, false)) {
                wanted.put(p.start().toInstant(), p.limits());
            }
            java.util.Map<java.time.Instant, madoguchi.domain.SlotLimits> now = new java.util.HashMap<>();
            for (madoguchi.domain.SlotSeats slot : allocator.slots(siteId, day.atStartOfDay(BookingWindow.TOKYO).toInstant(),
                    day.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant())) {
                now.put(slot.start(), slot.limits());
            }
            if (now.isEmpty()) {
                // a day not planned yet (beyond the horizon): the calendar plans it with the holidays when it comes
                return Future.succeededFuture(new CapacityResult(!dryRun, 0, 0, List.of()));
            }
            java.util.TreeSet<java.time.Instant> starts = new java.util.TreeSet<>(wanted.keySet());
            starts.addAll(now.keySet());
            List<CapacityChange> changes = new ArrayList<>();
            madoguchi.domain.SlotLimits runLimits = null;
            java.time.Instant runStart = null;
            java.time.Instant runEnd = null;
            for (java.time.Instant start : starts) {
                madoguchi.domain.SlotLimits want = wanted.getOrDefault(start, new madoguchi.domain.SlotLimits(0, 0, 0, false));
                madoguchi.domain.SlotLimits have = now.get(start);
                boolean differs = have == null ? want.capacity() > 0 : have.capacity() != want.capacity()
                        || have.quotaWeb() != want.quotaWeb() || have.quotaPhone() != want.quotaPhone();
                java.time.Instant end = start.plus(java.time.Duration.ofMinutes(site.slotMinutes()));
                if (differs && runLimits != null && runLimits.equals(want) && runEnd.equals(start)) {
                    runEnd = end;
                    continue;
                }
                if (runLimits != null) {
                    changes.add(change(siteId, day, runStart, runEnd, runLimits, mode, actor, reason));
                    runLimits = null;
                }
                if (differs) {
                    runLimits = want;
                    runStart = start;
                    runEnd = end;
                }
            }
            if (runLimits != null) {
                changes.add(change(siteId, day, runStart, runEnd, runLimits, mode, actor, reason));
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
        });
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
                                         madoguchi.domain.SlotLimits limits, CapacityChange.Displacement mode, String actor, String reason) {
        LocalTime from = start.atZone(BookingWindow.TOKYO).toLocalTime();
        LocalTime to = end.atZone(BookingWindow.TOKYO).toLocalTime();
        return new CapacityChange(siteId, day, day, java.util.EnumSet.of(day.getDayOfWeek()), from,
                to.equals(LocalTime.MIDNIGHT) ? LocalTime.MAX : to, limits.capacity(), 1,
                limits.quotaWeb(), limits.quotaPhone(), mode, actor, reason);
    }

    private Future<CapacityResult> settleMemory(CapacityChange change, CapacityResult result) {
        return allocator.reload(change.siteId())
                .compose(v -> allocator.onShardOf(change.siteId(), ledger -> {
                    for (CapacityResult.Displaced d : result.displaced()) {
                        if ("hold".equals(d.kind())) {
                            continue; // the ledger learns on expiry or confirm that the hold ended
                        }
                        ActiveBooking known = ledger.bookingOf(d.cardId());
                        if (known == null || !known.code().equals(d.code())) {
                            continue;
                        }
                        if (change.displacement() == CapacityChange.Displacement.CANCEL) {
                            ledger.forgetBooking(d.cardId());
                        } else {
                            ledger.loadBooking(known.asOverride("capacity reduced"));
                        }
                    }
                    return result;
                }));
    }
}
