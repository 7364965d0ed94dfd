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

/// Opens the store at `url`, applying its migrations, with its audit key (`audit_key`).
pub async fn open(url: &str, profile: Profile) -> Result<Arc<dyn Store>> {
    let profile = Arc::new(profile);
    let key = audit_key(url)?;
    let store: Arc<dyn Store> = if is_postgres(url) {
        Arc::new(PostgresStore::open(url, profile).await?)
    } else {
        Arc::new(SqliteStore::open(url, profile).await?)
    };
    if let Some(key) = key {
        store.set_audit_key(key);
    }
    Ok(store)
}

/// The key the audit log's head is signed with, kept outside the database: the text of
/// `ORGWORK_AUDIT_KEY`, else the file `ORGWORK_AUDIT_KEY_FILE` names, else, for SQLite, the
/// file beside the database (`<file>.audit-key`, made on first use from 32 random bytes and
/// readable by its owner alone). PostgreSQL without either keeps its head unsigned, and
/// `audit verify` says so.
pub fn audit_key(url: &str) -> Result<Option<Vec<u8>>> {
    if let Ok(text) = std::env::var("ORGWORK_AUDIT_KEY")
        && !text.trim().is_empty()
    {
        return Ok(Some(text.trim().as_bytes().to_vec()));
    }
    let file = match std::env::var("ORGWORK_AUDIT_KEY_FILE") {
        Ok(f) if !f.trim().is_empty() => PathBuf::from(f.trim()),
        _ if is_postgres(url) => return Ok(None),
        _ => {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Ok(None);
            }
            PathBuf::from(format!("{path}.audit-key"))
        }
    };
    if !file.exists() {
        let key: String = rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect();
        write_private(&file, &key).with_context(|| format!("writing the audit key {}", file.display()))?;
    }
    let text = std::fs::read_to_string(&file).with_context(|| format!("reading the audit key {}", file.display()))?;
    anyhow::ensure!(!text.trim().is_empty(), "the audit key {} is empty", file.display());
    Ok(Some(text.trim().as_bytes().to_vec()))
}

/// Writes a new file that only its owner may read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

impl DbArgs {
    pub async fn open(&self) -> Result<Arc<dyn Store>> {
        open(&self.database, self.profile.load()?).await
    }
}
