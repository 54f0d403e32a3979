DROP TRIGGER report_moves_insert ON events;
DROP FUNCTION report_moves_track();
DROP TABLE report_moves;
CREATE INDEX events_moves_effective ON events (((payload::jsonb ->> 'effective')))
    WHERE kind = 'transitioned';
