-- Children's files (一童一档) received from phones, kept like visits: `children` holds the
-- newest revision of each file, `child_revisions` every revision ever received.
-- `body` is the canonical JSON of the core `Child`; the other columns are copies of its
-- fields for querying.
--
-- `child_conflicts` and `visit_conflicts` keep what arrived with a revision already held
-- but different content (two phones edited one record from the same base): the held one
-- stays current, the other is kept here for a person to reconcile. Resending the same
-- conflicting body adds nothing.

CREATE TABLE children (
    id          TEXT    NOT NULL PRIMARY KEY,
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    name        TEXT    NOT NULL,
    village     TEXT    NOT NULL,
    birth_date  TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    received_at TEXT    NOT NULL
) STRICT;

CREATE TABLE child_revisions (
    id          TEXT    NOT NULL REFERENCES children (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    PRIMARY KEY (id, revision)
) STRICT;

CREATE INDEX children_by_village_name ON children (village, name, id);

CREATE TABLE child_conflicts (
    id          TEXT    NOT NULL REFERENCES children (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    UNIQUE (id, revision, body)
) STRICT;

CREATE TABLE visit_conflicts (
    id          TEXT    NOT NULL REFERENCES visits (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    UNIQUE (id, revision, body)
) STRICT;
