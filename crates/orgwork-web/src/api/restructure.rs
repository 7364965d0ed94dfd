//! Restructurings: drafts (explicit operations, a TOML file of them, or a mapping table),
//! the continuity check, apply and undo; and a unit's lineage.
//!
//! Whoever plans, checks or applies a draft must hold the right on every existing unit it
//! names, judged on the tree the day before it takes effect: reading the structure to see and
//! check it, changing the structure and the members to plan, apply or undo it.

use super::List;
use crate::AppState;
use crate::auth::today;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::restructure::{
    Draft, FollowUpDestination, ItemDestination, Operation, ValidDraft, default_title, draft_from_mapping, mapping_rows,
};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{CheckReport, DraftId, LineageEntry, Restructuring, Store, StoreError};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, plan))
        .routes(routes!(get_one))
        .routes(routes!(check))
        .routes(routes!(apply))
        .routes(routes!(undo))
        .routes(routes!(lineage))
}

/// Requires `what` on every existing unit the draft names, on the day before it takes effect
/// and on every day from then to today (a draft dated in the past reaches those days too).
/// Units that do not exist then are left to the continuity check, which names them.
pub async fn require_draft(
    store: &dyn Store,
    caller: &Caller,
    draft: &Draft,
    what: &[Permission],
) -> Result<(), ApiError> {
    orgwork_domain::date::check_horizon(
        "effective",
        draft.effective,
        crate::auth::today(),
        store.profile().horizon_years,
    )?;
    let day = draft.effective.pred_opt().unwrap_or(draft.effective);
    if caller.is_root_administrator(store, day).await? {
        return Ok(());
    }
    for code in draft.named_units() {
        let paths = match store.paths_over(&code, day, day.max(crate::auth::today())).await {
            Ok(paths) => paths,
            Err(StoreError::Domain(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        for w in what {
            caller.require_paths(*w, &code, &paths)?;
        }
    }
    Ok(())
}

/// The restructuring, if the caller may `what` every unit it names.
pub async fn restructuring_for(
    store: &dyn Store,
    caller: &Caller,
    id: DraftId,
    what: &[Permission],
) -> Result<Restructuring, ApiError> {
    let r = store.restructuring(id).await?;
    require_draft(store, caller, &r.draft(), what).await?;
    Ok(r)
}

/// Restructurings the caller may see (those whose units they may all read), newest first.
#[utoipa::path(get, path = "/api/v1/restructurings", tag = "restructuring",
    responses((status = 200, body = List<Restructuring>), (status = 401, body = ErrorBody)))]
async fn list(State(s): State<AppState>, ApiCaller(caller): ApiCaller) -> Result<Json<List<Restructuring>>, ApiError> {
    let mut items = vec![];
    for r in s.store.restructurings().await? {
        match require_draft(s.store.as_ref(), &caller, &r.draft(), &[Permission::ReadStructure]).await {
            Ok(()) => items.push(r),
            Err(e) if e.status == StatusCode::FORBIDDEN => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Json(List { items, next: None }))
}

/// A draft to record: explicit operations, a TOML file of them, or a mapping table (CSV text
/// with the columns from,to,to_name,to_kind,to_parent), exactly one of the three.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// The title ("Restructuring of" its date when absent).
    pub title: Option<String>,
    /// The effective date (needed with `operations` and `mapping`; a TOML file carries its own).
    #[schema(value_type = Option<String>, format = Date)]
    pub effective: Option<String>,
    pub decision: Option<String>,
    pub operations: Option<Vec<Operation>>,
    /// A TOML file of operations (as `orgwork restructure plan FILE.toml` reads).
    pub toml: Option<String>,
    /// A mapping table, as CSV text.
    pub mapping: Option<String>,
    /// Where open work-programme items go whose responsible unit the draft takes apart and
    /// whose successor should not take them (or for which it names none).
    #[serde(default)]
    pub plan_items: Vec<ItemDestination>,
    /// Where open inspections (a subject the draft takes apart) and open recommendations (an
    /// addressee it takes apart) go, when the successor should not take them or there is none.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpDestination>,
}

/// Turns a plan into a draft (shared by the API and the UI).
pub fn draft_from_plan(p: PlanBody) -> Result<ValidDraft, ApiError> {
    let effective: Option<NaiveDate> = p.effective.as_deref().map(|e| parse_date("effective", e)).transpose()?;
    let need_date = || {
        effective.ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_draft", "effective: give the date the draft takes effect")
        })
    };
    let (plan_items, follow_ups) = (p.plan_items, p.follow_ups);
    let draft = match (p.operations, p.toml, p.mapping) {
        (Some(operations), None, None) => {
            let effective = need_date()?;
            let title = p.title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| default_title(effective));
            Draft { title, effective, decision: p.decision, operations, plan_items: vec![], follow_ups: vec![] }
                .validate()?
        }
        (None, Some(toml), None) => Draft::from_toml(&toml)?.with(p.title, effective, p.decision)?,
        (None, None, Some(mapping)) => {
            let cells = orgwork_tabular::read(mapping.as_bytes())
                .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_mapping", format!("mapping: {e}")))?;
            draft_from_cells(p.title, need_date()?, p.decision, &cells)?
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_draft",
                "give exactly one of operations, toml and mapping",
            ));
        }
    };
    Ok(draft.with_destinations(plan_items, follow_ups)?)
}

