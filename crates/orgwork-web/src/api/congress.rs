//! Congresses' endpoints (`/api/v1/congresses`): the apportionment of a congress's delegates
//! among the units below (from the members given, or from the register's children of a unit
//! as of a date), the count of an election's round (ballots one by one, or tallies), and the
//! candidate list's surplus rule.
//!
//! The computations are the domain's (`orgwork_domain::congress`); they read nothing but the
//! counts of the units asked about, which need the right to read that unit's structure on
//! that date. Any signed-in user may compute from figures they bring.

pub mod record;
pub mod rounds;

use super::List;
use crate::AppState;
use crate::auth::{ApiCaller, Caller, today};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orgwork_domain::access::Permission;
use orgwork_domain::congress::{
    Apportion, Apportionment, Base, Candidate, CongressKind, Count, Delegate, ListCheck, Method, Tally, TermCode,
    Votes, ballots_from_cells, candidates_from_cells, check_list, delegates_from_cells, floor_nomination_enters,
    units_from_cells,
};
use orgwork_domain::date::parse_date;
use orgwork_domain::structure::{Names, UnitCode};
use orgwork_domain::{CongressId, ElectionId};
use orgwork_store::{Congress, CongressChange, DelegateList, Election, NewCongress, Schedule, Store, Term};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apportion))
        .routes(routes!(count))
        .routes(routes!(list_check))
        .routes(routes!(terms))
        .routes(routes!(schedule))
        .routes(routes!(plan))
        .routes(routes!(show))
        .routes(routes!(change))
        .routes(routes!(hold))
        .routes(routes!(cancel))
        .routes(routes!(delegates, set_delegates))
        .routes(routes!(elections, create_election))
        .routes(routes!(election))
        .routes(routes!(set_candidates))
        .routes(routes!(rounds::rounds, rounds::open_round))
        .routes(routes!(rounds::add_ballot, rounds::set_ballots))
        .routes(routes!(rounds::set_tally))
        .routes(routes!(rounds::count_round))
        .routes(routes!(rounds::publish))
        .routes(routes!(record::apportionment, record::record))
        .routes(routes!(record::decide))
}

/// The largest CSV text a body may carry.
const MAX_TEXT: usize = 16 * 1024 * 1024;

/// A CSV text a body or a form carries, read into cells (at most `MAX_TEXT` bytes); a fault
/// is refused with the caller's code.
pub fn csv_cells(code: &'static str, csv: &str) -> Result<Vec<Vec<String>>, ApiError> {
    if csv.len() > MAX_TEXT {
        return Err(bad(code, format!("csv: at most {MAX_TEXT} bytes")));
    }
    orgwork_tabular::read(csv.as_bytes()).map_err(|e| bad(code, format!("csv: {e}")))
}

fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, message)
}

/// A unit and its members.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitMembers {
    pub unit: String,
    pub members: u64,
}

/// What to share: the seats and the method, and the units with their members given
/// (`units`, or `csv` with the columns unit,members) or read from the register (`unit`, whose
/// children share the seats, with `as_of`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApportionBody {
    /// The seats to share (not with the ratio rule).
    pub seats: Option<u64>,
    /// hamilton, dhondt, sainte-lague, huntington-hill or ratio.
    pub method: String,
    /// At least this many each; the method shares the rest going on from it.
    #[serde(default)]
    pub min: u64,
    /// This many each first; the method shares the rest from nothing (the ratio rule's base).
    #[serde(default)]
    pub base: u64,
    /// The ratio rule's members per seat.
    pub per: Option<u64>,
    /// Delegates on top of those shared.
    #[serde(default)]
    pub ex_officio: u64,
    pub units: Option<Vec<UnitMembers>>,
    pub csv: Option<String>,
    pub unit: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// Shares the seats as asked; with each unit's names in the register, when read from it.
