-- The amendments of approved programmes: each changes, adds or withdraws one item, with the
-- item before and after (the domain's JSON; NULL for an item added or withdrawn), the day it
-- takes effect, why, and who. Appended and never changed: a programme's history.

CREATE TABLE programme_amendment (
    id           BIGINT PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programme (id),
    item_code    TEXT NOT NULL,
    before_body  TEXT,
    after_body   TEXT,
    on_day       DATE NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX programme_amendment_programme ON programme_amendment (programme_id, id);
