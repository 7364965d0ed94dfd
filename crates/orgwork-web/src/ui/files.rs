//! Import and export pages: a file is sent, checked (a dry run) and shown with its faults or
//! what it would do; only the user's confirmation applies it, from the copy held here.

use super::i18n::Tr;
use super::{Ctx, Layout, Submitted};
use crate::AppState;
use crate::api::files::import_within_scope;
use crate::error::ApiError;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orgwork_domain::access::Permission;
use orgwork_domain::import::{RowError, read_rows_in};
use orgwork_domain::structure::UnitCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a checked file waits for its confirmation.
const HOLD: Duration = Duration::from_secs(30 * 60);

/// A checked file: who sent it, for which unit, its bytes, and when.
type Held = (i64, String, Bytes, Instant);

/// Checked files held for their confirmation at most, in all; each user has at most one (a
/// second check replaces the first), and past this the oldest goes. Each may be as large as
/// an upload, so they are few.
const HELD_FILES: usize = 8;

/// Checked files waiting to be confirmed, by token.
#[derive(Default)]
pub struct PendingImports(Mutex<HashMap<String, Held>>);

impl PendingImports {
    fn put(&self, user: i64, unit: &str, bytes: Bytes) -> String {
        let token = crate::auth::new_session_secret();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, v| v.3.elapsed() < HOLD && v.0 != user);
        while map.len() >= HELD_FILES {
            let oldest = map.iter().min_by_key(|(_, v)| v.3).map(|(k, _)| k.clone());
            match oldest {
                Some(k) => map.remove(&k),
                None => break,
            };
        }
        map.insert(token.clone(), (user, unit.to_string(), bytes, Instant::now()));
        token
    }

    fn take(&self, token: &str, user: i64, unit: &str) -> Option<Bytes> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.remove(token) {
            Some((u, un, bytes, at)) if u == user && un == unit && at.elapsed() < HOLD => Some(bytes),
            _ => None,
        }
    }
}

use crate::auth::today;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    preview: Option<String>,
    errors: Vec<super::labels::FaultRow>,
    /// The first rows that create or update a member: row, what, name, unit's name and code,
    /// the member's id when updated.
    lines: Vec<(usize, String, String, String, String, Option<String>)>,
    /// How many rows change the register beyond those listed.
    more_lines: usize,
    token: String,
    done: Option<String>,
    general_error: Option<String>,
    /// A background check or import still running: what it is doing, rows done, rows in all.
    progress: Option<(String, u64, u64)>,
}

#[derive(Clone)]
struct Outcome {
    preview: Option<String>,
    errors: Vec<RowError>,
    lines: Vec<orgwork_store::ImportLine>,
    changes: usize,
    token: String,
    done: Option<String>,
    general_error: Option<String>,
}

/// Files of this many rows or more are checked and imported in the background, and the page
/// shows how far they have got, refreshing itself (no JavaScript needed).
pub const BACKGROUND_ROWS: usize = 10_000;

/// A check or an import running in the background, for one user and unit.
struct Job {
    user: i64,
    unit: String,
    stage: Option<orgwork_store::ImportStage>,
    done: u64,
    total: u64,
    result: Option<(Outcome, StatusCode)>,
    started: Instant,
}

/// The background checks and imports, by id; finished ones are kept for `HOLD`.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<String, Job>>);