pub async fn run_apportion(
    store: &dyn orgwork_store::Store,
    caller: &crate::auth::Caller,
    b: ApportionBody,
) -> Result<(Apportionment, Vec<Option<Names>>), ApiError> {
    let method = Method::parse(&b.method).ok_or_else(|| {
        bad(
            "invalid_apportionment",
            format!("method: '{}' is not hamilton, dhondt, sainte-lague, huntington-hill or ratio", b.method),
        )
    })?;
    let (units, names) = match (b.units, b.csv, b.unit) {
        (Some(units), None, None) => {
            let names = vec![None; units.len()];
            (units.into_iter().map(|u| (u.unit.trim().to_string(), u.members)).collect(), names)
        }
        (None, Some(csv), None) => {
            let cells = csv_cells("invalid_apportionment", &csv)?;
            let units = units_from_cells(&cells)?;
            let names = vec![None; units.len()];
            (units, names)
        }
        (None, None, Some(unit)) => {
            let unit = UnitCode::parse(&unit)?;
            let as_of = parse_date(
                "as_of",
                b.as_of
                    .as_deref()
                    .ok_or_else(|| bad("invalid_apportionment", "as_of: give the date the members are counted on"))?,
            )?;
            caller.require(store, Permission::ReadStructure, &unit, as_of).await?;
            let below = orgwork_store::members_below(store, &unit, as_of).await?;
            if below.is_empty() {
                return Err(bad("invalid_apportionment", format!("unit: {unit} has no units below it on {as_of}")));
            }
            let names = below.iter().map(|(u, _)| Some(u.name.clone())).collect();
            (below.into_iter().map(|(u, m)| (u.code.to_string(), m)).collect(), names)
        }
        _ => return Err(bad("invalid_apportionment", "give exactly one of units, csv and unit (with as_of)")),
    };
    if method != Method::Ratio && b.seats.is_none() {
        return Err(bad("invalid_apportionment", "seats: give the seats to share"));
    }
    let ask = Apportion {
        method,
        seats: b.seats.unwrap_or(0),
        min: b.min,
        base: b.base,
        per: b.per.unwrap_or(0),
        ex_officio: b.ex_officio,
        units,
    };
    Ok((ask.run()?, names))
}

/// Shares a congress's delegates among units in proportion to their members. A tie for the
/// last seats is reported in `ties` (the units and the seats they contend for), and
/// `allocations` holds only the seats that are decided.
#[utoipa::path(post, path = "/api/v1/congresses/apportion", tag = "congresses", request_body = ApportionBody,
    responses((status = 200, body = Apportionment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn apportion(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<ApportionBody>,
) -> Result<Json<Apportionment>, ApiError> {
    Ok(Json(run_apportion(s.store.as_ref(), &caller, b).await?.0))
}

/// A candidate's votes, for a count from tallies.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateVotes {
    pub candidate: String,
    pub votes: u64,
}

/// A round to count: the seats, the base (the profile's when absent) and the delegates
/// counted, and the votes: `candidates` with `ballots` (each a 0 or 1 per candidate), or
/// `csv` (the heading row names the candidates, each further row is a ballot), or `tally`
/// with `cast` and `valid`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountBody {
    pub seats: u64,
    /// convened, present, valid or cast.
    pub base: Option<String>,
    pub convened: Option<u64>,
    pub present: Option<u64>,
    pub issued: Option<u64>,
    pub candidates: Option<Vec<String>>,
    pub ballots: Option<Vec<Vec<u8>>>,
    pub csv: Option<String>,
    pub tally: Option<Vec<CandidateVotes>>,
    pub cast: Option<u64>,
    pub valid: Option<u64>,
}

