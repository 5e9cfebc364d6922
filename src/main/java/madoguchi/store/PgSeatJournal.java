package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.booking.JournalEntry;
import madoguchi.app.booking.JournalOutcome;
import madoguchi.app.booking.Rejection;
import madoguchi.app.booking.SeatJournal;
import madoguchi.app.booking.StoredAnswer;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Decision;
import madoguchi.domain.Refusal;
import madoguchi.domain.SeatChange;
import madoguchi.domain.SlotSnapshot;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a shard's batch in one transaction: a handful of multi-row statements (unnest), sent
 * together on one connection, then COMMIT. Every statement is conditional — a hold still active,
 * a booking still active, a card still ready, seats still free within the database's own quotas —
 * so PostgreSQL stays the arbiter when several instances share it. If any condition fails the
 * transaction is rolled back and the outcome says which entries to refuse or decide again.
 */
public final class PgSeatJournal implements SeatJournal {
    /** The SQLSTATE madoguchi_expect() raises when a statement changed fewer rows than it had to. */
    private static final String CONDITION_FAILED = "MD001";
    /** Stands for "this channel takes no seat in the batch": the quota condition is then always true. */
    private static final int NO_NEED = -1_000_000_000;

    private static final String END_HOLDS = "UPDATE holds h SET status = x.status, closed_at = now()"
            + " FROM unnest($1::uuid[], $2::text[]) AS x(id, status)"
            + " WHERE h.id = x.id AND h.status = 'active' RETURNING h.id";
    private static final String CANCEL_BOOKINGS = "UPDATE bookings b SET status = 'cancelled', ended_at = now(), end_reason = x.reason"
            + " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bool[]) AS x(id, reason, slot_id, override)"
            + " WHERE b.id = x.id AND b.status = 'active' AND b.slot_id = x.slot_id AND b.override = x.override"
            + " RETURNING b.id";
    private static final String MOVE_BOOKINGS = "UPDATE bookings b SET slot_id = x.to_slot, override = x.override,"
            + " override_reason = COALESCE(x.reason, b.override_reason)"
            + " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bool[], $5::text[], $6::bool[])"
            + "   AS x(id, from_slot, to_slot, override, reason, was_override)"
            + " WHERE b.id = x.id AND b.status = 'active' AND b.slot_id = x.from_slot AND b.override = x.was_override"
            + " RETURNING b.id";
    private static final String INSERT_BOOKINGS = "INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status, override, override_reason, booked_by)"
            + " SELECT x.id, x.code, x.card_id, c.site_id, x.slot_id, x.channel, 'active', x.override, x.reason, x.booked_by"
            + " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bool[], $7::text[], $8::text[])"
            + "   AS x(id, code, card_id, slot_id, channel, override, reason, booked_by)"
            + " JOIN cards c ON c.id = x.card_id AND c.state = 'ready'"
            + " JOIN slots s ON s.id = x.slot_id AND s.site_id = c.site_id"
            + " ON CONFLICT DO NOTHING RETURNING id";
    // a waitlist offer (for_move) may hold a seat for a card that keeps its later booking until it accepts
    private static final String INSERT_HOLDS = "INSERT INTO holds (id, card_id, slot_id, channel, status, expires_at)"
            + " SELECT x.id, x.card_id, x.slot_id, x.channel, 'active', x.expires_at"
            + " FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bool[])"
            + "   AS x(id, card_id, slot_id, channel, expires_at, for_move)"
            + " JOIN cards c ON c.id = x.card_id AND c.state = 'ready'"
            + " JOIN slots s ON s.id = x.slot_id AND s.site_id = c.site_id"
            + " WHERE x.for_move OR NOT EXISTS (SELECT 1 FROM bookings b WHERE b.card_id = x.card_id AND b.status = 'active')"
            + " RETURNING id";
    // need_* is the most seats the batch's own changes add before each take of that channel: the
    // row must have room for them within the database's current quota, whatever memory believed.
    private static final String CHANGE_SLOTS = "UPDATE slots s SET booked = s.booked + x.d_booked, held = s.held + x.d_held,"
            + " override_booked = s.override_booked + x.d_override, version = s.version + 1"
            + " FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bool[])"
            + "   AS x(id, d_booked, d_held, d_override, need_web, need_phone, need_operator, need_open)"
            + " WHERE s.id = x.id"
            + "   AND s.booked + s.held + x.need_web <= s.quota_web"
            + "   AND s.booked + s.held + x.need_phone <= s.quota_phone"
            + "   AND s.booked + s.held + x.need_operator <= s.capacity"
            + "   AND NOT (x.need_open AND s.blocked)"
            + " RETURNING " + Rows.SLOT_COLUMNS;
    private static final String INSERT_KEYS = "INSERT INTO idempotency_keys (scope, key, request_hash, status, body)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])"
            + " ON CONFLICT DO NOTHING RETURNING scope, key";
    private static final String INSERT_EVENTS = "INSERT INTO booking_events (booking_id, kind, from_slot, to_slot, actor, reason)"
            + " SELECT x.* FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])"
            + "   AS x(booking_id, kind, from_slot, to_slot, actor, reason)"
            + " WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.id = x.booking_id)";
    /** Staff actions' audit rows: in the batch's transaction, so a change is never left unaudited. */
    private static final String INSERT_AUDIT = "INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
            + " SELECT x.actor, x.role, x.action, x.target, x.before::jsonb, x.after::jsonb, x.reason"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
            + "   AS x(actor, role, action, target, before, after, reason)";
    private static final String ACTIVE_BOOKINGS = "SELECT " + Rows.BOOKING_COLUMNS
            + " FROM bookings b WHERE b.id = ANY($1) AND b.status = 'active'";
    private static final String CURRENT_SLOTS = "SELECT " + Rows.SLOT_COLUMNS + " FROM slots s WHERE s.id = ANY($1)";
    private static final String CARD_FACTS = "SELECT c.id AS card, c.state, " + Rows.BOOKING_COLUMNS
            + " FROM cards c LEFT JOIN bookings b ON b.card_id = c.id AND b.status = 'active' WHERE c.id = ANY($1)";
    private static final String STORED_ANSWERS = "SELECT scope, key, status, body, request_hash FROM idempotency_keys"
            + " WHERE (scope, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))";

