//! Congresses: the terms, each unit's congress in a term (planned, held or cancelled), the
//! schedule and its check, and what apportionment reads of the register (the rules are
//! `orgwork_domain::congress`).

use super::*;
use orgwork_domain::congress::{
    Allocation, Apportionment, Breach, Candidate, CongressKind, CongressStatus, Credentials, Delegate, ListReview,
    Method, Round, RoundTally, TermCode, TieDecision,
};

/// A term: from one year to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Term {
    /// `2025-2030`.
    pub code: String,
    pub from: i32,
    pub to: i32,
    /// Its congresses on the record (of every unit), planned or held or cancelled.
    pub congresses: u64,
}

/// A unit's congress in a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Congress {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: CongressId,
    pub term: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    /// The unit's names on the congress's day.
    pub names: Names,
    /// The unit's kind on that day: the congress's level.
    pub level: String,
    pub kind: CongressKind,
    /// Its number in the unit's series (the 16th provincial congress).
    pub number: Option<u32>,
    pub planned_on: NaiveDate,
    pub held_on: Option<NaiveDate>,
    pub pilot: bool,
    pub status: CongressStatus,
    /// Why it was cancelled.
    pub reason: Option<String>,
}

impl Congress {
    /// The day it stands on: held, else planned.
    pub fn on(&self) -> NaiveDate {
        self.held_on.unwrap_or(self.planned_on)
    }
}

/// A congress to plan.
#[derive(Debug, Clone)]
pub struct NewCongress {
    pub term: TermCode,
    pub unit: UnitCode,
    pub kind: CongressKind,
    pub number: Option<u32>,
    pub planned_on: NaiveDate,
    pub pilot: bool,
}

/// What a change of a planned congress may set: its day, its pilot flag, its kind, its number.
#[derive(Debug, Clone, Default)]
pub struct CongressChange {
    pub planned_on: Option<NaiveDate>,
    pub pilot: Option<bool>,
    pub kind: Option<CongressKind>,
    pub number: Option<u32>,
}

/// A term's congresses in a unit's subtree, in the order of their days, with the breaches of
/// the schedule check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub term: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    /// The day whose tree gives the subtree.
    pub as_of: NaiveDate,
    pub margin_days: u32,
    pub congresses: Vec<Congress>,
    /// Units of the subtree on `as_of` with no congress in the term (or only a cancelled one).
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub without: Vec<UnitCode>,
    pub breaches: Vec<Breach>,
    /// Whether no rule is broken.
    pub passed: bool,
}

/// A congress's delegates in the list's order, and the counts their credentials give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct DelegateList {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub congress: CongressId,
    pub delegates: Vec<Delegate>,
    pub credentials: Credentials,
}

/// One body a congress elects (its committee, its delegates to the congress above), with its
/// seats, its candidate list and the list's review (on the delegates present recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Election {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: ElectionId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub congress: CongressId,
    pub title: String,
    pub seats: u64,
    pub candidates: Vec<Candidate>,
    pub review: ListReview,
    /// When its results were published to every reader (until then only those who may
    /// change the congress read its rounds).
    pub published_at: Option<String>,
    /// Its rounds on the record so far.
    pub rounds: u32,
}

/// What a congress's apportionment is asked: the method and its figures, and the day the
/// members of the units below are counted on.
#[derive(Debug, Clone)]
pub struct ApportionAsk {
    pub method: Method,
    pub seats: u64,
    pub min: u64,
    pub base: u64,
    pub per: u64,
    pub ex_officio: u64,
    pub as_of: NaiveDate,
}

/// A tie decided: by whom, when, and the decision with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Decided {
    #[serde(flatten)]
    pub decision: TieDecision,
    pub by: String,
    pub at: String,
}

/// A congress's apportionment on the record: the method's result, the names of the units
/// then, the ties decided, and the shares with those decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct CongressApportionment {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub congress: CongressId,
    /// The day the members were counted on.
    pub as_of: NaiveDate,
    pub apportionment: Apportionment,
    /// Each allocation's unit's names on `as_of`, in the allocations' order.
    pub names: Vec<Names>,
    pub decisions: Vec<Decided>,
    /// Each unit's seats with the decisions applied.
    pub shares: Vec<Allocation>,
    /// Seats of ties not decided yet.
    pub open_seats: u64,
}

