package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallCenterHoursTest {
    private static final CallCenterHours HOURS = CallCenterHours.parse("mon-fri 08:30-17:15; sat 09:00-12:00; holiday 10:00-12:00");
    /** A Thursday. */
    private static final LocalDate THURSDAY = LocalDate.of(2026, 12, 3);

    @Test
    void openOnWeekdaysWithinTheHoursOnly() {
        assertTrue(HOURS.open(THURSDAY.atTime(8, 30), false));
        assertTrue(HOURS.open(THURSDAY.atTime(17, 14), false));
        assertFalse(HOURS.open(THURSDAY.atTime(17, 15), false), "closes at 17:15");
        assertFalse(HOURS.open(THURSDAY.atTime(8, 29), false));
        assertTrue(HOURS.open(THURSDAY.plusDays(2).atTime(11, 0), false), "Saturday morning");
        assertFalse(HOURS.open(THURSDAY.plusDays(2).atTime(13, 0), false), "Saturday afternoon");
        assertFalse(HOURS.open(THURSDAY.plusDays(3).atTime(11, 0), false), "Sunday is not named: closed");
    }

    @Test
    void aHolidayFollowsItsOwnEntryOrIsClosed() {
        assertFalse(HOURS.open(THURSDAY.atTime(9, 0), true), "a Thursday holiday opens at 10");
        assertTrue(HOURS.open(THURSDAY.atTime(11, 0), true));
        assertFalse(CallCenterHours.parse("mon-fri 08:30-17:15").open(THURSDAY.atTime(11, 0), true), "no holiday entry: closed");
    }

    @Test
    void unsetMeansAlwaysOpenAndMistakesAreNamed() {
        assertTrue(CallCenterHours.parse(null).open(LocalDateTime.of(2026, 12, 6, 3, 0), true));
        assertTrue(CallCenterHours.parse("sat-mon 09:00-10:00").open(THURSDAY.plusDays(3).atTime(9, 30), false), "a range across Sunday");
        assertThrows(IllegalArgumentException.class, () -> CallCenterHours.parse("weekdays 9-5"));
        assertThrows(IllegalArgumentException.class, () -> CallCenterHours.parse("mon 17:00-09:00"));
        assertThrows(IllegalArgumentException.class, () -> CallCenterHours.parse("mon-tue-wed 09:00-10:00"));
    }

    @Test
    void pagesPrintTheHoursInBothLanguages() {
        CallCenterHours h = CallCenterHours.parse("Mon-Fri 08:30-17:15; sat 09:00-12:00; holiday closed");
        assertEquals("月〜金 8:30〜17:15、土 9:00〜12:00、祝日 休み", h.text(false));
        assertEquals("Mon–Fri 8:30–17:15, Sat 9:00–12:00, holidays closed", h.text(true));
        assertEquals("Mon–Fri 8:30–17:15, holidays closed", CallCenterHours.parse("mon-fri 08:30-17:15").text(true),
                "a weekday holiday is closed without a holiday entry, and the page says so");
        assertEquals("", CallCenterHours.ALWAYS.text(true), "no hours set: nothing to print");
    }
}