    private final Pool pool;

    public PgSeatJournal(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<JournalOutcome> write(List<JournalEntry> batch) {
        return attempt(batch, 0);
    }

    private Future<JournalOutcome> attempt(List<JournalEntry> batch, int retries) {
        return pool.withConnection(conn -> new Statements(batch).runAtOnce(conn))
                .recover(failure -> {
                    if (isConditionFailed(failure)) {
                        return carefully(batch, retries);
                    }
                    if (retries < 3 && failure instanceof PgException && isRetryable((PgException) failure)) {
                        return attempt(batch, retries + 1); // deadlock with another instance: try again
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** Step by step in a transaction, to learn which entries the database refuses and why. */
    private Future<JournalOutcome> carefully(List<JournalEntry> batch, int retries) {
        Statements statements = new Statements(batch);
        return pool.withTransaction(conn -> statements.run(conn))
                .recover(failure -> {
                    if (failure instanceof Refused) {
                        return explain(batch, statements, ((Refused) failure).results);
                    }
                    if (retries < 3 && failure instanceof PgException && isRetryable((PgException) failure)) {
                        return carefully(batch, retries + 1);
                    }
                    return Future.failedFuture(failure);
                });
    }

    private static boolean isConditionFailed(Throwable e) {
        return e instanceof PgException && CONDITION_FAILED.equals(((PgException) e).getSqlState());
    }

    private static boolean isRetryable(PgException e) {
        return "40P01".equals(e.getSqlState()) || "40001".equals(e.getSqlState());
    }

    /** A deadlock or serialization failure: the transaction was rolled back and may simply run again. */
    static boolean isRetryable(Throwable failure) {
        return failure instanceof PgException && isRetryable((PgException) failure);
    }

    /** After a rollback: reads what the database holds now and says why each refused entry failed. */
    private Future<JournalOutcome> explain(List<JournalEntry> batch, Statements st, Results results) {
        Map<Integer, Rejection> rejected = new HashMap<>();
        Set<Long> fullSlots = new HashSet<>();
        if (results.slotsTried) {
            fullSlots.addAll(st.slotIds);
            fullSlots.removeAll(results.changedSlots);
        }
        Set<Integer> retry = new HashSet<>();
        List<Integer> cardQuestions = new ArrayList<>();
        List<Integer> bookingQuestions = new ArrayList<>();
        Map<Integer, ActiveBooking> current = new HashMap<>();
        List<Integer> keyQuestions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Decision d = batch.get(i).decision();
            if (st.replacedHold.containsKey(i) && !results.endedHolds.contains(st.replacedHold.get(i))) {
                retry.add(i);
            } else if (st.endedHold.containsKey(i) && !results.endedHolds.contains(st.endedHold.get(i))) {
                rejected.put(i, Rejection.of(d instanceof Decision.HoldConfirmed || d instanceof Decision.HoldMovedInto
                        ? Refusal.HOLD_EXPIRED : Refusal.NOT_FOUND));
            } else if (st.endedBooking.containsKey(i) && !results.endedBookings.contains(st.endedBooking.get(i))) {
                bookingQuestions.add(i);
            } else if (st.newBooking.containsKey(i) && !results.newBookings.contains(st.newBooking.get(i))
                    || st.newHold.containsKey(i) && !results.newHolds.contains(st.newHold.get(i))) {
                cardQuestions.add(i);
            } else if (st.key.containsKey(i) && !results.keys.contains(st.key.get(i))) {
                keyQuestions.add(i);
            }
        }
        return cardFacts(batch, cardQuestions, rejected)
                .compose(v -> bookingFacts(st, bookingQuestions, rejected, retry, current))
                .compose(v -> storedAnswers(batch, keyQuestions, rejected))
                .compose(v -> pool.preparedQuery(CURRENT_SLOTS).execute(Tuple.of(st.slotIds.toArray(new Long[0]))))
                .compose(rows -> rejected.isEmpty() && fullSlots.isEmpty() && retry.isEmpty()
                        // nothing to blame: fail the batch rather than retry it for ever
                        ? Future.failedFuture(new IllegalStateException("batch refused for no reason found"))
                        : Future.succeededFuture(new JournalOutcome(PgSeatSource.list(rows, Rows::slot), rejected, fullSlots, retry, current)));
    }

    private Future<Void> cardFacts(List<JournalEntry> batch, List<Integer> questions, Map<Integer, Rejection> rejected) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        Long[] cards = questions.stream().map(i -> cardOf(batch.get(i).decision())).toArray(Long[]::new);
        return pool.preparedQuery(CARD_FACTS).execute(Tuple.of(cards)).map(rows -> {
            Map<Long, Row> byCard = new HashMap<>();
            rows.forEach(r -> byCard.put(r.getLong("card"), r));
            for (int i : questions) {
                Row r = byCard.get(cardOf(batch.get(i).decision()));
                if (r == null || !"ready".equals(r.getString("state"))) {
                    rejected.put(i, Rejection.of(Refusal.CARD_NOT_READY));
                } else if (r.getLong("id") != null) {
                    rejected.put(i, new Rejection(Refusal.ALREADY_BOOKED, Rows.booking(r), null));
                } else {
                    rejected.put(i, Rejection.of(Refusal.WRONG_SITE));
                }
            }
            return null;
        });
    }

    /** A booking that is still active but not as memory had it (moved, or made an override) is decided again. */
    private Future<Void> bookingFacts(Statements st, List<Integer> questions, Map<Integer, Rejection> rejected,
                                      Set<Integer> retry, Map<Integer, ActiveBooking> current) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        Long[] ids = questions.stream().map(st.endedBooking::get).toArray(Long[]::new);
        return pool.preparedQuery(ACTIVE_BOOKINGS).execute(Tuple.of(ids)).map(rows -> {
            Map<Long, ActiveBooking> byId = new HashMap<>();
            rows.forEach(r -> byId.put(r.getLong("id"), Rows.booking(r)));
            for (int i : questions) {
                ActiveBooking now = byId.get(st.endedBooking.get(i));
                if (now == null) {
                    rejected.put(i, Rejection.of(Refusal.NOT_FOUND));
                } else {
                    retry.add(i);
                    current.put(i, now);
                }
            }
            return null;
        });
    }

    private Future<Void> storedAnswers(List<JournalEntry> batch, List<Integer> questions, Map<Integer, Rejection> rejected) {
        if (questions.isEmpty()) {
            return Future.succeededFuture();
        }
        String[] scopes = questions.stream().map(i -> batch.get(i).idempotency().scope()).toArray(String[]::new);
        String[] keys = questions.stream().map(i -> batch.get(i).idempotency().key()).toArray(String[]::new);
        return pool.preparedQuery(STORED_ANSWERS).execute(Tuple.tuple().addValue(scopes).addValue(keys)).map(rows -> {
            Map<String, Row> byKey = new HashMap<>();
            rows.forEach(r -> byKey.put(r.getString("scope") + "\n" + r.getString("key"), r));
            for (int i : questions) {
                JournalEntry e = batch.get(i);
                Row r = byKey.get(e.idempotency().scope() + "\n" + e.idempotency().key());
                if (r == null) {
                    rejected.put(i, Rejection.of(Refusal.BUSY));
                } else if (!r.getString("request_hash").equals(e.idempotency().requestHash())) {
                    rejected.put(i, new Rejection(Refusal.BUSY,
                            null, StoredAnswer.keyReused()));
                } else {
                    rejected.put(i, new Rejection(Refusal.BUSY, null,
                            new StoredAnswer(r.getInteger("status"), r.getString("body"))));
                }
            }
            return null;
        });
    }

    private static long cardOf(Decision d) {
        if (d instanceof Decision.BookingMade) {
            return ((Decision.BookingMade) d).booking().cardId();
        }
        if (d instanceof Decision.HoldConfirmed) {
            return ((Decision.HoldConfirmed) d).booking().cardId();
        }
        return ((Decision.HoldTaken) d).hold().cardId();
    }

    /** Thrown inside the transaction to roll it back when a condition failed. */
    private static final class Refused extends RuntimeException {
        final Results results;

        Refused(Results results) {
            super(null, null, false, false);
            this.results = results;
        }
    }

    /** What each statement reported back. */
    private static final class Results {
        final Set<UUID> endedHolds = new HashSet<>();
        final Set<Long> endedBookings = new HashSet<>();
        final Set<Long> newBookings = new HashSet<>();
        final Set<UUID> newHolds = new HashSet<>();
        final Set<Long> changedSlots = new HashSet<>();
        final Set<String> keys = new HashSet<>();
        final List<SlotSnapshot> snapshots = new ArrayList<>();
        boolean slotsTried;
    }

    /** The batch turned into column arrays, remembering which entry each row came from. */
    private static final class Statements {
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
        private final List<madoguchi.app.AuditEntry> audits = new ArrayList<>();
        private final Map<Long, SlotNeeds> needs = new LinkedHashMap<>();

        Statements(List<JournalEntry> batch) {
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
                if (entry.idempotency() != null && entry.answer() != null) {
                    key.put(i, entry.idempotency().scope() + "\n" + entry.idempotency().key());
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

        /** One statement of the batch, what it must change, and what to remember from its rows. */
        private record Step(String sql, Tuple args, int expected, String label, java.util.function.Consumer<Row> onRow) {

            /** The statement wrapped so that PostgreSQL itself fails the transaction when it changed too few rows. */
            String checked() {
                int k = args.size() + 1;
                return "WITH changed AS (" + sql + "), checked AS (SELECT madoguchi_expect((SELECT count(*) FROM changed), $" + k
                        + "::int, '" + label + "') AS ok) SELECT c.* FROM checked LEFT JOIN changed c ON true";
            }
        }

        /** The row changes in order, the seat changes last. */
        private List<Step> steps(Results results) {
            List<Step> steps = new ArrayList<>();
            if (!holdEndIds.isEmpty()) {
                steps.add(new Step(END_HOLDS, Tuple.tuple().addValue(holdEndIds.toArray(new UUID[0]))
                        .addValue(holdEndStatus.toArray(new String[0])), holdEndIds.size(), "holds ended",
                        r -> results.endedHolds.add(r.getUUID(0))));
            }
            if (!cancelIds.isEmpty()) {
                steps.add(new Step(CANCEL_BOOKINGS, Tuple.of(cancelIds.toArray(new Long[0]), cancelReasons.toArray(new String[0]),
                        cancelSlots.toArray(new Long[0]), cancelOverrides.toArray(new Boolean[0])), cancelIds.size(),
                        "bookings cancelled", r -> results.endedBookings.add(r.getLong(0))));
            }
            if (!moveIds.isEmpty()) {
                steps.add(new Step(MOVE_BOOKINGS, Tuple.of(moveIds.toArray(new Long[0]), moveFrom.toArray(new Long[0]),
                        moveTo.toArray(new Long[0]), moveOverride.toArray(new Boolean[0]), moveReason.toArray(new String[0]),
                        moveWasOverride.toArray(new Boolean[0])), moveIds.size(), "bookings moved",
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
                steps.add(new Step(INSERT_BOOKINGS, Tuple.of(ids, codes, cards, slots, channels, overrides, reasons, by), n,
                        "bookings made", r -> results.newBookings.add(r.getLong(0))));
            }
            if (!holdIds.isEmpty()) {
                steps.add(new Step(INSERT_HOLDS, Tuple.of(holdIds.toArray(new UUID[0]), holdCards.toArray(new Long[0]),
                        holdSlots.toArray(new Long[0]), holdChannels.toArray(new String[0]),
                        holdExpiries.toArray(new OffsetDateTime[0]), holdForMove.toArray(new Boolean[0])), holdIds.size(), "holds taken",
                        r -> results.newHolds.add(r.getUUID(0))));
            }
            if (!keyed.isEmpty()) {
                int n = keyed.size();
                String[] scopes = new String[n];
                String[] keys = new String[n];
                String[] hashes = new String[n];
                Integer[] statuses = new Integer[n];
                String[] bodies = new String[n];
                for (int k = 0; k < n; k++) {
                    JournalEntry e = keyed.get(k);
                    scopes[k] = e.idempotency().scope();
                    keys[k] = e.idempotency().key();
                    hashes[k] = e.idempotency().requestHash();
                    statuses[k] = e.answer().status();
                    bodies[k] = e.answer().body();
                }
                steps.add(new Step(INSERT_KEYS, Tuple.of(scopes, keys, hashes, statuses, bodies), n, "answers kept",
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
                steps.add(new Step(INSERT_EVENTS, Tuple.of(booking, kind, from, to, actor, reason), -1, "events", r -> { }));
            }
            if (!audits.isEmpty()) {
                int n = audits.size();
                String[][] columns = new String[7][n];
                for (int k = 0; k < n; k++) {
                    madoguchi.app.AuditEntry a = audits.get(k);
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
                steps.add(new Step(INSERT_AUDIT, args, -1, "audit", r -> { }));
            }
            if (!needs.isEmpty()) {
                steps.add(new Step(CHANGE_SLOTS, slotTuple(), needs.size(), "seats", r -> {
                    results.slotsTried = true;
                    results.changedSlots.add(r.getLong("id"));
                    results.snapshots.add(Rows.slot(r));
                }));
            }
            return steps;
        }

        /**
         * The fast path: BEGIN, every statement and COMMIT sent at once, one round trip and one
         * WAL flush. A statement that changed fewer rows than it should raises an error inside
         * the transaction, so COMMIT rolls back; the caller then finds out why on the slow path.
         */
        Future<JournalOutcome> runAtOnce(SqlConnection conn) {
            Results results = new Results();
            List<Future<?>> sent = new ArrayList<>();
            sent.add(conn.query("BEGIN").execute());
            for (Step step : steps(results)) {
                if (step.expected() < 0) {
                    sent.add(conn.preparedQuery(step.sql()).execute(step.args()));
                } else {
                    String sql = step.checked();
                    sent.add(conn.preparedQuery(sql).execute(step.args().addInteger(step.expected())).onSuccess(rows -> rows.forEach(r -> {
                        if (r.getValue(0) != null) {
                            step.onRow().accept(r);
                        }
                    })));
                }
            }
            Future<?> commit = conn.query("COMMIT").execute();
            return Future.join(sent).transform(done -> commit.transform(committed -> {
                if (done.succeeded() && committed.succeeded()) {
                    return Future.succeededFuture(JournalOutcome.committed(results.snapshots));
                }
                Throwable cause = done.failed() ? firstFailure(sent) : committed.cause();
                return Future.failedFuture(cause);
            }));
        }

        private static Throwable firstFailure(List<Future<?>> sent) {
            for (Future<?> f : sent) {
                if (f.failed() && !(f.cause() instanceof PgException && "25P02".equals(((PgException) f.cause()).getSqlState()))) {
                    return f.cause();
                }
            }
            return sent.stream().filter(Future::failed).findFirst().map(Future::cause).orElse(null);
        }

        /** The slow path: row changes first, checked, then the seats; the caller commits or rolls back. */
        Future<JournalOutcome> run(SqlConnection conn) {
            Results results = new Results();
            List<Step> steps = steps(results);
            Step seats = steps.isEmpty() || steps.get(steps.size() - 1).sql() != CHANGE_SLOTS ? null : steps.remove(steps.size() - 1);
            List<Future<?>> sent = new ArrayList<>();
            for (Step step : steps) {
                sent.add(conn.preparedQuery(step.sql()).execute(step.args()).onSuccess(rows -> rows.forEach(step.onRow())));
            }
            // Seats move only once every row change they stand for has happened: a cancel of a
            // booking already ended elsewhere must not give its seat back a second time.
            return Future.all(sent)
                    .compose(v -> !rowsChanged(results) ? Future.failedFuture(new Refused(results))
                            : seats == null ? Future.succeededFuture()
                            : conn.preparedQuery(seats.sql()).execute(seats.args()).map(rows -> {
                                results.slotsTried = true;
                                rows.forEach(seats.onRow());
                                return null;
                            }))
                    .compose(v -> results.changedSlots.size() == needs.size()
                            ? Future.succeededFuture(JournalOutcome.committed(results.snapshots))
                            : Future.failedFuture(new Refused(results)));
        }

        private boolean rowsChanged(Results r) {
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

    /**
     * One slot's share of a batch: the summed changes, and for each channel the most seats the
     * batch has added (counting its own earlier changes) at the moment that channel takes one.
     */
    private static final class SlotNeeds {
        final long slotId;
        int booked;
        int held;
        int override;
        int prefix;
        boolean needsOpen;
        final int[] need = {NO_NEED, NO_NEED, NO_NEED};

        SlotNeeds(long slotId) {
            this.slotId = slotId;
        }

        void add(SeatChange c) {
            booked += c.booked();
            held += c.held();
            override += c.override();
            prefix += c.taken();
            if (c.needsRoom()) {
                int i = c.channel().ordinal();
                need[i] = Math.max(need[i], prefix);
                needsOpen = true;
            }
        }
    }
}
