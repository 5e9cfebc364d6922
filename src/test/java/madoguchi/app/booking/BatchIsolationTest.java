package madoguchi.app.booking;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import madoguchi.app.AuditEntry;
import madoguchi.app.fakes.MemorySeats;
import madoguchi.app.sites.SiteStore;
import madoguchi.app.sites.Sites;
import madoguchi.domain.BookingCode;
import madoguchi.domain.BookingWindow;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.Site;
import madoguchi.domain.SiteKind;
import madoguchi.domain.SlotSeats;
import madoguchi.domain.SlotSnapshot;
import madoguchi.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One request the database refuses must not fail the others of its batch: the shard splits the
 * failed batch and writes the halves apart, down to the request that cannot be written, which
 * alone is refused ({@code unrecordable}); every other request is answered as if it had come
 * alone. Runs on the allocator with its journal in memory; the journal refuses any batch holding
 * a decision for the poisoned card, as PostgreSQL refuses a whole transaction for one NUL byte.
 */
class BatchIsolationTest {
    private static final String SITE = ShardFixture.SITE;
    private static final Instant NOW = ShardFixture.NOW;
    private static final int SLOTS = 12;

    enum Kind { HOLD, CONFIRM, RELEASE, BOOK, OVERRIDE, CANCEL, RESCHEDULE, OFFER, TAKE_OFFER }

    private final ShardFixture site = new ShardFixture(SLOTS);
    private final MemorySeats seats = site.seats;
    private final Poisoning journal = site.journal;
    private final Allocator allocator = site.allocator;
    private final BookingDesk desk = site.desk;
    private long nextCard = 1;

    @AfterEach
    void close() {
        site.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aPoisonedRequestFailsAloneAndEveryOtherOfItsBatchIsAnsweredAsIfAlone(Kind poisonedKind) {
        // every kind of command, three of each, ready to be sent; and the poisoned one
        List<Function<Void, Future<Settled>>> good = new ArrayList<>();
        List<Kind> goodKinds = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < 3; i++) {
                good.add(prepared(kind, card()));
                goodKinds.add(kind);
            }
        }
        CardRef poisonedCard = card();
        Function<Void, Future<Settled>> poisoned = prepared(poisonedKind, poisonedCard);
        journal.poisoned = poisonedCard.cardId();

