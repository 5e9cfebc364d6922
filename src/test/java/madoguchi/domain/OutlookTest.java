package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outlook's arithmetic, with the seed's June 2021 figures, and counters and what-ifs turned into issuances a day. */
class OutlookTest {
    private static final LocalDate JUNE_30 = LocalDate.of(2021, 6, 30);
    private static final LocalDate SEPTEMBER_30 = LocalDate.of(2021, 9, 30);

    @Test
    void theMynapointQuestionAtJunesPace() {
        // 36,950 issued in June's 30 days; 137,622 applied by 30 April still waiting on 30 June
        Outlook o = Outlook.of(JUNE_30, 150_000, 137_622, 36_950 / 30.0, SEPTEMBER_30);
        assertEquals(LocalDate.of(2021, 10, 20), o.servedOn(), "137,622 / 1,231.67 a day = 111.7 → 112 days");
        assertFalse(o.feasible());
        assertEquals(1_496, o.neededPerDay(), "137,622 / 92 days");
        assertEquals(265, o.extraPerDay(), "1,496 − 1,231.67, rounded up");
        assertEquals(LocalDate.of(2021, 10, 30), o.clearedOn(), "150,000 / 1,231.67 = 121.8 → 122 days");
    }

    @Test
    void aWhatIfPaceMeetsTheDeadline() {
        Outlook o = Outlook.of(JUNE_30, 150_000, 137_622, 36_950 / 30.0 + 300, SEPTEMBER_30);
        assertTrue(o.feasible());
        assertEquals(LocalDate.of(2021, 9, 28), o.servedOn(), "137,622 / 1,531.67 = 89.9 → 90 days");
        assertEquals(0, o.extraPerDay());
    }

    @Test
    void noPaceNeverClearsAndNothingWaitingIsClearedAtOnce() {
        Outlook none = Outlook.of(JUNE_30, 10, 10, 0, SEPTEMBER_30);
        assertNull(none.clearedOn());
        assertNull(none.servedOn());
        assertFalse(none.feasible());
        Outlook empty = Outlook.of(JUNE_30, 0, 0, 0, SEPTEMBER_30);
        assertEquals(JUNE_30, empty.clearedOn());
        assertTrue(empty.feasible());
        assertNull(Outlook.of(JUNE_30, 5, 5, 1, JUNE_30).neededPerDay(), "no days left to the deadline");
    }

    private static final Set<DayOfWeek> WEEKDAYS = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
    private static final Site WARD = new Site("nakahara", "中原区役所", "Nakahara", SiteKind.WARD, "", "", false, 15,
            new BookingWindow(Duration.ofHours(12), 56), Duration.ofMinutes(5), Duration.ofMinutes(2));
    /** A ward office's weekdays: 08:30-17:00 (34 quarter hours), 4 counters of 2 residents a slot. */
    private static final OpeningRule WEEKDAY_HOURS = new OpeningRule(1, "nakahara", WEEKDAYS, Set.of(), OpeningRule.Holidays.EXCLUDE,
            LocalTime.of(8, 30), LocalTime.of(17, 0), 4, 2, "regular", null, null, null, null);
    private static final SlotPlanner NO_HOLIDAYS = new SlotPlanner(Set.of());

    @Test
    void aCounterOnWeekdaysGivesFiveSeventhsOfItsDayEachCalendarDay() {
        // 4 weeks from Monday 5 July 2021: 20 open days of 34 slots × 2 residents = 68 a counter
        CounterYield y = CounterYield.of(WARD, List.of(WEEKDAY_HOURS), NO_HOLIDAYS, d -> false, LocalDate.of(2021, 7, 5), 28);
        assertEquals(20, y.openDays());
        assertEquals(68.0, y.perOpenDay(), 1e-9);
        assertEquals(5.0, y.openDaysPerWeek(), 1e-9);
        assertEquals(68 * 5 / 7.0, y.perCalendarDay(), 1e-9, "48.57 a calendar day");
        assertEquals(8.0, y.perHour(), 1e-9, "2 residents a quarter hour");
        assertEquals(3, y.countersFor(100), "100 / 48.57 = 2.06 → 3 counters");
        assertEquals(2, y.countersFor(68 * 10 / 7.0), "exactly two counters' worth is two");
        assertEquals(0, y.countersFor(0));
        assertEquals(0, y.countersFor(-5), "nothing short, no counter");
    }

