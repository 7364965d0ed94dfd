-- A stamp of the unit tree: every transaction that writes unit_version moves it, in the
-- transaction, so a process that keeps the tree in memory (orgwork_store::tree) knows by one
-- read whether its copy is still the database's. Moved once per transaction (the transaction's
-- id is kept beside it): updating the one row on every statement of a long transaction (an
-- undo replays hundreds of thousands) leaves a chain of row versions that each later update
-- must walk.
CREATE TABLE structure_clock (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL,
    xid BIGINT
);
INSERT INTO structure_clock (id, n) VALUES (1, 1);
CREATE FUNCTION structure_clock_tick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE structure_clock SET n = n + 1, xid = txid_current()
    WHERE id = 1 AND xid IS DISTINCT FROM txid_current();
    RETURN NULL;
END
$$;
CREATE TRIGGER unit_version_clock
AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF unit_id, parent_id, valid_from, valid_to ON unit_version
FOR EACH STATEMENT EXECUTE FUNCTION structure_clock_tick();
