package madoguchi.domain;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The issuing outlook from what actually happens: the cards issued per day over the last days
 * before an "as of" date (the office's own record, not seats), the cards still waiting then, and
 * the deadline question both ways — by when are the cards applied by a date all issued at that
 * pace, and how many a day would issue them by the deadline.
 *
 * @param waiting        cards applied by {@code asOf} and neither issued nor cancelled then
 * @param waitingBefore  of those, the ones applied by the deadline's application date
 * @param issuedPerDay   the observed pace (plus any what-if extra)
 * @param clearedOn      the day all waiting cards are issued at that pace; null if never
 * @param servedOn       the day the cards applied by the application date are issued (oldest first); null if never
 * @param neededPerDay   issuances a day that would issue them by the deadline; null when the deadline is not after asOf
 * @param extraPerDay    how many a day more than the pace that takes (0 when the pace suffices)
 * @param feasible       whether the pace issues them by the deadline
 */
public record Outlook(LocalDate asOf, int waiting, int waitingBefore, double issuedPerDay, LocalDate clearedOn,
                      LocalDate servedOn, Integer neededPerDay, int extraPerDay, boolean feasible) {

    /** Beyond this many days a backlog is said never to clear. */
    static final long HORIZON_DAYS = 365L * 100;

    public static Outlook of(LocalDate asOf, int waiting, int waitingBefore, double issuedPerDay, LocalDate deadline) {
        LocalDate cleared = dayAllIssued(asOf, waiting, issuedPerDay);
        LocalDate served = dayAllIssued(asOf, waitingBefore, issuedPerDay);
        long days = deadline == null ? 0 : ChronoUnit.DAYS.between(asOf, deadline);
        Integer needed = days <= 0 ? null : (int) Math.ceil(waitingBefore / (double) days - 1e-9);
        int extra = needed == null ? 0 : (int) Math.max(0, Math.ceil(needed - issuedPerDay - 1e-9));
        boolean feasible = deadline != null && served != null && !served.isAfter(deadline);
        return new Outlook(asOf, waiting, waitingBefore, issuedPerDay, cleared, served, needed, extra, feasible);
    }

    private static LocalDate dayAllIssued(LocalDate asOf, int cards, double perDay) {
        if (cards == 0) {
            return asOf;
        }
        if (perDay <= 0) {
            return null;
        }
        double days = Math.ceil(cards / perDay - 1e-9);
        return days > HORIZON_DAYS ? null : asOf.plusDays((long) days);
    }
}
