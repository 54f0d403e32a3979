CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    part INTEGER,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    boundary_radius_mi DOUBLE NOT NULL,
    criticality INTEGER NOT NULL,
    us_state TEXT,
    listed_from DATE,
    listed_until DATE,
    counties TEXT NOT NULL,
    notes TEXT NOT NULL,
    boundary TEXT,
    retired BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sites_kind ON sites (kind, name);

CREATE TABLE watchlist_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    list TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    country TEXT,
    program TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX watchlist_entries_list ON watchlist_entries (list, name);

CREATE TABLE rule_sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    active BOOLEAN NOT NULL
);

CREATE TABLE watch_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    party TEXT NOT NULL,
    entry_id BIGINT NOT NULL,
    decision TEXT NOT NULL,
    rationale TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX watch_decisions_case ON watch_decisions (case_id);

ALTER TABLE cases ADD COLUMN screening TEXT;
ALTER TABLE cases ADD COLUMN jurisdiction TEXT;
ALTER TABLE cases ADD COLUMN risk_score INTEGER;
ALTER TABLE cases ADD COLUMN risk_band TEXT;
ALTER TABLE cases ADD COLUMN risk_overrides TEXT NOT NULL DEFAULT '{}';
CREATE INDEX cases_risk_band ON cases (risk_band, next_due, id);
CREATE INDEX cases_jurisdiction ON cases (jurisdiction, next_due, id);
