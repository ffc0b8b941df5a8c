-- Photo bytes each device has sent each day (UTC), whole photos and pieces counted as
-- declared when they arrive, against `--daily-upload-bytes`. Kept in the database so that a
-- restart does not give a phone a fresh day's share.

CREATE TABLE upload_quota (
    device_id TEXT    NOT NULL,
    day       TEXT    NOT NULL,
    bytes     INTEGER NOT NULL CHECK (bytes >= 0),
    PRIMARY KEY (device_id, day)
) STRICT;
