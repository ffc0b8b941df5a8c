-- Pairings (结对): a love mother or a volunteer paired with one child, kept like any record:
-- the current revision, every revision, and conflicting bodies aside.
CREATE TABLE pairings (
    id             TEXT    NOT NULL PRIMARY KEY,
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    child_id       TEXT    NOT NULL,
    worker_id      TEXT    NOT NULL,
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    body           TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    received_at    TEXT    NOT NULL,
    scope_township TEXT    NOT NULL DEFAULT '',
    scope_village  TEXT    NOT NULL DEFAULT '',
    sent_by        TEXT
) STRICT;

CREATE INDEX pairings_by_worker ON pairings (worker_id, active, child_id);

CREATE TABLE pairing_revisions (
    id          TEXT    NOT NULL REFERENCES pairings (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    sent_by     TEXT,
    PRIMARY KEY (id, revision)
) STRICT;

CREATE TABLE pairing_conflicts (
    id          TEXT    NOT NULL REFERENCES pairings (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    sent_by     TEXT,
    UNIQUE (id, revision, body)
) STRICT;

-- The changes feed that phones read with a cursor (`GET /api/v1/changes?after=`): one row
-- per record, at its latest change. Storing a record replaces its row, which takes the next
-- `seq` (AUTOINCREMENT never gives a number twice), so a cursor sees each record once, as
-- it now stands. `child_id` is the child the record is about; the place is the record's.
CREATE TABLE changes (
    seq            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL CHECK (kind IN ('child', 'visit', 'pairing')),
    record_id      TEXT    NOT NULL,
    child_id       TEXT    NOT NULL,
    scope_township TEXT    NOT NULL,
    scope_village  TEXT    NOT NULL,
    UNIQUE (kind, record_id)
) STRICT;

CREATE INDEX changes_by_place ON changes (scope_township, scope_village, seq);
CREATE INDEX changes_by_child ON changes (child_id);

-- What the server held before the feed: files first, then visits, each in the order
-- received. Records of no place (received before places were kept) reach no phone.
INSERT INTO changes (kind, record_id, child_id, scope_township, scope_village)
SELECT 'child', id, id, scope_township, scope_village FROM children
WHERE scope_township <> '' ORDER BY received_at, id;

INSERT INTO changes (kind, record_id, child_id, scope_township, scope_village)
SELECT 'visit', id, child_id, scope_township, scope_village FROM visits
WHERE scope_township <> '' ORDER BY received_at, id;
