DROP TABLE attachments;
DROP FUNCTION attachments_append_only();
