//! orgwork on PostgreSQL.
//!
//! Structure writes take the one row of `write_lock` FOR UPDATE, so they are serialized as on
//! SQLite and the tree's global rules hold. A new member's admission takes it FOR SHARE
//! (`begin_shared_write`): admissions run side by side, the tree held still under them, and meet
//! only where they must, on the ledger's rows (upserted in key order) and on the audit log's
//! head (`AUDIT_LOCK`, taken last). Migrations run without advisory locks, and ids
//! are made in Rust, so a distributed PostgreSQL stays possible. The structure's queries are
//! shared with SQLite (`orgwork-store/sql/`).

use orgwork_domain::profile::Profile;
use orgwork_store::cache::ReadCache;
use orgwork_store::ids::IdGenerator;
use orgwork_store::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Pool, Transaction};
use std::str::FromStr;
use std::sync::Arc;

type Db = sqlx::Postgres;
type DbRow = sqlx::postgres::PgRow;
type Backend = PostgresStore;
const BACKEND_NAME: &str = "postgres";

/// The indexes a large import drops before writing its rows and builds again after them: a
/// sorted build is much faster than as many random inserts (see `members::bulk_admit`). So are
/// the histories' foreign keys, in the same transaction: each row's check locks the member and
/// the unit it names (500,000 memberships: 9.3 s with the keys, against one pass over the table
/// when the key is added back, which checks every row as the row-by-row checks would have).
const BULK_DROP: &[&str] = &[
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
const BULK_CREATE: &[&str] = &[
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
const BULK_WRITE_BEGIN: &[&str] = &[];
const BULK_WRITE_END: &[&str] = &[];

/// Run after a restructuring's run has rolled back (a check, an apply that failed its rules) and
/// after an undo has committed, outside their transactions (`Backend::after_tree_writes`): a vacuum of the tree's tables. A check
/// of the 2025 reform leaves some 320,000 dead row versions in `unit_version` (the versions it
/// wrote and the closes it rolled back) with their index entries, and the apply that follows
/// visits them all: 11.3-13.5 s at national scale straight after a check, 9.2-10.6 s with this
/// vacuum (0.23 s) between (BENCHMARKS.md, fourteenth session).
const AFTER_TREE_WRITES: &[&str] = &["VACUUM unit_version", "VACUUM unit"];

/// Taken before an entry is appended to the audit log (`audit::append`): writes that share
/// `write_lock` append one at a time, each after the last one's commit, so the chain stays a
/// chain. The head's row is there from migration 0014 on.
const AUDIT_LOCK: &[&str] = &["SELECT id FROM audit_head WHERE id = 1 FOR UPDATE"];

/// Run after a bulk load has committed, outside its transaction (see `members::after_large_load`):
/// fresh planner statistics for the tables loaded (without them the planner plans for the empty
/// tables it saw last), and a vacuum of those it rewrote.
const AFTER_BULK_COMMIT: &[&str] = &[
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

pub struct PostgresStore {
    pool: PgPool,
    profile: Arc<Profile>,
    ids: IdGenerator,
    cache: ReadCache,
    tree: orgwork_store::tree::TreeKeeper,
    bulk: orgwork_store::BulkSizes,
    /// May a large load grow the writer's page cache (`BULK_WRITE_BEGIN`)? Not in the server.
    bulk_cache: std::sync::atomic::AtomicBool,
    /// The key the audit chain's head is signed with, once set.
    audit_key: std::sync::OnceLock<Vec<u8>>,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://…`) and applies the migrations.
    pub async fn open(url: &str, profile: Arc<Profile>) -> Result<PostgresStore> {
        let opts = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("database URL '{}': {e}", redact(url))))?;
        Self::connect(opts, profile).await
    }

    /// Connects with explicit options and applies the migrations.
    pub async fn connect(opts: PgConnectOptions, profile: Arc<Profile>) -> Result<PostgresStore> {
        let place = format!("{}:{}/{}", opts.get_host(), opts.get_port(), opts.get_database().unwrap_or(""));
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Backend(format!("connecting to PostgreSQL at {place}: {e}")))?;
        let mut m = migrator();
        m.set_locking(false);
        m.run(&pool).await.map_err(|e| StoreError::Backend(format!("migrating PostgreSQL at {place}: {e}")))?;
        members::backfill_name_keys(&pool, &pool).await?;
        Ok(PostgresStore {
            pool,
            profile,
            ids: IdGenerator::new(),
            cache: ReadCache::default(),
            tree: Default::default(),
            bulk: Default::default(),
            bulk_cache: std::sync::atomic::AtomicBool::new(true),
            audit_key: Default::default(),
        })
    }

    /// The same store, cutting its large loads of members as `bulk` says (see `BulkSizes`).
    pub fn with_bulk_sizes(self, bulk: orgwork_store::BulkSizes) -> PostgresStore {
        PostgresStore { bulk, ..self }
    }

    fn reader(&self) -> &Pool<Db> {
        &self.pool
    }

    /// The connection for upkeep after a bulk load.
    fn upkeep(&self) -> &Pool<Db> {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Db>> {
        let mut tx = self.pool.begin().await.map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query("SELECT id FROM write_lock WHERE id = 1 FOR UPDATE")
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(tx)
    }

    /// A write that changes no unit and touches no existing member's rows (a new member's
    /// admission): it shares `write_lock`, so it runs beside others like it, never beside a
    /// structure write. What such writes share they lock in one order: the name index's words
    /// and the ledger's rows in key order, then the audit head (`AUDIT_LOCK`), so that they
    /// wait for each other rather than deadlock.
    async fn begin_shared_write(&self) -> Result<Transaction<'static, Db>> {
        let mut tx = self.pool.begin().await.map_err(|e| StoreError::Backend(e.to_string()))?;
        sqlx::query("SELECT id FROM write_lock WHERE id = 1 FOR SHARE")
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(tx)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Writes bulk rows into `table (columns)` by `COPY … FROM STDIN` (`orgwork_store::copy`), a
/// megabyte of text a message (`written` told the rows sent after each); a failure is the
/// statement's error, the copy abandoned.
async fn insert_rows<R: orgwork_store::copy::CopyRow + serde::Serialize + Sync>(
    conn: &mut sqlx::PgConnection,
    table: &str,
    columns: &[(&str, common::JsonCol)],
    rows: &[R],
    written: &(dyn Fn(u64) + Send + Sync),
) -> Result<()> {
    use common::DbResult;
    if rows.is_empty() {
        return Ok(());
    }
    let names = common::column_list(columns);
    let mut copy = conn.copy_in_raw(&format!("COPY {table} ({names}) FROM STDIN")).await.db()?;
    let mut text = String::with_capacity(1 << 20);
    for (k, row) in rows.iter().enumerate() {
        row.copy_row(&mut text);
        if text.len() >= 1 << 20 || k + 1 == rows.len() {
            if let Err(e) = copy.send(text.as_bytes()).await {
                let _ = copy.abort(e.to_string()).await;
                return Err(StoreError::Backend(e.to_string()));
            }
            text.clear();
            written(k as u64 + 1);
        }
    }
    copy.finish().await.db()?;
    Ok(())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// This backend's migrations, embedded in the binary.
pub fn migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("./migrations")
}

// The implementation shared with the other backend (see orgwork-store/sql/).
mod common {
    include!("../../orgwork-store/sql/common.rs");
}
mod admissions {
    include!("../../orgwork-store/sql/admissions.rs");
}
mod audit {
    include!("../../orgwork-store/sql/audit.rs");
}
mod members {
    include!("../../orgwork-store/sql/members.rs");
}
mod restructure {
    include!("../../orgwork-store/sql/restructure.rs");
}
mod structure {
    include!("../../orgwork-store/sql/structure.rs");
}
mod transfers {
    include!("../../orgwork-store/sql/transfers.rs");
}
mod users {
    include!("../../orgwork-store/sql/users.rs");
}
