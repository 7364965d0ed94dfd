//! orgwork's storage interface: the `Store` trait that every backend implements, its error
//! type and paging types. No sqlx type appears here, so the web layer and the CLI do not
//! know which database they talk to.
//!
//! `sql/` (outside `src/`) holds the implementation both backends share: Rust and SQL text
//! written once and compiled into each backend crate with `include!` against that backend's
//! concrete sqlx types (see ARCHITECTURE.md, "One implementation, two backends").

pub mod ids;

use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::{HistoryEntry, Names, SubtreeEntry, Unit, UnitCode};

/// A storage error: either a domain error (a rule, a missing unit) or a failure of the
/// database itself.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] orgwork_domain::Error),
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

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: UnitCode,
    pub names: Names,
    pub kind: String,
    pub parent: Option<UnitCode>,
    pub valid_from: NaiveDate,
    pub decision: Option<String>,
}

/// A dated change to an existing unit.
#[derive(Debug, Clone)]
pub struct Dated {
    pub code: UnitCode,
    pub effective: NaiveDate,
    pub decision: Option<String>,
}

/// The storage of orgwork. Every write is one transaction: it checks the domain's rules
/// against the state it reads inside the transaction, and changes nothing when one fails.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;
    /// The profile the store checks its rules against.
    fn profile(&self) -> &Profile;

    async fn create_unit(&self, new: NewUnit) -> Result<Unit>;
    async fn rename_unit(&self, change: Dated, names: Names) -> Result<Unit>;
    async fn move_unit(&self, change: Dated, new_parent: UnitCode) -> Result<Unit>;
    async fn dissolve_unit(&self, change: Dated) -> Result<Unit>;

    /// The unit with `code` as of `as_of`; a unit dissolved before that date is returned as
    /// it last was (with its `valid_to`).
    async fn unit(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Unit>;
    /// The units without a parent as of `as_of`, by code.
    async fn roots(&self, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    /// Live units whose code or any name contains `query` (case and diacritics ignored).
    async fn search_units(&self, query: &str, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    async fn children(&self, code: &UnitCode, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    /// The unit's ancestors as of `as_of`, the root first (the unit itself not included).
    async fn ancestors(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<Unit>>;
    /// The unit and the units below it, at most `depth` levels down, in tree order.
    async fn subtree(
        &self,
        code: &UnitCode,
        as_of: NaiveDate,
        depth: Option<u32>,
        page: Page,
    ) -> Result<Paged<SubtreeEntry>>;
    /// The unit's own history, oldest first.
    async fn history(&self, code: &UnitCode) -> Result<Vec<HistoryEntry>>;
}
