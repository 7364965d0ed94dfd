//! Inspection and supervision's endpoints (`/api/v1/inspections`), the recommendations'
//! follow-up (`/api/v1/recommendations`) and disciplinary cases (`/api/v1/discipline`).
//!
//! Inspectors (and administrators) plan, carry out and conclude the inspections of their
//! body's subtree, verify recommendations and decide cases; organizers report the
//! recommendations addressed to their subtree done (so does a recommendation's owner). Who
//! holds any role on a unit an inspection concerns (a subject, a finding's subject, an
//! addressee) reads what concerns that unit, and nothing of another unit's; the rest is
//! answered "not found".

use super::List;
use crate::AppState;
use crate::auth::{ApiCaller, Caller, today};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::inspection::{
    AppealOutcome, ConclusionInput, FindingInput, InspectionStatus, RecommendationInput, RecommendationStatus,
};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{
    CaseFilter, CaseId, CoverageReport, DisciplineCase, FindingId, Inspection, InspectionAmendment, InspectionId,
    InspectionProgramme, InspectionProgrammeId, MemberId, NewCase, NewInspection, Recommendation, RecommendationFilter,
    RecommendationId, Store, SubjectRef,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programmes, create_programme))
        .routes(routes!(show_programme))
        .routes(routes!(approve_programme))
        .routes(routes!(amendments))
        .routes(routes!(plan))
        .routes(routes!(coverage))
        .routes(routes!(show))
        .routes(routes!(set_status))
        .routes(routes!(reschedule))
        .routes(routes!(conclude))
        .routes(routes!(recommendations))
        .routes(routes!(recommendation))
        .routes(routes!(done))
        .routes(routes!(verify))
        .routes(routes!(cases, open_case))
        .routes(routes!(case))
        .routes(routes!(issue))
        .routes(routes!(appeal))
}

/// The first day a programme's writes reach: its year's first day, or today for a year ahead.
pub fn first_day(year: i32) -> NaiveDate {
    super::plan::first_day(year)
}

fn check_year(year: i32) -> Result<(), ApiError> {
    if (1900..=2199).contains(&year) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {year}")))
    }
}

/// May the caller do `what` in the body, judged today or on the year's first day (a body
/// merged away since stays readable for its year)?
async fn on_body(store: &dyn Store, caller: &Caller, what: Permission, body: &UnitCode, year: i32) -> bool {
    for day in [today(), first_day(year)] {
        if caller.require(store, what, body, day).await.is_ok() {
            return true;
        }
    }
    false
}

/// A programme the caller may read (an inspector's of the body's subtree); 404 otherwise.
pub async fn readable_programme(
    store: &dyn Store,
    caller: &Caller,
    id: InspectionProgrammeId,
) -> Result<InspectionProgramme, ApiError> {
    let hidden = || ApiError::from(InspectionProgrammeId::not_found(id));
    let p = store.inspection_programme(id).await.map_err(|_| hidden())?;
    if on_body(store, caller, Permission::ReadInspections, &p.body, p.year).await { Ok(p) } else { Err(hidden()) }
}

/// A programme the caller may also write in: from its year's first day to today.
pub async fn writable_programme(
    store: &dyn Store,
    caller: &Caller,
    id: InspectionProgrammeId,
) -> Result<InspectionProgramme, ApiError> {
    let p = readable_programme(store, caller, id).await?;
    caller.require_from(store, Permission::WriteInspections, &p.body, first_day(p.year)).await?;
    Ok(p)
}

/// Whether a unit lies in what the caller may see (any role), today or on a day.
async fn sees(store: &dyn Store, caller: &Caller, unit: &UnitCode, day: NaiveDate) -> bool {
    caller.require(store, Permission::ReadStructure, unit, today()).await.is_ok()
        || caller.require(store, Permission::ReadStructure, unit, day).await.is_ok()
}

