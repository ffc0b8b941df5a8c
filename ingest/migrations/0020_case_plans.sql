-- Case plans (一人一策一案, issue 16 items 2 and 3): for a child rated red or yellow, or after
-- a mandatory report, kept like any record: the current revision, every revision, and
-- conflicting bodies aside. `report_visit_id` names the visit whose report a plan follows up;
-- `state` is core's `PlanState` (`waiting`, `approved`, `closed`).
CREATE TABLE case_plans (
    id              TEXT    NOT NULL PRIMARY KEY,
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    child_id        TEXT    NOT NULL,
    report_visit_id TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('waiting', 'approved', 'closed')),
    body            TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    received_at     TEXT    NOT NULL,
    scope_township  TEXT    NOT NULL DEFAULT '',
    scope_village   TEXT    NOT NULL DEFAULT '',
    sent_by         TEXT
) STRICT;

CREATE INDEX case_plans_by_child ON case_plans (child_id);
CREATE INDEX case_plans_by_place ON case_plans (scope_township, state);

CREATE TABLE case_plan_revisions (
    id          TEXT    NOT NULL REFERENCES case_plans (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    sent_by     TEXT,
    PRIMARY KEY (id, revision)
) STRICT;

CREATE TABLE case_plan_conflicts (
    id          TEXT    NOT NULL REFERENCES case_plans (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    sent_by     TEXT,
    UNIQUE (id, revision, body)
) STRICT;

-- The changes feed carries case plans too: its kind's CHECK is widened by rebuilding the
-- table with every row and `seq` as they were (a cursor held by a phone stays valid).
CREATE TABLE changes_new (
    seq            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL CHECK (kind IN ('child', 'visit', 'pairing', 'case_plan')),
    record_id      TEXT    NOT NULL,
    child_id       TEXT    NOT NULL,
    scope_township TEXT    NOT NULL,
    scope_village  TEXT    NOT NULL,
    UNIQUE (kind, record_id)
) STRICT;

INSERT INTO changes_new (seq, kind, record_id, child_id, scope_township, scope_village)
SELECT seq, kind, record_id, child_id, scope_township, scope_village FROM changes;

-- AUTOINCREMENT never gives a number twice: the new table goes on from the old one's highest
-- number ever given, even if that row has since been replaced.
UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM sqlite_sequence WHERE name IN ('changes', 'changes_new'))
WHERE name = 'changes_new';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'changes_new', seq FROM sqlite_sequence WHERE name = 'changes'
AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'changes_new');

DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;

CREATE INDEX changes_by_place ON changes (scope_township, scope_village, seq);
CREATE INDEX changes_by_child ON changes (child_id);
