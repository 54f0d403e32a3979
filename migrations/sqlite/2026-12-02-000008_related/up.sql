-- Related cases (issue 10): the cases that share a party with a case, or lie near it, are found
-- through two indexes rather than a scan of every case.

-- Each party's name in its watchlist normal form (`domain::related::name_key`: case, accents,
-- punctuation and legal forms set aside). SQL cannot normalise names that way, so the keys of
-- existing parties are written at start by `service::related::rekey`, which the counter below
-- asks for; every new party is written with its key.
ALTER TABLE parties ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX parties_name_key ON parties (name_key, case_id);
INSERT INTO counters (name, value) VALUES ('party-key-format', 0)
    ON CONFLICT (name) DO UPDATE SET value = 0;

-- Nearby properties: a latitude range of the index, longitudes checked in the index too.
CREATE INDEX cases_location ON cases (lat, lon);

-- The other cases whose reviewers confirmed a watchlist entry (a confirmed alias).
CREATE INDEX watch_decisions_entry ON watch_decisions (entry_id, case_id);
