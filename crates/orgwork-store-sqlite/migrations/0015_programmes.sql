-- Annual work programmes: one per unit and year, its items (kept as the domain's JSON, in
-- order), and the progress reports, appended and never changed.

CREATE TABLE programme (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES unit (id),
    year         INTEGER NOT NULL,
    theme        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'closed')),
    decision     TEXT,
    approved_on  TEXT,
    recorded_at  TEXT NOT NULL,
    UNIQUE (unit_id, year)
);

CREATE TABLE programme_item (
    programme_id INTEGER NOT NULL REFERENCES programme (id),
    code         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (programme_id, code)
);

CREATE TABLE programme_report (
    id           INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programme (id),
    item_code    TEXT NOT NULL,
    value        REAL NOT NULL,
    on_day       TEXT NOT NULL,
    note         TEXT,
    evidence     TEXT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX programme_report_item ON programme_report (programme_id, item_code, on_day);
