//! An election's rounds on the record: the first opened from the candidate list's ballot, the
//! votes entered ballot by ballot or as tallies, the count under the profile's base with the
//! congress's credentials, and a further round opened with the seats still unfilled and the
//! candidates not elected.

use super::{Base, Count, Credentials, ListReview, Tally, Votes};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The most rounds one election holds.
pub const MAX_ROUNDS: u32 = 20;

/// Whether a round is still taking votes, or counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    Open,
    Counted,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Counted => "counted",
        }
    }

    pub fn parse(s: &str) -> Option<RoundStatus> {
        match s {
            "open" => Some(RoundStatus::Open),
            "counted" => Some(RoundStatus::Counted),
            _ => None,
        }
    }
}

/// How a round's votes are entered: not yet, ballot by ballot, or as tallies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoteEntry {
    None,
    Ballots,
    Tally,
}

impl VoteEntry {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteEntry::None => "none",
            VoteEntry::Ballots => "ballots",
            VoteEntry::Tally => "tally",
        }
    }

    pub fn parse(s: &str) -> Option<VoteEntry> {
        match s {
            "none" => Some(VoteEntry::None),
            "ballots" => Some(VoteEntry::Ballots),
            "tally" => Some(VoteEntry::Tally),
            _ => None,
        }
    }
}

/// The tallies of a round: ballots cast (returned), the valid ones, each candidate's votes in
/// the round's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct RoundTally {
    pub cast: u64,
    pub valid: u64,
    pub votes: Vec<u64>,
}

/// One round of an election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Round {
    pub number: u32,
    /// The seats this round fills.
    pub seats: u64,
    /// The names on its ballot, in the ballot's order.
    pub candidates: Vec<String>,
    pub status: RoundStatus,
    /// Ballots handed out, when recorded.
    pub issued: Option<u64>,
    pub entry: VoteEntry,
    /// Ballots entered one by one so far.
    pub ballots: u64,
    /// The tallies entered, when entered as tallies.
    pub tally: Option<RoundTally>,
    /// The count, once counted: the minutes' figures.
    pub result: Option<Tally>,
}

fn bad(message: String) -> Error {
    Error::invalid("invalid_ballot", message)
}

/// The first round: the list's ballot for the election's seats, if the list keeps the
/// surplus rule (a list outside it does not go to the vote).
pub fn first_round(review: &ListReview) -> Result<(u64, Vec<String>)> {
    let k = &review.check;
    if !k.ok {
        return Err(Error::conflict(
            "list_not_ready",
            format!(
                "candidates: {} stand for {} seats; the rule asks for {} to {} before the vote",
                k.candidates, k.seats, k.least, k.most
            ),
        ));
    }
    Ok((review.seats, review.ballot.clone()))
}

/// One ballot's marks from the names it keeps (each a candidate of the round, once).
pub fn marks_from_kept(candidates: &[String], kept: &[String]) -> Result<Vec<bool>> {
    let mut marks = vec![false; candidates.len()];
    for name in kept {
        let name = name.trim();
        let i = candidates
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| bad(format!("kept: {name} is not a candidate of this round")))?;
        if marks[i] {
            return Err(bad(format!("kept: {name} is named twice")));
        }
        marks[i] = true;
    }
    Ok(marks)
}

/// Where each of a file's columns stands on the round's ballot: the heading must name every
/// candidate of the round once, in any order.
fn columns(candidates: &[String], heading: &[String]) -> Result<Vec<usize>> {
    if heading.len() != candidates.len() {
        return Err(bad(format!(
            "candidates: the file names {} candidates; this round has {}",
            heading.len(),
            candidates.len()
        )));
    }
    let mut at = vec![usize::MAX; heading.len()];
    for (j, h) in heading.iter().enumerate() {
        let h = h.trim();
        let i = candidates
            .iter()
            .position(|c| c == h)
            .ok_or_else(|| bad(format!("candidates: {h} is not a candidate of this round")))?;
        if at.contains(&i) {
            return Err(bad(format!("candidates: {h} is named twice")));
        }
        at[j] = i;
    }
    Ok(at)
}

/// Ballots read with a heading (`ballots_from_cells`) put in the round's order.
pub fn order_ballots(candidates: &[String], heading: &[String], ballots: Vec<Vec<bool>>) -> Result<Vec<Vec<bool>>> {
    let at = columns(candidates, heading)?;
    Ok(ballots
        .into_iter()
        .map(|b| {
            let mut out = vec![false; at.len()];
            for (j, x) in b.into_iter().enumerate() {
                out[at[j]] = x;
            }
            out
        })
        .collect())
}

