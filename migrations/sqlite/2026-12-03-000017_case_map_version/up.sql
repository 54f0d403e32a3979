-- Each node keeps the dashboard's map of open cases in memory and draws it again when this
-- counter has moved. The database moves it in the same transaction as every change to what the
-- map shows: a case logged or removed, closed or reopened, placed elsewhere, or given another
-- risk band. (The newest case id and change time, used before, missed a change stamped in the
-- same second as the one before it.) Moves between open states leave it alone.
INSERT INTO counters (name, value) VALUES ('case-map-version', 0)
    ON CONFLICT (name) DO NOTHING;
CREATE TRIGGER case_map_insert AFTER INSERT ON cases
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'case-map-version';
END;
CREATE TRIGGER case_map_delete AFTER DELETE ON cases
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'case-map-version';
END;
CREATE TRIGGER case_map_update AFTER UPDATE OF lat, lon, risk_band, state ON cases
    WHEN old.lat IS NOT new.lat OR old.lon IS NOT new.lon OR old.risk_band IS NOT new.risk_band
        OR (old.state = 'closed') <> (new.state = 'closed')
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'case-map-version';
END;
