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
