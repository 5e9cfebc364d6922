package madoguchi.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.AuditEntry;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.KeptDecision;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.SeatChange;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A batch turned into column arrays, one set per statement, remembering which entry each row came
 * from (so that the refusal diagnosis can say which entry a missing row stands for).
 */
final class BatchColumns {
    final Map<Integer, UUID> endedHold = new HashMap<>();
    final Map<Integer, UUID> replacedHold = new HashMap<>();
    final Map<Integer, Long> endedBooking = new HashMap<>();
    final Map<Integer, Long> newBooking = new HashMap<>();
    final Map<Integer, UUID> newHold = new HashMap<>();
    final Map<Integer, String> key = new HashMap<>();
    final List<Long> slotIds = new ArrayList<>();

    private final List<UUID> holdEndIds = new ArrayList<>();
    private final List<String> holdEndStatus = new ArrayList<>();
    private final List<Long> cancelIds = new ArrayList<>();
    private final List<String> cancelReasons = new ArrayList<>();
    private final List<Long> cancelSlots = new ArrayList<>();
    private final List<Boolean> cancelOverrides = new ArrayList<>();
    private final List<Boolean> moveWasOverride = new ArrayList<>();
    private final List<Long> moveIds = new ArrayList<>();
    private final List<Long> moveFrom = new ArrayList<>();
    private final List<Long> moveTo = new ArrayList<>();
    private final List<Boolean> moveOverride = new ArrayList<>();
    private final List<String> moveReason = new ArrayList<>();
    private final List<ActiveBooking> inserts = new ArrayList<>();
    private final List<UUID> holdIds = new ArrayList<>();
    private final List<Long> holdCards = new ArrayList<>();
    private final List<Long> holdSlots = new ArrayList<>();
    private final List<String> holdChannels = new ArrayList<>();
    private final List<OffsetDateTime> holdExpiries = new ArrayList<>();
    private final List<Boolean> holdForMove = new ArrayList<>();
    private final List<Object[]> events = new ArrayList<>();
    private final List<JournalEntry> keyed = new ArrayList<>();
    private final List<AuditEntry> audits = new ArrayList<>();
    private final Map<Long, SlotNeeds> needs = new LinkedHashMap<>();

    BatchColumns(List<JournalEntry> batch) {
        for (int i = 0; i < batch.size(); i++) {
            JournalEntry entry = batch.get(i);
            Decision d = entry.decision();
            if (d instanceof Decision.HoldTaken) {
                Decision.HoldTaken t = (Decision.HoldTaken) d;
                if (t.replaced() != null) {
                    replacedHold.put(i, t.replaced().id());
                    endHold(-1, t.replaced().id(), "released");
                }
                newHold.put(i, t.hold().id());
                holdIds.add(t.hold().id());
                holdCards.add(t.hold().cardId());
                holdSlots.add(t.hold().slotId());
                holdChannels.add(t.hold().channel().wire());
                holdExpiries.add(Rows.time(t.hold().expiresAt()));
                holdForMove.add(t.forMove());
            } else if (d instanceof Decision.HoldReleased) {
                Decision.HoldReleased r = (Decision.HoldReleased) d;
                endHold(i, r.hold().id(), r.end().status());
            } else if (d instanceof Decision.HoldConfirmed) {
                Decision.HoldConfirmed c = (Decision.HoldConfirmed) d;
                endHold(i, c.hold().id(), "confirmed");
                insert(i, c.booking());
            } else if (d instanceof Decision.BookingMade) {
                ActiveBooking b = ((Decision.BookingMade) d).booking();
                insert(i, b);
                if (b.override()) {
                    events.add(new Object[] {b.id(), "override", null, b.slotId(), b.bookedBy(), b.reason()});
                }
            } else if (d instanceof Decision.BookingCancelled) {
                Decision.BookingCancelled c = (Decision.BookingCancelled) d;
                endedBooking.put(i, c.booking().id());
                cancelIds.add(c.booking().id());
                cancelReasons.add(c.reason());
                cancelSlots.add(c.booking().slotId());
                cancelOverrides.add(c.booking().override());
                events.add(new Object[] {c.booking().id(), "cancelled", c.booking().slotId(), null, null, c.reason()});
            } else if (d instanceof Decision.HoldMovedInto) {
                Decision.HoldMovedInto m = (Decision.HoldMovedInto) d;
                endHold(i, m.hold().id(), "confirmed");
                endedBooking.put(i, m.from().id());
                moveIds.add(m.from().id());
                moveFrom.add(m.from().slotId());
                moveTo.add(m.to().slotId());
                moveOverride.add(false);
                moveReason.add(null);
                moveWasOverride.add(m.from().override());
                events.add(new Object[] {m.from().id(), "moved", m.from().slotId(), m.to().slotId(),
                        "waitlist", "an earlier seat offered from the waitlist"});
            } else if (d instanceof Decision.BookingMoved) {
                Decision.BookingMoved m = (Decision.BookingMoved) d;
                endedBooking.put(i, m.from().id());
                moveIds.add(m.from().id());
                moveFrom.add(m.from().slotId());
                moveTo.add(m.to().slotId());
                moveOverride.add(m.to().override());
                moveReason.add(m.to().override() ? m.to().reason() : null);
                moveWasOverride.add(m.from().override());
                events.add(new Object[] {m.from().id(), "moved", m.from().slotId(), m.to().slotId(),
                        m.to().bookedBy(), m.to().reason()});
            }
            for (SeatChange c : d.changes()) {
                needs.computeIfAbsent(c.slotId(), SlotNeeds::new).add(c);
            }
            if (entry.audit() != null) {
                audits.add(entry.audit());
            }
            if (entry.idempotency() != null && entry.kept() != null) {
                key.put(i, entry.idempotency().id());
                keyed.add(entry);
            }
        }
        slotIds.addAll(needs.keySet());
    }

