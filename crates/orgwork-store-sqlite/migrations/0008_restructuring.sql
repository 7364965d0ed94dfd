-- Restructurings: a draft of operations with one effective date, applied in one transaction
-- and undoable while it is the latest; and the lineage of units (which replaced which).

CREATE TABLE restructuring (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    effective   TEXT NOT NULL,
    decision    TEXT,
    draft_json  TEXT NOT NULL,              -- orgwork_domain::restructure::Draft
    state       TEXT NOT NULL CHECK (state IN ('draft', 'applied', 'undone')),
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    applied_by  TEXT,
    applied_at  TEXT,
    applied_seq BIGINT,                     -- the audit entry of the apply
    undo_json   TEXT,                       -- the steps that undo it, in the order written
    undone_at   TEXT
);

CREATE TABLE unit_lineage (
    restructuring_id INTEGER NOT NULL REFERENCES restructuring (id),
    from_unit_id     INTEGER NOT NULL REFERENCES unit (id),
    to_unit_id       INTEGER NOT NULL REFERENCES unit (id),
    day              TEXT NOT NULL,
    relation         TEXT NOT NULL CHECK (relation IN ('merged', 'absorbed', 'split', 'dissolved')),
    PRIMARY KEY (restructuring_id, from_unit_id, to_unit_id)
);
CREATE INDEX unit_lineage_from ON unit_lineage (from_unit_id);
CREATE INDEX unit_lineage_to ON unit_lineage (to_unit_id);