/// Tallies read by name (`tally_from_cells`) put in the round's order.
pub fn order_votes(candidates: &[String], names: &[String], votes: &[u64]) -> Result<Vec<u64>> {
    let at = columns(candidates, names)?;
    let mut out = vec![0; at.len()];
    for (j, v) in votes.iter().enumerate() {
        out[at[j]] = *v;
    }
    Ok(out)
}

/// A ballot as stored: a 1 or 0 per candidate, in the round's order.
pub fn encode_marks(marks: &[bool]) -> String {
    marks.iter().map(|m| if *m { '1' } else { '0' }).collect()
}

pub fn decode_marks(text: &str) -> Vec<bool> {
    text.chars().map(|c| c == '1').collect()
}

/// Counts a round: its ballots (when entered one by one) or its tallies, on the profile's
/// base, with the congress's delegates convened and present.
pub fn count_round(round: &Round, ballots: Vec<Vec<bool>>, base: Base, credentials: &Credentials) -> Result<Tally> {
    let votes = match (round.entry, &round.tally) {
        (VoteEntry::Ballots, _) => Votes::Ballots(ballots),
        (VoteEntry::Tally, Some(t)) => Votes::Tally { cast: t.cast, valid: t.valid, votes: t.votes.clone() },
        _ => {
            return Err(Error::conflict(
                "round_empty",
                format!("round {}: enter its ballots or its tallies before counting it", round.number),
            ));
        }
    };
    Count {
        seats: round.seats,
        base,
        convened: Some(credentials.convened),
        present: Some(credentials.present),
        issued: round.issued,
        candidates: round.candidates.clone(),
        votes,
    }
    .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn round(entry: VoteEntry, tally: Option<RoundTally>) -> Round {
        Round {
            number: 1,
            seats: 2,
            candidates: names(&["An", "Bình", "Chi"]),
            status: RoundStatus::Open,
            issued: Some(10),
            entry,
            ballots: 0,
            tally,
            result: None,
        }
    }

    fn credentials(convened: u64, present: u64) -> Credentials {
        Credentials { convened, present, ..Credentials::default() }
    }

    #[test]
    fn ballots_by_name_and_by_file_land_in_the_rounds_order() {
        let c = names(&["An", "Bình", "Chi"]);
        assert_eq!(marks_from_kept(&c, &names(&["Chi", "An"])).unwrap(), [true, false, true]);
        assert!(marks_from_kept(&c, &names(&["Dung"])).unwrap_err().message.contains("Dung"));
        assert!(marks_from_kept(&c, &names(&["An", "An"])).unwrap_err().message.contains("twice"));
        let b = order_ballots(&c, &names(&["Chi", "An", "Bình"]), vec![vec![true, false, false]]).unwrap();
        assert_eq!(b, [[false, false, true]]);
        assert!(order_ballots(&c, &names(&["Chi", "An"]), vec![]).is_err());
        assert_eq!(order_votes(&c, &names(&["Bình", "Chi", "An"]), &[5, 6, 7]).unwrap(), [7, 5, 6]);
        assert_eq!(decode_marks(&encode_marks(&[true, false, true])), [true, false, true]);
    }

    #[test]
    fn a_tie_at_the_last_seat_opens_a_further_round() {
        // 2 seats, 10 convened: An 8, Bình 6, Chi 6; both tie for the second seat.
        let t = RoundTally { cast: 10, valid: 10, votes: vec![8, 6, 6] };
        let tally =
            count_round(&round(VoteEntry::Tally, Some(t)), vec![], Base::Convened, &credentials(10, 10)).unwrap();
        assert_eq!(tally.elected, ["An"]);
        assert_eq!(tally.tied, ["Bình", "Chi"]);
        let next = tally.next_round.unwrap();
        assert_eq!((next.seats, next.candidates), (1, names(&["Bình", "Chi"])));
    }

    #[test]
    fn an_empty_round_is_not_counted() {
        let e = count_round(&round(VoteEntry::None, None), vec![], Base::Convened, &credentials(10, 10)).unwrap_err();
        assert_eq!(e.code, "round_empty");
        let b = vec![vec![true, true, false]; 11];
        let e = count_round(&round(VoteEntry::Ballots, None), b, Base::Convened, &credentials(10, 10)).unwrap_err();
        assert!(e.message.contains("11 ballots"), "{}", e.message);
    }
}
