-- +goose Up
-- Venues where the library's items are shown (七、展示展览), seeded with the
-- notice's: the museum, the three expos and the gallery corridor at the bureau
-- and at the training centre.
CREATE TABLE venues (
    id      bigserial PRIMARY KEY,
    code    text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9_]{2,40}$'),
    name_zh text NOT NULL UNIQUE CHECK (name_zh <> ''),
    name_en text NOT NULL DEFAULT '',
    kind    text NOT NULL CHECK (kind IN ('museum', 'expo', 'competition', 'corridor'))
);
INSERT INTO venues (code, name_zh, name_en, kind) VALUES
    ('worldskills_museum', '世界技能博物馆', 'World Skills Museum', 'museum'),
    ('smart_china_expo', '智博会', 'Smart China Expo', 'expo'),
    ('talent_conference', '重庆英才大会', 'Chongqing Talent Conference', 'expo'),
    ('western_hr_expo', '西部人力资源服务博览会', 'Western China HR Services Expo', 'expo'),
    ('corridor_bureau', '“巴渝工匠”文化展示长廊（市人力社保局）', 'Bayu Craftsmen gallery corridor (municipal HR bureau)', 'corridor'),
    ('corridor_centre', '“巴渝工匠”文化展示长廊（市公共实训中心）', 'Bayu Craftsmen gallery corridor (public training centre)', 'corridor');

-- An exhibition is a show at a venue between two dates; display names one.
CREATE TABLE exhibitions (
    id          bigserial PRIMARY KEY,
    venue_id    bigint NOT NULL REFERENCES venues (id),
    title       text NOT NULL CHECK (title <> ''),
    starts_on   date NOT NULL,
    ends_on     date NOT NULL CHECK (ends_on >= starts_on),
    description text NOT NULL DEFAULT '',
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX exhibitions_dates ON exhibitions (ends_on DESC, id DESC);

-- The exhibition an item on display is shown at (display_venue keeps its venue's name).
ALTER TABLE exhibits ADD COLUMN exhibition_id bigint REFERENCES exhibitions (id);
CREATE INDEX exhibits_exhibition ON exhibits (exhibition_id) WHERE exhibition_id IS NOT NULL;
-- Every item an exhibition has shown, also those back in store: read from the
-- display rows of the history, which name the exhibition.
CREATE INDEX exhibit_history_exhibition ON exhibit_history ((data ->> 'exhibition'))
    WHERE event = 'display' AND data ? 'exhibition';

-- +goose Down
DROP INDEX exhibit_history_exhibition;
ALTER TABLE exhibits DROP COLUMN exhibition_id;
DROP TABLE exhibitions;
DROP TABLE venues;
