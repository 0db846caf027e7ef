-- +goose Up
-- The recommending units of districts.tsv (41 units plus 市外); rows come from
-- migration 2, which reads the embedded districts.tsv so the file stays the one source.
CREATE TABLE units (
    code    text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,12}$'),
    name_zh text NOT NULL,
    name_en text NOT NULL,
    kind    text NOT NULL CHECK (kind IN ('district', 'county', 'autonomous_county', 'zone', 'outside')),
    quota   integer NOT NULL CHECK (quota >= 0)
);

-- +goose Down
DROP TABLE units;
