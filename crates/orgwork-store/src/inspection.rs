//! Inspection and supervision: each inspecting body's programme for a year, the inspections
//! planned in it from plan to conclusion, their findings and recommendations, the
//! recommendations' verified follow-up, disciplinary cases and their appeals, and the
//! coverage of a body's subtree (the rules are `orgwork_domain::inspection`).

use crate::{
    Actor, CaseId, FindingId, InspectionId, InspectionProgrammeId, MemberId, ProgrammeStatus, RecommendationId, Result,
};
use async_trait::async_trait;
use chrono::NaiveDate;
use orgwork_domain::inspection::{
    Against, AppealOutcome, CaseStatus, ConclusionInput, Conflict, Coverage, Covered, FindingKind, InspectionStatus,
    RecommendationStatus,
};
use orgwork_domain::structure::UnitCode;
use serde::Serialize;

/// What an inspection is of: a unit, or a member (named as the record has it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Subject {
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub unit: Option<UnitCode>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub member: Option<MemberId>,
    /// The member's name, for a member subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A subject as a planner names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectRef {
    Unit(UnitCode),
    Member(MemberId),
}

impl SubjectRef {
    /// A unit's code, or `member:ID`.
    pub fn parse(text: &str) -> orgwork_domain::Result<SubjectRef> {
        let t = text.trim();
        match t.strip_prefix("member:") {
            Some(id) => Ok(SubjectRef::Member(id.parse()?)),
            None => Ok(SubjectRef::Unit(UnitCode::parse(t)?)),
        }
    }
}

/// An inspecting body's programme for a year, with its inspections in the order planned.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct InspectionProgramme {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: InspectionProgrammeId,
    /// The inspecting body (its inspection commission acts for it).
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    pub year: i32,
    pub status: ProgrammeStatus,
    pub decision: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub inspections: Vec<Inspection>,
}

/// A planned inspection or supervision, from plan to conclusion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Inspection {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: InspectionId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub programme: InspectionProgrammeId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    pub year: i32,
    /// Its type: a code of the profile's `inspection.types`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether the type is a supervision (else an inspection).
    pub supervision: bool,
    pub subjects: Vec<Subject>,
    pub topic: String,
    /// The regulations it judges by.
    pub criteria: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The team's head and members, by user name.
    pub head: String,
    pub members: Vec<String>,
    pub status: InspectionStatus,
    /// Why it was deferred or cancelled.
    pub reason: Option<String>,
    /// The conflicts of interest the planner overrode, and the reason.
    pub conflicts: Vec<Conflict>,
    pub override_reason: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub findings: Vec<Finding>,
    pub recommendations: Vec<Recommendation>,
}

/// A new planned inspection.
#[derive(Debug, Clone)]
pub struct NewInspection {
    pub kind: String,
    pub subjects: Vec<SubjectRef>,
    pub topic: String,
    pub criteria: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub head: String,
    pub members: Vec<String>,
    /// Keeps team members who have a conflict of interest, for this reason.
    pub override_conflict: Option<String>,
    /// Why it is added to a programme already approved (recorded as an amendment).
    pub reason: Option<String>,
}

/// A planned or deferred inspection moved to a new window or given a new team, on the record.
#[derive(Debug, Clone)]
pub struct Reschedule {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// A new head and members (the team as it is when none).
    pub team: Option<(String, Vec<String>)>,
    pub override_conflict: Option<String>,
    pub reason: String,
}

/// A finding of a concluded inspection: locked with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Finding {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: FindingId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub inspection: InspectionId,
    pub subject: Subject,
    pub kind: FindingKind,
    pub severity: Option<String>,
    pub regulation: Option<String>,
    pub text: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub repeat_of: Option<FindingId>,
}

/// A recommendation of a conclusion and its follow-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Recommendation {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: RecommendationId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub inspection: InspectionId,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub finding: Option<FindingId>,
    /// The inspecting body.
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub addressee: UnitCode,
    pub text: String,
    pub due: NaiveDate,
    /// The user who owns it.
    pub owner: String,
    pub status: RecommendationStatus,
    /// Past its due day (as of the day asked) and not verified.
    pub overdue: bool,
    pub done_on: Option<NaiveDate>,
    pub evidence: Option<String>,
    pub reported_by: Option<String>,
    pub verified_on: Option<NaiveDate>,
    pub verified_by: Option<String>,
    /// Its follow-up, oldest first.
    pub events: Vec<FollowUp>,
}

