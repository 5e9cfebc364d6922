package madoguchi.app.staff;

import madoguchi.app.AuditEntry;
import madoguchi.app.booking.CardRef;
import madoguchi.app.booking.Settled;
import madoguchi.app.fakes.OneSite;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static madoguchi.app.fakes.OneSite.FIRST_SLOT;
import static madoguchi.app.fakes.OneSite.await;
import static madoguchi.app.fakes.OneSite.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A staff change and its audit row: one transaction, or nothing; one failure for every action. */
class StaffActionsTest {
    private static final Principal OPERATOR = new Principal("sato", Principal.Role.OPERATOR);
    private final OneSite site = new OneSite(1);

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void aBookingAndItsAuditRowAreCommittedInTheSameBatch() {
        site.card(1);
        Settled booked = await(site.staff.book(OPERATOR, "700000001", FIRST_SLOT, false, null, null));
        String code = ((Decision.BookingMade) booked.decision()).booking().code();
        AuditEntry row = site.seats.audits.get(0);
        assertEquals("sato", row.actor());
        assertEquals("operator", row.role());
        assertEquals("booking.create", row.action());
        assertEquals("booking:" + code, row.target());
        assertEquals(FIRST_SLOT, row.after().getLong("slotId"));
        assertTrue(site.seats.committed.stream().anyMatch(batch -> batch.stream()
                .anyMatch(e -> e.decision() == booked.decision() && e.audit() == row)), "one journal entry holds both");

        await(site.staff.move(OPERATOR, code, FIRST_SLOT + 1, false, null, null));
        await(site.staff.cancel(OPERATOR, code, "asked by phone"));
        assertEquals(java.util.List.of("booking.create", "booking.move", "booking.cancel"),
                site.seats.audits.stream().map(AuditEntry::action).toList());
        assertEquals(FIRST_SLOT, site.seats.audits.get(1).before().getLong("slotId"), "the move keeps where it was");
        assertEquals("asked by phone", site.seats.audits.get(2).reason());
    }

    @Test
    void whenTheAuditRowCannotBeWrittenNothingChangesAndEveryActionFailsTheSameWay() {
        site.card(1);
        Settled booked = await(site.staff.book(OPERATOR, "700000001", FIRST_SLOT, false, null, null));
        String code = ((Decision.BookingMade) booked.decision()).booking().code();
        site.seats.breakAudit = true;
        site.blocks.broken = true;
        site.card(2);

        assertInstanceOf(NotRecorded.class, failure(site.staff.book(OPERATOR, "700000002", FIRST_SLOT + 2, false, null, null)));
        assertInstanceOf(NotRecorded.class, failure(site.staff.move(OPERATOR, code, FIRST_SLOT + 1, false, null, null)));
        assertInstanceOf(NotRecorded.class, failure(site.staff.cancel(OPERATOR, code, null)));
        assertInstanceOf(NotRecorded.class, failure(site.staff.block(OPERATOR, FIRST_SLOT + 3, true, "broken printer")));

        assertEquals(1, site.allocator.slot(FIRST_SLOT).booked(), "the booking is still where it was");
        assertEquals(0, site.allocator.slot(FIRST_SLOT + 1).booked());
        assertEquals(0, site.allocator.slot(FIRST_SLOT + 2).booked(), "no booking made");
        assertEquals("active", await(site.seats.byCode(code)).orElseThrow().status());
        assertNull(site.blocks.blocked.get(FIRST_SLOT + 3));
        assertEquals(1, site.seats.audits.size(), "only the first booking's row");

        site.seats.breakAudit = false;
        assertTrue(await(site.staff.move(OPERATOR, code, FIRST_SLOT + 1, false, null, null)).ok(), "tried again, it is made");
    }

    @Test
    void operatorsAreTheNextStepOfAResidentWhoseChangesAreUsedUp() {
        CardRef card = site.card(3);
        String code = ((Decision.BookingMade) await(site.changes.book(card, FIRST_SLOT, Channel.WEB, null)).decision())
                .booking().code();
        assertEquals(Refusal.TOO_MANY_CHANGES, await(site.changes.reschedule(card, code, FIRST_SLOT + 1, Channel.WEB, null)).refusal());
        assertTrue(await(site.staff.move(OPERATOR, code, FIRST_SLOT + 1, false, null, null)).ok());
    }

    @Test
    void anUnknownCardOrCodeIsNotFoundAndWritesNothing() {
        assertEquals(Refusal.NOT_FOUND, await(site.staff.book(OPERATOR, "799999999", FIRST_SLOT, false, null, null)).refusal());
        assertEquals(Refusal.NOT_FOUND, await(site.staff.cancel(OPERATOR, "1234567890", null)).refusal());
        assertFalse(await(site.staff.block(OPERATOR, 99, true, "no such slot")));
        assertTrue(site.seats.audits.isEmpty() && site.blocks.audits.isEmpty());
    }
}
