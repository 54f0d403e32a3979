-- Speed at the size of a real office.

-- The stored screening document (a few kB) moves out of `cases`, so that the queue and every
-- other read of case rows no longer carries it; it is read only where it is shown.
CREATE TABLE case_screenings (
    case_id INTEGER PRIMARY KEY NOT NULL REFERENCES cases (id),
    body TEXT NOT NULL
);
INSERT INTO case_screenings (case_id, body)
    SELECT id, screening FROM cases WHERE screening IS NOT NULL;
ALTER TABLE cases DROP COLUMN screening;

-- Cases per state for the dashboard, kept by the database in the same transaction as every
-- insert, move and removal of a case.
CREATE TABLE case_counts (
    state TEXT PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO case_counts (state, n) SELECT state, COUNT(*) FROM cases GROUP BY state;
CREATE TRIGGER case_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_counts (state, n) VALUES (new.state, 1)
        ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_update AFTER UPDATE OF state ON cases WHEN old.state <> new.state
BEGIN
    UPDATE case_counts SET n = n - 1 WHERE state = old.state;
    INSERT INTO case_counts (state, n) VALUES (new.state, 1)
        ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_counts SET n = n - 1 WHERE state = old.state;
END;

-- Cases per next deadline, kept the same way: the dashboard's overdue and due-this-week counts
-- add up a few days' rows instead of counting cases.
CREATE TABLE due_counts (
    day DATE PRIMARY KEY NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO due_counts (day, n) SELECT next_due, COUNT(*) FROM cases GROUP BY next_due;
CREATE TRIGGER due_counts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO due_counts (day, n) VALUES (new.next_due, 1)
        ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER due_counts_update AFTER UPDATE OF next_due ON cases
    WHEN old.next_due <> new.next_due
BEGIN
    UPDATE due_counts SET n = n - 1 WHERE day = old.next_due;
    INSERT INTO due_counts (day, n) VALUES (new.next_due, 1)
        ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER due_counts_delete AFTER DELETE ON cases
BEGIN
    UPDATE due_counts SET n = n - 1 WHERE day = old.next_due;
END;

-- Full-text search over `cases.search_text` (the words of the reference, title, summary,
-- address and party names, made by `domain::search`), kept in step by triggers. The words come
-- folded already and hold only letters and digits, so the `ascii` tokenizer (every non-ASCII
-- character a token character) splits them at the spaces and nowhere else, as PostgreSQL does.
CREATE VIRTUAL TABLE case_search USING fts5(
    search_text,
    content = 'cases',
    content_rowid = 'id',
    tokenize = 'ascii',
    prefix = '2 3'
);
INSERT INTO case_search (case_search) VALUES ('rebuild');
CREATE TRIGGER case_search_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON cases
BEGIN
    INSERT INTO case_search (case_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO case_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER case_search_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO case_search (case_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;

-- The words of existing cases are rewritten at start by the new folding (see
-- `service::search::reindex`); until then they are searched as stored.
INSERT INTO counters (name, value) VALUES ('search-format', 0)
    ON CONFLICT (name) DO UPDATE SET value = 0;
