//! An election's page: its candidate list reviewed, its rounds (the votes entered ballot by
//! ballot or as tallies, each count's figures), the forms organizers open, enter, count and
//! publish with; and a round's minutes as a document that prints.
//!
//! Who reads what is the API's (`api::congress::rounds`): organizers of the congress's unit
//! read every round; other readers of the congress read the counted rounds once published.

use super::{DoneQuery, ElectionView, Minutes, VoteRow, election_view, minutes, say};
use crate::AppState;
use crate::api::congress::changeable_election;
use crate::api::congress::rounds::{parse_ballots, readable_results};
use crate::auth::{Caller, today};
use crate::error::ApiError;
use crate::ui::i18n::Tr;
use crate::ui::{Ctx, FieldsForm, Layout, PageId, Submitted, field as get, redirect};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use orgwork_domain::ElectionId;
use orgwork_domain::congress::{Round, RoundStatus, RoundTally, VoteEntry};
use std::collections::HashMap;

/// One round as the election page shows it.
pub struct RoundView {
    number: u32,
    heading: String,
    open: bool,
    /// What is entered so far (an open round).
    entered: String,
    /// The names on its ballot, with their place (for the entry forms).
    names: Vec<(usize, String)>,
    /// The count's minutes, once counted.
    minutes: Option<Minutes>,
}

#[derive(Template)]
#[template(path = "congress_election.html")]
struct ElectionPage {
    tr: Tr,
    l: Layout,
    id: String,
    title: String,
    back: String,
    facts: Vec<(String, String)>,
    list: ElectionView,
    can_enter: bool,
    can_open: bool,
    can_publish: bool,
    /// The results are not published and the reader may not enter them.
    hidden: bool,
    rounds: Vec<RoundView>,
    error: Option<String>,
    done: bool,
}

/// An election's page.
pub async fn election_page(
    State(s): State<AppState>,
    PageId(id): PageId<ElectionId>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    render(&s, &ctx, &caller, id, None, q.done == Some(1), StatusCode::OK).await
}

fn round_heading(tr: Tr, r: &Round) -> String {
    let n = |x: u64| tr.number(x as i64);
    say(
        tr,
        if r.status == RoundStatus::Open { "congress-round-open" } else { "congress-round-counted" },
        &[("number", n(u64::from(r.number))), ("seats", n(r.seats)), ("candidates", n(r.candidates.len() as u64))],
    )
}

async fn render(
    s: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    id: ElectionId,
    error: Option<String>,
    done: bool,
    status: StatusCode,
) -> Response {
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let n = |x: u64| tr.number(x as i64);
    let (e, c, results) = match readable_results(store, caller, id).await {
        Ok(r) => r,
        Err(e) => return ctx.api_error_page(e),
    };
    let can_enter = results.as_ref().is_some_and(|r| r.can_enter);
    let rounds: Vec<Round> = results.map(|r| r.rounds).unwrap_or_default();
    let mut facts = vec![
        (tr.t("congress-title"), c.names.get(tr.lang).to_string()),
        (tr.t("congress-term"), c.term.clone()),
        (tr.t("congress-seats"), n(e.seats)),
        (tr.t("congress-rounds"), n(u64::from(e.rounds))),
    ];
    facts.push((
        tr.t("congress-results"),
        match &e.published_at {
            Some(at) => {
                let day = at.get(..10).and_then(|d| d.parse::<chrono::NaiveDate>().ok());
                tr.ta("congress-published-at", "at", &day.map(|d| tr.date(d)).unwrap_or_else(|| at.clone()))
            }
            None => tr.t("congress-not-published"),
        },
    ));
    let views = rounds
        .iter()
        .map(|r| RoundView {
            number: r.number,
            heading: round_heading(tr, r),
            open: r.status == RoundStatus::Open,
            entered: match r.entry {
                VoteEntry::None => tr.t("congress-entered-none"),
                VoteEntry::Ballots => tr.ta("congress-entered-ballots", "count", &n(r.ballots)),
                VoteEntry::Tally => {
                    let t = r.tally.as_ref();
                    tr.ta2(
                        "congress-entered-tally",
                        "cast",
                        &n(t.map_or(0, |t| t.cast)),
                        "valid",
                        &n(t.map_or(0, |t| t.valid)),
                    )
                }
            },
            names: r.candidates.iter().cloned().enumerate().collect(),
            minutes: r.result.as_ref().map(|t| minutes(tr, t)),
        })
        .collect();
    let counted = rounds.iter().any(|r| r.status == RoundStatus::Counted);
    let page = ElectionPage {
        tr,
        l: ctx.layout("congress", today()),
        id: id.to_string(),
        title: e.title.clone(),
        back: format!("/congresses/{}#election-{id}", e.congress),
        facts,
        list: election_view(tr, &e),
        can_enter,
        can_open: can_enter && e.rounds == 0,
        can_publish: can_enter && counted && e.published_at.is_none(),
        hidden: !can_enter && e.published_at.is_none(),
        rounds: views,
        error,
        done,
    };
    ctx.page(status, page)
}

