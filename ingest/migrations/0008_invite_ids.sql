-- Invites are named by an id (the command line's `invites` and `revoke-invite`, a
-- supervisor's `GET /api/v1/invites`), never by their code, which is kept only hashed; an
-- invite can be revoked. An invite whose maker's device is revoked stops working too, which
-- is read from `devices` when the invite is used.
ALTER TABLE invites ADD COLUMN id TEXT;
ALTER TABLE invites ADD COLUMN revoked_at TEXT;

-- The invites made before ids: a random version 4 UUID each.
UPDATE invites SET id = lower(
    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
    substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))
) WHERE id IS NULL;

CREATE UNIQUE INDEX invites_by_id ON invites (id);
CREATE INDEX invites_by_township ON invites (township, created_at);
