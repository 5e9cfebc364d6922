package madoguchi.domain;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * When a site's waiting cards are all issued at the current pace, and whether the cards applied
 * before a date can be issued before a deadline. The pace is seats per day × booking rate (the
 * share of seats residents fill) × (1 − no-show rate); days are calendar days, the seats per day
 * an average over open and closed days alike.
 */
public record Forecast(int waiting, double seatsPerDay, double bookingRate, double noShowRate, double issuedPerDay,
                       LocalDate clearedOn, Deadline deadline) {

    /**
     * @param waiting    cards applied before {@code appliedBy} and not yet issued or cancelled
     * @param days       calendar days from today to the deadline
     * @param canIssue   cards the current pace issues by the deadline
     * @param feasible   whether that covers them all (the oldest go first)
     * @param seatsPerDayNeeded seats a day that would be needed at the same booking and no-show rates
     */
    public record Deadline(LocalDate appliedBy, LocalDate by, int waiting, long days, long canIssue, boolean feasible,
                           Integer seatsPerDayNeeded) {
    }

    /** Where no pace would end the backlog in time to say: the last day the calendar holds, 31 December 9999. */
    static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    /** {@code clearedOn} is null when the backlog never clears at this pace, or not by {@link #LAST_DAY}. */
    public static Forecast of(LocalDate today, int waiting, double seatsPerDay, double bookingRate, double noShowRate) {
        double pace = issuedPerDay(seatsPerDay, bookingRate, noShowRate);
        double days = pace <= 0 ? Double.POSITIVE_INFINITY : Math.ceil(waiting / pace - 1e-9);
        LocalDate cleared = waiting == 0 ? today
                : days > ChronoUnit.DAYS.between(today, LAST_DAY) ? null : today.plusDays((long) days);
        return new Forecast(waiting, seatsPerDay, bookingRate, noShowRate, pace, cleared, null);
    }

    public Forecast withDeadline(LocalDate today, LocalDate appliedBy, LocalDate by, int waitingBefore) {
        long days = Math.max(0, ChronoUnit.DAYS.between(today, by));
        long canIssue = (long) Math.floor(issuedPerDay * days + 1e-9);
        boolean feasible = waitingBefore <= canIssue;
        double perSeat = bookingRate * (1 - noShowRate);
        Integer needed = waitingBefore == 0 ? Integer.valueOf(0)
                : days == 0 || perSeat <= 0 ? null : (int) Math.ceil(waitingBefore / (days * perSeat) - 1e-9);
        return new Forecast(waiting, seatsPerDay, bookingRate, noShowRate, issuedPerDay, clearedOn,
                new Deadline(appliedBy, by, waitingBefore, days, canIssue, feasible, needed));
    }

    static double issuedPerDay(double seatsPerDay, double bookingRate, double noShowRate) {
        return Math.max(0, seatsPerDay * bookingRate * (1 - noShowRate));
    }
}
