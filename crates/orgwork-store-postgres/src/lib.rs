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
        let mut tx = self.pool.begin().await.map_err(common::from_db)?;
        sqlx::query("SELECT id FROM write_lock WHERE id = 1 FOR UPDATE")
            .execute(&mut *tx)
            .await
            .map_err(common::from_db)?;
        Ok(tx)
    }

    /// A write that changes no unit and touches no existing member's rows (a new member's
    /// admission): it shares `write_lock`, so it runs beside others like it, never beside a
    /// structure write. What such writes share they lock in one order: the name index's words
    /// and the ledger's rows in key order, then the audit head (`AUDIT_LOCK`), so that they
    /// wait for each other rather than deadlock.
    async fn begin_shared_write(&self) -> Result<Transaction<'static, Db>> {
        let mut tx = self.pool.begin().await.map_err(common::from_db)?;
        sqlx::query("SELECT id FROM write_lock WHERE id = 1 FOR SHARE")
            .execute(&mut *tx)
            .await
            .map_err(common::from_db)?;
        Ok(tx)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
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
