//! The conformance suite: one set of stories, run on every backend, each on a fresh database
//! that the test creates and drops. `backends!` expands a story into one test per backend.
//!
//! PostgreSQL is reached at `ORGWORK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); a test that cannot reach it fails: it is
//! never skipped.

pub mod stories;

use orgwork_domain::profile::Profile;
use orgwork_store::Store;
use orgwork_store_postgres::PostgresStore;
use orgwork_store_sqlite::SqliteStore;
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::sync::Arc;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn postgres_admin_url() -> String {
    std::env::var("ORGWORK_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_string())
}

/// A fresh database for one test; dropped (file removed, PostgreSQL database dropped) with it.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    /// The URL the database can be opened with again (by a server or the CLI).
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl TestDb {
    pub async fn new(backend: &str) -> TestDb {
        Self::with_profile(backend, Profile::default_profile()).await
    }

    pub async fn with_profile(backend: &str, profile: Profile) -> TestDb {
        Self::with(backend, profile, orgwork_store::BulkSizes::default()).await
    }

    /// A store that cuts its large loads of members as `bulk` says (several slices, the
    /// ledger's sums written in several parts, with far fewer members than a nation).
    pub async fn with_bulk_sizes(backend: &str, bulk: orgwork_store::BulkSizes) -> TestDb {
        Self::with(backend, Profile::default_profile(), bulk).await
    }

    async fn with(backend: &str, profile: Profile, bulk: orgwork_store::BulkSizes) -> TestDb {
        let profile = Arc::new(profile);
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let path = dir.path().join("orgwork-test.db");
                let url = format!("sqlite:{}", path.display());
                let store = SqliteStore::open(&url, profile).await.expect("open SQLite").with_bulk_sizes(bulk);
                TestDb { store: Arc::new(store), url, cleanup: Cleanup::Sqlite(dir) }
            }
            "postgres" => {
                let admin = postgres_admin_url();
                let name = format!("orgwork_test_{:016x}", rand::random::<u64>());
                let admin_opts = PgConnectOptions::from_str(&admin).expect("ORGWORK_TEST_POSTGRES_URL is a URL");
                let pool =
                    PgPoolOptions::new().max_connections(1).connect_with(admin_opts.clone()).await.unwrap_or_else(
                        |e| panic!("PostgreSQL is not reachable at {admin}: {e} (set ORGWORK_TEST_POSTGRES_URL)"),
                    );
                pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("CREATE DATABASE");
                pool.close().await;
                let opts = admin_opts.database(&name);
                let store =
                    PostgresStore::connect(opts.clone(), profile).await.expect("open PostgreSQL").with_bulk_sizes(bulk);
                let url = replace_database(&admin, &name);
                TestDb { store: Arc::new(store), url, cleanup: Cleanup::Postgres { admin, name } }
            }
            other => panic!("unknown backend {other}"),
        }
    }
}

impl TestDb {
    /// Another store on the same database, as another process (the CLI beside a server) has.
    pub async fn open_again(&self) -> Arc<dyn Store> {
        let profile = Arc::new(self.store.profile().clone());
        match &self.cleanup {
            Cleanup::Sqlite(_) => Arc::new(SqliteStore::open(&self.url, profile).await.expect("open SQLite again")),
            Cleanup::Postgres { .. } => {
                Arc::new(PostgresStore::open(&self.url, profile).await.expect("open PostgreSQL again"))
            }
        }
    }

