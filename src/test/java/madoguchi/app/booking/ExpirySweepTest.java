package madoguchi.app.booking;

import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static madoguchi.app.booking.ShardFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The expiry sweep never dies on one bad entry: a hold whose end cannot be written (here the
 * journal throws, as a bug in marshalling would) is logged and counted on
 * {@code madoguchi_allocator_sweep_errors_total}; the other holds due in the same sweep end, the
 * queue depth returns to 0, and the next sweep tries the bad one again.
 */
class ExpirySweepTest {
    private final ShardFixture site = new ShardFixture(4);

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void oneHoldThatCannotBeEndedDoesNotStopTheSweep() {
        List<UUID> holds = new ArrayList<>();
        for (long card = 1; card <= 5; card++) {
            Settled s = await(site.desk.hold(new CardRef(card, ShardFixture.SITE), 1 + card % 4, Channel.WEB, null));
            holds.add(((Decision.HoldTaken) s.decision()).hold().id());
        }
        site.journal.broken = holds.get(2);
        site.clock.advance(Duration.ofMinutes(30));

        assertEquals(5, await(site.allocator.expireDueHolds()), "every due hold was tried");
        assertEquals(0, site.allocator.queued(), "queue depth back to 0");
        assertEquals(1.0, site.counter("madoguchi.allocator.sweep.errors"));
        assertEquals(4.0, site.counter("madoguchi.holds.expired"), "the four others ended");
        assertEquals(1, heldInMemory(), "the bad one is still held, in memory as in the journal");
        assertEquals(1, heldDurably());

        // the bug fixed (or the database back): the next sweep ends it
        site.journal.broken = null;
        assertEquals(1, await(site.allocator.expireDueHolds()));
        assertEquals(0, heldInMemory());
        assertEquals(0, heldDurably());
        assertEquals(0, site.allocator.queued());
        assertTrue(await(site.desk.hold(new CardRef(9, ShardFixture.SITE), 1, Channel.WEB, null)).ok(), "the shard goes on");
    }

    private int heldInMemory() {
        int held = 0;
        for (long id = 1; id <= 4; id++) {
            held += site.allocator.slot(id).held();
        }
        return held;
    }

    private int heldDurably() {
        int held = 0;
        for (long id = 1; id <= 4; id++) {
            held += site.seats.slot(id).held();
        }
        return held;
    }
}
