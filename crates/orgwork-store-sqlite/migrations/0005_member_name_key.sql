-- The collation key of each member's name (Vietnamese order), to order lists by it. Filled by
-- the application (orgwork_domain::text::sort_key) for rows that lack it.
ALTER TABLE member ADD COLUMN name_key BLOB;
CREATE INDEX member_name_key ON member (name_key, id);
