//! The work programmes' endpoints: a unit's programme for a year, its items, the lint,
//! approval, progress reports and where it stands on a day. Planners draft and approve the
//! programmes of their subtree; organizers and planners report progress on the items whose
//! responsible unit lies in theirs; every role of the subtree reads them.

use super::List;
use crate::AppState;
use crate::auth::{ApiCaller, Caller, today};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::plan::{Item, Lint};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Amendment, NewAmendment, NewReport, Programme, ProgrammeId, ProgrammeStanding, Report, Store};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
        .routes(routes!(replace_items))
        .routes(routes!(lint))
        .routes(routes!(approve))
        .routes(routes!(progress))
        .routes(routes!(copy))
        .routes(routes!(amendments, amend))
        .routes(routes!(export))
        .routes(routes!(close))
        .routes(routes!(import))
}

/// The first day a programme's writes reach: its year's first day, or today for a year
/// ahead.
pub fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_else(today).min(today())
}

/// The programme, if the caller may read its unit; 404 otherwise (who may not read the unit
/// does not learn that it has a programme).
pub async fn readable(store: &dyn Store, caller: &Caller, id: ProgrammeId) -> Result<Programme, ApiError> {
    let hidden = || ApiError::from(ProgrammeId::not_found(id));
    let p = store.programme(id).await.map_err(|_| hidden())?;
    // Judged today, or, for a unit dissolved since, on its programme's first day: the
    // programme of a unit merged away stays readable to whoever may read it then.
    for day in [today(), first_day(p.year)] {
        if caller.require(store, Permission::ReadStructure, &p.unit, day).await.is_ok() {
            return Ok(p);
        }
    }
    // A unit below that is responsible for one of its items reads the programme it carries out.
    if !reportable(store, caller, &p).await.is_empty() {
        return Ok(p);
    }
    Err(hidden())
}

/// The items of a programme whose progress the caller may report today: those whose
/// responsible unit (the programme's own when an item names none) lies in their scope.
pub async fn reportable(store: &dyn Store, caller: &Caller, p: &Programme) -> Vec<String> {
    let mut judged: std::collections::BTreeMap<UnitCode, bool> = Default::default();
    let mut out = vec![];
    for it in &p.items {
        let unit = it.responsible.clone().unwrap_or_else(|| p.unit.clone());
        let ok = match judged.get(&unit) {
            Some(ok) => *ok,
            None => {
                let ok = caller.require(store, Permission::ReportProgress, &unit, today()).await.is_ok();
                judged.insert(unit, ok);
                ok
            }
        };
        if ok {
            out.push(it.code.clone());
        }
    }
    out
}

