//! `GET /api/v1/audit`: the audit log, for administrators.

use super::List;
use crate::AppState;
use crate::auth::ApiCaller;
use crate::auth::today;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{AuditEntry, Page};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only entries about this unit and the units that are or were below it; without it, all
    /// entries (for an administrator of a whole tree).
    unit: Option<String>,
    /// Only entries recorded on or after this date (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    since: Option<String>,
    /// At most this many entries (1 to 1000, default 100).
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
}

/// Audit entries, oldest first: who changed what, when, with the state before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = List<AuditEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn audit(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<List<AuditEntry>>, ApiError> {
    let since = p.since.as_deref().map(|d| parse_date("since", d)).transpose()?;
    let unit = p.unit.as_deref().map(UnitCode::parse).transpose()?;
    match &unit {
        Some(u) => caller.require(s.store.as_ref(), Permission::ReadAudit, u, today()).await?,
        None if caller.is_root_administrator(s.store.as_ref(), today()).await? => {}
        None => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "the whole audit log is for administrators of a whole tree; name a unit of your scope with ?unit=",
            ));
        }
    }
    let limit = p.limit.unwrap_or(Page::DEFAULT_LIMIT);
    if limit == 0 || limit > Page::MAX_LIMIT {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("limit: {limit} is not between 1 and 1000"),
        ));
    }
    let page = s.store.audit(unit.as_ref(), since, Page { limit, after: p.after }).await?;
    Ok(Json(List { items: page.items, next: page.next }))
}
