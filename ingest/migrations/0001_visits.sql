-- Visits received from phones. `visits` holds the newest revision of each visit;
-- `visit_revisions` keeps every revision ever received, the newest included.
-- `body` is the canonical JSON of the core `Visit`, exactly as it goes over the wire;
-- the other columns are copies of its fields for querying.

CREATE TABLE visits (
    id          TEXT    NOT NULL PRIMARY KEY,
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    child_name  TEXT    NOT NULL,
    visit_date  TEXT    NOT NULL,
    visit_type  TEXT    NOT NULL,
    risk_colour TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    received_at TEXT    NOT NULL
) STRICT;

CREATE TABLE visit_revisions (
    id          TEXT    NOT NULL REFERENCES visits (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    PRIMARY KEY (id, revision)
) STRICT;

CREATE INDEX visits_by_visit_date ON visits (visit_date, id);
