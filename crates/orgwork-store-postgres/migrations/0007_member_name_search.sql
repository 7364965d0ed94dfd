-- A trigram index over the folded names, which PostgreSQL uses for LIKE '%…%', so that a search
-- for a rare name reads its few matches instead of every member of the subtree. pg_trgm ships
-- with PostgreSQL (contrib); creating the extension needs a role allowed to.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX member_name_trgm ON member USING gin (name_fold gin_trgm_ops);
