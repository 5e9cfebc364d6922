-- Callers waiting for an operator may leave a callback request instead of waiting.
CREATE TABLE callback_requests (
    id           BIGSERIAL PRIMARY KEY,
    call_sid     TEXT NOT NULL UNIQUE,          -- a retried webhook stores one request
    phone        TEXT NOT NULL,
    language     TEXT NOT NULL CHECK (language IN ('ja', 'en')),
    requested_at TIMESTAMPTZ NOT NULL,
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
    done_at      TIMESTAMPTZ,
    done_by      TEXT
);
CREATE INDEX callback_requests_open ON callback_requests (requested_at) WHERE state = 'open';

-- Every text message the service sends (booking codes after a call, notices to residents whose
-- booking an administrator's change cancelled): kept until the provider accepted it, so a failed
-- send, or one made while no provider is configured, is retried and nothing is lost.
CREATE TABLE sms_outbox (
    id              BIGSERIAL PRIMARY KEY,
    booking_code    TEXT,                          -- the booking the message is about, if any
    phone           TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    provider_id     TEXT,
    last_error      TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at) WHERE sent_at IS NULL;
