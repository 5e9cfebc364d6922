package madoguchi.store;

import java.util.List;

/**
 * The SQL the seat journal sends, and nothing else.
 *
 * <p>Every row a statement reads or changes is found by its primary key (or the one-active-booking-per-card
 * index), one lookup per row of the batch, whatever the planner believes about the tables. Right after a
 * card import the tables have no statistics yet (autovacuum may be off, and bookings follow within
 * seconds): a plain join then let the generic plan scan every ready card of a site through
 * {@code cards_site_state}, every slot of a site through {@code slots_site_start}, or every active booking
 * of a slot, for each booked row — bookings ran at a fifth of the naive design's rate. So lookups are
 * written as {@code JOIN LATERAL (… WHERE id = x.id LIMIT 1)} (the LIMIT keeps the planner from folding
 * the lookup back into a join it may reorder), and the conditions on a row to change that are not its key
 * are compared with {@code IS NOT DISTINCT FROM}, which no index serves, so that only the primary key can
 * find the row. {@code JournalPlansTest} EXPLAINs each of them on unanalysed tables.
 */
final class JournalSql {
    /** The SQLSTATE madoguchi_expect() raises when a statement changed fewer rows than it had to. */
    static final String CONDITION_FAILED = "MD001";

    private static final String CARD_READY = "JOIN LATERAL (SELECT c.site_id FROM cards c"
            + " WHERE c.id = x.card_id AND c.state = 'ready' LIMIT 1) c ON true";
    private static final String SLOT_OF_CARD_SITE = "JOIN LATERAL (SELECT s.site_id FROM slots s"
            + " WHERE s.id = x.slot_id LIMIT 1) s ON s.site_id = c.site_id";

    static final String END_HOLDS = "UPDATE holds h SET status = x.status, closed_at = now()"
            + " FROM unnest($1::uuid[], $2::text[]) AS x(id, status)"
            + " WHERE h.id = x.id AND h.status IS NOT DISTINCT FROM 'active' RETURNING h.id";
    static final String CANCEL_BOOKINGS = "UPDATE bookings b SET status = 'cancelled', ended_at = now(), end_reason = x.reason"
            + " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bool[]) AS x(id, reason, slot_id, override)"
            + " WHERE b.id = x.id"
            + "   AND (b.status, b.slot_id, b.override) IS NOT DISTINCT FROM ('active', x.slot_id, x.override)"
            + " RETURNING b.id";
    static final String MOVE_BOOKINGS = "UPDATE bookings b SET slot_id = x.to_slot, override = x.override,"
            + " override_reason = COALESCE(x.reason, b.override_reason)"
            + " FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bool[], $5::text[], $6::bool[])"
            + "   AS x(id, from_slot, to_slot, override, reason, was_override)"
            + " WHERE b.id = x.id"
            + "   AND (b.status, b.slot_id, b.override) IS NOT DISTINCT FROM ('active', x.from_slot, x.was_override)"
            + " RETURNING b.id";
    static final String INSERT_BOOKINGS = "INSERT INTO bookings (id, code, card_id, site_id, slot_id, channel, status, override, override_reason, booked_by)"
            + " SELECT x.id, x.code, x.card_id, c.site_id, x.slot_id, x.channel, 'active', x.override, x.reason, x.booked_by"
            + " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bool[], $7::text[], $8::text[])"
            + "   AS x(id, code, card_id, slot_id, channel, override, reason, booked_by)"
            + " " + CARD_READY + " " + SLOT_OF_CARD_SITE
            + " ON CONFLICT DO NOTHING RETURNING id";
    // a waitlist offer (for_move) may hold a seat for a card that keeps its later booking until it accepts
    static final String INSERT_HOLDS = "INSERT INTO holds (id, card_id, slot_id, channel, status, expires_at)"
            + " SELECT x.id, x.card_id, x.slot_id, x.channel, 'active', x.expires_at"
            + " FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[], $6::bool[])"
            + "   AS x(id, card_id, slot_id, channel, expires_at, for_move)"
            + " " + CARD_READY + " " + SLOT_OF_CARD_SITE
            + " LEFT JOIN LATERAL (SELECT b.id FROM bookings b WHERE b.card_id = x.card_id AND b.status = 'active' LIMIT 1) b ON true"
            + " WHERE x.for_move OR b.id IS NULL"
            + " RETURNING id";
    // need_* is the most seats the batch's own changes add before each take of that channel: the
    // row must have room for them within the database's current quota, whatever memory believed.
    static final String CHANGE_SLOTS = "UPDATE slots s SET booked = s.booked + x.d_booked, held = s.held + x.d_held,"
            + " override_booked = s.override_booked + x.d_override, version = s.version + 1"
            + " FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bool[])"
            + "   AS x(id, d_booked, d_held, d_override, need_web, need_phone, need_operator, need_open)"
            + " WHERE s.id = x.id"
            + "   AND s.booked + s.held + x.need_web <= s.quota_web"
            + "   AND s.booked + s.held + x.need_phone <= s.quota_phone"
            + "   AND s.booked + s.held + x.need_operator <= s.capacity"
            + "   AND NOT (x.need_open AND s.blocked)"
            + " RETURNING " + Rows.SLOT_COLUMNS;
    // the first decision on each key, as data (the channels render it), committed with the seat change
    static final String INSERT_KEYS = "INSERT INTO idempotency_keys (scope, key, request_hash, kind, slot_id, hold_id,"
            + " expires_at, booking_id, code, channel, override)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::uuid[],"
            + " $7::timestamptz[], $8::bigint[], $9::text[], $10::text[], $11::bool[])"
            + " ON CONFLICT DO NOTHING RETURNING scope, key";
    // only for bookings the batch made: the slow path runs this even when a booking's insert was refused
    static final String INSERT_EVENTS = "INSERT INTO booking_events (booking_id, kind, from_slot, to_slot, actor, reason)"
            + " SELECT x.* FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])"
            + "   AS x(booking_id, kind, from_slot, to_slot, actor, reason)"
            + " JOIN LATERAL (SELECT b.id FROM bookings b WHERE b.id = x.booking_id LIMIT 1) b ON true";
    /** Staff actions' audit rows: in the batch's transaction, so a change is never left unaudited. */
    static final String INSERT_AUDIT = "INSERT INTO audit_log (actor, role, action, target, before, after, reason)"
            + " SELECT x.actor, x.role, x.action, x.target, x.before::jsonb, x.after::jsonb, x.reason"
            + " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])"
            + "   AS x(actor, role, action, target, before, after, reason)";

