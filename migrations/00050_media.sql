-- +goose Up
-- Photos, videos and documents attached to exhibits. The bytes live in the media
-- folder under their SHA-256; a row says which exhibit shows which file.
CREATE TABLE media (
    id           bigserial PRIMARY KEY,
    exhibit_id   bigint NOT NULL REFERENCES exhibits (id),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    kind         text NOT NULL CHECK (kind IN ('photo', 'video', 'document')),
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    name         text NOT NULL DEFAULT '',
    thumb_sha256 text CHECK (thumb_sha256 ~ '^[0-9a-f]{64}$'),
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (exhibit_id, sha256)
);

-- +goose Down
DROP TABLE media;
