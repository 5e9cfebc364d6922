-- The seat journal sends a whole batch (BEGIN ... COMMIT) in one round trip. Each statement
-- checks that it changed as many rows as it had to; when it did not (a card no longer ready,
-- seats taken by another instance), this raises, the transaction aborts and COMMIT rolls back.
CREATE FUNCTION madoguchi_expect(actual bigint, expected integer, what text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF actual <> expected THEN
        RAISE EXCEPTION 'batch condition failed: % (% of %)', what, actual, expected USING ERRCODE = 'MD001';
    END IF;
    RETURN true;
END
$$;
