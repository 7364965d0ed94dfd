-- Annual work programmes: one per unit and year, its items (kept as the domain's JSON, in
-- order), and the progress reports, appended and never changed.

CREATE TABLE programme (
    id           BIGINT PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES unit (id),
    year         INTEGER NOT NULL,
    theme        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'closed')),
    decision     TEXT,
    approved_on  DATE,
    recorded_at  TEXT NOT NULL,
    UNIQUE (unit_id, year)
);

CREATE TABLE programme_item (
    programme_id BIGINT NOT NULL REFERENCES programme (id),
    code         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (programme_id, code)
);

CREATE TABLE programme_report (
    id           BIGINT PRIMARY KEY,
    programme_id BIGINT NOT NULL REFERENCES programme (id),
    item_code    TEXT NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    on_day       DATE NOT NULL,
    note         TEXT,
    evidence     TEXT,
    actor        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX programme_report_item ON programme_report (programme_id, item_code, on_day);
