package madoguchi.app.booking;

import ch.qos.logback.classic.Level;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.BookingCode;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatChange;
import madoguchi.domain.SlotLimits;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SlotSnapshot;
import madoguchi.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deterministic simulator of one allocator shard, in the spirit of TigerBeetle's: the real
 * {@link AllocatorShard} (admission, batching, reconciliation, recovery, splitting of failed
 * batches, expiry, refresh) runs on a task queue the simulator drives, against an in-memory
 * database whose journal arbitrates as PostgreSQL does and which, as a seed decides, answers late
 * and out of order, fails (unreachable), refuses a poisoned request's data, loses the connection
 * after committing, and whose shard is restarted with writes in flight. After every step:
 * no slot holds more seats than its capacity, its counts equal its rows, every acknowledged
 * booking (and cancel) is durable, and an Idempotency-Key is decided once: keyed requests (and
 * exact retries of them) go through {@link IdempotentRequests} as in the service, every answer
 * carrying a decision on a key carries the same {@link KeptDecision}, and only another request
 * under the key is told it was reused.
 * At the end, with the database healthy: every hold whose time is up has ended, nothing is
 * pending, and memory equals the database.
 *
 * <p>{@code -Dsim.seeds=N} runs N seeds (5,000 by default); a failure names its seed, and
 * {@code -Dsim.seed=S} replays exactly that one.
 */
class AllocatorSimulationTest {
    private static final String SITE = "sim";
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final int SLOTS = 3;
    private static final int CARDS = 6;
    /** The card whose booking reason the database cannot store (a NUL byte). */
    private static final long POISONED = CARDS;

