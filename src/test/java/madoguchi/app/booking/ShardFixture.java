package madoguchi.app.booking;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.AuditEntry;
import madoguchi.app.fakes.MemorySeats;
import madoguchi.app.sites.SiteStore;
import madoguchi.app.sites.Sites;
import madoguchi.domain.BookingCode;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;
import madoguchi.support.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One site of {@code slots} ten-seat slots on 2026-12-03, served by one shard whose journal is
 * {@link BatchIsolationTest.Poisoning} over {@link MemorySeats}, with the booking desk and the
 * allocator's metrics: for tests of the shard in milliseconds.
 */
final class ShardFixture implements AutoCloseable {
    static final String SITE = "isolation";
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    /** As the service's, but holds expire only when a test sweeps (no timer races the test). */
    static final AllocatorSettings SETTINGS = new AllocatorSettings(1024, Duration.ofSeconds(1), 512,
            Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(60));

    final Vertx vertx = Vertx.vertx();
    final MutableClock clock = new MutableClock(NOW);
    final MemorySeats seats = new MemorySeats();
    final BatchIsolationTest.Poisoning journal = new BatchIsolationTest.Poisoning(seats);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Allocator allocator;
    final BookingDesk desk;

    ShardFixture(int slots) {
        Instant day = LocalDate.parse("2026-12-03").atTime(10, 0).atZone(BookingWindow.TOKYO).toInstant();
        for (int i = 1; i <= slots; i++) {
            seats.addSlot(i, SITE, day.plus(Duration.ofMinutes(15L * i)), 10);
        }
        Site site = new Site(SITE, "分離", "Isolation", SiteKind.CENTER, "", "", false, 15,
                new BookingWindow(Duration.ofHours(12), 56), Duration.ofMinutes(5), Duration.ofMinutes(2));
        Sites sites = new Sites(new SiteStore() {
            @Override
            public Future<List<Site>> all() {
                return Future.succeededFuture(List.of(site));
            }

            @Override
            public Future<Void> create(Site s, AuditEntry audit) {
                return Future.failedFuture(new UnsupportedOperationException());
            }
        });
        await(sites.reload());
        allocator = await(Allocator.start(vertx, 1, List.of(SITE), journal, seats, clock,
                SETTINGS, new AllocatorMetrics(registry), MemorySeats.FAILURES,
                BookingCode.legacy()));
        desk = new BookingDesk(allocator, sites, clock, new BookingMetrics(registry), BookingCode.legacy());
    }

    double counter(String name) {
        var c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
