package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report arithmetic, on cases worked out by hand. */
class ReportMathTest {
    private static final LocalDate JULY_1 = LocalDate.of(2021, 7, 1);

    @Test
    void backlogIsCumulativeApplicationsMinusIssuancesMinusCancellations() {
        Map<YearMonth, MonthlyFigures.Movements> m = Map.of(
                YearMonth.of(2020, 5), new MonthlyFigures.Movements(433_238, 324_397, 14_605, 0),
                YearMonth.of(2020, 7), new MonthlyFigures.Movements(10, 4, 1, 2));
        List<MonthlyFigures> s = MonthlyFigures.series(m, YearMonth.of(2020, 6), YearMonth.of(2020, 8));
        assertEquals(3, s.size());
        assertEquals(94_236, s.get(0).backlog(), "May carried into June");
        assertEquals(0, s.get(0).applications());
        assertEquals(94_241, s.get(1).backlog());
        assertEquals(2, s.get(1).noShows());
        assertEquals(94_241, s.get(2).backlog());
    }

    @Test
    void reconciliationExplainsTheDifferenceMostCertainReasonFirstAndNoMoreThanIt() {
        Reconciliation r = Reconciliation.of(12_137, 11_530, Map.of("moved_between_wards", 250, "withdrawn", 180,
                "expired", 120, "died", 7));
        assertEquals(607, r.difference());
        assertEquals(50, r.unknown());
        assertEquals(557, r.explained().values().stream().mapToInt(Integer::intValue).sum());

        // more candidates than cards missing: the surest reasons are taken first
        Reconciliation over = Reconciliation.of(100, 90, Map.of("expired", 8, "died", 3, "moved_between_wards", 5));
        assertEquals(3, over.explained().get("died"));
        assertEquals(5, over.explained().get("moved_between_wards"));
        assertEquals(2, over.explained().get("expired"));
        assertEquals(8, over.candidates().get("expired"));
        assertEquals(0, over.unknown());

        Reconciliation more = Reconciliation.of(90, 100, Map.of("died", 3));
        assertEquals(-10, more.difference());
        assertEquals(10, more.notInSystem());
        assertEquals(0, more.explained().get("died"));
        assertEquals(0, more.unknown());
    }

    @Test
    void forecastAtFullBookingAndNoNoShows() {
        // 1,500 waiting, 20 seats a day, all booked and attended: 75 days
        Forecast f = Forecast.of(JULY_1, 1_500, 20, 1.0, 0.0);
        assertEquals(20.0, f.issuedPerDay(), 1e-9);
        assertEquals(LocalDate.of(2021, 9, 14), f.clearedOn());
        // the 1,000 applied by 30 April: 91 days to 30 September, 1,820 can be issued
        Forecast.Deadline d = f.withDeadline(JULY_1, LocalDate.of(2021, 4, 30), LocalDate.of(2021, 9, 30), 1_000).deadline();
        assertEquals(91, d.days());
        assertEquals(1_820, d.canIssue());
        assertTrue(d.feasible());
        assertEquals(11, d.seatsPerDayNeeded(), "ceil(1000 / 91)");
    }

    @Test
    void forecastWithBookingAndNoShowRates() {
        // 5 seats a day × 0.9 booked × (1 − 0.1) attended = 4.05 a day
        Forecast f = Forecast.of(JULY_1, 1_500, 5, 0.9, 0.1);
        assertEquals(4.05, f.issuedPerDay(), 1e-9);
        assertEquals(JULY_1.plusDays(371), f.clearedOn(), "ceil(1500 / 4.05) = 371 days");
        Forecast.Deadline d = f.withDeadline(JULY_1, LocalDate.of(2021, 4, 30), LocalDate.of(2021, 9, 30), 1_000).deadline();
        assertEquals(368, d.canIssue(), "floor(4.05 × 91)");
        assertFalse(d.feasible());
        assertEquals(14, d.seatsPerDayNeeded(), "ceil(1000 / (91 × 0.81)) = ceil(13.57)");
    }

    @Test
    void forecastEdges() {
        assertEquals(JULY_1, Forecast.of(JULY_1, 0, 0, 1, 0).clearedOn(), "nothing waiting: cleared today");
        assertNull(Forecast.of(JULY_1, 10, 0, 1, 0).clearedOn(), "no seats: never");
        assertNull(Forecast.of(JULY_1, 10, 1e-7, 1e-7, 0).clearedOn(), "a pace that ends after year 9999: never, not an overflow");
        assertNull(Forecast.of(JULY_1, 10, Double.MIN_VALUE, 1, 0).clearedOn());
        assertEquals(LocalDate.of(9999, 12, 31), Forecast.of(LocalDate.of(9999, 12, 21), 10, 1, 1, 0).clearedOn(), "the last day still said");
        Forecast.Deadline past = Forecast.of(JULY_1, 10, 5, 1, 0).withDeadline(JULY_1, JULY_1, JULY_1.minusDays(1), 10).deadline();
        assertEquals(0, past.days());
        assertFalse(past.feasible());
        assertNull(past.seatsPerDayNeeded(), "no days left: no number of seats is enough");
        assertTrue(Forecast.of(JULY_1, 10, 5, 1, 0).withDeadline(JULY_1, JULY_1, JULY_1.plusDays(3), 0).deadline().feasible());
    }
}
