//! What PostgreSQL does differently, for the SQL both backends share (`orgwork-store/sql/`,
//! which reads these names as `dialect::…`): every statement, setting and choice that one
//! backend needs and the other does not is here, under the same name in both crates.

use crate::common::JsonCol;
use orgwork_store::Result;

/// The indexes a large import drops before writing its rows and builds again after them: a
/// sorted build is much faster than as many random inserts (see `members::bulk_admit`). So are
/// the histories' foreign keys, in the same transaction: each row's check locks the member and
/// the unit it names (500,000 memberships: 9.3 s with the keys, against one pass over the table
/// when the key is added back, which checks every row as the row-by-row checks would have).
pub const BULK_DROP: &[&str] = &[
    "DROP INDEX member_name_fold",
    "DROP INDEX member_name_key",
    "DROP INDEX membership_unit",
    "DROP INDEX member_name_trgm",
    "ALTER TABLE membership DROP CONSTRAINT membership_member_id_fkey",
    "ALTER TABLE membership DROP CONSTRAINT membership_unit_id_fkey",
    "ALTER TABLE member_status DROP CONSTRAINT member_status_member_id_fkey",
    "ALTER TABLE member_word DROP CONSTRAINT member_word_pkey",
    "ALTER TABLE member DROP CONSTRAINT member_card_number_key",
    "ALTER TABLE member DROP CONSTRAINT member_national_id_key",
];
pub const BULK_CREATE: &[&str] = &[
    "CREATE INDEX member_name_fold ON member (name_fold)",
    "CREATE INDEX member_name_key ON member (name_key, id)",
    "CREATE INDEX membership_unit ON membership (unit_id, valid_from)",
    "CREATE INDEX member_name_trgm ON member USING gin (name_fold gin_trgm_ops)",
    "ALTER TABLE membership ADD CONSTRAINT membership_member_id_fkey FOREIGN KEY (member_id) REFERENCES member (id)",
    "ALTER TABLE membership ADD CONSTRAINT membership_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES unit (id)",
    "ALTER TABLE member_status ADD CONSTRAINT member_status_member_id_fkey FOREIGN KEY (member_id) REFERENCES member (id)",
    "ALTER TABLE member_word ADD CONSTRAINT member_word_pkey PRIMARY KEY (word, name_key, member_id) INCLUDE (name_fold)",
    "ALTER TABLE member ADD CONSTRAINT member_card_number_key UNIQUE (card_number)",
    "ALTER TABLE member ADD CONSTRAINT member_national_id_key UNIQUE (national_id)",
];

/// Around the writes of a large load (see the SQLite store's): nothing to set on PostgreSQL.
pub const BULK_WRITE_BEGIN: &[&str] = &[];
pub const BULK_WRITE_END: &[&str] = &[];

/// Run after a restructuring's run has rolled back (a check, an apply that failed its rules) and
/// after an undo has committed, outside their transactions (`Backend::after_tree_writes`): a vacuum of the tree's tables. A check
/// of the 2025 reform leaves some 320,000 dead row versions in `unit_version` (the versions it
/// wrote and the closes it rolled back) with their index entries, and the apply that follows
/// visits them all: 11.3-13.5 s at national scale straight after a check, 9.2-10.6 s with this
/// vacuum (0.23 s) between (BENCHMARKS.md, fourteenth session).
pub const AFTER_TREE_WRITES: &[&str] = &["VACUUM unit_version", "VACUUM unit"];

/// Taken before an entry is appended to the audit log (`audit::append`): writes that share
/// `write_lock` append one at a time, each after the last one's commit, so the chain stays a
/// chain. The head's row is there from migration 0014 on.
pub const AUDIT_LOCK: &[&str] = &["SELECT id FROM audit_head WHERE id = 1 FOR UPDATE"];

/// What the signing of the audit head adds to its read: the head's row, locked by the statement that reads it to sign it (`audit::sign_head`), as `AUDIT_LOCK` locks it.
pub const HEAD_LOCK: &str = " FOR UPDATE OF h";

/// Run after a bulk load has committed, outside its transaction (see `members::after_large_load`):
/// fresh planner statistics for the tables loaded (without them the planner plans for the empty
/// tables it saw last), and a vacuum of those it rewrote.
pub const AFTER_BULK_COMMIT: &[&str] = &[
    "VACUUM (ANALYZE) member_ledger",
    "VACUUM (ANALYZE) member_ledger_balance",
    "VACUUM (ANALYZE) membership",
    "VACUUM (ANALYZE) member_status",
    "VACUUM (ANALYZE) member",
    // The word index is read by index-only scans, which need the vacuum's visibility map.
    "VACUUM (ANALYZE) member_word",
    "ANALYZE name_word",
    "ANALYZE unit",
    "ANALYZE unit_version",
];