    private void endHold(int entry, UUID id, String status) {
        if (entry >= 0) {
            endedHold.put(entry, id);
        }
        holdEndIds.add(id);
        holdEndStatus.add(status);
    }

    private void insert(int entry, ActiveBooking b) {
        // the booking row itself records its creation (created_at, channel, booked_by); events
        // record what happens to it afterwards
        newBooking.put(entry, b.id());
        inserts.add(b);
    }

    /**
     * One statement of the batch: its text as the slow path sends it, and as the fast path sends it
     * ({@code checked}: failing the transaction when fewer than {@code expected} rows changed; null
     * when any count will do), its column arrays, and what to remember from each row it returns.
     */
    record Step(String sql, String checked, Tuple args, int expected, Consumer<Row> onRow) {
    }

    /** The row changes, in the order they must happen; the seats come after them ({@link #seatChange}). */
    List<Step> rowChanges(BatchResults results) {
        List<Step> steps = new ArrayList<>();
        if (!holdEndIds.isEmpty()) {
            steps.add(new Step(JournalSql.END_HOLDS, JournalSql.END_HOLDS_CHECKED,
                    Tuple.tuple().addValue(holdEndIds.toArray(new UUID[0]))
                    .addValue(holdEndStatus.toArray(new String[0])), holdEndIds.size(),
                    r -> results.endedHolds.add(r.getUUID(0))));
        }
        if (!cancelIds.isEmpty()) {
            steps.add(new Step(JournalSql.CANCEL_BOOKINGS, JournalSql.CANCEL_BOOKINGS_CHECKED,
                    Tuple.of(cancelIds.toArray(new Long[0]), cancelReasons.toArray(new String[0]),
                    cancelSlots.toArray(new Long[0]), cancelOverrides.toArray(new Boolean[0])), cancelIds.size(),
                    r -> results.endedBookings.add(r.getLong(0))));
        }
        if (!moveIds.isEmpty()) {
            steps.add(new Step(JournalSql.MOVE_BOOKINGS, JournalSql.MOVE_BOOKINGS_CHECKED,
                    Tuple.of(moveIds.toArray(new Long[0]), moveFrom.toArray(new Long[0]),
                    moveTo.toArray(new Long[0]), moveOverride.toArray(new Boolean[0]), moveReason.toArray(new String[0]),
                    moveWasOverride.toArray(new Boolean[0])), moveIds.size(),
                    r -> results.endedBookings.add(r.getLong(0))));
        }
        if (!inserts.isEmpty()) {
            int n = inserts.size();
            Long[] ids = new Long[n];
            String[] codes = new String[n];
            Long[] cards = new Long[n];
            Long[] slots = new Long[n];
            String[] channels = new String[n];
            Boolean[] overrides = new Boolean[n];
            String[] reasons = new String[n];
            String[] by = new String[n];
            for (int k = 0; k < n; k++) {
                ActiveBooking b = inserts.get(k);
                ids[k] = b.id();
                codes[k] = b.code();
                cards[k] = b.cardId();
                slots[k] = b.slotId();
                channels[k] = b.channel().wire();
                overrides[k] = b.override();
                reasons[k] = b.reason();
                by[k] = b.bookedBy();
            }
            steps.add(new Step(JournalSql.INSERT_BOOKINGS, JournalSql.INSERT_BOOKINGS_CHECKED,
                    Tuple.of(ids, codes, cards, slots, channels, overrides, reasons, by), n,
                    r -> results.newBookings.add(r.getLong(0))));
        }
        if (!holdIds.isEmpty()) {
            steps.add(new Step(JournalSql.INSERT_HOLDS, JournalSql.INSERT_HOLDS_CHECKED,
                    Tuple.of(holdIds.toArray(new UUID[0]), holdCards.toArray(new Long[0]),
                    holdSlots.toArray(new Long[0]), holdChannels.toArray(new String[0]),
                    holdExpiries.toArray(new OffsetDateTime[0]), holdForMove.toArray(new Boolean[0])), holdIds.size(),
                    r -> results.newHolds.add(r.getUUID(0))));
        }
        if (!keyed.isEmpty()) {
            int n = keyed.size();
            String[] scopes = new String[n];
            String[] keys = new String[n];
            String[] hashes = new String[n];
            String[] kinds = new String[n];
            Long[] slots = new Long[n];
            UUID[] holds = new UUID[n];
            OffsetDateTime[] expiries = new OffsetDateTime[n];
            Long[] bookings = new Long[n];
            String[] codes = new String[n];
            String[] channels = new String[n];
            Boolean[] overrides = new Boolean[n];
            for (int k = 0; k < n; k++) {
                JournalEntry e = keyed.get(k);
                KeptDecision kept = e.kept();
                scopes[k] = e.idempotency().scope();
                keys[k] = e.idempotency().key();
                hashes[k] = e.idempotency().requestHash();
                kinds[k] = kept.kind().wire();
                slots[k] = kept.slotId();
                holds[k] = kept.holdId();
                expiries[k] = kept.expiresAt() == null ? null : kept.expiresAt().atOffset(ZoneOffset.UTC);
                bookings[k] = kept.bookingId();
                codes[k] = kept.code();
                channels[k] = kept.channel();
                overrides[k] = kept.override();
            }
            steps.add(new Step(JournalSql.INSERT_KEYS, JournalSql.INSERT_KEYS_CHECKED,
                    Tuple.tuple().addValue(scopes).addValue(keys).addValue(hashes).addValue(kinds).addValue(slots)
                            .addValue(holds).addValue(expiries).addValue(bookings).addValue(codes).addValue(channels)
                            .addValue(overrides), n,
                    r -> results.keys.add(r.getString(0) + "\n" + r.getString(1))));
        }
        if (!events.isEmpty()) {
            int n = events.size();
            Long[] booking = new Long[n];
            String[] kind = new String[n];
            Long[] from = new Long[n];
            Long[] to = new Long[n];
            String[] actor = new String[n];
            String[] reason = new String[n];
            for (int k = 0; k < n; k++) {
                Object[] e = events.get(k);
                booking[k] = (Long) e[0];
                kind[k] = (String) e[1];
                from[k] = (Long) e[2];
                to[k] = (Long) e[3];
                actor[k] = (String) e[4];
                reason[k] = (String) e[5];
            }
            steps.add(new Step(JournalSql.INSERT_EVENTS, null, Tuple.of(booking, kind, from, to, actor, reason), -1, r -> { }));
        }
        if (!audits.isEmpty()) {
            int n = audits.size();
            String[][] columns = new String[7][n];
            for (int k = 0; k < n; k++) {
                AuditEntry a = audits.get(k);
                columns[0][k] = a.actor();
                columns[1][k] = a.role();
                columns[2][k] = a.action();
                columns[3][k] = a.target();
                columns[4][k] = a.before() == null ? null : a.before().encode();
                columns[5][k] = a.after() == null ? null : a.after().encode();
                columns[6][k] = a.reason();
            }
            Tuple args = Tuple.tuple();
            for (String[] column : columns) {
                args.addValue(column);
            }
            steps.add(new Step(JournalSql.INSERT_AUDIT, null, args, -1, r -> { }));
        }
        return steps;
    }

