-- The counter's day: a resident's visit with the issuing steps, what a resident needs at the
-- counter (and whether a proxy comes), and the numbered tickets of a walk-in site.

-- What the resident needs at the counter, kept with the card (a move of the booking keeps it).
CREATE TABLE pickup_needs (
    card_id          bigint PRIMARY KEY REFERENCES cards ON DELETE CASCADE,
    wheelchair       boolean NOT NULL DEFAULT false,
    sign_language    boolean NOT NULL DEFAULT false,
    interpreter      text,                             -- the language wanted, free text
    hearing_loop     boolean NOT NULL DEFAULT false,
    other            text,
    proxy            boolean NOT NULL DEFAULT false,   -- 代理人 comes instead of the resident
    proxy_documents  text[] NOT NULL DEFAULT '{}',     -- the documents the proxy will bring
    updated_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The last ticket number handed out at a walk-in site on a day: one row per site and day, so
-- that two doors never give the same number (the row lock orders them) and a failed ticket
-- gives its number back (it rolls back with the ticket).
CREATE TABLE walk_in_days (
    site_id      text NOT NULL REFERENCES sites ON DELETE CASCADE,
    day          date NOT NULL,
    last_number  int NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day)
);

CREATE TABLE walk_in_tickets (
    id          bigserial PRIMARY KEY,
    site_id     text NOT NULL REFERENCES sites ON DELETE CASCADE,
    day         date NOT NULL,
    number      int NOT NULL CHECK (number > 0),
    card_id     bigint NOT NULL REFERENCES cards,
    phone       text,                                  -- for "your number is near" and "please come"
    language    text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
    state       text NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'called', 'served', 'no_show')),
    calls       int NOT NULL DEFAULT 0,
    counter     int,
    taken_at    timestamptz NOT NULL,
    called_at   timestamptz,
    ended_at    timestamptz,
    near_told   boolean NOT NULL DEFAULT false,
    taken_by    text NOT NULL,
    UNIQUE (site_id, day, number)
);
CREATE UNIQUE INDEX walk_in_one_open_ticket ON walk_in_tickets (card_id, day) WHERE state IN ('waiting', 'called');
CREATE INDEX walk_in_waiting ON walk_in_tickets (site_id, day, number) WHERE state = 'waiting';

-- A resident at the counter on one day, by booking or by ticket, with the time of each step.
CREATE TABLE counter_visits (
    id                  bigserial PRIMARY KEY,
    card_id             bigint NOT NULL REFERENCES cards,
    site_id             text NOT NULL REFERENCES sites,
    day                 date NOT NULL,
    booking_id          bigint REFERENCES bookings,
    ticket_id           bigint REFERENCES walk_in_tickets,
    counter             int,
    arrived_at          timestamptz NOT NULL,
    identity_at         timestamptz,
    identity_documents  text[],
    by_proxy            boolean NOT NULL DEFAULT false,
    pins_at             timestamptz,
    pins                text CHECK (pins IN ('set', 'postponed')),
    pins_reason         text,
    returned_at         timestamptz,
    returned            text[],
    issued_at           timestamptz,
    UNIQUE (card_id, day),
    CHECK ((booking_id IS NULL) <> (ticket_id IS NULL))
);
CREATE INDEX counter_visits_site_day ON counter_visits (site_id, day);
CREATE INDEX counter_visits_booking ON counter_visits (booking_id) WHERE booking_id IS NOT NULL;

-- The day list reads every booking of a site's slots, whatever its status.
CREATE INDEX bookings_slot ON bookings (slot_id);
