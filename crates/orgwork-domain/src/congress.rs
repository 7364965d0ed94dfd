//! Congresses: the apportionment of a congress's delegates among the units below, and the
//! counting of an election's ballots, as pure functions.
//!
//! Every comparison is exact: shares and priorities are compared by cross-multiplying whole
//! numbers (`u128`), never as floating point (Huntington-Hill's divisor √(s(s+1)) is compared
//! squared). Where the method cannot decide (units with equal priority contending for fewer
//! seats than they are), the seats are left unassigned and the tie is reported with the units
//! and the number of seats they contend for: a person decides, never the order of a list.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

mod candidates;
mod decisions;
mod delegates;
mod rounds;
mod schedule;
pub use candidates::*;
pub use decisions::*;
pub use delegates::*;
pub use rounds::*;
pub use schedule::*;

/// The most units one apportionment shares seats among, and the most seats.
pub const MAX_UNITS: usize = 100_000;
pub const MAX_SEATS: u64 = 1_000_000;
/// The most members a unit may count (a nation's whole membership is far below).
pub const MAX_MEMBERS: u64 = 1_000_000_000_000;

/// How seats are shared in proportion to members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Largest remainder with the Hare quota.
    Hamilton,
    /// Divisors 1, 2, 3, …
    Dhondt,
    /// Divisors 1, 3, 5, … (s + ½).
    SainteLague,
    /// Divisors √(s(s+1)): 0, √2, √6, …, so every unit with members has a seat first.
    HuntingtonHill,
    /// The party's ratio rule: `base` each plus one per `per` members, one more when the
    /// remainder is over `per`/2; the total follows from the members, it is not fixed.
    Ratio,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "hamilton" | "largest-remainder" | "hare" => Method::Hamilton,
            "dhondt" | "d'hondt" | "jefferson" => Method::Dhondt,
            "sainte-lague" | "webster" => Method::SainteLague,
            "huntington-hill" | "hill" => Method::HuntingtonHill,
            "ratio" => Method::Ratio,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Hamilton => "hamilton",
            Method::Dhondt => "dhondt",
            Method::SainteLague => "sainte-lague",
            Method::HuntingtonHill => "huntington-hill",
            Method::Ratio => "ratio",
        }
    }

    pub const ALL: [Method; 5] =
        [Method::Hamilton, Method::Dhondt, Method::SainteLague, Method::HuntingtonHill, Method::Ratio];
}

/// What an apportionment is asked: the seats, the method, a floor or a base, and the units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Apportion {
    pub method: Method,
    /// The seats to share (for the ratio rule: unused, the total follows from the members).
    pub seats: u64,
    /// At least this many each; the method shares the rest, going on from it (the U.S.
    /// House's rule is Huntington-Hill with 1).
    pub min: u64,
    /// This many each first; the method shares the rest from nothing.
    pub base: u64,
    /// The ratio rule's members per seat.
    pub per: u64,
    /// Delegates on top of those shared (the convening committee's members).
    pub ex_officio: u64,
    /// Each unit's name and members, in the order given.
    pub units: Vec<(String, u64)>,
}

/// One unit's share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub unit: String,
    pub members: u64,
    /// The seats decided for it (without any it contends for in a tie).
    pub seats: u64,
    /// Its exact share of the seats, for display only: seats × members ÷ all members; with a
    /// base of K each first, K + (seats − K × units) × members ÷ all members.
    pub quota: f64,
}

/// Seats the method cannot give: the units contending for them, equal in priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Tie {
    pub units: Vec<String>,
    pub seats: u64,
}

/// An apportionment's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Apportionment {
    pub method: Method,
    /// The seats shared (for the ratio rule: the total it gives).
    pub seats: u64,
    pub min: u64,
    pub base: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<u64>,
    pub members: u64,
    pub allocations: Vec<Allocation>,
    pub ties: Vec<Tie>,
    /// The seats decided (the shared seats less those in ties).
    pub decided: u64,
    pub ex_officio: u64,
    /// The delegates in all: the seats shared and the ex-officio delegates.
    pub total: u64,
}

fn bad(message: String) -> Error {
    Error::invalid("invalid_apportionment", message)
}

