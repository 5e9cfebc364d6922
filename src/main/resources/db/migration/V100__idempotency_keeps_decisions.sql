-- The first decision on an Idempotency-Key is kept as data (a hold taken, or a booking as it stood),
-- no longer as a rendered HTTP answer: each channel renders it when it answers, the first time and
-- on a replay, in the language of the request that asks. Rows kept before are turned into data.
ALTER TABLE idempotency_keys
    ADD COLUMN kind       text CHECK (kind IN ('hold', 'booking')),
    ADD COLUMN slot_id    bigint,
    ADD COLUMN hold_id    uuid,
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN booking_id bigint,
    ADD COLUMN code       text,
    ADD COLUMN channel    text,
    ADD COLUMN override   boolean NOT NULL DEFAULT false;

UPDATE idempotency_keys SET
    kind       = CASE WHEN body::jsonb ? 'holdId' THEN 'hold' ELSE 'booking' END,
    slot_id    = (body::jsonb ->> 'slotId')::bigint,
    hold_id    = (body::jsonb ->> 'holdId')::uuid,
    expires_at = (body::jsonb ->> 'expiresAt')::timestamptz,
    booking_id = (body::jsonb ->> 'bookingId')::bigint,
    code       = body::jsonb ->> 'code',
    channel    = body::jsonb ->> 'channel',
    override   = COALESCE((body::jsonb ->> 'override')::boolean, false);

-- an answer without a slot names nothing to replay (none was ever written so)
DELETE FROM idempotency_keys WHERE slot_id IS NULL;

ALTER TABLE idempotency_keys
    ALTER COLUMN kind SET NOT NULL,
    ALTER COLUMN slot_id SET NOT NULL,
    ADD CONSTRAINT idempotency_keys_decision CHECK (
        kind = 'hold' AND hold_id IS NOT NULL AND expires_at IS NOT NULL
        OR kind = 'booking' AND booking_id IS NOT NULL AND code IS NOT NULL AND channel IS NOT NULL),
    DROP COLUMN status,
    DROP COLUMN body;

-- A shelf count keeps the digest of its request beside its Idempotency-Key, so that "the same
-- request sent again" means the same for a count as for a booking (counts kept before have none).
ALTER TABLE inventory_counts ADD COLUMN request_hash text;
