//! The structure's storage: units and their versions, asked as of a date.

use super::*;

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

/// The structure: units as of any date, and their dated changes.
#[async_trait]
pub trait StructureStore: Send + Sync {
    async fn create_unit(&self, actor: &Actor, new: NewUnit) -> Result<Unit>;
    async fn rename_unit(&self, actor: &Actor, change: Dated, names: Names) -> Result<Unit>;
    async fn move_unit(&self, actor: &Actor, change: Dated, new_parent: UnitCode) -> Result<Unit>;
    async fn dissolve_unit(&self, actor: &Actor, change: Dated) -> Result<Unit>;
    /// Creates many units at once (a generated or migrated organization), parents before
    /// children, in one transaction with one audit entry; each checked as `create_unit` checks
    /// one (code used once, parent live, kind allowed under the parent's). Returns how many.
    async fn load_units(&self, actor: &Actor, units: &[NewUnit], progress: &Progress<'_>) -> Result<u64>;

    /// The unit with `code` as of `as_of`; a unit dissolved before that date is returned as
    /// it last was (with its `valid_to`).
    async fn unit(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Unit>;
    /// The units without a parent as of `as_of`, by code.
    async fn roots(&self, as_of: NaiveDate, page: Page) -> Result<Paged<Unit>>;
    /// Live units whose code or any name contains `query` (case and diacritics ignored);
    /// with `within`, only those in the subtrees of these units (store keys).
    async fn search_units(
        &self,
        query: &str,
        as_of: NaiveDate,
        within: Option<&[i64]>,
        page: Page,
    ) -> Result<Paged<Unit>>;
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
    /// The store keys of the unit and its ancestors as of `as_of` (the unit first); for a
    /// unit dissolved by then, as of its last day. Scope checks use it.
    async fn path_ids(&self, code: &UnitCode, as_of: NaiveDate) -> Result<Vec<i64>>;
    /// Every path (as `path_ids` gives it) that the unit with `code` has on some day from
    /// `from` to `to` (both included), each with the first of those days it holds: a write
    /// whose effects reach over those days is judged on each of them. A code that names no
    /// unit live on any of those days is judged where that unit last stood (`path_ids`).
    async fn paths_over(&self, code: &UnitCode, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Vec<i64>)>>;
}
