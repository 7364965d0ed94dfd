-- A congress's apportionment on the record: how its delegates are shared among the units
-- directly below its unit, from their members counted on a day (the request, the result as
-- JSON, each unit's names then), and the ties a person decided, with the reason.

CREATE TABLE congress_apportionment (
    congress_id  BIGINT PRIMARY KEY REFERENCES congress (id),
    as_of        DATE NOT NULL,
    result       TEXT NOT NULL,
    names        TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE TABLE congress_tie_decision (
    congress_id  BIGINT NOT NULL REFERENCES congress_apportionment (congress_id),
    tie          BIGINT NOT NULL,
    units        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    PRIMARY KEY (congress_id, tie)
);
