//! The member register's endpoints. Members' records are personal data: a member outside the
//! caller's scope answers 404, as if it did not exist.

use super::List;
use crate::AppState;
use crate::auth::today;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use orgwork_domain::access::Permission;
use orgwork_domain::date::parse_date;
use orgwork_domain::members::{Record, RecordInput, Status, field_errors};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Member, MemberFilter, MemberId, MemberSummary, NewMember, Page, Stats, Store};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members, create_member))
        .routes(routes!(get_member, edit_member))
        .routes(routes!(change_status))
        .routes(routes!(unit_stats))
}

fn day(field: &str, value: &Option<String>) -> Result<NaiveDate, ApiError> {
    match value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => Ok(parse_date(field, v)?),
        None => Ok(today()),
    }
}

/// The member, if the caller may `what` them on `on` (judged where the member belongs then,
/// or last belonged): 404 when the caller may not even read them, 403 when they may read but
/// not `what`. A write (`WriteMembers`) dated `on` holds from `on` on, so it is judged on every
/// day from `on` to today, in each unit the member belongs to on those days.
pub async fn member_in_scope(
    store: &dyn Store,
    caller: &Caller,
    id: MemberId,
    on: NaiveDate,
    what: Permission,
) -> Result<Member, ApiError> {
    let hidden = || ApiError::from(MemberId::not_found(id));
    let m = store.member(id, on).await.map_err(|_| hidden())?;
    let (unit, when) = match (&m.unit, m.memberships.last()) {
        (Some(u), _) => (u.clone(), on),
        (None, Some(last)) => {
            let when = if last.valid_from > on {
                last.valid_from
            } else {
                last.valid_to.and_then(|t| t.pred_opt()).unwrap_or(on)
            };
            (last.unit.clone(), when)
        }
        (None, None) => return Err(hidden()),
    };
    // Who may not read members there does not learn that this one exists; who may read but
    // not do `what` is told so.
    let path = store.path_ids(&unit, when).await?;
    caller.require_path(Permission::ReadMembers, &unit, &path).map_err(|_| hidden())?;
    caller.require_path(what, &unit, &path)?;
    if what == Permission::WriteMembers {
        let (from, to) = (on.min(today()), on.max(today()));
        for ms in &m.memberships {
            let (a, b) = (ms.valid_from.max(from), ms.valid_to.and_then(|t| t.pred_opt()).map_or(to, |t| t.min(to)));
            if a <= b {
                caller.require_span(store, what, &ms.unit, a, b).await?;
            }
        }
    }
    Ok(m)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberParams {
    /// Part of a name (case and diacritics ignored), a card number or a national ID.
    q: Option<String>,
    /// The subtree to search; the caller's own when absent.
    unit: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// probationary or official.
    status: Option<String>,
    /// A category of the profile (young, student, …).
    category: Option<String>,
    /// true: only the probationary members past their probation on the day (due to be made
    /// official).
    probation_over: Option<bool>,
    limit: Option<u32>,
    after: Option<String>,
}

/// Members of a unit's subtree on a date, by name; with `q`, those matching it.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(MemberParams),
    responses((status = 200, body = List<MemberSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_members(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<MemberParams>,
) -> Result<Json<List<MemberSummary>>, ApiError> {
    let on = day("as_of", &p.as_of)?;
    let unit = match p.unit.as_deref() {
        Some(u) => {
            let u = UnitCode::parse(u)?;
            caller.require(s.store.as_ref(), Permission::ReadMembers, &u, on).await?;
            Some(u)
        }
        None => match caller.tops(s.store.as_ref(), Permission::ReadMembers, on).await? {
            None => None,
            Some(_) => {
                let mine: Vec<_> =
                    caller.user.grants.iter().filter(|g| g.role.permits(Permission::ReadMembers)).collect();
                match mine.as_slice() {
                    [one] => Some(one.unit.clone()),
                    [] => {
                        return Err(ApiError::new(
                            StatusCode::FORBIDDEN,
                            "forbidden",
                            "your role does not allow reading members' records",
                        ));
                    }
                    _ => {
                        return Err(ApiError::new(
                            StatusCode::BAD_REQUEST,
                            "invalid_query",
                            "unit: name the unit to search with ?unit=",
                        ));
                    }
                }
            }
        },
    };
    let filter = MemberFilter {
        query: p.q.clone(),
        status: p.status.as_deref().map(Status::parse).transpose()?,
        category: p.category.clone(),
        probation_over: p.probation_over.unwrap_or(false),
    };
    let limit = p.limit.unwrap_or(Page::DEFAULT_LIMIT);
    if limit == 0 || limit > Page::MAX_LIMIT {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("limit: {limit} is not between 1 and 1000"),
        ));
    }
    let page = s.store.members(unit.as_ref(), on, &filter, Page { limit, after: p.after.clone() }).await?;
    Ok(Json(List { items: page.items, next: page.next }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

/// A member as of a date (their unit, status and categories that day) with the whole history.
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = String, Path), AsOf),
    responses((status = 200, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_member(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<MemberId>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Json<Member>, ApiError> {
    let on = day("as_of", &q.as_of)?;
    Ok(Json(member_in_scope(s.store.as_ref(), &caller, id, on, Permission::ReadMembers).await?))
}

/// A new member: the record, the unit and the day they joined it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMember {
    #[serde(flatten)]
    record: RecordInput,
    /// The unit the member belongs to.
    unit: String,
    /// The first day in that unit; the admission day when absent.
    #[schema(value_type = Option<String>, format = Date)]
    joined_on: Option<String>,
    /// The document (decision) of the admission or entry.
    document: Option<String>,
    /// For a member transferred in from outside the tree: the organization they come from.
    from_org: Option<String>,
}

/// Parses a new member's body: every faulty field named at once.
pub fn parse_new_member(store: &dyn Store, b: &CreateMember) -> Result<NewMember, ApiError> {
    let record = Record::parse(&store.profile().members, &b.record).map_err(|e| ApiError::from(field_errors(&e)))?;
    let joined_on = match b.joined_on.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => parse_date("joined_on", v)?,
        None => record.admitted_on,
    };
    Ok(NewMember {
        unit: UnitCode::parse(&b.unit)?,
        joined_on,
        document: orgwork_domain::structure::parse_decision(b.document.as_deref())?,
        from_org: b.from_org.clone(),
        record,
    })
}

/// Admits a member into a unit (or enters one from older records).
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = CreateMember,
    responses((status = 201, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_member(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<CreateMember>,
) -> Result<(StatusCode, Json<Member>), ApiError> {
    let new = parse_new_member(s.store.as_ref(), &b)?;
    caller.require_from(s.store.as_ref(), Permission::WriteMembers, &new.unit, new.joined_on).await?;
    let m = s.store.create_member(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Corrects a member's record (the whole record, as for admission). The unit and the status
/// have their own operations (transfers, status changes).
#[utoipa::path(put, path = "/api/v1/members/{id}", tag = "members", params(("id" = String, Path)), request_body = RecordInput,
    responses((status = 200, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_member(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<MemberId>,
    ApiJson(b): ApiJson<RecordInput>,
) -> Result<Json<Member>, ApiError> {
    let record = Record::parse(&s.store.profile().members, &b).map_err(|e| ApiError::from(field_errors(&e)))?;
    member_in_scope(s.store.as_ref(), &caller, id, today(), Permission::WriteMembers).await?;
    Ok(Json(s.store.edit_member(&caller.actor(), id, record).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeStatus {
    /// official, deceased, expelled, removed or resigned.
    status: String,
    #[schema(value_type = String, format = Date)]
    effective: String,
    /// The document (decision, certificate) of the change.
    document: Option<String>,
}

/// Changes a member's status from a date: made official, or the end of membership.
#[utoipa::path(post, path = "/api/v1/members/{id}/status", tag = "members", params(("id" = String, Path)), request_body = ChangeStatus,
    responses((status = 200, body = Member), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_status(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<MemberId>,
    ApiJson(b): ApiJson<ChangeStatus>,
) -> Result<Json<Member>, ApiError> {
    let status = Status::parse(&b.status)?;
    let on = parse_date("effective", &b.effective)?;
    let document = orgwork_domain::structure::parse_decision(b.document.as_deref())?;
    member_in_scope(s.store.as_ref(), &caller, id, on, Permission::WriteMembers).await?;
    Ok(Json(s.store.change_status(&caller.actor(), id, status, on, document).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// Follow the lineage: the counts of the units this one replaced (merged or absorbed into
    /// it after `as_of`), summed, so that a merged unit's figures before its merger can be read.
    lineage: Option<bool>,
}

/// The members of a unit's subtree on a date: in all, by status and by category.
#[utoipa::path(get, path = "/api/v1/units/{code}/stats", tag = "members", params(("code" = String, Path), StatsParams),
    responses((status = 200, body = Stats), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unit_stats(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(c): Path<String>,
    ApiQuery(q): ApiQuery<StatsParams>,
) -> Result<Json<Stats>, ApiError> {
    let (c, on) = (UnitCode::parse(&c)?, day("as_of", &q.as_of)?);
    let store = s.store.as_ref();
    if q.lineage != Some(true) {
        caller.require(store, Permission::ReadStructure, &c, on).await?;
        return Ok(Json(store.stats(&c, on).await?));
    }
    caller.require(store, Permission::ReadStructure, &c, crate::auth::today().max(on)).await?;
    let mut sum = Stats::default();
    for p in store.predecessors(&c, on).await? {
        caller.require(store, Permission::ReadStructure, &p, on).await?;
        sum.add(&store.stats(&p, on).await?);
    }
    Ok(Json(sum))
}
