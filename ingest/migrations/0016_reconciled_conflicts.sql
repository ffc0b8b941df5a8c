-- Two phones, one child: a child's file edit kept aside as a conflict is reconciled by the
-- township supervisor, who keeps one of the two versions as the file's next revision. The
-- kept-aside row stays (what was sent is never deleted) and notes when and by whom it was
-- reconciled, and which version was kept; the "to reconcile" list shows rows without it.
ALTER TABLE child_conflicts ADD COLUMN reconciled_at TEXT;
ALTER TABLE child_conflicts ADD COLUMN reconciled_by TEXT;
ALTER TABLE child_conflicts ADD COLUMN kept TEXT CHECK (kept IN ('held', 'kept_aside'));
