-- The first decision on an Idempotency-Key is kept as data (a hold taken, or a booking as it stood),
-- no longer as a rendered HTTP answer: each channel renders it when it answers, the first time and
-- on a replay, in the language of the request that asks. Rows kept before are turned into data.
--
-- Additive, for a rolling deploy: status and body stay (nullable, no longer written) while an
-- older instance may still write them; the service reads such a row's decision from its body
-- (Rows.KEPT_COLUMNS). A later migration drops them.
ALTER TABLE idempotency_keys
    ADD COLUMN kind       text CHECK (kind IN ('hold', 'booking')),
    ADD COLUMN slot_id    bigint,
    ADD COLUMN hold_id    uuid,
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN booking_id bigint,
    ADD COLUMN code       text,
    ADD COLUMN channel    text,
    ADD COLUMN override   boolean,
    ALTER COLUMN status DROP NOT NULL,
    ALTER COLUMN body DROP NOT NULL,
    ADD CONSTRAINT idempotency_keys_decision CHECK (
        kind = 'hold' AND slot_id IS NOT NULL AND hold_id IS NOT NULL AND expires_at IS NOT NULL
        OR kind = 'booking' AND slot_id IS NOT NULL AND booking_id IS NOT NULL AND code IS NOT NULL AND channel IS NOT NULL
        OR kind IS NULL AND body IS NOT NULL);

UPDATE idempotency_keys SET
    kind       = CASE WHEN body::jsonb ? 'holdId' THEN 'hold' ELSE 'booking' END,
    slot_id    = (body::jsonb ->> 'slotId')::bigint,
    hold_id    = (body::jsonb ->> 'holdId')::uuid,
    expires_at = (body::jsonb ->> 'expiresAt')::timestamptz,
    booking_id = (body::jsonb ->> 'bookingId')::bigint,
    code       = body::jsonb ->> 'code',
    channel    = body::jsonb ->> 'channel',
    override   = COALESCE((body::jsonb ->> 'override')::boolean, false),
    body       = NULL,
    status     = NULL;

-- A shelf count keeps the digest of its request beside its Idempotency-Key, so that "the same
-- request sent again" means the same for a count as for a booking (counts kept before have none).
ALTER TABLE inventory_counts ADD COLUMN request_hash text;
