-- no-transaction
-- The county administrator (issue 16, item 5): a role of its own, `county`, whose place has
-- no township (one server serves one county), and the first run's invite, which the
-- server makes at start while no county administrator has joined (`first_run`). SQLite
-- cannot change a CHECK in place, so `invites` and `devices` are rebuilt as its manual
-- says (12 steps: foreign keys off, new table, copy, drop, rename, indexes, check), in one
-- transaction of its own; the sqlx bookkeeping follows it.
PRAGMA foreign_keys = OFF;

BEGIN IMMEDIATE;

DROP TABLE IF EXISTS invites_new;
CREATE TABLE invites_new (
    code_hash   TEXT    NOT NULL PRIMARY KEY CHECK (length(code_hash) = 64),
    role        TEXT    NOT NULL CHECK (role IN ('director', 'love_mother', 'volunteer', 'supervisor', 'county')),
    township    TEXT    NOT NULL CHECK (township <> '' OR role = 'county'),
    village     TEXT    NOT NULL,  -- '' for a supervisor: the whole township; '' for the county
    invited_by  TEXT    NOT NULL,  -- the inviter's name, as shown on the phone
    made_by     TEXT,              -- the device that made it, NULL from the command line
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    max_uses    INTEGER NOT NULL CHECK (max_uses >= 1),
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    id          TEXT,
    revoked_at  TEXT,
    -- 1 for the invite the server made at start for the county's first administrator.
    first_run   INTEGER NOT NULL DEFAULT 0 CHECK (first_run IN (0, 1))
) STRICT;
INSERT INTO invites_new (code_hash, role, township, village, invited_by, made_by, created_at, expires_at,
                         max_uses, uses, id, revoked_at)
    SELECT code_hash, role, township, village, invited_by, made_by, created_at, expires_at,
           max_uses, uses, id, revoked_at FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
CREATE UNIQUE INDEX invites_by_id ON invites (id);
CREATE INDEX invites_by_township ON invites (township, created_at);

DROP TABLE IF EXISTS devices_new;
CREATE TABLE devices_new (
    id           TEXT    NOT NULL PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    name         TEXT    NOT NULL,
    phone        TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('director', 'love_mother', 'volunteer', 'supervisor', 'county')),
    township     TEXT    NOT NULL,
    village      TEXT    NOT NULL,
    invite       TEXT    NOT NULL REFERENCES invites (code_hash),
    enrolled_at  TEXT    NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT,
    previous_token_hash TEXT
        CHECK (previous_token_hash IS NULL OR length(previous_token_hash) = 64),
    revoked_as   TEXT CHECK (revoked_as IN ('left', 'lost'))
) STRICT;
INSERT INTO devices_new (id, token_hash, name, phone, role, township, village, invite, enrolled_at,
                         last_seen_at, revoked_at, previous_token_hash, revoked_as)
    SELECT id, token_hash, name, phone, role, township, village, invite, enrolled_at,
           last_seen_at, revoked_at, previous_token_hash, revoked_as FROM devices;
DROP TABLE devices;
ALTER TABLE devices_new RENAME TO devices;
CREATE INDEX devices_by_place ON devices (township, village);
CREATE UNIQUE INDEX devices_by_previous_token ON devices (previous_token_hash)
    WHERE previous_token_hash IS NOT NULL;
CREATE INDEX devices_by_role ON devices (role);

PRAGMA foreign_key_check;

COMMIT;

PRAGMA foreign_keys = ON;
