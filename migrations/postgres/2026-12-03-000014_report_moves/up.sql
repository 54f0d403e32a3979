-- The reports page reads each move of a year by its effective date. Parsing every move's JSON
-- payload to find them took seconds at 100,000 cases; this narrow table keeps the four facts the
-- reports need of each move, written by a trigger as the move's event is appended (events are
-- never updated or deleted), with an index that answers a year's counts without the payloads.
CREATE TABLE report_moves (
    event_id BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    effective TEXT,
    f TEXT,
    t TEXT,
    o TEXT
);
INSERT INTO report_moves (event_id, case_id, effective, f, t, o)
    SELECT id, case_id, payload::jsonb ->> 'effective', payload::jsonb ->> 'from',
           payload::jsonb ->> 'to', payload::jsonb ->> 'outcome'
    FROM events WHERE kind = 'transitioned';
CREATE INDEX report_moves_effective ON report_moves (effective, t, f, o, case_id);
CREATE FUNCTION report_moves_track() RETURNS trigger AS $$
DECLARE
    p jsonb := NEW.payload::jsonb;
BEGIN
    INSERT INTO report_moves (event_id, case_id, effective, f, t, o)
    VALUES (NEW.id, NEW.case_id, p ->> 'effective', p ->> 'from', p ->> 'to', p ->> 'outcome');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER report_moves_insert AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.kind = 'transitioned') EXECUTE FUNCTION report_moves_track();
DROP INDEX events_moves_effective;
