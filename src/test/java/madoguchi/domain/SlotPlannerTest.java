package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotPlannerTest {
    private static final Set<DayOfWeek> WEEKDAYS = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
    private final Site ward = new Site("nakahara", "中原区役所", "Nakahara", SiteKind.WARD, "", "", false, 15,
            new BookingWindow(Duration.ofHours(12), 56), Duration.ofMinutes(5), Duration.ofMinutes(2));
    private final List<OpeningRule> rules = List.of(
            new OpeningRule(1, "nakahara", WEEKDAYS, Set.of(), OpeningRule.Holidays.EXCLUDE, LocalTime.of(8, 30), LocalTime.of(17, 0), 4, 2, "regular", null, null, null, null),
            new OpeningRule(2, "nakahara", Set.of(DayOfWeek.SATURDAY), Set.of(2, 4), OpeningRule.Holidays.EXCLUDE, LocalTime.of(8, 30), LocalTime.of(12, 0), 4, 2, "saturday", null, null, null, null),
            new OpeningRule(3, "nakahara", Set.of(DayOfWeek.SATURDAY), Set.of(2, 4), OpeningRule.Holidays.EXCLUDE, LocalTime.of(15, 0), LocalTime.of(18, 0), 4, 2, "issuance_only", null, null, null, null));
    private final SlotPlanner planner = new SlotPlanner(Set.of(LocalDate.of(2026, 11, 23)));

    @Test
    void aWeekdayHasThirtyFourQuarterHoursOfEightSeats() {
        var slots = planner.plan(ward, rules, LocalDate.of(2026, 11, 26), false);
        assertEquals(34, slots.size());
        assertEquals("08:30", slots.get(0).start().toLocalTime().toString());
        assertEquals("17:00", slots.get(33).end().toLocalTime().toString());
        assertTrue(slots.stream().allMatch(s -> s.limits().capacity() == 8));
    }

    @Test
    void secondAndFourthSaturdaysOpenMorningAndEveningOthersNot() {
        assertEquals(14 + 12, planner.plan(ward, rules, LocalDate.of(2026, 11, 14), false).size(), "2nd Saturday");
        assertEquals(26, planner.plan(ward, rules, LocalDate.of(2026, 11, 28), false).size(), "4th Saturday");
        assertEquals(0, planner.plan(ward, rules, LocalDate.of(2026, 11, 21), false).size(), "3rd Saturday");
        assertEquals(0, planner.plan(ward, rules, LocalDate.of(2026, 11, 29), false).size(), "Sunday");
    }

    @Test
    void holidaysAndClosuresHaveNoSlots() {
        assertEquals(0, planner.plan(ward, rules, LocalDate.of(2026, 11, 23), false).size(), "勤労感謝の日");
        assertEquals(0, planner.plan(ward, rules, LocalDate.of(2026, 11, 24), true).size(), "closed");
    }

    @Test
    void aLaterRuleDecidesTheCapacityWhereRulesOverlap() {
        var extra = new OpeningRule(9, "nakahara", WEEKDAYS, Set.of(), OpeningRule.Holidays.INCLUDE, LocalTime.of(15, 0),
                LocalTime.of(18, 0), 6, 2, "admin", LocalDate.of(2026, 11, 26), LocalDate.of(2026, 11, 26), 6, 9);
        var slots = planner.plan(ward, List.of(rules.get(0), extra), LocalDate.of(2026, 11, 26), false);
        assertEquals(34 + 4, slots.size(), "open until 18:00 that day");
        var last = slots.get(slots.size() - 1);
        assertEquals(new SlotLimits(12, 6, 9, false), last.limits());
        assertEquals(8, slots.get(0).limits().capacity());
    }
}
