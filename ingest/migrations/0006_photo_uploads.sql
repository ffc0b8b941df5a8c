-- Photos being received in pieces (`Content-Range`). The bytes are the file
-- `partial/<sha256>` in the data directory; `received` counts those synced to disk (the file
-- may hold a tail beyond it after a crash, which the next piece cuts off). The row goes when
-- the photo is whole (in the transaction that notes it in `photos`), when its bytes turn out
-- wrong, or when the cleanup finds it untouched for longer than the grace period.

CREATE TABLE photo_uploads (
    sha256     TEXT    NOT NULL PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size > 0),
    received   INTEGER NOT NULL CHECK (received >= 0 AND received <= size),
    started_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;
