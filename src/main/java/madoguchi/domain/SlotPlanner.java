package madoguchi.domain;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a site's opening rules into the slots of one day (a walk-in site's slots are never booked:
 * their seats cap the day's tickets). Closed days (closures, the year-end break) have none; where rules overlap, the later rule (higher id) decides the capacity.
 */
public final class SlotPlanner {

    /** A slot to materialise: its times and its capacity from the rules. */
    public record PlannedSlot(ZonedDateTime start, ZonedDateTime end, SlotLimits limits, String label) {
    }

    private final Set<LocalDate> holidays;

    public SlotPlanner(Set<LocalDate> holidays) {
        this.holidays = holidays;
    }

    public List<PlannedSlot> plan(Site site, List<OpeningRule> rules, LocalDate date, boolean closed) {
        // a walk-in site has slots too: nobody books them, their seats are the day's tickets
        List<PlannedSlot> out = new ArrayList<>();
        decide(site, rules, date, closed).forEach((t, rule) -> {
            ZonedDateTime start = date.atTime(t).atZone(BookingWindow.TOKYO);
            out.add(new PlannedSlot(start, start.plusMinutes(site.slotMinutes()), rule.limits(), rule.label()));
        });
        return out;
    }

    /**
     * The rule that decides each slot of the day, by the slot's start: of the rules that apply that
     * day, a capacity change made by hand over an opening rule, else the later (higher id) where
     * they overlap; none on a closed day.
     */
    public TreeMap<LocalTime, OpeningRule> decide(Site site, List<OpeningRule> rules, LocalDate date, boolean closed) {
        TreeMap<LocalTime, OpeningRule> byStart = new TreeMap<>();
        if (closed) {
            return byStart;
        }
        boolean holiday = holidays.contains(date);
        List<OpeningRule> ordered = new ArrayList<>(rules);
        // opening rules first, then capacity changes made by hand, each oldest first: the later decides a slot
        ordered.sort(java.util.Comparator.comparing(OpeningRule::byHand).thenComparingLong(OpeningRule::id));
        for (OpeningRule rule : ordered) {
            if (!rule.siteId().equals(site.id()) || !rule.appliesOn(date, holiday)) {
                continue;
            }
            int last = rule.closes().toSecondOfDay() / 60 - site.slotMinutes();
            for (int m = rule.opens().toSecondOfDay() / 60; m <= last; m += site.slotMinutes()) {
                byStart.put(LocalTime.ofSecondOfDay(m * 60L), rule);
            }
        }
        return byStart;
    }
}
