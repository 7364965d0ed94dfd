-- The structure: a unit's identity and life, and its versions (name, kind, parent) over time.
-- Intervals are half-open. Codes compare byte-wise (COLLATE "C"), as on SQLite, so that
-- orderings and paging cursors agree on both backends.

CREATE TABLE unit (
    id           BIGINT PRIMARY KEY,            -- made in Rust (see orgwork-store::ids)
    code         TEXT COLLATE "C" NOT NULL,
    valid_from   DATE NOT NULL,
    valid_to     DATE,                          -- the first day it no longer exists
    end_decision TEXT,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX unit_code ON unit (code, valid_from);

CREATE TABLE unit_version (
    unit_id     BIGINT NOT NULL REFERENCES unit (id),
    valid_from  DATE NOT NULL,
    valid_to    DATE,
    parent_id   BIGINT REFERENCES unit (id),
    kind        TEXT NOT NULL,
    name_vi     TEXT NOT NULL,
    name_en     TEXT,
    name_ar     TEXT,
    name_fold   TEXT NOT NULL,                  -- orgwork_domain::text::fold of all names
    change      TEXT NOT NULL CHECK (change IN ('created', 'renamed', 'moved')),
    decision    TEXT,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX unit_version_parent ON unit_version (parent_id, valid_from);
CREATE INDEX unit_version_from ON unit_version (valid_from);

-- One row, locked FOR UPDATE by every structure write: the tree's rules (no cycle, one live
-- unit per code) are global, so structure writes are serialized, as SQLite's single writer does.
CREATE TABLE write_lock (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT INTO write_lock (id) VALUES (1);
