-- A step whose answer runs an action (a hold, a booking, a cancellation, a move, an SMS) is claimed
-- first: the row is inserted without its TwiML, and only the instance whose insert made the row acts.
-- Twilio retrying the step on another instance finds the claim and waits for the answer, so the
-- action happens at most once whichever instances take the retries. The answer fills the row.
ALTER TABLE phone_call_steps ALTER COLUMN twiml DROP NOT NULL;
ALTER TABLE phone_call_steps ADD COLUMN claimed_at TIMESTAMPTZ;
