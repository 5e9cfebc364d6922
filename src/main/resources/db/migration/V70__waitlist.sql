-- Residents waiting for an earlier date at their site. When a seat in the wanted range frees, the
-- first waiting entry (lowest id) is offered it: the seat is held for the card (offer_hold_id)
-- until offer_expires_at, and an SMS (offer_sms_id in sms_outbox) tells the resident.
-- An unanswered offer ends 'expired' and is not made again; the seat passes to the next entry.
CREATE TABLE waitlist (
    id               BIGSERIAL PRIMARY KEY,              -- the order of the list
    card_id          BIGINT NOT NULL REFERENCES cards,
    site_id          TEXT NOT NULL REFERENCES sites,
    wanted_from      DATE NOT NULL,
    wanted_to        DATE NOT NULL CHECK (wanted_to >= wanted_from),
    channel          TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'operator')),
    state            TEXT NOT NULL CHECK (state IN ('waiting', 'offered', 'accepted', 'expired', 'cancelled')),
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT,                               -- 'resident' or the operator's name
    offer_hold_id    UUID,
    offer_slot_id    BIGINT REFERENCES slots,
    offer_expires_at TIMESTAMPTZ,
    offered_at       TIMESTAMPTZ,
    offer_sms_id     BIGINT,
    ended_at         TIMESTAMPTZ
);
-- one active entry per card: asking again replaces the range
CREATE UNIQUE INDEX waitlist_one_active_per_card ON waitlist (card_id) WHERE state IN ('waiting', 'offered');
CREATE INDEX waitlist_waiting ON waitlist (site_id, id) WHERE state = 'waiting';
CREATE INDEX waitlist_offered ON waitlist (offer_expires_at) WHERE state = 'offered';
