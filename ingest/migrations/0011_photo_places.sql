-- Whose a photo is: the places (township and village) whose phones sent its bytes whole, or
-- stored a visit naming it. Only a phone of such a place learns that the server holds it
-- (`GET /photos/{sha256}/upload`), and only a visit of such a place may name it. A photo with
-- no place (received before places were kept, and named by no visit of a place) is anyone's.
CREATE TABLE photo_places (
    sha256   TEXT NOT NULL CHECK (length(sha256) = 64),
    township TEXT NOT NULL,
    village  TEXT NOT NULL,
    PRIMARY KEY (sha256, township, village)
) STRICT;

INSERT OR IGNORE INTO photo_places (sha256, township, village)
SELECT vp.sha256, v.scope_township, v.scope_village
FROM visit_photos AS vp JOIN visits AS v ON v.id = vp.visit_id
WHERE v.scope_township <> '';

-- An upload in pieces belongs to the place of the phone that sent its first piece; '' for
-- the uploads begun before places were kept (anyone's).
ALTER TABLE photo_uploads ADD COLUMN scope_township TEXT NOT NULL DEFAULT '';
ALTER TABLE photo_uploads ADD COLUMN scope_village TEXT NOT NULL DEFAULT '';
