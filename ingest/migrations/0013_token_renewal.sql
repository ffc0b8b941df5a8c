-- Renewing a device token (POST /api/v1/devices/me/rotate) keeps the token the phone
-- presented as the previous one, still accepted until the phone first uses the new one: an
-- answer lost on a weak link must not lock the phone out. Kept only hashed, like the token.
ALTER TABLE devices ADD COLUMN previous_token_hash TEXT
    CHECK (previous_token_hash IS NULL OR length(previous_token_hash) = 64);

CREATE UNIQUE INDEX devices_by_previous_token ON devices (previous_token_hash)
    WHERE previous_token_hash IS NOT NULL;
