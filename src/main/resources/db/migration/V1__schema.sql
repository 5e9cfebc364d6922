-- madoguchi schema: sites and their hours, slots with seat counts, cards, bookings, holds,
-- users, audit log. Seat counts live on the slot row; the CHECKs are the last line of defence
-- against overbooking, whatever the application believes.

CREATE TABLE sites (
    id                  text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name_ja             text NOT NULL,
    name_en             text NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('center', 'ward', 'branch', 'popup')),
    address_ja          text NOT NULL DEFAULT '',
    address_en          text NOT NULL DEFAULT '',
    walk_in             boolean NOT NULL DEFAULT false,
    slot_minutes        int NOT NULL DEFAULT 15 CHECK (slot_minutes BETWEEN 5 AND 240),
    min_notice_minutes  int NOT NULL DEFAULT 720 CHECK (min_notice_minutes >= 0),
    horizon_days        int NOT NULL DEFAULT 56 CHECK (horizon_days BETWEEN 1 AND 366),
    hold_web_seconds    int NOT NULL DEFAULT 300 CHECK (hold_web_seconds BETWEEN 10 AND 3600),
    hold_phone_seconds  int NOT NULL DEFAULT 120 CHECK (hold_phone_seconds BETWEEN 10 AND 3600),
    sort_order          int NOT NULL DEFAULT 100,   -- where the site is listed to residents
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- The counters (交付窓口) of a site; opening rules say how many are staffed and how many
-- residents each serves per slot.
CREATE TABLE counters (
    site_id  text NOT NULL REFERENCES sites ON DELETE CASCADE,
    number   int NOT NULL CHECK (number > 0),
    active   boolean NOT NULL DEFAULT true,
    PRIMARY KEY (site_id, number)
);

CREATE TABLE opening_rules (
    id            bigserial PRIMARY KEY,
    site_id       text NOT NULL REFERENCES sites ON DELETE CASCADE,
    weekdays      smallint[] NOT NULL,                  -- ISO: 1 = Monday .. 7 = Sunday
    nth_of_month  smallint[] NOT NULL DEFAULT '{}',     -- e.g. {2,4}: 2nd and 4th of the month
    holidays      text NOT NULL DEFAULT 'exclude' CHECK (holidays IN ('exclude', 'include', 'only')),
    opens         time NOT NULL,
    closes        time NOT NULL,
    counters      int NOT NULL CHECK (counters >= 0),
    per_counter   int NOT NULL CHECK (per_counter >= 0),
    label         text NOT NULL DEFAULT 'regular',
    valid_from    date,
    valid_to      date,
    CHECK (closes > opens)
);
CREATE INDEX opening_rules_site ON opening_rules (site_id);

CREATE TABLE holidays (
    day      date PRIMARY KEY,
    name_ja  text NOT NULL,
    name_en  text NOT NULL
);

