//! A congress's apportionment on the record (`/api/v1/congresses/{id}/apportionment`): its
//! delegates shared among the units below from their members on a day, and the ties a person
//! decides, with the reason. Organizers of the congress's unit record and decide; every
//! reader of the congress reads it.

use super::{bad, readable_congress, writable_congress};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orgwork_domain::CongressId;
use orgwork_domain::access::Permission;
use orgwork_domain::congress::{Method, TieDecision};
use orgwork_domain::date::parse_date;
use orgwork_store::{ApportionAsk, CongressApportionment};
use serde::Deserialize;
use utoipa::ToSchema;

/// How to share the congress's delegates: the method and its figures (as for
/// `/congresses/apportion`), and the day the units' members are counted on.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    pub method: String,
    pub seats: Option<u64>,
    #[serde(default)]
    pub min: u64,
    #[serde(default)]
    pub base: u64,
    pub per: Option<u64>,
    #[serde(default)]
    pub ex_officio: u64,
    #[schema(value_type = String, format = Date)]
    pub as_of: String,
}

/// The ask a body makes, checked.
pub fn ask_of(b: RecordBody) -> Result<ApportionAsk, ApiError> {
    let method = Method::parse(&b.method).ok_or_else(|| {
        bad(
            "invalid_apportionment",
            format!("method: '{}' is not hamilton, dhondt, sainte-lague, huntington-hill or ratio", b.method),
        )
    })?;
    if method != Method::Ratio && b.seats.is_none() {
        return Err(bad("invalid_apportionment", "seats: give the seats to share"));
    }
    Ok(ApportionAsk {
        method,
        seats: b.seats.unwrap_or(0),
        min: b.min,
        base: b.base,
        per: b.per.unwrap_or(0),
        ex_officio: b.ex_officio,
        as_of: parse_date("as_of", &b.as_of)?,
    })
}

fn none_yet(id: CongressId) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_apportionment", format!("congress {id}: no apportionment is recorded"))
}

/// The congress's apportionment on the record: the method's result, the ties and their
/// decisions, each unit's seats with them.
#[utoipa::path(get, path = "/api/v1/congresses/{id}/apportionment", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = CongressApportionment), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn apportionment(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
) -> Result<Json<CongressApportionment>, ApiError> {
    let store = s.store.as_ref();
    readable_congress(store, &caller, id).await?;
    store.congress_apportionment(id).await?.map(Json).ok_or_else(|| none_yet(id))
}

/// Shares the congress's delegates among the units directly below its unit from their
/// members on `as_of`, and records it (replacing the record before, with its decisions).
#[utoipa::path(put, path = "/api/v1/congresses/{id}/apportionment", tag = "congresses", params(("id" = String, Path)),
    request_body = RecordBody,
    responses((status = 200, body = CongressApportionment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<RecordBody>,
) -> Result<Json<CongressApportionment>, ApiError> {
    let ask = ask_of(b)?;
    let store = s.store.as_ref();
    let c = writable_congress(store, &caller, id).await?;
    caller.require(store, Permission::ReadStructure, &c.unit, ask.as_of).await?;
    Ok(Json(store.apportion_congress(&caller.actor(), id, ask).await?))
}

/// Decides one of the recorded apportionment's ties: the units (of those contending) that
/// take its seats, one each, and why.
#[utoipa::path(post, path = "/api/v1/congresses/{id}/apportionment/decisions", tag = "congresses",
    params(("id" = String, Path)), request_body = TieDecision,
    responses((status = 200, body = CongressApportionment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(d): ApiJson<TieDecision>,
) -> Result<Json<CongressApportionment>, ApiError> {
    let store = s.store.as_ref();
    writable_congress(store, &caller, id).await?;
    Ok(Json(store.decide_tie(&caller.actor(), id, d).await?))
}
