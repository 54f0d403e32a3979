DROP TRIGGER report_moves_insert;
DROP TABLE report_moves;
CREATE INDEX events_moves_effective ON events (json_extract(payload, '$.effective'))
    WHERE kind = 'transitioned';
