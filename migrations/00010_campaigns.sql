-- +goose Up
-- A campaign's calendar: three phases of whole days in the server's zone (BAYU_TZ).
-- One campaign is in force at a time; it decides intake tagging and the due work
-- of the campaign jobs.
CREATE TABLE campaigns (
    id                  bigserial PRIMARY KEY,
    name                text NOT NULL CHECK (name <> ''),
    year                integer NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    opens_on            date NOT NULL,
    report_starts_on    date NOT NULL,
    report_ends_on      date NOT NULL,
    recommend_starts_on date NOT NULL,
    recommend_ends_on   date NOT NULL,
    evaluate_starts_on  date NOT NULL,
    evaluate_ends_on    date NOT NULL,
    in_force            boolean NOT NULL DEFAULT false,
    version             bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    -- workflow/campaign.Validate says the same with a message per field; this
    -- keeps a hand-written UPDATE from storing a calendar that runs backwards.
    CHECK (report_starts_on <= report_ends_on AND report_ends_on < recommend_starts_on
       AND recommend_starts_on <= recommend_ends_on AND recommend_ends_on < evaluate_starts_on
       AND evaluate_starts_on <= evaluate_ends_on
       AND opens_on BETWEEN report_starts_on AND report_ends_on)
);
CREATE UNIQUE INDEX campaigns_one_in_force ON campaigns (in_force) WHERE in_force;

-- What happened to a campaign: its creation, every edit of its dates (before and
-- after), the list close. Append-only like the exhibits' history.
CREATE TABLE campaign_history (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns (id),
    event       text NOT NULL CHECK (event IN ('create', 'edit', 'list_close', 'retire')),
    actor_id    bigint REFERENCES users (id),
    actor       text NOT NULL,
    role        text NOT NULL,
    data        jsonb NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL
);
CREATE INDEX campaign_history_campaign ON campaign_history (campaign_id, id);
-- The list close is recorded once per campaign and deadline, however many
-- schedulers race to close it.
CREATE UNIQUE INDEX campaign_history_one_close ON campaign_history (campaign_id, (data ->> 'deadline'))
    WHERE event = 'list_close';

-- +goose StatementBegin
CREATE FUNCTION refuse_campaign_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'campaign history is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER campaign_history_append_only
    BEFORE UPDATE OR DELETE ON campaign_history
    FOR EACH ROW EXECUTE FUNCTION refuse_campaign_history_change();
CREATE TRIGGER campaign_history_no_truncate
    BEFORE TRUNCATE ON campaign_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_campaign_history_change();

-- +goose Down
DROP TABLE campaign_history;
DROP FUNCTION refuse_campaign_history_change();
DROP TABLE campaigns;
