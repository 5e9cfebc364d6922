package madoguchi.app.booking;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Hold;
import madoguchi.domain.Refusal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one idempotency component: a key's first request is decided once, its duplicates in flight
 * wait for it, a retry gets the decision kept (as data), another request under the key is refused.
 */
class IdempotentRequestsTest {
    private static final Idempotency FIRST = new Idempotency("card:7", "k1", "POST /bookings {slot 3}");
    private static final Idempotency SAME = new Idempotency("card:7", "k1", "POST /bookings {slot 3}");
    private static final Idempotency OTHER = new Idempotency("card:7", "k1", "POST /bookings {slot 4}");
    private static final Decision MADE = new Decision.BookingMade(
            new ActiveBooking(41, "2921435255", 7, 3, Channel.WEB, false, null, "resident"));

    /** idempotency_keys as the journal leaves it: the first request's digest and decision per key. */
    private static final class Keys implements KeptDecisions {
        final Map<String, Map.Entry<String, KeptDecision>> rows = new HashMap<>();
        int lookups;

        @Override
        public Future<Optional<Replay>> replayOf(Idempotency key) {
            lookups++;
            var row = rows.get(key.id());
            return Future.succeededFuture(Optional.ofNullable(row).map(r -> key.replayOf(r.getKey(), r.getValue())));
        }

        void keep(Idempotency key, Decision d) {
            rows.put(key.id(), Map.entry(key.requestHash(), KeptDecision.of(d)));
        }
    }

    private final Keys keys = new Keys();
    private final IdempotentRequests requests = new IdempotentRequests(keys);
    private final AtomicInteger decided = new AtomicInteger();

    private Future<Settled> decides(Future<Settled> answer) {
        decided.incrementAndGet();
        return answer;
    }

    @Test
    void aDuplicateInFlightWaitsForTheFirstAndIsNotDecidedAgain() {
        Promise<Settled> committing = Promise.promise();
        Future<Settled> first = requests.once(FIRST, k -> decides(committing.future()));
        Future<Settled> duplicate = requests.once(SAME, k -> decides(Future.succeededFuture(Settled.refused(Refusal.SLOT_FULL))));
        assertEquals(1, decided.get());
        committing.complete(Settled.done(MADE));
        assertSame(MADE, first.result().decision());
        assertSame(MADE, duplicate.result().decision());
    }

    @Test
    void anotherRequestUnderAKeyInFlightIsDecidedAloneNotGivenTheFirstsDecision() {
        Promise<Settled> committing = Promise.promise();
        requests.once(FIRST, k -> decides(committing.future()));
        Future<Settled> other = requests.once(OTHER, k -> decides(Future.succeededFuture(Settled.refused(Refusal.ALREADY_BOOKED))));
        assertEquals(2, decided.get());
        assertEquals(Refusal.ALREADY_BOOKED, other.result().refusal());
    }

    @Test
    void aRetryGetsTheDecisionKeptAsDataAndAnotherRequestIsToldTheKeyWasReused() {
        requests.once(FIRST, k -> decides(Future.succeededFuture(Settled.done(MADE))));
        keys.keep(FIRST, MADE); // the journal kept it in the booking's commit
        Settled retry = requests.once(SAME, k -> decides(Future.failedFuture("decided twice"))).result();
        Settled other = requests.once(OTHER, k -> decides(Future.failedFuture("decided twice"))).result();
        assertEquals(1, decided.get());
        assertNull(retry.decision());
        assertEquals(KeptDecision.booking(41, "2921435255", 3, "web", false), retry.replay().decision());
        assertTrue(other.replay().keyWasReused());
    }

    @Test
    void anotherInstanceOrARestartFindsTheDecisionInTheStore() {
        keys.keep(FIRST, MADE);
        IdempotentRequests restarted = new IdempotentRequests(keys);
        Settled retry = restarted.once(SAME, k -> decides(Future.failedFuture("decided twice"))).result();
        assertEquals(KeptDecision.of(MADE), retry.replay().decision());
        assertTrue(restarted.once(OTHER, k -> decides(Future.failedFuture("decided twice"))).result().replay().keyWasReused());
        assertEquals(0, decided.get());
        assertEquals(2, keys.lookups);
    }

    @Test
    void aRefusalIsNotKeptSoTheRequestSentAgainIsDecidedAgain() {
        requests.once(FIRST, k -> decides(Future.succeededFuture(Settled.refused(Refusal.BUSY))));
        Settled again = requests.once(SAME, k -> decides(Future.succeededFuture(Settled.done(MADE)))).result();
        assertEquals(2, decided.get());
        assertSame(MADE, again.decision());
    }

    @Test
    void withoutAKeyEveryRequestIsDecided() {
        requests.once(null, k -> decides(Future.succeededFuture(Settled.done(MADE))));
        requests.once(null, k -> decides(Future.succeededFuture(Settled.done(MADE))));
        assertEquals(2, decided.get());
        assertEquals(0, keys.lookups);
    }

    @Test
    void whatIsKeptOfEachDecisionIsTheHoldOrTheBookingAsItNowStands() {
        Hold hold = new Hold(UUID.fromString("00000000-0000-0000-0000-000000000001"), 7, 3, Channel.WEB,
                Instant.parse("2026-12-01T00:10:00Z"));
        assertEquals(KeptDecision.hold(hold.id(), 3, hold.expiresAt()), KeptDecision.of(new Decision.HoldTaken(hold, null)));
        ActiveBooking from = new ActiveBooking(41, "2921435255", 7, 3, Channel.WEB, false, null, "resident");
        ActiveBooking to = new ActiveBooking(41, "2921435255", 7, 5, Channel.OPERATOR, true, "elderly", "op");
        assertEquals(KeptDecision.booking(41, "2921435255", 5, "operator", true),
                KeptDecision.of(new Decision.BookingMoved(from, to)));
    }
}
