package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outlook's arithmetic, with the seed's June 2021 figures. */
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
}
