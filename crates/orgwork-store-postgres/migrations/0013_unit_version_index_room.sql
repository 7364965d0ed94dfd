-- The indexes of unit_version keep room on their pages (fillfactor 60; the default is 90). A
-- restructuring writes a version for every unit whose parent changes and closes the one before,
-- and their keys land all over the range (each moved cell's unit_id): on pages filled to 90 %
-- such inserts split page after page. At national scale the 2025 reform's apply on a compact
-- table took 8.3-8.7 s with the room against 8.9-9.3 s without, alternating (BENCHMARKS.md,
-- fourteenth session); the indexes are about half as large again (29 MB for the nation).
-- SQLite has no fill factor: its apply meets the target without.
ALTER INDEX unit_version_pkey SET (fillfactor = 60);
ALTER INDEX unit_version_parent SET (fillfactor = 60);
REINDEX TABLE unit_version;