/// An inspection as the caller may read it: whole for an inspector of the body's subtree;
/// for whoever sees a unit it concerns, only that unit's part (its subjects, findings and
/// recommendations; neither the team's conflicts nor other units'); 404 otherwise.
pub async fn readable(store: &dyn Store, caller: &Caller, id: InspectionId) -> Result<Inspection, ApiError> {
    let hidden = || ApiError::from(InspectionId::not_found(id));
    let mut i = store.inspection(id).await.map_err(|_| hidden())?;
    if on_body(store, caller, Permission::ReadInspections, &i.body, i.year).await {
        return Ok(i);
    }
    let day = i.concluded_on.unwrap_or(i.from);
    let mut seen: std::collections::BTreeMap<UnitCode, bool> = Default::default();
    let mut visible = async |u: &UnitCode| -> bool {
        if let Some(v) = seen.get(u) {
            return *v;
        }
        let v = sees(store, caller, u, day).await;
        seen.insert(u.clone(), v);
        v
    };
    let mut subjects = vec![];
    for s in std::mem::take(&mut i.subjects) {
        if let Some(u) = &s.unit
            && visible(u).await
        {
            subjects.push(s);
        }
    }
    let mut findings = vec![];
    for f in std::mem::take(&mut i.findings) {
        if let Some(u) = &f.subject.unit
            && visible(u).await
        {
            findings.push(f);
        }
    }
    let mut recommendations = vec![];
    for r in std::mem::take(&mut i.recommendations) {
        if visible(&r.addressee).await {
            recommendations.push(r);
        }
    }
    if subjects.is_empty() && findings.is_empty() && recommendations.is_empty() {
        return Err(hidden());
    }
    i.subjects = subjects;
    i.findings = findings;
    i.recommendations = recommendations;
    i.conflicts.clear();
    i.override_reason = None;
    Ok(i)
}

