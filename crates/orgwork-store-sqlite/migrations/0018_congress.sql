-- Congresses: the terms (2025-2030), and each unit's congress in a term: its kind (of all the
-- members, or of delegates), its number in the unit's series, the day planned and the day
-- held, the pilot flag, and its status (a cancellation keeps its reason). A unit has one
-- congress a term.

CREATE TABLE congress_term (
    code         TEXT PRIMARY KEY,
    year_from    INTEGER NOT NULL,
    year_to      INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    CHECK (year_to > year_from)
);

CREATE TABLE congress (
    id           INTEGER PRIMARY KEY,
    term         TEXT NOT NULL REFERENCES congress_term (code),
    unit_id      INTEGER NOT NULL REFERENCES unit (id),
    kind         TEXT NOT NULL CHECK (kind IN ('members', 'delegates')),
    number       INTEGER,
    planned_on   TEXT NOT NULL,
    held_on      TEXT,
    pilot        INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    reason       TEXT,
    recorded_at  TEXT NOT NULL,
    UNIQUE (term, unit_id)
);
CREATE INDEX congress_of_unit ON congress (unit_id);
