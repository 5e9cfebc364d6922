package madoguchi.domain;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one counter issues at a site, from its opening rules over a window of days: in each slot
 * the site is open (the deciding rule staffs at least one counter and seats someone), one counter
 * serves the rule's {@code per_counter} residents. Taken from the rules, not from the slots
 * already planned: a counter is a rule's notion (a slot keeps only counters × per_counter), the
 * rules reach past the booking horizon to any deadline, and they hold for an "as of" day in the
 * past as well, when the slots then are long gone or changed by hand.
 *
 * <p>The outlook's pace is per calendar day, a counter works on open days only: one counter
 * gives {@code perOpenDay × openDaysPerWeek / 7} issuances a calendar day. It is the counter's
 * seats: every seat booked and every resident coming, so the counters asked for are the fewest
 * that can do it.
 *
 * @param days       calendar days in the window
 * @param openDays   of them, the days the site is open
 * @param perOpenDay one counter's residents an open day (its seats over the window / open days)
 * @param perHour    one counter's residents an open hour
 */
public record CounterYield(int days, int openDays, double perOpenDay, double perHour) {

    public CounterYield {
        if (days <= 0 || openDays <= 0 || openDays > days || perOpenDay <= 0 || perHour <= 0) {
            throw new IllegalArgumentException("a yield needs open days with seats: " + days + ", " + openDays + ", " + perOpenDay);
        }
    }

    /**
     * One counter at a site over {@code days} days from {@code first}; null when the rules open it
     * on none of them (no rules, or counters or seats of 0 throughout): then counters cannot be
     * turned into issuances there.
     */
    public static CounterYield of(Site site, List<OpeningRule> rules, SlotPlanner planner, Predicate<LocalDate> closed,
                                  LocalDate first, int days) {
        if (days <= 0) {
            throw new IllegalArgumentException("the window needs days: " + days);
        }
        long seats = 0;
        long openSlots = 0;
        int openDays = 0;
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            boolean open = false;
            for (Map.Entry<LocalTime, OpeningRule> slot : planner.decide(site, rules, day, closed.test(day)).entrySet()) {
                OpeningRule rule = slot.getValue();
                if (rule.capacity() > 0) {
                    seats += rule.perCounter();
                    openSlots++;
                    open = true;
                }
            }
            openDays += open ? 1 : 0;
        }
        if (openDays == 0) {
            return null;
        }
        return new CounterYield(days, openDays, seats / (double) openDays, seats * 60.0 / (openSlots * site.slotMinutes()));
    }

    /** Open days a week over the window. */
    public double openDaysPerWeek() {
        return openDays * 7.0 / days;
    }

    /** One counter's issuances a calendar day: {@code perOpenDay × openDaysPerWeek / 7}. */
    public double perCalendarDay() {
        return perOpenDay * openDaysPerWeek() / 7;
    }

    /** The extra counters (whole, rounded up) that give {@code shortPerDay} more issuances a calendar day; 0 when none is short. */
    public int countersFor(double shortPerDay) {
        if (shortPerDay <= 0) {
            return 0;
        }
        return (int) Math.ceil(shortPerDay / perCalendarDay() - 1e-9);
    }
}
