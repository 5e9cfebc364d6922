-- The abuse limits every instance counts in one place (app/limits/Attempts, store/PgAttempts):
-- verification per address, per calling number, per notice number, the service-wide failure
-- budget, the per-card change limit and the console sign-in limits. One row per (kind, key) and
-- window; `until` is when the row's window ends (and when the cleanup job may delete it).
-- `key` is an HMAC of what is counted (a calling number, an address, a notice number, a card),
-- never the thing itself, so that no phone number is written here.
-- UNLOGGED: not written to the WAL (cheaper on the booking path); after a crash of PostgreSQL the
-- table comes back empty, which forgives the counts of the current windows (an hour for a
-- verification, a day for booking changes); nothing else is lost.
CREATE UNLOGGED TABLE attempt_counts (
    kind text NOT NULL,
    key bytea NOT NULL,
    until timestamptz NOT NULL,
    count integer NOT NULL,
    -- set by the counts written in batches (the per-card change limit) when the row reached its
    -- limit: every instance reads the locked rows, few, through the partial index
    locked boolean NOT NULL DEFAULT false,
    PRIMARY KEY (kind, key)
);
CREATE INDEX attempt_counts_until ON attempt_counts (until);
CREATE INDEX attempt_counts_locked ON attempt_counts (kind, until) WHERE locked;
