package madoguchi.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import madoguchi.app.reminders.ReminderStore;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

public final class PgReminders implements ReminderStore {
    /** A card's number in E.164 form (card files hold 8 to 16 digits, optionally with a leading +). */
    static final String E164 = "(CASE WHEN c.phone LIKE '+%' THEN c.phone WHEN c.phone LIKE '0%'"
            + " THEN '+81' || substr(c.phone, 2) ELSE '+' || c.phone END)";
    /** Whether the card ({@code c}) has a number that takes SMS: a mobile one, never a Japanese landline. */
    static final String MOBILE = "(coalesce(c.phone, '') <> '' AND (" + E164 + " !~ '^\\+81' OR " + E164 + " ~ '^\\+81[789]0[0-9]{8}$'))";

    private final Pool pool;

    public PgReminders(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<Due>> due(Instant from, Instant to, int limit) {
        return pool.preparedQuery("SELECT b.id, b.code, c.phone, s.name_ja, s.name_en, sl.start_at"
                        + " FROM bookings b JOIN slots sl ON sl.id = b.slot_id JOIN cards c ON c.id = b.card_id"
                        + " JOIN sites s ON s.id = b.site_id"
                        + " WHERE b.status = 'active' AND sl.start_at >= $1 AND sl.start_at < $2 AND c.phone IS NOT NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.booking_id = b.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.phone = " + E164 + ")"
                        + " ORDER BY sl.start_at, b.id LIMIT $3")
                .execute(Tuple.of(utc(from), utc(to), limit))
                .map(rows -> PgSeatSource.list(rows, r -> new Due(r.getLong(0), r.getString(1), r.getString(2),
                        r.getString(3), r.getString(4), r.getOffsetDateTime(5).toInstant())));
    }

    @Override
    public Future<Optional<Long>> queue(long bookingId, String code, String phone, String body, Instant now, Instant retryAt) {
        // one statement, so the reminder row and the outbox row exist together or not at all; the
        // reminder row is inserted first, so an instance that loses the race queues no message
        return pool.preparedQuery("WITH ok AS (SELECT nextval('sms_outbox_id_seq') AS id"
                        + "   WHERE NOT EXISTS (SELECT 1 FROM sms_opt_outs WHERE phone = $3)"
                        + "   AND EXISTS (SELECT 1 FROM bookings WHERE id = $1 AND status = 'active')),"
                        + " r AS (INSERT INTO reminders (booking_id, state, outbox_id, at) SELECT $1, 'queued', id, $5 FROM ok"
                        + "   ON CONFLICT (booking_id) DO NOTHING RETURNING outbox_id),"
                        + " o AS (INSERT INTO sms_outbox (id, kind, booking_code, phone, body, created_at, next_attempt_at)"
                        + "   SELECT outbox_id, 'reminder', $2, $3, $4, $5, $6 FROM r RETURNING id)"
                        + " SELECT id FROM o")
                .execute(Tuple.of(bookingId, code, phone, body, utc(now), utc(retryAt)))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    @Override
    public Future<Void> skip(long bookingId, Instant now) {
        return pool.preparedQuery("INSERT INTO reminders (booking_id, state, at) VALUES ($1, 'skipped', $2)"
                        + " ON CONFLICT (booking_id) DO NOTHING")
                .execute(Tuple.of(bookingId, utc(now))).mapEmpty();
    }

    @Override
    public Future<Void> optOut(String phone, Instant at) {
        return pool.preparedQuery("INSERT INTO sms_opt_outs (phone, opted_out_at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING")
                .execute(Tuple.of(phone, utc(at))).mapEmpty();
    }

    @Override
    public Future<Void> optIn(String phone) {
        return pool.preparedQuery("DELETE FROM sms_opt_outs WHERE phone = $1").execute(Tuple.of(phone)).mapEmpty();
    }

    @Override
    public Future<Boolean> optedOut(String phone) {
        return pool.preparedQuery("SELECT 1 FROM sms_opt_outs WHERE phone = $1").execute(Tuple.of(phone))
                .map(rows -> rows.size() > 0);
    }

    @Override
    public Future<Boolean> delivery(String providerId, String status, String error, Instant at) {
        // a late "failed" never overwrites a "delivered" already recorded
        return pool.preparedQuery("UPDATE sms_outbox SET delivery_status = $2, delivery_error = $3, delivery_at = $4"
                        + " WHERE provider_id = $1 AND (delivery_status IS NULL OR delivery_status <> 'delivered')")
                .execute(Tuple.of(providerId, status, error, utc(at))).map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Future<List<Failed>> failed(int maxAttempts, int limit) {
        return pool.preparedQuery("SELECT id, booking_code, phone, created_at, attempts, last_error, delivery_status, delivery_error"
                        + " FROM sms_outbox WHERE (sent_at IS NULL AND attempts >= $1)"
                        + " OR delivery_status IN ('undelivered', 'failed') ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(maxAttempts, limit))
                .map(rows -> PgSeatSource.list(rows, PgReminders::failed));
    }

    private static Failed failed(Row r) {
        return new Failed(r.getLong("id"), r.getString("booking_code"), r.getString("phone"),
                r.getOffsetDateTime("created_at").toInstant(), r.getInteger("attempts"), r.getString("last_error"),
                r.getString("delivery_status"), r.getString("delivery_error"));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
