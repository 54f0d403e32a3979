DROP TRIGGER case_map_update;
DROP TRIGGER case_map_delete;
DROP TRIGGER case_map_insert;
DELETE FROM counters WHERE name = 'case-map-version';