    /** The seat change of every slot the batch touches, or null when it touches none. */
    Step seatChange(BatchResults results) {
        if (needs.isEmpty()) {
            return null;
        }
        return new Step(JournalSql.CHANGE_SLOTS, JournalSql.CHANGE_SLOTS_CHECKED,
                    slotTuple(), needs.size(), r -> {
            results.slotsTried = true;
            results.changedSlots.add(r.getLong("id"));
            results.snapshots.add(Rows.slot(r));
        });
    }

    /** Whether the seat change changed every slot it had to (false as well when it did not run). */
    boolean seatsChanged(BatchResults r) {
        return r.changedSlots.size() == needs.size();
    }

    /** Whether every row change changed every row it had to. */
    boolean rowsChanged(BatchResults r) {
        return r.endedHolds.size() == holdEndIds.size()
                && r.endedBookings.size() == cancelIds.size() + moveIds.size()
                && r.newBookings.size() == inserts.size()
                && r.newHolds.size() == holdIds.size()
                && r.keys.size() == keyed.size();
    }

    private Tuple slotTuple() {
        int n = needs.size();
        Long[] ids = new Long[n];
        Integer[] booked = new Integer[n];
        Integer[] held = new Integer[n];
        Integer[] override = new Integer[n];
        Integer[] web = new Integer[n];
        Integer[] phone = new Integer[n];
        Integer[] operator = new Integer[n];
        Boolean[] open = new Boolean[n];
        int k = 0;
        for (SlotNeeds s : needs.values()) {
            ids[k] = s.slotId;
            booked[k] = s.booked;
            held[k] = s.held;
            override[k] = s.override;
            web[k] = s.need[Channel.WEB.ordinal()];
            phone[k] = s.need[Channel.PHONE.ordinal()];
            operator[k] = s.need[Channel.OPERATOR.ordinal()];
            open[k] = s.needsOpen;
            k++;
        }
        return Tuple.of(ids, booked, held, override, web, phone, operator, open);
    }
}
