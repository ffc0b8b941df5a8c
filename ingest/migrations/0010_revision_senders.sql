-- Every revision kept (history and conflicts) names the device that sent it, as the current
-- row does already (`sent_by`). Revisions received before this know only the sender of the
-- current revision, when they are it.
ALTER TABLE visit_revisions ADD COLUMN sent_by TEXT;
ALTER TABLE child_revisions ADD COLUMN sent_by TEXT;
ALTER TABLE visit_conflicts ADD COLUMN sent_by TEXT;
ALTER TABLE child_conflicts ADD COLUMN sent_by TEXT;

UPDATE visit_revisions SET sent_by = (
    SELECT v.sent_by FROM visits AS v WHERE v.id = visit_revisions.id AND v.revision = visit_revisions.revision
);
UPDATE child_revisions SET sent_by = (
    SELECT c.sent_by FROM children AS c WHERE c.id = child_revisions.id AND c.revision = child_revisions.revision
);
