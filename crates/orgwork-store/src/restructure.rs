//! Restructurings: drafts checked, applied and undone, with their impact and lineage.

use super::*;

/// A restructuring: a draft until applied; applied, it can be undone while it is the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Restructuring {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: DraftId,
    pub title: String,
    pub effective: NaiveDate,
    pub decision: Option<String>,
    /// draft, applied or undone.
    pub state: String,
    pub operations: Vec<orgwork_domain::restructure::Operation>,
    /// Where open work-programme items of the units it takes apart go, when named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan_items: Vec<orgwork_domain::restructure::ItemDestination>,
    /// Where open inspections and recommendations of the units it takes apart go, when named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<orgwork_domain::restructure::FollowUpDestination>,
    pub created_by: String,
    pub created_at: String,
    pub applied_by: Option<String>,
    pub applied_at: Option<String>,
    pub undone_at: Option<String>,
}

impl Restructuring {
    /// Its draft: the title, date, decision and operations it was recorded with.
    pub fn draft(&self) -> orgwork_domain::restructure::Draft {
        orgwork_domain::restructure::Draft {
            title: self.title.clone(),
            effective: self.effective,
            decision: self.decision.clone(),
            operations: self.operations.clone(),
            plan_items: self.plan_items.clone(),
            follow_ups: self.follow_ups.clone(),
        }
    }
}

/// What a draft does to one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ImpactUnit {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub code: UnitCode,
    pub name: String,
    pub kind: String,
    /// created, renamed, moved, merged, absorbs, split, dissolved, receives.
    pub change: String,
    /// Where what it holds goes (merged, split, dissolved into).
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub to: Vec<UnitCode>,
    /// Members whose own unit it is and who move with the draft.
    pub members_moved: i64,
    /// Members in its subtree the day before the draft.
    pub members_before: i64,
}

/// A unit whose children change: its children the day before and on the effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct TreeChange {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub parent: UnitCode,
    pub parent_name: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub before: Vec<UnitCode>,
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub after: Vec<UnitCode>,
}

/// The impact of a draft: the units, members, transfers and committees it touches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Impact {
    pub units: Vec<ImpactUnit>,
    /// Members who change unit (their own unit is merged, split or dissolved).
    pub members_moved: i64,
    /// Members under the units taken apart, the day before: the people the draft concerns.
    pub members_concerned: i64,
    pub transfers_redirected: i64,
    /// Committees and office-holders on the units taken apart (none are recorded yet: the
    /// committee module adds them).
    pub committees: i64,
    pub tree: Vec<TreeChange>,
    /// Open items of approved work programmes whose responsible unit the draft takes apart,
    /// and the unit that takes each over.
    #[serde(default)]
    pub plan_items: Vec<PlanItemMove>,
    /// Open inspections whose subject, and open recommendations whose addressee, the draft
    /// takes apart, and the unit that takes each over.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpMove>,
}

/// An open inspection (one of its subjects) or an open recommendation whose unit a draft
/// takes apart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct FollowUpMove {
    /// `inspection` or `recommendation`.
    pub kind: String,
    pub id: String,
    /// The inspection's topic, the recommendation's text.
    pub title: String,
    /// The inspecting body.
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub from: UnitCode,
    /// None while the draft names no unit to take it over (the check fails).
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub to: Option<UnitCode>,
}

/// An open work-programme item whose responsibility a draft moves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct PlanItemMove {
    /// The programme's id, its unit and year.
    pub programme: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub programme_unit: UnitCode,
    pub year: i32,
    pub item: String,
    pub title: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub from: UnitCode,
    /// None while the draft names no unit to take it over (the check fails).
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub to: Option<UnitCode>,
}

/// The result of the continuity check (and of an apply, which runs it again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct CheckReport {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub restructuring: DraftId,
    pub passed: bool,
    pub applied: bool,
    /// The rules the check ran, in order.
    pub rules: Vec<orgwork_domain::restructure::Rule>,
    pub failures: Vec<orgwork_domain::restructure::Failure>,
    pub impact: Impact,
}

/// One step of a unit's lineage: which unit replaced which, on what day, by which restructuring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct LineageEntry {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub restructuring: DraftId,
    pub day: NaiveDate,
    /// merged (into a new unit), absorbed (into a surviving one), split, dissolved.
    pub relation: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub from: UnitCode,
    pub from_name: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub to: UnitCode,
    pub to_name: String,
}

/// Restructurings: drafts, the continuity check, apply and undo, lineage.
#[async_trait]
pub trait RestructureStore: Send + Sync {
    /// Records a draft (its shape checked where it was read; the tree is judged by the check).
    async fn create_restructuring(
        &self,
        actor: &Actor,
        draft: orgwork_domain::restructure::ValidDraft,
    ) -> Result<Restructuring>;
    /// Every restructuring, newest first.
    async fn restructurings(&self) -> Result<Vec<Restructuring>>;
    async fn restructuring(&self, id: DraftId) -> Result<Restructuring>;
    /// Runs the draft in a transaction that is rolled back: its impact and the check.
    async fn check_restructuring(&self, id: DraftId) -> Result<CheckReport>;
    /// Runs the check again and, if it passes, applies the draft in one transaction.
    async fn apply_restructuring(&self, actor: &Actor, id: DraftId) -> Result<CheckReport>;
    /// The most recent applied restructuring (the one `undo_restructuring` would undo).
    async fn latest_applied(&self) -> Result<Option<Restructuring>>;
    /// Undoes the most recent applied restructuring, if nothing was recorded after it on the
    /// units it touched.
    async fn undo_restructuring(&self, actor: &Actor) -> Result<Restructuring>;
    /// The lineage of a unit: the units it replaced and those that replaced it, through every
    /// applied restructuring, oldest first.
    async fn lineage(&self, code: &UnitCode) -> Result<Vec<LineageEntry>>;
    /// The units a unit replaced, recursively: the predecessors whose figures before `day`
    /// add up to it (the unit itself first).
    async fn predecessors(&self, code: &UnitCode, day: NaiveDate) -> Result<Vec<UnitCode>>;
}
