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
    entries: Vec<EntryView>,
    next: Option<String>,
    time_zone: String,
}

/// An entry as the page shows it: when in the organization's time and the reader's words,
/// what by its name, and what it touched as a link with text where it has a page.
pub struct EntryView {
    pub seq: i64,
    pub when: String,
    pub actor: String,
    pub action: String,
    pub action_code: String,
    pub target: String,
    pub link: Option<String>,
}

pub(super) fn view(tr: Tr, offset: chrono::FixedOffset, e: AuditEntry) -> EntryView {
    let when = match chrono::DateTime::parse_from_rfc3339(&e.at) {
        Ok(at) => {
            let local = at.with_timezone(&offset);
            format!("{} {}", tr.date(local.date_naive()), local.format("%H:%M"))
        }
        Err(_) => e.at.clone(),
    };
    let key = format!("audit-action-{}", e.action.replace('.', "-"));
    let action = if tr.has(&key) { tr.t(&key) } else { e.action.clone() };
    let (kind, id) = e.target.split_once(':').unwrap_or(("", e.target.as_str()));
    let (target, link) = match (e.action.split('.').next().unwrap_or(""), kind) {
        (_, "member") => (tr.ta("audit-target-member", "id", id), Some(format!("/members/{id}"))),
        (_, "transfer") => (tr.ta("audit-target-transfer", "id", id), None),
        (_, "candidate") => (tr.ta("audit-target-candidate", "id", id), None),
        (_, "user") => (tr.ta("audit-target-user", "name", id), None),
        (_, "token") => (tr.ta("audit-target-token", "id", id), None),
        ("restructure", _) => (tr.ta("audit-target-restructuring", "id", id), Some(format!("/restructurings/{id}"))),
        ("unit", _) if e.action != "unit.load" => (e.target.clone(), Some(format!("/units/{}", e.target))),
        _ => (e.target.clone(), None),
    };
    EntryView { seq: e.seq, when, actor: e.actor, action, action_code: e.action, target, link }
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
    let profile = s.store.profile();
    let offset = profile.offset();
    match s.store.latest_audit(None, Page { limit: 200, after: q.after }).await {
        Ok(page) => ctx.page(
            StatusCode::OK,
            AuditPage {
                tr: ctx.tr,
                l: ctx.layout("audit", today),
                entries: page.items.into_iter().map(|e| view(ctx.tr, offset, e)).collect(),
                next: page.next,
                time_zone: profile.time_zone.clone(),
            },
        ),
        Err(e) => ctx.api_error_page(e.into()),
    }
}
