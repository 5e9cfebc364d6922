-- Card lifecycle and the administrators' reports (monthly counts, shelf counts, forecast).

-- The monthly report counts state changes by month: issuances and cancellations by the day
-- they happened, applications by the card's application day.
CREATE INDEX card_events_to_state_at ON card_events (to_state, at);
CREATE INDEX cards_applied_on ON cards (applied_on);

-- A card recorded at another site than before (moved between wards) keeps where it was.
ALTER TABLE card_events ADD COLUMN from_site text;
ALTER TABLE card_events ADD COLUMN to_site text;

-- Physical counts of the cards kept on a site's shelves (棚卸し); the latest per site and day counts.
CREATE TABLE inventory_counts (
    id          bigserial PRIMARY KEY,
    site_id     text NOT NULL REFERENCES sites,
    counted_on  date NOT NULL,
    counted     int NOT NULL CHECK (counted >= 0),
    note        text,
    counted_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_counts_site_day ON inventory_counts (site_id, counted_on);
