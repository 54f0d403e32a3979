-- Bulk intake: one row per imported file, so that the same file (by its SHA-256) is noticed when
-- it comes again. The audit log holds the same import in words.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    cases BIGINT NOT NULL,
    first_reference TEXT,
    last_reference TEXT
);
CREATE INDEX imports_sha256 ON imports (sha256, id);
