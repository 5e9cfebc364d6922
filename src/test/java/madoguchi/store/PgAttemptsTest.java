package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.app.limits.Attempts;
import madoguchi.app.limits.Backoffs;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The shared counts in PostgreSQL keep the rules of the in-memory ones: at most the limit per
 * window even for reservations sent all at once from two instances (two PgAttempts on two pools),
 * a reservation given back only in its own window, the sign-in back-off's waits, the service-wide
 * tally by the minute, and the cleanup of ended windows.
 */
class PgAttemptsTest {
    private static final byte[] TOKEN_KEY = "a token key of this installation".getBytes();
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static Vertx vertx;
    private static Pool poolA;
    private static Pool poolB;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        Database database = new Database(TestDatabase.fresh(), null);
        database.migrate();
        poolA = database.pool(vertx, 8);
        poolB = database.pool(vertx, 8);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    @Test
    void reservationsSentTogetherFromTwoInstancesAreGivenOnlyUpToTheLimit() throws Exception {
        MutableClock clock = new MutableClock(START);
        Attempts a = new PgAttempts(poolA, clock, TOKEN_KEY).limit("t_together", 10, Duration.ofHours(1));
        Attempts b = new PgAttempts(poolB, clock, TOKEN_KEY).limit("t_together", 10, Duration.ofHours(1));
        List<Future<Attempts.Reservation>> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add((i % 2 == 0 ? a : b).reserve("notice:7000000001"));
        }
        await(Future.all(sent));
        List<Attempts.Reservation> counted = sent.stream().map(Future::result).filter(r -> r.refusedUntil() == null).toList();
        assertEquals(10, counted.size());
        sent.stream().map(Future::result).filter(r -> r.refusedUntil() != null)
                .forEach(r -> assertEquals(START.plus(Duration.ofHours(1)), r.refusedUntil()));
        assertEquals(START.plus(Duration.ofHours(1)), await(b.lockedUntil("notice:7000000001")));
        // three given back (right dates): three more tries, on either instance
        for (int i = 0; i < 3; i++) {
            await(counted.get(i).giveBack());
            await(counted.get(i).giveBack()); // once only
        }
        assertNull(await(a.lockedUntil("notice:7000000001")));
        for (int i = 0; i < 3; i++) {
            assertNull(await((i % 2 == 0 ? b : a).reserve("notice:7000000001")).refusedUntil());
        }
        assertNotNull(await(a.reserve("notice:7000000001")).refusedUntil());
        clock.advance(Duration.ofHours(1));
        assertNull(await(b.reserve("notice:7000000001")).refusedUntil(), "a new hour, a new window");
    }

    @Test
    void aReservationGivenBackAfterItsWindowEndedDoesNotFreeATryInTheNextOne() throws Exception {
        MutableClock clock = new MutableClock(START);
        Attempts limit = new PgAttempts(poolA, clock, TOKEN_KEY).limit("t_windows", 2, Duration.ofMinutes(1));
        Attempts.Reservation old = await(limit.reserve("k"));
        clock.advance(Duration.ofSeconds(61));
        assertNull(await(limit.reserve("k")).refusedUntil());
        await(old.giveBack());
        assertNull(await(limit.reserve("k")).refusedUntil());
        assertEquals(START.plusSeconds(121), await(limit.reserve("k")).refusedUntil());
    }

    @Test
    void tryAcquireCountsEveryAttemptAndSaysWhenTheLimitWasPassed() throws Exception {
        MutableClock clock = new MutableClock(START);
        Attempts limit = new PgAttempts(poolA, clock, TOKEN_KEY).limit("t_count", 2, Duration.ofMinutes(1));
        assertNull(await(limit.tryAcquire("address:192.0.2.1")));
        assertNull(await(limit.tryAcquire("address:192.0.2.1")));
        assertEquals(START.plusSeconds(60), await(limit.tryAcquire("address:192.0.2.1")));
        assertNull(await(limit.tryAcquire("address:192.0.2.2")), "another key");
    }

    @Test
    void theBackOffWaitsDoubleAfterTheFreeTriesOnEveryInstance() throws Exception {
        MutableClock clock = new MutableClock(START);
        Backoffs.Rule rule = new Backoffs.Rule(3, Duration.ofSeconds(4), Duration.ofHours(1));
        Backoffs a = new PgAttempts(poolA, clock, TOKEN_KEY).backoff("t_backoff", rule);
        Backoffs b = new PgAttempts(poolB, clock, TOKEN_KEY).backoff("t_backoff", rule);
        for (int i = 0; i < 3; i++) {
            assertNull(await((i % 2 == 0 ? a : b).begin("name:x|192.0.2.1")));
        }
        assertEquals(START.plusSeconds(1), await(b.begin("name:x|192.0.2.1")));
        clock.advance(Duration.ofSeconds(1));
        assertNull(await(a.begin("name:x|192.0.2.1")));
        assertEquals(clock.instant().plusSeconds(2), await(b.begin("name:x|192.0.2.1")));
        clock.advance(Duration.ofSeconds(2));
        assertNull(await(b.begin("name:x|192.0.2.1")));
        assertEquals(clock.instant().plusSeconds(4), await(a.begin("name:x|192.0.2.1")), "no longer than the longest wait");
        clock.advance(Duration.ofSeconds(4));
        assertNull(await(a.begin("name:x|192.0.2.1")));
        assertEquals(clock.instant().plusSeconds(4), await(a.begin("name:x|192.0.2.1")));
        await(a.forget("name:x|192.0.2.1"));
        assertNull(await(b.begin("name:x|192.0.2.1")), "forgotten (a success) on every instance");
    }

    @Test
    void failuresOfEveryInstanceAreAddedUpOverTheWindowByTheMinute() throws Exception {
        MutableClock clock = new MutableClock(START);
        var a = new PgAttempts(poolA, clock, TOKEN_KEY).tally("t_tally");
        var b = new PgAttempts(poolB, clock, TOKEN_KEY).tally("t_tally");
        Duration window = Duration.ofMinutes(10);
        assertEquals(5L, await(a.add(5, clock.instant(), window)));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(8L, await(b.add(3, clock.instant(), window)), "the same minute, another instance");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(10L, await(a.add(2, clock.instant(), window)));
        assertEquals(10L, await(b.add(0, clock.instant(), window)), "nothing new: a look");
        clock.advance(Duration.ofMinutes(9));
        assertEquals(2L, await(b.add(0, clock.instant(), window)), "the first minute left the window");
    }

    @Test
    void countsWrittenInBatchesReachEveryInstanceWithinTwoSyncs() throws Exception {
        MutableClock clock = new MutableClock(START);
        PgAttempts onA = new PgAttempts(poolA, clock, TOKEN_KEY);
        PgAttempts onB = new PgAttempts(poolB, clock, TOKEN_KEY);
        Attempts a = onA.batched("t_batched", 3, Duration.ofDays(1));
        Attempts b = onB.batched("t_batched", 3, Duration.ofDays(1));
        // decided in memory at once: no round trip
        assertNull(await(a.tryAcquire("card:1")));
        assertNull(await(a.tryAcquire("card:1")));
        assertNull(await(b.tryAcquire("card:1")), "B has not heard of A's two yet");
        assertNull(await(b.lockedUntil("card:1")));
        await(onA.sync());
        await(onB.sync());
        // B's sync wrote its one and read the total, three: the limit is reached there
        assertEquals(START.plus(Duration.ofDays(1)), await(b.lockedUntil("card:1")));
        assertNull(await(a.lockedUntil("card:1")), "A reads the lock at its next sync");
        await(onA.sync());
        assertEquals(START.plus(Duration.ofDays(1)), await(a.lockedUntil("card:1")), "one window, counted from the first change");
        assertEquals(START.plus(Duration.ofDays(1)), await(a.tryAcquire("card:1")), "a fourth change is over the limit");
        assertNull(await(a.lockedUntil("card:2")), "another card");
        clock.advance(Duration.ofDays(1));
        await(onB.sync());
        assertNull(await(b.lockedUntil("card:1")), "a new day");
        assertNull(await(b.tryAcquire("card:1")));
        await(onB.sync());
        assertNull(await(b.lockedUntil("card:1")), "the new window counts from one");
    }

    @Test
    void endedWindowsArePurged() throws Exception {
        MutableClock clock = new MutableClock(START);
        PgAttempts attempts = new PgAttempts(poolA, clock, TOKEN_KEY);
        Attempts shortLived = attempts.limit("t_purge_short", 1, Duration.ofMinutes(1));
        Attempts longLived = attempts.limit("t_purge_long", 1, Duration.ofDays(1));
        await(shortLived.tryAcquire("k"));
        await(longLived.tryAcquire("k"));
        clock.advance(Duration.ofMinutes(2));
        assertEquals(true, await(attempts.purge()) >= 1);
        assertNull(await(shortLived.lockedUntil("k")));
        assertEquals(START.plus(Duration.ofDays(1)), await(longLived.lockedUntil("k")), "a window not over is kept");
    }
}
