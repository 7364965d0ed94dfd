-- The admission pipeline: candidates proposed by a unit, trained, then admitted (a member is
-- created, probationary) or withdrawn.

CREATE TABLE candidate (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES unit (id),
    full_name    TEXT NOT NULL,
    name_key     BLOB,
    sex          TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    occupation   TEXT,
    national_id  TEXT,
    course       TEXT,
    course_done  TEXT,
    proposed_on  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('candidate', 'admitted', 'withdrawn')),
    closed_on    TEXT,
    note         TEXT,
    member_id    INTEGER REFERENCES member (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX candidate_unit ON candidate (unit_id, state);
