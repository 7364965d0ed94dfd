-- The word index of the members' names: each distinct word of a member's folded names with
-- the member's name key and folded names, so that a search reads the members of one word in
-- list order, judges their names in the index itself, and stops once its page is full; and the vocabulary, with how many members have each word, so
-- that a search starts from its rarest word (see ARCHITECTURE.md, "Search"). Kept by the
-- application on every write of a name.
CREATE TABLE member_word (
    word      TEXT NOT NULL,
    name_key  BYTEA NOT NULL,
    member_id BIGINT NOT NULL,
    name_fold TEXT NOT NULL,
    PRIMARY KEY (word, name_key, member_id) INCLUDE (name_fold)
);
CREATE TABLE name_word (
    word    TEXT PRIMARY KEY,
    members BIGINT NOT NULL
);
INSERT INTO member_word (word, name_key, member_id, name_fold)
SELECT DISTINCT w, COALESCE(name_key, '\x'::bytea), id, name_fold FROM member, unnest(string_to_array(name_fold, ' ')) AS w
WHERE w <> '';
INSERT INTO name_word (word, members) SELECT word, COUNT(*) FROM member_word GROUP BY word;
