-- Workers and their phones (issue 6). A supervisor or the county makes an invite for one
-- role in one village (or, for a supervisor, one township); a worker opens its link and
-- enrols her phone, which gets a random device token. Invite codes and tokens are kept
-- only as their SHA-256 (hex): the database never holds what would let someone send.

CREATE TABLE invites (
    code_hash   TEXT    NOT NULL PRIMARY KEY CHECK (length(code_hash) = 64),
    role        TEXT    NOT NULL CHECK (role IN ('director', 'love_mother', 'volunteer', 'supervisor')),
    township    TEXT    NOT NULL CHECK (township <> ''),
    village     TEXT    NOT NULL,  -- '' for a supervisor: the whole township
    invited_by  TEXT    NOT NULL,  -- the inviter's name, as shown on the phone
    made_by     TEXT,              -- the device that made it, NULL from the command line
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    max_uses    INTEGER NOT NULL CHECK (max_uses >= 1),
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses)
) STRICT;

CREATE TABLE devices (
    id           TEXT    NOT NULL PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    name         TEXT    NOT NULL,
    phone        TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('director', 'love_mother', 'volunteer', 'supervisor')),
    township     TEXT    NOT NULL,
    village      TEXT    NOT NULL,
    invite       TEXT    NOT NULL REFERENCES invites (code_hash),
    enrolled_at  TEXT    NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
) STRICT;

CREATE INDEX devices_by_place ON devices (township, village);

-- Every read of a child's file or of a list or export of records: who (the device, or NULL
-- for the command line, with the name as it was then), what and when. Never updated.
CREATE TABLE audit_log (
    id        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    device_id TEXT    REFERENCES devices (id),
    actor     TEXT    NOT NULL,
    action    TEXT    NOT NULL,
    subject   TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at);

-- Whose a record is: the place of the phone that first sent it (a visit's and its child's
-- must agree), and the device that sent the current revision. Records received before
-- enrolment existed have '' and belong to no township until a phone of a place sends them.
ALTER TABLE visits ADD COLUMN scope_township TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN scope_village TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN sent_by TEXT;
ALTER TABLE children ADD COLUMN scope_township TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN scope_village TEXT NOT NULL DEFAULT '';
ALTER TABLE children ADD COLUMN sent_by TEXT;

CREATE INDEX visits_by_scope ON visits (scope_township, scope_village, visit_date);
CREATE INDEX children_by_scope ON children (scope_township, scope_village, name);
