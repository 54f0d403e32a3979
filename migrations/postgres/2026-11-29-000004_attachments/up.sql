-- Files attached to a case. The content lives in the database so that every node serves it;
-- like the history, an attachment is never changed or removed once stored.
CREATE TABLE attachments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    content BYTEA NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id, id);

CREATE FUNCTION attachments_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'attachments are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER attachments_no_update BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_append_only();
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION attachments_append_only();
