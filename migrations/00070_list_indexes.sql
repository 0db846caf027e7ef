-- +goose Up
-- Keyset pages of one unit's or one state's items, newest first, without walking
-- the whole newest-first index past other units' rows (200 ms → 3 ms at 1,000,000
-- exhibits; docs/PERFORMANCE.md).
CREATE INDEX exhibits_district_newest ON exhibits (district, created_at DESC, id DESC);
CREATE INDEX exhibits_state_newest ON exhibits (state, created_at DESC, id DESC);

-- +goose Down
DROP INDEX exhibits_state_newest;
DROP INDEX exhibits_district_newest;
