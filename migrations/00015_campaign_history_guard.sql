-- +goose Up
-- The campaign's history is guarded by the same trigger function as the other
-- history tables, so that GrantApp sees it as append-only and gives the
-- application role SELECT and INSERT on it, nothing more.
DROP TRIGGER campaign_history_append_only ON campaign_history;
DROP TRIGGER campaign_history_no_truncate ON campaign_history;
DROP FUNCTION refuse_campaign_history_change();
CREATE TRIGGER campaign_history_append_only
    BEFORE UPDATE OR DELETE ON campaign_history
    FOR EACH ROW EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER campaign_history_no_truncate
    BEFORE TRUNCATE ON campaign_history
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- +goose Down
DROP TRIGGER campaign_history_no_truncate ON campaign_history;
DROP TRIGGER campaign_history_append_only ON campaign_history;
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
