package madoguchi.app.calls;

import madoguchi.app.capacity.CalendarStore;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.CallCenterHours;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Whether operators answer the phone now: the configured hours, with the holidays of the city's
 * calendar. The holidays are read again every 10 minutes in the background, so the answer never
 * waits for the database (a caller put through while it is down is still told the hours).
 */
public final class CallCenter {
    private static final Duration REREAD = Duration.ofMinutes(10);
    private final CallCenterHours hours;
    private final CalendarStore calendar;
    private final Clock clock;
    private volatile Set<LocalDate> holidays = Set.of();
    private volatile Instant readAt = Instant.MIN;

    public CallCenter(CallCenterHours hours, CalendarStore calendar, Clock clock) {
        this.hours = hours;
        this.calendar = calendar;
        this.clock = clock;
        reread();
    }

    public CallCenterHours hours() {
        return hours;
    }

    public boolean openNow() {
        if (hours.always()) {
            return true;
        }
        Instant now = clock.instant();
        if (calendar != null && now.isAfter(readAt.plus(REREAD))) {
            reread();
        }
        ZonedDateTime tokyo = now.atZone(BookingWindow.TOKYO);
        return hours.open(tokyo.toLocalDateTime(), holidays.contains(tokyo.toLocalDate()));
    }

    private void reread() {
        if (calendar == null || hours.always()) {
            return;
        }
        readAt = clock.instant();
        calendar.calendar().onSuccess(c -> holidays = Set.copyOf(c.holidays()));
    }
}
