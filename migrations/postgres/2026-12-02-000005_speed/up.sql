-- Speed at the size of a real office.

-- The stored screening document (a few kB) moves out of `cases`, so that the queue and every
-- other read of case rows no longer carries it; it is read only where it is shown.
CREATE TABLE case_screenings (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    body TEXT NOT NULL
);
INSERT INTO case_screenings (case_id, body)
    SELECT id, screening FROM cases WHERE screening IS NOT NULL;
ALTER TABLE cases DROP COLUMN screening;

-- Cases per state for the dashboard, kept by the database in the same transaction as every
-- insert, move and removal of a case. Two rows change in state-name order, so that two moves
-- in opposite directions cannot deadlock.
CREATE TABLE case_counts (
    state TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO case_counts (state, n) SELECT state, COUNT(*) FROM cases GROUP BY state;
CREATE FUNCTION case_counts_track() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state > NEW.state THEN
        INSERT INTO case_counts (state, n) VALUES (NEW.state, 1)
            ON CONFLICT (state) DO UPDATE SET n = case_counts.n + 1;
        UPDATE case_counts SET n = n - 1 WHERE state = OLD.state;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE case_counts SET n = n - 1 WHERE state = OLD.state;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO case_counts (state, n) VALUES (NEW.state, 1)
            ON CONFLICT (state) DO UPDATE SET n = case_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_track();
CREATE TRIGGER case_counts_update AFTER UPDATE OF state ON cases
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION case_counts_track();

-- Cases per next deadline, kept the same way: the dashboard's overdue and due-this-week counts
-- add up a few days' rows instead of counting cases. Two rows change in date order.
CREATE TABLE due_counts (
    day DATE PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO due_counts (day, n) SELECT next_due, COUNT(*) FROM cases GROUP BY next_due;
CREATE FUNCTION due_counts_track() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.next_due > NEW.next_due THEN
        INSERT INTO due_counts (day, n) VALUES (NEW.next_due, 1)
            ON CONFLICT (day) DO UPDATE SET n = due_counts.n + 1;
        UPDATE due_counts SET n = n - 1 WHERE day = OLD.next_due;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE due_counts SET n = n - 1 WHERE day = OLD.next_due;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO due_counts (day, n) VALUES (NEW.next_due, 1)
            ON CONFLICT (day) DO UPDATE SET n = due_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER due_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION due_counts_track();
CREATE TRIGGER due_counts_update AFTER UPDATE OF next_due ON cases
    FOR EACH ROW WHEN (OLD.next_due IS DISTINCT FROM NEW.next_due)
    EXECUTE FUNCTION due_counts_track();

-- Full-text search over `cases.search_text` (the words of the reference, title, summary,
-- address and party names, made by `domain::search`). The words are taken as they are, not
-- parsed again, so both databases index the same words.
ALTER TABLE cases ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(search_text, ' '), ''))) STORED;
CREATE INDEX cases_search ON cases USING GIN (search_vector);

-- The words of existing cases are rewritten at start by the new folding (see
-- `service::search::reindex`); until then they are searched as stored.
INSERT INTO counters (name, value) VALUES ('search-format', 0)
    ON CONFLICT (name) DO UPDATE SET value = 0;
