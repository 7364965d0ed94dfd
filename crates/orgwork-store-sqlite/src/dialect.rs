//! What SQLite does differently, for the SQL both backends share (`orgwork-store/sql/`,
//! which reads these names as `dialect::…`): every statement, setting and choice that one
//! backend needs and the other does not is here, under the same name in both crates.

use crate::common::JsonCol;
use orgwork_store::Result;

/// The indexes a large import drops before writing its rows and builds again after them: a
/// sorted build is much faster than as many random inserts (see `members::bulk_admit`).
pub const BULK_DROP: &[&str] = &[
    "DROP INDEX member_name_fold",
    "DROP INDEX member_name_key",
    "DROP INDEX membership_unit",
    "DROP TRIGGER member_name_fts_insert",
];
pub const BULK_CREATE: &[&str] = &[
    "CREATE INDEX member_name_fold ON member (name_fold)",
    "CREATE INDEX member_name_key ON member (name_key, id)",
    "CREATE INDEX membership_unit ON membership (unit_id, valid_from)",
    "CREATE TRIGGER member_name_fts_insert AFTER INSERT ON member BEGIN \
     INSERT INTO member_name_fts (rowid, name_fold) VALUES (new.id, new.name_fold); END",
    "INSERT INTO member_name_fts (member_name_fts) VALUES ('rebuild')",
];

/// Around the writes of a large load (20,000 members or more), on the writer: a page cache of
/// 1 GB instead of 256 MB while it writes (the name words' and the ledger's keys of a million
/// members outgrow 256 MB and their inserts then go to the file), and back after it, whether it
/// succeeded or not.
pub const BULK_WRITE_BEGIN: &[&str] = &["PRAGMA cache_size = -1048576"];
pub const BULK_WRITE_END: &[&str] = &["PRAGMA cache_size = -262144"];

/// Run after a restructuring's run has rolled back and after an undo has committed
/// (`Backend::after_tree_writes`): nothing; a rolled-back SQLite transaction leaves no dead rows.
pub const AFTER_TREE_WRITES: &[&str] = &[];

/// Taken before an audit entry is appended: nothing, SQLite's one writer holds the log.
pub const AUDIT_LOCK: &[&str] = &[];

/// What the signing of the audit head adds to its read: nothing: the one writer holds the head.
pub const HEAD_LOCK: &str = "";

/// Run after a bulk load has committed, outside its transaction (see `members::after_large_load`):
/// the write-ahead log folded into the database and truncated. A national load leaves a 7 GB log
/// otherwise, which the next process to open the file reads whole to rebuild its index.
pub const AFTER_BULK_COMMIT: &[&str] = &["PRAGMA wal_checkpoint(TRUNCATE)"];

/// A bulk write's rows come as one JSON array bound as $1 (`common::json_rows`): its rows, and
/// column `k` of each.
pub const JSON_ROWS_FROM: &str = "jsonb_each($1)";
pub fn json_value(col: JsonCol, k: usize) -> String {
    match col {
        JsonCol::Hex => format!("unhex(value ->> {k})"),
        JsonCol::Int | JsonCol::Real | JsonCol::Date | JsonCol::Text | JsonCol::Bool => format!("value ->> {k}"),
    }
}

/// Whether `common::read_rows` has many rows cross the driver as one JSON text
/// (`json_group_array`): yes, row by row sqlx's SQLite driver costs several microseconds a row
/// (the children of the 2025 reform's 13,973 parents, 162,323 rows: about 3 s row by row
/// against a quarter of a second in the database).
pub const ROWS_AS_JSON: bool = true;

/// Around the summing of the ledger's checkpoints: nothing, the one writer holds the ledger.
pub const BEFORE_CHECKPOINTS: &[&str] = &[];
pub const AFTER_CHECKPOINTS: &[&str] = &[];

/// The whole tree over time as one text, "unit,parent,from,to;…" (`members::timeline`); SQLite
/// stores dates as ISO text.
pub const TIMELINE: &str = "SELECT group_concat(CAST(unit_id AS TEXT) || ',' || COALESCE(CAST(parent_id AS TEXT), '') || ',' || \
     valid_from || ',' || COALESCE(valid_to, ''), ';') FROM unit_version";

/// Whether a name search is first narrowed by the trigram index of names (FTS5,
/// `member_name_fts`) to the members it can match (`members::name_hits`): yes.
pub const NAME_HITS: bool = true;

/// At the start of a restructuring's run: nothing.
pub const RUN_BEGIN: &[&str] = &[];

/// Whether a restructuring's ledger blocks are carried beside the writer: no, SQLite's readers
/// would wait on its one writer.
pub const LEDGER_BESIDE: bool = false;

/// Before the ledger is carried to a restructuring's new ancestors: nothing.
pub const BEFORE_CARRY: &[&str] = &[];

/// The rows the carry sums (`restructure::carry`): the staged units' balances at the checkpoint
/// (`balances`), their rows since up to the day ($1) summed, and their rows after it, in two
/// branches: one pass that computes each row's day would sort every row by it (over 100 s at
/// national scale).
pub fn carry_series(balances: &str, key_params: &str) -> String {
    format!(
        "{balances} \
         UNION ALL \
         SELECT unit_id, key, $1 AS d, SUM(delta) AS n FROM member_ledger \
         WHERE unit_id IN (SELECT unit_id FROM reattribution) AND key IN ({key_params}) AND day >= $2 AND day <= $1 \
         GROUP BY unit_id, key \
         UNION ALL \
         SELECT unit_id, key, day AS d, delta AS n FROM member_ledger \
         WHERE unit_id IN (SELECT unit_id FROM reattribution) AND key IN ({key_params}) AND day > $1"
    )
}

/// Writes bulk rows into `table (columns)`: one statement per few thousand rows, the rows bound
/// as one JSON text (`crate::common::json_rows`).
pub async fn insert_rows<R: orgwork_store::copy::CopyRow + serde::Serialize + Sync>(
    conn: &mut sqlx::SqliteConnection,
    table: &str,
    columns: &[(&str, JsonCol)],
    rows: &[R],
    written: &(dyn Fn(u64) + Send + Sync),
) -> Result<()> {
    let types: Vec<JsonCol> = columns.iter().map(|(_, t)| *t).collect();
    let sql =
        format!("INSERT INTO {table} ({}) {}", crate::common::column_list(columns), crate::common::json_rows(&types));
    crate::members::write_json(conn, &sql, rows, written).await
}
