-- The word index of the members' names: each distinct word of a member's folded names with
-- the member's name key and folded names, so that a search reads the members of one word in
-- list order, judges their names in the index itself, and stops once its page is full; and the vocabulary, with how many members have each word, so
-- that a search starts from its rarest word (see ARCHITECTURE.md, "Search"). Kept by the
-- application on every write of a name.
CREATE TABLE member_word (
    word      TEXT NOT NULL,
    name_key  BLOB NOT NULL,
    member_id BIGINT NOT NULL,
    name_fold TEXT NOT NULL,
    PRIMARY KEY (word, name_key, member_id)
) WITHOUT ROWID;
CREATE TABLE name_word (
    word    TEXT PRIMARY KEY,
    members BIGINT NOT NULL
) WITHOUT ROWID;
WITH RECURSIVE split(id, name_key, name_fold, word, rest) AS (
    SELECT id, COALESCE(name_key, X''), name_fold, '', name_fold || ' ' FROM member
    UNION ALL
    SELECT id, name_key, name_fold, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO member_word (word, name_key, member_id, name_fold) SELECT word, name_key, id, name_fold FROM split WHERE word <> '';
INSERT INTO name_word (word, members) SELECT word, COUNT(*) FROM member_word GROUP BY word;
