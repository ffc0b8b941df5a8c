-- Training and certification (培训考核, issue 16 item 6): each course a worker took, recorded
-- by the county, and whether she passed its assessment. A worker is certified once she has
-- passed one (core's `training::Certification`). Rows are never changed: a new assessment is
-- a new row.
CREATE TABLE trainings (
    id          TEXT    NOT NULL PRIMARY KEY,
    device_id   TEXT    NOT NULL REFERENCES devices (id),
    course      TEXT    NOT NULL,
    date        TEXT    NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    recorded_by TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
) STRICT;

CREATE INDEX trainings_by_device ON trainings (device_id, date);
