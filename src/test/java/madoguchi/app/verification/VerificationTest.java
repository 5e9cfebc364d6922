package madoguchi.app.verification;

import madoguchi.app.limits.AttemptLimiter;

import madoguchi.app.cards.CardRecord;
import madoguchi.app.cards.CardStore;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import madoguchi.domain.CardState;
import madoguchi.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verification use case against an in-memory card store whose lookups the test holds open:
 * guesses in flight at the same moment are counted before the lookup, so no more than the limit is
 * ever evaluated; and the service-wide brake slows every source, web and phone, when failures
 * across many notice numbers and addresses pass the budget.
 */
class VerificationTest {
    private static final LocalDate BORN = LocalDate.of(1980, 1, 1);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HeldCards cards = new HeldCards();

    /** Cards by notice number; each lookup waits until the test lets it answer (or fail). */
    private static final class HeldCards implements CardStore {
        final Map<String, CardRecord> byNotice = new ConcurrentHashMap<>();
        final List<Promise<Optional<CardRecord>>> held = new ArrayList<>();
        final List<Optional<CardRecord>> answers = new ArrayList<>();
        volatile boolean hold = true;

        void add(long id, String notice) {
            byNotice.put(notice, new CardRecord(id, notice, BORN, "+819000000000", "site", CardState.READY));
        }

        @Override
        public synchronized Future<Optional<CardRecord>> byNoticeNumber(String noticeNumber) {
            Optional<CardRecord> card = Optional.ofNullable(byNotice.get(noticeNumber));
            if (!hold) {
                return Future.succeededFuture(card);
            }
            Promise<Optional<CardRecord>> p = Promise.promise();
            held.add(p);
            answers.add(card);
            return p.future();
        }

        synchronized int lookups() {
            return held.size();
        }

        synchronized void answerAll() {
            for (int i = 0; i < held.size(); i++) {
                held.get(i).tryComplete(answers.get(i));
            }
        }

        synchronized void failAll() {
            held.forEach(p -> p.tryFail(new IllegalStateException("database unreachable")));
        }

        @Override
        public Future<Optional<CardRecord>> byId(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<List<CardRecord>> byPhone(String phone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Future<List<Move>> history(long cardId) {
            return Future.succeededFuture(List.of()); // these cards never move
        }
    }

    private Verification verification(int perAddress, int perNotice, int serviceBudget) {
        return new Verification(cards, new Verification.Limits(
                new AttemptLimiter(perAddress, Duration.ofMinutes(1), clock),
                new AttemptLimiter(10, Duration.ofHours(1), clock),
                new AttemptLimiter(perNotice, Duration.ofHours(1), clock)),
                new VerificationBrake(serviceBudget, clock), registry);
    }

    private double lockouts(String kind) {
        var c = registry.find("madoguchi_abuse_lockouts").tag("kind", kind).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void guessesInFlightTogetherAreEvaluatedOnlyUpToTheLimit() {
        cards.add(1, "6100000000");
        Verification v = verification(1_000_000, 10, 1_000_000);
        List<Future<Verification.Outcome>> guesses = new ArrayList<>();
        for (int i = 0; i < 365; i++) {
            guesses.add(v.byWeb("192.0.2." + (i % 200), "6100000000", BORN.plusDays(1 + i)));
        }
        // every guess was sent before any lookup answered: only ten reached the card store
        assertEquals(10, cards.lookups());
        long refused = guesses.stream().filter(f -> f.isComplete() && f.result() instanceof Verification.Locked).count();
        assertEquals(355, refused);
        assertEquals(355, lockouts("verify_notice"));
        cards.answerAll();
        assertEquals(10, guesses.stream().filter(f -> f.result() instanceof Verification.Failed).count());
        // and the notice number stays locked, even for the right date
        Verification.Outcome right = v.byWeb("198.51.100.1", "6100000000", BORN).result();
        assertInstanceOf(Verification.Locked.class, right);
        assertEquals(Instant.parse("2026-12-01T01:00:00Z"), ((Verification.Locked) right).until());
    }

    @Test
    void theRightDateAndAnUnansweredLookupDoNotCountAsFailures() {
        cards.add(1, "6100000001");
        Verification v = verification(1_000_000, 2, 1_000_000);
        Future<Verification.Outcome> right = v.byWeb("192.0.2.1", "6100000001", BORN);
        Future<Verification.Outcome> wrong = v.byWeb("192.0.2.1", "6100000001", BORN.plusDays(1));
        // two in flight use up the limit of two for now
        assertInstanceOf(Verification.Locked.class, v.byWeb("192.0.2.1", "6100000001", BORN.plusDays(2)).result());
        cards.answerAll();
        assertInstanceOf(Verification.Verified.class, right.result());
        assertInstanceOf(Verification.Failed.class, wrong.result());
        // the right date gave its count back: one more try is allowed; a lookup that failed gives it back too
        Future<Verification.Outcome> unanswered = v.byWeb("192.0.2.1", "6100000001", BORN.plusDays(3));
        assertEquals(3, cards.lookups());
        cards.failAll();
        assertTrue(unanswered.failed());
        cards.hold = false;
        assertInstanceOf(Verification.Failed.class, v.byWeb("192.0.2.1", "6100000001", BORN.plusDays(4)).result());
        assertInstanceOf(Verification.Locked.class, v.byWeb("192.0.2.1", "6100000001", BORN).result());
    }

    @Test
    void phoneGuessesAreCountedBeforeTheLookupTooAndTheTenthFailureLocksAtOnce() {
        cards.add(1, "6100000002");
        Verification v = verification(1_000_000, 10, 1_000_000);
        List<Future<Verification.Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(v.byPhone("+8190" + String.format("%08d", i), "6100000002", BORN.plusDays(1 + i)));
        }
        assertEquals(10, cards.lookups());
        cards.answerAll();
        List<Verification.Failed> failed = calls.stream().map(Future::result).filter(o -> o instanceof Verification.Failed)
                .map(o -> (Verification.Failed) o).toList();
        assertEquals(10, failed.size());
        // each caller is told "locked" as soon as the failure that used up the notice number's count is known
        assertTrue(failed.stream().allMatch(f -> f.locked() != null), failed.toString());
        assertEquals(20, lockouts("verify_notice"));
    }

    @Test
    void failuresAcrossTheServicePutTheBrakeOnForEverySourceUntilTheyFallBelowTheBudget() {
        cards.hold = false;
        cards.add(1, "6200000000");
        Verification v = verification(29, 10, 50);
        // 40 addresses, each guessing one date for one notice number after another (the attack seen:
        // 40 x 29 within seconds): no per-address or per-notice limit is ever reached
        int evaluated = 0;
        List<Verification.Locked> braked = new ArrayList<>();
        for (int i = 0; i < 29; i++) {
            for (int a = 0; a < 40; a++) {
                Verification.Outcome o = v.byWeb("127.0.0." + (a + 1), String.valueOf(6_300_000_000L + i * 40 + a), BORN).result();
                if (o instanceof Verification.Failed) {
                    evaluated++;
                } else {
                    braked.add((Verification.Locked) o);
                }
            }
        }
        // the budget of 50, then one paced try per address: the other 1,070 guesses are refused
        assertEquals(50 + 40, evaluated);
        assertEquals(29 * 40 - 90, braked.size());
        assertTrue(braked.stream().allMatch(l -> l.kind().equals("verify_service")
                && l.until().equals(Instant.parse("2026-12-01T00:00:30Z"))), braked.get(0).toString());
        assertEquals(1070, lockouts("verify_service"));
        // every source gets one try per pause: the honest owner, on another address, is not shut out
        assertInstanceOf(Verification.Verified.class, v.byWeb("198.51.100.7", "6200000000", BORN).result());
        assertInstanceOf(Verification.Locked.class, v.byWeb("198.51.100.7", "6200000000", BORN).result());
        // the phone is braked too, and its failures counted the same
        assertInstanceOf(Verification.Failed.class, v.byPhone("+819012345678", "6300999999", BORN).result());
        Verification.Outcome again = v.byPhone("+819012345678", "6300999998", BORN).result();
        assertEquals("verify_service", ((Verification.Locked) again).kind());
        clock.advance(Duration.ofSeconds(30));
        assertInstanceOf(Verification.Verified.class, v.byWeb("198.51.100.7", "6200000000", BORN).result());
        // ten minutes after the failures, the brake is off by itself
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(Verification.Verified.class, v.byWeb("198.51.100.7", "6200000000", BORN).result());
        }
    }

