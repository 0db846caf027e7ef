-- +goose Up
-- Collection agreements (征集协议) are numbered BYGJ-<year>-<NNNN>: one counter
-- row per year of signing, incremented in the signing transaction, so a number
-- is taken only by a signing that commits and the numbers of a year leave no gap.
CREATE TABLE agreement_counters (
    year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    last integer NOT NULL CHECK (last >= 1)
);

-- The agreement's number and the terms the first columns (00004) did not have:
-- a donation's form (original or copy, 六（1）) and a consignment's commission.
ALTER TABLE exhibits
    ADD COLUMN agreement_number text UNIQUE CHECK (agreement_number ~ '^BYGJ-[0-9]{4}-[0-9]{4,}$'),
    ADD COLUMN donation_form    text NOT NULL DEFAULT '' CHECK (donation_form IN ('', 'original', 'copy')),
    ADD COLUMN commission_pct   numeric(5, 2) CHECK (commission_pct BETWEEN 0 AND 100);

-- +goose Down
ALTER TABLE exhibits DROP COLUMN commission_pct, DROP COLUMN donation_form, DROP COLUMN agreement_number;
DROP TABLE agreement_counters;
