package madoguchi.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/**
 * The night, when the city sends residents no text message they did not just ask for (a booking's
 * own confirmation): from 21:00 to 08:00 Tokyo time. Messages due then wait for the morning. What
 * may go when, by kind of message, is decided here and only here ({@link #sendAt}); the outbox
 * follows it.
 */
public final class QuietHours {
    public static final LocalTime STARTS = LocalTime.of(21, 0);
    public static final LocalTime ENDS = LocalTime.of(8, 0);

    /**
     * How long a message the resident asked for may still go at night: the resident who just booked
     * at 22:30 waits for the code; the same confirmation still failing an hour later waits for 08:00.
     */
    public static final Duration JUST_ASKED = Duration.ofMinutes(30);

    private QuietHours() {
    }

    /**
     * The earliest moment from {@code at} on when a message of {@code kind}, put in the outbox at
     * {@code queued}, may go: {@code at} itself in the daytime, or at night for what the resident
     * asked for within {@link #JUST_ASKED}; otherwise 08:00 that morning.
     */
    public static Instant sendAt(TextKind kind, Instant queued, Instant at) {
        if (!quiet(at) || (kind.askedFor() && at.isBefore(queued.plus(JUST_ASKED)))) {
            return at;
        }
        return morning(at);
    }

    public static boolean quiet(Instant at) {
        LocalTime t = at.atZone(BookingWindow.TOKYO).toLocalTime();
        return !t.isBefore(STARTS) || t.isBefore(ENDS);
    }

    /** The end of the night {@code at} is in (08:00 Tokyo, that morning or the next). */
    public static Instant morning(Instant at) {
        ZonedDateTime local = at.atZone(BookingWindow.TOKYO);
        ZonedDateTime eight = local.toLocalDate().atTime(ENDS).atZone(BookingWindow.TOKYO);
        return (local.toLocalTime().isBefore(ENDS) ? eight : eight.plusDays(1)).toInstant();
    }

    /**
     * Whether a booking confirmed at {@code now} for {@code start} carries its own reminder: made in
     * the evening's quiet hours (21:00 on) for the next day, its reminder would otherwise be due at
     * night and come as a second message at 08:00, hours before the visit.
     */
    public static boolean remindsWithConfirmation(Instant now, Instant start) {
        ZonedDateTime local = now.atZone(BookingWindow.TOKYO);
        return start != null && !local.toLocalTime().isBefore(STARTS)
                && start.atZone(BookingWindow.TOKYO).toLocalDate().equals(local.toLocalDate().plusDays(1));
    }
}