/// A bulk write's rows come as one JSON array bound as $1 (`common::json_rows`): its rows, and
/// the cast of column `k` of each.
pub const JSON_ROWS_FROM: &str = "jsonb_array_elements($1::jsonb) AS j(value)";
pub fn json_value(col: JsonCol, k: usize) -> String {
    match col {
        JsonCol::Int => format!("(value ->> {k})::bigint"),
        JsonCol::Real => format!("(value ->> {k})::double precision"),
        JsonCol::Date => format!("(value ->> {k})::date"),
        JsonCol::Hex => format!("decode(value ->> {k}, 'hex')"),
        JsonCol::Text => format!("value ->> {k}"),
        JsonCol::Bool => format!("(value ->> {k})::boolean"),
    }
}

/// Whether `common::read_rows` has many rows cross the driver as one JSON text: no,
/// PostgreSQL's rows are cheap and building one JSON text in the server is not.
pub const ROWS_AS_JSON: bool = false;

/// Before the ledger's checkpoints are summed (`members::set_checkpoints_in`): the ledger
/// locked against writers, since a write committed between the sum and the listing would be
/// missed; and after: fresh statistics, without which the planner takes the new table for empty
/// and reads a restructuring's 50,000 units' balances by scanning it once per 500 (impact 3 ->
/// 16 s).
pub const BEFORE_CHECKPOINTS: &[&str] = &["LOCK TABLE member_ledger IN SHARE ROW EXCLUSIVE MODE"];
pub const AFTER_CHECKPOINTS: &[&str] = &["ANALYZE member_ledger_balance"];

/// The whole tree over time as one text, "unit,parent,from,to;…" (`members::timeline`), dates
/// as ISO text whatever the server's DateStyle.
pub const TIMELINE: &str = "SELECT string_agg(CAST(unit_id AS TEXT) || ',' || COALESCE(CAST(parent_id AS TEXT), '') || ',' || \
     to_char(valid_from, 'YYYY-MM-DD') || ',' || COALESCE(to_char(valid_to, 'YYYY-MM-DD'), ''), ';') FROM unit_version";

/// Whether a name search is first narrowed by the trigram index of names to the members it can
/// match (`members::name_hits`): no, PostgreSQL's planner uses its trigram index for the LIKE
/// itself.
pub const NAME_HITS: bool = false;

/// At the start of a restructuring's run (`restructure::Run::run`), for its transaction only:
/// the run's set statements read millions of ledger rows, so their estimated costs pass the
/// threshold of JIT compilation, which then costs more than it saves (measured at national
/// scale).
pub const RUN_BEGIN: &[&str] = &["SET LOCAL jit = off"];

/// Whether a restructuring's ledger blocks are carried beside the writer, on a second
/// connection (`restructure::Run::ledger_beside`): yes, PostgreSQL reads beside a writer.
pub const LEDGER_BESIDE: bool = true;

/// Before the ledger is carried to a restructuring's new ancestors (`restructure::carry`), for
/// its transaction only: statistics of the staged units, and room to group the sums in memory
/// (with the default 4 MB the grouping of the nation's reform spilled to disk in 128 batches,
/// 0.8 s of the pass).
pub const BEFORE_CARRY: &[&str] = &["ANALYZE reattribution", "SET LOCAL work_mem = '256MB'"];

/// The rows the carry sums (`restructure::carry`): the staged units' balances at the checkpoint
/// (`balances`) and their ledger rows since, those up to the day ($1) summed into one per key.
/// Each unit's rows are read once, by its ranges (`LATERAL`); left to itself the planner
/// scanned the whole ledger twice (7.9 s against 12.6 s).
pub fn carry_series(balances: &str, key_params: &str) -> String {
    format!(
        "SELECT u.unit_id, l.key, l.d, l.n \
         FROM (SELECT DISTINCT unit_id FROM reattribution) u CROSS JOIN LATERAL ( \
           SELECT key, GREATEST(day, $1) AS d, SUM(delta) AS n FROM member_ledger m \
           WHERE m.unit_id = u.unit_id AND m.key IN ({key_params}) AND m.day >= $2 \
           GROUP BY key, GREATEST(day, $1)) l \
         UNION ALL {balances}"
    )
}

/// Writes bulk rows into `table (columns)` by `COPY … FROM STDIN` (`orgwork_store::copy`), a
/// megabyte of text a message (`written` told the rows sent after each); a failure is the
/// statement's error, the copy abandoned.
pub async fn insert_rows<R: orgwork_store::copy::CopyRow + serde::Serialize + Sync>(
    conn: &mut sqlx::PgConnection,
    table: &str,
    columns: &[(&str, JsonCol)],
    rows: &[R],
    written: &(dyn Fn(u64) + Send + Sync),
) -> Result<()> {
    use crate::common::DbResult;
    if rows.is_empty() {
        return Ok(());
    }
    let names = crate::common::column_list(columns);
    let mut copy = conn.copy_in_raw(&format!("COPY {table} ({names}) FROM STDIN")).await.db()?;
    let mut text = String::with_capacity(1 << 20);
    for (k, row) in rows.iter().enumerate() {
        row.copy_row(&mut text);
        if text.len() >= 1 << 20 || k + 1 == rows.len() {
            if let Err(e) = copy.send(text.as_bytes()).await {
                let _ = copy.abort(e.to_string()).await;
                return Err(crate::common::from_db(e));
            }
            text.clear();
            written(k as u64 + 1);
        }
    }
    copy.finish().await.db()?;
    Ok(())
}
