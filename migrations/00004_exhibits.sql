-- +goose Up
CREATE TABLE exhibits (
    id                 bigserial PRIMARY KEY,
    district           text NOT NULL REFERENCES units (code),
    name               text NOT NULL CHECK (name <> ''),
    category           text NOT NULL DEFAULT '',
    content_type       text NOT NULL DEFAULT ''
        CHECK (content_type IN ('', 'craft_work', 'historical', 'production_equipment', 'competition')),
    region             text NOT NULL DEFAULT '',
    valuation_cny      bigint CHECK (valuation_cny >= 0),
    valuation_text     text NOT NULL DEFAULT '',
    description        text NOT NULL DEFAULT '',
    era_type           text NOT NULL DEFAULT '',
    era                text NOT NULL DEFAULT '',
    size_cm            text NOT NULL DEFAULT '',
    weight_kg          double precision CHECK (weight_kg >= 0),
    quantity           integer NOT NULL DEFAULT 1 CHECK (quantity >= 1),
    method             text NOT NULL DEFAULT ''
        CHECK (method IN ('', 'donation', 'deposit', 'replication', 'consignment')),
    source_unit        text NOT NULL DEFAULT '',
    contact_name       text NOT NULL DEFAULT '',
    contact_phone      text NOT NULL DEFAULT '',
    storage_conditions text NOT NULL DEFAULT '',
    intake             text NOT NULL DEFAULT 'campaign' CHECK (intake IN ('campaign', 'regular')),
    -- Keep in step with workflow.States(); TestStatesMatchDatabase compares the two.
    state              text NOT NULL DEFAULT 'mobilized' CHECK (state IN (
        'mobilized', 'reported', 'district_recommended', 'not_recommended', 'evaluated',
        'accepted', 'rejected', 'agreement_signed', 'replicating', 'stored', 'on_display',
        'returned', 'sold', 'withdrawn')),
    version            bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,

    -- The evaluator's verdict (evaluate).
    eval_score           integer CHECK (eval_score BETWEEN 0 AND 100),
    eval_authentic       boolean,
    eval_no_classified   boolean,
    eval_no_infringement boolean,
    eval_comment         text,
    eval_by              text,
    eval_at              timestamptz,

    -- The agreement (sign_agreement); its dates drive return reminders.
    agreement_signed_on    date,
    agreement_parties      text,
    return_due             date,
    original_return_due    date,
    asking_price_cny       bigint CHECK (asking_price_cny >= 0),
    term_end               date,

    -- Custody once the centre holds the item.
    location             text NOT NULL DEFAULT '',
    original_returned_on date,
    display_venue        text NOT NULL DEFAULT '',
    display_from         date,
    display_until        date,
    returned_on          date,
    receipt              text NOT NULL DEFAULT '',
    sold_price_cny       bigint CHECK (sold_price_cny >= 0),
    sold_on              date
);

-- Keyset pagination runs newest first over (created_at, id).
CREATE INDEX exhibits_newest ON exhibits (created_at DESC, id DESC);
CREATE INDEX exhibits_district_state ON exhibits (district, state);
CREATE INDEX exhibits_state ON exhibits (state);

-- +goose Down
DROP TABLE exhibits;
