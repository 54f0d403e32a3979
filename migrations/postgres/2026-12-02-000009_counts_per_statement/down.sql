DROP TRIGGER due_counts_insert ON cases;
DROP FUNCTION due_counts_insert();
DROP TRIGGER case_counts_insert ON cases;
DROP FUNCTION case_counts_insert();
DROP TRIGGER due_counts_delete ON cases;
DROP TRIGGER case_counts_delete ON cases;
CREATE TRIGGER case_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION case_counts_track();
CREATE TRIGGER due_counts_insert_delete AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION due_counts_track();
