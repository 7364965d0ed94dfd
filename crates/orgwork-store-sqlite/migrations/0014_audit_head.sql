-- The audit log's hash covers every column from format 2 on (unit_id too); entries written
-- before keep format 1. The head of the chain (its last entry's number and hash) is kept
-- signed with the server's audit key (HMAC), so that a cut tail or a rehashed chain shows:
-- the row starts unsigned (mac '') at the head the log has now.
ALTER TABLE audit_log ADD COLUMN hash_format INTEGER NOT NULL DEFAULT 1;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL,
    mac  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, mac)
SELECT 1, COALESCE(MAX(seq), 0),
       COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000'),
       ''
FROM audit_log;
