-- A shelf count reconciles one site: its cards now, and those moved away from it after the day
-- counted. The moves are few among the events, so a small partial index finds them.
CREATE INDEX card_events_moves ON card_events (from_site, at) WHERE to_site IS NOT NULL;
