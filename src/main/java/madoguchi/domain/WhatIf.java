package madoguchi.domain;

/**
 * The outlook's what-if in the city's terms, each turned into extra issuances a calendar day
 * (the unit of the observed pace). A month is a twelfth of a 365-day year.
 */
public final class WhatIf {
    /** Calendar days in a month, on average over a common year. */
    public static final double DAYS_A_MONTH = 365.0 / 12;

    private WhatIf() {
    }

    /** {@code counters} more counters at a site, on its open days: counters × one counter's issuances a calendar day. */
    public static double extraCounters(int counters, CounterYield yield) {
        return counters * yield.perCalendarDay();
    }

    /**
     * Saturday openings at a site: {@code perMonth} Saturdays a month, {@code hours} hours each,
     * {@code counters} counters, each serving the site's residents an hour:
     * perMonth × hours × counters × perHour / (365 / 12).
     */
    public static double saturdays(int perMonth, double hours, int counters, CounterYield yield) {
        return perMonth * hours * counters * yield.perHour() / DAYS_A_MONTH;
    }

    /** A walk-in site handing out {@code ticketsPerDay} tickets on {@code daysPerWeek} days a week: tickets × days / 7. */
    public static double walkIn(int ticketsPerDay, int daysPerWeek) {
        if (daysPerWeek < 0 || daysPerWeek > 7) {
            throw new IllegalArgumentException("days a week: " + daysPerWeek);
        }
        return ticketsPerDay * (double) daysPerWeek / 7;
    }
}
