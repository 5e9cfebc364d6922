-- How to get to a site: a map link and notes on the station, parking and floor, in
-- Japanese and English, edited by administrators (each change audited in its transaction).
CREATE TABLE site_access (
    site_id     TEXT PRIMARY KEY REFERENCES sites,
    map_url     TEXT CHECK (map_url IS NULL OR map_url ~ '^https://'),
    station_ja  TEXT NOT NULL DEFAULT '',
    station_en  TEXT NOT NULL DEFAULT '',
    parking_ja  TEXT NOT NULL DEFAULT '',
    parking_en  TEXT NOT NULL DEFAULT '',
    floor_ja    TEXT NOT NULL DEFAULT '',
    floor_en    TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A resident's choice on the page about SMS notices of their booking (the box "Send me an SMS
-- confirmation"), kept for the card so that later notices (a cancellation) follow it. No row:
-- the resident never chose, and gets them.
CREATE TABLE card_notice_choices (
    card_id     BIGINT PRIMARY KEY REFERENCES cards,
    sms         BOOLEAN NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);
