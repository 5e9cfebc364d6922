package madoguchi.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The booking window, worked out once per list of slots, says what the rule says for each slot. */
class BookingWindowTest {
    private final BookingWindow window = new BookingWindow(Duration.ofHours(12), 56);

    /** The rule as written for one slot at a time (how it was checked before). */
    private boolean rule(Instant slotStart, Instant now, Channel channel) {
        LocalDate today = now.atZone(BookingWindow.TOKYO).toLocalDate();
        Instant horizonEnd = today.plusDays(window.horizonDays() + 1L).atStartOfDay(BookingWindow.TOKYO).toInstant();
        if (!slotStart.isBefore(horizonEnd)) {
            return false;
        }
        if (channel == Channel.OPERATOR) {
            return slotStart.isAfter(now);
        }
        LocalDate day = slotStart.atZone(BookingWindow.TOKYO).toLocalDate();
        return day.isAfter(today) && !slotStart.isBefore(now.plus(window.minNotice()));
    }

    @Test
    void agreesWithTheRuleForEveryChannelAtAnyMomentAndSlot() {
        Random random = new Random(20261203);
        Instant base = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            // whole minutes, from a day before now to past the horizon
            Instant now = base.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 3)));
            Instant slot = now.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 60) - 60 * 24));
            agree(slot, now);
        }
    }

    @Test
    void agreesAroundMidnightTheNoticeAndTheHorizon() {
        // now every 15 minutes around Tokyo's midnight; slots every 15 minutes over the next two days
        // (tomorrow's first hours are where "from tomorrow" and "12 hours ahead" take turns) and the horizon's last day
        Instant midnight = LocalDate.parse("2026-12-04").atStartOfDay(BookingWindow.TOKYO).toInstant();
        for (int n = -8; n <= 8; n++) {
            Instant now = midnight.plus(Duration.ofMinutes(15L * n));
            for (int m = -4; m < 4 * 24 * 2; m++) {
                agree(now.plus(Duration.ofMinutes(15L * m)), now);
            }
            Instant horizon = now.atZone(BookingWindow.TOKYO).toLocalDate().plusDays(window.horizonDays() + 1L)
                    .atStartOfDay(BookingWindow.TOKYO).toInstant();
            for (int m = -8; m <= 8; m++) {
                agree(horizon.plus(Duration.ofMinutes(15L * m)), now);
            }
        }
    }

    private void agree(Instant slot, Instant now) {
        for (Channel channel : Channel.values()) {
            assertEquals(rule(slot, now, channel), window.at(now, channel).allows(slot), slot + " at " + now + " " + channel);
        }
    }

    @Test
    void aResidentBooksFromTomorrowAndTwelveHoursAheadAnOperatorAnythingNotStarted() {
        Instant now = Instant.parse("2026-12-03T13:00:00Z"); // 22:00 in Tokyo
        Instant tomorrowNine = Instant.parse("2026-12-04T00:00:00Z"); // 09:00, eleven hours ahead
        Instant tomorrowTen = Instant.parse("2026-12-04T01:00:00Z"); // 10:00, twelve hours ahead
        assertFalse(window.allows(tomorrowNine, now, Channel.WEB));
        assertTrue(window.allows(tomorrowTen, now, Channel.WEB));
        assertTrue(window.allows(tomorrowNine, now, Channel.OPERATOR));
        assertFalse(window.allows(now, now, Channel.OPERATOR));
        Instant lastDay = LocalDate.parse("2026-12-03").plusDays(56).atTime(16, 45).atZone(BookingWindow.TOKYO).toInstant();
        assertTrue(window.allows(lastDay, now, Channel.WEB));
        assertFalse(window.allows(lastDay.plus(Duration.ofHours(8)), now, Channel.WEB));
    }
}
