-- Photos received from phones. The bytes are files in the data directory,
-- `photos/<first two hex digits>/<sha256>`; this table notes which are held.
-- `content_type` is what the bytes are (sniffed), not what the phone said.

CREATE TABLE photos (
    sha256       TEXT    NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    bytes        INTEGER NOT NULL CHECK (bytes >= 0),
    content_type TEXT    NOT NULL,
    received_at  TEXT    NOT NULL
) STRICT;
