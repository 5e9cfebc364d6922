package madoguchi.telephony;

import madoguchi.domain.BookingWindow;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * The day a caller asks for on the keypad, MMDD (the next such day from today, so 0105 in December
 * is next January), and the parts of a day: 1 morning (before noon), 2 afternoon (noon to 17:00),
 * 3 evening (from 17:00), in Tokyo time.
 */
final class DayAsked {
    static final Set<String> PARTS = Set.of("1", "2", "3");

    private DayAsked() {
    }

    /** The date MMDD stands for from {@code today} on, or null when there is no such day. */
    static LocalDate date(String mmdd, LocalDate today) {
        if (mmdd == null || !mmdd.matches("[0-9]{4,5}")) {
            return null;
        }
        int month = Integer.parseInt(mmdd.substring(0, 2));
        int day = Integer.parseInt(mmdd.substring(2, 4));
        for (int year = today.getYear(); year <= today.getYear() + 1; year++) {
            try {
                LocalDate d = LocalDate.of(year, month, day);
                if (!d.isBefore(today)) {
                    return d;
                }
            } catch (DateTimeException e) {
                // 0229 in a year without it: the next year may have it
            }
        }
        return null;
    }

    static boolean inPart(Instant start, String part) {
        int hour = start.atZone(BookingWindow.TOKYO).getHour();
        return switch (part) {
            case "1" -> hour < 12;
            case "2" -> hour >= 12 && hour < 17;
            default -> hour >= 17;
        };
    }
}
