//! The audit log page, for administrators of a whole tree.

use super::i18n::Tr;
use super::{Ctx, Layout};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_store::{AuditEntry, Page};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    tr: Tr,
    l: Layout,
    entries: Vec<AuditEntry>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    after: Option<String>,
}

pub async fn audit_page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let today = chrono::Local::now().date_naive();
    match caller.is_root_administrator(s.store.as_ref(), today).await {
        Ok(true) => {}
        Ok(false) => return ctx.error_page(StatusCode::FORBIDDEN, ctx.tr.t("error-forbidden"), None),
        Err(e) => return ctx.api_error_page(e),
    }
    match s.store.audit(None, None, Page { limit: 200, after: q.after }).await {
        Ok(page) => ctx.page(
            StatusCode::OK,
            AuditPage { tr: ctx.tr, l: ctx.layout("audit", today), entries: page.items, next: page.next },
        ),
        Err(e) => ctx.api_error_page(e.into()),
    }
}
