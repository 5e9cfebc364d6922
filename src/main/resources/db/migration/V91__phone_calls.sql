-- Phone calls' state by CallSid, so that a restarted or another instance continues a call at the
-- same step, and the record of each call (outcome, time in the operator queue) for the calls report.
CREATE TABLE phone_calls (
    call_sid      TEXT PRIMARY KEY,
    state         JSONB NOT NULL,                -- what the flow remembers (see app/calls/CallState)
    seq           INT NOT NULL,                  -- the step the call is at
    started_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ,
    outcome       TEXT,
    queued_at     TIMESTAMPTZ,                   -- first entered the operator queue
    queue_result  TEXT,                          -- Twilio's QueueResult: bridged, hangup, queue-full, error, ...
    queue_seconds INT,
    operator      TEXT,                          -- the operator whose phone took the call from the queue
    bridged_at    TIMESTAMPTZ
);
CREATE INDEX phone_calls_started ON phone_calls (started_at);
CREATE INDEX phone_calls_bridged ON phone_calls (operator, bridged_at) WHERE operator IS NOT NULL;

-- The TwiML answered to each step of a call: Twilio retrying a webhook, on any instance, gets the
-- same answer and nothing is done twice. Deleted a day after the call (Jobs).
CREATE TABLE phone_call_steps (
    call_sid TEXT NOT NULL,
    step     INT NOT NULL,
    twiml    TEXT NOT NULL,
    PRIMARY KEY (call_sid, step)
);

-- A callback request keeps when the caller would like to be called (for operators planning their
-- calls) and why it was left: from the queue, outside the call center's hours, or when the queue
-- could not take the caller.
ALTER TABLE callback_requests
    ADD COLUMN preferred TEXT NOT NULL DEFAULT 'any' CHECK (preferred IN ('morning', 'afternoon', 'any')),
    ADD COLUMN reason TEXT NOT NULL DEFAULT 'queue' CHECK (reason IN ('queue', 'closed', 'queue_failed'));
