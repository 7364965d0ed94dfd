//! An election's rounds (`/api/v1/congresses/elections/{id}/rounds`): opened from the list,
//! votes entered ballot by ballot or as tallies, counted on the profile's base with the
//! congress's credentials, the results published.
//!
//! Organizers of the congress's unit (from its day to today) enter and count; every reader of
//! the congress reads the counted rounds once the results are published.

use super::{CandidateVotes, bad, changeable_election, csv_cells, may_change, readable_election};
use crate::AppState;
use crate::auth::{ApiCaller, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Id, IdNumber};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use orgwork_domain::ElectionId;
use orgwork_domain::congress::{
    Round, RoundStatus, RoundTally, ballots_from_cells, marks_from_kept, order_ballots, order_votes, tally_from_cells,
};
use orgwork_store::{Congress, Election, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An election's rounds as the caller reads them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Results {
    #[schema(value_type = String)]
    pub election: ElectionId,
    pub title: String,
    pub seats: u64,
    pub published_at: Option<String>,
    /// Whether the caller may enter and count (and so reads the rounds before publication).
    pub can_enter: bool,
    pub rounds: Vec<Round>,
}

/// An election as the caller reads it, with its congress, and its rounds as they may read
/// them: every round for those who may enter; the counted rounds once published for every
/// other reader; `None` when they are not published yet. Each is read once.
pub async fn readable_results(
    store: &dyn Store,
    caller: &Caller,
    id: ElectionId,
) -> Result<(Election, Congress, Option<Results>), ApiError> {
    let (e, c) = readable_election(store, caller, id).await?;
    let can_enter = may_change(store, caller, &c).await.is_ok();
    if !can_enter && e.published_at.is_none() {
        return Ok((e, c, None));
    }
    let mut rounds = store.rounds(id).await?;
    if !can_enter {
        rounds.retain(|r| r.status == RoundStatus::Counted);
    }
    let results = Results {
        election: id,
        title: e.title.clone(),
        seats: e.seats,
        published_at: e.published_at.clone(),
        can_enter,
        rounds,
    };
    Ok((e, c, Some(results)))
}

/// The round's names, for putting a file's columns in the ballot's order.
async fn round_names(store: &dyn Store, id: ElectionId, number: u32) -> Result<Vec<String>, ApiError> {
    let rounds = store.rounds(id).await?;
    rounds.into_iter().find(|r| r.number == number).map(|r| r.candidates).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "round_not_found", format!("round: election {id} has no round {number}"))
    })
}

/// An election's rounds: those who may enter read every round; every other reader of the
/// congress reads the counted rounds once the results are published (403 before).
#[utoipa::path(get, path = "/api/v1/congresses/elections/{id}/rounds", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = Results), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody)))]
pub async fn rounds(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ElectionId>,
) -> Result<Json<Results>, ApiError> {
    readable_results(s.store.as_ref(), &caller, id).await?.2.map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "results_not_published",
            format!("election {id}: its results are not published yet"),
        )
    })
}

/// Opens an election's first round from its list's ballot (the list must keep the surplus
/// rule; it is frozen from then on).
#[utoipa::path(post, path = "/api/v1/congresses/elections/{id}/rounds", tag = "congresses", params(("id" = String, Path)),
    responses((status = 201, body = Round), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open_round(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ElectionId>,
) -> Result<(StatusCode, Json<Round>), ApiError> {
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(store.open_round(&caller.actor(), id).await?)))
}

/// One ballot: the names it keeps (every other name of the round is crossed out).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotBody {
    pub kept: Vec<String>,
}

/// Enters one ballot in an open round.
#[utoipa::path(post, path = "/api/v1/congresses/elections/{id}/rounds/{number}/ballots", tag = "congresses",
    params(("id" = String, Path), ("number" = u32, Path)), request_body = BallotBody,
    responses((status = 200, body = Round), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_ballot(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdNumber(id, number): IdNumber<ElectionId>,
    ApiJson(b): ApiJson<BallotBody>,
) -> Result<Json<Round>, ApiError> {
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    let names = round_names(store, id, number).await?;
    if b.kept.len() > names.len() {
        return Err(bad("invalid_ballot", format!("kept: at most the {} names of the round", names.len())));
    }
    let marks = marks_from_kept(&names, &b.kept)?;
    Ok(Json(store.add_ballot(&caller.actor(), id, number, marks).await?))
}

/// A round's ballots, all at once: `csv`, whose heading row names the round's candidates (in
/// any order) and each further row is a ballot, 1 for a name kept and 0 or empty for one
/// crossed out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotsBody {
    pub csv: String,
}

