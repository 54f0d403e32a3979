-- The dashboard's counts of new cases are kept once per INSERT statement instead of once per
-- row. A file of 10,000 reports is stored in one transaction; counted row by row, each insert
-- updated the same `lead` row again, and every update had to walk past the versions the
-- transaction had already written (quadratic time). Counted per statement, a few hundred cases
-- cost one update per state and per day. Moves and removals stay counted per row.
DROP TRIGGER case_counts_insert_delete ON cases;
DROP TRIGGER due_counts_insert_delete ON cases;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_track();
CREATE TRIGGER due_counts_delete AFTER DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION due_counts_track();

CREATE FUNCTION case_counts_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO case_counts (state, n)
        SELECT state, COUNT(*) FROM new_cases GROUP BY state ORDER BY state
        ON CONFLICT (state) DO UPDATE SET n = case_counts.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_counts_insert();

CREATE FUNCTION due_counts_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO due_counts (day, n)
        SELECT next_due, COUNT(*) FROM new_cases GROUP BY next_due ORDER BY next_due
        ON CONFLICT (day) DO UPDATE SET n = due_counts.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER due_counts_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION due_counts_insert();