    /// Runs raw SQL on the test database, behind the store's back; the database's error if it
    /// refuses it.
    pub async fn try_execute(&self, sql: &str) -> Result<(), String> {
        let done = match &self.cleanup {
            Cleanup::Sqlite(_) => {
                let pool =
                    sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&self.url).await.expect("open");
                let done = pool.execute(sqlx::AssertSqlSafe(sql.to_string())).await.map(|_| ());
                pool.close().await;
                done
            }
            Cleanup::Postgres { .. } => {
                let pool = PgPoolOptions::new().max_connections(1).connect(&self.url).await.expect("connect");
                let done = pool.execute(sqlx::AssertSqlSafe(sql.to_string())).await.map(|_| ());
                pool.close().await;
                done
            }
        };
        done.map_err(|e| e.to_string())
    }

    /// Runs raw SQL on the test database behind the store's back, its error reported as the
    /// store reports a database's (`store_error` of the backend).
    pub async fn try_execute_as_store(&self, sql: &str) -> Result<(), orgwork_store::StoreError> {
        match &self.cleanup {
            Cleanup::Sqlite(_) => {
                let pool =
                    sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect(&self.url).await.expect("open");
                let done = pool.execute(sqlx::AssertSqlSafe(sql.to_string())).await.map(|_| ());
                pool.close().await;
                done.map_err(orgwork_store_sqlite::store_error)
            }
            Cleanup::Postgres { .. } => {
                let pool = PgPoolOptions::new().max_connections(1).connect(&self.url).await.expect("connect");
                let done = pool.execute(sqlx::AssertSqlSafe(sql.to_string())).await.map(|_| ());
                pool.close().await;
                done.map_err(orgwork_store_postgres::store_error)
            }
        }
    }

    /// Runs raw SQL on the test database, behind the store's back (to tamper with it).
    pub async fn execute(&self, sql: &str) {
        self.try_execute(sql).await.expect("raw SQL");
    }
}

/// The URL with its database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    format!("{base}/{name}{query}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin, name } = &self.cleanup {
            let (admin, name) = (admin.clone(), name.clone());
            // Drop runs inside the test's runtime: drop the database from a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(pool) = PgPoolOptions::new().max_connections(1).connect(&admin).await {
                        let _ = pool
                            .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                            .await;
                        pool.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Expands stories into one `#[tokio::test]` per backend, the one macro of every test suite
/// that runs on both:
///
/// - `backends!(story_a, story_b);` makes `sqlite::story_a`, `postgres::story_a`, … each
///   calling `stories::story_a(store)` on a fresh database with the default profile;
/// - `backends!(profile f => sqlite_x, postgres_x; s);` uses the profile `f()` returns, in
///   modules of the names given;
/// - `backends!(db: s);` passes the story the whole `&TestDb` (raw SQL behind the store);
/// - `backends!(call PATH; setup |backend| EXPR; s);` calls `PATH::s(EXPR)`, `backend` being
///   `"sqlite"` or `"postgres"` (the web tests: `call crate; setup |b| super::spawn_app(b).await`).
#[macro_export]
macro_rules! backends {
    ($($story:ident),+ $(,)?) => {
        $crate::backends!(profile orgwork_domain::profile::Profile::default_profile => sqlite, postgres; $($story),+);
    };
    (profile $profile:path => $sqlite:ident, $postgres:ident; $($story:ident),+ $(,)?) => {
        $crate::backends!(@each $sqlite, $postgres; call orgwork_store_tests::stories;
            setup |backend| $crate::TestDb::with_profile(backend, $profile()).await.store.clone(); $($story),+);
    };
    (db: $($story:ident),+ $(,)?) => {
        $crate::backends!(@each sqlite_db, postgres_db; call orgwork_store_tests::stories;
            setup |backend| &$crate::TestDb::new(backend).await; $($story),+);
    };
    (call $($prefix:ident)::+; setup |$backend:ident| $setup:expr; $($story:ident),+ $(,)?) => {
        $crate::backends!(@each sqlite, postgres; call $($prefix)::+; setup |$backend| $setup; $($story),+);
    };
    (@each $sqlite:ident, $postgres:ident; call $($prefix:ident)::+; setup |$backend:ident| $setup:expr; $($story:ident),+) => {
        mod $sqlite {
            use $($prefix)::+ as suite;
            $(
                #[tokio::test]
                async fn $story() {
                    let $backend = "sqlite";
                    suite::$story($setup).await;
                }
            )+
        }
        mod $postgres {
            use $($prefix)::+ as suite;
            $(
                #[tokio::test]
                async fn $story() {
                    let $backend = "postgres";
                    suite::$story($setup).await;
                }
            )+
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(super::replace_database("postgres://h:5432", "x"), "postgres://h:5432/x");
    }
}