    // What the refusal diagnosis reads after a rollback, by the same kind of lookups.
    static final String ACTIVE_BOOKINGS = "SELECT " + Rows.BOOKING_COLUMNS + " FROM unnest($1::bigint[]) AS x(id)"
            + " JOIN LATERAL (SELECT * FROM bookings b WHERE b.id = x.id AND b.status = 'active' LIMIT 1) b ON true";
    static final String CURRENT_SLOTS = "SELECT " + Rows.SLOT_COLUMNS + " FROM unnest($1::bigint[]) AS x(id)"
            + " JOIN LATERAL (SELECT * FROM slots s WHERE s.id = x.id LIMIT 1) s ON true";
    static final String CARD_FACTS = "SELECT c.id AS card, c.state, " + Rows.BOOKING_COLUMNS + " FROM unnest($1::bigint[]) AS x(id)"
            + " JOIN LATERAL (SELECT c.id, c.state FROM cards c WHERE c.id = x.id LIMIT 1) c ON true"
            + " LEFT JOIN LATERAL (SELECT * FROM bookings b WHERE b.card_id = c.id AND b.status = 'active' LIMIT 1) b ON true";
    static final String STORED_ANSWERS = "SELECT k.scope, k.key, " + Rows.KEPT_COLUMNS
            + " FROM unnest($1::text[], $2::text[]) AS x(scope, key)"
            + " JOIN LATERAL (SELECT * FROM idempotency_keys k WHERE k.scope = x.scope AND k.key = x.key LIMIT 1) k ON true";

    // The fast path sends each row change wrapped, so that PostgreSQL fails the transaction itself when
    // the statement changed fewer rows than the batch needs (the expected count is one more parameter).
    static final String END_HOLDS_CHECKED = checked(END_HOLDS, 2, "holds ended");
    static final String CANCEL_BOOKINGS_CHECKED = checked(CANCEL_BOOKINGS, 4, "bookings cancelled");
    static final String MOVE_BOOKINGS_CHECKED = checked(MOVE_BOOKINGS, 6, "bookings moved");
    static final String INSERT_BOOKINGS_CHECKED = checked(INSERT_BOOKINGS, 8, "bookings made");
    static final String INSERT_HOLDS_CHECKED = checked(INSERT_HOLDS, 6, "holds taken");
    static final String INSERT_KEYS_CHECKED = checked(INSERT_KEYS, 11, "decisions kept");
    static final String CHANGE_SLOTS_CHECKED = checked(CHANGE_SLOTS, 8, "seats");

    /** Every statement of a batch's transaction as the fast path sends it. */
    static final List<String> FAST_PATH = List.of(END_HOLDS_CHECKED, CANCEL_BOOKINGS_CHECKED, MOVE_BOOKINGS_CHECKED,
            INSERT_BOOKINGS_CHECKED, INSERT_HOLDS_CHECKED, INSERT_KEYS_CHECKED, INSERT_EVENTS, INSERT_AUDIT, CHANGE_SLOTS_CHECKED);
    /** Every statement the slow path and the refusal diagnosis send. */
    static final List<String> SLOW_PATH = List.of(END_HOLDS, CANCEL_BOOKINGS, MOVE_BOOKINGS, INSERT_BOOKINGS, INSERT_HOLDS,
            INSERT_KEYS, INSERT_EVENTS, INSERT_AUDIT, CHANGE_SLOTS, ACTIVE_BOOKINGS, CURRENT_SLOTS, CARD_FACTS, STORED_ANSWERS);

    private JournalSql() {
    }

    /** The statement wrapped so that PostgreSQL itself fails the transaction when it changed too few rows. */
    private static String checked(String sql, int parameters, String label) {
        int k = parameters + 1;
        return "WITH changed AS (" + sql + "), checked AS (SELECT madoguchi_expect((SELECT count(*) FROM changed), $" + k
                + "::int, '" + label + "') AS ok) SELECT c.* FROM checked LEFT JOIN changed c ON true";
    }
}