    @Test
    void holidaysClosedDaysAndSaturdaysChangeTheOpenDays() {
        var saturdays = new OpeningRule(2, "nakahara", Set.of(DayOfWeek.SATURDAY), Set.of(2, 4), OpeningRule.Holidays.EXCLUDE,
                LocalTime.of(8, 30), LocalTime.of(12, 0), 4, 2, "saturday", null, null, null, null);
        SlotPlanner planner = new SlotPlanner(Set.of(LocalDate.of(2021, 7, 22), LocalDate.of(2021, 7, 23)));
        // July 2021: 22 weekdays less the two holidays, less a closure on the 30th; the 10th and 24th are 2nd and 4th Saturdays
        CounterYield y = CounterYield.of(WARD, List.of(WEEKDAY_HOURS, saturdays), planner, d -> d.getDayOfMonth() == 30,
                LocalDate.of(2021, 7, 1), 31);
        assertEquals(19 + 2, y.openDays());
        assertEquals((19 * 68 + 2 * 14 * 2) / 21.0, y.perOpenDay(), 1e-9, "a Saturday morning is 14 slots");
        assertEquals(21 * 7 / 31.0, y.openDaysPerWeek(), 1e-9);
        assertEquals((19 * 68 + 2 * 28) / 31.0, y.perCalendarDay(), 1e-9, "the window's seats per calendar day");
    }

    @Test
    void noRulesOrNoCountersGiveNoYield() {
        assertNull(CounterYield.of(WARD, List.of(), NO_HOLIDAYS, d -> false, JUNE_30, 28), "no rules");
        var unstaffed = new OpeningRule(1, "nakahara", WEEKDAYS, Set.of(), OpeningRule.Holidays.EXCLUDE,
                LocalTime.of(8, 30), LocalTime.of(17, 0), 0, 2, "regular", null, null, null, null);
        assertNull(CounterYield.of(WARD, List.of(unstaffed), NO_HOLIDAYS, d -> false, JUNE_30, 28), "no counter staffed");
        assertNull(CounterYield.of(WARD, List.of(WEEKDAY_HOURS), NO_HOLIDAYS, d -> true, JUNE_30, 28), "closed throughout");
        assertThrows(IllegalArgumentException.class, () -> CounterYield.of(WARD, List.of(WEEKDAY_HOURS), NO_HOLIDAYS, d -> false, JUNE_30, 0));
    }

    @Test
    void theWhatIfsInIssuancesACalendarDay() {
        CounterYield y = CounterYield.of(WARD, List.of(WEEKDAY_HOURS), NO_HOLIDAYS, d -> false, LocalDate.of(2021, 7, 5), 28);
        assertEquals(2 * 68 * 5 / 7.0, WhatIf.extraCounters(2, y), 1e-9, "two counters: 97.14 a day");
        // 2 Saturdays a month, 3.5 hours, 2 counters, 8 residents a counter-hour = 112 a month
        assertEquals(112 / (365 / 12.0), WhatIf.saturdays(2, 3.5, 2, y), 1e-9, "3.68 a day");
        assertEquals(256.0, WhatIf.walkIn(256, 7), 1e-9, "the demo's KSP every day");
        assertEquals(256 * 5 / 7.0, WhatIf.walkIn(256, 5), 1e-9, "weekdays only: 182.86");
        assertEquals(0.0, WhatIf.walkIn(0, 5));
    }

    @Test
    void aSiteThatIssuedNothingNeedsCountersForTheWholeDeadline() {
        // no pace at all: the shortfall is all of the issuances a day the deadline takes
        Outlook o = Outlook.of(JUNE_30, 1_000, 920, 0, SEPTEMBER_30);
        assertEquals(10, o.neededPerDay(), "920 / 92 days");
        CounterYield y = CounterYield.of(WARD, List.of(WEEKDAY_HOURS), NO_HOLIDAYS, d -> false, LocalDate.of(2021, 7, 5), 28);
        assertEquals(1, y.countersFor(o.neededPerDay() - o.issuedPerDay()), "10 / 48.57 → 1 counter");
        Outlook helped = Outlook.of(JUNE_30, 1_000, 920, WhatIf.extraCounters(1, y), SEPTEMBER_30);
        assertTrue(helped.feasible(), "one counter clears it: " + helped);
        assertEquals(LocalDate.of(2021, 7, 19), helped.servedOn(), "920 / 48.57 = 18.9 → 19 days");
    }
}
