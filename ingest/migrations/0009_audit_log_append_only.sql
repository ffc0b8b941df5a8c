-- The audit log is written, never changed: no statement may update or delete its rows (the
-- database refuses them, whoever asks). Rows about one child name it in `child_id`, so that
-- `tongxing-ingest audit --child` finds them.
ALTER TABLE audit_log ADD COLUMN child_id TEXT;

CREATE INDEX audit_log_by_device ON audit_log (device_id, at);
CREATE INDEX audit_log_by_child ON audit_log (child_id, at);

CREATE TRIGGER audit_log_is_never_updated BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_is_never_deleted BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
