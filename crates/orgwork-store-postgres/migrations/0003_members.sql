-- The member register: the record, its membership intervals (one unit at a time), its status
-- intervals, and the count ledger (derived data; see ARCHITECTURE.md).

CREATE TABLE member (
    id            BIGINT PRIMARY KEY,
    card_number   TEXT UNIQUE,
    national_id   TEXT UNIQUE,
    full_name     TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    other_names   TEXT,
    sex           TEXT NOT NULL,
    birth_date    DATE NOT NULL,
    ethnicity     TEXT,
    religion      TEXT,
    hometown      TEXT,
    education     TEXT,
    theory_level  TEXT,
    occupation    TEXT,
    workplace     TEXT,
    phone         TEXT,
    email         TEXT,
    admitted_on   DATE NOT NULL,
    official_on   DATE,
    record_number TEXT,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX member_name_fold ON member (name_fold);

CREATE TABLE membership (
    member_id  BIGINT NOT NULL REFERENCES member (id),
    valid_from DATE NOT NULL,
    valid_to   DATE,
    unit_id    BIGINT NOT NULL REFERENCES unit (id),
    reason     TEXT NOT NULL,
    document   TEXT,
    PRIMARY KEY (member_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX membership_unit ON membership (unit_id, valid_from);

CREATE TABLE member_status (
    member_id  BIGINT NOT NULL REFERENCES member (id),
    valid_from DATE NOT NULL,
    valid_to   DATE,
    status     TEXT NOT NULL,
    document   TEXT,
    PRIMARY KEY (member_id, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- The net change, on a day, of a unit's subtree count under a key ("total", "status:…",
-- "category:…"). A count as of D is the sum of a unit's rows up to D.
CREATE TABLE member_ledger (
    unit_id BIGINT NOT NULL,
    key     TEXT NOT NULL,
    day     DATE NOT NULL,
    delta   BIGINT NOT NULL,
    PRIMARY KEY (unit_id, key, day)
);
