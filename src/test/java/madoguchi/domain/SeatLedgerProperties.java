package madoguchi.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random interleavings of every ledger operation, each decision then made durable or undone at
 * random, with capacity cuts arriving from the database: no decision ever takes a seat beyond
 * its channel's limit, and the counts always equal the holds and bookings the ledger holds.
 */
class SeatLedgerProperties {
    private static final Instant START = Instant.parse("2026-12-03T01:00:00Z");
    private static final int SLOTS = 3;
    private static final int CARDS = 8;

    enum Kind { HOLD, CONFIRM, RELEASE, EXPIRE, BOOK, OVERRIDE, CANCEL, RESCHEDULE, CUT }

    record Step(Kind kind, int card, int slot, Channel channel, int number, boolean durable) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(1, CARDS),
                Arbitraries.integers().between(1, SLOTS), Arbitraries.of(Channel.class), Arbitraries.integers().between(0, 4),
                Arbitraries.of(true, true, true, false)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 400)
    void noDecisionOverbooksAndCountsMatchTheLedger(@ForAll("steps") List<Step> steps) {
        SeatLedger ledger = new SeatLedger();
        long[] version = new long[SLOTS + 1];
        for (int s = 1; s <= SLOTS; s++) {
            version[s] = 1;
            ledger.load(new SlotSnapshot(s, "x", START, START.plusSeconds(900), new SlotLimits(3, 1, 2, false), 0, 0, 0, 1));
        }
        long ids = 1000;
        Instant now = START.minusSeconds(86_400);
        List<UUID> holdsOf = new ArrayList<>();
        for (Step step : steps) {
            Verdict v;
            switch (step.kind()) {
                case HOLD:
                    UUID id = UUID.randomUUID();
                    holdsOf.add(id);
                    v = ledger.hold(new Hold(id, step.card(), step.slot(), step.channel(), now.plusSeconds(120)));
                    break;
                case CONFIRM:
                    v = holdsOf.isEmpty() ? Refusal.NOT_FOUND
                            : ledger.confirm(holdsOf.get(step.number() % holdsOf.size()), step.card(), ids, BookingCode.legacy().of(ids++), "t", now);
                    break;
                case RELEASE:
                    v = holdsOf.isEmpty() ? Refusal.NOT_FOUND : ledger.release(holdsOf.get(step.number() % holdsOf.size()), step.card());
                    break;
                case EXPIRE:
                    now = now.plusSeconds(60);
                    List<Hold> due = ledger.dueHolds(now);
                    v = due.isEmpty() ? Refusal.NOT_FOUND : ledger.expire(due.get(0).id());
                    break;
                case BOOK:
                case OVERRIDE:
                    v = ledger.book(new ActiveBooking(ids, BookingCode.legacy().of(ids++), step.card(), step.slot(),
                            step.kind() == Kind.OVERRIDE ? Channel.OPERATOR : step.channel(), step.kind() == Kind.OVERRIDE, "r", "t"));
                    break;
                case CANCEL:
                    ActiveBooking b = ledger.bookingOf(step.card());
                    v = b == null ? Refusal.NOT_FOUND : ledger.cancel(step.card(), b.code(), "r");
                    break;
                case RESCHEDULE:
                    ActiveBooking r = ledger.bookingOf(step.card());
                    v = r == null ? Refusal.NOT_FOUND : ledger.reschedule(step.card(), r.code(), step.slot(), step.channel(), false, null);
                    break;
                default:
                    // the database lowered (or raised) capacity; memory adopts the newer row
                    SlotSeats seats = ledger.slot(step.slot());
                    if (seats.hasPending()) {
                        continue;
                    }
                    int capacity = Math.max(step.number(), seats.booked() + seats.held());
                    ledger.load(new SlotSnapshot(step.slot(), "x", START, START.plusSeconds(900),
                            new SlotLimits(capacity, Math.min(1, capacity), Math.min(2, capacity), false),
                            seats.booked(), seats.held(), seats.override(), ++version[step.slot()]));
                    continue;
            }
            if (v instanceof Decision) {
                Decision d = (Decision) v;
                for (SeatChange c : d.changes()) {
                    if (c.needsRoom()) {
                        SlotSeats seats = ledger.slot(c.slotId());
                        assertTrue(seats.taken() <= seats.limits().limit(c.channel()),
                                "a take beyond the " + c.channel() + " limit: " + d);
                    }
                }
                if (step.durable()) {
                    // the rows the commit returns: each slot's counts with the decision in them
                    java.util.Map<Long, SlotSnapshot> rows = new java.util.LinkedHashMap<>();
                    for (SeatChange c : d.changes()) {
                        SlotSeats seats = ledger.slot(c.slotId());
                        rows.put(c.slotId(), new SlotSnapshot(c.slotId(), "x", START, START.plusSeconds(900), seats.limits(),
                                seats.booked(), seats.held(), seats.override(), ++version[(int) c.slotId()]));
                    }
                    ledger.settle(java.util.List.of(d), rows.values());
                } else {
                    ledger.undo(d);
                }
            }
            for (int s = 1; s <= SLOTS; s++) {
                final int slot = s;
                SlotSeats seats = ledger.slot(s);
                assertEquals(ledger.holds().stream().filter(h -> h.slotId() == slot).count(), seats.held(), "held in slot " + s);
                assertEquals(ledger.bookings().stream().filter(b -> b.slotId() == slot && !b.override()).count(), seats.booked(), "booked in slot " + s);
                assertEquals(ledger.bookings().stream().filter(b -> b.slotId() == slot && b.override()).count(), seats.override(), "overrides in slot " + s);
                assertTrue(!seats.hasPending(), "everything settled or undone");
            }
        }
    }
}
