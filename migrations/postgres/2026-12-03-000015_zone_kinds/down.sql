DROP TRIGGER case_zone_kinds_update ON case_screenings;
DROP TRIGGER case_zone_kinds_insert ON case_screenings;
DROP FUNCTION case_zone_kinds_track();
DROP TABLE case_zone_kinds;