/// A text a person writes on the record (a reason, a title): trimmed, of 1 to `max`
/// characters, without control characters (line breaks and tabs allowed when `lines`).
pub fn written(text: &str, max: usize, lines: bool) -> Option<&str> {
    let t = text.trim();
    let control = t.chars().any(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')));
    (!t.is_empty() && t.chars().count() <= max && !control).then_some(t)
}

impl Apportion {
    /// Checks the request's bounds: units named once, seats enough for the floor or base.
    fn check(&self) -> Result<()> {
        if self.units.is_empty() {
            return Err(bad("units: give at least one unit and its members".into()));
        }
        if self.units.len() > MAX_UNITS {
            return Err(bad(format!("units: at most {MAX_UNITS} units")));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, members) in &self.units {
            if name.trim().is_empty() || name.chars().count() > 300 {
                return Err(bad("unit: give each unit a name of 1 to 300 characters".into()));
            }
            if !seen.insert(name.as_str()) {
                return Err(bad(format!("unit: {name} is given twice")));
            }
            if *members > MAX_MEMBERS {
                return Err(bad(format!("members: {name} counts {members} members, more than {MAX_MEMBERS}")));
            }
        }
        if self.ex_officio > MAX_SEATS {
            return Err(bad(format!("ex_officio: at most {MAX_SEATS}")));
        }
        if self.min > MAX_SEATS || self.base > MAX_SEATS {
            return Err(bad(format!("min, base: at most {MAX_SEATS} seats each")));
        }
        if self.min > 0 && self.base > 0 {
            return Err(bad("min, base: give one of them, not both".into()));
        }
        let floor = self.min.max(self.base);
        if self.method == Method::Ratio {
            if self.per == 0 || self.per > MAX_MEMBERS {
                return Err(bad("per: the ratio rule needs the members per seat, 1 or more".into()));
            }
            if self.min > 0 {
                return Err(bad("min: the ratio rule takes a base (--base), not a minimum".into()));
            }
            return Ok(());
        }
        if self.seats == 0 || self.seats > MAX_SEATS {
            return Err(bad(format!("seats: give 1 to {MAX_SEATS} seats")));
        }
        let n = self.units.len() as u128;
        if (floor as u128) * n > self.seats as u128 {
            return Err(bad(format!("seats: {} seats are fewer than {floor} for each of the {n} units", self.seats)));
        }
        Ok(())
    }

    /// Shares the seats.
    pub fn run(&self) -> Result<Apportionment> {
        self.check()?;
        let n = self.units.len();
        let members: Vec<u64> = self.units.iter().map(|(_, m)| *m).collect();
        let total_members: u64 = members.iter().sum();
        let (seats, tie) = match self.method {
            Method::Ratio => (ratio(&members, self.base, self.per), None),
            Method::Hamilton if self.min > 0 => hamilton_with_floor(&members, self.seats, self.min),
            Method::Hamilton => {
                let (mut s, tie) = hamilton(&members, self.seats - self.base * n as u64);
                s.iter_mut().for_each(|x| *x += self.base);
                (s, tie)
            }
            m => {
                let (start, shared) = if self.min > 0 {
                    (vec![self.min; n], self.seats)
                } else {
                    (vec![0; n], self.seats - self.base * n as u64)
                };
                let (mut s, tie) = divisor(m, &members, start, shared);
                s.iter_mut().for_each(|x| *x += self.base);
                (s, tie)
            }
        };
        // A unit's exact entitlement: its share of the seats shared in proportion; with a base
        // (not the ratio rule's) the base first and its share of the rest.
        let shared: u64 = if self.method == Method::Ratio { seats.iter().sum() } else { self.seats };
        let (first, in_proportion) = match self.method {
            Method::Ratio => (0, shared),
            _ => (self.base, shared - self.base * n as u64),
        };
        let allocations = self
            .units
            .iter()
            .zip(&seats)
            .map(|((unit, m), s)| Allocation {
                unit: unit.clone(),
                members: *m,
                seats: *s,
                quota: first as f64
                    + if total_members == 0 { 0.0 } else { in_proportion as f64 * *m as f64 / total_members as f64 },
            })
            .collect();
        let ties: Vec<Tie> = tie
            .into_iter()
            .map(|(idx, seats)| Tie { units: idx.into_iter().map(|i| self.units[i].0.clone()).collect(), seats })
            .collect();
        let decided = seats.iter().sum();
        Ok(Apportionment {
            method: self.method,
            seats: shared,
            min: self.min,
            base: self.base,
            per: (self.method == Method::Ratio).then_some(self.per),
            members: total_members,
            allocations,
            ties,
            decided,
            ex_officio: self.ex_officio,
            total: shared + self.ex_officio,
        })
    }
}

/// The ratio rule: `base` each plus one per `per` members, one more when the remainder is
/// over half of `per`.
fn ratio(members: &[u64], base: u64, per: u64) -> Vec<u64> {
    members
        .iter()
        .map(|m| {
            let (q, r) = (m / per, m % per);
            base + q + u64::from(2 * r as u128 > per as u128)
        })
        .collect()
}

/// A tie: the indices of the units contending, and the seats they contend for.
type Contended = Option<(Vec<usize>, u64)>;

/// Largest remainder (Hare quota): each unit's whole quota, then the seats left to the
/// largest remainders. Remainders are compared as `seats × members mod total` (all over the
/// same total members). With no members at all, every seat is tied among all units.
pub fn hamilton(members: &[u64], seats: u64) -> (Vec<u64>, Contended) {
    let total: u128 = members.iter().map(|m| *m as u128).sum();
    if seats == 0 {
        return (vec![0; members.len()], None);
    }
    if total == 0 {
        return (vec![0; members.len()], Some(((0..members.len()).collect(), seats)));
    }
    let mut out = Vec::with_capacity(members.len());
    let mut rem = Vec::with_capacity(members.len());
    for m in members {
        let p = seats as u128 * *m as u128;
        out.push((p / total) as u64);
        rem.push(p % total);
    }
    let left = seats - out.iter().sum::<u64>();
    if left == 0 {
        return (out, None);
    }
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by(|a, b| rem[*b].cmp(&rem[*a]));
    // The remainder at the cut: those above it win, those equal to it contend when they are
    // more than the seats left for them.
    let cut = rem[order[left as usize - 1]];
    let above: Vec<usize> = order.iter().copied().filter(|i| rem[*i] > cut).collect();
    let at: Vec<usize> = order.iter().copied().filter(|i| rem[*i] == cut).collect();
    for i in &above {
        out[*i] += 1;
    }
    let for_at = left - above.len() as u64;
    if at.len() as u64 == for_at {
        for i in &at {
            out[*i] += 1;
        }
        return (out, None);
    }
    let mut at = at;
    at.sort_unstable();
    (out, Some((at, for_at)))
}

/// Largest remainder with a floor: a unit whose exact quota among the units still sharing is
/// under `min` gets `min` and leaves the sharing, until none does; the others share the rest
/// by largest remainder.
fn hamilton_with_floor(members: &[u64], seats: u64, min: u64) -> (Vec<u64>, Contended) {
    let n = members.len();
    let mut fixed = vec![false; n];
    let mut left = seats;
    loop {
        let free: Vec<usize> = (0..n).filter(|i| !fixed[*i]).collect();
        let total: u128 = free.iter().map(|i| members[*i] as u128).sum();
        if total == 0 {
            // No members left to share by: each gets the floor, the rest is tied among them.
            let (s, tie) = hamilton(&vec![0; free.len()], left - min * free.len() as u64);
            return assemble(n, &fixed, min, &free, s.iter().map(|x| x + min).collect(), tie);
        }
        // quota < min  ⇔  left × m < min × total. Not all can be under: the seats left are
        // at least the floor for each unit still sharing.
        let under: Vec<usize> =
            free.iter().copied().filter(|i| (left as u128) * (members[*i] as u128) < (min as u128) * total).collect();
        if under.is_empty() {
            let sub: Vec<u64> = free.iter().map(|i| members[*i]).collect();
            let (s, tie) = hamilton(&sub, left);
            return assemble(n, &fixed, min, &free, s, tie);
        }
        for i in under {
            fixed[i] = true;
            left -= min;
        }
    }
}

/// The whole allocation from the fixed units (at `min`) and the free units' shares.
fn assemble(
    n: usize,
    fixed: &[bool],
    min: u64,
    free: &[usize],
    shares: Vec<u64>,
    tie: Contended,
) -> (Vec<u64>, Contended) {
    let mut out: Vec<u64> = (0..n).map(|i| if fixed[i] { min } else { 0 }).collect();
    for (k, i) in free.iter().enumerate() {
        out[*i] = shares[k];
    }
    (out, tie.map(|(idx, s)| (idx.into_iter().map(|k| free[k]).collect(), s)))
}

/// A unit's priority for its next seat under a divisor method, holding `s` seats: members
/// over the method's divisor of `s`. Kept as members and seats, compared exactly.
#[derive(Clone, Copy)]
struct Priority {
    method: Method,
    members: u64,
    seats: u64,
}

impl Priority {
    /// Compares `m_a / d(a)` with `m_b / d(b)`; a divisor of 0 (Huntington-Hill's first
    /// seat) is an infinite priority for a unit with members. A unit with no members has
    /// priority 0 whatever it holds.
    fn cmp(&self, other: &Priority) -> Ordering {
        let (ma, mb) = (self.members as u128, other.members as u128);
        match (ma, mb) {
            (0, 0) => return Ordering::Equal,
            (0, _) => return Ordering::Less,
            (_, 0) => return Ordering::Greater,
            _ => {}
        }
        // members ≤ 10^12 and seats ≤ 10^6: every product below is under 10^37 < u128::MAX.
        let (a, b) = (self.seats as u128, other.seats as u128);
        match self.method {
            // m_a / (a+1) vs m_b / (b+1)
            Method::Dhondt => (ma * (b + 1)).cmp(&(mb * (a + 1))),
            // m_a / (2a+1) vs m_b / (2b+1)
            Method::SainteLague => (ma * (2 * b + 1)).cmp(&(mb * (2 * a + 1))),
            // m_a / √(a(a+1)) vs m_b / √(b(b+1)), squared; 0 seats is infinite.
            Method::HuntingtonHill => match (a, b) {
                (0, 0) => Ordering::Equal,
                (0, _) => Ordering::Greater,
                (_, 0) => Ordering::Less,
                _ => (ma * ma * b * (b + 1)).cmp(&(mb * mb * a * (a + 1))),
            },
            Method::Hamilton | Method::Ratio => Ordering::Equal,
        }
    }
}

/// A divisor method, seat by seat: from `start` seats each, `shared` more go one at a time to
/// the highest priority. When several units share the highest priority and fewer seats are
/// left than they are, those seats are the tie.
fn divisor(method: Method, members: &[u64], start: Vec<u64>, shared: u64) -> (Vec<u64>, Contended) {
    let mut seats = start;
    let base_sum: u64 = seats.iter().sum();
    let mut left = shared - base_sum.min(shared);
    let prio = |i: usize, seats: &[u64]| Priority { method, members: members[i], seats: seats[i] };
    // A max-heap by priority; equal priorities are popped together.
    let mut heap: std::collections::BinaryHeap<Entry> = (0..members.len()).map(|i| Entry(prio(i, &seats), i)).collect();
    while left > 0 {
        let Some(top) = heap.pop() else { break };
        let mut group = vec![top.1];
        while let Some(next) = heap.peek() {
            if next.0.cmp(&top.0) == Ordering::Equal {
                group.push(next.1);
                heap.pop();
            } else {
                break;
            }
        }
        if group.len() as u64 > left {
            group.sort_unstable();
            return (seats, Some((group, left)));
        }
        for i in group {
            seats[i] += 1;
            left -= 1;
            heap.push(Entry(prio(i, &seats), i));
        }
    }
    (seats, None)
}

struct Entry(Priority, usize);

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Among equals the lower index first: only the heap's order, never a result (equal
        // priorities are taken together).
        self.0.cmp(&other.0).then_with(|| other.1.cmp(&self.1))
    }
}