    @Test
    void everySeedKeepsTheInvariants() {
        Long one = Long.getLong("sim.seed");
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AllocatorShard.class);
        Level before = log.getLevel();
        log.setLevel(Level.OFF); // thousands of failed batches are the point here, not news
        try {
            long from = one != null ? one : Long.getLong("sim.from", 1);
            long count = one != null ? 1 : Long.getLong("sim.seeds", 5000);
            for (long seed = from; seed < from + count; seed++) {
                try {
                    new Simulation(seed).run();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("simulation seed " + seed + " failed (replay: -Dsim.seed=" + seed + "): "
                            + e.getMessage(), e);
                }
            }
        } finally {
            log.setLevel(before);
        }
    }

    /** One run: a seed's choices of commands, faults and timings, with the invariants checked after each step. */
    static final class Simulation {
        private final long seed;
        private final Random random;
        private final MutableClock clock = new MutableClock(START);
        private final Tasks tasks = new Tasks();
        private final Database db = new Database();
        private final Journal journal = new Journal();
        private AllocatorShard shard;
        /** The service's idempotency component in front of the shard (made again at a restart, as a new process). */
        private IdempotentRequests requests;
        /** Each card's last request sent with an Idempotency-Key, sent again exactly now and then (a client's retry). */
        private final Map<Long, Map.Entry<SeatCommand, Idempotency>> lastKeyed = new HashMap<>();
        /** Bookings acknowledged to callers (made, confirmed, moved into), by id. */
        private final Map<Long, ActiveBooking> acknowledged = new HashMap<>();
        /** Booking ids whose cancel was acknowledged. */
        private final Set<Long> cancelled = new HashSet<>();
        /** The answers given for each Idempotency-Key: decisions made, and every replay, as decisions. */
        private final Map<String, List<Given>> answers = new HashMap<>();
        private final Map<Long, UUID> lastHold = new HashMap<>();
        private final Map<Long, String> lastCode = new HashMap<>();
        private int step;
        private String lastAction = "start";

        Simulation(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void run() {
            for (long id = 1; id <= SLOTS; id++) {
                int capacity = 1 + random.nextInt(4);
                int phone = random.nextInt(capacity + 1);
                int web = random.nextInt(phone + 1);
                db.slots.put(id, new Slot(id, new SlotLimits(capacity, web, phone, false)));
            }
            restart();
            int steps = 40 + random.nextInt(40);
            for (step = 0; step < steps; step++) {
                act();
                check();
            }
            quiesce();
        }

        private void act() {
            int roll = random.nextInt(100);
            if (roll < 40) {
                submit();
            } else if (roll < 60) {
                tasks.run(random, 1 + random.nextInt(6));
                lastAction = "ran tasks";
            } else if (roll < 80) {
                journal.answerOne();
            } else if (roll < 88) {
                clock.advance(Duration.ofSeconds(random.nextInt(240)));
                shard.expireDueHolds();
                lastAction = "sweep at " + clock.instant();
            } else if (roll < 93) {
                tasks.execute(shard::refresh);
                lastAction = "refresh";
            } else if (roll < 96) {
                journal.mood = random.nextInt(4);
                lastAction = "journal mood " + journal.mood;
            } else {
                journal.crash();
                restart();
                lastAction = "restart";
            }
        }

        /** A new process: the old shard's tasks and unanswered callers are gone; state is read from the database. */
        private void restart() {
            tasks.clear();
            requests = new IdempotentRequests(db);
            shard = new AllocatorShard(0, null, journal, db, clock, new AllocatorSettings(1000, Duration.ZERO,
                    1 + random.nextInt(8), Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(60)),
                    AllocatorObserver.NONE, FAILURES, new Decide(BookingCode.legacy()));
            shard.startOn(tasks, Set.of(SITE));
            tasks.runAll();
        }

        private void submit() {
            long card = 1 + random.nextInt(CARDS);
            long slot = 1 + random.nextInt(SLOTS);
            Channel channel = List.of(Channel.WEB, Channel.PHONE, Channel.OPERATOR).get(random.nextInt(3));
            // ids of holds nobody took come from the seed too, so that a run replays exactly
            UUID unknown = new UUID(random.nextLong(), random.nextLong());
            SeatCommand command;
            Idempotency idempotency = null;
            switch (random.nextInt(10)) {
                case 0 -> command = new SeatCommand.TakeHold(card, slot, channel, Duration.ofMinutes(2));
                case 1 -> command = new SeatCommand.HoldOffer(card, slot, channel, clock.instant().plus(Duration.ofMinutes(5)));
                case 2 -> command = new SeatCommand.Confirm(card, lastHold.getOrDefault(card, unknown), "sim");
                case 3 -> command = new SeatCommand.TakeOffer(card, lastHold.getOrDefault(card, unknown), "sim");
                case 4 -> command = new SeatCommand.Release(card, lastHold.getOrDefault(card, unknown));
                case 5 -> command = new SeatCommand.Cancel(card, lastCode.getOrDefault(card, "none"), "sim");
                case 6 -> command = new SeatCommand.Reschedule(card, lastCode.getOrDefault(card, "none"), slot, channel,
                        random.nextInt(4) == 0, "sim");
                case 7 -> {
                    // a retry: the card's last keyed request again, same key, same request
                    var retried = lastKeyed.get(card);
                    command = retried == null ? new SeatCommand.Release(card, unknown) : retried.getKey();
                    idempotency = retried == null ? null : retried.getValue();
                }
                default -> {
                    boolean override = channel == Channel.OPERATOR && random.nextBoolean();
                    command = new SeatCommand.Book(card, slot, channel, "sim", override, card == POISONED ? "note\u0000" : null);
                    if (random.nextBoolean()) {
                        // a small set of keys per card, so that retries (and reuses for other requests) happen
                        String key = "k" + random.nextInt(3);
                        String hash = slot + "/" + channel + "/" + override;
                        idempotency = new Idempotency("card" + card, key, hash);
                        lastKeyed.put(card, Map.entry(command, idempotency));
                    }
                }
            }
            Idempotency key = idempotency;
            lastAction = "submit " + command + (key == null ? "" : " key " + key.scope() + "/" + key.key());
            SeatCommand sent = command;
            requests.once(key, k -> shard.submit(new SeatRequest(sent, k, null))).onSuccess(settled -> answered(sent, key, settled));
        }

        private void answered(SeatCommand command, Idempotency key, Settled settled) {
            Decision d = settled.decision();
            if (d instanceof Decision.HoldTaken h) {
                lastHold.put(h.hold().cardId(), h.hold().id());
            } else if (d instanceof Decision.BookingMade m) {
                acknowledge(m.booking());
            } else if (d instanceof Decision.HoldConfirmed c) {
                acknowledge(c.booking());
            } else if (d instanceof Decision.BookingMoved m) {
                acknowledge(m.to());
            } else if (d instanceof Decision.HoldMovedInto m) {
                acknowledge(m.to());
            } else if (d instanceof Decision.BookingCancelled c) {
                cancelled.add(c.booking().id());
            }
            if (key != null) {
                String scopeKey = key.scope() + "/" + key.key();
                if (d != null) {
                    answers.computeIfAbsent(scopeKey, k -> new ArrayList<>()).add(new Given(key.requestHash(), KeptDecision.of(d)));
                } else if (settled.replay() != null) {
                    // a replay: the decision kept (compared below), or null for a key reused
                    answers.computeIfAbsent(scopeKey, k -> new ArrayList<>()).add(new Given(key.requestHash(), settled.replay().decision()));
                }
            }
            if (command.cardId() == POISONED && command instanceof SeatCommand.Book) {
                assertTrue(settled.refusal() != null || settled.replay() != null, "a poisoned booking is never made");
            }
        }

        private void acknowledge(ActiveBooking b) {
            acknowledged.put(b.id(), b);
            lastCode.put(b.cardId(), b.code());
        }

        /** The invariants that hold after every step. */
        private void check() {
            String where = "step " + step + " (" + lastAction + ")";
            for (Slot s : db.slots.values()) {
                assertTrue(s.booked + s.held <= s.limits.capacity(), where + ": slot " + s.id + " above capacity: " + s);
                long regular = db.bookings.values().stream().filter(b -> b.active && b.booking.slotId() == s.id && !b.booking.override()).count();
                long forced = db.bookings.values().stream().filter(b -> b.active && b.booking.slotId() == s.id && b.booking.override()).count();
                long holds = db.holds.values().stream().filter(h -> h.active && h.hold.slotId() == s.id).count();
                assertEquals(regular, s.booked, where + ": slot " + s.id + " booked = its active regular bookings");
                assertEquals(forced, s.override, where + ": slot " + s.id + " overrides = its active override bookings");
                assertEquals(holds, s.held, where + ": slot " + s.id + " held = its active holds");
            }
            for (long card = 1; card <= CARDS; card++) {
                long c = card;
                assertTrue(db.bookings.values().stream().filter(b -> b.active && b.booking.cardId() == c).count() <= 1,
                        where + ": one active booking per card");
            }
            for (long id : acknowledged.keySet()) {
                assertTrue(db.bookings.containsKey(id), where + ": acknowledged booking " + id + " is durable");
            }
            for (long id : cancelled) {
                assertTrue(!db.bookings.get(id).active, where + ": acknowledged cancel of " + id + " is durable");
            }
            // a key is decided once: every answer carrying a decision (made, followed, replayed) carries
            // that one decision, for that one request; a different request with the key gets key-reused
            for (Map.Entry<String, List<Given>> e : answers.entrySet()) {
                Given first = e.getValue().stream().filter(g -> g.decision() != null).findFirst().orElse(null);
                for (Given given : e.getValue()) {
                    if (given.decision() != null) {
                        assertEquals(first, given, where + ": every answer to " + e.getKey() + " is its first decision");
                    } else if (first != null) {
                        assertTrue(!given.requestHash().equals(first.requestHash()),
                                where + ": the request first decided on " + e.getKey() + " is never told the key was reused");
                    }
                }
            }
        }

        /** The database healthy and time gone by: everything settles, and memory equals the database. */
        private void quiesce() {
            lastAction = "quiesce";
            journal.mood = 0;
            for (int round = 0; round < 1000 && (tasks.busy() || journal.busy()); round++) {
                tasks.runAll();
                journal.answerAll();
                check();
            }
            clock.advance(Duration.ofHours(1));
            tasks.execute(shard::refresh); // ends the holds a dead process left, reads every slot again
            shard.expireDueHolds();
            for (int round = 0; round < 1000 && (tasks.busy() || journal.busy()); round++) {
                tasks.runAll();
                journal.answerAll();
            }
            check();
            assertTrue(!tasks.busy() && !journal.busy(), "settled");
            assertEquals(0, shard.queued(), "every request answered");
            for (HoldRow h : db.holds.values()) {
                assertTrue(!h.active || h.hold.expiresAt().isAfter(clock.instant()), "hold " + h.hold.id() + " expired");
            }
            for (Slot s : db.slots.values()) {
                SlotSeats memory = shard.slot(s.id);
                assertEquals(s.booked, memory.booked(), "slot " + s.id + " memory booked");
                assertEquals(s.held, memory.held(), "slot " + s.id + " memory held");
                assertEquals(s.override, memory.override(), "slot " + s.id + " memory overrides");
                assertTrue(!memory.hasPending(), "slot " + s.id + " nothing pending");
            }
        }

        /** The shard's thread: tasks run in order, as many as the seed says at a time. */
        final class Tasks implements Executor {
            private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

            @Override
            public void execute(Runnable task) {
                queue.add(task);
            }

            void run(Random random, int n) {
                for (int i = 0; i < n && !queue.isEmpty(); i++) {
                    queue.poll().run();
                }
            }

            void runAll() {
                for (int i = 0; i < 100_000 && !queue.isEmpty(); i++) {
                    queue.poll().run();
                }
            }

            boolean busy() {
                return !queue.isEmpty();
            }

            void clear() {
                queue.clear();
            }
        }

        /**
         * Writes wait until the simulator answers them, in any order. Mood 0: healthy; 1: some
         * writes fail (unreachable); 2: some commit and then lose the connection (the caller hears
         * a failure); 3: slow (answers one in three tries).
         */
        final class Journal implements SeatJournal {
            private final List<Map.Entry<List<JournalEntry>, Promise<JournalOutcome>>> pending = new ArrayList<>();
            int mood;

            @Override
            public Future<JournalOutcome> write(List<JournalEntry> batch) {
                Promise<JournalOutcome> p = Promise.promise();
                pending.add(Map.entry(List.copyOf(batch), p));
                return p.future();
            }

            boolean busy() {
                return !pending.isEmpty();
            }

            void answerOne() {
                if (pending.isEmpty() || mood == 3 && random.nextInt(3) != 0) {
                    lastAction = "journal waits";
                    return;
                }
                var write = pending.remove(random.nextInt(pending.size())); // out of order
                int fate = random.nextInt(10);
                if (mood == 1 && fate < 5) {
                    lastAction = "write of " + write.getKey().size() + " fails: unreachable";
                    write.getValue().fail(new Unreachable());
                } else if (mood == 2 && fate < 5) {
                    JournalOutcome outcome = db.write(write.getKey());
                    lastAction = "write of " + write.getKey().size() + " " + (outcome != null && outcome.committed() ? "committed" : "refused") + ", connection lost";
                    write.getValue().fail(new Unreachable());
                } else {
                    answer(write);
                }
            }

            void answerAll() {
                while (!pending.isEmpty()) {
                    answer(pending.remove(0));
                }
            }

            private void answer(Map.Entry<List<JournalEntry>, Promise<JournalOutcome>> write) {
                JournalOutcome outcome = db.write(write.getKey());
                if (outcome == null) {
                    lastAction = "write of " + write.getKey().size() + " refused: data";
                    write.getValue().fail(new DataRefused());
                } else {
                    lastAction = "write of " + write.getKey().size() + (outcome.committed() ? " committed" : " refused " + outcome);
                    write.getValue().complete(outcome);
                }
            }

            /** The process dies: each write in flight committed or not, and nobody hears back. */
            void crash() {
                for (var write : pending) {
                    if (random.nextBoolean()) {
                        db.write(write.getKey());
                    }
                }
                pending.clear();
            }
        }

        /** The durable state, arbitrating each batch as PostgreSQL does: all of it, or nothing and why. */
        final class Database implements SeatSource, KeptDecisions {
            final Map<Long, Slot> slots = new LinkedHashMap<>();
            final Map<UUID, HoldRow> holds = new LinkedHashMap<>();
            final Map<Long, BookingRow> bookings = new LinkedHashMap<>();
            /** idempotency_keys: the digest of each key's first request and its decision. */
            final Map<String, Given> keys = new HashMap<>();
            private long nextId = 1;

            @Override
            public Future<java.util.Optional<Replay>> replayOf(Idempotency key) {
                Given kept = keys.get(key.id());
                return Future.succeededFuture(java.util.Optional.ofNullable(kept)
                        .map(k -> key.replayOf(k.requestHash(), k.decision())));
            }

            /** Null when the batch holds data the database cannot store (nothing written). */
            JournalOutcome write(List<JournalEntry> batch) {
                for (JournalEntry e : batch) {
                    if (e.decision() instanceof Decision.BookingMade m && m.booking().reason() != null
                            && m.booking().reason().indexOf('\u0000') >= 0) {
                        return null;
                    }
                }
                Database work = copy();
                Map<Integer, Rejection> rejected = new HashMap<>();
                Set<Long> full = new HashSet<>();
                Set<Integer> retry = new HashSet<>();
                Map<Integer, ActiveBooking> current = new HashMap<>();
                Set<Long> touched = new HashSet<>();
                for (int i = 0; i < batch.size(); i++) {
                    JournalEntry e = batch.get(i);
                    Decision d = e.decision();
                    d.changes().forEach(c -> touched.add(c.slotId()));
                    if (e.idempotency() != null) {
                        Given kept = work.keys.get(e.idempotency().id());
                        if (kept != null) {
                            rejected.put(i, new Rejection(Refusal.BUSY, null, e.idempotency().replayOf(kept.requestHash(), kept.decision())));
                            continue;
                        }
                        work.keys.put(e.idempotency().id(), new Given(e.idempotency().requestHash(), e.kept()));
                    }
                    Rejection why = work.apply(d, i, retry, current);
                    if (why != null) {
                        rejected.put(i, why);
                        continue;
                    }
                    for (SeatChange c : d.changes()) {
                        if (!work.slots.get(c.slotId()).change(c)) {
                            full.add(c.slotId());
                        }
                    }
                }
                if (rejected.isEmpty() && full.isEmpty() && retry.isEmpty()) {
                    slots.clear();
                    slots.putAll(work.slots);
                    holds.clear();
                    holds.putAll(work.holds);
                    bookings.clear();
                    bookings.putAll(work.bookings);
                    keys.clear();
                    keys.putAll(work.keys);
                    touched.forEach(id -> slots.get(id).version++);
                    return JournalOutcome.committed(touched.stream().map(id -> slots.get(id).snapshot()).toList());
                }
                return new JournalOutcome(touched.stream().map(id -> slots.get(id).snapshot()).toList(), rejected, full, retry, current);
            }

            /** Applies the rows of one decision; a rejection when the database would refuse it. */
            private Rejection apply(Decision d, int i, Set<Integer> retry, Map<Integer, ActiveBooking> current) {
                if (d instanceof Decision.HoldTaken h) {
                    if (h.replaced() != null && !activeHold(h.replaced().id().toString())) {
                        retry.add(i);
                        return null;
                    }
                    BookingRow booked = activeBookingRow(h.hold().cardId());
                    if (booked != null && !h.forMove()) {
                        return new Rejection(Refusal.ALREADY_BOOKED, booked.booking, null);
                    }
                    if (h.replaced() != null) {
                        holds.get(h.replaced().id()).active = false;
                    }
                    holds.put(h.hold().id(), new HoldRow(h.hold()));
                } else if (d instanceof Decision.HoldReleased r) {
                    if (!activeHold(r.hold().id().toString())) {
                        return Rejection.of(Refusal.NOT_FOUND);
                    }
                    holds.get(r.hold().id()).active = false;
                } else if (d instanceof Decision.HoldConfirmed c) {
                    if (!activeHold(c.hold().id().toString())) {
                        return Rejection.of(Refusal.HOLD_EXPIRED);
                    }
                    BookingRow booked = activeBookingRow(c.booking().cardId());
                    if (booked != null) {
                        return new Rejection(Refusal.ALREADY_BOOKED, booked.booking, null);
                    }
                    holds.get(c.hold().id()).active = false;
                    bookings.put(c.booking().id(), new BookingRow(c.booking()));
                } else if (d instanceof Decision.HoldMovedInto m) {
                    if (!activeHold(m.hold().id().toString())) {
                        return Rejection.of(Refusal.HOLD_EXPIRED);
                    }
                    Rejection ended = end(m.from(), i, retry, current);
                    if (ended != null || retry.contains(i)) {
                        return ended;
                    }
                    holds.get(m.hold().id()).active = false;
                    bookings.put(m.to().id(), new BookingRow(m.to()));
                } else if (d instanceof Decision.BookingMade m) {
                    BookingRow booked = activeBookingRow(m.booking().cardId());
                    if (booked != null) {
                        return new Rejection(Refusal.ALREADY_BOOKED, booked.booking, null);
                    }
                    bookings.put(m.booking().id(), new BookingRow(m.booking()));
                } else if (d instanceof Decision.BookingCancelled c) {
                    return end(c.booking(), i, retry, current);
                } else if (d instanceof Decision.BookingMoved m) {
                    Rejection ended = end(m.from(), i, retry, current);
                    if (ended != null || retry.contains(i)) {
                        return ended;
                    }
                    bookings.put(m.to().id(), new BookingRow(m.to()));
                }
                return null;
            }

            /** Ends the booking as memory had it; decided again when it is active but changed, refused when gone. */
            private Rejection end(ActiveBooking b, int i, Set<Integer> retry, Map<Integer, ActiveBooking> current) {
                BookingRow row = bookings.get(b.id());
                if (row == null || !row.active) {
                    return Rejection.of(Refusal.NOT_FOUND);
                }
                if (row.booking.slotId() != b.slotId() || row.booking.override() != b.override()) {
                    retry.add(i);
                    current.put(i, row.booking);
                    return null;
                }
                row.active = false;
                return null;
            }

            private boolean activeHold(String id) {
                HoldRow h = holds.get(UUID.fromString(id));
                return h != null && h.active;
            }

            private BookingRow activeBookingRow(long cardId) {
                return bookings.values().stream().filter(b -> b.active && b.booking.cardId() == cardId).findFirst().orElse(null);
            }

            private Database copy() {
                Database c = new Database();
                slots.forEach((id, s) -> c.slots.put(id, s.copy()));
                holds.forEach((id, h) -> c.holds.put(id, h.copy()));
                bookings.forEach((id, b) -> c.bookings.put(id, b.copy()));
                c.keys.putAll(keys);
                return c;
            }

            @Override
            public Future<ShardState> load(Set<String> siteIds, Instant from, Instant now) {
                return Future.succeededFuture(new ShardState(slots.values().stream().map(Slot::snapshot).toList(),
                        holds.values().stream().filter(h -> h.active).map(h -> h.hold).toList(),
                        bookings.values().stream().filter(b -> b.active).map(b -> b.booking).toList()));
            }

            @Override
            public Future<List<SlotSnapshot>> slots(Set<String> siteIds, Instant from) {
                return Future.succeededFuture(slots.values().stream().map(Slot::snapshot).toList());
            }

            @Override
            public Future<Optional<String>> siteOfSlot(long slotId) {
                return Future.succeededFuture(slots.containsKey(slotId) ? Optional.of(SITE) : Optional.empty());
            }

            @Override
            public Future<Optional<ActiveBooking>> activeBookingOf(long cardId) {
                BookingRow b = activeBookingRow(cardId);
                return Future.succeededFuture(Optional.ofNullable(b == null ? null : b.booking));
            }

            @Override
            public Future<Optional<Hold>> activeHold(UUID holdId) {
                HoldRow h = holds.get(holdId);
                return Future.succeededFuture(h != null && h.active ? Optional.of(h.hold) : Optional.empty());
            }

            @Override
            public Future<Long> reserveBookingIds(int blockSize) {
                long first = nextId;
                nextId += blockSize;
                return Future.succeededFuture(first);
            }

            @Override
            public Future<List<SlotSnapshot>> expireAbandonedHolds(Instant now, Duration grace) {
                Set<Long> changed = new HashSet<>();
                for (HoldRow h : holds.values()) {
                    if (h.active && h.hold.expiresAt().isBefore(now.minus(grace))) {
                        h.active = false;
                        Slot s = slots.get(h.hold.slotId());
                        s.held--;
                        s.version++;
                        changed.add(s.id);
                    }
                }
                return Future.succeededFuture(changed.stream().map(id -> slots.get(id).snapshot()).toList());
            }
        }
    }

    /** An answer on an Idempotency-Key: the digest of the request told, and the decision it carried (null: key reused). */
    record Given(String requestHash, KeptDecision decision) {
    }

    static final class Slot {
        final long id;
        final SlotLimits limits;
        int booked;
        int held;
        int override;
        long version = 1;

        Slot(long id, SlotLimits limits) {
            this.id = id;
            this.limits = limits;
        }

        /** The change, or false when its take finds no room within the channel's limit. */
        boolean change(SeatChange c) {
            if (c.needsRoom() && booked + held + c.taken() > limits.limit(c.channel())) {
                return false;
            }
            booked += c.booked();
            held += c.held();
            override += c.override();
            return true;
        }

        SlotSnapshot snapshot() {
            Instant start = START.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(15 * id));
            return new SlotSnapshot(id, SITE, start, start.plus(Duration.ofMinutes(15)), limits, booked, held, override, version);
        }

        Slot copy() {
            Slot c = new Slot(id, limits);
            c.booked = booked;
            c.held = held;
            c.override = override;
            c.version = version;
            return c;
        }

        @Override
        public String toString() {
            return "slot " + id + " " + limits + " booked " + booked + " held " + held + " override " + override;
        }
    }

    static final class HoldRow {
        final Hold hold;
        boolean active = true;

        HoldRow(Hold hold) {
            this.hold = hold;
        }

        HoldRow copy() {
            HoldRow c = new HoldRow(hold);
            c.active = active;
            return c;
        }
    }

    static final class BookingRow {
        final ActiveBooking booking;
        boolean active = true;

        BookingRow(ActiveBooking booking) {
            this.booking = booking;
        }

        BookingRow copy() {
            BookingRow c = new BookingRow(booking);
            c.active = active;
            return c;
        }
    }

    static final class Unreachable extends RuntimeException {
        Unreachable() {
            super("connection lost", null, false, false);
        }
    }

    static final class DataRefused extends RuntimeException {
        DataRefused() {
            super("invalid byte sequence for encoding \"UTF8\": 0x00", null, false, false);
        }
    }

    private static final madoguchi.app.DatabaseProbe FAILURES = new madoguchi.app.DatabaseProbe() {
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
}
