package madoguchi.app.staff;

import madoguchi.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Console sign-in limits: a stranger's failures slow the stranger (their name-and-address pair,
 * their address) and never the real user on another address; passwords hashed at once are
 * bounded, and one more is refused at once.
 */
class SignInLimitsTest {
    private static final Instant START = Instant.parse("2026-03-02T01:00:00Z");
    private final MutableClock clock = new MutableClock(START);

    @Test
    void aStrangersFailuresSlowTheirOwnAddressWithGrowingWaitsAndNeverTheOwnersAddress() {
        SignInLimits limits = new SignInLimits(clock);
        for (int i = 0; i < SignInLimits.FREE_FAILURES; i++) {
            SignInLimits.Attempt a = limits.begin("admin", "203.0.113.9").result();
            assertNull(a.refusedUntil());
            a.failed();
        }
        // then 1 s, 2 s, 4 s … from the last failure
        SignInLimits.Attempt waiting = limits.begin("admin", "203.0.113.9").result();
        assertEquals(START.plusSeconds(1), waiting.refusedUntil());
        assertFalse(waiting.busy());
        for (long wait : new long[]{1, 2, 4, 8}) {
            clock.advance(Duration.ofSeconds(wait));
            SignInLimits.Attempt a = limits.begin("admin", "203.0.113.9").result();
            assertNull(a.refusedUntil(), "after " + wait + " s");
            a.failed();
            assertEquals(clock.instant().plusSeconds(wait * 2), limits.begin("admin", "203.0.113.9").result().refusedUntil());
        }
        // the real administrator, from the office's address, is not slowed at all
        SignInLimits.Attempt owner = limits.begin("admin", "198.51.100.20").result();
        assertNull(owner.refusedUntil());
        owner.succeeded();
        // the waits stop growing at 15 minutes
        for (int i = 0; i < 30; i++) {
            clock.advance(SignInLimits.LONGEST_WAIT);
            SignInLimits.Attempt a = limits.begin("admin", "203.0.113.9").result();
            if (a.refusedUntil() == null) {
                a.failed();
            }
        }
        clock.advance(SignInLimits.LONGEST_WAIT);
        SignInLimits.Attempt late = limits.begin("admin", "203.0.113.9").result();
        assertNull(late.refusedUntil(), "15 minutes after the last failure there is always one more try");
        late.failed();
    }

    @Test
    void oneAddressMayFailOnlySoOftenWhateverTheNamesAndASuccessIsNotCounted() {
        SignInLimits limits = new SignInLimits(clock);
        SignInLimits.Attempt ok = limits.begin("op1", "2001:db8:5:6::1").result();
        ok.succeeded();
        for (int i = 0; i < SignInLimits.FAILURES_PER_ADDRESS; i++) {
            SignInLimits.Attempt a = limits.begin("name" + i, "2001:db8:5:6::" + (i + 2)).result();
            assertNull(a.refusedUntil(), "failure " + i);
            a.failed();
        }
        // the same /64, another name: refused until the window is over
        SignInLimits.Attempt refused = limits.begin("op1", "2001:db8:5:6::ffff").result();
        assertEquals(START.plus(SignInLimits.ADDRESS_WINDOW), refused.refusedUntil());
        assertNull(limits.begin("op1", "2001:db8:5:7::1").result().refusedUntil(), "another /64 is another address");
    }

    @Test
    void passwordsHashedAtOnceAreBoundedAndOneMoreIsRefusedAtOnce() {
        SignInLimits limits = new SignInLimits(clock);
        List<SignInLimits.Attempt> hashing = new ArrayList<>();
        for (int i = 0; i < SignInLimits.HASHING; i++) {
            SignInLimits.Attempt a = limits.begin("user" + i, "192.0.2." + i).result();
            assertNull(a.refusedUntil());
            hashing.add(a);
        }
        SignInLimits.Attempt extra = limits.begin("someone", "192.0.2.99").result();
        assertTrue(extra.busy());
        assertEquals(START.plusSeconds(1), extra.refusedUntil());
        // refused for being busy: not counted against that name and address
        hashing.get(0).failed();
        for (int i = 0; i < SignInLimits.FREE_FAILURES; i++) {
            SignInLimits.Attempt a = limits.begin("someone", "192.0.2.99").result();
            assertNull(a.refusedUntil(), "free failure " + i);
            a.failed();
        }
        // a check that could not be made (the database down) counts nothing and frees its place
        hashing.get(1).abandoned();
        hashing.get(1).abandoned();
        SignInLimits.Attempt again = limits.begin("user1", "192.0.2.1").result();
        assertNull(again.refusedUntil());
        SignInLimits.Attempt other = limits.begin("user9", "192.0.2.9").result();
        assertNull(other.refusedUntil());
        assertNotNull(limits.begin("user8", "192.0.2.8").result().refusedUntil(), "two are being hashed again");
    }

    @Test
    void triesSentTogetherAreCountedBeforeTheirPasswordsAreHashed() {
        SignInLimits limits = new SignInLimits(clock, 100);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            if (limits.begin("admin", "203.0.113.9").result().refusedUntil() == null) {
                admitted++;
            }
        }
        assertEquals(SignInLimits.FREE_FAILURES, admitted, "40 at once: only the free failures are checked");
    }
}