/// A step of a recommendation's follow-up: reported done, verified, verification rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct FollowUp {
    pub event: String,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub by: String,
}

/// Which recommendations to list.
#[derive(Debug, Clone, Default)]
pub struct RecommendationFilter {
    /// Those of this inspecting body's inspections.
    pub body: Option<UnitCode>,
    /// Those addressed to this unit or a unit of its subtree (on `as_of`).
    pub addressee: Option<UnitCode>,
    /// Only those overdue as of `as_of`.
    pub overdue: bool,
    pub status: Option<RecommendationStatus>,
    pub as_of: Option<NaiveDate>,
}

/// A change recorded on an approved programme: an inspection added, rescheduled, deferred,
/// cancelled or taken up again.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct InspectionAmendment {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub inspection: InspectionId,
    pub before: Option<serde_json::Value>,
    pub after: serde_json::Value,
    pub on: NaiveDate,
    pub reason: Option<String>,
    pub by: String,
    pub recorded_at: String,
}

/// A disciplinary case against a member or a unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct DisciplineCase {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: CaseId,
    pub against: Against,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub member: Option<MemberId>,
    pub member_name: Option<String>,
    /// The unit it is against, or the member's unit on the day it was opened.
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub unit: Option<UnitCode>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub finding: Option<FindingId>,
    /// The deciding body.
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    /// The measure decided (or proposed, while open).
    pub measure: String,
    /// The measure in force after the appeals (none once annulled).
    pub measure_now: Option<String>,
    pub reason: Option<String>,
    pub opened_on: NaiveDate,
    pub status: CaseStatus,
    pub decision: Option<String>,
    pub issued_on: Option<NaiveDate>,
    /// The appeals, in order: each decided by the body above the one before.
    pub appeals: Vec<Appeal>,
}

/// An appeal's decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Appeal {
    pub on: NaiveDate,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub body: UnitCode,
    pub outcome: AppealOutcome,
    pub before: Option<String>,
    pub after: Option<String>,
    pub decision: Option<String>,
    pub by: String,
}

/// A new disciplinary case.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub member: Option<MemberId>,
    pub unit: Option<UnitCode>,
    pub measure: String,
    pub body: UnitCode,
    pub on: NaiveDate,
    pub finding: Option<FindingId>,
    pub reason: Option<String>,
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Decided by this body or against a unit or member of its subtree.
    pub unit: Option<UnitCode>,
    /// Opened (or decided on appeal) in this year.
    pub year: Option<i32>,
}

/// The coverage of a body's subtree for a year, with each unit's row for the tree view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct CoverageReport {
    #[serde(flatten)]
    pub coverage: Coverage,
    /// Members of the subtree who were subjects of an inspection, or a supervision, done in
    /// the year.
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub members_inspected: Vec<MemberId>,
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub members_supervised: Vec<MemberId>,
    pub units: Vec<Covered>,
}

/// An inspecting body's programme written in bulk (the generator's): approved on a day, with
/// its inspections (no team, no recommendation).
#[derive(Debug, Clone)]
pub struct BulkInspectionProgramme {
    pub body: UnitCode,
    pub year: i32,
    pub approved_on: NaiveDate,
    pub inspections: Vec<BulkInspection>,
}

/// An inspection written in bulk: its subjects (units), and its findings once concluded.
#[derive(Debug, Clone)]
pub struct BulkInspection {
    pub kind: String,
    pub subjects: Vec<UnitCode>,
    pub topic: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub status: InspectionStatus,
    pub concluded_on: Option<NaiveDate>,
    /// Subject (one of the subjects), kind, severity, text.
    pub findings: Vec<(UnitCode, FindingKind, Option<String>, String)>,
}

