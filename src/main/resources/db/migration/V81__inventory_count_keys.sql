-- A shelf count sent again (a retry after a timeout) with the same Idempotency-Key is stored once.
ALTER TABLE inventory_counts ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX inventory_counts_key ON inventory_counts (counted_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