/// Terms and congresses.
#[async_trait]
pub trait CongressStore: Send + Sync {
    /// Every term, the latest first.
    async fn terms(&self) -> Result<Vec<Term>>;
    /// Plans a unit's congress in a term: the unit must be live on the planned day, the day
    /// within the term, and the unit may have one congress a term. The first congress of a
    /// term opens the term, which may not overlap another.
    async fn plan_congress(&self, actor: &Actor, new: NewCongress) -> Result<Congress>;
    /// Changes a planned congress (not one held or cancelled).
    async fn change_congress(&self, actor: &Actor, id: CongressId, change: CongressChange) -> Result<Congress>;
    /// Records a planned congress held on a day (within the term, the unit live then).
    async fn hold_congress(&self, actor: &Actor, id: CongressId, on: NaiveDate) -> Result<Congress>;
    /// Cancels a planned congress, with the reason.
    async fn cancel_congress(&self, actor: &Actor, id: CongressId, reason: &str) -> Result<Congress>;
    async fn congress(&self, id: CongressId) -> Result<Congress>;
    /// The term's congresses of the units in `unit`'s subtree on `as_of`, with the schedule
    /// check (each congress's children taken on its own day; a congress's level for the
    /// pilots is its unit's depth below `unit` on `as_of`; the margin from the profile).
    async fn schedule(&self, term: TermCode, unit: &UnitCode, as_of: NaiveDate) -> Result<Schedule>;
    /// Replaces a congress's list of delegates (not a cancelled congress's): checked by
    /// `check_delegates`, each delegate's unit live on the congress's day and in its unit's
    /// subtree then.
    async fn set_delegates(&self, actor: &Actor, id: CongressId, list: Vec<Delegate>) -> Result<DelegateList>;
    async fn delegates(&self, id: CongressId) -> Result<DelegateList>;
    /// A new election at a congress (not a cancelled one): what is elected, and the seats.
    async fn create_election(&self, actor: &Actor, congress: CongressId, title: &str, seats: u64) -> Result<Election>;
    /// Replaces an election's candidate list (`check_candidates`, support measured against the
    /// delegates present on the record).
    async fn set_candidates(&self, actor: &Actor, id: ElectionId, list: Vec<Candidate>) -> Result<Election>;
    async fn election(&self, id: ElectionId) -> Result<Election>;
    /// The congress an election is held at (without reading its list).
    async fn election_congress(&self, id: ElectionId) -> Result<CongressId>;
    /// A congress's elections, in the order created.
    async fn elections(&self, congress: CongressId) -> Result<Vec<Election>>;
    /// Opens an election's first round from its list's ballot (`first_round`: the list must
    /// keep the surplus rule); the list is frozen from then on.
    async fn open_round(&self, actor: &Actor, election: ElectionId) -> Result<Round>;
    /// An election's rounds, the first first.
    async fn rounds(&self, election: ElectionId) -> Result<Vec<Round>>;
    /// Enters one ballot (a mark per name, in the round's order) in an open round entered
    /// ballot by ballot (or not entered yet); at most as many ballots as delegates present.
    async fn add_ballot(&self, actor: &Actor, election: ElectionId, round: u32, marks: Vec<bool>) -> Result<Round>;
    /// Replaces an open round's votes by these ballots (checked as the count checks them).
    async fn set_ballots(
        &self,
        actor: &Actor,
        election: ElectionId,
        round: u32,
        ballots: Vec<Vec<bool>>,
    ) -> Result<Round>;
    /// Replaces an open round's votes by tallies (checked as the count checks them).
    async fn set_tally(&self, actor: &Actor, election: ElectionId, round: u32, tally: RoundTally) -> Result<Round>;
    /// Counts an open round on the profile's base with the congress's credentials, keeps
    /// the figures, and opens the next round when seats are unfilled and candidates remain
    /// (up to `MAX_ROUNDS`). Returns every round.
    async fn count_round(
        &self,
        actor: &Actor,
        election: ElectionId,
        round: u32,
        issued: Option<u64>,
    ) -> Result<Vec<Round>>;
    /// Shares a congress of delegates' seats among the units directly below its unit, from
    /// their members on `ask.as_of` (not after today), and records it, replacing any record
    /// (and its decisions) before.
    async fn apportion_congress(
        &self,
        actor: &Actor,
        congress: CongressId,
        ask: ApportionAsk,
    ) -> Result<CongressApportionment>;
    /// The congress's apportionment on the record, if any.
    async fn congress_apportionment(&self, congress: CongressId) -> Result<Option<CongressApportionment>>;
    /// Records a person's decision of one of the recorded apportionment's ties (`check_decision`).
    async fn decide_tie(
        &self,
        actor: &Actor,
        congress: CongressId,
        decision: TieDecision,
    ) -> Result<CongressApportionment>;
    /// Publishes an election's results (at least one round counted) to every reader.
    async fn publish_results(&self, actor: &Actor, election: ElectionId) -> Result<Election>;
}

/// The units directly below `unit` on `as_of`, each with its members then (its subtree's
/// total), in the tree's order: the bases a congress's delegates are shared on.
pub async fn members_below(store: &dyn Store, unit: &UnitCode, as_of: NaiveDate) -> Result<Vec<(Unit, u64)>> {
    store.totals_below(unit, as_of).await
}
