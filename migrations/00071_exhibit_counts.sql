-- +goose Up
-- Counts of exhibits per unit, intake, creation day (UTC), state and whether the
-- item was ever reported: what the progress dashboard and the reminders' figures
-- add up, so they sum tens of thousands of rows instead of scanning every exhibit.
--
-- Transitions never update a shared counter (that would make every transition of
-- one unit wait for the others): a trigger appends a delta row, and the
-- compact_counts job folds deltas into exhibit_counts. Readers add both.
ALTER TABLE exhibits ADD COLUMN ever_reported boolean NOT NULL DEFAULT false;
UPDATE exhibits x SET ever_reported = true
 WHERE x.state NOT IN ('mobilized', 'withdrawn')
    OR EXISTS (SELECT 1 FROM exhibit_history h WHERE h.exhibit_id = x.id AND h.event = 'report');

CREATE TABLE exhibit_counts (
    district   text NOT NULL,
    intake     text NOT NULL,
    created_on date NOT NULL,
    state      text NOT NULL,
    reported   boolean NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (intake, created_on, district, state, reported)
);

CREATE TABLE exhibit_count_deltas (
    id         bigserial PRIMARY KEY,
    district   text NOT NULL,
    intake     text NOT NULL,
    created_on date NOT NULL,
    state      text NOT NULL,
    reported   boolean NOT NULL,
    n          integer NOT NULL
);
CREATE INDEX exhibit_count_deltas_day ON exhibit_count_deltas (intake, created_on);

INSERT INTO exhibit_counts (district, intake, created_on, state, reported, n)
SELECT district, intake, (created_at AT TIME ZONE 'UTC')::date, state, ever_reported, count(*)
  FROM exhibits GROUP BY 1, 2, 3, 4, 5;

-- +goose StatementBegin
-- Once reported, always counted as reported: a withdrawal later does not undo it.
CREATE FUNCTION exhibits_mark_reported() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state NOT IN ('mobilized', 'withdrawn') THEN
        NEW.ever_reported := true;
    ELSIF TG_OP = 'UPDATE' THEN
        NEW.ever_reported := NEW.ever_reported OR OLD.ever_reported;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER exhibits_mark_reported BEFORE INSERT OR UPDATE ON exhibits
    FOR EACH ROW EXECUTE FUNCTION exhibits_mark_reported();

-- +goose StatementBegin
CREATE FUNCTION exhibits_count_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.district, OLD.intake, OLD.created_at, OLD.state, OLD.ever_reported)
        IS NOT DISTINCT FROM (NEW.district, NEW.intake, NEW.created_at, NEW.state, NEW.ever_reported) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO exhibit_count_deltas (district, intake, created_on, state, reported, n)
        VALUES (OLD.district, OLD.intake, (OLD.created_at AT TIME ZONE 'UTC')::date, OLD.state, OLD.ever_reported, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO exhibit_count_deltas (district, intake, created_on, state, reported, n)
        VALUES (NEW.district, NEW.intake, (NEW.created_at AT TIME ZONE 'UTC')::date, NEW.state, NEW.ever_reported, 1);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER exhibits_count_delta AFTER INSERT OR UPDATE OR DELETE ON exhibits
    FOR EACH ROW EXECUTE FUNCTION exhibits_count_delta();

-- +goose Down
DROP TRIGGER exhibits_count_delta ON exhibits;
DROP FUNCTION exhibits_count_delta();
DROP TRIGGER exhibits_mark_reported ON exhibits;
DROP FUNCTION exhibits_mark_reported();
DROP TABLE exhibit_count_deltas;
DROP TABLE exhibit_counts;
ALTER TABLE exhibits DROP COLUMN ever_reported;
