DROP TRIGGER case_map_update ON cases;
DROP TRIGGER case_map_delete ON cases;
DROP TRIGGER case_map_insert ON cases;
DROP FUNCTION case_map_bump();
DELETE FROM counters WHERE name = 'case-map-version';
