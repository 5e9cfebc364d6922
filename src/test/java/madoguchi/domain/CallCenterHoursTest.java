package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MADOGUCHI_CALL_CENTER_HOURS as written in operations.md, read one way for the page and the phone line. */
class CallCenterHoursTest {

    @Test
    void weekdaysWithASaturdayMorningReadInBothLanguages() {
        CallCenterHours h = CallCenterHours.parse("Mon-Fri 08:30-17:15; Sat 09:00-12:00");
        assertEquals("月〜金 8:30〜17:15、土 9:00〜12:00", h.text(false));
        assertEquals("Mon–Fri 8:30–17:15, Sat 9:00–12:00", h.text(true));
    }

    @Test
    void openIsTokyoTimeWithTheClosingMinuteOutside() {
        CallCenterHours h = CallCenterHours.parse("Mon-Fri 08:30-17:15");
        // Thursday 3 December 2026
        assertTrue(h.isOpen(ZonedDateTime.parse("2026-12-03T08:30:00+09:00[Asia/Tokyo]")));
        assertTrue(h.isOpen(ZonedDateTime.parse("2026-12-02T23:30:00Z")), "08:30 in Tokyo");
        assertFalse(h.isOpen(ZonedDateTime.parse("2026-12-03T17:15:00+09:00[Asia/Tokyo]")));
        assertFalse(h.isOpen(ZonedDateTime.parse("2026-12-05T10:00:00+09:00[Asia/Tokyo]")), "a Saturday");
    }

    @Test
    void listsAndRangesOverTheWeekend() {
        assertEquals("Mon, Wed, Fri 9:00–12:00", CallCenterHours.parse("Mon,Wed,Fri 09:00-12:00").text(true));
        assertEquals("月・火 9:00〜12:00", CallCenterHours.parse("mon-tue 9:00-12:00").text(false));
        // a range may run over the weekend; it is printed in the week's order
        assertEquals("Mon, Fri–Sun 9:00–12:00", CallCenterHours.parse("Fri-Mon 09:00-12:00").text(true));
    }

    @Test
    void mistakesAreNamed() {
        for (String bad : new String[] {"", "Mon-Fri", "Mon-Fri 8:30", "Mo-Fr 08:30-17:15", "Mon-Fri 17:15-08:30", "Mon-Fri 25:00-26:00"}) {
            assertThrows(IllegalArgumentException.class, () -> CallCenterHours.parse(bad), bad);
        }
    }
}
