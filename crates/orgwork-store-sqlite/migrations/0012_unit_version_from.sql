-- The index on unit_version (valid_from) alone is dropped: every version a restructuring writes
-- or closes paid for it (at national scale about a sixth of the 2025 reform's writes), and its
-- two readers ask whether any version starts after a day, a question the index on
-- (parent_id, valid_from) answers by a scan of its own (a few milliseconds for the nation;
-- BENCHMARKS.md, thirteenth session).
DROP INDEX IF EXISTS unit_version_from;
