//! Annual work programmes: a unit's programme for a year, its items, the lint, approval, and
//! the progress reports appended to its items (the rules are `orgwork_domain::plan`).

use crate::{Actor, ProgrammeId, Result};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::plan::{Item, Lint};
use orgwork_domain::structure::UnitCode;
use serde::Serialize;

/// Where a programme stands: being written, approved (and locked), or closed at year's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeStatus {
    Draft,
    Approved,
    Closed,
}

impl ProgrammeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::Approved => "approved",
            ProgrammeStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<ProgrammeStatus> {
        match text {
            "draft" => Some(ProgrammeStatus::Draft),
            "approved" => Some(ProgrammeStatus::Approved),
            "closed" => Some(ProgrammeStatus::Closed),
            _ => None,
        }
    }
}

/// A unit's programme for a year, with its items in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Programme {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: ProgrammeId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub year: i32,
    pub theme: String,
    pub status: ProgrammeStatus,
    /// The approving decision's number, and its date.
    pub decision: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub items: Vec<Item>,
}

/// A progress report on an item: appended, never changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Report {
    pub item: String,
    pub value: f64,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub evidence: Option<String>,
    /// Who reported it.
    pub by: String,
}

/// A new report.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    pub item: String,
    pub value: f64,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub evidence: Option<String>,
}

/// An amendment of an approved programme: one item changed, added (no `before`) or withdrawn
/// (no `after`), from a day, with the reason; appended to the programme's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Amendment {
    pub item: String,
    pub before: Option<Item>,
    pub after: Option<Item>,
    /// The day it takes effect.
    pub on: NaiveDate,
    pub reason: String,
    /// The restructuring that made it (moving an item to the unit that takes it over), or
    /// undid one.
    pub restructuring: Option<String>,
    /// Who recorded it, and when (UTC).
    pub by: String,
    pub recorded_at: String,
}

/// A new amendment: the item's code, the item as it is to be (none to withdraw it).
#[derive(Debug, Clone)]
pub struct NewAmendment {
    pub item: String,
    pub after: Option<Item>,
    pub on: NaiveDate,
    pub reason: String,
}

/// An item as it stands on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ItemStanding {
    pub code: String,
    pub title: String,
    pub parent: Option<String>,
    /// The value it is judged by: its latest report on or before the day, or the sum of the
    /// children's count items that carry it out.
    pub value: Option<f64>,
    /// Between 0 and 1.
    pub achievement: f64,
    pub overdue: bool,
    /// Its reports up to the day, oldest first.
    pub reports: Vec<Report>,
}

/// A programme as it stands on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ProgrammeStanding {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: ProgrammeId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub year: i32,
    pub theme: String,
    pub status: ProgrammeStatus,
    pub decision: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub as_of: NaiveDate,
    /// Σ weight × achievement over Σ weight of the top-level items, between 0 and 1.
    pub completion: f64,
    pub items: Vec<ItemStanding>,
}

/// Where a unit's programme for a year stands on a day, for its page's chart: none when the
/// unit has no programme that year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct UnitCompletion {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub programme: Option<ProgrammeId>,
    pub status: Option<ProgrammeStatus>,
    /// Between 0 and 1.
    pub completion: Option<f64>,
    /// Its items past their deadline and not achieved: code, title, deadline.
    pub overdue: Vec<OverdueItem>,
}

/// An item past its deadline and not achieved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct OverdueItem {
    pub code: String,
    pub title: String,
    pub deadline: Option<NaiveDate>,
    pub achievement: f64,
}

/// A programme written in bulk (the generator's): approved on a day under a decision, or a
/// draft, with its reports.
#[derive(Debug, Clone)]
pub struct BulkProgramme {
    pub unit: UnitCode,
    pub year: i32,
    pub theme: String,
    pub items: Vec<Item>,
    pub approved: Option<(String, NaiveDate)>,
    pub reports: Vec<NewReport>,
}

/// A unit's completion for a year in the roll-up of the whole tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct RolledUp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    /// Between 0 and 1: its own programme's, or the mean of its children's.
    pub completion: f64,
    /// Whether it is its own programme's (else its children's mean).
    pub own: bool,
}

/// The annual work programmes.
#[async_trait]
pub trait PlanStore: Send + Sync {
    /// A new draft programme of a unit for a year (one per unit and year).
    async fn create_programme(
        &self,
        actor: &Actor,
        unit: &UnitCode,
        year: i32,
        theme: &str,
        items: Vec<Item>,
    ) -> Result<Programme>;
    /// Replaces a draft's items (refused once approved).
    async fn replace_items(&self, actor: &Actor, id: ProgrammeId, items: Vec<Item>) -> Result<Programme>;
    async fn programme(&self, id: ProgrammeId) -> Result<Programme>;
    /// A programme with its items as they stood on a day (those amended after it as they were
    /// before).
    async fn programme_as_of(&self, id: ProgrammeId, as_of: NaiveDate) -> Result<Programme>;
    /// The unit's programme for a year, if it has one.
    async fn programme_of(&self, unit: &UnitCode, year: i32) -> Result<Option<Programme>>;
    /// The lint of a programme against the tree and the parent unit's programme.
    async fn lint_programme(&self, id: ProgrammeId) -> Result<Lint>;
    /// Approves a draft on a day under a decision: refused while the lint has errors, changing
    /// nothing; the programme is locked from then on.
    async fn approve_programme(
        &self,
        actor: &Actor,
        id: ProgrammeId,
        decision: &str,
        on: NaiveDate,
    ) -> Result<Programme>;
    /// Amends an approved programme: one item changed, added or withdrawn, recorded with the
    /// item before and after; refused, changing nothing, when the programme it makes has lint
    /// errors.
    async fn amend_programme(&self, actor: &Actor, id: ProgrammeId, amendment: NewAmendment) -> Result<Amendment>;
    /// A programme's amendments, oldest first.
    async fn amendments(&self, id: ProgrammeId) -> Result<Vec<Amendment>>;
    /// Closes an approved programme on a day (its year's review done): nothing is reported on
    /// it or amended after; it still stands as of any day.
    async fn close_programme(&self, actor: &Actor, id: ProgrammeId, on: NaiveDate) -> Result<Programme>;
    /// Appends a progress report to an item of an approved programme.
    async fn report_progress(&self, actor: &Actor, id: ProgrammeId, report: NewReport) -> Result<Report>;
    /// A unit's programme for a year and those of its children (live on the day), as they
    /// stand on the day: the unit first, then its children by code.
    async fn completions(&self, unit: &UnitCode, year: i32, as_of: NaiveDate) -> Result<Vec<UnitCompletion>>;
    /// Programmes written in bulk, in one transaction with one audit entry (the generator's
    /// way: no lint, the items as given). Refused, writing none, when a unit has one that year.
    async fn load_programmes(&self, actor: &Actor, list: &[BulkProgramme]) -> Result<usize>;
    /// Every unit's completion for a year on a day (`plan::roll_up`): the approved programmes'
    /// completions, counts carried up the tree, and for a unit without one the mean of its
    /// children's; units with neither are left out.
    async fn roll_up(&self, year: i32, as_of: NaiveDate) -> Result<Vec<RolledUp>>;
    /// The programme as it stands on a day: each item's value, achievement and overdue flag,
    /// counts carried up from the children's programmes, the completion.
    async fn programme_standing(&self, id: ProgrammeId, as_of: NaiveDate) -> Result<ProgrammeStanding>;
}
