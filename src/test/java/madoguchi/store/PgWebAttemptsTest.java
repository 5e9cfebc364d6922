package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import madoguchi.Config;
import madoguchi.app.limits.Attempts;
import madoguchi.app.verification.WebAttempts;
import madoguchi.support.MutableClock;
import madoguchi.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A web verification's two limits and its lookup in one statement keep the rules of the two
 * limits counted one after the other ({@link PgAttempts#limit}), in the same rows: the address
 * counts every attempt; a wrong date counts against the notice number, a right one does not; a
 * locked notice number is locked even for the right date and its card is not read; guesses sent
 * at the same moment from two instances are evaluated only up to the limit; and an attempt by the
 * separate limits (the phone's way) sees what the one statement counted.
 */
class PgWebAttemptsTest {
    private static final byte[] TOKEN_KEY = "a token key of this installation".getBytes();
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final LocalDate BIRTH = LocalDate.of(1980, 1, 1);
    private static final LocalDate WRONG = LocalDate.of(1980, 1, 2);
    private static Vertx vertx;
    private static Pool poolA;
    private static Pool poolB;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Config.DatabaseUrl url = TestDatabase.fresh();
        Database database = new Database(url, null);
        database.migrate();
        try (Connection c = TestDatabase.connect(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sites (id, name_ja, name_en, kind) VALUES ('x', 'x', 'x', 'popup')");
            s.execute("INSERT INTO cards (notice_number, birth_date, site_id, state)"
                    + " SELECT (7000000000 + g)::text, DATE '1980-01-01', 'x', 'ready' FROM generate_series(1, 9) g");
        }
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

    /** The web's limits of one instance: 5 attempts a minute per address, 3 failures an hour per notice number. */
    private record Instance(Attempts perAddress, Attempts perNotice, WebAttempts atOnce) {
        static Instance on(Pool pool, MutableClock clock) {
            PgAttempts shared = new PgAttempts(pool, clock, TOKEN_KEY);
            Attempts address = shared.limit("verify_address", 5, Duration.ofMinutes(1));
            Attempts notice = shared.limit("verify_notice", 3, Duration.ofHours(1));
            return new Instance(address, notice, shared.webAttempts(address, notice));
        }
    }

    @Test
    void theRightDateFindsTheCardAndCountsNoFailureAWrongOneCountsOne() throws Exception {
        MutableClock clock = new MutableClock(START);
        Instance a = Instance.on(poolA, clock);
        for (int i = 0; i < 4; i++) {
            WebAttempts.Met met = await(a.atOnce().attempt("addr:right-" + i, "notice:7000000001", "7000000001", BIRTH));
            assertNull(met.addressLockedUntil());
            assertNull(met.noticeLockedUntil());
            assertEquals("7000000001", met.card().noticeNumber());
            assertEquals(BIRTH, met.card().birthDate());
            assertEquals("x", met.card().siteId());
        }
        assertNull(await(a.perNotice().lockedUntil("notice:7000000001")), "right dates are not failures");
        // an unknown number and a wrong date are the same failure
        assertNull(await(a.atOnce().attempt("addr:w", "notice:7000000099", "7000000099", BIRTH)).card());
        for (int i = 0; i < 3; i++) {
            WebAttempts.Met met = await(a.atOnce().attempt("addr:wrong-" + i, "notice:7000000001", "7000000001", WRONG));
            assertNull(met.noticeLockedUntil());
            assertNull(met.card());
        }
        Instant hourLater = START.plus(Duration.ofHours(1));
        assertEquals(hourLater, await(a.perNotice().lockedUntil("notice:7000000001")));
        // locked: even the right date is refused, and the card is not told
        WebAttempts.Met locked = await(a.atOnce().attempt("addr:late", "notice:7000000001", "7000000001", BIRTH));
        assertEquals(hourLater, locked.noticeLockedUntil());
        assertNull(locked.card());
        // the separate limit (the phone's way) sees the same lock
        assertEquals(hourLater, await(a.perNotice().reserve("notice:7000000001")).refusedUntil());
        clock.advance(Duration.ofHours(1));
        assertNotNull(await(a.atOnce().attempt("addr:next", "notice:7000000001", "7000000001", BIRTH)).card(), "a new window");
    }

    @Test
    void theAddressCountsEveryAttemptAndPastItsLimitNothingElseIsCountedOrRead() throws Exception {
        MutableClock clock = new MutableClock(START);
        Instance a = Instance.on(poolA, clock);
        for (int i = 0; i < 5; i++) {
            assertNull(await(a.atOnce().attempt("addr:busy", "notice:7000000002", "7000000002", i == 0 ? BIRTH : WRONG))
                    .addressLockedUntil());
        }
        WebAttempts.Met over = await(a.atOnce().attempt("addr:busy", "notice:7000000003", "7000000003", WRONG));
        assertEquals(START.plus(Duration.ofMinutes(1)), over.addressLockedUntil());
        assertNull(over.card());
        assertEquals(START.plus(Duration.ofMinutes(1)), await(a.perAddress().lockedUntil("addr:busy")));
        // refused by its address, the guess was not counted against the notice number
        for (int i = 0; i < 3; i++) {
            assertNull(await(a.atOnce().attempt("addr:other-" + i, "notice:7000000003", "7000000003", WRONG)).noticeLockedUntil());
        }
        assertNotNull(await(a.atOnce().attempt("addr:other-x", "notice:7000000003", "7000000003", BIRTH)).noticeLockedUntil());
        clock.advance(Duration.ofMinutes(1));
        assertNull(await(a.atOnce().attempt("addr:busy", "notice:7000000004", "7000000004", BIRTH)).addressLockedUntil());
    }

    @Test
    void guessesSentTogetherFromTwoInstancesAreEvaluatedOnlyUpToTheLimit() throws Exception {
        MutableClock clock = new MutableClock(START);
        Instance a = Instance.on(poolA, clock);
        Instance b = Instance.on(poolB, clock);
        List<Future<WebAttempts.Met>> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // the right date among them: found only while the number is not locked
            sent.add((i % 2 == 0 ? a : b).atOnce().attempt("addr:g-" + i, "notice:7000000005", "7000000005", i % 10 == 9 ? BIRTH : WRONG));
        }
        await(Future.join(sent));
        List<WebAttempts.Met> met = sent.stream().map(Future::result).toList();
        long evaluated = met.stream().filter(m -> m.noticeLockedUntil() == null).count();
        long found = met.stream().filter(m -> m.card() != null).count();
        long failures = evaluated - found;
        assertEquals(3, failures, "at most the limit of wrong dates evaluated");
        met.stream().filter(m -> m.noticeLockedUntil() != null).forEach(m -> assertNull(m.card()));
        assertEquals(START.plus(Duration.ofHours(1)), await(b.perNotice().lockedUntil("notice:7000000005")));
    }
}
