package madoguchi.app.fakes;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import madoguchi.app.AuditEntry;
import madoguchi.app.booking.Allocator;
import madoguchi.app.booking.AllocatorObserver;
import madoguchi.app.booking.AllocatorSettings;
import madoguchi.app.booking.BookingChanges;
import madoguchi.app.booking.BookingDesk;
import madoguchi.app.booking.BookingMetrics;
import madoguchi.app.booking.CardRef;
import madoguchi.app.sites.SiteStore;
import madoguchi.app.sites.Sites;
import madoguchi.app.capacity.SlotBlocks;
import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;
import madoguchi.app.staff.StaffActions;
import madoguchi.app.limits.AttemptLimiter;
import madoguchi.domain.BookingCode;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.CardState;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;
import madoguchi.support.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One site with four one-seat slots, the allocator on {@link MemorySeats}, and the resident's and
 * the staff's use cases wired as in the service: for use-case tests in milliseconds, without
 * PostgreSQL or HTTP. The clock stands at 2026-12-01 09:00 in Tokyo; the slots are on 12-03.
 */
public final class OneSite implements AutoCloseable {
    public static final String SITE = "memory";
    public static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    public static final long FIRST_SLOT = 1;

    public final Vertx vertx = Vertx.vertx();
    public final MutableClock clock = new MutableClock(NOW);
    public final MemorySeats seats = new MemorySeats();
    public final Cards cards = new Cards();
    public final Blocks blocks = new Blocks();
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final Allocator allocator;
    public final BookingDesk desk;
    public final BookingChanges changes;
    public final StaffActions staff;
    public final Sites sites;

    public OneSite(int changesPerDay) {
        Instant day = LocalDate.parse("2026-12-03").atTime(10, 0).atZone(BookingWindow.TOKYO).toInstant();
        for (int i = 0; i < 4; i++) {
            seats.addSlot(FIRST_SLOT + i, SITE, day.plus(Duration.ofMinutes(15L * i)), 1);
        }
        Site site = new Site(SITE, "メモリー", "Memory", SiteKind.CENTER, "", "", false, 15,
                new BookingWindow(Duration.ofHours(12), 56), Duration.ofMinutes(5), Duration.ofMinutes(2));
        sites = new Sites(new SiteStore() {
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
        allocator = await(Allocator.start(vertx, 1, List.of(SITE), seats, seats, clock,
                AllocatorSettings.defaults(1024, Duration.ofSeconds(1)), AllocatorObserver.NONE, MemorySeats.FAILURES,
                BookingCode.legacy()));
        desk = new BookingDesk(allocator, sites, clock, new BookingMetrics(registry), BookingCode.legacy());
        changes = new BookingChanges(desk, new AttemptLimiter(changesPerDay, Duration.ofDays(1), clock), registry);
        staff = new StaffActions(desk, allocator, cards, seats, blocks, null, null, null);
    }

    /** A ready card of this site. */
    public CardRef card(long id) {
        cards.byId.put(id, new CardRecord(id, "70000000" + id, LocalDate.of(1980, 1, 1), null, SITE, CardState.READY));
        return new CardRef(id, SITE);
    }

    /** A ready card of this site whose file keeps this phone number (as the card import stored it). */
    public CardRef card(long id, String phone) {
        cards.byId.put(id, new CardRecord(id, "70000000" + id, LocalDate.of(1980, 1, 1), phone, SITE, CardState.READY));
        return new CardRef(id, SITE);
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The failure of a future, or an error when it succeeded. */
    public static Throwable failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("succeeded: " + f.result());
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    /** Cards in memory. */
    public static final class Cards implements CardStore {
        final Map<Long, CardRecord> byId = new ConcurrentHashMap<>();

        @Override
        public Future<Optional<CardRecord>> byNoticeNumber(String noticeNumber) {
            return Future.succeededFuture(byId.values().stream().filter(c -> c.noticeNumber().equals(noticeNumber)).findFirst());
        }

        @Override
        public Future<Optional<CardRecord>> byId(long id) {
            return Future.succeededFuture(Optional.ofNullable(byId.get(id)));
        }

        @Override
        public Future<List<CardRecord>> byPhone(String phone) {
            return Future.succeededFuture(List.of());
        }

        @Override
        public Future<List<Move>> history(long cardId) {
            return Future.succeededFuture(List.of()); // these cards never move
        }
    }

    /** Slot blocks in memory, with their audit rows; {@link #broken} makes the transaction fail. */
    public static final class Blocks implements SlotBlocks {
        public final Map<Long, Boolean> blocked = new ConcurrentHashMap<>();
        public final List<AuditEntry> audits = new CopyOnWriteArrayList<>();
        public volatile boolean broken;

        @Override
        public Future<String> setBlocked(long slotId, boolean blocked, String reason, AuditEntry audit) {
            if (slotId > 4) {
                return Future.succeededFuture(null);
            }
            if (broken) {
                return Future.failedFuture(new IllegalStateException("audit_log refused the row"));
            }
            this.blocked.put(slotId, blocked);
            audits.add(audit);
            return Future.succeededFuture(SITE);
        }
    }
}
