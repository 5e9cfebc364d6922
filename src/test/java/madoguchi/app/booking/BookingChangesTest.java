package madoguchi.app.booking;

import madoguchi.app.fakes.OneSite;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;

import static madoguchi.app.fakes.OneSite.FIRST_SLOT;
import static madoguchi.app.fakes.OneSite.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-card change limit, one rule for the web and the phone (SMS and reminder calls cancel through it too). */
class BookingChangesTest {
    private final OneSite site = new OneSite(3);

    @AfterEach
    void close() {
        site.close();
    }

    @ParameterizedTest
    @EnumSource(value = Channel.class, names = {"WEB", "PHONE"})
    void aCardPastItsChangesIsRefusedUntilTheWindowEndsButMayStillCancel(Channel channel) {
        CardRef card = site.card(1);
        BookingChanges changes = site.changes;
        Settled booked = await(changes.book(card, FIRST_SLOT, channel, null));
        String code = ((Decision.BookingMade) booked.decision()).booking().code();
        // a refusal is not a change: it is not counted
        assertEquals(Refusal.ALREADY_BOOKED, await(changes.book(card, FIRST_SLOT + 1, channel, null)).refusal());
        assertTrue(await(changes.reschedule(card, code, FIRST_SLOT + 1, channel, null)).ok());
        assertTrue(await(changes.reschedule(card, code, FIRST_SLOT + 2, channel, null)).ok(), "the third change");

        Instant until = OneSite.NOW.plus(Duration.ofDays(1));
        for (Settled refused : new Settled[] {
                await(changes.reschedule(card, code, FIRST_SLOT + 3, channel, null)),
                await(changes.hold(card, FIRST_SLOT + 3, channel, null))}) {
            assertEquals(Refusal.TOO_MANY_CHANGES, refused.refusal());
            assertEquals(until, refused.until(), "a day after the first change, the same for every channel");
        }
        assertEquals(1, site.allocator.slot(FIRST_SLOT + 2).booked(), "the booking stayed where it was");
        assertEquals(0, site.allocator.slot(FIRST_SLOT + 3).booked() + site.allocator.slot(FIRST_SLOT + 3).held());

        assertTrue(await(changes.cancel(card, code, "by the resident")).ok(), "cancelling gives a seat back: never refused");
        assertEquals(Refusal.TOO_MANY_CHANGES, await(changes.book(card, FIRST_SLOT, channel, null)).refusal());
        assertEquals(until, changes.limitedUntil(card).result());

        site.clock.set(until);
        assertNull(changes.limitedUntil(card).result(), "a new day, new changes");
        assertTrue(await(changes.book(card, FIRST_SLOT, channel, null)).ok());
    }

    @Test
    void confirmingOrReleasingAHoldFinishesAChangeAlreadyCounted() {
        CardRef card = site.card(2);
        BookingChanges changes = site.changes;
        Settled held = await(changes.hold(card, FIRST_SLOT, Channel.WEB, null));
        await(changes.release(card, ((Decision.HoldTaken) held.decision()).hold().id()));
        Settled again = await(changes.hold(card, FIRST_SLOT, Channel.WEB, null));
        assertTrue(await(changes.confirm(card, ((Decision.HoldTaken) again.decision()).hold().id(), "resident", null)).ok());
        // two holds counted; release and confirm were not: one change left
        assertNull(changes.limitedUntil(card).result());
        String code = await(site.seats.ofCard(2)).get(0).code();
        assertTrue(await(changes.reschedule(card, code, FIRST_SLOT + 1, Channel.WEB, null)).ok());
        assertEquals(Refusal.TOO_MANY_CHANGES, await(changes.reschedule(card, code, FIRST_SLOT + 2, Channel.WEB, null)).refusal());
    }

    @Test
    void seatsReadOutOnThePhoneAreNotChangesUntilTheCallerTakesOne() {
        CardRef card = site.card(3);
        BookingChanges changes = site.changes;
        Settled last = null;
        for (int i = 0; i < 4; i++) {
            // "next": each seat read out is held in turn, and given back when the next one is
            last = await(changes.holdToOffer(card, FIRST_SLOT + i, Channel.PHONE));
            assertTrue(last.ok(), "offer " + i);
        }
        assertNull(changes.limitedUntil(card).result(), "listening to four seats is not four changes");
        assertTrue(await(changes.confirmOffered(card, ((Decision.HoldTaken) last.decision()).hold().id(), "phone")).ok());
        String code = await(site.seats.ofCard(3)).get(0).code();
        assertTrue(await(changes.reschedule(card, code, FIRST_SLOT, Channel.PHONE, null)).ok());
        assertTrue(await(changes.reschedule(card, code, FIRST_SLOT + 1, Channel.PHONE, null)).ok(), "the third change");
        assertEquals(Refusal.TOO_MANY_CHANGES, await(changes.holdToOffer(card, FIRST_SLOT + 2, Channel.PHONE)).refusal());
    }
}