/// The programme, if the caller may also draft and approve programmes in its unit from its
/// year's first day to today.
pub async fn writable(store: &dyn Store, caller: &Caller, id: ProgrammeId) -> Result<Programme, ApiError> {
    let p = readable(store, caller, id).await?;
    caller.require_from(store, Permission::WritePlans, &p.unit, first_day(p.year)).await?;
    Ok(p)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeParams {
    unit: String,
    year: i32,
}

/// The unit's programme for a year (none, or one).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "plans", params(ProgrammeParams),
    responses((status = 200, body = List<Programme>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ProgrammeParams>,
) -> Result<Json<List<Programme>>, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    if !(1900..=2199).contains(&p.year) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {}", p.year)));
    }
    let store = s.store.as_ref();
    if caller.require(store, Permission::ReadStructure, &unit, first_day(p.year)).await.is_err() {
        caller.require(store, Permission::ReadStructure, &unit, today()).await?;
    }
    let items = store.programme_of(&unit, p.year).await?.into_iter().collect();
    Ok(Json(List { items, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgramme {
    unit: String,
    year: i32,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    items: Vec<Item>,
}

/// A new draft programme of a unit for a year.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "plans", request_body = NewProgramme,
    responses((status = 201, body = Programme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<NewProgramme>,
) -> Result<(StatusCode, Json<Programme>), ApiError> {
    let unit = UnitCode::parse(&b.unit)?;
    if !(1900..=2199).contains(&b.year) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {}", b.year)));
    }
    caller.require_from(s.store.as_ref(), Permission::WritePlans, &unit, first_day(b.year)).await?;
    let p = s.store.create_programme(&caller.actor(), &unit, b.year, &b.theme, b.items).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

/// Where a programme stands on a day: its completion, each item's value, achievement and
/// overdue flag, with its reports up to the day.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "plans", params(("id" = String, Path), AsOf),
    responses((status = 200, body = ProgrammeStanding), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 404, body = ErrorBody)))]
async fn show(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<ProgrammeStanding>, ApiError> {
    let on = match q.as_of.as_deref() {
        Some(v) => parse_date("as_of", v)?,
        None => today(),
    };
    readable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.programme_standing(id, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Items {
    items: Vec<Item>,
}

/// Replaces a draft's items (refused once approved: 409).
#[utoipa::path(put, path = "/api/v1/programmes/{id}/items", tag = "plans", params(("id" = String, Path)), request_body = Items,
    responses((status = 200, body = Programme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn replace_items(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiJson(b): ApiJson<Items>,
) -> Result<Json<Programme>, ApiError> {
    writable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.replace_items(&caller.actor(), id, b.items).await?))
}

/// What keeps a programme from being counted (errors, each by item and column) and what
/// reads vague (warnings).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/lint", tag = "plans", params(("id" = String, Path)),
    responses((status = 200, body = Lint), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn lint(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
) -> Result<Json<Lint>, ApiError> {
    readable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.lint_programme(id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    /// The approving decision's number.
    decision: String,
    #[schema(value_type = String, format = Date)]
    on: String,
}

/// Approves a draft (422, changing nothing, while the lint has errors); it is locked after.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/approve", tag = "plans", params(("id" = String, Path)), request_body = Approve,
    responses((status = 200, body = Programme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiJson(b): ApiJson<Approve>,
) -> Result<Json<Programme>, ApiError> {
    let on = parse_date("on", &b.on)?;
    writable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.approve_programme(&caller.actor(), id, &b.decision, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    item: String,
    value: f64,
    #[schema(value_type = String, format = Date)]
    on: String,
    note: Option<String>,
    /// A reference to the evidence (a document's number, a file's name).
    evidence: Option<String>,
}

/// Appends a progress report to an item of an approved programme: by whoever may report
/// progress in the item's responsible unit (or the programme's, when the item names none)
/// from the report's day to today.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/progress", tag = "plans", params(("id" = String, Path)), request_body = Progress,
    responses((status = 201, body = Report), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn progress(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiJson(b): ApiJson<Progress>,
) -> Result<(StatusCode, Json<Report>), ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let p = readable(store, &caller, id).await?;
    let unit = p.items.iter().find(|i| i.code == b.item).and_then(|i| i.responsible.clone()).unwrap_or(p.unit);
    caller.require_from(store, Permission::ReportProgress, &unit, on).await?;
    let report = NewReport { item: b.item, value: b.value, on, note: b.note, evidence: b.evidence };
    Ok((StatusCode::CREATED, Json(store.report_progress(&caller.actor(), id, report).await?)))
}

/// Next year's draft from a programme: the same items and theme, deadlines a year on, nothing
/// reported (409 when the unit has one for that year already).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/copy", tag = "plans", params(("id" = String, Path)),
    responses((status = 201, body = Programme), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn copy(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
) -> Result<(StatusCode, Json<Programme>), ApiError> {
    let store = s.store.as_ref();
    let p = readable(store, &caller, id).await?;
    let year = p.year + 1;
    if year > 2199 {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {year}")));
    }
    caller.require_from(store, Permission::WritePlans, &p.unit, first_day(year)).await?;
    let items = orgwork_domain::plan::next_year(&p.items);
    Ok((StatusCode::CREATED, Json(store.create_programme(&caller.actor(), &p.unit, year, &p.theme, items).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendBody {
    /// The item's code: an item of the programme, or a new one.
    pub item: String,
    /// The fields that change, by the item's names (`title`, `target`, `deadline`,
    /// `responsible`…; `null` empties one); a new item gives all it needs.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub changes: serde_json::Map<String, serde_json::Value>,
    /// Withdraw the item instead.
    #[serde(default)]
    pub withdraw: bool,
    /// The day it takes effect (today when not given).
    #[schema(value_type = Option<String>, format = Date)]
    pub on: Option<String>,
    pub reason: String,
}

/// The amendment an API body or a form asks for, as the store takes it.
pub fn amendment_of(p: &Programme, b: AmendBody) -> Result<NewAmendment, ApiError> {
    let on = match b.on.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => orgwork_domain::date::parse_written_date("on", v)?,
        None => today(),
    };
    let after = if b.withdraw {
        if !b.changes.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_amendment",
                "changes: an item withdrawn takes no changes",
            ));
        }
        None
    } else {
        let before = p.items.iter().find(|i| i.code == b.item);
        Some(orgwork_domain::plan::amended_item(before, &b.item, &b.changes)?)
    };
    Ok(NewAmendment { item: b.item, after, on, reason: b.reason })
}

/// Amends an approved programme: one item changed, added or withdrawn, with the reason
/// (422, changing nothing, when it would bring a fault the lint names). By a planner of the
/// programme's unit from the amendment's day to today.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/amendments", tag = "plans", params(("id" = String, Path)), request_body = AmendBody,
    responses((status = 201, body = Amendment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn amend(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiJson(b): ApiJson<AmendBody>,
) -> Result<(StatusCode, Json<Amendment>), ApiError> {
    let store = s.store.as_ref();
    let p = readable(store, &caller, id).await?;
    let a = amendment_of(&p, b)?;
    caller.require_from(store, Permission::WritePlans, &p.unit, a.on.min(today())).await?;
    Ok((StatusCode::CREATED, Json(store.amend_programme(&caller.actor(), id, a).await?)))
}

/// A programme's amendments, oldest first: each item before and after, the day, why, who.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/amendments", tag = "plans", params(("id" = String, Path)),
    responses((status = 200, body = List<Amendment>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn amendments(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
) -> Result<Json<List<Amendment>>, ApiError> {
    readable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(List { items: s.store.amendments(id).await?, next: None }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// csv (default) or xlsx.
    format: Option<String>,
    /// vi: the usual Vietnamese headings and names; otherwise the interface's columns.
    lang: Option<String>,
}

/// A programme's items as a file, in the columns the import reads back.
pub fn export_file(p: &Programme, format: &str, lang: Option<&str>) -> Result<axum::response::Response, ApiError> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let vietnamese = match lang {
        None | Some("en") | Some("ar") => false,
        Some("vi") => true,
        Some(l) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("lang: '{l}' is not en, vi or ar"),
            ));
        }
    };
    let table = orgwork_domain::plan::item_table(&p.items, vietnamese);
    let (bytes, kind) = match format {
        "csv" => (orgwork_tabular::write_csv(&table), "text/csv; charset=utf-8"),
        "xlsx" => (
            orgwork_tabular::write_xlsx(&table[0], &table[1..])
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("format: '{other}' is not csv or xlsx"),
            ));
        }
    };
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    let name = format!("attachment; filename=\"programme-{}-{}.{format}\"", p.unit, p.year);
    if let Ok(v) = HeaderValue::from_str(&name) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// A programme's items as a CSV or XLSX file, in the columns the import reads back.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/export", tag = "plans", params(("id" = String, Path), ExportParams),
    responses((status = 200, content_type = "text/csv", description = "The items, one a row"), (status = 400, body = ErrorBody),
               (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> Result<axum::response::Response, ApiError> {
    let p = readable(s.store.as_ref(), &caller, id).await?;
    export_file(&p, q.format.as_deref().unwrap_or("csv"), q.lang.as_deref())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    unit: String,
    year: i32,
    theme: Option<String>,
    /// Replace this draft's items instead of making a new draft.
    programme: Option<String>,
}

/// The faults of a programme's file, each by row and column.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct FileFaults {
    pub errors: Vec<orgwork_domain::import::RowError>,
    pub total: usize,
}

/// A programme's items read from a file's bytes (through the upload gate's limits).
pub async fn items_of_file(
    s: &AppState,
    body: axum::body::Bytes,
) -> Result<Result<Vec<Item>, orgwork_domain::import::Faults>, ApiError> {
    let table = s.imports.read(body).await?;
    Ok(orgwork_domain::plan::read_items(&table))
}

/// A programme from a CSV or XLSX file sent as the body: a new draft of the unit for the year,
/// or with `programme` that draft's items replaced (409 once approved). A file with faults is
/// answered 422 with each fault by row and column, changing nothing.
#[utoipa::path(post, path = "/api/v1/programmes/import", tag = "plans", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "A CSV or XLSX file"),
    responses((status = 201, body = Programme), (status = 200, body = Programme), (status = 400, body = ErrorBody),
               (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
               (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = FileFaults)))]
async fn import(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<ImportParams>,
    super::files::Upload(body, _place): super::files::Upload,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let store = s.store.as_ref();
    let unit = UnitCode::parse(&q.unit)?;
    if !(1900..=2199).contains(&q.year) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_year", format!("year: {}", q.year)));
    }
    let target = match q.programme.as_deref() {
        Some(text) => {
            let id: ProgrammeId = text.parse().map_err(|_| ApiError::from(ProgrammeId::not_found(text)))?;
            writable(store, &caller, id).await?;
            Some(id)
        }
        None => {
            caller.require_from(store, Permission::WritePlans, &unit, first_day(q.year)).await?;
            None
        }
    };
    let items = match items_of_file(&s, body).await? {
        Ok(items) => items,
        Err(f) => {
            let faults = FileFaults { errors: f.errors, total: f.total };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(faults)).into_response());
        }
    };
    Ok(match target {
        Some(id) => Json(store.replace_items(&caller.actor(), id, items).await?).into_response(),
        None => {
            let theme = q.theme.unwrap_or_default();
            let p = store.create_programme(&caller.actor(), &unit, q.year, &theme, items).await?;
            (StatusCode::CREATED, Json(p)).into_response()
        }
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    #[schema(value_type = String, format = Date)]
    on: String,
}

/// Closes an approved programme at its year's end (409 unless approved): no report nor
/// amendment after.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/close", tag = "plans", params(("id" = String, Path)), request_body = Close,
    responses((status = 200, body = Programme), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn close(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ProgrammeId>,
    ApiJson(b): ApiJson<Close>,
) -> Result<Json<Programme>, ApiError> {
    let on = parse_date("on", &b.on)?;
    writable(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.close_programme(&caller.actor(), id, on).await?))
}