pub fn run_count(profile: &orgwork_domain::profile::Profile, b: CountBody) -> Result<Tally, ApiError> {
    let base = match &b.base {
        None => profile.congress.base,
        Some(t) => Base::parse(t)
            .ok_or_else(|| bad("invalid_count", format!("base: '{t}' is not convened, present, valid or cast")))?,
    };
    let (candidates, votes) = match (b.ballots, b.csv, b.tally) {
        (Some(ballots), None, None) => {
            let candidates =
                b.candidates.ok_or_else(|| bad("invalid_count", "candidates: name the candidates of the ballots"))?;
            let mut list = Vec::with_capacity(ballots.len());
            for (k, row) in ballots.into_iter().enumerate() {
                let mut marks = Vec::with_capacity(row.len());
                for v in row {
                    marks.push(match v {
                        0 => false,
                        1 => true,
                        other => {
                            return Err(bad(
                                "invalid_count",
                                format!(
                                    "ballots: ballot {} holds {other}; write 1 for a name kept, 0 for one crossed out",
                                    k + 1
                                ),
                            ));
                        }
                    });
                }
                list.push(marks);
            }
            (candidates, Votes::Ballots(list))
        }
        (None, Some(csv), None) => {
            if b.candidates.is_some() {
                return Err(bad("invalid_count", "candidates: the csv's heading row names them"));
            }
            let cells = csv_cells("invalid_count", &csv)?;
            let (candidates, list) = ballots_from_cells(&cells)?;
            (candidates, Votes::Ballots(list))
        }
        (None, None, Some(tally)) => {
            let (Some(cast), Some(valid)) = (b.cast, b.valid) else {
                return Err(bad("invalid_count", "cast, valid: a count from tallies needs the ballots cast and valid"));
            };
            let (names, votes) = tally.into_iter().map(|t| (t.candidate.trim().to_string(), t.votes)).unzip();
            (names, Votes::Tally { cast, valid, votes })
        }
        _ => return Err(bad("invalid_count", "give exactly one of ballots (with candidates), csv and tally")),
    };
    Ok(Count { seats: b.seats, base, convened: b.convened, present: b.present, issued: b.issued, candidates, votes }
        .run()?)
}

/// Counts a round of an election: valid ballots keep no more names than seats; a candidate
/// passes with more than half of the base; if more pass than seats the most voted win, and a
/// tie at the last seat elects none of the tied; the seats left (`unfilled`) go to a further
/// round with the candidates not elected (`next_round`).
#[utoipa::path(post, path = "/api/v1/congresses/count", tag = "congresses", request_body = CountBody,
    responses((status = 200, body = Tally), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn count(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiJson(b): ApiJson<CountBody>,
) -> Result<Json<Tally>, ApiError> {
    Ok(Json(run_count(s.store.profile(), b)?))
}

/// A candidate list to check against the profile's rules.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListBody {
    pub seats: u64,
    pub candidates: u64,
    /// With `present`: the support a nomination from the floor has.
    pub floor_support: Option<u64>,
    pub present: Option<u64>,
}