impl ImportJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn start(&self, user: i64, unit: &str, total: u64) -> String {
        let id = crate::auth::new_session_secret();
        let mut map = self.lock();
        map.retain(|_, j| j.result.is_none() || j.started.elapsed() < HOLD);
        let job =
            Job { user, unit: unit.to_string(), stage: None, done: 0, total, result: None, started: Instant::now() };
        map.insert(id.clone(), job);
        id
    }

    fn update(&self, id: &str, stage: orgwork_store::ImportStage, done: u64, total: u64) {
        if let Some(j) = self.lock().get_mut(id) {
            (j.stage, j.done, j.total) = (Some(stage), done, total);
        }
    }

    fn finish(&self, id: &str, outcome: Outcome, status: StatusCode) {
        if let Some(j) = self.lock().get_mut(id) {
            j.result = Some((outcome, status));
        }
    }

    /// The job's progress (stage, done, total) or its result, if it is this user's.
    #[allow(clippy::type_complexity)]
    fn get(
        &self,
        id: &str,
        user: i64,
        unit: &str,
    ) -> Option<(Option<orgwork_store::ImportStage>, u64, u64, Option<(Outcome, StatusCode)>)> {
        let map = self.lock();
        let j = map.get(id).filter(|j| j.user == user && j.unit == unit)?;
        Some((j.stage, j.done, j.total, j.result.clone()))
    }
}

