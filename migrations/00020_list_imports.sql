-- +goose Up
-- A district's list, imported again, must update the exhibits its rows made
-- the first time rather than make them twice. The form has no id column, so a
-- row is recognised by listform.Key: 展品名称, 来源单位 and 联系人, folded to
-- half-width, lower case and without spaces. list_key holds the key of the row
-- an exhibit came from (or was first matched with); exhibits entered by hand
-- have none until a list names them. One key per unit: the same row cannot
-- make two exhibits even if two imports race past the per-unit advisory lock.
ALTER TABLE exhibits ADD COLUMN list_key text CHECK (list_key <> '');
CREATE UNIQUE INDEX exhibits_list_key ON exhibits (district, list_key) WHERE list_key IS NOT NULL;

-- One row per import that was written (dry runs leave none): who sent which
-- unit's list, what it did, and the footer the unit signed it with
-- (推荐单位（盖章）/ 联系人 / 联系电话), which the unit's export prints again.
CREATE TABLE list_imports (
    id             bigserial PRIMARY KEY,
    district       text NOT NULL REFERENCES units (code),
    actor_id       bigint REFERENCES users (id),
    actor          text NOT NULL,
    role           text NOT NULL,
    sheet          text NOT NULL,
    recommend      boolean NOT NULL,
    rows           integer NOT NULL CHECK (rows >= 0),
    created        integer NOT NULL CHECK (created >= 0),
    updated        integer NOT NULL CHECK (updated >= 0),
    unchanged      integer NOT NULL CHECK (unchanged >= 0),
    footer_unit    text NOT NULL DEFAULT '',
    footer_contact text NOT NULL DEFAULT '',
    footer_phone   text NOT NULL DEFAULT '',
    at             timestamptz NOT NULL
);
CREATE INDEX list_imports_latest ON list_imports (district, at DESC, id DESC);

-- +goose Down
DROP TABLE list_imports;
DROP INDEX exhibits_list_key;
ALTER TABLE exhibits DROP COLUMN list_key;
