-- Each node keeps the dashboard's map of open cases in memory and draws it again when this
-- counter has moved. The database moves it in the same transaction as every change to what the
-- map shows: a case logged or removed, closed or reopened, placed elsewhere, or given another
-- risk band, whichever node made it. (The newest case id and change time, used before, missed
-- a change stamped in the same second as the one before it, or by a node whose clock runs
-- behind another's.) Moves between open states leave it alone.
INSERT INTO counters (name, value) VALUES ('case-map-version', 0)
    ON CONFLICT (name) DO NOTHING;
CREATE FUNCTION case_map_bump() RETURNS trigger AS $$
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'case-map-version';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_map_insert AFTER INSERT ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_map_bump();
CREATE TRIGGER case_map_delete AFTER DELETE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION case_map_bump();
CREATE TRIGGER case_map_update AFTER UPDATE OF lat, lon, risk_band, state ON cases
    FOR EACH ROW WHEN (OLD.lat IS DISTINCT FROM NEW.lat OR OLD.lon IS DISTINCT FROM NEW.lon
        OR OLD.risk_band IS DISTINCT FROM NEW.risk_band
        OR (OLD.state = 'closed') <> (NEW.state = 'closed'))
    EXECUTE FUNCTION case_map_bump();
