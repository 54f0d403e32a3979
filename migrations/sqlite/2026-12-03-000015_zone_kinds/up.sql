-- The reports page counts real-estate cases by the kind of site whose zone the property lies in.
-- The kinds are in each case's stored screening (JSON, `zones[].kind`); this narrow table keeps
-- them, one row per case and kind, written by triggers whenever a screening is stored or
-- replaced (a re-screening), so a year's counts never parse the documents.
CREATE TABLE case_zone_kinds (
    case_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
);
INSERT OR IGNORE INTO case_zone_kinds (case_id, kind)
    SELECT s.case_id, json_extract(z.value, '$.kind')
    FROM case_screenings s, json_each(s.body, '$.zones') z
    WHERE json_extract(z.value, '$.kind') IS NOT NULL;
CREATE INDEX case_zone_kinds_kind ON case_zone_kinds (kind, case_id);
CREATE TRIGGER case_zone_kinds_insert AFTER INSERT ON case_screenings
BEGIN
    INSERT OR IGNORE INTO case_zone_kinds (case_id, kind)
        SELECT NEW.case_id, json_extract(z.value, '$.kind') FROM json_each(NEW.body, '$.zones') z
        WHERE json_extract(z.value, '$.kind') IS NOT NULL;
END;
CREATE TRIGGER case_zone_kinds_update AFTER UPDATE OF body ON case_screenings
BEGIN
    DELETE FROM case_zone_kinds WHERE case_id = NEW.case_id;
    INSERT OR IGNORE INTO case_zone_kinds (case_id, kind)
        SELECT NEW.case_id, json_extract(z.value, '$.kind') FROM json_each(NEW.body, '$.zones') z
        WHERE json_extract(z.value, '$.kind') IS NOT NULL;
END;
