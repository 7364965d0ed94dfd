//! orgwork's storage interface: the `Store` trait that every backend implements, its error
//! type and paging types. No sqlx type appears here, so the web layer and the CLI do not
//! know which database they talk to.
//!
//! `sql/` (outside `src/`) holds the implementation both backends share: Rust and SQL text
//! written once and mounted as a module of each backend crate (`#[path]`), compiled against
//! that backend's concrete sqlx types (see `sql/mod.rs` and ARCHITECTURE.md, "Why one
//! implementation for two backends").

pub mod cache;
pub mod copy;
pub mod ids;
pub mod tree;

mod admissions;
mod audit;
mod congress;
mod inspection;
mod members;
mod plan;
mod restructure;
mod structure;
mod transfers;
mod users;
pub use admissions::*;
pub use audit::*;
pub use congress::*;
pub use inspection::*;
pub use members::*;
pub use plan::*;
pub use restructure::*;
pub use structure::*;
pub use transfers::*;
pub use users::*;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use orgwork_domain::access::Role;
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::{HistoryEntry, Names, SubtreeEntry, Unit, UnitCode};
pub use orgwork_domain::{
    CandidateId, CaseId, CongressId, DraftId, ElectionId, FindingId, InspectionId, InspectionProgrammeId, MemberId,
    ProgrammeId, RecommendationId, TransferId,
};
use serde::Serialize;

/// A storage error: a domain error (a rule, a missing unit, a number taken; constraint
/// violations a user can cause are mapped to these in one place, `sql/common.rs`), a failure
/// of the database itself with its own error kept as the source, or something the store read
/// back and cannot make sense of.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] orgwork_domain::Error),
    #[error("database error: {0}")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("database error: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A page request: at most `limit` items after the opaque cursor `after`.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub limit: u32,
    pub after: Option<String>,
}

impl Page {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn first(limit: u32) -> Page {
        Page { limit, after: None }
    }

    /// The limit, between 1 and `MAX_LIMIT`, `DEFAULT_LIMIT` when zero.
    pub fn effective_limit(&self) -> u32 {
        match self.limit {
            0 => Self::DEFAULT_LIMIT,
            n => n.min(Self::MAX_LIMIT),
        }
    }
}

/// A page of results and the cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Who makes a change: a user, or the command line (which has the database's own rights).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor { user_id: Some(id), name: name.to_string() }
    }
    /// The command line, run by someone with access to the database itself.
    pub fn cli() -> Actor {
        match std::env::var("USER") {
            Ok(who) if !who.is_empty() => Actor { user_id: None, name: format!("cli:{who}") },
            _ => Actor { user_id: None, name: "cli".into() },
        }
    }
}

/// The storage of orgwork. Every write is one transaction: it checks the domain's rules
/// against the state it reads inside the transaction, appends its audit entry, and changes
/// nothing when one fails.
pub trait Store:
    StructureStore
    + UserStore
    + AuditStore
    + MemberStore
    + TransferStore
    + AdmissionStore
    + RestructureStore
    + PlanStore
    + InspectionStore
    + CongressStore
    + Send
    + Sync
    + 'static
{
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    /// The profile the store checks its rules against.
    fn profile(&self) -> &Profile;
    /// Keep the answers of frequent reads in memory while nothing changes (see `cache`): for
    /// long-lived processes such as the server.
    fn cache_reads(&self, on: bool);
    /// The key the audit chain's head is signed with (kept outside the database: a file beside
    /// it, or the configuration); without one the head is not signed.
    fn set_audit_key(&self, key: Vec<u8>);
    /// May a large load grow the database's page cache for speed (SQLite's writer: 1 GB while
    /// it writes)? Yes by default (the command line's loads); the server turns it off, since
    /// its memory is held under 500 MB whatever is uploaded.
    fn large_load_cache(&self, on: bool);
    /// Read the unit tree into memory for searches once they have climbed this many units in
    /// the database (see `tree`; by default a share of the tree's size; 0 for at once).
    fn load_tree_after(&self, units: u64);
}

/// How loads of members cut their work. A load of `large_load` members or more is a large one:
/// written with SQLite's larger page cache, and without the secondary indexes when it is larger
/// than the register. Members are written `slice` at a time, and the count ledger's sums are
/// held in memory across slices until they pass `ledger_held` entries (then written, and again
/// at the end). The defaults suit a nation (20,000; 200,000 members; about 200 MB of sums);
/// tests set them small to load a few thousand members in several slices and write their sums
/// in several parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkSizes {
    pub large_load: usize,
    pub slice: usize,
    pub ledger_held: usize,
}

impl Default for BulkSizes {
    fn default() -> Self {
        BulkSizes { large_load: 20_000, slice: 200_000, ledger_held: 4_000_000 }
    }
}
