//! The member register in and out of files: import (CSV or XLSX, all or nothing) and export.

use crate::AppState;
use crate::auth::today;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::import::{Faults, ImportRow, RowError, export_row, read_rows_in};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{ImportReport, ImportScope, Progress};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
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

/// What the server lets an import take: the bounds of a sent file, and how many imports may
/// run at once (each holds its file and its rows in memory; a third is told to retry).
pub struct ImportGate {
    pub limits: orgwork_tabular::Limits,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

/// Imports that may run at once.
pub const IMPORTS_AT_ONCE: usize = 2;

impl ImportGate {
    /// The server's defaults: 50,000 rows (larger registers go in parts, or by the command line), 40 columns, workbooks
    /// inflating to 256 MB; with two imports at once the server stays under 500 MB (BENCHMARKS.md).
    pub const DEFAULT_LIMITS: orgwork_tabular::Limits =
        orgwork_tabular::Limits { max_rows: 50_000, max_columns: 40, max_inflated: 256 * 1024 * 1024 };

    pub fn new(limits: orgwork_tabular::Limits) -> ImportGate {
        ImportGate { limits, permits: std::sync::Arc::new(tokio::sync::Semaphore::new(IMPORTS_AT_ONCE)) }
    }

    /// A place for one import, held until the permit is dropped; 429 while all are taken.
    pub fn enter(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        self.permits.clone().try_acquire_owned().map_err(|_| {
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "imports_busy",
                format!("{IMPORTS_AT_ONCE} imports are running; send the file again in a minute"),
            )
        })
    }

    /// Reads a sent file within the limits, on the blocking pool (inflating and parsing a large
    /// file takes seconds, which the server's other requests must not wait for); 400 naming
    /// what was too large, or why it is unreadable.
    pub async fn read(&self, bytes: Bytes) -> Result<Vec<Vec<String>>, ApiError> {
        let limits = self.limits;
        tokio::task::spawn_blocking(move || orgwork_tabular::read_within(&bytes, &limits))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "unreadable_file", e.to_string()))
    }
}

impl Default for ImportGate {
    fn default() -> Self {
        ImportGate::new(ImportGate::DEFAULT_LIMITS)
    }
}

/// An import's file, read once one of the server's places for imports is taken (so that no
/// more than `IMPORTS_AT_ONCE` uploads are held in memory), with that place.
pub struct Upload(pub Bytes, pub tokio::sync::OwnedSemaphorePermit);

impl FromRequest<AppState> for Upload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let permit = state.imports.enter()?;
        Bytes::from_request(req, state).await.map(|b| Upload(b, permit)).map_err(|e| {
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
    Upload(body, _place): Upload,
) -> Result<Response, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    let store = s.store.as_ref();
    caller.require(store, Permission::WriteMembers, &unit, today()).await?;
    let table = s.imports.read(body).await?;
    let dry_run = p.dry_run.unwrap_or(false);
    let rows = match read_rows_in(store.profile(), crate::ui::labels::vocabulary(), &table) {
        Ok(rows) => rows,
        Err(faults) => {
            let report = ImportReport::of_faults(faults, dry_run);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response());
        }
    };
    drop(table);
    let quiet: &Progress<'_> = &|_, _, _| {};
    let report = import_within_scope(&s, &caller, &unit, &rows, dry_run, quiet).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)).into_response())
}

