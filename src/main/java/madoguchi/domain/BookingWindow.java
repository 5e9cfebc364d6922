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
        return at(now, channel).allows(slotStart);
    }

    /**
     * The window as it stands at {@code now} for {@code channel}, worked out once: a list of slots
     * (an availability answer, about 340 of them) is then checked with comparisons only, not a
     * time-zone conversion per slot.
     */
    public Open at(Instant now, Channel channel) {
        LocalDate today = now.atZone(TOKYO).toLocalDate();
        Instant horizonEnd = today.plusDays(horizonDays + 1L).atStartOfDay(TOKYO).toInstant();
        if (channel == Channel.OPERATOR) {
            // any slot not started yet: strictly after now
            return new Open(now.plusNanos(1), horizonEnd);
        }
        // from the next day in Tokyo, and not before the notice residents must give
        Instant tomorrow = today.plusDays(1).atStartOfDay(TOKYO).toInstant();
        Instant notice = now.plus(minNotice);
        return new Open(tomorrow.isAfter(notice) ? tomorrow : notice, horizonEnd);
    }

    /** Slots starting in [{@code from}, {@code until}) may be booked. */
    public record Open(Instant from, Instant until) {
        public boolean allows(Instant slotStart) {
            return !slotStart.isBefore(from) && slotStart.isBefore(until);
        }
    }
}