// ---------------------------------------------------------------------------------------------
// Ballot counting

/// The number a candidate needs more than half of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// The delegates convened (less those absent from the whole congress).
    Convened,
    /// The delegates present.
    Present,
    /// The valid ballots.
    Valid,
    /// The ballots cast (returned).
    Cast,
}

impl Base {
    pub fn parse(s: &str) -> Option<Base> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "convened" => Base::Convened,
            "present" => Base::Present,
            "valid" => Base::Valid,
            "cast" => Base::Cast,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Base::Convened => "convened",
            Base::Present => "present",
            Base::Valid => "valid",
            Base::Cast => "cast",
        }
    }

    pub const ALL: [Base; 4] = [Base::Convened, Base::Present, Base::Valid, Base::Cast];
}

/// The most candidates on a ballot and the most ballots one count reads.
pub const MAX_CANDIDATES: usize = 10_000;
pub const MAX_BALLOTS: usize = 1_000_000;

/// What a round's count is asked: the seats, the base and the delegates counted, the
/// candidates, and the ballots (each the names it keeps) or the tallies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub seats: u64,
    pub base: Base,
    pub convened: Option<u64>,
    pub present: Option<u64>,
    /// Ballots handed out, when known (for the minutes).
    pub issued: Option<u64>,
    pub candidates: Vec<String>,
    pub votes: Votes,
}

