-- Numbers that replied STOP (停止): no reminders are sent to them until they reply START.
-- Kept in E.164 form (+819012345678), whatever form the card file used.
CREATE TABLE sms_opt_outs (
    phone          TEXT PRIMARY KEY,
    opted_out_at   TIMESTAMPTZ NOT NULL
);

-- One reminder per booking, ever: the row is inserted in the same statement that puts the
-- message in the outbox, so a restart (or a second instance) neither loses nor repeats it.
CREATE TABLE reminders (
    booking_id     BIGINT PRIMARY KEY REFERENCES bookings ON DELETE CASCADE,
    state          TEXT NOT NULL CHECK (state IN ('queued', 'skipped')),  -- skipped: the number cannot take SMS
    outbox_id      BIGINT,                        -- the sms_outbox row of the message
    at             TIMESTAMPTZ NOT NULL
);

-- What Twilio's status callback last said about a message the provider accepted.
ALTER TABLE sms_outbox ADD COLUMN delivery_status TEXT
    CHECK (delivery_status IN ('delivered', 'undelivered', 'failed'));
ALTER TABLE sms_outbox ADD COLUMN delivery_error TEXT;
ALTER TABLE sms_outbox ADD COLUMN delivery_at TIMESTAMPTZ;
CREATE INDEX sms_outbox_provider ON sms_outbox (provider_id) WHERE provider_id IS NOT NULL;