    @Test
    void failedPhoneVerificationsAloneCanPutTheBrakeOn() {
        cards.hold = false;
        Verification v = verification(1_000_000, 10, 10);
        for (int i = 0; i < 10; i++) {
            assertInstanceOf(Verification.Failed.class, v.byPhone("+8190000000" + i, "64000000" + i + "0", BORN).result());
        }
        Verification.Outcome web = v.byWeb("192.0.2.1", "6400000099", BORN).result();
        assertInstanceOf(Verification.Failed.class, web, "the first try of a source while the brake is on");
        Verification.Outcome second = v.byWeb("192.0.2.1", "6400000098", BORN).result();
        assertEquals("verify_service", ((Verification.Locked) second).kind());
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64AndMappedIpv4AsIpv4() {
        assertEquals("address:192.0.2.1", AddressKey.of("192.0.2.1"));
        assertEquals("address:192.0.2.1", AddressKey.of("::ffff:192.0.2.1"));
        assertEquals("address:2001:db8:1:2::/64", AddressKey.of("2001:db8:1:2::1"));
        assertEquals(AddressKey.of("2001:db8:1:2::1"), AddressKey.of("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"));
        assertEquals(AddressKey.of("fe80::1%eth0"), AddressKey.of("fe80::2"));
        assertFalse(AddressKey.of("2001:db8:1:2::1").equals(AddressKey.of("2001:db8:1:3::1")));
        assertEquals("address:0:0:0:0::/64", AddressKey.of("::1"));
        // a whole /64 shares one per-address budget
        cards.hold = false;
        Verification v = verification(3, 10, 1_000_000);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Verification.Failed.class, v.byWeb("2001:db8:1:2::" + (i + 1), "65000000" + i + "0", BORN).result());
        }
        assertEquals("verify_address", ((Verification.Locked) v.byWeb("2001:db8:1:2::99", "6500000099", BORN).result()).kind());
        assertInstanceOf(Verification.Failed.class, v.byWeb("2001:db8:1:3::1", "6500000099", BORN).result());
        assertNull(new AttemptLimiter(1, Duration.ofMinutes(1), clock).tryAcquire(AddressKey.of("::ffff:10.0.0.1")).result());
    }
}
