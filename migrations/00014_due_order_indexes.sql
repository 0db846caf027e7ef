-- +goose Up
-- The sweeps take due rows a batch at a time in a total order, (due_at, key)
-- so that ties do not make each batch sort every due row again: after a long
-- downtime a million rows may be due at once.
DROP INDEX return_reminders_due;
CREATE INDEX return_reminders_due ON return_reminders (due_at, exhibit_id);
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_at, id) WHERE state = 'pending';

-- +goose Down
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_at) WHERE state = 'pending';
DROP INDEX return_reminders_due;
CREATE INDEX return_reminders_due ON return_reminders (due_at);