/// What a check (a dry run) or an import came to, as the page shows it. A check that passes
/// holds the file for its confirmation (`hold` gives the token).
fn outcome_of(
    tr: Tr,
    result: Result<orgwork_store::ImportReport, ApiError>,
    dry_run: bool,
    hold: impl FnOnce() -> String,
) -> (Outcome, StatusCode) {
    match result {
        Ok(report) if report.errors.is_empty() && dry_run => {
            let preview = Some(counts(tr, "import-preview", &report));
            let changes = report.created + report.updated;
            (Outcome { preview, token: hold(), lines: report.preview, changes, ..empty() }, StatusCode::OK)
        }
        Ok(report) if report.errors.is_empty() => {
            (Outcome { done: Some(counts(tr, "import-done", &report)), ..empty() }, StatusCode::OK)
        }
        Ok(report) => {
            let preview = Some(tr.tn("import-errors", report.error_count));
            (Outcome { preview, errors: report.errors, ..empty() }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => {
            let message = if e.status == StatusCode::INTERNAL_SERVER_ERROR {
                tr.t("error-internal")
            } else {
                super::error_text(tr, &e)
            };
            (Outcome { general_error: Some(message), ..empty() }, e.status)
        }
    }
}

/// Runs a check or an import: at once for a small file, in the background for a large one
/// (the answer is then a redirect to the page that follows it). `place` is the import's place
/// among those that may run at once, held until it is over.
#[allow(clippy::too_many_arguments)]
async fn run_import(
    s: &AppState,
    ctx: &Ctx,
    caller: &crate::auth::Caller,
    unit: UnitCode,
    rows: Vec<orgwork_domain::import::ImportRow>,
    bytes: Bytes,
    dry_run: bool,
    place: tokio::sync::OwnedSemaphorePermit,
) -> Response {
    let (tr, user) = (ctx.tr, caller.user.id);
    if rows.len() < BACKGROUND_ROWS {
        let quiet: &orgwork_store::Progress<'_> = &|_, _, _| {};
        let result = import_within_scope(s, caller, &unit, &rows, dry_run, quiet).await;
        let (outcome, status) = outcome_of(tr, result, dry_run, || s.pending_imports.put(user, unit.as_str(), bytes));
        return render(s, ctx, unit.as_str(), outcome, status).await;
    }
    let id = s.import_jobs.start(user, unit.as_str(), rows.len() as u64);
    let (state, job, caller) = (s.clone(), id.clone(), caller.clone());
    let code = unit.to_string();
    tokio::spawn(async move {
        let progress = |stage, done, total| state.import_jobs.update(&job, stage, done, total);
        let result = import_within_scope(&state, &caller, &unit, &rows, dry_run, &progress).await;
        drop((rows, place));
        let (outcome, status) =
            outcome_of(tr, result, dry_run, || state.pending_imports.put(user, unit.as_str(), bytes));
        state.import_jobs.finish(&job, outcome, status);
    });
    super::redirect(&format!("/units/{code}/members/import/jobs/{id}"))
}

/// The page of a background check or import: how far it has got, then what it came to.
pub async fn job_page(State(s): State<AppState>, ctx: Ctx, Path((code, id)): Path<(String, String)>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some((stage, done, total, result)) = s.import_jobs.get(&id, caller.user.id, &code) else {
        return render(
            &s,
            &ctx,
            &code,
            Outcome { general_error: Some(ctx.tr.t("import-expired")), ..empty() },
            StatusCode::GONE,
        )
        .await;
    };
    match result {
        Some((outcome, status)) => render(&s, &ctx, &code, outcome, status).await,
        None => {
            let tr = ctx.tr;
            let stage = match stage {
                None | Some(orgwork_store::ImportStage::Checking) => "import-stage-checking",
                Some(orgwork_store::ImportStage::Writing) => "import-stage-writing",
                Some(orgwork_store::ImportStage::Counting) => "import-stage-counting",
            };
            let (d, t) = (tr.number(done as i64), tr.number(total as i64));
            let text = format!("{} {}", tr.t(stage), tr.targs("import-progress", &[("done", &d), ("total", &t)]));
            let progress = Some((text, done, total.max(1)));
            render_with(&s, &ctx, &code, empty(), progress, StatusCode::OK).await
        }
    }
}

async fn render(s: &AppState, ctx: &Ctx, code: &str, outcome: Outcome, status: StatusCode) -> Response {
    render_with(s, ctx, code, outcome, None, status).await
}

async fn render_with(
    s: &AppState,
    ctx: &Ctx,
    code: &str,
    outcome: Outcome,
    progress: Option<(String, u64, u64)>,
    status: StatusCode,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let tr = ctx.tr;
    let built = async {
        let code = UnitCode::parse(code)?;
        caller.require(s.store.as_ref(), Permission::WriteMembers, &code, today()).await?;
        let unit = s.store.unit(&code, today()).await?;
        Ok::<_, ApiError>((code, unit))
    };
    let (code, unit) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let mut names = super::labels::UnitNames::new(s.store.as_ref(), tr);
    let mut lines = vec![];
    for l in &outcome.lines {
        lines.push((
            l.row,
            tr.t(&format!("import-action-{}", l.action)),
            l.full_name.clone(),
            names.name(&l.unit, today()).await,
            l.unit.to_string(),
            l.member.map(|m| m.to_string()),
        ));
    }
    let page = ImportPage {
        tr,
        l: ctx.layout("structure", today()),
        title: tr.ta("import-title", "unit", &unit_name),
        unit_code: code.to_string(),
        unit_name,
        preview: outcome.preview,
        errors: outcome.errors.iter().map(|e| super::labels::fault_row(s.store.profile(), tr, e)).collect(),
        more_lines: outcome.changes.saturating_sub(lines.len()),
        lines,
        token: outcome.token,
        done: outcome.done,
        general_error: outcome.general_error,
        progress,
    };
    ctx.page(status, page)
}

fn empty() -> Outcome {
    Outcome {
        preview: None,
        errors: vec![],
        lines: vec![],
        changes: 0,
        token: String::new(),
        done: None,
        general_error: None,
    }
}

pub async fn import_page(State(s): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    render(&s, &ctx, &code, empty(), StatusCode::OK).await
}

fn counts(tr: Tr, key: &str, r: &orgwork_store::ImportReport) -> String {
    let (c, u, n) = (tr.number(r.created as i64), tr.number(r.updated as i64), tr.number(r.unchanged as i64));
    tr.targs(key, &[("created", &c), ("updated", &u), ("unchanged", &n)])
}

/// Checks a sent file: its faults, or what it would do, and holds it for the confirmation.
pub async fn check(State(s): State<AppState>, ctx: Ctx, Path(code): Path<String>, mut form: Multipart) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    // A place for the import before the file is read: no more than two are held at once.
    let place = match s.imports.enter() {
        Ok(p) => p,
        Err(e) => {
            return render(&s, &ctx, &code, Outcome { general_error: Some(ctx.error_text(&e)), ..empty() }, e.status)
                .await;
        }
    };
    let mut csrf = String::new();
    let mut bytes = Bytes::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "csrf" => csrf = String::from_utf8_lossy(&b).to_string(),
                    Ok(b) if name == "file" => bytes = b,
                    Ok(_) => {}
                    Err(e) => return too_large_or_bad(&s, &ctx, &code, e.status(), e.body_text()).await,
                }
            }
            Ok(None) => break,
            Err(e) => return too_large_or_bad(&s, &ctx, &code, e.status(), e.body_text()).await,
        }
    }
    if let Err(r) = ctx.check_csrf(&csrf) {
        return r;
    }
    let store = s.store.as_ref();
    let unit = match UnitCode::parse(&code) {
        Ok(u) => u,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    if let Err(e) = caller.require(store, Permission::WriteMembers, &unit, today()).await {
        return ctx.api_error_page(e);
    }
    let table = match s.imports.read(bytes.clone()).await {
        Ok(t) => t,
        Err(e) => {
            return render(&s, &ctx, &code, Outcome { general_error: Some(ctx.error_text(&e)), ..empty() }, e.status)
                .await;
        }
    };
    let tr = ctx.tr;
    let rows = match read_rows_in(store.profile(), super::labels::vocabulary(), &table) {
        Ok(rows) => rows,
        Err(faults) => {
            let preview = Some(tr.tn("import-errors", faults.total));
            let errors = faults.errors;
            return render(&s, &ctx, &code, Outcome { preview, errors, ..empty() }, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    drop(table);
    run_import(&s, &ctx, &caller, unit, rows, bytes, true, place).await
}

async fn too_large_or_bad(s: &AppState, ctx: &Ctx, code: &str, status: StatusCode, text: String) -> Response {
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("the file is larger than {} MB", crate::api::files::MAX_UPLOAD / (1024 * 1024))
    } else {
        text
    };
    render(s, ctx, code, Outcome { general_error: Some(message), ..empty() }, status).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

super::csrf_forms!(ConfirmForm);

/// Applies a checked file.
pub async fn confirm(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Submitted { ctx, caller, form: f }: Submitted<ConfirmForm>,
) -> Response {
    let store = s.store.as_ref();
    let unit = match UnitCode::parse(&code) {
        Ok(u) => u,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    if let Err(e) = caller.require(store, Permission::WriteMembers, &unit, today()).await {
        return ctx.api_error_page(e);
    }
    let place = match s.imports.enter() {
        Ok(p) => p,
        Err(e) => {
            return render(&s, &ctx, &code, Outcome { general_error: Some(ctx.error_text(&e)), ..empty() }, e.status)
                .await;
        }
    };
    let Some(bytes) = s.pending_imports.take(&f.token, caller.user.id, unit.as_str()) else {
        return render(
            &s,
            &ctx,
            &code,
            Outcome { general_error: Some(ctx.tr.t("import-expired")), ..empty() },
            StatusCode::GONE,
        )
        .await;
    };
    let tr = ctx.tr;
    let table = s.imports.read(bytes).await.unwrap_or_default();
    let rows = match read_rows_in(store.profile(), super::labels::vocabulary(), &table) {
        Ok(r) => r,
        Err(faults) => {
            return render(
                &s,
                &ctx,
                &code,
                Outcome { preview: Some(tr.tn("import-errors", faults.total)), errors: faults.errors, ..empty() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    drop(table);
    run_import(&s, &ctx, &caller, unit, rows, Bytes::new(), false, place).await
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    as_of: Option<String>,
}

pub async fn export(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let result = async {
        let unit = UnitCode::parse(&code)?;
        let on = match q.as_of.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => orgwork_domain::date::parse_written_date("as_of", v)?,
            None => today(),
        };
        caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, on).await?;
        let (bytes, kind, ext) = crate::api::files::export_bytes(
            s.store.as_ref(),
            &unit,
            on,
            q.format.as_deref().unwrap_or("csv"),
            Some(ctx.tr),
        )
        .await?;
        Ok::<_, ApiError>((bytes, kind, format!("members-{unit}-{on}.{ext}")))
    }
    .await;
    match result {
        Ok((bytes, kind, name)) => {
            let mut r = bytes.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => ctx.api_error_page(e),
    }
}
