//! Transfers' pages: a transfer issued from a member's page, a unit's transfers (incoming and
//! outgoing, waiting and closed) and their acceptance or cancellation.

use super::i18n::Tr;
use super::members::render_member;
use super::{Ctx, FieldsForm, FormState, Layout, PageId, Submitted, field as get, opt_field as opt, redirect};
use crate::AppState;
use crate::api::members::member_in_scope;
use crate::auth::Caller;
use crate::error::ApiError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_written_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{MemberId, Page, TransferId, TransferState};
use serde::Deserialize;
use std::collections::HashMap;

use crate::auth::today;

/// Issues a transfer from the member's page.
pub async fn transfer(
    State(s): State<AppState>,
    PageId(id): PageId<MemberId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let store = s.store.as_ref();
    let v = &f.fields;
    let result = async {
        let member = id;
        let on = parse_written_date("issued_on", &get(v, "issued_on"))?;
        let to = match (opt(v, "to_unit"), opt(v, "to_org")) {
            (Some(u), None) => orgwork_store::Destination::Unit(UnitCode::parse(&u)?),
            (None, Some(o)) => orgwork_store::Destination::Outside(o),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_organization",
                    "give a receiving unit or an organization",
                ));
            }
        };
        let document = orgwork_domain::structure::parse_decision(opt(v, "document").as_deref())?;
        member_in_scope(store, &caller, member, on, Permission::WriteMembers).await?;
        store.issue_transfer(&caller.actor(), member, to, on, document).await?;
        Ok::<_, ApiError>(on)
    }
    .await;
    match result {
        Ok(on) => redirect(&format!("/members/{id}?as_of={on}&done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            let field = match e.code.as_str() {
                "invalid_date" | "date_outside_membership" => "issued_on",
                "invalid_organization" => "to_org",
                "invalid_decision" => "document",
                _ => "to_unit",
            };
            let mut state = FormState { form: "transfer", values: v.clone(), errors: HashMap::new() };
            state.errors.insert(field.to_string(), message);
            render_member(&s, &ctx, &caller, id, today(), false, state, None, e.status).await
        }
    }
}

pub struct TransferRow {
    id: TransferId,
    member_id: MemberId,
    member: String,
    from: (String, String),
    to: (String, String),
    issued: String,
    due: String,
    state: String,
    overdue: bool,
    can_act: bool,
    verb: &'static str,
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    tr: Tr,
    l: Layout,
    title: String,
    unit_code: String,
    unit_name: String,
    today: String,
    done: bool,
    general_error: Option<String>,
    sections: Vec<(String, Vec<TransferRow>, String)>,
}

#[derive(Deserialize)]
pub struct TransfersQuery {
    done: Option<String>,
}

/// A unit's transfers: those waiting to be received (with the form to receive them), those
/// sent and waiting (to cancel), and the closed ones; overdue ones flagged.
pub async fn transfers(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<TransfersQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render_transfers(&s, &ctx, &caller, &code, q.done.is_some(), None, StatusCode::OK).await
}

async fn render_transfers(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    code: &str,
    done: bool,
    general_error: Option<String>,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let now = today();
    let built = async {
        let code = UnitCode::parse(code)?;
        caller.require(store, Permission::ReadMembers, &code, now).await?;
        let unit = store.unit(&code, now).await?;
        let all = store.transfers(&code, &orgwork_store::TransferFilter::default(), Page::first(500)).await?;
        // The unit's own key, once: each row asks whether its receiver lies below it.
        let top = store.path_ids(&code, now).await?.first().copied().unwrap_or_default();
        let mut rows: (Vec<TransferRow>, Vec<TransferRow>, Vec<TransferRow>) = (vec![], vec![], vec![]);
        let mut names = super::labels::UnitNames::new(store, tr);
        for t in all.items {
            // A unit by its name and code today (or on the day issued, if it has ended since);
            // an organization outside by its name.
            let from = match (&t.from_unit, &t.from_org) {
                (Some(u), _) => names.pair_now_or(u, now, t.issued_on).await,
                (None, o) => (o.clone().unwrap_or_default(), String::new()),
            };
            let to = match (&t.to_unit, &t.to_org) {
                (Some(u), _) => names.pair_now_or(u, now, t.issued_on).await,
                (None, o) => (o.clone().unwrap_or_default(), String::new()),
            };
            let incoming_here = match &t.to_unit {
                Some(u) => {
                    caller.require(store, Permission::ReadMembers, u, now).await.is_ok()
                        && within(store, u, top, now).await
                }
                None => false,
            };
            let (verb, side) = if t.state == TransferState::Issued && incoming_here {
                ("accept", t.to_unit.clone())
            } else {
                ("cancel", t.from_unit.clone())
            };
            let can_act = match &side {
                Some(u) => caller.require(store, Permission::WriteMembers, u, now).await.is_ok(),
                None => false,
            };
            // Out of the tree, the sender records the receipt.
            let (verb, can_act) = if t.state == TransferState::Issued && t.to_unit.is_none() {
                ("accept", can_act)
            } else {
                (verb, can_act)
            };
            let row = TransferRow {
                id: t.id,
                member_id: t.member_id,
                member: t.member_name.clone(),
                from,
                to,
                issued: tr.date(t.issued_on),
                due: tr.date(t.due_on),
                state: tr.t(&format!("state-{}", t.state.as_str())),
                overdue: t.state == TransferState::Issued && t.due_on < now,
                can_act: can_act && t.state == TransferState::Issued,
                verb,
            };
            match (t.state.as_str(), incoming_here) {
                ("issued", true) => rows.0.push(row),
                ("issued", false) => rows.1.push(row),
                _ => rows.2.push(row),
            }
        }
        Ok::<_, ApiError>((code, unit, rows))
    };
    let (code, unit, (incoming, outgoing, closed)) = match built.await {
        Ok(b) => b,
        Err(e) => return ctx.api_error_page(e),
    };
    let unit_name = unit.name.get(tr.lang).to_string();
    let page = TransfersPage {
        tr,
        l: ctx.layout("structure", now),
        title: tr.ta("transfers-title", "unit", &unit_name),
        unit_code: code.to_string(),
        unit_name,
        today: now.to_string(),
        done,
        general_error,
        sections: vec![
            (tr.t("transfers-incoming"), incoming, tr.t("transfer-accept")),
            (tr.t("transfers-outgoing"), outgoing, tr.t("transfer-cancel")),
            (tr.t("transfers-history"), closed, String::new()),
        ],
    };
    ctx.page(status, page)
}

