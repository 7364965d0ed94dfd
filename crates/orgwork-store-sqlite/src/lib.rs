//! orgwork on SQLite, the embedded default.
//!
//! WAL journal, foreign keys on, one writer connection and a pool of readers; every write
//! transaction begins with `BEGIN IMMEDIATE`, so a transaction that reads before it writes
//! never fails to upgrade its lock. The structure's queries are shared with PostgreSQL
//! (`orgwork-store/sql/`).

use orgwork_domain::profile::Profile;
use orgwork_store::cache::ReadCache;
use orgwork_store::ids::IdGenerator;
use orgwork_store::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

type Db = sqlx::Sqlite;
type DbRow = sqlx::sqlite::SqliteRow;
type Backend = SqliteStore;
const BACKEND_NAME: &str = "sqlite";

/// The store on one SQLite database file.
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
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

/// Turns a database location (`sqlite:PATH`, `sqlite://PATH` or a plain path) into options.
pub fn options(location: &str) -> Result<SqliteConnectOptions> {
    let opts = if location.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(location)
            .map_err(|e| StoreError::Backend(format!("database URL '{location}': {e}")))?
    } else {
        SqliteConnectOptions::new().filename(location)
    };
    Ok(opts
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

impl SqliteStore {
    /// Opens (creating it if need be) the database at `location`, and applies the migrations.
    pub async fn open(location: &str, profile: Arc<Profile>) -> Result<SqliteStore> {
        let opts = options(location)?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // The one writer keeps a large page cache (256 MB): bulk imports and restructurings
            // at national scale touch indexes far larger than SQLite's 2 MB default.
            .connect_with(opts.clone().create_if_missing(true).pragma("cache_size", "-262144"))
            .await
            .map_err(|e| StoreError::Backend(format!("opening {location}: {e}")))?;
        let store_migrator = migrator();
        store_migrator.run(&writer).await.map_err(|e| StoreError::Backend(format!("migrating {location}: {e}")))?;
        members::backfill_name_keys(&writer, &writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts.read_only(true))
            .await
            .map_err(|e| StoreError::Backend(format!("opening {location}: {e}")))?;
        Ok(SqliteStore {
            writer,
            reader,
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
    pub fn with_bulk_sizes(self, bulk: orgwork_store::BulkSizes) -> SqliteStore {
        SqliteStore { bulk, ..self }
    }

    fn reader(&self) -> &Pool<Db> {
        &self.reader
    }

    /// The connection for upkeep after a bulk load (the writer: the readers are read-only).
    fn upkeep(&self) -> &Pool<Db> {
        &self.writer
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Db>> {
        self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(common::from_db)
    }

    /// A write that may share the database with others like it (see PostgreSQL's): SQLite has
    /// one writer, so it is a write like any other.
    async fn begin_shared_write(&self) -> Result<Transaction<'static, Db>> {
        self.begin_write().await
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// This backend's migrations, embedded in the binary.
pub fn migrator() -> sqlx::migrate::Migrator {
    sqlx::migrate!("./migrations")
}

mod dialect;

// The implementation shared with the other backend.
#[path = "../../orgwork-store/sql/mod.rs"]
mod sql;
use sql::{common, members};

/// A database error as the store reports it (`sql/common.rs`'s `from_db`): for tests that
/// reach the database behind the store's back.
pub fn store_error(e: sqlx::Error) -> StoreError {
    common::from_db(e)
}
