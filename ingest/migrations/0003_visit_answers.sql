-- A visit now names its child, the form (id and version) it answered and holds the answers
-- by field id (core `Visit`), instead of fixed fields with the child's name. Bodies of the
-- old shape no longer read as a `Visit`, so the old tables are kept aside as they are,
-- renamed `legacy_*_v0` (their foreign keys follow the rename), and new ones take their
-- place. Nothing reads the legacy tables; they are there so that no row is lost.

ALTER TABLE visits RENAME TO legacy_visits_v0;
ALTER TABLE visit_revisions RENAME TO legacy_visit_revisions_v0;
ALTER TABLE visit_conflicts RENAME TO legacy_visit_conflicts_v0;
-- Index names are global and an index keeps its name when its table is renamed.
DROP INDEX visits_by_visit_date;
CREATE INDEX legacy_visits_v0_by_visit_date ON legacy_visits_v0 (visit_date, id);

-- `visits` holds the newest revision of each visit, `visit_revisions` every revision ever
-- received, `visit_conflicts` what arrived with a revision already held but other content.
-- `body` is the canonical JSON of the core `Visit`, exactly as it goes over the wire; the
-- other columns are copies taken from it for querying:
--   visit_date       the `visit_date` answer as YYYY-MM-DD ('' if it cannot be read,
--                    though a visit is only stored once it validates, which needs it)
--   risk_colour      the `risk_colour` answer's code, NULL when not answered
--   next_visit_date  the `next_visit_date` answer as YYYY-MM-DD, NULL when not answered
--   mandatory_report 1 when the answers found harm, serious neglect or abandonment, which
--                    must be reported to the police (强制报告), else 0
CREATE TABLE visits (
    id               TEXT    NOT NULL PRIMARY KEY,
    revision         INTEGER NOT NULL CHECK (revision >= 1),
    child_id         TEXT    NOT NULL,
    form_id          TEXT    NOT NULL,
    form_version     INTEGER NOT NULL,
    visit_date       TEXT    NOT NULL,
    risk_colour      TEXT,
    next_visit_date  TEXT,
    mandatory_report INTEGER NOT NULL CHECK (mandatory_report IN (0, 1)),
    body             TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    received_at      TEXT    NOT NULL
) STRICT;

CREATE TABLE visit_revisions (
    id          TEXT    NOT NULL REFERENCES visits (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    PRIMARY KEY (id, revision)
) STRICT;

CREATE TABLE visit_conflicts (
    id          TEXT    NOT NULL REFERENCES visits (id),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    body        TEXT    NOT NULL,
    received_at TEXT    NOT NULL,
    UNIQUE (id, revision, body)
) STRICT;

CREATE INDEX visits_by_child ON visits (child_id, visit_date);
CREATE INDEX visits_by_visit_date ON visits (visit_date, id);