        // a first batch is held in its commit while everything else queues behind it: one batch then
        Promise<Void> gate = journal.hold();
        Future<Settled> first = desk.hold(card(), SLOTS, Channel.WEB, null);
        awaitParked();
        List<Future<Settled>> answers = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            answers.add(good.get(i).apply(null));
            if (i == good.size() / 2) {
                answers.add(poisoned.apply(null)); // in the middle of the batch
            }
        }
        awaitQueued(good.size() + 2);
        int writesBefore = journal.batches.size();
        gate.complete();
        assertTrue(await(first).ok());
        assertEquals(1, journal.batches.get(writesBefore), "the first batch was written alone");

        Settled refused = await(answers.remove(good.size() / 2 + 1));
        assertEquals(Refusal.UNRECORDABLE, refused.refusal(), "the poisoned " + poisonedKind + " is refused as the request's fault");
        for (int i = 0; i < answers.size(); i++) {
            Settled s = await(answers.get(i));
            assertTrue(s.ok(), goodKinds.get(i) + " answered as if alone, not " + s.refusal());
        }
        assertEquals(good.size() + 1, journal.batches.get(writesBefore + 1), "they were all in one batch at first");
        assertEquals(0, allocator.queued(), "no request left waiting");
        assertMemoryEqualsWhatIsDurable();
    }

    @Test
    void whenTheDatabaseCannotBeReachedTheBatchIsNotSplitAndEveryRequestIsToldSo() {
        List<Function<Void, Future<Settled>>> good = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            good.add(prepared(Kind.BOOK, card()));
        }
        Promise<Void> gate = journal.hold();
        Future<Settled> first = desk.hold(card(), SLOTS, Channel.WEB, null);
        awaitParked();
        List<Future<Settled>> answers = new ArrayList<>();
        good.forEach(g -> answers.add(g.apply(null)));
        awaitQueued(9);
        journal.unreachable = true;
        int writesBefore = journal.batches.size();
        gate.complete();
        await(first);
        for (Future<Settled> a : answers) {
            assertEquals(Refusal.UNAVAILABLE, await(a).refusal());
        }
        assertEquals(List.of(1, 8), journal.batches.subList(writesBefore, journal.batches.size()),
                "one attempt: an unreachable database is not asked once per half");
        journal.unreachable = false;
        assertEquals(0, allocator.queued());
        assertMemoryEqualsWhatIsDurable();
        assertTrue(await(prepared(Kind.BOOK, card()).apply(null)).ok(), "the database back, bookings go on");
    }

    @Test
    void aHoldConfirmedBehindItsOwnFailedBatchIsDecidedAgainOnWhatIsDurable() {
        // the hold is in the batch that fails (with a poisoned request); its confirm queued behind
        // it is decided again once the hold is written on its own
        CardRef card = card();
        CardRef poisonedCard = card();
        journal.poisoned = poisonedCard.cardId();
        Promise<Void> gate = journal.hold();
        Future<Settled> first = desk.hold(card(), SLOTS, Channel.WEB, null);
        awaitParked();
        Future<Settled> held = desk.hold(card, 1, Channel.WEB, null);
        Future<Settled> bad = desk.book(poisonedCard, 1, Channel.OPERATOR, "op", true, "note", null);
        awaitQueued(3);
        gate.complete();
        await(first);
        Settled hold = await(held);
        assertTrue(hold.ok());
        assertEquals(Refusal.UNRECORDABLE, await(bad).refusal());
        UUID holdId = ((Decision.HoldTaken) hold.decision()).hold().id();
        assertTrue(await(desk.confirm(card, holdId, "resident", null)).ok());
        assertEquals(1, seats.slot(1).booked());
        assertEquals(0, seats.slot(1).held());
        assertMemoryEqualsWhatIsDurable();
    }

    /** Sets the card up for a command of {@code kind} (a hold to confirm, a booking to move) and returns the command. */
    private Function<Void, Future<Settled>> prepared(Kind kind, CardRef card) {
        long slot = 1 + card.cardId() % (SLOTS - 1);
        long other = 1 + (card.cardId() + 1) % (SLOTS - 1);
        switch (kind) {
            case HOLD:
                return v -> desk.hold(card, slot, Channel.WEB, null);
            case CONFIRM: {
                UUID hold = holdOf(await(desk.hold(card, slot, Channel.PHONE, null)));
                return v -> desk.confirm(card, hold, "resident", null);
            }
            case RELEASE: {
                UUID hold = holdOf(await(desk.hold(card, slot, Channel.WEB, null)));
                return v -> desk.release(card, hold);
            }
            case BOOK:
                return v -> desk.book(card, slot, Channel.WEB, "resident", false, null, null);
            case OVERRIDE:
                return v -> desk.book(card, slot, Channel.OPERATOR, "op", true, "note\u0000", null);
            case CANCEL: {
                String code = codeOf(await(desk.book(card, slot, Channel.WEB, "resident", false, null, null)));
                return v -> desk.cancel(card, code, "asked");
            }
            case RESCHEDULE: {
                String code = codeOf(await(desk.book(card, slot, Channel.WEB, "resident", false, null, null)));
                return v -> desk.reschedule(card, code, other, Channel.WEB, false, null, null);
            }
            case OFFER:
                return v -> desk.holdOffer(card, slot, Channel.WEB, NOW.plus(Duration.ofHours(1)));
            default: {
                UUID hold = holdOf(await(desk.holdOffer(card, slot, Channel.WEB, NOW.plus(Duration.ofHours(1)))));
                return v -> desk.takeOffer(card, hold, "resident");
            }
        }
    }

    private CardRef card() {
        return new CardRef(nextCard++, SITE);
    }

    private static UUID holdOf(Settled s) {
        assertTrue(s.ok(), String.valueOf(s.refusal()));
        return ((Decision.HoldTaken) s.decision()).hold().id();
    }

    private static String codeOf(Settled s) {
        assertTrue(s.ok(), String.valueOf(s.refusal()));
        return ((Decision.BookingMade) s.decision()).booking().code();
    }

    /** The first write waits at the gate: whatever comes now queues behind it. */
    private void awaitParked() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!journal.parked) {
            if (System.nanoTime() > until) {
                throw new AssertionError("no write waits at the gate");
            }
            Thread.onSpinWait();
        }
    }

    private void awaitQueued(int n) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (allocator.queued() != n) {
            if (System.nanoTime() > until) {
                throw new AssertionError("queued " + allocator.queued() + ", expected " + n);
            }
            Thread.onSpinWait();
        }
    }

    private void assertMemoryEqualsWhatIsDurable() {
        for (long id = 1; id <= SLOTS; id++) {
            SlotSeats memory = allocator.slot(id);
            SlotSnapshot durable = seats.slot(id);
            assertEquals(durable.booked(), memory.booked(), "slot " + id + " booked");
            assertEquals(durable.held(), memory.held(), "slot " + id + " held");
            assertEquals(durable.override(), memory.override(), "slot " + id + " overrides");
            assertTrue(!memory.hasPending(), "slot " + id + " has nothing pending");
        }
    }

    private static <T> T await(Future<T> f) {
        return ShardFixture.await(f);
    }

    /**
     * The journal in memory, refusing as PostgreSQL does: a batch with a decision for the
     * poisoned card is not written at all (nothing of it), and while unreachable nothing is.
     * Each write can be held until the test lets it go.
     */
    static final class Poisoning implements SeatJournal {
        private final MemorySeats seats;
        /** Sizes of the batches asked to be written, in order. */
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        volatile long poisoned = -1;
        volatile boolean unreachable;
        /** A bug in writing the end of this hold: write throws (as a marshalling NullPointerException would). */
        volatile UUID broken;
        private volatile Promise<Void> gate;
        /** True once a write waits at the gate. */
        volatile boolean parked;

        Poisoning(MemorySeats seats) {
            this.seats = seats;
        }

        /** The next write waits until the returned promise completes. */
        Promise<Void> hold() {
            Promise<Void> p = Promise.promise();
            gate = p;
            return p;
        }

        @Override
        public Future<JournalOutcome> write(List<JournalEntry> batch) {
            Promise<Void> waiting = gate;
            gate = null;
            if (waiting != null) {
                parked = true;
                return waiting.future().compose(v -> write(batch));
            }
            batches.add(batch.size());
            if (unreachable) {
                return Future.failedFuture(new MemorySeats.Unreachable("connection refused"));
            }
            for (JournalEntry e : batch) {
                if (e.decision() instanceof Decision.HoldReleased r && r.hold().id().equals(broken)) {
                    throw new NullPointerException("a bug in writing hold " + broken);
                }
                if (cardOf(e.decision()) == poisoned) {
                    return Future.failedFuture(new MemorySeats.DataRefused("invalid byte sequence for encoding \"UTF8\": 0x00"));
                }
            }
            return seats.write(batch);
        }

        static long cardOf(Decision d) {
            if (d instanceof Decision.HoldTaken h) {
                return h.hold().cardId();
            } else if (d instanceof Decision.HoldMovedInto m) {
                return m.hold().cardId();
            } else if (d instanceof Decision.HoldReleased r) {
                return r.hold().cardId();
            } else if (d instanceof Decision.HoldConfirmed c) {
                return c.hold().cardId();
            } else if (d instanceof Decision.BookingMade m) {
                return m.booking().cardId();
            } else if (d instanceof Decision.BookingCancelled c) {
                return c.booking().cardId();
            } else {
                return ((Decision.BookingMoved) d).from().cardId();
            }
        }
    }
}
