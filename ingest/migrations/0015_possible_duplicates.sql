-- One child, not two: a file's ID number as files are compared (trimmed, upper-case `X`,
-- NULL when blank), and the pairs of files of one township that may be of one child (the
-- same ID number, or without one the same name, birth date and village), for the township
-- supervisor. A pair is kept once, its smaller id first.
ALTER TABLE children ADD COLUMN id_number TEXT;

UPDATE children SET id_number = NULLIF(upper(trim(COALESCE(json_extract(body, '$.id_number'), ''))), '');

CREATE INDEX children_by_id_number ON children (scope_township, id_number);
CREATE INDEX children_by_birth ON children (scope_township, birth_date, name);

CREATE TABLE possible_duplicates (
    first_id  TEXT NOT NULL REFERENCES children (id),
    second_id TEXT NOT NULL REFERENCES children (id),
    reason    TEXT NOT NULL CHECK (reason IN ('same_id_number', 'same_name_birth_date_village')),
    found_at  TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
) STRICT;

INSERT OR IGNORE INTO possible_duplicates (first_id, second_id, reason, found_at)
SELECT a.id, b.id, 'same_id_number', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM children AS a JOIN children AS b
  ON a.id < b.id AND a.scope_township = b.scope_township AND a.id_number = b.id_number
WHERE a.scope_township <> '' AND a.id_number IS NOT NULL;

INSERT OR IGNORE INTO possible_duplicates (first_id, second_id, reason, found_at)
SELECT a.id, b.id, 'same_name_birth_date_village', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM children AS a JOIN children AS b
  ON a.id < b.id AND a.scope_township = b.scope_township AND trim(a.name) = trim(b.name)
  AND a.birth_date = b.birth_date AND trim(a.village) = trim(b.village)
WHERE a.scope_township <> '' AND (a.id_number IS NULL OR b.id_number IS NULL);
