-- The admission pipeline: candidates proposed by a unit, trained, then admitted (a member is
-- created, probationary) or withdrawn.

CREATE TABLE candidate (
    id           BIGINT PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES unit (id),
    full_name    TEXT NOT NULL,
    name_key     BYTEA,
    sex          TEXT NOT NULL,
    birth_date   DATE NOT NULL,
    occupation   TEXT,
    national_id  TEXT,
    course       TEXT,
    course_done  DATE,
    proposed_on  DATE NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('candidate', 'admitted', 'withdrawn')),
    closed_on    DATE,
    note         TEXT,
    member_id    BIGINT REFERENCES member (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX candidate_unit ON candidate (unit_id, state);