/// Is `unit` in the subtree of `top` on `on`?
/// Is `unit` in the subtree of the unit whose store key is `top`, on `on`?
async fn within(store: &dyn orgwork_store::Store, unit: &UnitCode, top: i64, on: NaiveDate) -> bool {
    store.path_ids(unit, on).await.is_ok_and(|path| path.contains(&top))
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    effective: String,
    #[serde(default)]
    back: String,
    /// "1" once the user has seen what receiving does and confirmed it.
    #[serde(default)]
    confirmed: String,
}

super::csrf_forms!(CloseForm);

/// Receives (or, for a transfer out of the tree, confirms) or cancels a transfer from the
/// unit's transfer page.
pub async fn close_transfer(
    State(s): State<AppState>,
    Path((id, verb)): Path<(String, String)>,
    Submitted { ctx, caller, form: f }: Submitted<CloseForm>,
) -> Response {
    let store = s.store.as_ref();
    let result = async {
        let on = parse_written_date("effective", &f.effective)?;
        let id: TransferId = id.parse()?;
        let t = crate::api::transfers::transfer_in_scope(store, &caller, id, Permission::ReadMembers, "either", None)
            .await?;
        let n = t.id;
        match verb.as_str() {
            "accept" => {
                let side = if t.to_unit.is_some() { "to" } else { "from" };
                crate::api::transfers::transfer_in_scope(store, &caller, id, Permission::WriteMembers, side, Some(on))
                    .await?;
                // Receiving moves the member and their counts: first say so, and ask.
                if f.confirmed != "1" {
                    return Ok(Some((t, on)));
                }
                store.accept_transfer(&caller.actor(), n, on, None).await?;
            }
            "cancel" => {
                let from = Some(on.min(t.issued_on));
                crate::api::transfers::transfer_in_scope(store, &caller, id, Permission::WriteMembers, "from", from)
                    .await?;
                store.cancel_transfer(&caller.actor(), n, on).await?;
            }
            _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such action")),
        }
        Ok::<_, ApiError>(None)
    }
    .await;
    let back = UnitCode::parse(&f.back).map(|c| c.to_string()).unwrap_or_default();
    match result {
        Ok(Some((t, on))) => {
            let tr = ctx.tr;
            let mut names = super::labels::UnitNames::new(store, tr);
            let from = match &t.from_unit {
                Some(u) => format!("{} ({u})", names.name(u, t.issued_on).await),
                None => t.from_org.clone().unwrap_or_default(),
            };
            let what = match &t.to_unit {
                Some(u) => {
                    let to = format!("{} ({u})", names.name(u, on).await);
                    tr.targs(
                        "confirm-accept-what",
                        &[("member", &t.member_name), ("from", &from), ("to", &to), ("date", &tr.date(on))],
                    )
                }
                None => tr.targs(
                    "confirm-accept-out",
                    &[
                        ("member", &t.member_name),
                        ("from", &from),
                        ("to", t.to_org.as_deref().unwrap_or("")),
                        ("date", &tr.date(on)),
                    ],
                ),
            };
            ctx.confirm_page(
                tr.ta("confirm-accept-title", "name", &t.member_name),
                vec![what, tr.t("confirm-accept-counts")],
                format!("/transfers/{}/accept", t.id),
                vec![("effective".into(), on.to_string()), ("back".into(), back.clone())],
                format!("/units/{back}/transfers"),
                tr.t("transfer-accept"),
            )
        }
        Ok(None) => redirect(&format!("/units/{back}/transfers?done=1")),
        Err(e) => {
            let message = ctx.tr.error(&e.code).unwrap_or_else(|| e.message.clone());
            render_transfers(&s, &ctx, &caller, &back, false, Some(message), e.status).await
        }
    }
}
