package madoguchi.app.fakes;

import io.vertx.core.Future;
import madoguchi.app.AuditEntry;
import madoguchi.app.booking.BookingStore;
import madoguchi.app.booking.BookingView;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.JournalOutcome;
import madoguchi.app.booking.SeatJournal;
import madoguchi.app.booking.SeatSource;
import madoguchi.app.booking.ShardState;
import madoguchi.app.booking.Idempotency;
import madoguchi.app.booking.KeptDecision;
import madoguchi.app.booking.Rejection;
import madoguchi.app.booking.Replay;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.SlotSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The allocator's database in memory: the journal commits every batch (or, while
 * {@link #breakAudit} is set, refuses every batch that carries an audit row, as a transaction
 * whose audit insert fails would), and the bookings it committed can be read back by code.
 */
public final class MemorySeats implements SeatJournal, SeatSource, BookingStore {
    private final List<SlotSnapshot> slots = new CopyOnWriteArrayList<>();
    private final Map<String, BookingView> byCode = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    /** Audit rows committed, in order. */
    public final List<AuditEntry> audits = new CopyOnWriteArrayList<>();
    /** Batches committed. */
    public final List<List<JournalEntry>> committed = new CopyOnWriteArrayList<>();
    /** First decisions by Idempotency-Key, as committed with their seat change. */
    private final Map<String, Kept> keys = new java.util.concurrent.ConcurrentHashMap<>();
    /** While true, a batch with an audit row is not committed (nothing of it). */
    public volatile boolean breakAudit;

    /** What a PostgreSQL write refusing a value (SQLSTATE class 22 or 23) stands for here. */
    public static final class DataRefused extends RuntimeException {
        public DataRefused(String message) {
            super(message);
        }
    }

