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
        /** Administrators' changes of limits being written (capacity cut or raise, block, unblock, closure). */
        private final List<LimitsChange> changing = new ArrayList<>();
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
                trace();
                check();
            }
            quiesce();
        }

        private void act() {
            int roll = random.nextInt(120);
            if (roll < 40) {
                submit();
            } else if (roll < 58) {
                tasks.run(random, 1 + random.nextInt(6));
                lastAction = "ran tasks";
            } else if (roll < 76) {
                journal.answerOne();
            } else if (roll < 83) {
                clock.advance(Duration.ofSeconds(random.nextInt(240)));
                shard.expireDueHolds();
                lastAction = "sweep at " + clock.instant();
            } else if (roll < 87) {
                tasks.execute(shard::refresh);
                lastAction = "refresh";
            } else if (roll < 90) {
                journal.mood = random.nextInt(4);
                lastAction = "journal mood " + journal.mood;
            } else if (roll < 93) {
                restart();
                lastAction = "restart";
            } else if (roll < 99) {
                startLimitsChange();
            } else if (roll < 104) {
                writeLimitsChange();
            } else if (roll < 109) {
                changeCard();
            } else if (roll < 113) {
                db.idMood = random.nextInt(3);
                lastAction = "booking ids mood " + db.idMood;
            } else {
                db.answerIds(random.nextInt(4) == 0);
            }
        }

        /**
         * An administrator changes a slot's limits as CapacityTuning and StaffActions do, through
         * Allocator.whileLimitsChange: the shard is told the limits coming, the change is written
         * by its own transaction (a later step, if the seed lets it commit), the slots are read
         * again and displaced bookings told, and the shard is told it is over.
         */
        private void startLimitsChange() {
            long id = 1 + random.nextInt(SLOTS);
            SlotLimits before = db.slots.get(id).limits;
            SlotLimits next;
            switch (random.nextInt(4)) {
                case 0 -> next = new SlotLimits(before.capacity(), before.quotaWeb(), before.quotaPhone(), !before.blocked());
                case 1 -> next = new SlotLimits(0, 0, 0, true); // the day closed
                default -> {
                    int capacity = random.nextInt(5);
                    int phone = random.nextInt(capacity + 1);
                    next = new SlotLimits(capacity, random.nextInt(phone + 1), phone, false);
                }
            }
            LimitsChange change = new LimitsChange(id, next, random.nextBoolean());
            changing.add(change);
            lastAction = "limits of slot " + id + " becoming " + next + (change.cancel ? ", displaced cancelled" : "");
            shard.tell(new SeatNews.LimitsComing(Set.of(id), next)).onSuccess(v -> change.told = true);
        }

        /** One change whose shard was told commits (or its transaction fails), then memory follows it. */
        private void writeLimitsChange() {
            LimitsChange change = changing.stream().filter(c -> c.told).findFirst().orElse(null);
            if (change == null) {
                lastAction = "no limits change to write";
                return;
            }
            changing.remove(change);
            AllocatorShard told = shard;
            Future<Void> written;
            if (random.nextInt(5) == 0) {
                lastAction = "limits change of slot " + change.slotId + " failed";
                written = Future.succeededFuture();
            } else {
                List<Displaced> displaced = db.changeLimits(change);
                lastAction = "limits of slot " + change.slotId + " written: " + change.next + ", displaced " + displaced;
                written = told.reload(Set.of(SITE)).compose(v -> {
                    List<Future<Boolean>> news = new ArrayList<>();
                    for (Displaced d : displaced) {
                        news.add(told.tell(new SeatNews.BookingDisplaced(d.cardId(), d.code(), change.cancel)));
                    }
                    return Future.all(news).mapEmpty();
                });
            }
            written.eventually(() -> told.tell(new SeatNews.LimitsSettled(Set.of(change.slotId))));
        }

        /**
         * A card's booking ends at the counter (issued: the card is no longer ready) or as a
         * no-show, told to the shard as CardLifecycle does; or a status file makes a card not
         * ready, or ready again.
         */
        private void changeCard() {
            long card = 1 + random.nextInt(CARDS);
            BookingRow row = db.activeBookingRow(card);
            if (row != null && random.nextInt(3) != 0) {
                boolean issued = random.nextBoolean();
                row.active = false;
                row.kept = true; // the slot happened: its seat stays counted
                if (issued) {
                    db.notReady.add(card);
                }
                lastAction = "booking " + row.booking.id() + " of card " + card + (issued ? " issued" : " a no-show");
                shard.tell(new SeatNews.BookingEnded(card, row.booking.code()));
            } else if (!db.notReady.remove(card)) {
                db.notReady.add(card);
                lastAction = "card " + card + " no longer ready";
            } else {
                lastAction = "card " + card + " ready again";
            }
        }

        /** What a reader on another thread could be shown of a slot: never more free seats than the database holds. */
        private void readerSees(SlotSeats seats) {
            Slot durable = db.slots.get(seats.id());
            for (Channel channel : Channel.values()) {
                int free = durable.limits.blocked() ? 0 : Math.max(0, durable.limits.limit(channel) - durable.booked - durable.held);
                if (seats.remaining(channel) > free) {
                    throw new AssertionError("step " + step + " (" + lastAction + "): a reader is shown " + seats.remaining(channel)
                            + " free " + channel + " seats in slot " + seats.id() + ", the database holds " + free + ": " + durable);
                }
            }
        }

        /**
         * A new process: the old shard's tasks and unanswered callers are gone, each write in flight
         * (seats or limits) committed or not; state is read from the database.
         */
        private void restart() {
            journal.crash();
            for (LimitsChange change : changing) {
                if (change.told && random.nextBoolean()) {
                    db.changeLimits(change);
                }
            }
            changing.clear();
            db.idsWaiting.clear();
            tasks.clear();
            requests = new IdempotentRequests(db);
            shard = new AllocatorShard(0, null, journal, db, clock, new AllocatorSettings(1000, Duration.ZERO,
                    1 + random.nextInt(8), Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(60)),
                    AllocatorObserver.NONE, FAILURES, new Decide(BookingCode.legacy()), this::readerSees);
            // a few ids at a time, so that reserving the next block fails or waits now and then
            shard.idBlock = 1 + random.nextInt(4);
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

        /** With -Dsim.trace=true, what each step did. */
        private void trace() {
            if (Boolean.getBoolean("sim.trace")) {
                System.out.println("step " + step + ": " + lastAction);
            }
        }

        /** The invariants that hold after every step. */
        private void check() {
            String where = "step " + step + " (" + lastAction + ")";
            for (Slot s : db.slots.values()) {
                assertTrue(s.booked + s.held <= s.limits.capacity(), where + ": slot " + s.id + " above capacity: " + s);
                // issued and no-show bookings keep their seats: the slot happened
                long regular = db.bookings.values().stream().filter(b -> b.counted() && b.booking.slotId() == s.id && !b.booking.override()).count();
                long forced = db.bookings.values().stream().filter(b -> b.counted() && b.booking.slotId() == s.id && b.booking.override()).count();
                long holds = db.holds.values().stream().filter(h -> h.active && h.hold.slotId() == s.id).count();
                assertEquals(regular, s.booked, where + ": slot " + s.id + " booked = its active regular bookings");
                assertEquals(forced, s.override, where + ": slot " + s.id + " overrides = its active override bookings");
                assertEquals(holds, s.held, where + ": slot " + s.id + " held = its active holds");
                SlotSeats memory = shard.slot(s.id);
                if (memory != null) {
                    readerSees(memory);
                }
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
                assertTrue(!db.bookings.get(id).active && !db.bookings.get(id).kept, where + ": acknowledged cancel of " + id + " is durable");
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
            db.idMood = 0;
            for (int round = 0; round < 1000 && (tasks.busy() || journal.busy() || !changing.isEmpty() || db.busy()); round++) {
                tasks.runAll();
                journal.answerAll();
                trace();
                db.answerIds(false);
                writeLimitsChange();
                trace();
                check();
            }
            clock.advance(Duration.ofHours(1));
            tasks.execute(shard::refresh); // ends the holds a dead process left, reads every slot again
            shard.expireDueHolds();
            for (int round = 0; round < 1000 && (tasks.busy() || journal.busy() || db.busy()); round++) {
                tasks.runAll();
                journal.answerAll();
                db.answerIds(false);
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
                assertEquals(s.limits, memory.limits(), "slot " + s.id + " memory limits (no change still coming)");
                assertEquals(s.limits.blocked() ? 0 : Math.max(0, s.limits.capacity() - s.booked - s.held),
                        memory.remaining(Channel.OPERATOR), "slot " + s.id + " readers see every free seat again");
            }
            // Memory's bookings are a cache the database corrects when the card acts: one whose
            // commit's answer was lost is learned then (already_booked), one memory still believes
            // in after the database ended it (a refusal undone out of order) is forgotten then
            // (not_found). So: once each such card acts, memory believes only what the database holds.
            for (long card = 1; card <= CARDS; card++) {
                Future<Optional<ActiveBooking>> known = shard.tell(new SeatNews.BookingOf(card));
                tasks.runAll();
                BookingRow row = db.activeBookingRow(card);
                if (known.result().isPresent() && (row == null || !row.booking.equals(known.result().get()))) {
                    shard.submit(new SeatRequest(new SeatCommand.Cancel(card, known.result().get().code(), "sim"), null, null));
                    for (int round = 0; round < 100 && (tasks.busy() || journal.busy()); round++) {
                        tasks.runAll();
                        journal.answerAll();
                    }
                    known = shard.tell(new SeatNews.BookingOf(card));
                    tasks.runAll();
                    row = db.activeBookingRow(card);
                    assertTrue(known.result().isEmpty() || row != null && row.booking.equals(known.result().get()),
                            "card " + card + ": once it acts, memory believes only the database: " + known.result() + " vs " + row);
                }
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
                if (Boolean.getBoolean("sim.trace")) {
                    System.out.println("  written: " + batch.stream().map(e -> e.decision().toString()).toList());
                }
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
            /** Cards a status file made not ready (or issued): a booking or hold of one is refused. */
            final Set<Long> notReady = new HashSet<>();
            /** Booking id reservations not yet answered (mood 2: slow). */
            final List<Map.Entry<Long, Promise<Long>>> idsWaiting = new ArrayList<>();
            /** 0: reservations answered at once; 1: half of them fail (some after reserving); 2: slow. */
            int idMood;
            private long nextId = 1;

            boolean busy() {
                return !idsWaiting.isEmpty();
            }

            /** Answers one slow reservation ({@code all}: every one), or fails it. */
            void answerIds(boolean fail) {
                if (idsWaiting.isEmpty()) {
                    lastAction = "no booking ids awaited";
                    return;
                }
                var waiting = idsWaiting.remove(0);
                if (fail) {
                    lastAction = "booking ids reserved, answer lost";
                    waiting.getValue().fail(new Unreachable());
                } else {
                    lastAction = "booking ids from " + waiting.getKey() + " answered";
                    waiting.getValue().complete(waiting.getKey());
                }
            }

            /**
             * An administrator's change committed, as PgCapacityStore and PgSlotBlocks write it
             * under the slot's row lock: the limits, and when the slot holds more than its new
             * capacity, the newest holds released, then the newest active bookings cancelled or
             * kept as overrides, then issued or no-show ones re-counted as overrides.
             */
            List<Displaced> changeLimits(LimitsChange change) {
                Slot s = slots.get(change.slotId);
                s.limits = change.next;
                int over = s.booked + s.held - change.next.capacity();
                List<Displaced> displaced = new ArrayList<>();
                List<HoldRow> holdsNewestFirst = new ArrayList<>(holds.values().stream()
                        .filter(h -> h.active && h.hold.slotId() == s.id).toList());
                java.util.Collections.reverse(holdsNewestFirst);
                for (HoldRow h : holdsNewestFirst) {
                    if (over-- <= 0) {
                        break;
                    }
                    h.active = false;
                    s.held--;
                }
                List<BookingRow> rows = new ArrayList<>(bookings.values().stream()
                        .filter(b -> b.counted() && b.booking.slotId() == s.id && !b.booking.override()).toList());
                java.util.Collections.reverse(rows);
                rows.sort((a, b) -> Boolean.compare(b.active, a.active)); // active ones first, newest first
                for (BookingRow b : rows) {
                    if (over-- <= 0) {
                        break;
                    }
                    s.booked--;
                    if (b.active) {
                        displaced.add(new Displaced(b.booking.cardId(), b.booking.code()));
                    }
                    if (b.active && change.cancel) {
                        b.active = false;
                    } else {
                        s.override++;
                        BookingRow kept = new BookingRow(b.booking.asOverride("capacity reduced"));
                        kept.active = b.active;
                        kept.kept = b.kept;
                        bookings.put(b.booking.id(), kept);
                    }
                }
                s.version++;
                return displaced;
            }


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
                    if (notReady.contains(h.hold().cardId())) {
                        return Rejection.of(Refusal.CARD_NOT_READY);
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
                    if (notReady.contains(c.booking().cardId())) {
                        return Rejection.of(Refusal.CARD_NOT_READY);
                    }
                    BookingRow booked = activeBookingRow(c.booking().cardId());
                    if (booked != null) {
                        return new Rejection(Refusal.ALREADY_BOOKED, booked.booking, null);
                    }
                    holds.get(c.hold().id()).active = false;
                    insert(c.booking());
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
                    if (notReady.contains(m.booking().cardId())) {
                        return Rejection.of(Refusal.CARD_NOT_READY);
                    }
                    BookingRow booked = activeBookingRow(m.booking().cardId());
                    if (booked != null) {
                        return new Rejection(Refusal.ALREADY_BOOKED, booked.booking, null);
                    }
                    insert(m.booking());
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

            /** A new booking row: its id must never have been used (ids come from reserved blocks). */
            private void insert(ActiveBooking b) {
                if (bookings.containsKey(b.id())) {
                    throw new AssertionError("booking id " + b.id() + " used twice: " + bookings.get(b.id()).booking + " and " + b);
                }
                bookings.put(b.id(), new BookingRow(b));
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

            BookingRow activeBookingRow(long cardId) {
                return bookings.values().stream().filter(b -> b.active && b.booking.cardId() == cardId).findFirst().orElse(null);
            }

            private Database copy() {
                Database c = new Database();
                slots.forEach((id, s) -> c.slots.put(id, s.copy()));
                holds.forEach((id, h) -> c.holds.put(id, h.copy()));
                bookings.forEach((id, b) -> c.bookings.put(id, b.copy()));
                c.keys.putAll(keys);
                c.notReady.addAll(notReady);
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
                if (idMood == 1 && random.nextBoolean()) {
                    if (random.nextBoolean()) {
                        nextId += blockSize; // reserved, and the answer lost
                    }
                    return Future.failedFuture(new Unreachable());
                }
                nextId += blockSize;
                if (idMood == 2) {
                    Promise<Long> later = Promise.promise();
                    idsWaiting.add(Map.entry(first, later));
                    return later.future();
                }
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
        SlotLimits limits;
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
        /** Issued or a no-show: no longer active, its seat still counted (the slot happened). */
        boolean kept;

        BookingRow(ActiveBooking booking) {
            this.booking = booking;
        }

        boolean counted() {
            return active || kept;
        }

        BookingRow copy() {
            BookingRow c = new BookingRow(booking);
            c.active = active;
            c.kept = kept;
            return c;
        }
    }

    /** An administrator's change of one slot's limits, from the moment its shard is told until written. */
    static final class LimitsChange {
        final long slotId;
        final SlotLimits next;
        /** Displaced active bookings are cancelled (else kept as overrides). */
        final boolean cancel;
        boolean told;

        LimitsChange(long slotId, SlotLimits next, boolean cancel) {
            this.slotId = slotId;
            this.next = next;
            this.cancel = cancel;
        }
    }

    record Displaced(long cardId, String code) {
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
