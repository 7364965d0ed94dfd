-- An election's rounds: the seats each fills and the names on its ballot (a JSON list, in
-- the ballot's order), its votes entered ballot by ballot (congress_ballot: a 1 or 0 per
-- name) or as tallies (cast, valid, votes per name), and its count once counted (the
-- minutes' figures as JSON). An election's results are published once, for every reader.

CREATE TABLE congress_round (
    id           INTEGER PRIMARY KEY,
    election_id  INTEGER NOT NULL REFERENCES congress_election (id),
    number       INTEGER NOT NULL,
    seats        INTEGER NOT NULL,
    candidates   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'counted')),
    entry        TEXT NOT NULL CHECK (entry IN ('none', 'ballots', 'tally')),
    issued       INTEGER,
    cast_count   INTEGER,
    valid_count  INTEGER,
    votes        TEXT,
    result       TEXT,
    counted_at   TEXT,
    UNIQUE (election_id, number)
);

CREATE TABLE congress_ballot (
    round_id     INTEGER NOT NULL REFERENCES congress_round (id),
    number       INTEGER NOT NULL,
    marks        TEXT NOT NULL,
    PRIMARY KEY (round_id, number)
);

ALTER TABLE congress_election ADD COLUMN published_at TEXT;
