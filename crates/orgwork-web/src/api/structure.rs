//! The structure's endpoints: units as of a date (`?as_of=YYYY-MM-DD`, default today) and
//! their dated changes.

use super::List;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::{HistoryEntry, Names, SubtreeEntry, Unit, UnitCode, parse_decision};
use orgwork_store::{Dated, NewUnit, Page, Paged};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit))
        .routes(routes!(children))
        .routes(routes!(ancestors))
        .routes(routes!(subtree))
        .routes(routes!(history))
        .routes(routes!(rename))
        .routes(routes!(move_unit))
        .routes(routes!(dissolve))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// The date to answer for, `YYYY-MM-DD`; today when absent.
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Search by code or name (case and diacritics ignored); without it, the root units.
    q: Option<String>,
    /// The date to answer for, `YYYY-MM-DD`; today when absent.
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// At most this many items (1 to 1000, default 100).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubtreeParams {
    /// The date to answer for, `YYYY-MM-DD`; today when absent.
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// How many levels below the unit (0: the unit alone); all when absent.
    depth: Option<u32>,
    /// At most this many items (1 to 1000, default 100).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
}

/// Names in the three languages; `vi` is required.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamesInput {
    vi: String,
    en: Option<String>,
    ar: Option<String>,
}

impl NamesInput {
    fn parse(&self) -> Result<Names, ApiError> {
        Ok(Names::parse(&self.vi, self.en.as_deref(), self.ar.as_deref())?)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    #[schema(example = "QN-SO-TC")]
    code: String,
    name: NamesInput,
    /// A unit kind of the profile.
    #[schema(example = "grassroots_committee")]
    kind: String,
    /// The parent's code; null or absent for a root.
    parent: Option<String>,
    /// The first day of the unit's life.
    #[schema(value_type = String, format = Date)]
    valid_from: String,
    /// The number of the decision that establishes the unit.
    decision: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameUnit {
    #[schema(value_type = String, format = Date)]
    effective: String,
    name: NamesInput,
    decision: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveUnit {
    #[schema(value_type = String, format = Date)]
    effective: String,
    /// The new parent's code.
    parent: String,
    decision: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DissolveUnit {
    /// The first day on which the unit no longer exists.
    #[schema(value_type = String, format = Date)]
    effective: String,
    decision: Option<String>,
}

fn as_of(value: &Option<String>) -> Result<NaiveDate, ApiError> {
    match value {
        Some(v) => Ok(parse_date("as_of", v)?),
        None => Ok(today()),
    }
}

use crate::auth::today;

fn page(limit: Option<u32>, after: &Option<String>) -> Result<Page, ApiError> {
    if let Some(l) = limit.filter(|l| *l == 0 || *l > Page::MAX_LIMIT) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("limit: {l} is not between 1 and {}", Page::MAX_LIMIT),
        ));
    }
    Ok(Page { limit: limit.unwrap_or(Page::DEFAULT_LIMIT), after: after.clone() })
}

fn code(value: &str) -> Result<UnitCode, ApiError> {
    Ok(UnitCode::parse(value)?)
}

fn list<T>(p: Paged<T>) -> Json<List<T>> {
    Json(List { items: p.items, next: p.next })
}

/// The root units (for a caller below the roots, the tops of their scope), or with `q` the
/// units in the caller's scope whose code or name contains it.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(ListParams),
    responses((status = 200, body = List<Unit>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_units(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ListParams>,
) -> Result<Json<List<Unit>>, ApiError> {
    let on = as_of(&p.as_of)?;
    let page = page(p.limit, &p.after)?;
    let tops = caller.tops(s.store.as_ref(), Permission::ReadStructure, on).await?;
    let found = match (p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()), tops) {
        (Some(q), tops) => s.store.search_units(q, on, tops.as_deref(), page).await?,
        (None, None) => s.store.roots(on, page).await?,
        (None, Some(_)) => Paged { items: scope_tops(&s, &caller, on).await, next: None },
    };
    Ok(list(found))
}

/// The live units on which the caller holds a grant that lets them read, by code.
pub async fn scope_tops(s: &AppState, caller: &crate::auth::Caller, on: NaiveDate) -> Vec<Unit> {
    let mut items: Vec<Unit> = vec![];
    for g in caller.user.grants.iter().filter(|g| g.role.permits(Permission::ReadStructure)) {
        if let Ok(u) = s.store.unit(&g.unit, on).await
            && u.valid_to.is_none()
            && !items.iter().any(|i| i.code == u.code)
        {
            items.push(u);
        }
    }
    items.sort_by(|a, b| a.code.cmp(&b.code));
    items
}

/// Creates a unit, live from `valid_from`.
#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = CreateUnit,
    responses((status = 201, body = Unit), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_unit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<CreateUnit>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    let new = NewUnit {
        code: code(&b.code)?,
        names: b.name.parse()?,
        kind: b.kind.trim().to_string(),
        parent: b
            .parent
            .as_deref()
            .map(|p| {
                UnitCode::parse(p).map_err(|mut e| {
                    e.message = e.message.replacen("code:", "parent:", 1);
                    e
                })
            })
            .transpose()?,
        valid_from: parse_date("valid_from", &b.valid_from)?,
        decision: parse_decision(b.decision.as_deref())?,
    };
    match &new.parent {
        Some(parent) => caller.require_change(s.store.as_ref(), parent, new.valid_from).await.map_err(|e| {
            if e.code == "unit_not_found" {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "parent_not_found",
                    format!("parent: no unit has the code {parent}"),
                )
            } else {
                e
            }
        })?,
        None if caller.is_root_administrator(s.store.as_ref(), new.valid_from).await? => {}
        None => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only an administrator of a whole tree may create a unit without a parent",
            ));
        }
    }
    let unit = s.store.create_unit(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

/// A unit as of a date (a dissolved unit as it last was, with its `valid_to`).
#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "units", params(("code" = String, Path), AsOf),
    responses((status = 200, body = Unit), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_unit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<Unit>, ApiError> {
    let (c, on) = (code(&c)?, as_of(&q.as_of)?);
    caller.require(s.store.as_ref(), Permission::ReadStructure, &c, on).await?;
    Ok(Json(s.store.unit(&c, on).await?))
}

/// The unit's children as of a date, by code.
#[utoipa::path(get, path = "/api/v1/units/{code}/children", tag = "units", params(("code" = String, Path), SubtreeParams),
    responses((status = 200, body = List<Unit>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn children(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<SubtreeParams>,
) -> Result<Json<List<Unit>>, ApiError> {
    let (c, on) = (code(&c)?, as_of(&q.as_of)?);
    caller.require(s.store.as_ref(), Permission::ReadStructure, &c, on).await?;
    Ok(list(s.store.children(&c, on, page(q.limit, &q.after)?).await?))
}

/// The unit's path to the root as of a date, the root first (the unit itself not included).
#[utoipa::path(get, path = "/api/v1/units/{code}/ancestors", tag = "units", params(("code" = String, Path), AsOf),
    responses((status = 200, body = List<Unit>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn ancestors(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<List<Unit>>, ApiError> {
    let (c, on) = (code(&c)?, as_of(&q.as_of)?);
    caller.require(s.store.as_ref(), Permission::ReadStructure, &c, on).await?;
    let items = s.store.ancestors(&c, on).await?;
    Ok(Json(List { items, next: None }))
}

/// The unit and the units below it as of a date, depth first, with each one's depth.
#[utoipa::path(get, path = "/api/v1/units/{code}/subtree", tag = "units", params(("code" = String, Path), SubtreeParams),
    responses((status = 200, body = List<SubtreeEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn subtree(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<SubtreeParams>,
) -> Result<Json<List<SubtreeEntry>>, ApiError> {
    let (c, on) = (code(&c)?, as_of(&q.as_of)?);
    caller.require(s.store.as_ref(), Permission::ReadStructure, &c, on).await?;
    Ok(list(s.store.subtree(&c, on, q.depth, page(q.limit, &q.after)?).await?))
}

/// The unit's own history (created, renamed, moved, dissolved), oldest first.
#[utoipa::path(get, path = "/api/v1/units/{code}/history", tag = "units", params(("code" = String, Path)),
    responses((status = 200, body = List<HistoryEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
) -> Result<Json<List<HistoryEntry>>, ApiError> {
    let c = code(&c)?;
    let items = s.store.history(&c).await?;
    let last = items.last().map(|h| h.effective).unwrap_or_else(today);
    caller.require(s.store.as_ref(), Permission::ReadStructure, &c, last.max(today())).await?;
    Ok(Json(List { items, next: None }))
}

fn dated(c: &str, effective: &str, decision: &Option<String>) -> Result<Dated, ApiError> {
    Ok(Dated {
        code: code(c)?,
        effective: parse_date("effective", effective)?,
        decision: parse_decision(decision.as_deref())?,
    })
}

/// Renames the unit from the effective date on.
#[utoipa::path(post, path = "/api/v1/units/{code}/rename", tag = "units", params(("code" = String, Path)), request_body = RenameUnit,
    responses((status = 200, body = Unit), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rename(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<RenameUnit>,
) -> Result<Json<Unit>, ApiError> {
    let change = dated(&c, &b.effective, &b.decision)?;
    let names = b.name.parse()?;
    caller.require_change(s.store.as_ref(), &change.code, change.effective).await?;
    Ok(Json(s.store.rename_unit(&caller.actor(), change, names).await?))
}

/// Moves the unit (with everything below it) under another parent from the effective date on.
#[utoipa::path(post, path = "/api/v1/units/{code}/move", tag = "units", params(("code" = String, Path)), request_body = MoveUnit,
    responses((status = 200, body = Unit), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_unit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<MoveUnit>,
) -> Result<Json<Unit>, ApiError> {
    let change = dated(&c, &b.effective, &b.decision)?;
    let parent = UnitCode::parse(&b.parent).map_err(|mut e| {
        e.message = e.message.replacen("code:", "parent:", 1);
        e
    })?;
    caller.require_change(s.store.as_ref(), &change.code, change.effective).await?;
    caller.require_change(s.store.as_ref(), &parent, change.effective).await.map_err(|e| {
        if e.code == "unit_not_found" {
            ApiError::new(StatusCode::NOT_FOUND, "parent_not_found", format!("parent: no unit has the code {parent}"))
        } else {
            e
        }
    })?;
    Ok(Json(s.store.move_unit(&caller.actor(), change, parent).await?))
}

/// Dissolves the unit from the effective date on; it must have no live children then.
#[utoipa::path(post, path = "/api/v1/units/{code}/dissolve", tag = "units", params(("code" = String, Path)), request_body = DissolveUnit,
    responses((status = 200, body = Unit), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn dissolve(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiJson(b): ApiJson<DissolveUnit>,
) -> Result<Json<Unit>, ApiError> {
    let change = dated(&c, &b.effective, &b.decision)?;
    caller.require_change(s.store.as_ref(), &change.code, change.effective).await?;
    Ok(Json(s.store.dissolve_unit(&caller.actor(), change).await?))
}
