package madoguchi.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The machine's clock moved to a fixed hour of today in Tokyo (11:00 unless the system property
 * {@code madoguchi.test.hour}, e.g. {@code 23:30}, says another), still ticking. Tests that need
 * the time to pass as it does (a browser's countdowns, a held seat's minutes) but depend on it
 * being daytime (texts the city sends only from 08:00 to 21:00) use it, so that they pass at any
 * hour of the day. The date is the machine's Tokyo date, so tests may go on counting days from
 * {@code LocalDate.now(TOKYO)}. A browser shows the same time with {@link Browser#showTime}.
 */
public final class DaytimeClock extends Clock {
    public static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    public static final LocalTime HOUR = LocalTime.of(11, 0);

    private final Duration offset;

    private DaytimeClock(Duration offset) {
        this.offset = offset;
    }

    /** Now, as if it were {@link #HOUR} (or the hour the system property sets) in Tokyo today. */
    public static DaytimeClock today() {
        String hour = System.getProperty("madoguchi.test.hour");
        return at(hour == null || hour.isBlank() ? HOUR : LocalTime.parse(hour));
    }

    public static DaytimeClock at(LocalTime time) {
        Instant real = Instant.now();
        Instant wanted = LocalDate.ofInstant(real, TOKYO).atTime(time).atZone(TOKYO).toInstant();
        return new DaytimeClock(Duration.between(real, wanted));
    }

    /** How far this clock is from the machine's. */
    public Duration offset() {
        return offset;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
