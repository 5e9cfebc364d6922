package madoguchi.store;

import io.vertx.sqlclient.Row;
import madoguchi.app.booking.KeptDecision;
import madoguchi.domain.ActiveBooking;
import madoguchi.domain.Channel;
import madoguchi.domain.Hold;
import madoguchi.domain.SlotLimits;
import madoguchi.domain.SlotSnapshot;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Turns rows into domain values; the column lists to select live here beside them. */
final class Rows {
    static final String SLOT_COLUMNS = "s.id, s.site_id, s.start_at, s.end_at, s.capacity, s.quota_web, s.quota_phone,"
            + " s.blocked, s.booked, s.held, s.override_booked, s.version";
    static final String BOOKING_COLUMNS = "b.id, b.code, b.card_id, b.slot_id, b.channel, b.override, b.override_reason, b.booked_by";
    static final String HOLD_COLUMNS = "h.id, h.card_id, h.slot_id, h.channel, h.expires_at";
    /**
     * An Idempotency-Key's first decision and the digest of its request (idempotency_keys). A row an
     * older instance wrote during a rolling deploy has only its rendered body: its decision is read
     * from it as V100 converted the rows kept before.
     */
    static final String KEPT_COLUMNS = "request_hash,"
            + " COALESCE(kind, CASE WHEN body::jsonb ? 'holdId' THEN 'hold' ELSE 'booking' END) AS kind,"
            + " COALESCE(slot_id, (body::jsonb ->> 'slotId')::bigint) AS slot_id,"
            + " COALESCE(hold_id, (body::jsonb ->> 'holdId')::uuid) AS hold_id,"
            + " COALESCE(expires_at, (body::jsonb ->> 'expiresAt')::timestamptz) AS expires_at,"
            + " COALESCE(booking_id, (body::jsonb ->> 'bookingId')::bigint) AS booking_id,"
            + " COALESCE(code, body::jsonb ->> 'code') AS code,"
            + " COALESCE(channel, body::jsonb ->> 'channel') AS channel,"
            + " COALESCE(override, (body::jsonb ->> 'override')::boolean, false) AS override";

    private Rows() {
    }

    static SlotSnapshot slot(Row r) {
        return new SlotSnapshot(r.getLong("id"), r.getString("site_id"), instant(r.getOffsetDateTime("start_at")),
                instant(r.getOffsetDateTime("end_at")),
                new SlotLimits(r.getInteger("capacity"), r.getInteger("quota_web"), r.getInteger("quota_phone"),
                        r.getBoolean("blocked")),
                r.getInteger("booked"), r.getInteger("held"), r.getInteger("override_booked"), r.getLong("version"));
    }

    static ActiveBooking booking(Row r) {
        return new ActiveBooking(r.getLong("id"), r.getString("code"), r.getLong("card_id"), r.getLong("slot_id"),
                Channel.fromWire(r.getString("channel")).orElse(Channel.WEB), r.getBoolean("override"),
                r.getString("override_reason"), r.getString("booked_by"));
    }

    static Hold hold(Row r) {
        return new Hold(r.getUUID("id"), r.getLong("card_id"), r.getLong("slot_id"),
                Channel.fromWire(r.getString("channel")).orElse(Channel.WEB), instant(r.getOffsetDateTime("expires_at")));
    }

    static KeptDecision kept(Row r) {
        return new KeptDecision(KeptDecision.Kind.of(r.getString("kind")), r.getLong("slot_id"), r.getUUID("hold_id"),
                instant(r.getOffsetDateTime("expires_at")), r.getLong("booking_id"), r.getString("code"),
                r.getString("channel"), r.getBoolean("override"));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