/// The ballots one by one (each a kept-or-not per candidate, in the candidates' order), or
/// the tallies: ballots cast, valid, and each candidate's votes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Votes {
    Ballots(Vec<Vec<bool>>),
    Tally { cast: u64, valid: u64, votes: Vec<u64> },
}

/// A candidate's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct CandidateResult {
    pub name: String,
    pub votes: u64,
    /// More than half of the base.
    pub passed: bool,
    pub elected: bool,
}

/// The next round: the seats still to fill and the candidates who may stand again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct NextRound {
    pub seats: u64,
    pub candidates: Vec<String>,
}

/// A round's result: the minutes' figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Tally {
    pub seats: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<u64>,
    /// Ballots cast (returned).
    pub ballots: u64,
    pub valid: u64,
    pub invalid: u64,
    pub base: Base,
    pub base_count: u64,
    /// The fewest votes that pass: more than half of the base.
    pub threshold: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convened: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<u64>,
    pub candidates: Vec<CandidateResult>,
    /// Those elected, most votes first (the list's order among equals).
    pub elected: Vec<String>,
    /// Those passed but tied at the last seat: none of them is elected.
    pub tied: Vec<String>,
    /// Seats left for a further round (those of a tie included).
    pub unfilled: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_round: Option<NextRound>,
}

fn bad_count(message: String) -> Error {
    Error::invalid("invalid_count", message)
}

