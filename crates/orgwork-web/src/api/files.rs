//! The member register in and out of files: import (CSV or XLSX, all or nothing) and export.

use crate::AppState;
use crate::api::units::today;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::import::{COLUMNS, export_row, read_rows};
use orgwork_domain::structure::UnitCode;
use orgwork_store::ImportReport;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest file an import takes.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .routes(routes!(export))
}

/// A request body of bytes, refused with the API's JSON error when too large.
pub struct Upload(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state).await.map(Upload).map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!("the file is larger than {} MB", MAX_UPLOAD / (1024 * 1024)),
                )
            } else {
                ApiError::new(e.status(), "invalid_body", e.body_text())
            }
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The unit the rows fall under (and the unit of rows without a unit column).
    unit: String,
    /// Check and report only; change nothing.
    dry_run: Option<bool>,
}

/// Imports members from a CSV or XLSX file sent as the body: every row or none. The report
/// names every fault by row, column and value (422); a row matching a member by card number
/// (or else national ID) updates that member.
#[utoipa::path(post, path = "/api/v1/members/import", tag = "members", params(ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "A CSV or XLSX file"),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ImportReport)))]
async fn import(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ImportParams>,
    Upload(body): Upload,
) -> Result<Response, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    let store = s.store.as_ref();
    caller.require(store, Permission::WriteMembers, &unit, today()).await?;
    let table =
        orgwork_tabular::read(&body).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "unreadable_file", e.0))?;
    let dry_run = p.dry_run.unwrap_or(false);
    let rows = match read_rows(store.profile(), &table) {
        Ok(rows) => rows,
        Err(errors) => {
            let report = ImportReport { errors, dry_run, ..Default::default() };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response());
        }
    };
    // Every unit named in the file must be the caller's to write, and under `unit`.
    let mut units: Vec<&UnitCode> = rows.iter().filter_map(|r| r.unit.as_ref()).collect();
    units.sort();
    units.dedup();
    let top = store.path_ids(&unit, today()).await?.first().copied().unwrap_or_default();
    let mut errors = vec![];
    for u in units {
        let inside = store.path_ids(u, today()).await.map(|p| p.contains(&top)).unwrap_or(false);
        if !inside || caller.require(store, Permission::WriteMembers, u, today()).await.is_err() {
            for r in rows.iter().filter(|r| r.unit.as_ref() == Some(u)) {
                errors.push(orgwork_domain::import::RowError {
                    row: r.row,
                    column: "unit".into(),
                    value: u.to_string(),
                    reason: format!("is not a unit under {unit} that you may change"),
                });
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(ImportReport { errors, dry_run, ..Default::default() }))
            .into_response());
    }
    let report = store.import_members(&caller.actor(), &rows, Some(&unit), dry_run).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    unit: String,
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// csv (default) or xlsx.
    format: Option<String>,
}

/// Exports the members of a unit's subtree on a date, in the columns the import reads.
#[utoipa::path(get, path = "/api/v1/members/export", tag = "members", params(ExportParams),
    responses((status = 200, content_type = "text/csv", description = "The members, one a row"), (status = 400, body = ErrorBody),
               (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    let on = match p.as_of.as_deref() {
        Some(d) => parse_date("as_of", d)?,
        None => today(),
    };
    caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, on).await?;
    let (bytes, kind, ext) = export_bytes(s.store.as_ref(), &unit, on, p.format.as_deref().unwrap_or("csv")).await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    let name = format!("attachment; filename=\"members-{unit}-{on}.{ext}\"");
    if let Ok(v) = HeaderValue::from_str(&name) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The export file's bytes, its media type and its extension.
pub async fn export_bytes(
    store: &dyn orgwork_store::Store,
    unit: &UnitCode,
    on: chrono::NaiveDate,
    format: &str,
) -> Result<(Vec<u8>, &'static str, &'static str), ApiError> {
    let mut records = vec![];
    let mut page = orgwork_store::Page::first(orgwork_store::Page::MAX_LIMIT);
    loop {
        let p = store.member_records(unit, on, page.clone()).await?;
        records.extend(p.items);
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    let heading: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows: Vec<Vec<String>> = records.iter().map(|(r, st, u)| export_row(r, Some(*st), u.as_str())).collect();
    match format {
        "csv" => {
            let mut table = vec![heading];
            table.extend(rows);
            Ok((orgwork_tabular::write_csv(&table), "text/csv; charset=utf-8", "csv"))
        }
        "xlsx" => {
            let bytes = orgwork_tabular::write_xlsx(&heading, &rows)
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e))?;
            Ok((bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
        }
        other => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("format: '{other}' is not csv or xlsx"),
        )),
    }
}
