-- Which photos each visit revision the server holds names (its photo-slot answers): one row
-- per (visit, revision, photo), for the current revision, every revision in history and every
-- conflict kept aside (a conflict shares its id and revision with the held one). Written in the
-- transaction that stores the visit. The cleanup never removes a photo named here; the photo
-- export finds the visits with photos by it.

CREATE TABLE visit_photos (
    visit_id TEXT    NOT NULL REFERENCES visits (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    sha256   TEXT    NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (visit_id, revision, sha256)
) STRICT;

CREATE INDEX visit_photos_by_sha256 ON visit_photos (sha256);

-- The visits already held: a photo note is the only object in the answers with a `sha256`.
INSERT OR IGNORE INTO visit_photos (visit_id, revision, sha256)
SELECT r.id, r.revision, note.value
FROM visit_revisions AS r, json_tree(r.body, '$.answers') AS note
WHERE note.key = 'sha256' AND note.type = 'text' AND length(note.value) = 64;

INSERT OR IGNORE INTO visit_photos (visit_id, revision, sha256)
SELECT c.id, c.revision, note.value
FROM visit_conflicts AS c, json_tree(c.body, '$.answers') AS note
WHERE note.key = 'sha256' AND note.type = 'text' AND length(note.value) = 64;
