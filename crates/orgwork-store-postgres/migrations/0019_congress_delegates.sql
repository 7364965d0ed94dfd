-- A congress's delegates, numbered from 1 in the list's order: elected, ex-officio or
-- substitute; the unit that elected them (if recorded); their credential (convened, present,
-- absent); for a seated substitute, the number of the absent elected delegate they replace.

CREATE TABLE congress_delegate (
    congress_id  BIGINT NOT NULL REFERENCES congress (id),
    position     BIGINT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('elected', 'ex_officio', 'substitute')),
    unit_id      BIGINT REFERENCES unit (id),
    attendance   TEXT NOT NULL CHECK (attendance IN ('convened', 'present', 'absent')),
    replaces     BIGINT,
    PRIMARY KEY (congress_id, position)
);
