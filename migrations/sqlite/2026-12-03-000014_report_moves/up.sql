-- The reports page reads each move of a year by its effective date. Parsing every move's JSON
-- payload to find them took seconds at 100,000 cases; this narrow table keeps the four facts the
-- reports need of each move, written by a trigger as the move's event is appended (events are
-- never updated or deleted), with an index that answers a year's counts without the payloads.
CREATE TABLE report_moves (
    event_id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL,
    effective TEXT,
    f TEXT,
    t TEXT,
    o TEXT
);
INSERT INTO report_moves (event_id, case_id, effective, f, t, o)
    SELECT id, case_id, json_extract(payload, '$.effective'), json_extract(payload, '$.from'),
           json_extract(payload, '$.to'), json_extract(payload, '$.outcome')
    FROM events WHERE kind = 'transitioned';
CREATE INDEX report_moves_effective ON report_moves (effective, t, f, o, case_id);
CREATE TRIGGER report_moves_insert AFTER INSERT ON events WHEN NEW.kind = 'transitioned'
BEGIN
    INSERT INTO report_moves (event_id, case_id, effective, f, t, o)
    VALUES (NEW.id, NEW.case_id, json_extract(NEW.payload, '$.effective'),
            json_extract(NEW.payload, '$.from'), json_extract(NEW.payload, '$.to'),
            json_extract(NEW.payload, '$.outcome'));
END;
DROP INDEX events_moves_effective;