impl Count {
    pub fn run(&self) -> Result<Tally> {
        if self.seats == 0 || self.seats > MAX_CANDIDATES as u64 {
            return Err(bad_count(format!("seats: give 1 to {MAX_CANDIDATES} seats")));
        }
        if self.candidates.is_empty() || self.candidates.len() > MAX_CANDIDATES {
            return Err(bad_count(format!("candidates: give 1 to {MAX_CANDIDATES} candidates")));
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.candidates {
            if c.trim().is_empty() || c.chars().count() > 300 {
                return Err(bad_count("candidates: each candidate needs a name of 1 to 300 characters".into()));
            }
            if !seen.insert(c.trim()) {
                return Err(bad_count(format!("candidates: {c} is named twice")));
            }
        }
        let n = self.candidates.len();
        let (ballots, valid, votes) = match &self.votes {
            Votes::Ballots(list) => {
                if list.len() > MAX_BALLOTS {
                    return Err(bad_count(format!("ballots: at most {MAX_BALLOTS}")));
                }
                let mut votes = vec![0u64; n];
                let mut valid = 0u64;
                for (k, b) in list.iter().enumerate() {
                    if b.len() != n {
                        return Err(bad_count(format!(
                            "ballots: ballot {} has {} marks for {n} candidates",
                            k + 1,
                            b.len()
                        )));
                    }
                    let kept = b.iter().filter(|x| **x).count() as u64;
                    if kept <= self.seats {
                        valid += 1;
                        for (v, x) in votes.iter_mut().zip(b) {
                            *v += u64::from(*x);
                        }
                    }
                }
                (list.len() as u64, valid, votes)
            }
            Votes::Tally { cast, valid, votes } => {
                if votes.len() != n {
                    return Err(bad_count(format!("votes: {} tallies for {n} candidates", votes.len())));
                }
                if *cast > MAX_BALLOTS as u64 {
                    return Err(bad_count(format!("cast: at most {MAX_BALLOTS} ballots")));
                }
                if valid > cast {
                    return Err(bad_count(format!("valid: {valid} valid ballots of {cast} cast")));
                }
                for (c, v) in self.candidates.iter().zip(votes) {
                    if v > valid {
                        return Err(bad_count(format!(
                            "votes: {c} has {v} votes, more than the {valid} valid ballots"
                        )));
                    }
                }
                let sum: u128 = votes.iter().map(|v| *v as u128).sum();
                if sum > *valid as u128 * self.seats as u128 {
                    return Err(bad_count(format!(
                        "votes: {sum} votes in all, more than {valid} valid ballots of at most {} names each",
                        self.seats
                    )));
                }
                (*cast, *valid, votes.clone())
            }
        };
        for (what, v) in [("convened", self.convened), ("present", self.present), ("issued", self.issued)] {
            if v.is_some_and(|v| v > MAX_BALLOTS as u64) {
                return Err(bad_count(format!("{what}: at most {MAX_BALLOTS}")));
            }
        }
        if let (Some(c), Some(p)) = (self.convened, self.present)
            && p > c
        {
            return Err(bad_count(format!("present: {p} delegates present of {c} convened")));
        }
        if let Some(p) = self.present
            && ballots > p
        {
            return Err(bad_count(format!("ballots: {ballots} ballots cast by {p} delegates present")));
        }
        if let Some(c) = self.convened
            && ballots > c
        {
            return Err(bad_count(format!("ballots: {ballots} ballots cast by {c} delegates convened")));
        }
        if let Some(i) = self.issued
            && ballots > i
        {
            return Err(bad_count(format!("ballots: {ballots} ballots returned of {i} issued")));
        }
        let base_count = match self.base {
            Base::Convened => self
                .convened
                .ok_or_else(|| bad_count("convened: the base is the delegates convened; give their number".into()))?,
            Base::Present => self
                .present
                .ok_or_else(|| bad_count("present: the base is the delegates present; give their number".into()))?,
            Base::Valid => valid,
            Base::Cast => ballots,
        };
        let (elected, tied) = decide(&votes, base_count, self.seats);
        let is = |list: &[usize], i: usize| list.contains(&i);
        let candidates = self
            .candidates
            .iter()
            .zip(&votes)
            .enumerate()
            .map(|(i, (name, v))| CandidateResult {
                name: name.trim().to_string(),
                votes: *v,
                passed: passes(*v, base_count),
                elected: is(&elected, i),
            })
            .collect::<Vec<_>>();
        let unfilled = self.seats - elected.len() as u64;
        let name = |i: &usize| candidates[*i].name.clone();
        let next_round = (unfilled > 0).then(|| NextRound {
            seats: unfilled,
            candidates: (0..n).filter(|i| !is(&elected, *i)).map(|i| name(&i)).collect(),
        });
        Ok(Tally {
            seats: self.seats,
            issued: self.issued,
            ballots,
            valid,
            invalid: ballots - valid,
            base: self.base,
            base_count,
            threshold: base_count / 2 + 1,
            convened: self.convened,
            present: self.present,
            elected: elected.iter().map(name).collect(),
            tied: tied.iter().map(name).collect(),
            unfilled,
            next_round: next_round.filter(|r| !r.candidates.is_empty()),
            candidates,
        })
    }
}

/// More than half of the base: 2v > base.
pub fn passes(votes: u64, base: u64) -> bool {
    2 * votes as u128 > base as u128
}

/// Who is elected and who is tied at the last seat: of those passing, the most votes win; if
/// more pass than seats and the last seat's votes are shared by one beyond it, none of those
/// with that many votes is elected. Elected most votes first (the list's order among equals).
pub fn decide(votes: &[u64], base: u64, seats: u64) -> (Vec<usize>, Vec<usize>) {
    let mut passed: Vec<usize> = (0..votes.len()).filter(|i| passes(votes[*i], base)).collect();
    passed.sort_by(|a, b| votes[*b].cmp(&votes[*a]).then(a.cmp(b)));
    let seats = seats as usize;
    if passed.len() <= seats {
        return (passed, vec![]);
    }
    let cut = votes[passed[seats - 1]];
    if votes[passed[seats]] != cut {
        passed.truncate(seats);
        return (passed, vec![]);
    }
    let elected = passed.iter().copied().filter(|i| votes[*i] > cut).collect();
    let tied = passed.iter().copied().filter(|i| votes[*i] == cut).collect();
    (elected, tied)
}

// ---------------------------------------------------------------------------------------------
// Files: the units and their members, the ballots, the tallies

fn heading_index(heading: &[String], name: &str) -> Option<usize> {
    heading.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}

fn whole(cell: &str) -> Option<u64> {
    let t: String = cell.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '_')).collect();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) { None } else { t.parse().ok() }
}

