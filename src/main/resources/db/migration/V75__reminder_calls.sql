-- The optional reminder call (MADOGUCHI_REMINDER_CALLS): one job per booking, ever, like the
-- reminder SMS. A job is claimed by one instance at a time (a conditional update), so a restart or
-- a second instance neither loses nor repeats a call; Twilio's status callback moves it on.
CREATE TABLE reminder_calls (
    booking_id      BIGINT PRIMARY KEY REFERENCES bookings ON DELETE CASCADE,
    phone           TEXT NOT NULL,                 -- E.164
    token           TEXT NOT NULL,                 -- in the call's URLs: only this call may act on this booking
    state           TEXT NOT NULL CHECK (state IN ('waiting', 'calling', 'answered', 'kept', 'cancelled', 'failed', 'dropped')),
    attempts        INT NOT NULL DEFAULT 0,
    -- waiting: when to place the call; calling: when to stop waiting for Twilio's report and try again
    next_attempt_at TIMESTAMPTZ,
    call_sid        TEXT,                          -- Twilio's id of the latest attempt
    last_status     TEXT,                          -- Twilio's last CallStatus (no-answer, busy, ...) or not_placed / no_report
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX reminder_calls_due ON reminder_calls (next_attempt_at) WHERE state IN ('waiting', 'calling');
CREATE INDEX reminder_calls_failed ON reminder_calls (updated_at) WHERE state = 'failed';
