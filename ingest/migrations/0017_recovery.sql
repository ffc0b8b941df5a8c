-- A forgotten PIN never loses unsent work (issue 14, item 3). Each phone sends the data key
-- of its vault once it has joined; the server keeps it sealed (AES-256-GCM) under a key of
-- its own that is not in this database (`--recovery-key-file`), bound to the device and the
-- vault, so a sealed key copied to another row does not open. A supervisor issues a recovery
-- for a phone of her township: an eight-digit code, of which only its SHA-256 bound to the
-- device is kept, good once, for a day and for a few tries. Revoking a phone forgets both.

CREATE TABLE recovery_keys (
    device_id    TEXT NOT NULL PRIMARY KEY REFERENCES devices (id),
    vault_id     TEXT NOT NULL UNIQUE,  -- what a locked phone names when it claims its key
    sealed_key   BLOB NOT NULL,         -- the data key sealed under the server's key
    deposited_at TEXT NOT NULL
) STRICT;

-- At most one recovery a device: issuing another replaces it.
CREATE TABLE recoveries (
    device_id  TEXT    NOT NULL PRIMARY KEY REFERENCES devices (id),
    code_hash  TEXT    NOT NULL CHECK (length(code_hash) = 64),
    issued_by  TEXT    NOT NULL REFERENCES devices (id),  -- the supervisor's phone
    issued_at  TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    tries_left INTEGER NOT NULL CHECK (tries_left >= 0),  -- 0: void, tried too often
    used_at    TEXT                                       -- set once the key was given back
) STRICT;