fn blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// The units and their members from a table whose heading names `unit` and `members` (other
/// columns are ignored; blank rows are skipped).
pub fn units_from_cells(cells: &[Vec<String>]) -> Result<Vec<(String, u64)>> {
    let Some((heading, rows)) = cells.split_first() else {
        return Err(bad("file: it is empty; give a heading row unit,members and a row per unit".into()));
    };
    let (Some(u), Some(m)) = (heading_index(heading, "unit"), heading_index(heading, "members")) else {
        return Err(bad("file: the heading row needs the columns unit and members".into()));
    };
    let mut out = vec![];
    for (k, row) in rows.iter().enumerate() {
        if blank(row) {
            continue;
        }
        let line = k + 2;
        let unit = row.get(u).map(|c| c.trim().to_string()).unwrap_or_default();
        if unit.is_empty() {
            return Err(bad(format!("row {line}: the unit is empty")));
        }
        let cell = row.get(m).map(String::as_str).unwrap_or("");
        let members =
            whole(cell).ok_or_else(|| bad(format!("row {line}: members '{}' is not a whole number", cell.trim())))?;
        out.push((unit, members));
        if out.len() > MAX_UNITS {
            return Err(bad(format!("file: at most {MAX_UNITS} units")));
        }
    }
    Ok(out)
}

/// The candidates (the heading row) and the ballots (each further row: 1 for a name kept, 0
/// or empty for one crossed out).
pub fn ballots_from_cells(cells: &[Vec<String>]) -> Result<(Vec<String>, Vec<Vec<bool>>)> {
    let Some((heading, rows)) = cells.split_first() else {
        return Err(bad_count("ballots: the file is empty; its heading row names the candidates".into()));
    };
    let candidates: Vec<String> =
        heading.iter().map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_string()).collect();
    if rows.len() > MAX_BALLOTS {
        return Err(bad_count(format!("ballots: at most {MAX_BALLOTS}")));
    }
    let n = candidates.len();
    let mut ballots = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let line = k + 2;
        if row.len() > n && row[n..].iter().any(|c| !c.trim().is_empty()) {
            return Err(bad_count(format!("row {line}: more marks than the {n} candidates of the heading")));
        }
        let mut b = Vec::with_capacity(n);
        for (i, name) in candidates.iter().enumerate() {
            let c = row.get(i).map(|c| c.trim()).unwrap_or("");
            b.push(match c {
                "1" => true,
                "0" | "" => false,
                other => {
                    return Err(bad_count(format!(
                        "row {line}, {name}: '{other}' is not a mark; write 1 for a name kept, 0 or nothing for one \
                         crossed out"
                    )));
                }
            });
        }
        ballots.push(b);
    }
    Ok((candidates, ballots))
}

/// The candidates and their votes from a table whose heading names `candidate` and `votes`.
pub fn tally_from_cells(cells: &[Vec<String>]) -> Result<(Vec<String>, Vec<u64>)> {
    let Some((heading, rows)) = cells.split_first() else {
        return Err(bad_count("tally: the file is empty; give a heading row candidate,votes".into()));
    };
    let (Some(c), Some(v)) = (heading_index(heading, "candidate"), heading_index(heading, "votes")) else {
        return Err(bad_count("tally: the heading row needs the columns candidate and votes".into()));
    };
    let (mut names, mut votes) = (vec![], vec![]);
    for (k, row) in rows.iter().enumerate() {
        if blank(row) {
            continue;
        }
        let line = k + 2;
        let name = row.get(c).map(|x| x.trim().to_string()).unwrap_or_default();
        let cell = row.get(v).map(String::as_str).unwrap_or("");
        let n = whole(cell)
            .ok_or_else(|| bad_count(format!("row {line}: votes '{}' is not a whole number", cell.trim())))?;
        names.push(name);
        votes.push(n);
        if names.len() > MAX_CANDIDATES {
            return Err(bad_count(format!("tally: at most {MAX_CANDIDATES} candidates")));
        }
    }
    Ok((names, votes))
}

