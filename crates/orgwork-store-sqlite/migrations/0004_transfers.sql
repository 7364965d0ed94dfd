-- Transfers of members, in two steps: issued by the sending unit, accepted by the receiving
-- one (or, for a transfer out of the organization, confirmed by the sender). Until then the
-- member stays in the sending unit and is counted there.

CREATE TABLE transfer (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES member (id),
    from_unit_id    INTEGER REFERENCES unit (id),
    to_unit_id      INTEGER REFERENCES unit (id),
    from_org        TEXT,
    to_org          TEXT,
    issued_on       TEXT NOT NULL,
    document        TEXT,
    state           TEXT NOT NULL CHECK (state IN ('issued', 'accepted', 'cancelled')),
    closed_on       TEXT,
    close_document  TEXT,
    recorded_at     TEXT NOT NULL,
    CHECK (from_unit_id IS NOT NULL OR from_org IS NOT NULL),
    CHECK (to_unit_id IS NOT NULL OR to_org IS NOT NULL)
);
CREATE INDEX transfer_member ON transfer (member_id);
CREATE INDEX transfer_to ON transfer (to_unit_id, state);
CREATE INDEX transfer_from ON transfer (from_unit_id, state);
