CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE closure_days (
    day DATE PRIMARY KEY NOT NULL,
    label TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    summary TEXT NOT NULL,
    tx_kind TEXT NOT NULL,
    tx_date DATE,
    tx_value_usd BIGINT,
    right_access BOOLEAN NOT NULL,
    right_exclude BOOLEAN NOT NULL,
    right_improve BOOLEAN NOT NULL,
    right_affix BOOLEAN NOT NULL,
    intended_use TEXT NOT NULL,
    power_mw DOUBLE,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    address TEXT NOT NULL,
    us_state TEXT,
    county_fips TEXT,
    acreage DOUBLE,
    urban_area BOOLEAN NOT NULL,
    single_housing_unit BOOLEAN NOT NULL,
    in_port BOOLEAN NOT NULL,
    commercial_office BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    state_since DATE NOT NULL,
    assignee TEXT REFERENCES users (username),
    lead_agency TEXT,
    created_by TEXT,
    received_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    tolled_since DATE,
    extension_used BOOLEAN NOT NULL,
    filing_number INTEGER NOT NULL,
    next_due DATE NOT NULL,
    search_text TEXT NOT NULL
);
CREATE INDEX cases_next_due ON cases (next_due, id);
CREATE INDEX cases_state_next_due ON cases (state, next_due, id);
CREATE INDEX cases_received ON cases (received_on, id);
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_assignee ON cases (assignee, next_due, id);
CREATE INDEX cases_lead_agency ON cases (lead_agency, next_due, id);

CREATE TABLE parties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    role TEXT NOT NULL,
    ownership_pct DOUBLE,
    owns TEXT,
    government_controlled BOOLEAN NOT NULL,
    state_owned BOOLEAN NOT NULL
);
CREATE INDEX parties_case ON parties (case_id, position);
CREATE INDEX parties_country ON parties (country, case_id);

CREATE TABLE deadlines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    starts DATE NOT NULL,
    due DATE NOT NULL,
    is_open BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX deadlines_case ON deadlines (case_id, is_open);

CREATE TABLE conditions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    due DATE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX conditions_case ON conditions (case_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);

-- The history is append-only: the database itself refuses to change or remove an event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
