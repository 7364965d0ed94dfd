-- A trigram index over the folded names (FTS5, external content), kept by triggers, so that a
-- search for a rare name reads its few matches instead of every member of the subtree.
CREATE VIRTUAL TABLE member_name_fts USING fts5(name_fold, content='member', content_rowid='id', tokenize='trigram');
INSERT INTO member_name_fts (rowid, name_fold) SELECT id, name_fold FROM member;
CREATE TRIGGER member_name_fts_insert AFTER INSERT ON member BEGIN
    INSERT INTO member_name_fts (rowid, name_fold) VALUES (new.id, new.name_fold);
END;
CREATE TRIGGER member_name_fts_update AFTER UPDATE OF name_fold ON member BEGIN
    INSERT INTO member_name_fts (member_name_fts, rowid, name_fold) VALUES ('delete', old.id, old.name_fold);
    INSERT INTO member_name_fts (rowid, name_fold) VALUES (new.id, new.name_fold);
END;
CREATE TRIGGER member_name_fts_delete AFTER DELETE ON member BEGIN
    INSERT INTO member_name_fts (member_name_fts, rowid, name_fold) VALUES ('delete', old.id, old.name_fold);
END;
