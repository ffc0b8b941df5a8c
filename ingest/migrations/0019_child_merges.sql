-- One child, not two (issue 15, item 5): the supervisor merges a child's file into another
-- file of the same child. The merged file stays (its revisions are history, never deleted)
-- but leaves every list, export and search: `merged_into` names the file kept. Its row in
-- the changes feed then tells phones to drop it (`GET /api/v1/changes`, `merges`).
ALTER TABLE children ADD COLUMN merged_into TEXT;
