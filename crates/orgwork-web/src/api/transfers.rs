//! Transfers of members in two steps: issued by the sending unit, accepted by the receiving
//! one. A transfer is visible to those who may read members on either side; others get 404.

use super::List;
use crate::AppState;
use crate::api::members::member_in_scope;
use crate::auth::today;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::{UnitCode, parse_decision};
use orgwork_store::{Destination, Direction, MemberId, Page, Store, Transfer, TransferFilter, TransferId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, issue))
        .routes(routes!(get_transfer))
        .routes(routes!(accept))
        .routes(routes!(cancel))
}

/// The transfer, if the caller may `what` it on its `side` ("from", "to", or either); with
/// `reach`, on every day from `reach` to today (a write that holds from that day on).
pub async fn transfer_in_scope(
    store: &dyn Store,
    caller: &Caller,
    id: TransferId,
    what: Permission,
    side: &str,
    reach: Option<NaiveDate>,
) -> Result<Transfer, ApiError> {
    let hidden = || ApiError::from(TransferId::not_found(id));
    let t = store.transfer(id).await.map_err(|_| hidden())?;
    let when = t.closed_on.unwrap_or(t.issued_on).min(today()).max(t.issued_on);
    let mut sides = vec![];
    if side != "to"
        && let Some(u) = &t.from_unit
    {
        sides.push(u.clone());
    }
    if side != "from"
        && let Some(u) = &t.to_unit
    {
        sides.push(u.clone());
    }
    let mut last = hidden();
    for u in sides {
        let allowed = match reach {
            Some(from) => caller.require_from(store, what, &u, from).await,
            None => caller.require(store, what, &u, when).await,
        };
        match allowed {
            Ok(()) => return Ok(t),
            Err(e) => last = e,
        }
    }
    // Who may not read members there does not learn of the transfer.
    if last.status == StatusCode::FORBIDDEN && caller_reads_either(store, caller, &t, when).await {
        Err(last)
    } else {
        Err(hidden())
    }
}

async fn caller_reads_either(store: &dyn Store, caller: &Caller, t: &Transfer, when: NaiveDate) -> bool {
    for u in [&t.from_unit, &t.to_unit].into_iter().flatten() {
        if caller.require(store, Permission::ReadMembers, u, when).await.is_ok() {
            return true;
        }
    }
    false
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferParams {
    /// The unit whose subtree's transfers to list.
    unit: String,
    /// "in" (to the subtree) or "out" (from it); both when absent.
    direction: Option<String>,
    /// Only those still waiting.
    pending: Option<bool>,
    /// Only those waiting past the profile's deadline today.
    overdue: Option<bool>,
    limit: Option<u32>,
    after: Option<String>,
}

/// Transfers to or from a unit's subtree, newest first: the unit's inbox and outbox.
#[utoipa::path(get, path = "/api/v1/transfers", tag = "members", params(TransferParams),
    responses((status = 200, body = List<Transfer>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<TransferParams>,
) -> Result<Json<List<Transfer>>, ApiError> {
    let unit = UnitCode::parse(&p.unit)?;
    caller.require(s.store.as_ref(), Permission::ReadMembers, &unit, today()).await?;
    let direction = p
        .direction
        .as_deref()
        .map(Direction::parse)
        .transpose()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.message))?;
    let filter = TransferFilter {
        direction,
        pending: p.pending.unwrap_or(false),
        overdue_on: p.overdue.unwrap_or(false).then(today),
    };
    let limit = p.limit.unwrap_or(Page::DEFAULT_LIMIT).clamp(1, Page::MAX_LIMIT);
    let page = s.store.transfers(&unit, &filter, Page { limit, after: p.after.clone() }).await?;
    Ok(Json(List { items: page.items, next: page.next }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueTransfer {
    /// The member's id.
    member: String,
    /// The receiving unit, within the tree…
    to_unit: Option<String>,
    /// …or the receiving organization outside it.
    to_org: Option<String>,
    #[schema(value_type = String, format = Date)]
    issued_on: String,
    /// The number of the transfer decision.
    document: Option<String>,
}

/// Issues a transfer of a member from the unit they belong to (the sender's step).
#[utoipa::path(post, path = "/api/v1/transfers", tag = "members", request_body = IssueTransfer,
    responses((status = 201, body = Transfer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<IssueTransfer>,
) -> Result<(StatusCode, Json<Transfer>), ApiError> {
    let on = parse_date("issued_on", &b.issued_on)?;
    let document = parse_decision(b.document.as_deref())?;
    let to = match (&b.to_unit, &b.to_org) {
        (Some(u), None) => Destination::Unit(UnitCode::parse(u)?),
        (None, Some(o)) => Destination::Outside(o.clone()),
        _ => return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "give either to_unit or to_org")),
    };
    let member: MemberId = b.member.parse()?;
    member_in_scope(s.store.as_ref(), &caller, member, on, Permission::WriteMembers).await?;
    let t = s.store.issue_transfer(&caller.actor(), member, to, on, document).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// A transfer.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "members", params(("id" = String, Path)),
    responses((status = 200, body = Transfer), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_transfer(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<TransferId>,
) -> Result<Json<Transfer>, ApiError> {
    Ok(Json(transfer_in_scope(s.store.as_ref(), &caller, id, Permission::ReadMembers, "either", None).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseTransfer {
    #[schema(value_type = String, format = Date)]
    effective: String,
    document: Option<String>,
}

/// Accepts a transfer (the receiver's step; for a transfer out of the tree, the sender
/// records the receipt): the member moves on that day.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/accept", tag = "members", params(("id" = String, Path)), request_body = CloseTransfer,
    responses((status = 200, body = Transfer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accept(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<TransferId>,
    ApiJson(b): ApiJson<CloseTransfer>,
) -> Result<Json<Transfer>, ApiError> {
    let on = parse_date("effective", &b.effective)?;
    let document = parse_decision(b.document.as_deref())?;
    let t = transfer_in_scope(s.store.as_ref(), &caller, id, Permission::ReadMembers, "either", None).await?;
    let side = if t.to_unit.is_some() { "to" } else { "from" };
    transfer_in_scope(s.store.as_ref(), &caller, id, Permission::WriteMembers, side, Some(on)).await?;
    Ok(Json(s.store.accept_transfer(&caller.actor(), t.id, on, document).await?))
}

/// Cancels a transfer still waiting (the sender's step).
#[utoipa::path(post, path = "/api/v1/transfers/{id}/cancel", tag = "members", params(("id" = String, Path)), request_body = CloseTransfer,
    responses((status = 200, body = Transfer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<TransferId>,
    ApiJson(b): ApiJson<CloseTransfer>,
) -> Result<Json<Transfer>, ApiError> {
    let on = parse_date("effective", &b.effective)?;
    let t = transfer_in_scope(s.store.as_ref(), &caller, id, Permission::ReadMembers, "either", None).await?;
    transfer_in_scope(s.store.as_ref(), &caller, id, Permission::WriteMembers, "from", Some(on.min(t.issued_on)))
        .await?;
    Ok(Json(s.store.cancel_transfer(&caller.actor(), t.id, on).await?))
}
