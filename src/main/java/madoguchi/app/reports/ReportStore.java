package madoguchi.app.reports;

import io.vertx.core.Future;
import madoguchi.domain.MonthlyFigures;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the administrators' reports read from the card and booking history. */
public interface ReportStore {

    record SiteMonth(String siteId, YearMonth month, MonthlyFigures.Movements movements) {
    }

    record ShelfCount(long id, String siteId, LocalDate countedOn, int counted, String note, String countedBy) {
    }

    /** Cards held ready at a site at the end of a day, and how many of them each reason suggests are gone. */
    record ReadyCards(int ready, Map<String, Integer> candidates) {
    }

    /**
     * A site's pace: cards waiting (any step before issued or cancelled), those applied on or before a
     * date, the seats of the coming and of the past {@code days} days, and what became of the
     * past days' bookings.
     */
    record Pace(String siteId, int waiting, int waitingBefore, long futureSeats, long pastSeats, long pastBooked,
                long pastIssued, long pastNoShows) {
    }

    /** Movements of every site and month up to and including {@code to}. */
    Future<List<SiteMonth>> movements(YearMonth to);

    /** Records a shelf count and writes {@code audit} in the same transaction. */
    /**
     * A count as recorded: new, or found recorded already under its idempotency key
     * ({@code replayed}); {@code reused} when the key names a different count (nothing written).
     */
    record Recorded(ShelfCount count, boolean replayed, boolean reused) {
    }

    /**
     * Records a count with its audit row; with a {@code key} (may be null), the same request sent
     * again ({@link madoguchi.app.booking.Idempotency#isRequest}) is recorded once.
     */
    Future<Recorded> recordCount(String siteId, LocalDate countedOn, int counted, String note, String actor,
                                 madoguchi.app.booking.Idempotency key,
                                 madoguchi.app.AuditEntry audit);

    /** How many cards reached a step of the process in a month, per site (the card's site now). */
    record StepMonth(String siteId, YearMonth month, int cards) {
    }

    /** The cards that reached {@code state} in each month from {@code from} to {@code to}, per site. */
    Future<List<StepMonth>> stepMonths(madoguchi.domain.CardState state, YearMonth from, YearMonth to);

    /**
     * A site as of a day: the cards applied by then and neither issued nor cancelled by its end,
     * those of them applied by {@code appliedBy}, and the cards issued over the days before.
     */
    record Observed(String siteId, int waiting, int waitingBefore, int issued) {
    }

    /** Every site as of {@code asOf}, with the issuances of the {@code days} days up to its end. */
    Future<List<Observed>> observed(LocalDate asOf, int days, LocalDate appliedBy);

    /**
     * A site's slots from a day onward: the bookings confirmed in them (active: neither cancelled
     * nor ended), the seats of its open (not blocked) slots and those still free (neither booked
     * nor held; a booking an operator forced over the capacity takes no seat).
     */
    record Ahead(String siteId, int booked, long seats, long free) {
    }

    /** Every site's slots starting on or after the start of {@code from} (Tokyo). */
    Future<List<Ahead>> ahead(LocalDate from);

    /** The latest count of each site made on or before {@code date}. */
    Future<List<ShelfCount>> latestCounts(LocalDate date);

    /** Per site, the cards held ready at the end of {@code day}. */
    Future<Map<String, ReadyCards>> readyOn(LocalDate day, Set<String> sites);

    Future<List<Pace>> pace(Instant now, int days, LocalDate appliedBy);
}