/// An inspection the caller may change: an inspector of its body's subtree, from the
/// programme's year's first day to today.
pub async fn writable(store: &dyn Store, caller: &Caller, id: InspectionId) -> Result<Inspection, ApiError> {
    let i = readable(store, caller, id).await?;
    caller.require_from(store, Permission::WriteInspections, &i.body, first_day(i.year)).await?;
    Ok(i)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeParams {
    /// The inspecting body.
    body: String,
    year: i32,
}

/// The inspection programmes of a body's subtree for a year, the body's first.
#[utoipa::path(get, path = "/api/v1/inspections/programmes", tag = "inspections", params(ProgrammeParams),
    responses((status = 200, body = List<InspectionProgramme>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn programmes(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ProgrammeParams>,
) -> Result<Json<List<InspectionProgramme>>, ApiError> {
    let body = UnitCode::parse(&p.body)?;
    check_year(p.year)?;
    let store = s.store.as_ref();
    if !on_body(store, &caller, Permission::ReadInspections, &body, p.year).await {
        caller.require(store, Permission::ReadInspections, &body, today()).await?;
    }
    let items = store.inspection_programmes(&body, p.year).await?;
    Ok(Json(List { items, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    body: String,
    year: i32,
}

/// A new draft programme of an inspecting body for a year.
#[utoipa::path(post, path = "/api/v1/inspections/programmes", tag = "inspections", request_body = NewProgramme,
    responses((status = 201, body = InspectionProgramme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_programme(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<NewProgramme>,
) -> Result<(StatusCode, Json<InspectionProgramme>), ApiError> {
    let body = UnitCode::parse(&b.body)?;
    check_year(b.year)?;
    caller.require_from(s.store.as_ref(), Permission::WriteInspections, &body, first_day(b.year)).await?;
    let p = s.store.create_inspection_programme(&caller.actor(), &body, b.year).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// A programme and its inspections.
#[utoipa::path(get, path = "/api/v1/inspections/programmes/{id}", tag = "inspections", params(("id" = String, Path)),
    responses((status = 200, body = InspectionProgramme), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn show_programme(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionProgrammeId>,
) -> Result<Json<InspectionProgramme>, ApiError> {
    Ok(Json(readable_programme(s.store.as_ref(), &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    decision: String,
    #[schema(value_type = String, format = Date)]
    on: String,
}

/// Approves a draft programme under a decision: locked from then on, its changes recorded.
#[utoipa::path(post, path = "/api/v1/inspections/programmes/{id}/approve", tag = "inspections", params(("id" = String, Path)),
    request_body = Approve,
    responses((status = 200, body = InspectionProgramme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve_programme(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionProgrammeId>,
    ApiJson(b): ApiJson<Approve>,
) -> Result<Json<InspectionProgramme>, ApiError> {
    let on = parse_date("on", &b.on)?;
    writable_programme(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.approve_inspection_programme(&caller.actor(), id, &b.decision, on).await?))
}

/// The changes recorded on an approved programme, oldest first.
#[utoipa::path(get, path = "/api/v1/inspections/programmes/{id}/amendments", tag = "inspections", params(("id" = String, Path)),
    responses((status = 200, body = List<InspectionAmendment>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn amendments(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionProgrammeId>,
) -> Result<Json<List<InspectionAmendment>>, ApiError> {
    readable_programme(s.store.as_ref(), &caller, id).await?;
    Ok(Json(List { items: s.store.inspection_amendments(id).await?, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// A type of the profile's `inspection.types` (its code or a name).
    #[serde(rename = "type")]
    kind: String,
    /// Units' codes, or `member:ID`.
    subjects: Vec<String>,
    topic: String,
    #[serde(default)]
    criteria: Vec<String>,
    #[schema(value_type = String, format = Date)]
    from: String,
    #[schema(value_type = String, format = Date)]
    to: String,
    /// The team's head and members, by user name.
    head: String,
    #[serde(default)]
    members: Vec<String>,
    /// Keeps team members with a conflict of interest, for this reason.
    override_conflict: Option<String>,
    /// Why it is added to a programme already approved.
    reason: Option<String>,
}

/// Plans an inspection or supervision in a programme: 422 `conflict_of_interest`, naming the
/// member and the subject, when a team member belongs to a subject's subtree during the
/// window and no override is given.
#[utoipa::path(post, path = "/api/v1/inspections/programmes/{id}/inspections", tag = "inspections", params(("id" = String, Path)),
    request_body = PlanBody,
    responses((status = 201, body = Inspection), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn plan(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionProgrammeId>,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<Inspection>), ApiError> {
    let from = parse_date("from", &b.from)?;
    let to = parse_date("to", &b.to)?;
    if b.subjects.len() > orgwork_domain::inspection::MAX_SUBJECTS
        || b.members.len() > orgwork_domain::inspection::MAX_TEAM
    {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_subjects", "subjects, members: too many"));
    }
    let subjects = b.subjects.iter().map(|s| SubjectRef::parse(s)).collect::<Result<Vec<_>, _>>()?;
    writable_programme(s.store.as_ref(), &caller, id).await?;
    let new = NewInspection {
        kind: b.kind,
        subjects,
        topic: b.topic,
        criteria: b.criteria,
        from,
        to,
        head: b.head,
        members: b.members,
        override_conflict: b.override_conflict,
        reason: b.reason,
    };
    Ok((StatusCode::CREATED, Json(s.store.plan_inspection(&caller.actor(), id, new).await?)))
}

/// An inspection from plan to conclusion (only what concerns the caller's units, for who is
/// not an inspector of the body).
#[utoipa::path(get, path = "/api/v1/inspections/{id}", tag = "inspections", params(("id" = String, Path)),
    responses((status = 200, body = Inspection), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn show(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionId>,
) -> Result<Json<Inspection>, ApiError> {
    Ok(Json(readable(s.store.as_ref(), &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// in_progress (start), deferred, cancelled, or planned (take up again).
    #[schema(value_type = String)]
    status: InspectionStatus,
    #[schema(value_type = String, format = Date)]
    on: String,
    /// Why it is deferred or cancelled (required then).
    reason: Option<String>,
}

/// Starts, defers, cancels or takes up again an inspection.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/status", tag = "inspections", params(("id" = String, Path)),
    request_body = StatusBody,
    responses((status = 200, body = Inspection), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_status(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionId>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<Inspection>, ApiError> {
    let on = parse_date("on", &b.on)?;
    writable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.set_inspection_status(&caller.actor(), id, b.status, on, b.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleBody {
    #[schema(value_type = String, format = Date)]
    from: String,
    #[schema(value_type = String, format = Date)]
    to: String,
    /// A new head of the team, with its members; the team stays without it.
    head: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    override_conflict: Option<String>,
    reason: String,
}

/// Moves a planned or deferred inspection to a new window, or gives it a new team: its
/// subjects and the conflict of interest checked again, recorded with the reason.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/reschedule", tag = "inspections", params(("id" = String, Path)),
    request_body = RescheduleBody,
    responses((status = 200, body = Inspection), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reschedule(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionId>,
    ApiJson(b): ApiJson<RescheduleBody>,
) -> Result<Json<Inspection>, ApiError> {
    let from = parse_date("from", &b.from)?;
    let to = parse_date("to", &b.to)?;
    if b.members.len() > orgwork_domain::inspection::MAX_TEAM {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_team", "members: too many"));
    }
    writable(s.store.as_ref(), &caller, id).await?;
    let change = orgwork_store::Reschedule {
        from,
        to,
        team: b.head.map(|h| (h, b.members)),
        override_conflict: b.override_conflict,
        reason: b.reason,
    };
    Ok(Json(s.store.reschedule_inspection(&caller.actor(), id, change).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcludeBody {
    #[schema(value_type = String, format = Date)]
    on: String,
    #[serde(default)]
    findings: Vec<FindingInput>,
    #[serde(default)]
    recommendations: Vec<RecommendationInput>,
}

/// Concludes an inspection with its findings and recommendations (`finding`: the place of its
/// finding in `findings`, from 1): locked from then on.
#[utoipa::path(post, path = "/api/v1/inspections/{id}/conclude", tag = "inspections", params(("id" = String, Path)),
    request_body = ConcludeBody,
    responses((status = 200, body = Inspection), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn conclude(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<InspectionId>,
    ApiJson(b): ApiJson<ConcludeBody>,
) -> Result<Json<Inspection>, ApiError> {
    let on = parse_date("on", &b.on)?;
    writable(s.store.as_ref(), &caller, id).await?;
    let conclusion = ConclusionInput { findings: b.findings, recommendations: b.recommendations };
    Ok(Json(s.store.conclude_inspection(&caller.actor(), id, on, conclusion).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageParams {
    body: String,
    year: i32,
    /// Also list the units neither inspected nor supervised in any year since this one.
    never_since: Option<i32>,
}

/// Which units of a body's subtree were inspected, supervised, or neither in a year.
#[utoipa::path(get, path = "/api/v1/inspections/coverage", tag = "inspections", params(CoverageParams),
    responses((status = 200, body = CoverageReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn coverage(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<CoverageParams>,
) -> Result<Json<CoverageReport>, ApiError> {
    let body = UnitCode::parse(&p.body)?;
    check_year(p.year)?;
    if let Some(y) = p.never_since
        && !(1900..=p.year).contains(&y)
    {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("never_since: {y}")));
    }
    let store = s.store.as_ref();
    if !on_body(store, &caller, Permission::ReadInspections, &body, p.year).await {
        caller.require(store, Permission::ReadInspections, &body, today()).await?;
    }
    Ok(Json(store.coverage(&body, p.year, p.never_since).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationParams {
    /// Those of this inspecting body's inspections.
    body: Option<String>,
    /// Those addressed to this unit's subtree.
    addressee: Option<String>,
    /// Only those past due and not verified.
    #[serde(default)]
    overdue: bool,
    /// open, done (awaiting verification) or verified.
    status: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

/// Whether the caller may read a recommendation: an inspector of its body, or who sees its
/// addressee.
async fn may_read(store: &dyn Store, caller: &Caller, r: &Recommendation) -> bool {
    let year = r.due.year();
    on_body(store, caller, Permission::ReadInspections, &r.body, year).await
        || sees(store, caller, &r.addressee, r.due).await
}

/// Recommendations of a body's inspections, or addressed to a unit's subtree (at least one of
/// the two): each with its follow-up and the overdue flag as of the day.
#[utoipa::path(get, path = "/api/v1/recommendations", tag = "inspections", params(RecommendationParams),
    responses((status = 200, body = List<Recommendation>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recommendations(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<RecommendationParams>,
) -> Result<Json<List<Recommendation>>, ApiError> {
    let as_of = match p.as_of.as_deref() {
        Some(v) => parse_date("as_of", v)?,
        None => today(),
    };
    let status = match p.status.as_deref() {
        None | Some("") => None,
        Some(v) => Some(RecommendationStatus::parse(v).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_recommendation_status",
                format!("status: '{v}' is not one of open, done, verified"),
            )
        })?),
    };
    let body = p.body.as_deref().map(UnitCode::parse).transpose()?;
    let addressee = p.addressee.as_deref().map(UnitCode::parse).transpose()?;
    let store = s.store.as_ref();
    match (&body, &addressee) {
        (Some(b), _) => {
            if !on_body(store, &caller, Permission::ReadInspections, b, as_of.year()).await {
                caller.require(store, Permission::ReadInspections, b, as_of).await?;
            }
        }
        (None, Some(a)) => caller.require(store, Permission::ReadStructure, a, as_of).await?,
        (None, None) => {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "body, addressee: give one of them"));
        }
    }
    let filter = RecommendationFilter { body, addressee, overdue: p.overdue, status, as_of: Some(as_of) };
    Ok(Json(List { items: store.recommendations(&filter).await?, next: None }))
}

pub async fn readable_recommendation(
    store: &dyn Store,
    caller: &Caller,
    id: RecommendationId,
) -> Result<Recommendation, ApiError> {
    let hidden = || ApiError::from(RecommendationId::not_found(id));
    let r = store.recommendation(id, today()).await.map_err(|_| hidden())?;
    if may_read(store, caller, &r).await { Ok(r) } else { Err(hidden()) }
}

/// A recommendation and its follow-up.
#[utoipa::path(get, path = "/api/v1/recommendations/{id}", tag = "inspections", params(("id" = String, Path)),
    responses((status = 200, body = Recommendation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn recommendation(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<RecommendationId>,
) -> Result<Json<Recommendation>, ApiError> {
    Ok(Json(readable_recommendation(s.store.as_ref(), &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoneBody {
    #[schema(value_type = String, format = Date)]
    on: String,
    /// What shows it done (a document's number, a file's name).
    evidence: String,
}

/// Reports a recommendation done: by its owner, or by who may report follow-up in its
/// addressee from the day to today.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/done", tag = "inspections", params(("id" = String, Path)),
    request_body = DoneBody,
    responses((status = 200, body = Recommendation), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn done(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<RecommendationId>,
    ApiJson(b): ApiJson<DoneBody>,
) -> Result<Json<Recommendation>, ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let r = readable_recommendation(store, &caller, id).await?;
    if r.owner != caller.user.name {
        caller.require_from(store, Permission::ReportFollowUp, &r.addressee, on).await?;
    }
    Ok(Json(store.report_recommendation_done(&caller.actor(), id, on, &b.evidence).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    #[schema(value_type = String, format = Date)]
    on: String,
    /// False rejects the report: the recommendation is open again (a note says why).
    #[serde(default = "yes")]
    accept: bool,
    note: Option<String>,
}

fn yes() -> bool {
    true
}

/// Verifies a recommendation reported done (it closes), or rejects the report: by an
/// inspector of its body, neither its owner nor its reporter (422 otherwise).
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/verify", tag = "inspections", params(("id" = String, Path)),
    request_body = VerifyBody,
    responses((status = 200, body = Recommendation), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn verify(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<RecommendationId>,
    ApiJson(b): ApiJson<VerifyBody>,
) -> Result<Json<Recommendation>, ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let r = readable_recommendation(store, &caller, id).await?;
    caller.require_from(store, Permission::WriteInspections, &r.body, on).await?;
    Ok(Json(store.verify_recommendation(&caller.actor(), id, on, b.accept, b.note).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseParams {
    /// Cases decided by this body or against a unit or member of its subtree.
    unit: String,
    year: Option<i32>,
}

/// Whether the caller may read a case: an inspector of its body or of its unit, or who may
/// read the members of the unit it concerns.
async fn may_read_case(store: &dyn Store, caller: &Caller, c: &DisciplineCase) -> bool {
    let year = c.opened_on.year();
    if on_body(store, caller, Permission::ReadInspections, &c.body, year).await {
        return true;
    }
    match &c.unit {
        Some(u) => {
            on_body(store, caller, Permission::ReadInspections, u, year).await
                || on_body(store, caller, Permission::ReadMembers, u, year).await
        }
        None => false,
    }
}

/// The disciplinary cases of a unit's subtree (those the caller may read), of a year.
#[utoipa::path(get, path = "/api/v1/discipline", tag = "inspections", params(CaseParams),
    responses((status = 200, body = List<DisciplineCase>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn cases(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<CaseParams>,
) -> Result<Json<List<DisciplineCase>>, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    if let Some(y) = p.year {
        check_year(y)?;
    }
    let store = s.store.as_ref();
    let day = p.year.map_or_else(today, first_day);
    if caller.require(store, Permission::ReadMembers, &unit, day).await.is_err() {
        caller.require(store, Permission::ReadInspections, &unit, today()).await?;
    }
    let mut items = vec![];
    for c in store.cases(&CaseFilter { unit: Some(unit), year: p.year }).await? {
        if may_read_case(store, &caller, &c).await {
            items.push(c);
        }
    }
    Ok(Json(List { items, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCaseBody {
    /// The member it is against, or
    #[schema(value_type = Option<String>)]
    member: Option<MemberId>,
    /// the unit.
    unit: Option<String>,
    /// A measure of the profile's ladder (its code or a name).
    measure: String,
    /// The deciding body.
    body: String,
    #[schema(value_type = String, format = Date)]
    on: String,
    #[schema(value_type = Option<String>)]
    finding: Option<FindingId>,
    reason: Option<String>,
}

/// Opens a disciplinary case with the measure proposed: by an inspector of the deciding body.
#[utoipa::path(post, path = "/api/v1/discipline", tag = "inspections", request_body = NewCaseBody,
    responses((status = 201, body = DisciplineCase), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_case(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<NewCaseBody>,
) -> Result<(StatusCode, Json<DisciplineCase>), ApiError> {
    let on = parse_date("on", &b.on)?;
    let body = UnitCode::parse(&b.body)?;
    let unit = b.unit.as_deref().map(UnitCode::parse).transpose()?;
    caller.require_from(s.store.as_ref(), Permission::WriteInspections, &body, on).await?;
    let new = NewCase { member: b.member, unit, measure: b.measure, body, on, finding: b.finding, reason: b.reason };
    Ok((StatusCode::CREATED, Json(s.store.open_case(&caller.actor(), new).await?)))
}

pub async fn readable_case(store: &dyn Store, caller: &Caller, id: CaseId) -> Result<DisciplineCase, ApiError> {
    let hidden = || ApiError::from(CaseId::not_found(id));
    let c = store.case(id).await.map_err(|_| hidden())?;
    if may_read_case(store, caller, &c).await { Ok(c) } else { Err(hidden()) }
}

/// A case and its appeals.
#[utoipa::path(get, path = "/api/v1/discipline/{id}", tag = "inspections", params(("id" = String, Path)),
    responses((status = 200, body = DisciplineCase), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CaseId>,
) -> Result<Json<DisciplineCase>, ApiError> {
    Ok(Json(readable_case(s.store.as_ref(), &caller, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBody {
    decision: String,
    #[schema(value_type = String, format = Date)]
    on: String,
}

/// Issues the case's decision: locked; an expulsion ends the membership from that day.
#[utoipa::path(post, path = "/api/v1/discipline/{id}/issue", tag = "inspections", params(("id" = String, Path)),
    request_body = IssueBody,
    responses((status = 200, body = DisciplineCase), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CaseId>,
    ApiJson(b): ApiJson<IssueBody>,
) -> Result<Json<DisciplineCase>, ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let c = readable_case(store, &caller, id).await?;
    caller.require_from(store, Permission::WriteInspections, &c.body, on).await?;
    Ok(Json(store.issue_case(&caller.actor(), id, &b.decision, on).await?))
}

/// May the caller decide an appeal of the case on a day: write inspections in the body above
/// the last to decide (in that body itself when none stands above it, so that the store says
/// `no_body_above`)?
pub async fn may_decide_appeal(
    store: &dyn Store,
    caller: &Caller,
    c: &DisciplineCase,
    on: NaiveDate,
) -> Result<(), ApiError> {
    let last = c.appeals.last().map_or(&c.body, |a| &a.body);
    match store.ancestors(last, on).await?.pop() {
        Some(above) => caller.require_from(store, Permission::WriteInspections, &above.code, on).await,
        None => caller.require_from(store, Permission::WriteInspections, last, on).await,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealBody {
    #[schema(value_type = String, format = Date)]
    on: String,
    /// keep, lighten, raise or annul.
    #[schema(value_type = String)]
    outcome: AppealOutcome,
    /// The measure it lightens or raises to (one step when absent).
    measure: Option<String>,
    decision: Option<String>,
}

/// Records an appeal's decision, by the body above the last to decide: by an inspector of
/// that body.
#[utoipa::path(post, path = "/api/v1/discipline/{id}/appeal", tag = "inspections", params(("id" = String, Path)),
    request_body = AppealBody,
    responses((status = 200, body = DisciplineCase), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn appeal(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CaseId>,
    ApiJson(b): ApiJson<AppealBody>,
) -> Result<Json<DisciplineCase>, ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let c = readable_case(store, &caller, id).await?;
    may_decide_appeal(store, &caller, &c, on).await?;
    Ok(Json(store.appeal_case(&caller.actor(), id, on, b.outcome, b.measure, b.decision).await?))
}
