-- Checkpoints of the count ledger (ARCHITECTURE.md, "Ledger checkpoints"). For each day in
-- ledger_checkpoint, member_ledger_balance holds each unit's sum under each key of its ledger
-- rows dated before that day (a missing row is a sum of zero), so a sum on a later day is one
-- balance plus the rows since, not every row of the unit's history. Statement triggers keep the
-- balances with every write of the ledger, in the writing transaction, from the statement's
-- transition tables; with no checkpoint they do nothing.
CREATE TABLE ledger_checkpoint (
    day DATE PRIMARY KEY
);
CREATE TABLE member_ledger_balance (
    day     DATE NOT NULL,
    unit_id BIGINT NOT NULL,
    key     TEXT NOT NULL,
    total   BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id, key)
);
CREATE FUNCTION member_ledger_balance_carry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_checkpoint) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO member_ledger_balance (day, unit_id, key, total)
        SELECT c.day, n.unit_id, n.key, SUM(n.delta) FROM new_rows n JOIN ledger_checkpoint c ON c.day > n.day
        GROUP BY c.day, n.unit_id, n.key
        ON CONFLICT (day, unit_id, key) DO UPDATE SET total = member_ledger_balance.total + excluded.total;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO member_ledger_balance (day, unit_id, key, total)
        SELECT c.day, n.unit_id, n.key, SUM(n.delta)
        FROM (SELECT unit_id, key, day, delta FROM new_rows
              UNION ALL SELECT unit_id, key, day, -delta FROM old_rows) n
        JOIN ledger_checkpoint c ON c.day > n.day
        GROUP BY c.day, n.unit_id, n.key
        ON CONFLICT (day, unit_id, key) DO UPDATE SET total = member_ledger_balance.total + excluded.total;
    ELSE
        INSERT INTO member_ledger_balance (day, unit_id, key, total)
        SELECT c.day, o.unit_id, o.key, -SUM(o.delta) FROM old_rows o JOIN ledger_checkpoint c ON c.day > o.day
        GROUP BY c.day, o.unit_id, o.key
        ON CONFLICT (day, unit_id, key) DO UPDATE SET total = member_ledger_balance.total + excluded.total;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER member_ledger_balance_insert AFTER INSERT ON member_ledger
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_ledger_balance_carry();
CREATE TRIGGER member_ledger_balance_update AFTER UPDATE ON member_ledger
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_ledger_balance_carry();
CREATE TRIGGER member_ledger_balance_delete AFTER DELETE ON member_ledger
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_ledger_balance_carry();