/// Checks a candidate list: more candidates than seats and at most the profile's surplus more
/// (the advised surplus shown beside), and whether a nomination from the floor has the
/// support of more than the profile's share of the delegates present.
#[utoipa::path(post, path = "/api/v1/congresses/list-check", tag = "congresses", request_body = ListBody,
    responses((status = 200, body = ListCheck), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_check(
    State(s): State<AppState>,
    ApiCaller(_caller): ApiCaller,
    ApiJson(b): ApiJson<ListBody>,
) -> Result<Json<ListCheck>, ApiError> {
    const MAX: u64 = 100_000;
    if b.seats == 0 || b.seats > MAX || b.candidates > MAX {
        return Err(bad("invalid_count", format!("seats, candidates: 1 to {MAX} seats, at most {MAX} candidates")));
    }
    let rules = &s.store.profile().congress;
    let enters = match (b.floor_support, b.present) {
        (Some(f), Some(p)) if f <= p && p <= MAX => Some(floor_nomination_enters(rules, f, p)),
        (None, _) => None,
        _ => {
            return Err(bad(
                "invalid_count",
                "floor_support, present: give the support and the delegates present, support ≤ present",
            ));
        }
    };
    Ok(Json(ListCheck { floor_nomination_enters: enters, ..check_list(rules, b.seats, b.candidates) }))
}

// ---------------------------------------------------------------------------------------------
// Terms and congresses on the record

/// A congress the caller may see: its unit in a subtree they read, on its day or today;
/// otherwise not found (its existence is not told).
pub async fn readable_congress(store: &dyn Store, caller: &Caller, id: CongressId) -> Result<Congress, ApiError> {
    let hidden = || ApiError::from(CongressId::not_found(id));
    let c = store.congress(id).await.map_err(|_| hidden())?;
    let sees = caller.require(store, Permission::ReadStructure, &c.unit, c.on()).await.is_ok()
        || caller.require(store, Permission::ReadStructure, &c.unit, today()).await.is_ok();
    if sees { Ok(c) } else { Err(hidden()) }
}

/// A congress the caller may also change: organizers of its unit from its day to today.
pub async fn writable_congress(store: &dyn Store, caller: &Caller, id: CongressId) -> Result<Congress, ApiError> {
    let c = readable_congress(store, caller, id).await?;
    may_change(store, caller, &c).await?;
    Ok(c)
}

/// Whether the caller may change a congress they read: `WriteCongresses` on its unit from its
/// day to today.
pub async fn may_change(store: &dyn Store, caller: &Caller, c: &Congress) -> Result<(), ApiError> {
    caller.require_from(store, Permission::WriteCongresses, &c.unit, c.on()).await
}

/// The terms, the latest first, with their congresses on the record.
#[utoipa::path(get, path = "/api/v1/congresses/terms", tag = "congresses",
    responses((status = 200, body = List<Term>), (status = 401, body = ErrorBody)))]
