-- The amendments of approved programmes: each changes, adds or withdraws one item, with the
-- item before and after (the domain's JSON; NULL for an item added or withdrawn), the day it
-- takes effect, why, and who (and the restructuring that made it, which its undo reverts).
-- Appended and never changed: a programme's history. Items keep their responsible unit's
-- code beside their JSON, for the restructuring check to find the open items of a unit.

CREATE TABLE programme_amendment (
    id           BIGINT PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programme (id),
    item_code    TEXT NOT NULL,
    before_body  TEXT,
    after_body   TEXT,
    on_day       DATE NOT NULL,
    reason       TEXT NOT NULL,
    restructuring_id BIGINT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX programme_amendment_programme ON programme_amendment (programme_id, id);

ALTER TABLE programme_item ADD COLUMN responsible TEXT;
UPDATE programme_item SET responsible = (body::json)->>'responsible';
CREATE INDEX programme_item_responsible ON programme_item (responsible);
