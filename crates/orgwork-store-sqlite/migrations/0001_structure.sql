-- The structure: a unit's identity and life, and its versions (name, kind, parent) over time.
-- Dates are ISO text (YYYY-MM-DD), which compares as dates do. Intervals are half-open.

CREATE TABLE unit (
    id           INTEGER PRIMARY KEY,           -- made in Rust (see orgwork-store::ids)
    code         TEXT NOT NULL,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,                          -- the first day it no longer exists
    end_decision TEXT,
    recorded_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX unit_code ON unit (code, valid_from);

CREATE TABLE unit_version (
    unit_id     INTEGER NOT NULL REFERENCES unit (id),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    parent_id   INTEGER REFERENCES unit (id),
    kind        TEXT NOT NULL,
    name_vi     TEXT NOT NULL,
    name_en     TEXT,
    name_ar     TEXT,
    name_fold   TEXT NOT NULL,                  -- orgwork_domain::text::fold of all names
    change      TEXT NOT NULL CHECK (change IN ('created', 'renamed', 'moved')),
    decision    TEXT,
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
) WITHOUT ROWID;
CREATE INDEX unit_version_parent ON unit_version (parent_id, valid_from);
CREATE INDEX unit_version_from ON unit_version (valid_from);
