//! The admission pipeline's endpoints: candidates of a unit, their admission or withdrawal,
//! and a year's admission figures. Candidates are personal data, like members.

use super::List;
use crate::AppState;
use crate::auth::today;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::{UnitCode, parse_decision};
use orgwork_store::{Admissions, Candidate, CandidateId, Member, NewCandidate, Store};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(admit))
        .routes(routes!(withdraw))
        .routes(routes!(admissions))
}

/// The candidate, if the caller may write members in its unit from `on` (the day of the
/// admission or withdrawal) to today; 404 if they may not read them.
pub async fn candidate_to_change(
    store: &dyn Store,
    caller: &Caller,
    id: CandidateId,
    on: NaiveDate,
) -> Result<Candidate, ApiError> {
    let hidden = || ApiError::from(CandidateId::not_found(id));
    let c = store.candidate(id).await.map_err(|_| hidden())?;
    let on = on.max(c.proposed_on);
    if caller.require(store, Permission::ReadMembers, &c.unit, on).await.is_err() {
        return Err(hidden());
    }
    caller.require_from(store, Permission::WriteMembers, &c.unit, on).await?;
    Ok(c)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateParams {
    unit: String,
    /// Only those still waiting.
    waiting: Option<bool>,
}

/// Candidates of a unit's subtree, newest first.
#[utoipa::path(get, path = "/api/v1/candidates", tag = "members", params(CandidateParams),
    responses((status = 200, body = List<Candidate>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<CandidateParams>,
) -> Result<Json<List<Candidate>>, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, today()).await?;
    let items = s.store.candidates(&unit, p.waiting.unwrap_or(false)).await?;
    Ok(Json(List { items, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddCandidate {
    unit: String,
    full_name: String,
    sex: String,
    #[schema(value_type = String, format = Date)]
    birth_date: String,
    occupation: Option<String>,
    national_id: Option<String>,
    course: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    course_done: Option<String>,
    #[schema(value_type = String, format = Date)]
    proposed_on: String,
}

/// Records a candidate proposed by a unit.
#[utoipa::path(post, path = "/api/v1/candidates", tag = "members", request_body = AddCandidate,
    responses((status = 201, body = Candidate), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<AddCandidate>,
) -> Result<(StatusCode, Json<Candidate>), ApiError> {
    let new = NewCandidate {
        unit: UnitCode::parse(&b.unit)?,
        full_name: b.full_name,
        sex: b.sex,
        birth_date: parse_date("birth_date", &b.birth_date)?,
        occupation: b.occupation,
        national_id: b.national_id,
        course: b.course,
        course_done: b.course_done.as_deref().map(|d| parse_date("course_done", d)).transpose()?,
        proposed_on: parse_date("proposed_on", &b.proposed_on)?,
    };
    caller.require_from(s.store.as_ref(), Permission::WriteMembers, &new.unit, new.proposed_on).await?;
    Ok((StatusCode::CREATED, Json(s.store.add_candidate(&caller.actor(), new).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Admit {
    #[schema(value_type = String, format = Date)]
    admitted_on: String,
    card_number: Option<String>,
    /// The admission decision.
    document: Option<String>,
}

/// Admits a candidate: a probationary member in the candidate's unit from that day.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/admit", tag = "members", params(("id" = String, Path)), request_body = Admit,
    responses((status = 200, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn admit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CandidateId>,
    ApiJson(b): ApiJson<Admit>,
) -> Result<Json<Member>, ApiError> {
    let on = parse_date("admitted_on", &b.admitted_on)?;
    let document = parse_decision(b.document.as_deref())?;
    let c = candidate_to_change(s.store.as_ref(), &caller, id, on).await?;
    Ok(Json(s.store.admit_candidate(&caller.actor(), c.id, on, b.card_number, document).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    #[schema(value_type = String, format = Date)]
    effective: String,
    note: Option<String>,
}

/// Withdraws a candidate.
#[utoipa::path(post, path = "/api/v1/candidates/{id}/withdraw", tag = "members", params(("id" = String, Path)), request_body = Withdraw,
    responses((status = 200, body = Candidate), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn withdraw(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CandidateId>,
    ApiJson(b): ApiJson<Withdraw>,
) -> Result<Json<Candidate>, ApiError> {
    let on = parse_date("effective", &b.effective)?;
    let note = parse_decision(b.note.as_deref())?;
    let c = candidate_to_change(s.store.as_ref(), &caller, id, on).await?;
    Ok(Json(s.store.withdraw_candidate(&caller.actor(), c.id, on, note).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year; this year when absent.
    year: Option<i32>,
}

/// The members admitted in a year under a unit: in all, young, students, women, ethnic minorities.
#[utoipa::path(get, path = "/api/v1/units/{code}/admissions", tag = "members", params(("code" = String, Path), YearParams),
    responses((status = 200, body = Admissions), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn admissions(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<YearParams>,
) -> Result<Json<Admissions>, ApiError> {
    let code = UnitCode::parse(&c)?;
    let year = q.year.unwrap_or_else(|| today().year());
    if !(1930..=2200).contains(&year) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("year: {year} is not a year orgwork keeps"),
        ));
    }
    caller.require(s.store.as_ref(), Permission::ReadStructure, &code, today()).await?;
    Ok(Json(s.store.admissions(&code, year).await?))
}