/// The election page's forms: `action` = open, ballot, ballots, tally, count or publish.
pub async fn election_action(
    State(s): State<AppState>,
    PageId(id): PageId<ElectionId>,
    Submitted { ctx, caller, form: f }: Submitted<FieldsForm>,
) -> Response {
    let v = f.fields;
    let store = s.store.as_ref();
    let result = async {
        changeable_election(store, &caller, id).await?;
        let actor = caller.actor();
        let action = get(&v, "action");
        if action == "open" {
            store.open_round(&actor, id).await?;
            return Ok(());
        }
        if action == "publish" {
            store.publish_results(&actor, id).await?;
            return Ok(());
        }
        let number: u32 = get(&v, "round").parse().map_err(|_| bad("round: name the round"))?;
        let round = store
            .rounds(id)
            .await?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "round_not_found", format!("no round {number}")))?;
        match action.as_str() {
            "ballot" => {
                let marks = (0..round.candidates.len()).map(|i| !get(&v, &format!("keep{i}")).is_empty()).collect();
                store.add_ballot(&actor, id, number, marks).await?;
            }
            "ballots" => {
                let ballots = parse_ballots(&round.candidates, &get(&v, "csv"))?;
                store.set_ballots(&actor, id, number, ballots).await?;
            }
            "tally" => {
                let votes = (0..round.candidates.len())
                    .map(|i| whole(&v, &format!("votes{i}")))
                    .collect::<Result<Vec<u64>, ApiError>>()?;
                let tally = RoundTally { cast: whole(&v, "cast")?, valid: whole(&v, "valid")?, votes };
                store.set_tally(&actor, id, number, tally).await?;
            }
            "count" => {
                let issued = get(&v, "issued");
                let issued = if issued.trim().is_empty() { None } else { Some(whole(&v, "issued")?) };
                store.count_round(&actor, id, number, issued).await?;
            }
            other => return Err(bad(&format!("action: '{other}' is not a form of this page"))),
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => redirect(&format!("/congresses/elections/{id}?done=1#rounds")),
        Err(e) => {
            let message = ctx.error_text(&e);
            render(&s, &ctx, &caller, id, Some(message), false, e.status).await
        }
    }
}

fn bad(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_ballot", message.to_string())
}

/// A whole number from a field (empty is refused: the form asks for every figure).
fn whole(v: &HashMap<String, String>, name: &str) -> Result<u64, ApiError> {
    let text = get(v, name);
    text.trim().parse().map_err(|_| bad(&format!("{name}: '{}' is not a whole number", text.trim())))
}

#[derive(Template)]
#[template(path = "congress_minutes.html")]
struct MinutesPage {
    tr: Tr,
    title: String,
    back: String,
    congress: String,
    election: String,
    round: String,
    printed: String,
    figures: Vec<(String, String)>,
    rows: Vec<VoteRow>,
    elected: String,
    tied: String,
    next_round: String,
}

/// A counted round's minutes, as a document that prints.
pub async fn minutes_page(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Path((id, number)): axum::extract::Path<(String, String)>,
) -> Response {
    let caller = match ctx.caller() {
        Ok(c) => c,
        Err(r) => return r,
    };
    let tr = ctx.tr;
    let store = s.store.as_ref();
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "round_not_found", "no such counted round");
    let found = async {
        let id: ElectionId = id.parse()?;
        let number: u32 = number.parse().map_err(|_| not_found())?;
        let (e, c, results) = readable_results(store, &caller, id).await?;
        let results = results.ok_or_else(|| {
            ApiError::new(StatusCode::FORBIDDEN, "results_not_published", "the results are not published yet")
        })?;
        let round = results.rounds.into_iter().find(|r| r.number == number).ok_or_else(not_found)?;
        let tally = round.result.clone().ok_or_else(not_found)?;
        Ok::<_, ApiError>((id, round, tally, e, c))
    }
    .await;
    let (id, round, tally, e, c) = match found {
        Ok(x) => x,
        Err(e) => return ctx.api_error_page(e),
    };
    let m = minutes(tr, &tally);
    let mut congress = c.names.get(tr.lang).to_string();
    congress.push_str(&format!(" · {} {}", tr.t("congress-term"), c.term));
    if let Some(h) = c.held_on {
        congress.push_str(&format!(" · {}", tr.date(h)));
    }
    let page = MinutesPage {
        tr,
        title: tr.ta("congress-minutes-of-round", "number", &tr.number(i64::from(round.number))),
        back: format!("/congresses/elections/{id}#round-{}", round.number),
        congress,
        election: e.title,
        round: round_heading(tr, &round),
        printed: tr.date(today()),
        figures: m.figures,
        rows: m.rows,
        elected: m.elected,
        tied: m.tied,
        next_round: m.next_round,
    };
    ctx.page(StatusCode::OK, page)
}
