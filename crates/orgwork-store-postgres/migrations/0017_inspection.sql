-- Inspection and supervision: each inspecting body's programme for a year, its planned
-- inspections (subjects, team, status), the findings and recommendations of their
-- conclusions, the recommendations' follow-up (appended events), disciplinary cases and
-- their appeals (a case's unit: the unit it is against, or the member's unit on the day it was
-- opened); and the member record a user is.

ALTER TABLE app_user ADD COLUMN member_id BIGINT REFERENCES member (id);

CREATE TABLE inspection_programme (
    id           BIGINT PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES unit (id),
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'closed')),
    decision     TEXT,
    approved_on  DATE,
    recorded_at  TEXT NOT NULL,
    UNIQUE (unit_id, year)
);

CREATE TABLE inspection (
    id              BIGINT PRIMARY KEY,
    programme_id    BIGINT NOT NULL REFERENCES inspection_programme (id),
    kind            TEXT NOT NULL,
    topic           TEXT NOT NULL,
    criteria        TEXT NOT NULL,
    window_from     DATE NOT NULL,
    window_to       DATE NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('planned', 'in_progress', 'concluded', 'deferred', 'cancelled')),
    status_reason   TEXT,
    override_reason TEXT,
    conflicts       TEXT NOT NULL,
    started_on      DATE,
    concluded_on    DATE,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX inspection_of_programme ON inspection (programme_id);

CREATE TABLE inspection_subject (
    inspection_id BIGINT NOT NULL REFERENCES inspection (id),
    position      BIGINT NOT NULL,
    unit_id       BIGINT REFERENCES unit (id),
    member_id     BIGINT REFERENCES member (id),
    PRIMARY KEY (inspection_id, position),
    CHECK ((unit_id IS NULL) <> (member_id IS NULL))
);
CREATE INDEX inspection_subject_unit ON inspection_subject (unit_id);
CREATE INDEX inspection_subject_member ON inspection_subject (member_id);

CREATE TABLE inspection_team (
    inspection_id BIGINT NOT NULL REFERENCES inspection (id),
    user_id       BIGINT NOT NULL REFERENCES app_user (id),
    position      BIGINT NOT NULL,
    head          BOOLEAN NOT NULL,
    PRIMARY KEY (inspection_id, user_id)
);

CREATE TABLE inspection_amendment (
    id            BIGINT PRIMARY KEY,
    programme_id  BIGINT NOT NULL REFERENCES inspection_programme (id),
    inspection_id BIGINT NOT NULL REFERENCES inspection (id),
    before_body   TEXT,
    after_body    TEXT NOT NULL,
    on_day        DATE NOT NULL,
    reason        TEXT,
    restructuring_id BIGINT,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX inspection_amendment_of ON inspection_amendment (programme_id);
CREATE INDEX inspection_amendment_restructuring ON inspection_amendment (restructuring_id);

CREATE TABLE finding (
    id                BIGINT PRIMARY KEY,
    inspection_id     BIGINT NOT NULL REFERENCES inspection (id),
    position          BIGINT NOT NULL,
    subject_unit_id   BIGINT REFERENCES unit (id),
    subject_member_id BIGINT REFERENCES member (id),
    kind              TEXT NOT NULL CHECK (kind IN ('violation', 'shortcoming', 'good_practice')),
    severity          TEXT,
    regulation        TEXT,
    text              TEXT NOT NULL,
    repeat_of         BIGINT REFERENCES finding (id)
);
CREATE INDEX finding_of_inspection ON finding (inspection_id);

CREATE TABLE recommendation (
    id                BIGINT PRIMARY KEY,
    inspection_id     BIGINT NOT NULL REFERENCES inspection (id),
    finding_id        BIGINT REFERENCES finding (id),
    position          BIGINT NOT NULL,
    addressee_unit_id BIGINT NOT NULL REFERENCES unit (id),
    text              TEXT NOT NULL,
    due               DATE NOT NULL,
    owner_user_id     BIGINT NOT NULL REFERENCES app_user (id),
    status            TEXT NOT NULL CHECK (status IN ('open', 'done', 'verified')),
    done_on           DATE,
    evidence          TEXT,
    reported_by       TEXT,
    verified_on       DATE,
    verified_by       TEXT
);
CREATE INDEX recommendation_of_inspection ON recommendation (inspection_id);
CREATE INDEX recommendation_addressee ON recommendation (addressee_unit_id);

CREATE TABLE recommendation_event (
    id                BIGINT PRIMARY KEY,
    recommendation_id BIGINT NOT NULL REFERENCES recommendation (id),
    event             TEXT NOT NULL CHECK (event IN ('done', 'verified', 'rejected', 'moved')),
    on_day            DATE NOT NULL,
    note              TEXT,
    -- A restructuring that moved it to the unit taking over its addressee ('moved').
    restructuring_id  BIGINT,
    from_unit_id      BIGINT,
    to_unit_id        BIGINT,
    actor             TEXT NOT NULL,
    recorded_at       TEXT NOT NULL
);
CREATE INDEX recommendation_event_of ON recommendation_event (recommendation_id);
CREATE INDEX recommendation_event_restructuring ON recommendation_event (restructuring_id);

CREATE TABLE discipline_case (
    id           BIGINT PRIMARY KEY,
    member_id    BIGINT REFERENCES member (id),
    unit_id      BIGINT NOT NULL REFERENCES unit (id),
    finding_id   BIGINT REFERENCES finding (id),
    body_unit_id BIGINT NOT NULL REFERENCES unit (id),
    measure      TEXT NOT NULL,
    measure_now  TEXT,
    reason       TEXT,
    opened_on    DATE NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'issued')),
    decision     TEXT,
    issued_on    DATE,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX discipline_case_member ON discipline_case (member_id);
CREATE INDEX discipline_case_unit ON discipline_case (unit_id);
CREATE INDEX discipline_case_body ON discipline_case (body_unit_id);

CREATE TABLE discipline_appeal (
    id             BIGINT PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES discipline_case (id),
    position       BIGINT NOT NULL,
    on_day         DATE NOT NULL,
    body_unit_id   BIGINT NOT NULL REFERENCES unit (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('keep', 'lighten', 'raise', 'annul')),
    measure_before TEXT,
    measure_after  TEXT,
    decision       TEXT,
    actor          TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX discipline_appeal_of ON discipline_appeal (case_id);
