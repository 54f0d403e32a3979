-- The dashboard's charts read a few rows of counts that the database keeps in the same
-- transaction as every change, as `case_counts` does: counting 100,000 cases on every view
-- would cost more than the rest of the page. Each chart has its own buckets:
--   intake   'YYYY-MM' of `received_on`              cases received that month
--   outcome  'YYYY outcome' of closed cases          the year of `state_since` (the closing day)
--   band     the risk band, '' when not screened     cases in that band
--   country  a party's country                       cases with at least one party from it
-- A bucket whose count falls to zero keeps its row at 0; readers leave zeros out.
CREATE TABLE chart_counts (
    chart TEXT NOT NULL,
    bucket TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (chart, bucket)
);
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'intake', substr(received_on, 1, 7), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'band', COALESCE(risk_band, ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'outcome', substr(state_since, 1, 4) || ' ' || outcome, COUNT(*) FROM cases
    WHERE state = 'closed' AND outcome IS NOT NULL GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'country', country, COUNT(DISTINCT case_id) FROM parties GROUP BY country;

CREATE TRIGGER chart_cases_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO chart_counts (chart, bucket, n) VALUES ('intake', substr(new.received_on, 1, 7), 1)
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
    INSERT INTO chart_counts (chart, bucket, n) VALUES ('band', COALESCE(new.risk_band, ''), 1)
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
    INSERT INTO chart_counts (chart, bucket, n)
        SELECT 'outcome', substr(new.state_since, 1, 4) || ' ' || new.outcome, 1
        WHERE new.state = 'closed' AND new.outcome IS NOT NULL
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER chart_cases_delete AFTER DELETE ON cases
BEGIN
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'intake' AND bucket = substr(old.received_on, 1, 7);
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'band' AND bucket = COALESCE(old.risk_band, '');
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'outcome' AND old.state = 'closed'
        AND bucket = substr(old.state_since, 1, 4) || ' ' || old.outcome;
END;
CREATE TRIGGER chart_cases_received AFTER UPDATE OF received_on ON cases
    WHEN substr(old.received_on, 1, 7) <> substr(new.received_on, 1, 7)
BEGIN
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'intake' AND bucket = substr(old.received_on, 1, 7);
    INSERT INTO chart_counts (chart, bucket, n) VALUES ('intake', substr(new.received_on, 1, 7), 1)
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER chart_cases_band AFTER UPDATE OF risk_band ON cases
    WHEN old.risk_band IS NOT new.risk_band
BEGIN
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'band' AND bucket = COALESCE(old.risk_band, '');
    INSERT INTO chart_counts (chart, bucket, n) VALUES ('band', COALESCE(new.risk_band, ''), 1)
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER chart_cases_outcome AFTER UPDATE OF state, outcome, state_since ON cases
    WHEN (CASE WHEN old.state = 'closed' THEN substr(old.state_since, 1, 4) || ' ' || old.outcome END)
        IS NOT (CASE WHEN new.state = 'closed' THEN substr(new.state_since, 1, 4) || ' ' || new.outcome END)
BEGIN
    UPDATE chart_counts SET n = n - 1
        WHERE chart = 'outcome' AND old.state = 'closed'
        AND bucket = substr(old.state_since, 1, 4) || ' ' || old.outcome;
    INSERT INTO chart_counts (chart, bucket, n)
        SELECT 'outcome', substr(new.state_since, 1, 4) || ' ' || new.outcome, 1
        WHERE new.state = 'closed' AND new.outcome IS NOT NULL
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;

-- A case counts once under each country among its parties: the first party of a country
-- adds it, the last one removed takes it away (both looked up through `parties_country`).
CREATE TRIGGER chart_parties_insert AFTER INSERT ON parties
    WHEN (SELECT COUNT(*) FROM parties WHERE country = new.country AND case_id = new.case_id) = 1
BEGIN
    INSERT INTO chart_counts (chart, bucket, n) VALUES ('country', new.country, 1)
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER chart_parties_delete AFTER DELETE ON parties
    WHEN NOT EXISTS (SELECT 1 FROM parties WHERE country = old.country AND case_id = old.case_id)
BEGIN
    UPDATE chart_counts SET n = n - 1 WHERE chart = 'country' AND bucket = old.country;
END;
CREATE TRIGGER chart_parties_update AFTER UPDATE OF case_id, country ON parties
    WHEN old.case_id <> new.case_id OR old.country <> new.country
BEGIN
    UPDATE chart_counts SET n = n - 1 WHERE chart = 'country' AND bucket = old.country
        AND NOT EXISTS (SELECT 1 FROM parties WHERE country = old.country AND case_id = old.case_id);
    INSERT INTO chart_counts (chart, bucket, n)
        SELECT 'country', new.country, 1
        WHERE (SELECT COUNT(*) FROM parties WHERE country = new.country AND case_id = new.case_id) = 1
        ON CONFLICT (chart, bucket) DO UPDATE SET n = n + 1;
END;
