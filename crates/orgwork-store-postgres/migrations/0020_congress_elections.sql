-- The bodies a congress elects (its committee, its delegates to the congress above), each
-- with its seats, and each one's candidate list in order: the convening committee's
-- candidates and nominations from the floor (with their support), withdrawals kept.

CREATE TABLE congress_election (
    id           BIGINT PRIMARY KEY,
    congress_id  BIGINT NOT NULL REFERENCES congress (id),
    title        TEXT NOT NULL,
    seats        BIGINT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX congress_election_of ON congress_election (congress_id);

CREATE TABLE congress_candidate (
    election_id  BIGINT NOT NULL REFERENCES congress_election (id),
    position     BIGINT NOT NULL,
    name         TEXT NOT NULL,
    nomination   TEXT NOT NULL CHECK (nomination IN ('list', 'floor')),
    support      BIGINT,
    withdrawn    BOOLEAN NOT NULL,
    PRIMARY KEY (election_id, position)
);