-- A closed day, for one site or (site_id NULL) for every site.
CREATE TABLE closures (
    id          bigserial PRIMARY KEY,
    site_id     text REFERENCES sites ON DELETE CASCADE,
    day         date NOT NULL,
    reason      text NOT NULL,
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX closures_site_day ON closures (site_id, day) WHERE site_id IS NOT NULL;
CREATE UNIQUE INDEX closures_all_day ON closures (day) WHERE site_id IS NULL;

CREATE TABLE slots (
    id               bigserial PRIMARY KEY,
    site_id          text NOT NULL REFERENCES sites ON DELETE CASCADE,
    start_at         timestamptz NOT NULL,
    end_at           timestamptz NOT NULL,
    capacity         int NOT NULL,
    quota_web        int NOT NULL,
    quota_phone      int NOT NULL,
    booked           int NOT NULL DEFAULT 0,   -- regular bookings
    held             int NOT NULL DEFAULT 0,   -- seats held while a resident decides
    override_booked  int NOT NULL DEFAULT 0,   -- bookings an operator forced, counted apart
    blocked          boolean NOT NULL DEFAULT false,
    block_reason     text,
    label            text NOT NULL DEFAULT 'regular',
    version          bigint NOT NULL DEFAULT 1,
    UNIQUE (site_id, start_at),
    CHECK (end_at > start_at),
    CHECK (booked >= 0 AND held >= 0 AND override_booked >= 0),
    CHECK (booked <= capacity),
    CHECK (booked + held <= capacity),
    CHECK (0 <= quota_web AND quota_web <= quota_phone AND quota_phone <= capacity)
);
CREATE INDEX slots_site_start ON slots (site_id, start_at);

CREATE TABLE cards (
    id             bigserial PRIMARY KEY,
    notice_number  text NOT NULL UNIQUE CHECK (notice_number ~ '^[0-9]{6,20}$'),
    birth_date     date NOT NULL,
    phone          text,
    site_id        text NOT NULL REFERENCES sites,
    state          text NOT NULL CHECK (state IN ('applied', 'incomplete', 'ready', 'issued', 'cancelled')),
    cancel_reason  text CHECK (cancel_reason IN ('moved_out', 'moved_between_wards', 'died', 'expired', 'withdrawn')),
    applied_on     date,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cards_phone ON cards (phone) WHERE phone IS NOT NULL;
CREATE INDEX cards_site_state ON cards (site_id, state);

-- Every change of a card's state, for the monthly report and the reconciliation.
CREATE TABLE card_events (
    id          bigserial PRIMARY KEY,
    card_id     bigint NOT NULL REFERENCES cards ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    from_state  text,
    to_state    text NOT NULL,
    reason      text,
    source      text NOT NULL
);
CREATE INDEX card_events_card ON card_events (card_id);

-- Booking ids are handed out in blocks of 1000 so that a shard can number bookings without a
-- round trip; the code printed for the resident is derived from the id.
CREATE SEQUENCE booking_id_blocks START 1;

CREATE TABLE bookings (
    id               bigint PRIMARY KEY,
    code             text NOT NULL UNIQUE,
    card_id          bigint NOT NULL REFERENCES cards,
    site_id          text NOT NULL REFERENCES sites,
    slot_id          bigint NOT NULL REFERENCES slots,
    channel          text NOT NULL CHECK (channel IN ('web', 'phone', 'operator')),
    status           text NOT NULL CHECK (status IN ('active', 'cancelled', 'issued', 'no_show')),
    override         boolean NOT NULL DEFAULT false,
    override_reason  text,
    booked_by        text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    end_reason       text
);
CREATE UNIQUE INDEX bookings_one_active_per_card ON bookings (card_id) WHERE status = 'active';
CREATE INDEX bookings_active_slot ON bookings (slot_id) WHERE status = 'active';

CREATE TABLE booking_events (
    id          bigserial PRIMARY KEY,
    booking_id  bigint NOT NULL REFERENCES bookings ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    from_slot   bigint,
    to_slot     bigint,
    actor       text,
    reason      text
);
CREATE INDEX booking_events_booking ON booking_events (booking_id);

CREATE TABLE holds (
    id          uuid PRIMARY KEY,
    card_id     bigint NOT NULL REFERENCES cards,
    slot_id     bigint NOT NULL REFERENCES slots,
    channel     text NOT NULL CHECK (channel IN ('web', 'phone', 'operator')),
    status      text NOT NULL CHECK (status IN ('active', 'confirmed', 'released', 'expired')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    closed_at   timestamptz
);
CREATE INDEX holds_active_expiry ON holds (expires_at) WHERE status = 'active';

CREATE TABLE users (
    name           text PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    role           text NOT NULL CHECK (role IN ('operator', 'admin')),
    password_hash  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled       boolean NOT NULL DEFAULT false
);

-- API tokens are stored as SHA-256 digests: the token itself is shown once and never kept.
CREATE TABLE api_tokens (
    token_hash  bytea PRIMARY KEY,
    user_name   text NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL,
    role    text NOT NULL,
    action  text NOT NULL,
    target  text,
    before  jsonb,
    after   jsonb,
    reason  text
);
CREATE INDEX audit_log_at ON audit_log (at);

-- The first answer to a POST carrying an Idempotency-Key, returned again on a retry.
CREATE TABLE idempotency_keys (
    scope         text NOT NULL,
    key           text NOT NULL,
    request_hash  text NOT NULL,
    status        int NOT NULL,
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- Values every instance must share, such as the key that signs residents' tokens.
CREATE TABLE settings (
    name   text PRIMARY KEY,
    value  text NOT NULL
);
