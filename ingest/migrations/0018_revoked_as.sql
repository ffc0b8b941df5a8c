-- Why a phone was revoked (issue 14, item 6): its worker left the job (`left`: the phone
-- keeps her unsent work and asks to join again, `401 revoked`), or it was lost or stolen
-- (`lost`: the phone wipes what it keeps, `401 revoked_lost`). NULL for a phone not revoked,
-- and for one revoked before this column, which reads as `left`.
ALTER TABLE devices ADD COLUMN revoked_as TEXT CHECK (revoked_as IN ('left', 'lost'));