/// A draft from a mapping table's cells (heading first), titled after its date when untitled.
pub fn draft_from_cells(
    title: Option<String>,
    effective: NaiveDate,
    decision: Option<String>,
    cells: &[Vec<String>],
) -> Result<ValidDraft, ApiError> {
    let title = title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| default_title(effective));
    Ok(draft_from_mapping(&title, effective, decision, &mapping_rows(cells)?)?)
}

/// Records a draft. Nothing changes in the tree until it is applied.
#[utoipa::path(post, path = "/api/v1/restructurings", tag = "restructuring", request_body = PlanBody,
    responses((status = 201, body = Restructuring), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody)))]
async fn plan(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<Restructuring>), ApiError> {
    let draft = draft_from_plan(body)?;
    require_draft(s.store.as_ref(), &caller, &draft, &[Permission::WriteStructure, Permission::WriteMembers]).await?;
    let r = s.store.create_restructuring(&caller.actor(), draft).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// One restructuring and its operations.
#[utoipa::path(get, path = "/api/v1/restructurings/{id}", tag = "restructuring", params(("id" = String, Path)),
    responses((status = 200, body = Restructuring), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody)))]
async fn get_one(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<DraftId>,
) -> Result<Json<Restructuring>, ApiError> {
    Ok(Json(restructuring_for(s.store.as_ref(), &caller, id, &[Permission::ReadStructure]).await?))
}

/// Runs the continuity check and reports the impact; changes nothing.
#[utoipa::path(post, path = "/api/v1/restructurings/{id}/check", tag = "restructuring", params(("id" = String, Path)),
    responses((status = 200, body = CheckReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn check(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<DraftId>,
) -> Result<Json<CheckReport>, ApiError> {
    let r = restructuring_for(s.store.as_ref(), &caller, id, &[Permission::ReadStructure]).await?;
    Ok(Json(s.store.check_restructuring(r.id).await?))
}

/// Checks again and applies, all or nothing. A draft that fails the check is refused (422,
/// `check_failed`, naming the failures) and nothing changes.
#[utoipa::path(post, path = "/api/v1/restructurings/{id}/apply", tag = "restructuring", params(("id" = String, Path)),
    responses((status = 200, body = CheckReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn apply(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<DraftId>,
) -> Result<Json<CheckReport>, ApiError> {
    let r = restructuring_for(s.store.as_ref(), &caller, id, &[Permission::WriteStructure, Permission::WriteMembers])
        .await?;
    let report = s.store.apply_restructuring(&caller.actor(), r.id).await?;
    if !report.applied {
        let first: Vec<String> =
            report.failures.iter().take(5).map(|f| format!("{}: {}", f.rule.as_str(), f.message)).collect();
        let more =
            if report.failures.len() > 5 { format!("; and {} more", report.failures.len() - 5) } else { String::new() };
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "check_failed",
            format!("restructuring {} fails the continuity check: {}{more}", r.id, first.join("; ")),
        ));
    }
    Ok(Json(report))
}

/// Undoes the most recent applied restructuring, if nothing was recorded after it on the units
/// it touched (otherwise 422, saying what was).
#[utoipa::path(post, path = "/api/v1/restructurings/undo", tag = "restructuring",
    responses((status = 200, body = Restructuring), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 422, body = ErrorBody)))]
async fn undo(State(s): State<AppState>, ApiCaller(caller): ApiCaller) -> Result<Json<Restructuring>, ApiError> {
    let latest = s.store.latest_applied().await?;
    let Some(latest) = latest else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing_to_undo",
            "no applied restructuring to undo",
        ));
    };
    require_draft(s.store.as_ref(), &caller, &latest.draft(), &[Permission::WriteStructure, Permission::WriteMembers])
        .await?;
    Ok(Json(s.store.undo_restructuring(&caller.actor()).await?))
}

/// A unit's lineage: the units it replaced and those that replaced it, oldest first.
#[utoipa::path(get, path = "/api/v1/units/{code}/lineage", tag = "restructuring", params(("code" = String, Path)),
    responses((status = 200, body = Vec<LineageEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody)))]
async fn lineage(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(code): Path<String>,
) -> Result<Json<Vec<LineageEntry>>, ApiError> {
    let code = UnitCode::parse(&code)?;
    let history = s.store.history(&code).await?;
    // Judged where the unit last stood (a dissolved unit, the day before its end).
    let last = history.last().map(|h| h.effective).unwrap_or_else(today);
    let end = s.store.unit(&code, last.max(today())).await.ok().and_then(|u| u.valid_to);
    let on = match end {
        Some(e) => e.pred_opt().unwrap_or(e),
        None => today().max(last),
    };
    caller.require(s.store.as_ref(), Permission::ReadStructure, &code, on).await?;
    Ok(Json(s.store.lineage(&code).await?))
}
