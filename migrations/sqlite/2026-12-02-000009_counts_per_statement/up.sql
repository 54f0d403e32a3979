-- SQLite keeps the counts in the same triggers as before: it has no statement-level triggers,
-- and its row triggers update a row in place, so a long transaction does not slow them.
SELECT 1;
