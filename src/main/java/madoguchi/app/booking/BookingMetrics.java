package madoguchi.app.booking;

import madoguchi.app.sites.Sites;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Site;
import madoguchi.domain.SlotSeats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the call-center lead and the administrator watch during a surge: booking requests by
 * channel, operation and outcome, overrides, and how full each site is for the coming week.
 */
public final class BookingMetrics {
    static final Duration UTILISATION_WINDOW = Duration.ofDays(7);

    private final MeterRegistry registry;
    private final Counter overrides;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /**
     * Each site's two gauges, registered once and then only given new values: re-registering them
     * on every scrape (as a MultiGauge with overwrite does) let two scrapes on different event
     * loops each see the other's half-registered meters, and answer 500 "Duplicate labels".
     */
    private final Map<String, SiteGauges> siteGauges = new ConcurrentHashMap<>();

    /** A site's figures as the bits of two doubles (read by the gauges on a scrape's thread). */
    private record SiteGauges(AtomicLong utilisation, AtomicLong seatsLeft) {
    }

    public BookingMetrics(MeterRegistry registry) {
        this.registry = registry;
        overrides = Counter.builder("madoguchi.overrides").description("bookings made beyond capacity or into a blocked slot")
                .register(registry);
    }

    private SiteGauges register(String siteId) {
        SiteGauges g = new SiteGauges(new AtomicLong(), new AtomicLong());
        Gauge.builder("madoguchi.site.utilisation", g.utilisation(), bits -> Double.longBitsToDouble(bits.get()))
                .description("share of the seats of the next 7 days that are booked or held, per site (0..1)")
                .tags("site", siteId).register(registry);
        Gauge.builder("madoguchi.site.seats.left", g.seatsLeft(), bits -> Double.longBitsToDouble(bits.get()))
                .description("seats still free for operators (capacity) in the next 7 days, per site")
                .tags("site", siteId).register(registry);
        return g;
    }

    /** Counts how a request ended once it settled; the answer itself passes through unchanged. */
    Future<Settled> counted(String operation, Channel channel, Future<Settled> answer) {
        return answer.andThen(ar -> {
            String outcome;
            if (ar.failed()) {
                outcome = "failed";
            } else if (ar.result().ok()) {
                outcome = "ok";
                if (overridden(ar.result().decision())) {
                    overrides.increment();
                }
            } else if (ar.result().replay() != null) {
                outcome = "replayed";
            } else {
                outcome = ar.result().refusal().code();
            }
            count(operation, channel, outcome);
        });
    }

    void count(String operation, Channel channel, String outcome) {
        String channelName = channel == null ? "any" : channel.name().toLowerCase(Locale.ROOT);
        // a handful of combinations, each registered once: registering per request cost more than the booking's decision
        counters.computeIfAbsent(operation + '|' + channelName + '|' + outcome, key -> Counter.builder("madoguchi.bookings")
                .description("booking requests by operation (hold, confirm, book, cancel, reschedule, release), channel and outcome (ok or the refusal code)")
                .tags("operation", operation, "channel", channelName, "outcome", outcome)
                .register(registry)).increment();
    }

    /** Recomputes the per-site gauges from the allocator's memory; cheap, no database query. */
    public void refreshSites(Allocator allocator, Sites sites, Clock clock) {
        Instant from = clock.instant();
        Instant to = from.plus(UTILISATION_WINDOW);
        for (Site site : sites.all()) {
            long capacity = 0;
            long taken = 0;
            long free = 0;
            for (SlotSeats slot : allocator.slots(site.id(), from, to)) {
                if (slot.limits().blocked()) {
                    continue;
                }
                capacity += slot.limits().capacity();
                taken += slot.taken();
                free += slot.remaining(Channel.OPERATOR);
            }
            // sites are never deleted, so a site's gauges, once registered, stay
            SiteGauges g = siteGauges.computeIfAbsent(site.id(), this::register);
            g.utilisation().set(Double.doubleToLongBits(capacity == 0 ? 0.0 : Math.min(1.0, (double) taken / capacity)));
            g.seatsLeft().set(Double.doubleToLongBits(free));
        }
    }

    private static boolean overridden(Decision d) {
        if (d instanceof Decision.BookingMade made) {
            return made.booking().override();
        }
        return d instanceof Decision.BookingMoved moved && moved.to().override() && !moved.from().override();
    }
}