async fn terms(State(s): State<AppState>, ApiCaller(_caller): ApiCaller) -> Result<Json<List<Term>>, ApiError> {
    Ok(Json(List { items: s.store.terms().await?, next: None }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ScheduleParams {
    /// The term: 2025-2030.
    pub term: String,
    /// The unit whose subtree's congresses are listed.
    pub unit: String,
    /// The day whose tree gives the subtree (today when absent).
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// A term's congresses in a unit's subtree in the order of their days, with the schedule
/// check: each unit's congress after its children's by the profile's margin, every child with
/// one, pilots before the others of their level; each breach named.
#[utoipa::path(get, path = "/api/v1/congresses/schedule", tag = "congresses", params(ScheduleParams),
    responses((status = 200, body = Schedule), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn schedule(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(p): ApiQuery<ScheduleParams>,
) -> Result<Json<Schedule>, ApiError> {
    let term = TermCode::parse(&p.term)?;
    let unit = UnitCode::parse(&p.unit)?;
    let as_of = match p.as_of.as_deref() {
        Some(d) => parse_date("as_of", d)?,
        None => today(),
    };
    caller.require(s.store.as_ref(), Permission::ReadStructure, &unit, as_of).await?;
    Ok(Json(s.store.schedule(term, &unit, as_of).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// 2025-2030.
    pub term: String,
    pub unit: String,
    #[schema(value_type = String, format = Date)]
    pub planned_on: String,
    /// members (the default) or delegates.
    pub kind: Option<String>,
    /// Its number in the unit's series.
    pub number: Option<u32>,
    #[serde(default)]
    pub pilot: bool,
}

/// Plans a unit's congress in a term (organizers of the unit, from the planned day to today).
#[utoipa::path(post, path = "/api/v1/congresses", tag = "congresses", request_body = PlanBody,
    responses((status = 201, body = Congress), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)))]
async fn plan(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<(StatusCode, Json<Congress>), ApiError> {
    let term = TermCode::parse(&b.term)?;
    let unit = UnitCode::parse(&b.unit)?;
    let planned_on = parse_date("planned_on", &b.planned_on)?;
    let kind = CongressKind::parse(b.kind.as_deref().unwrap_or("members"))?;
    caller.require_from(s.store.as_ref(), Permission::WriteCongresses, &unit, planned_on).await?;
    let new = NewCongress { term, unit, kind, number: b.number, planned_on, pilot: b.pilot };
    Ok((StatusCode::CREATED, Json(s.store.plan_congress(&caller.actor(), new).await?)))
}

/// One congress.
#[utoipa::path(get, path = "/api/v1/congresses/{id}", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = Congress), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn show(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
) -> Result<Json<Congress>, ApiError> {
    Ok(Json(readable_congress(s.store.as_ref(), &caller, id).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    #[schema(value_type = Option<String>, format = Date)]
    pub planned_on: Option<String>,
    pub pilot: Option<bool>,
    pub kind: Option<String>,
    pub number: Option<u32>,
}

/// Changes a planned congress: its day, pilot flag, kind or number (in scope on the old day
/// and the new).
#[utoipa::path(post, path = "/api/v1/congresses/{id}/change", tag = "congresses", params(("id" = String, Path)),
    request_body = ChangeBody,
    responses((status = 200, body = Congress), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)))]
async fn change(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<ChangeBody>,
) -> Result<Json<Congress>, ApiError> {
    let planned_on = b.planned_on.as_deref().map(|d| parse_date("planned_on", d)).transpose()?;
    let kind = b.kind.as_deref().map(CongressKind::parse).transpose()?;
    let store = s.store.as_ref();
    let c = writable_congress(store, &caller, id).await?;
    if let Some(day) = planned_on {
        caller.require_from(store, Permission::WriteCongresses, &c.unit, day).await?;
    }
    let change = CongressChange { planned_on, pilot: b.pilot, kind, number: b.number };
    Ok(Json(store.change_congress(&caller.actor(), id, change).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldBody {
    #[schema(value_type = String, format = Date)]
    pub on: String,
}

/// Records a planned congress held on a day (not after today).
#[utoipa::path(post, path = "/api/v1/congresses/{id}/hold", tag = "congresses", params(("id" = String, Path)),
    request_body = HoldBody,
    responses((status = 200, body = Congress), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)))]
async fn hold(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<HoldBody>,
) -> Result<Json<Congress>, ApiError> {
    let on = parse_date("on", &b.on)?;
    let store = s.store.as_ref();
    let c = writable_congress(store, &caller, id).await?;
    caller.require_from(store, Permission::WriteCongresses, &c.unit, on).await?;
    Ok(Json(store.hold_congress(&caller.actor(), id, on).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    pub reason: String,
}

/// Cancels a planned congress, with the reason.
#[utoipa::path(post, path = "/api/v1/congresses/{id}/cancel", tag = "congresses", params(("id" = String, Path)),
    request_body = CancelBody,
    responses((status = 200, body = Congress), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
               (status = 422, body = ErrorBody)))]
async fn cancel(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<CancelBody>,
) -> Result<Json<Congress>, ApiError> {
    let store = s.store.as_ref();
    writable_congress(store, &caller, id).await?;
    Ok(Json(store.cancel_congress(&caller.actor(), id, &b.reason).await?))
}

/// A congress's delegates and the counts their credentials give (convened, present…).
#[utoipa::path(get, path = "/api/v1/congresses/{id}/delegates", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = DelegateList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delegates(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
) -> Result<Json<DelegateList>, ApiError> {
    readable_congress(s.store.as_ref(), &caller, id).await?;
    Ok(Json(s.store.delegates(id).await?))
}

/// A whole list of delegates: as `delegates`, or as `csv` with the columns name, kind and
/// optionally unit, attendance, replaces.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegatesBody {
    pub delegates: Option<Vec<Delegate>>,
    pub csv: Option<String>,
}

/// Replaces a congress's list of delegates, their credentials with it (organizers of its unit).
#[utoipa::path(put, path = "/api/v1/congresses/{id}/delegates", tag = "congresses", params(("id" = String, Path)),
    request_body = DelegatesBody,
    responses((status = 200, body = DelegateList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_delegates(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<DelegatesBody>,
) -> Result<Json<DelegateList>, ApiError> {
    let list = match (b.delegates, b.csv) {
        (Some(list), None) => list,
        (None, Some(csv)) => {
            let cells = csv_cells("invalid_delegate", &csv)?;
            delegates_from_cells(&cells)?
        }
        _ => return Err(bad("invalid_delegate", "give exactly one of delegates and csv")),
    };
    let store = s.store.as_ref();
    writable_congress(store, &caller, id).await?;
    Ok(Json(store.set_delegates(&caller.actor(), id, list).await?))
}

/// A congress's elections, each with its candidate list reviewed.
#[utoipa::path(get, path = "/api/v1/congresses/{id}/elections", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = List<Election>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn elections(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
) -> Result<Json<List<Election>>, ApiError> {
    readable_congress(s.store.as_ref(), &caller, id).await?;
    Ok(Json(List { items: s.store.elections(id).await?, next: None }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElectionBody {
    /// What is elected: the committee, the delegates to the congress above.
    pub title: String,
    pub seats: u64,
}

/// Opens an election at a congress (organizers of its unit).
#[utoipa::path(post, path = "/api/v1/congresses/{id}/elections", tag = "congresses", params(("id" = String, Path)),
    request_body = ElectionBody,
    responses((status = 201, body = Election), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_election(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<CongressId>,
    ApiJson(b): ApiJson<ElectionBody>,
) -> Result<(StatusCode, Json<Election>), ApiError> {
    let store = s.store.as_ref();
    writable_congress(store, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(store.create_election(&caller.actor(), id, &b.title, b.seats).await?)))
}

/// An election the caller may see: its congress's.
pub async fn readable_election(
    store: &dyn Store,
    caller: &Caller,
    id: ElectionId,
) -> Result<(Election, Congress), ApiError> {
    let hidden = || ApiError::from(ElectionId::not_found(id));
    let e = store.election(id).await.map_err(|_| hidden())?;
    let c = readable_congress(store, caller, e.congress).await.map_err(|_| hidden())?;
    Ok((e, c))
}

/// The congress of an election the caller may change (its list, its rounds), read once; an
/// election outside what they read is not found.
pub async fn changeable_election(store: &dyn Store, caller: &Caller, id: ElectionId) -> Result<Congress, ApiError> {
    let hidden = || ApiError::from(ElectionId::not_found(id));
    let congress = store.election_congress(id).await.map_err(|_| hidden())?;
    let c = readable_congress(store, caller, congress).await.map_err(|_| hidden())?;
    may_change(store, caller, &c).await?;
    Ok(c)
}

/// One election, its candidate list reviewed: those on the ballot, the surplus rule, the
/// nominations from the floor that enter.
#[utoipa::path(get, path = "/api/v1/congresses/elections/{id}", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = Election), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn election(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ElectionId>,
) -> Result<Json<Election>, ApiError> {
    Ok(Json(readable_election(s.store.as_ref(), &caller, id).await?.0))
}

/// A whole candidate list: as `candidates`, or as `csv` with the column name and optionally
/// nomination (list, floor), support, withdrawn.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidatesBody {
    pub candidates: Option<Vec<Candidate>>,
    pub csv: Option<String>,
}

/// Replaces an election's candidate list (organizers of the congress's unit).
#[utoipa::path(put, path = "/api/v1/congresses/elections/{id}/candidates", tag = "congresses", params(("id" = String, Path)),
    request_body = CandidatesBody,
    responses((status = 200, body = Election), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_candidates(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ElectionId>,
    ApiJson(b): ApiJson<CandidatesBody>,
) -> Result<Json<Election>, ApiError> {
    let list = match (b.candidates, b.csv) {
        (Some(list), None) => list,
        (None, Some(csv)) => {
            let cells = csv_cells("invalid_candidate", &csv)?;
            candidates_from_cells(&cells)?
        }
        _ => return Err(bad("invalid_candidate", "give exactly one of candidates and csv")),
    };
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    Ok(Json(store.set_candidates(&caller.actor(), id, list).await?))
}