    /** The database could not be reached (a connection refused). */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message);
        }
    }

    /** How the allocator tells these failures apart, as store/PgFailures does for PostgreSQL's. */
    public static final madoguchi.app.DatabaseProbe FAILURES = new madoguchi.app.DatabaseProbe() {
        @Override
        public Future<Void> ping() {
            return Future.succeededFuture();
        }

        @Override
        public boolean unreachable(Throwable failure) {
            return failure instanceof Unreachable;
        }

        @Override
        public boolean refusesData(Throwable failure) {
            return failure instanceof DataRefused;
        }
    };

    /** The slot's row as committed. */
    public SlotSnapshot slot(long id) {
        return slots.stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    public void addSlot(long id, String siteId, Instant start, int capacity) {
        slots.add(new SlotSnapshot(id, siteId, start, start.plus(Duration.ofMinutes(15)),
                new madoguchi.domain.SlotLimits(capacity, capacity, capacity, false), 0, 0, 0, 1));
    }

    @Override
    public Future<JournalOutcome> write(List<JournalEntry> batch) {
        if (breakAudit && batch.stream().anyMatch(e -> e.audit() != null)) {
            return Future.failedFuture(new IllegalStateException("audit_log refused the row"));
        }
        // as idempotency_keys' primary key does: a key kept already fails the batch, and the diagnosis
        // gives the request the first decision (or the key-reused refusal)
        Map<Integer, Rejection> keyed = new java.util.HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            JournalEntry e = batch.get(i);
            Kept first = e.idempotency() == null ? null : keys.get(e.idempotency().id());
            if (first != null) {
                keyed.put(i, new Rejection(madoguchi.domain.Refusal.BUSY, null,
                        e.idempotency().replayOf(first.key().requestHash(), first.decision())));
            }
        }
        if (!keyed.isEmpty()) {
            return Future.succeededFuture(new JournalOutcome(List.of(), keyed, java.util.Set.of(), java.util.Set.of(), Map.of()));
        }
        Map<Long, SlotSnapshot> touched = new java.util.LinkedHashMap<>();
        for (JournalEntry e : batch) {
            if (e.idempotency() != null && e.kept() != null) {
                keys.put(e.idempotency().id(), new Kept(e.idempotency(), e.kept()));
            }
            apply(e.decision());
            for (madoguchi.domain.SeatChange c : e.decision().changes()) {
                touched.put(c.slotId(), count(c));
            }
            if (e.audit() != null) {
                audits.add(e.audit());
            }
        }
        committed.add(List.copyOf(batch));
        // as the database does: the rows of the slots the batch changed, as they are now
        return Future.succeededFuture(JournalOutcome.committed(List.copyOf(touched.values())));
    }

    private synchronized SlotSnapshot count(madoguchi.domain.SeatChange c) {
        for (int i = 0; i < slots.size(); i++) {
            SlotSnapshot s = slots.get(i);
            if (s.id() == c.slotId()) {
                SlotSnapshot now = new SlotSnapshot(s.id(), s.siteId(), s.start(), s.end(), s.limits(), s.booked() + c.booked(),
                        s.held() + c.held(), s.override() + c.override(), s.version() + 1);
                slots.set(i, now);
                return now;
            }
        }
        throw new IllegalArgumentException("no slot " + c.slotId());
    }

    private void apply(Decision d) {
        if (d instanceof Decision.BookingMade m) {
            put(m.booking(), "active");
        } else if (d instanceof Decision.HoldConfirmed c) {
            put(c.booking(), "active");
        } else if (d instanceof Decision.BookingMoved m) {
            put(m.to(), "active");
        } else if (d instanceof Decision.HoldMovedInto m) {
            put(m.to(), "active");
        } else if (d instanceof Decision.BookingCancelled c) {
            put(c.booking(), "cancelled");
        }
    }

    private void put(ActiveBooking b, String status) {
        SlotSnapshot slot = slots.stream().filter(s -> s.id() == b.slotId()).findFirst().orElseThrow();
        byCode.put(b.code(), new BookingView(b.id(), b.code(), b.cardId(), slot.siteId(), b.slotId(), slot.start(), slot.end(),
                status, b.channel().wire(), b.override(), b.reason(), b.bookedBy(), Instant.EPOCH));
    }

    @Override
    public Future<ShardState> load(Set<String> siteIds, Instant from, Instant now) {
        List<SlotSnapshot> mine = new ArrayList<>();
        slots.stream().filter(s -> siteIds.contains(s.siteId())).forEach(mine::add);
        return Future.succeededFuture(new ShardState(mine, List.of(), List.of()));
    }

    @Override
    public Future<List<SlotSnapshot>> slots(Set<String> siteIds, Instant from) {
        return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Optional<String>> siteOfSlot(long slotId) {
        return Future.succeededFuture(slots.stream().filter(s -> s.id() == slotId).map(SlotSnapshot::siteId).findFirst());
    }

    @Override
    public Future<Optional<ActiveBooking>> activeBookingOf(long cardId) {
        return Future.succeededFuture(byCode.values().stream().filter(b -> b.cardId() == cardId && "active".equals(b.status()))
                .findFirst().map(b -> new ActiveBooking(b.id(), b.code(), b.cardId(), b.slotId(),
                        madoguchi.domain.Channel.fromWire(b.channel()).orElseThrow(), b.override(), b.overrideReason(), b.bookedBy())));
    }

    @Override
    public Future<Optional<Hold>> activeHold(UUID holdId) {
        return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Long> reserveBookingIds(int blockSize) {
        return Future.succeededFuture(ids.getAndAdd(blockSize));
    }

    @Override
    public Future<List<SlotSnapshot>> expireAbandonedHolds(Instant now, Duration grace) {
        return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Optional<BookingView>> byCode(String code) {
        return Future.succeededFuture(Optional.ofNullable(byCode.get(code)));
    }

    @Override
    public Future<List<BookingView>> ofCard(long cardId) {
        return Future.succeededFuture(byCode.values().stream().filter(b -> b.cardId() == cardId).toList());
    }

    @Override
    public Future<Optional<Replay>> replayOf(Idempotency key) {
        Kept first = keys.get(key.id());
        return Future.succeededFuture(first == null ? Optional.empty()
                : Optional.of(key.replayOf(first.key().requestHash(), first.decision())));
    }

    /** A first decision kept under its key (idempotency_keys). */
    private record Kept(Idempotency key, KeptDecision decision) {
    }
}