// ---------------------------------------------------------------------------------------------
// Candidate lists

/// The profile's election rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ElectionRules {
    /// The base a candidate needs more than half of.
    #[serde(default = "default_base")]
    pub base: Base,
    /// The list may hold at most this many percent more candidates than seats.
    #[serde(default = "default_surplus")]
    pub max_surplus_percent: u32,
    /// The surplus the convening committee is advised to prepare, in percent (from, to).
    #[serde(default = "default_advised")]
    pub advised_surplus_percent: [u32; 2],
    /// A nomination from the floor enters the list with the support of more than this
    /// percent of the delegates present.
    #[serde(default = "default_floor")]
    pub floor_nomination_percent: u32,
    /// A unit's congress comes at least this many days after each of its children's.
    #[serde(default = "default_margin")]
    pub schedule_margin_days: u32,
}

fn default_base() -> Base {
    Base::Convened
}
fn default_surplus() -> u32 {
    30
}
fn default_advised() -> [u32; 2] {
    [10, 15]
}
fn default_floor() -> u32 {
    30
}
fn default_margin() -> u32 {
    1
}

impl Default for ElectionRules {
    fn default() -> Self {
        ElectionRules {
            base: default_base(),
            max_surplus_percent: default_surplus(),
            advised_surplus_percent: default_advised(),
            floor_nomination_percent: default_floor(),
            schedule_margin_days: default_margin(),
        }
    }
}

/// What the surplus rule says of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ListCheck {
    pub seats: u64,
    pub candidates: u64,
    /// More candidates than seats, and at most the maximum surplus more.
    pub ok: bool,
    /// The fewest and the most candidates the rule allows.
    pub least: u64,
    pub most: u64,
    /// The advised range (the convening committee's preparation): from, to.
    pub advised_least: u64,
    pub advised_most: u64,
    pub within_advice: bool,
    /// The profile's percentages the verdict follows.
    pub max_surplus_percent: u32,
    pub advised_surplus_percent: [u32; 2],
    pub floor_nomination_percent: u32,
    /// Whether a nomination from the floor enters, when its support was asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor_nomination_enters: Option<bool>,
}

/// The surplus rule: candidates > seats and candidates ≤ seats × (100 + max) / 100, rounded
/// down, but never fewer than one more than the seats (for few seats the percentage allows
/// no whole candidate, and a list must still exceed the seats).
pub fn check_list(rules: &ElectionRules, seats: u64, candidates: u64) -> ListCheck {
    let most = (seats * (100 + rules.max_surplus_percent as u64) / 100).max(seats + 1);
    // The advised range, in whole candidates: at least seats × (100 + from) / 100 rounded up.
    let [from, to] = rules.advised_surplus_percent;
    let lo = (seats * (100 + from as u64)).div_ceil(100).max(seats + 1);
    let hi = (seats * (100 + to as u64) / 100).max(lo);
    ListCheck {
        seats,
        candidates,
        ok: candidates > seats && candidates <= most,
        least: seats + 1,
        most,
        advised_least: lo,
        advised_most: hi,
        within_advice: (lo..=hi).contains(&candidates),
        max_surplus_percent: rules.max_surplus_percent,
        advised_surplus_percent: rules.advised_surplus_percent,
        floor_nomination_percent: rules.floor_nomination_percent,
        floor_nomination_enters: None,
    }
}

