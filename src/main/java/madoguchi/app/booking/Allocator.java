package madoguchi.app.booking;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import madoguchi.domain.BookingCode;
import madoguchi.domain.SlotSeats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The in-memory seat allocator: sites are spread over shards, each shard decides alone on its
 * own context. A site's slots stay in one shard, so a reschedule (always within the card's site)
 * is one decision. Availability is read from memory through a per-site calendar kept in a
 * Caffeine cache and dropped whenever the site's slots change.
 */
public final class Allocator {
    private final List<AllocatorShard> shards;
    private final SeatSource source;
    private final LoadingCache<String, NavigableMap<Instant, SlotSeats>> calendars;

    private Allocator(List<AllocatorShard> shards, SeatSource source) {
        this.shards = shards;
        this.source = source;
        this.calendars = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(30))
                .build(this::calendarOf);
        // a shard's periodic refresh may find slots another instance added: the site's calendar must show them
        shards.forEach(s -> s.onSlotsAdded(calendars::invalidate));
    }

    public static Future<Allocator> start(Vertx vertx, int shardCount, Collection<String> siteIds, SeatJournal journal,
                                          SeatSource source, Clock clock, AllocatorSettings settings,
                                          AllocatorObserver observer, madoguchi.app.DatabaseProbe failures,
                                          BookingCode codes) {
        List<AllocatorShard> shards = new ArrayList<>();
        Decide decide = new Decide(codes);
        for (int i = 0; i < shardCount; i++) {
            shards.add(new AllocatorShard(i, vertx, journal, source, clock, settings, observer, failures, decide));
        }
        Allocator allocator = new Allocator(shards, source);
        List<Future<?>> started = new ArrayList<>();
        for (AllocatorShard shard : shards) {
            Set<String> mine = siteIds.stream().filter(s -> allocator.shardOf(s) == shard).collect(Collectors.toSet());
            started.add(vertx.deployVerticle(new ShardVerticle(shard, mine)));
        }
        return Future.all(started).map(v -> allocator);
    }

    /**
     * Sends a command to the shard of the card's site; completes once it is decided and durable.
     * {@code idempotency} (or null) keeps the answer for a retry; {@code audit} (staff, or null)
     * is the audit row committed with the decision.
     */
    public Future<Settled> submit(String siteId, SeatCommand command, Idempotency idempotency,
                                  java.util.function.Function<madoguchi.domain.Decision, madoguchi.app.AuditEntry> audit) {
        return shardOf(siteId).submit(new SeatRequest(command, idempotency, audit));
    }

    public Future<Settled> submit(String siteId, SeatCommand command) {
        return submit(siteId, command, null, null);
    }

    /** Tells the shard of the site news of a change committed elsewhere, or asks it about a card. */
    public <T> Future<T> tell(String siteId, SeatNews<T> news) {
        return shardOf(siteId).tell(news);
    }

    /**
     * Runs an administrator's change of these slots' limits, written by its own transaction, and
     * read back (reloaded) before it completes: while it runs, the slots go by the tighter of their
     * limits and {@code next} (see {@link SeatNews.LimitsComing}), so that no reader is shown, and
     * no decision takes, a seat the change is taking away. Over when {@code change} is, either way.
     */
    public <T> Future<T> whileLimitsChange(String siteId, Set<Long> slotIds, madoguchi.domain.SlotLimits next,
                                           java.util.function.Supplier<Future<T>> change) {
        if (slotIds.isEmpty()) {
            return change.get();
        }
        return tell(siteId, new SeatNews.LimitsComing(Set.copyOf(slotIds), next))
                .compose(v -> change.get())
                .eventually(() -> tell(siteId, new SeatNews.LimitsSettled(Set.copyOf(slotIds))));
    }

    /** A slot's seats, from any thread; null when no shard knows the slot. */
    public SlotSeats slot(long slotId) {
        for (AllocatorShard shard : shards) {
            SlotSeats s = shard.slot(slotId);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** The site's slots starting in [from, to), in time order. */
    public Collection<SlotSeats> slots(String siteId, Instant from, Instant to) {
        return calendars.get(siteId).subMap(from, true, to, false).values();
    }

    /**
     * A slot's seats, read from the database when no shard knows it: it may be new, added by
     * another instance a moment ago (its whole site is loaded then). Null when there is no such slot.
     */
    public Future<SlotSeats> findSlot(long slotId) {
        SlotSeats known = slot(slotId);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return source.siteOfSlot(slotId).compose(site -> site.isEmpty() ? Future.succeededFuture((SlotSeats) null)
                : reload(site.get()).map(v -> slot(slotId)));
    }

    /** Loads a site's slots again after they were added or changed in the database. */
    public Future<Void> reload(String siteId) {
        AllocatorShard shard = shardOf(siteId);
        shard.addSite(siteId);
        return shard.reload(Set.of(siteId)).onComplete(v -> calendars.invalidate(siteId));
    }

    /** Loads every site's slots again (after news of changes may have been missed). */
    public Future<Void> reloadAll() {
        List<Future<Void>> each = new ArrayList<>();
        for (AllocatorShard shard : shards) {
            Set<String> sites = shard.siteIds();
            if (!sites.isEmpty()) {
                each.add(shard.reload(sites).onComplete(v -> sites.forEach(calendars::invalidate)));
            }
        }
        return Future.all(each).mapEmpty();
    }

    /** Ends every hold whose time is up now, in all shards; completes when that is durable. */
    public Future<Integer> expireDueHolds() {
        List<Future<Integer>> each = new ArrayList<>();
        shards.forEach(s -> each.add(s.expireDueHolds()));
        return Future.all(each).map(v -> each.stream().mapToInt(Future::result).sum());
    }

    public int queued() {
        return shards.stream().mapToInt(AllocatorShard::queued).sum();
    }

    AllocatorShard shardOf(String siteId) {
        return shards.get(Math.floorMod(siteId.hashCode(), shards.size()));
    }

    private NavigableMap<Instant, SlotSeats> calendarOf(String siteId) {
        TreeMap<Instant, SlotSeats> calendar = new TreeMap<>();
        for (SlotSeats s : shardOf(siteId).slots()) {
            if (s.siteId().equals(siteId)) {
                calendar.put(s.start(), s);
            }
        }
        return calendar;
    }

    /** Gives a shard its own event-loop context. */
    private static final class ShardVerticle extends VerticleBase {
        private final AllocatorShard shard;
        private final Set<String> sites;

        ShardVerticle(AllocatorShard shard, Set<String> sites) {
            this.shard = shard;
            this.sites = sites;
        }

        @Override
        public Future<?> start() {
            return shard.start(context, sites);
        }
    }
}
