//! Choosing the backend by the database URL, and loading the profile.
//!
//! `postgres://` or `postgresql://` means PostgreSQL; a `sqlite:` URL or a plain path means
//! SQLite. The default is `./orgwork.db`.

use anyhow::{Context, Result};
use clap::Args;
use orgwork_domain::profile::Profile;
use orgwork_store::Store;
use orgwork_store_postgres::PostgresStore;
use orgwork_store_sqlite::SqliteStore;
use std::path::PathBuf;
use std::sync::Arc;

pub const DEFAULT_DATABASE: &str = "./orgwork.db";

/// The options every command that opens the database takes.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// The database: a file path or `sqlite:PATH` (SQLite), or `postgres://…` (PostgreSQL).
    #[arg(long, env = "ORGWORK_DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ProfileArgs {
    /// The profile (a TOML file); the seed organization's profile when absent.
    #[arg(long, env = "ORGWORK_PROFILE")]
    pub profile: Option<PathBuf>,
}

impl ProfileArgs {
    pub fn load(&self) -> Result<Profile> {
        match &self.profile {
            None => Ok(Profile::default_profile()),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("reading profile {}", path.display()))?;
                Ok(Profile::parse(&path.display().to_string(), &text)?)
            }
        }
    }
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the store at `url`, applying its migrations.
pub async fn open(url: &str, profile: Profile) -> Result<Arc<dyn Store>> {
    let profile = Arc::new(profile);
    if is_postgres(url) {
        Ok(Arc::new(PostgresStore::open(url, profile).await?))
    } else {
        Ok(Arc::new(SqliteStore::open(url, profile).await?))
    }
}

impl DbArgs {
    pub async fn open(&self) -> Result<Arc<dyn Store>> {
        open(&self.database, self.profile.load()?).await
    }
}
