package madoguchi.app.counter;

import madoguchi.app.booking.Allocator;
import madoguchi.app.sites.Sites;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * When the walk-in sites are open in the coming week, from their slots (each day's first open
 * slot to its last), so that the resident page and the phone line can name them with their hours.
 */
public final class WalkInHours {
    /** How far ahead the hours are told. */
    public static final int DAYS = 7;

    /** A day a walk-in site is open. */
    public record Open(LocalDate day, Instant opens, Instant closes) {
    }

    /** A walk-in site and its open days (the first one is the next). */
    public record Hours(Site site, List<Open> days) {
    }

    private final Sites sites;
    private final Allocator allocator;
    private final Clock clock;

    public WalkInHours(Sites sites, Allocator allocator, Clock clock) {
        this.sites = sites;
        this.allocator = allocator;
        this.clock = clock;
    }

    /** Every walk-in site open in the coming week, in the sites' order; today's hours count even when they are over. */
    public List<Hours> all() {
        List<Hours> out = new ArrayList<>();
        for (Site site : sites.all()) {
            if (site.walkIn()) {
                List<Open> days = of(site);
                if (!days.isEmpty()) {
                    out.add(new Hours(site, days));
                }
            }
        }
        return out;
    }

    /** The site's open days this week. */
    public List<Open> of(Site site) {
        List<Open> days = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), BookingWindow.TOKYO);
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = today.plusDays(d);
            Instant opens = null;
            Instant closes = null;
            for (SlotSeats slot : allocator.slots(site.id(), day.atStartOfDay(BookingWindow.TOKYO).toInstant(),
                    day.plusDays(1).atStartOfDay(BookingWindow.TOKYO).toInstant())) {
                if (slot.limits().capacity() > 0 && !slot.limits().blocked()) {
                    opens = opens == null || slot.start().isBefore(opens) ? slot.start() : opens;
                    closes = closes == null || slot.end().isAfter(closes) ? slot.end() : closes;
                }
            }
            if (opens != null) {
                days.add(new Open(day, opens, closes));
            }
        }
        return days;
    }
}