/// An import sent by a user (through the API or the web UI), within what they may touch: every
/// unit a row falls under must lie under `unit` and be theirs to change from the day its new
/// members join until today; a row that meets a member they may not see is refused without
/// naming the member or their unit, and such rows count against the user's probe budget.
pub async fn import_within_scope(
    s: &AppState,
    caller: &Caller,
    unit: &UnitCode,
    rows: &[ImportRow],
    dry_run: bool,
    progress: &Progress<'_>,
) -> Result<ImportReport, ApiError> {
    let store = s.store.as_ref();
    s.probes.check(caller.user.id)?;
    let now = today();
    let top = store.path_ids(unit, now).await?.first().copied().unwrap_or_default();
    // The rows' units, each with its earliest admission (how far back its paths are read).
    let mut units: HashMap<&UnitCode, NaiveDate> = HashMap::new();
    for r in rows {
        let day = units.entry(r.unit.as_ref().unwrap_or(unit)).or_insert(now);
        *day = (*day).min(r.record.admitted_on);
    }
    let mut writable = HashMap::new();
    for (u, earliest) in units {
        let segments = match store.paths_over(u, earliest, now).await {
            Ok(segments) => segments,
            Err(orgwork_store::StoreError::Domain(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        // Under `unit` where it stands now (or last stood), and the caller's to write back to a day.
        if segments.last().is_some_and(|(_, path)| path.contains(&top))
            && let Some(from) = writable_from(caller, u, &segments)
        {
            writable.insert(u.clone(), from);
        }
    }
    let mut faults = Faults::default();
    for r in rows {
        let u = r.unit.as_ref().unwrap_or(unit);
        if !writable.contains_key(u) {
            faults.push(RowError::new(
                r.row,
                "unit",
                u.to_string(),
                orgwork_domain::fault::Fault::new("unit_not_writable").with("unit", unit),
            ));
        }
    }
    if !faults.is_empty() {
        return Ok(ImportReport::of_faults(faults, dry_run));
    }
    let readable = caller.tops(store, Permission::ReadMembers, now).await?;
    let scope = ImportScope { readable, writable_from: Some(writable) };
    let report =
        store.import_members_with_progress(&caller.actor(), rows, Some(unit), dry_run, &scope, progress).await?;
    s.probes.spend(caller.user.id, report.hidden_matches)?;
    Ok(report)
}

/// The first day from which the caller may write members in `unit` on every day up to today,
/// from its paths over the days back to the earliest a row needs (`paths_over`); `None` when
/// they may not write there today.
fn writable_from(caller: &Caller, unit: &UnitCode, segments: &[(NaiveDate, Vec<i64>)]) -> Option<NaiveDate> {
    let mut from = None;
    for (k, (day, path)) in segments.iter().enumerate().rev() {
        if caller.require_path(Permission::WriteMembers, unit, path).is_err() {
            break;
        }
        // In scope over every segment from here on; from the first, over the whole range.
        from = Some(if k == 0 { NaiveDate::MIN } else { *day });
    }
    from
}

/// How many import rows that met a member the user may not see (by card number or national
/// ID) each user may send in an hour; past that, imports are refused until the hour is over.
/// An honest file meets few such members; a file that tries the register's numbers one after
/// another meets many.
pub const PROBE_BUDGET: usize = 20;

/// Rows that met hidden members, per user, in the current hour.
#[derive(Default)]
pub struct ProbeBudget(Mutex<HashMap<i64, (Instant, usize)>>);

impl ProbeBudget {
    const WINDOW: Duration = Duration::from_secs(3600);

    fn refused(since: Instant) -> ApiError {
        let minutes = Self::WINDOW.saturating_sub(since.elapsed()).as_secs().div_ceil(60);
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_hidden_matches",
            format!(
                "your imports have met too many members outside the units you may see; try again in {minutes} minutes"
            ),
        )
    }

    /// Refused while the user's budget is spent.
    pub fn check(&self, user: i64) -> Result<(), ApiError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (since, _)| since.elapsed() < Self::WINDOW);
        match map.get(&user) {
            Some((since, n)) if *n >= PROBE_BUDGET => Err(Self::refused(*since)),
            _ => Ok(()),
        }
    }

    /// Spends `n` of the user's budget; refused (the report withheld) once it is spent.
    pub fn spend(&self, user: i64, n: usize) -> Result<(), ApiError> {
        if n == 0 {
            return Ok(());
        }
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry(user).or_insert((Instant::now(), 0));
        entry.1 += n;
        if entry.1 > PROBE_BUDGET { Err(Self::refused(entry.0)) } else { Ok(()) }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    unit: String,
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// csv (default) or xlsx.
    format: Option<String>,
    /// en, vi or ar: the headings and the coded values (sex, occupation, status…) by their
    /// names in that language. Without it, the codes. Either imports back unchanged.
    lang: Option<String>,
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
    let lang = match p.lang.as_deref() {
        None => None,
        Some(l) if crate::ui::i18n::LANGUAGES.contains(&l) => Some(crate::ui::i18n::Tr::new(l)),
        Some(l) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("lang: '{l}' is not en, vi or ar"),
            ));
        }
    };
    caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, on).await?;
    let (bytes, kind, ext) =
        export_bytes(s.store.as_ref(), &unit, on, p.format.as_deref().unwrap_or("csv"), lang).await?;
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
    lang: Option<crate::ui::i18n::Tr>,
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
    let heading = crate::ui::labels::export_heading(lang);
    let profile = store.profile();
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|(r, st, u)| crate::ui::labels::export_values(profile, lang, export_row(r, Some(*st), u.as_str())))
        .collect();
    match format {
        "csv" => {
            let mut table = vec![heading];
            table.extend(rows);
            Ok((orgwork_tabular::write_csv(&table), "text/csv; charset=utf-8", "csv"))
        }
        "xlsx" => {
            let bytes = orgwork_tabular::write_xlsx(&heading, &rows)
                .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
            Ok((bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"))
        }
        other => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("format: '{other}' is not csv or xlsx"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_two_imports_hold_a_place_and_a_third_is_told_to_retry() {
        let gate = ImportGate::default();
        let (a, b) = (gate.enter().unwrap(), gate.enter().unwrap());
        let e = gate.enter().unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "imports_busy"));
        drop(a);
        let _c = gate.enter().expect("a place freed is taken again");
        drop(b);
    }

    #[test]
    fn the_probe_budget_stops_a_user_and_no_other() {
        let budget = ProbeBudget::default();
        assert!(budget.spend(1, PROBE_BUDGET).is_ok());
        assert!(budget.check(1).is_err());
        assert_eq!(budget.spend(1, 1).unwrap_err().code, "too_many_hidden_matches");
        assert!(budget.check(2).is_ok());
    }
}
