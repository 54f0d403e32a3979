-- The reports page counts real-estate cases by the kind of site whose zone the property lies in.
-- The kinds are in each case's stored screening (JSON, `zones[].kind`); this narrow table keeps
-- them, one row per case and kind, written by a trigger whenever a screening is stored or
-- replaced (a re-screening), so a year's counts never parse the documents.
CREATE TABLE case_zone_kinds (
    case_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
);
INSERT INTO case_zone_kinds (case_id, kind)
    SELECT DISTINCT s.case_id, z ->> 'kind'
    FROM case_screenings s,
         jsonb_array_elements(COALESCE(s.body::jsonb -> 'zones', '[]'::jsonb)) z
    WHERE z ->> 'kind' IS NOT NULL;
CREATE INDEX case_zone_kinds_kind ON case_zone_kinds (kind, case_id);
CREATE FUNCTION case_zone_kinds_track() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM case_zone_kinds WHERE case_id = NEW.case_id;
    END IF;
    INSERT INTO case_zone_kinds (case_id, kind)
        SELECT DISTINCT NEW.case_id, z ->> 'kind'
        FROM jsonb_array_elements(COALESCE(NEW.body::jsonb -> 'zones', '[]'::jsonb)) z
        WHERE z ->> 'kind' IS NOT NULL;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_zone_kinds_insert AFTER INSERT ON case_screenings
    FOR EACH ROW EXECUTE FUNCTION case_zone_kinds_track();
CREATE TRIGGER case_zone_kinds_update AFTER UPDATE OF body ON case_screenings
    FOR EACH ROW EXECUTE FUNCTION case_zone_kinds_track();