/// Inspection and supervision, and discipline.
#[async_trait]
pub trait InspectionStore: Send + Sync {
    /// Programmes written in bulk in one transaction with one audit entry (the generator's
    /// way: no conflict check, the subjects as given). Refused, writing none, when a body has
    /// one that year.
    async fn load_inspections(&self, actor: &Actor, list: &[BulkInspectionProgramme]) -> Result<usize>;
    /// A new draft programme of an inspecting body for a year (one per body and year).
    async fn create_inspection_programme(
        &self,
        actor: &Actor,
        body: &UnitCode,
        year: i32,
    ) -> Result<InspectionProgramme>;
    /// Approves a draft on a day under a decision: locked from then on (changes recorded as
    /// amendments).
    async fn approve_inspection_programme(
        &self,
        actor: &Actor,
        id: InspectionProgrammeId,
        decision: &str,
        on: NaiveDate,
    ) -> Result<InspectionProgramme>;
    async fn inspection_programme(&self, id: InspectionProgrammeId) -> Result<InspectionProgramme>;
    /// A body's programme for a year, if it has one.
    async fn inspection_programme_of(&self, body: &UnitCode, year: i32) -> Result<Option<InspectionProgramme>>;
    /// The programmes of a body's subtree (the body first) for a year.
    async fn inspection_programmes(&self, unit: &UnitCode, year: i32) -> Result<Vec<InspectionProgramme>>;
    /// The changes recorded on an approved programme, oldest first.
    async fn inspection_amendments(&self, id: InspectionProgrammeId) -> Result<Vec<InspectionAmendment>>;
    /// Plans an inspection: subjects in the body's subtree over the window, a team without a
    /// conflict of interest (or with the planner's override and its reason).
    async fn plan_inspection(&self, actor: &Actor, id: InspectionProgrammeId, new: NewInspection)
    -> Result<Inspection>;
    async fn inspection(&self, id: InspectionId) -> Result<Inspection>;
    /// Starts, defers, cancels, or takes up again a planned inspection (a reason for deferring
    /// and cancelling), on a day.
    async fn set_inspection_status(
        &self,
        actor: &Actor,
        id: InspectionId,
        to: InspectionStatus,
        on: NaiveDate,
        reason: Option<String>,
    ) -> Result<Inspection>;
    /// Moves a planned or deferred inspection to a new window, or gives it a new team (planned
    /// again): the subjects and the conflict of interest checked again, recorded with the
    /// reason.
    async fn reschedule_inspection(&self, actor: &Actor, id: InspectionId, change: Reschedule) -> Result<Inspection>;
    /// Concludes an inspection under way on a day with its findings and recommendations:
    /// locked from then on.
    async fn conclude_inspection(
        &self,
        actor: &Actor,
        id: InspectionId,
        on: NaiveDate,
        conclusion: ConclusionInput,
    ) -> Result<Inspection>;
    async fn recommendation(&self, id: RecommendationId, as_of: NaiveDate) -> Result<Recommendation>;
    async fn recommendations(&self, filter: &RecommendationFilter) -> Result<Vec<Recommendation>>;
    /// Reports a recommendation done on a day, with the evidence.
    async fn report_recommendation_done(
        &self,
        actor: &Actor,
        id: RecommendationId,
        on: NaiveDate,
        evidence: &str,
    ) -> Result<Recommendation>;
    /// Verifies a recommendation reported done (closing it), or rejects the report (opening
    /// it again): by a user neither its owner nor its reporter.
    async fn verify_recommendation(
        &self,
        actor: &Actor,
        id: RecommendationId,
        on: NaiveDate,
        accept: bool,
        note: Option<String>,
    ) -> Result<Recommendation>;
    /// Opens a disciplinary case with its proposed measure.
    async fn open_case(&self, actor: &Actor, new: NewCase) -> Result<DisciplineCase>;
    /// Issues the case's decision on a day: locked; an expulsion ends the membership from it.
    async fn issue_case(&self, actor: &Actor, id: CaseId, decision: &str, on: NaiveDate) -> Result<DisciplineCase>;
    /// Records an appeal's decision, by the body above the last to decide.
    async fn appeal_case(
        &self,
        actor: &Actor,
        id: CaseId,
        on: NaiveDate,
        outcome: AppealOutcome,
        measure: Option<String>,
        decision: Option<String>,
    ) -> Result<DisciplineCase>;
    async fn case(&self, id: CaseId) -> Result<DisciplineCase>;
    async fn cases(&self, filter: &CaseFilter) -> Result<Vec<DisciplineCase>>;
    /// The coverage of a body's subtree (as it stood at the year's end, or today within it)
    /// for a year.
    async fn coverage(&self, body: &UnitCode, year: i32, never_since: Option<i32>) -> Result<CoverageReport>;
}
