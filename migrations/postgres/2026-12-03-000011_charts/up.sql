-- The dashboard's charts read a few rows of counts that the database keeps in the same
-- transaction as every change, as `case_counts` does: counting 100,000 cases on every view
-- would cost more than the rest of the page. Each chart has its own buckets:
--   intake   'YYYY-MM' of `received_on`              cases received that month
--   outcome  'YYYY outcome' of closed cases          the year of `state_since` (the closing day)
--   band     the risk band, '' when not screened     cases in that band
--   country  a party's country                       cases with at least one party from it
-- A bucket whose count falls to zero keeps its row at 0; readers leave zeros out. Inserts are
-- counted once per statement (a file of reports is one transaction: see 000009); moves and
-- removals row by row.
CREATE TABLE chart_counts (
    chart TEXT NOT NULL,
    bucket TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (chart, bucket)
);
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'intake', to_char(received_on, 'YYYY-MM'), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'band', COALESCE(risk_band, ''), COUNT(*) FROM cases GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'outcome', to_char(state_since, 'YYYY') || ' ' || outcome, COUNT(*) FROM cases
    WHERE state = 'closed' AND outcome IS NOT NULL GROUP BY 2;
INSERT INTO chart_counts (chart, bucket, n)
    SELECT 'country', country, COUNT(DISTINCT case_id) FROM parties GROUP BY country;

-- The buckets a case row counts in (NULL: none).
CREATE FUNCTION chart_outcome_bucket(state TEXT, outcome TEXT, since DATE) RETURNS TEXT AS $$
    SELECT CASE WHEN state = 'closed' AND outcome IS NOT NULL
        THEN to_char(since, 'YYYY') || ' ' || outcome END;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION chart_add(c TEXT, b TEXT, d BIGINT) RETURNS void AS $$
    INSERT INTO chart_counts (chart, bucket, n) SELECT c, b, d WHERE b IS NOT NULL
        ON CONFLICT (chart, bucket) DO UPDATE SET n = chart_counts.n + EXCLUDED.n;
$$ LANGUAGE sql;

CREATE FUNCTION chart_cases_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO chart_counts (chart, bucket, n)
        SELECT chart, bucket, COUNT(*) FROM (
            SELECT 'band' AS chart, COALESCE(risk_band, '') AS bucket FROM new_cases
            UNION ALL SELECT 'intake', to_char(received_on, 'YYYY-MM') FROM new_cases
            UNION ALL SELECT 'outcome', chart_outcome_bucket(state, outcome, state_since)
                FROM new_cases WHERE state = 'closed' AND outcome IS NOT NULL
        ) b GROUP BY chart, bucket ORDER BY chart, bucket
        ON CONFLICT (chart, bucket) DO UPDATE SET n = chart_counts.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER chart_cases_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION chart_cases_insert();

CREATE FUNCTION chart_cases_track() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM chart_add('intake', to_char(OLD.received_on, 'YYYY-MM'), -1);
        PERFORM chart_add('band', COALESCE(OLD.risk_band, ''), -1);
        PERFORM chart_add('outcome',
            chart_outcome_bucket(OLD.state, OLD.outcome, OLD.state_since), -1);
        RETURN NULL;
    END IF;
    IF to_char(OLD.received_on, 'YYYY-MM') <> to_char(NEW.received_on, 'YYYY-MM') THEN
        PERFORM chart_add('intake', to_char(OLD.received_on, 'YYYY-MM'), -1);
        PERFORM chart_add('intake', to_char(NEW.received_on, 'YYYY-MM'), 1);
    END IF;
    IF OLD.risk_band IS DISTINCT FROM NEW.risk_band THEN
        PERFORM chart_add('band', COALESCE(OLD.risk_band, ''), -1);
        PERFORM chart_add('band', COALESCE(NEW.risk_band, ''), 1);
    END IF;
    IF chart_outcome_bucket(OLD.state, OLD.outcome, OLD.state_since)
        IS DISTINCT FROM chart_outcome_bucket(NEW.state, NEW.outcome, NEW.state_since) THEN
        PERFORM chart_add('outcome',
            chart_outcome_bucket(OLD.state, OLD.outcome, OLD.state_since), -1);
        PERFORM chart_add('outcome',
            chart_outcome_bucket(NEW.state, NEW.outcome, NEW.state_since), 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER chart_cases_delete AFTER DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION chart_cases_track();
CREATE TRIGGER chart_cases_update
    AFTER UPDATE OF received_on, risk_band, state, outcome, state_since ON cases
    FOR EACH ROW EXECUTE FUNCTION chart_cases_track();

-- A case counts once under each country among its parties. Per statement, each (case,
-- country) pair the statement touched is counted as it stands now against how it stood
-- before (now less the rows added, plus the rows removed), through `parties_country`. This
-- makes the statement; each trigger function runs it itself, since only it sees its
-- transition tables.
CREATE FUNCTION chart_parties_sql(delta_rows TEXT) RETURNS TEXT AS $$
BEGIN
    RETURN format($q$
        INSERT INTO chart_counts (chart, bucket, n)
        SELECT 'country', country, SUM(after - before) FROM (
            SELECT d.country,
                   CASE WHEN now_n > 0 THEN 1 ELSE 0 END AS after,
                   CASE WHEN now_n - d.k > 0 THEN 1 ELSE 0 END AS before
            FROM (SELECT case_id, country, SUM(k) AS k FROM (%s) r
                  GROUP BY case_id, country) d,
            LATERAL (SELECT COUNT(*) AS now_n FROM parties p
                     WHERE p.country = d.country AND p.case_id = d.case_id) c
        ) x GROUP BY country HAVING SUM(after - before) <> 0 ORDER BY country
        ON CONFLICT (chart, bucket) DO UPDATE SET n = chart_counts.n + EXCLUDED.n
    $q$, delta_rows);
END;
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE FUNCTION chart_parties_insert() RETURNS trigger AS $$
BEGIN
    EXECUTE chart_parties_sql('SELECT case_id, country, 1 AS k FROM new_parties');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER chart_parties_insert AFTER INSERT ON parties
    REFERENCING NEW TABLE AS new_parties
    FOR EACH STATEMENT EXECUTE FUNCTION chart_parties_insert();

CREATE FUNCTION chart_parties_delete() RETURNS trigger AS $$
BEGIN
    EXECUTE chart_parties_sql('SELECT case_id, country, -1 AS k FROM old_parties');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER chart_parties_delete AFTER DELETE ON parties
    REFERENCING OLD TABLE AS old_parties
    FOR EACH STATEMENT EXECUTE FUNCTION chart_parties_delete();

CREATE FUNCTION chart_parties_update() RETURNS trigger AS $$
BEGIN
    EXECUTE chart_parties_sql('SELECT case_id, country, 1 AS k FROM new_parties
        UNION ALL SELECT case_id, country, -1 FROM old_parties');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER chart_parties_update AFTER UPDATE ON parties
    REFERENCING OLD TABLE AS old_parties NEW TABLE AS new_parties
    FOR EACH STATEMENT EXECUTE FUNCTION chart_parties_update();
