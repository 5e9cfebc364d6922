package madoguchi.app.capacity;

import madoguchi.app.sites.Sites;

import madoguchi.app.booking.Allocator;

import io.vertx.core.Future;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SlotPlanner;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps slots materialised for each site's booking horizon: run at start and daily, and after
 * an administrator changes hours. Existing slots are never touched here (their counts are live).
 */
public final class SlotCalendar {
    private final CalendarStore store;
    private final Sites sites;
    private final Allocator allocator;
    private final Clock clock;

    public SlotCalendar(CalendarStore store, Sites sites, Allocator allocator, Clock clock) {
        this.store = store;
        this.sites = sites;
        this.allocator = allocator;
        this.clock = clock;
    }

    /** Adds missing slots from today to each site's horizon; returns how many were planned. */
    public Future<Integer> materialize() {
        return store.calendar().compose(calendar -> {
            LocalDate today = clock.instant().atZone(BookingWindow.TOKYO).toLocalDate();
            SlotPlanner planner = new SlotPlanner(calendar.holidays());
            List<CalendarStore.NewSlot> planned = new ArrayList<>();
            for (Site site : sites.all()) {
                List<madoguchi.domain.OpeningRule> rules = calendar.rules().getOrDefault(site.id(), List.of());
                for (int d = 0; d <= site.window().horizonDays(); d++) {
                    LocalDate day = today.plusDays(d);
                    for (SlotPlanner.PlannedSlot p : planner.plan(site, rules, day, calendar.closed(site.id(), day))) {
                        planned.add(new CalendarStore.NewSlot(site.id(), p.start().toInstant(), p.end().toInstant(),
                                p.limits(), p.label()));
                    }
                }
            }
            return store.addSlots(planned).compose(changed -> {
                List<Future<Void>> reloads = new ArrayList<>();
                changed.forEach(siteId -> reloads.add(allocator.reload(siteId)));
                return Future.all(reloads).map(v -> planned.size());
            });
        });
    }
}
