-- A stamp of the unit tree: every statement that writes unit_version moves it, in the writing
-- transaction, so a process that keeps the tree in memory (orgwork_store::tree) knows by one
-- read whether its copy is still the database's.
CREATE TABLE structure_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO structure_clock (id, n) VALUES (1, 1);
CREATE FUNCTION structure_clock_tick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE structure_clock SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER unit_version_clock
AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF unit_id, parent_id, valid_from, valid_to ON unit_version
FOR EACH STATEMENT EXECUTE FUNCTION structure_clock_tick();
