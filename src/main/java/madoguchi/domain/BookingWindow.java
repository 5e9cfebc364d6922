package madoguchi.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * When a slot may be booked: residents from the next day and at least {@code minNotice} ahead,
 * up to {@code horizonDays}; operators any slot that has not started yet.
 */
public record BookingWindow(Duration minNotice, int horizonDays) {
    public static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    public boolean allows(Instant slotStart, Instant now, Channel channel) {
        LocalDate today = now.atZone(TOKYO).toLocalDate();
        Instant horizonEnd = today.plusDays(horizonDays + 1L).atStartOfDay(TOKYO).toInstant();
        if (!slotStart.isBefore(horizonEnd)) {
            return false;
        }
        if (channel == Channel.OPERATOR) {
            return slotStart.isAfter(now);
        }
        LocalDate day = slotStart.atZone(TOKYO).toLocalDate();
        return day.isAfter(today) && !slotStart.isBefore(now.plus(minNotice));
    }
}
