-- What each text is about, which decides whether it may go at night (21:00-08:00 Tokyo): what the
-- resident just asked for goes at once, what the city sends of its own accord waits for 08:00.
ALTER TABLE sms_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'confirmation'
    CHECK (kind IN ('confirmation', 'counter_call', 'reminder', 'waitlist_offer', 'city_cancelled'));

-- the messages kept before: their kind from what points at them, or from their words
UPDATE sms_outbox o SET kind = 'reminder' FROM reminders r
 WHERE r.outbox_id = o.id AND o.body LIKE '【マイナンバーカード受取】%';
UPDATE sms_outbox o SET kind = 'waitlist_offer' FROM waitlist w WHERE w.offer_sms_id = o.id;
UPDATE sms_outbox SET kind = 'city_cancelled' WHERE body LIKE '%窓口の都合により取り消されました%';
UPDATE sms_outbox SET kind = 'counter_call'
 WHERE booking_code IS NULL AND (body LIKE '【川崎市】番号札%' OR body LIKE '[Kawasaki City] Ticket %');