/// Replaces an open round's votes by these ballots.
#[utoipa::path(put, path = "/api/v1/congresses/elections/{id}/rounds/{number}/ballots", tag = "congresses",
    params(("id" = String, Path), ("number" = u32, Path)), request_body = BallotsBody,
    responses((status = 200, body = Round), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_ballots(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdNumber(id, number): IdNumber<ElectionId>,
    ApiJson(b): ApiJson<BallotsBody>,
) -> Result<Json<Round>, ApiError> {
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    let names = round_names(store, id, number).await?;
    let ballots = parse_ballots(&names, &b.csv)?;
    Ok(Json(store.set_ballots(&caller.actor(), id, number, ballots).await?))
}

/// Ballots from CSV text, in the round's order.
pub fn parse_ballots(names: &[String], csv: &str) -> Result<Vec<Vec<bool>>, ApiError> {
    let cells = csv_cells("invalid_ballot", csv)?;
    let (heading, ballots) = ballots_from_cells(&cells)?;
    Ok(order_ballots(names, &heading, ballots)?)
}

/// A round's tallies: the ballots cast and valid, and each candidate's votes (`votes`, or
/// `csv` with the columns candidate,votes); every candidate of the round once.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TallyBody {
    pub cast: u64,
    pub valid: u64,
    pub votes: Option<Vec<CandidateVotes>>,
    pub csv: Option<String>,
}

/// Replaces an open round's votes by tallies.
#[utoipa::path(put, path = "/api/v1/congresses/elections/{id}/rounds/{number}/tally", tag = "congresses",
    params(("id" = String, Path), ("number" = u32, Path)), request_body = TallyBody,
    responses((status = 200, body = Round), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_tally(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdNumber(id, number): IdNumber<ElectionId>,
    ApiJson(b): ApiJson<TallyBody>,
) -> Result<Json<Round>, ApiError> {
    let (names, votes): (Vec<String>, Vec<u64>) = match (b.votes, b.csv) {
        (Some(v), None) => v.into_iter().map(|t| (t.candidate.trim().to_string(), t.votes)).unzip(),
        (None, Some(csv)) => {
            let cells = csv_cells("invalid_ballot", &csv)?;
            tally_from_cells(&cells)?
        }
        _ => return Err(bad("invalid_ballot", "give exactly one of votes and csv")),
    };
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    let round = round_names(store, id, number).await?;
    let votes = order_votes(&round, &names, &votes)?;
    let tally = RoundTally { cast: b.cast, valid: b.valid, votes };
    Ok(Json(store.set_tally(&caller.actor(), id, number, tally).await?))
}

/// What a count may add: the ballots handed out, for the minutes.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountRoundBody {
    pub issued: Option<u64>,
}

/// Counts an open round on the profile's base with the congress's credentials; when seats
/// are unfilled and candidates remain, the next round opens with them. Returns every round.
#[utoipa::path(post, path = "/api/v1/congresses/elections/{id}/rounds/{number}/count", tag = "congresses",
    params(("id" = String, Path), ("number" = u32, Path)), request_body = CountRoundBody,
    responses((status = 200, body = Vec<Round>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
               (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn count_round(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdNumber(id, number): IdNumber<ElectionId>,
    ApiJson(b): ApiJson<CountRoundBody>,
) -> Result<Json<Vec<Round>>, ApiError> {
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    Ok(Json(store.count_round(&caller.actor(), id, number, b.issued).await?))
}

/// Publishes an election's results (a round counted) to every reader of its congress.
#[utoipa::path(post, path = "/api/v1/congresses/elections/{id}/publish", tag = "congresses", params(("id" = String, Path)),
    responses((status = 200, body = Election), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
               (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id<ElectionId>,
) -> Result<Json<Election>, ApiError> {
    let store = s.store.as_ref();
    changeable_election(store, &caller, id).await?;
    Ok(Json(store.publish_results(&caller.actor(), id).await?))
}
