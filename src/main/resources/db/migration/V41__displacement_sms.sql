-- SMS to residents whose booking an administrator's change cancelled. A row is written in the
-- same step as the change is reported; sending happens afterwards and is retried until it
-- succeeds, so a missing or failing SMS provider never loses a message and never fails a change.
CREATE TABLE displacement_sms (
    id               bigserial PRIMARY KEY,
    booking_code     text,
    phone            text NOT NULL,
    body             text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    sent_at          timestamptz,
    provider_id      text
);
CREATE INDEX displacement_sms_due ON displacement_sms (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);
