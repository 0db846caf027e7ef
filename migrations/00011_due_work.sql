-- +goose Up
-- Due work. robfig/cron only triggers a tick; the tick takes the rows whose
-- due_at has passed and marks them done in the same transaction, so work missed
-- while no server ran is done at the next tick and nothing is done twice.

-- Campaign-wide jobs (workflow/campaign.Job): phase reminders, the list close,
-- the escalation. The key names the deadline's date, so an edited calendar adds
-- new keys and a key already done is never done again.
CREATE TABLE campaign_jobs (
    key         text PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    kind        text NOT NULL CHECK (kind IN ('phase_reminder', 'list_close', 'escalation')),
    phase       text NOT NULL CHECK (phase IN ('report', 'recommend', 'evaluate')),
    days_before integer NOT NULL DEFAULT 0,
    deadline    date NOT NULL,
    due_at      timestamptz NOT NULL,
    done_at     timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX campaign_jobs_due ON campaign_jobs (due_at) WHERE done_at IS NULL;

-- The one pending return reminder of each exhibit whose holder expects it back
-- (workflow/campaign.ReturnReminder): sending a step replaces it with the next.
CREATE TABLE return_reminders (
    exhibit_id bigint PRIMARY KEY REFERENCES exhibits (id),
    due        date NOT NULL,
    step       integer NOT NULL CHECK (step >= 0),
    on_day     date NOT NULL,
    due_at     timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX return_reminders_due ON return_reminders (due_at);

-- The last run of each job, for `bayu jobs list`.
CREATE TABLE job_runs (
    job         text PRIMARY KEY,
    last_at     timestamptz NOT NULL, -- the instant the run acted as of
    finished_at timestamptz NOT NULL, -- the wall clock when it finished
    done        integer NOT NULL,     -- rows of due work it took
    created     integer NOT NULL,     -- notices it created
    error       text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE return_reminders;
DROP TABLE campaign_jobs;
