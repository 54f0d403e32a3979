-- The reports page (db::reports): the moves of a year by their effective date, and the
-- extensions and condition updates of a year by when they were recorded. The expression is
-- written exactly as the queries write it, so the planner can match it.
CREATE INDEX events_moves_effective ON events (json_extract(payload, '$.effective'))
    WHERE kind = 'transitioned';
CREATE INDEX events_others_at ON events (at)
    WHERE kind IN ('extended', 'condition_updated');
