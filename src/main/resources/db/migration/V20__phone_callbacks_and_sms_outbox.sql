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

-- Text messages the phone flow sends (booking codes): kept until the provider accepted them,
-- so a failed send is retried and nothing is lost.
CREATE TABLE ivr_sms_outbox (
    id              BIGSERIAL PRIMARY KEY,
    phone           TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    provider_id     TEXT,
    last_error      TEXT
);
CREATE INDEX ivr_sms_outbox_due ON ivr_sms_outbox (next_attempt_at) WHERE sent_at IS NULL;