/// A nomination from the floor enters with support of more than the profile's share of the
/// delegates present: support × 100 > percent × present.
pub fn floor_nomination_enters(rules: &ElectionRules, support: u64, present: u64) -> bool {
    support as u128 * 100 > rules.floor_nomination_percent as u128 * present as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(method: Method, seats: u64, units: &[u64]) -> Apportion {
        Apportion {
            method,
            seats,
            min: 0,
            base: 0,
            per: 0,
            ex_officio: 0,
            units: units.iter().enumerate().map(|(i, m)| (format!("U{i}"), *m)).collect(),
        }
    }

    fn seats(a: &Apportionment) -> Vec<u64> {
        a.allocations.iter().map(|x| x.seats).collect()
    }

    #[test]
    fn textbook_cases() {
        // Parties of 47,000, 16,000, 15,800, 12,000, 6,100, 3,100 for 10 seats.
        let v = [47_000, 16_000, 15_800, 12_000, 6_100, 3_100];
        assert_eq!(seats(&ask(Method::Hamilton, 10, &v).run().unwrap()), [5, 2, 1, 1, 1, 0]);
        assert_eq!(seats(&ask(Method::Dhondt, 10, &v).run().unwrap()), [5, 2, 2, 1, 0, 0]);
        assert_eq!(seats(&ask(Method::SainteLague, 10, &v).run().unwrap()), [4, 2, 2, 1, 1, 0]);
        // Huntington-Hill gives every unit with members a seat first.
        assert_eq!(seats(&ask(Method::HuntingtonHill, 6, &v).run().unwrap()), [1, 1, 1, 1, 1, 1]);
    }

    #[test]
    fn ties_leave_the_seats_open() {
        let a = ask(Method::Hamilton, 1, &[10, 10]).run().unwrap();
        assert_eq!(seats(&a), [0, 0]);
        assert_eq!(a.ties, [Tie { units: vec!["U0".into(), "U1".into()], seats: 1 }]);
        let a = ask(Method::Dhondt, 3, &[10, 10, 5]).run().unwrap();
        // 10, 10 take two seats; then 5/1 = 5, 10/2 = 5, 10/2 = 5: three for one seat.
        assert_eq!(seats(&a), [1, 1, 0]);
        assert_eq!(a.ties[0].seats, 1);
        assert_eq!(a.ties[0].units.len(), 3);
        assert_eq!(a.decided, 2);
    }

    #[test]
    fn floors_and_bases() {
        let mut a = ask(Method::HuntingtonHill, 10, &[1_000, 10, 10]);
        a.min = 2;
        assert_eq!(seats(&a.run().unwrap()), [6, 2, 2]);
        let mut a = ask(Method::Dhondt, 10, &[1_000, 10, 10]);
        a.base = 1;
        assert_eq!(seats(&a.run().unwrap()), [8, 1, 1]);
        let mut a = ask(Method::Hamilton, 10, &[1_000, 10, 10]);
        a.min = 1;
        assert_eq!(seats(&a.run().unwrap()), [8, 1, 1]);
        let mut a = ask(Method::Hamilton, 2, &[1, 1, 1]);
        a.min = 1;
        assert_eq!(a.run().unwrap_err().code, "invalid_apportionment");
        // With a base, a unit's quota is the base and its share of the rest: 8 seats, 2 each
        // first, the other 4 shared 10 : 30.
        let mut a = ask(Method::Hamilton, 8, &[10, 30]);
        a.base = 2;
        let r = a.run().unwrap();
        assert_eq!(r.allocations.iter().map(|x| x.quota).collect::<Vec<_>>(), [3.0, 5.0]);
        assert_eq!((seats(&r), r.seats, r.total), (vec![3, 5], 8, 8));
    }

    #[test]
    fn the_ratio_rule() {
        // 13 each plus one per 12,000, one more over 6,000.
        let mut a = ask(Method::Ratio, 0, &[12_000, 18_000, 18_001, 5_999]);
        a.base = 13;
        a.per = 12_000;
        a.ex_officio = 200;
        let r = a.run().unwrap();
        assert_eq!(seats(&r), [14, 14, 15, 13]);
        assert_eq!(r.seats, 56);
        assert_eq!(r.total, 256);
    }

    #[test]
    fn counting() {
        let c = Count {
            seats: 2,
            base: Base::Valid,
            convened: None,
            present: None,
            issued: None,
            candidates: vec!["A".into(), "B".into(), "C".into()],
            votes: Votes::Ballots(vec![
                vec![true, true, false],
                vec![true, false, true],
                vec![true, true, true], // invalid: three names for two seats
                vec![false, true, true],
            ]),
        };
        let t = c.run().unwrap();
        assert_eq!((t.ballots, t.valid, t.invalid), (4, 3, 1));
        // A 2, B 2, C 2 of 3 valid: all pass, three for two seats, all tied.
        assert_eq!(t.elected, Vec::<String>::new());
        assert_eq!(t.tied, ["A", "B", "C"]);
        assert_eq!(t.unfilled, 2);
        assert_eq!(t.threshold, 2);
        let c = Count { base: Base::Convened, convened: Some(5), ..c };
        let t = c.run().unwrap();
        assert!(t.candidates.iter().all(|x| !x.passed), "2 of 5 convened is not more than half");
        assert_eq!(t.unfilled, 2);
        assert_eq!(t.next_round.unwrap().candidates.len(), 3);
    }

    #[test]
    fn list_rules() {
        let r = ElectionRules::default();
        let c = check_list(&r, 10, 13);
        assert!(c.ok && !c.within_advice);
        assert_eq!((c.least, c.most, c.advised_least, c.advised_most), (11, 13, 11, 11));
        assert!(!check_list(&r, 10, 14).ok);
        assert!(!check_list(&r, 10, 10).ok);
        assert!(floor_nomination_enters(&r, 31, 100));
        assert!(!floor_nomination_enters(&r, 30, 100));
    }
}
