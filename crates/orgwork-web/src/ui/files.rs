//! Import and export pages: a file is sent, checked (a dry run) and shown with its faults or
//! what it would do; only the user's confirmation applies it, from the copy held here.

use super::i18n::Tr;
use super::{Ctx, Layout};
use crate::AppState;
use crate::error::ApiError;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orgwork_domain::access::Permission;
use orgwork_domain::import::{RowError, read_rows};
use orgwork_domain::structure::UnitCode;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a checked file waits for its confirmation.
const HOLD: Duration = Duration::from_secs(30 * 60);

/// A checked file: who sent it, for which unit, its bytes, and when.
type Held = (i64, String, Vec<u8>, Instant);

/// Checked files waiting to be confirmed, by token.
#[derive(Default)]
pub struct PendingImports(Mutex<HashMap<String, Held>>);

impl PendingImports {
    fn put(&self, user: i64, unit: &str, bytes: Vec<u8>) -> String {
        let token = crate::auth::new_session_secret();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, v| v.3.elapsed() < HOLD);
        map.insert(token.clone(), (user, unit.to_string(), bytes, Instant::now()));
        token
    }

    fn take(&self, token: &str, user: i64, unit: &str) -> Option<Vec<u8>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.remove(token) {
            Some((u, un, bytes, at)) if u == user && un == unit && at.elapsed() < HOLD => Some(bytes),
            _ => None,
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    preview: Option<String>,
    errors: Vec<RowError>,
    token: String,
    done: Option<String>,
    general_error: Option<String>,
}

struct Outcome {
    preview: Option<String>,
    errors: Vec<RowError>,
    token: String,
    done: Option<String>,
    general_error: Option<String>,
}

async fn render(s: &AppState, ctx: &Ctx, code: &str, outcome: Outcome, status: StatusCode) -> Response {
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
    let page = ImportPage {
        tr,
        l: ctx.layout("structure", today()),
        title: tr.ta("import-title", "unit", &unit_name),
        unit_code: code.to_string(),
        unit_name,
        preview: outcome.preview,
        errors: outcome.errors,
        token: outcome.token,
        done: outcome.done,
        general_error: outcome.general_error,
    };
    ctx.page(status, page)
}

fn empty() -> Outcome {
    Outcome { preview: None, errors: vec![], token: String::new(), done: None, general_error: None }
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
    let mut csrf = String::new();
    let mut bytes = vec![];
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "csrf" => csrf = String::from_utf8_lossy(&b).to_string(),
                    Ok(b) if name == "file" => bytes = b.to_vec(),
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
    let table = match orgwork_tabular::read(&bytes) {
        Ok(t) => t,
        Err(e) => {
            return render(&s, &ctx, &code, Outcome { general_error: Some(e.0), ..empty() }, StatusCode::BAD_REQUEST)
                .await;
        }
    };
    let tr = ctx.tr;
    let rows = match read_rows(store.profile(), &table) {
        Ok(rows) => rows,
        Err(errors) => {
            let preview = Some(tr.tn("import-errors", errors.len()));
            return render(&s, &ctx, &code, Outcome { preview, errors, ..empty() }, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    match store.import_members(&caller.actor(), &rows, Some(&unit), true).await {
        Ok(report) if report.errors.is_empty() => {
            let token = s.pending_imports.put(caller.user.id, unit.as_str(), bytes);
            let preview = Some(counts(tr, "import-preview", &report));
            render(&s, &ctx, &code, Outcome { preview, token, ..empty() }, StatusCode::OK).await
        }
        Ok(report) => {
            let preview = Some(tr.tn("import-errors", report.errors.len()));
            render(
                &s,
                &ctx,
                &code,
                Outcome { preview, errors: report.errors, ..empty() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => ctx.api_error_page(e.into()),
    }
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

/// Applies a checked file.
pub async fn confirm(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<ConfirmForm>,
) -> Response {
    let caller = match ctx.form_caller(&f.csrf) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = s.store.as_ref();
    let unit = match UnitCode::parse(&code) {
        Ok(u) => u,
        Err(e) => return ctx.api_error_page(e.into()),
    };
    if let Err(e) = caller.require(store, Permission::WriteMembers, &unit, today()).await {
        return ctx.api_error_page(e);
    }
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
    let table = orgwork_tabular::read(&bytes).unwrap_or_default();
    let rows = match read_rows(store.profile(), &table) {
        Ok(r) => r,
        Err(errors) => {
            return render(
                &s,
                &ctx,
                &code,
                Outcome { preview: Some(tr.tn("import-errors", errors.len())), errors, ..empty() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match store.import_members(&caller.actor(), &rows, Some(&unit), false).await {
        Ok(report) if report.errors.is_empty() => {
            render(
                &s,
                &ctx,
                &code,
                Outcome { done: Some(counts(tr, "import-done", &report)), ..empty() },
                StatusCode::OK,
            )
            .await
        }
        Ok(report) => {
            let preview = Some(tr.tn("import-errors", report.errors.len()));
            render(
                &s,
                &ctx,
                &code,
                Outcome { preview, errors: report.errors, ..empty() },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => ctx.api_error_page(e.into()),
    }
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
            Some(v) => orgwork_domain::date::parse_date("as_of", v)?,
            None => today(),
        };
        caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, on).await?;
        let (bytes, kind, ext) =
            crate::api::files::export_bytes(s.store.as_ref(), &unit, on, q.format.as_deref().unwrap_or("csv")).await?;
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
