-- Checkpoints of the count ledger (ARCHITECTURE.md, "Ledger checkpoints"). For each day in
-- ledger_checkpoint, member_ledger_balance holds each unit's sum under each key of its ledger
-- rows dated before that day (a missing row is a sum of zero), so a sum on a later day is one
-- balance plus the rows since, not every row of the unit's history. Triggers keep the balances
-- with every write of the ledger, in the writing transaction; with no checkpoint they do nothing.
CREATE TABLE ledger_checkpoint (
    day TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;
CREATE TABLE member_ledger_balance (
    day     TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    key     TEXT NOT NULL,
    total   BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id, key)
) WITHOUT ROWID;
CREATE TRIGGER member_ledger_balance_insert AFTER INSERT ON member_ledger
WHEN NEW.day < (SELECT MAX(day) FROM ledger_checkpoint)
BEGIN
    INSERT INTO member_ledger_balance (day, unit_id, key, total)
    SELECT c.day, NEW.unit_id, NEW.key, NEW.delta FROM ledger_checkpoint c WHERE c.day > NEW.day
    ON CONFLICT (day, unit_id, key) DO UPDATE SET total = total + excluded.total;
END;
CREATE TRIGGER member_ledger_balance_update AFTER UPDATE OF unit_id, key, day, delta ON member_ledger
WHEN MIN(OLD.day, NEW.day) < (SELECT MAX(day) FROM ledger_checkpoint)
BEGIN
    INSERT INTO member_ledger_balance (day, unit_id, key, total)
    SELECT c.day, OLD.unit_id, OLD.key, -OLD.delta FROM ledger_checkpoint c WHERE c.day > OLD.day
    ON CONFLICT (day, unit_id, key) DO UPDATE SET total = total + excluded.total;
    INSERT INTO member_ledger_balance (day, unit_id, key, total)
    SELECT c.day, NEW.unit_id, NEW.key, NEW.delta FROM ledger_checkpoint c WHERE c.day > NEW.day
    ON CONFLICT (day, unit_id, key) DO UPDATE SET total = total + excluded.total;
END;
CREATE TRIGGER member_ledger_balance_delete AFTER DELETE ON member_ledger
WHEN OLD.day < (SELECT MAX(day) FROM ledger_checkpoint)
BEGIN
    INSERT INTO member_ledger_balance (day, unit_id, key, total)
    SELECT c.day, OLD.unit_id, OLD.key, -OLD.delta FROM ledger_checkpoint c WHERE c.day > OLD.day
    ON CONFLICT (day, unit_id, key) DO UPDATE SET total = total + excluded.total;
END;
