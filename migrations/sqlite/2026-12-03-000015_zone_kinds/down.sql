DROP TRIGGER case_zone_kinds_update;
DROP TRIGGER case_zone_kinds_insert;
DROP TABLE case_zone_kinds;
