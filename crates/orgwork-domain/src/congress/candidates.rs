//! An election's candidate list: the convening committee's candidates, nominations from the
//! floor (entering with the support of more than the profile's share of the delegates
//! present), withdrawals; and the surplus rule applied to those standing.

use super::{ElectionRules, ListCheck, check_list, floor_nomination_enters};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The most candidates one list holds, and the most seats one election fills.
pub const MAX_CANDIDATES: usize = 2_000;
pub const MAX_ELECTION_SEATS: u64 = 10_000;

/// Who put a candidate forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Nomination {
    /// The convening committee's list.
    List,
    /// A nomination from the floor, with its support.
    Floor,
}

/// A candidate of the list, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub name: String,
    pub nomination: Nomination,
    /// For a nomination from the floor: the delegates supporting it.
    #[serde(default)]
    pub support: Option<u64>,
    #[serde(default)]
    pub withdrawn: bool,
}

/// A candidate as the list's review sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Standing {
    pub name: String,
    pub nomination: Nomination,
    pub support: Option<u64>,
    pub withdrawn: bool,
    /// For a nomination from the floor: whether its support enters it on the list.
    pub enters: Option<bool>,
    /// On the ballot: not withdrawn, and on the committee's list or entered from the floor.
    pub stands: bool,
}

/// The list reviewed: each candidate, those on the ballot, and the surplus rule on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct ListReview {
    pub seats: u64,
    /// The delegates present the floor's support is measured against.
    pub present: u64,
    pub candidates: Vec<Standing>,
    /// The names on the ballot, in the list's order.
    pub ballot: Vec<String>,
    pub check: ListCheck,
}

/// Checks a list: names of 1 to 200 characters without control characters, each once;
/// support only for a nomination from the floor, and at most the delegates present.
pub fn check_candidates(list: &[Candidate], present: u64) -> Result<()> {
    let bad = |n: usize, why: String| Error::invalid("invalid_candidate", format!("candidate {n}: {why}"));
    if list.len() > MAX_CANDIDATES {
        return Err(Error::invalid("invalid_candidate", format!("candidates: at most {MAX_CANDIDATES}")));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, c) in list.iter().enumerate() {
        let n = i + 1;
        let Some(name) = super::written(&c.name, super::MAX_NAME, false) else {
            return Err(bad(n, format!("a name of 1 to {} characters, without control characters", super::MAX_NAME)));
        };
        if !seen.insert(name.to_string()) {
            return Err(bad(n, format!("{name} is on the list already")));
        }
        match (c.nomination, c.support) {
            (Nomination::List, Some(_)) => return Err(bad(n, "support is for a nomination from the floor".into())),
            (Nomination::Floor, None) => return Err(bad(n, "a nomination from the floor needs its support".into())),
            (Nomination::Floor, Some(s)) if s > present => {
                return Err(bad(n, format!("support {s} is more than the {present} delegates present")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Reviews a (checked) list under the profile's rules.
pub fn review_list(rules: &ElectionRules, seats: u64, present: u64, list: &[Candidate]) -> ListReview {
    let candidates: Vec<Standing> = list
        .iter()
        .map(|c| {
            let enters = c
                .support
                .filter(|_| c.nomination == Nomination::Floor)
                .map(|s| floor_nomination_enters(rules, s, present));
            Standing {
                name: c.name.trim().to_string(),
                nomination: c.nomination,
                support: c.support,
                withdrawn: c.withdrawn,
                enters,
                stands: !c.withdrawn && enters.unwrap_or(true),
            }
        })
        .collect();
    let ballot: Vec<String> = candidates.iter().filter(|c| c.stands).map(|c| c.name.clone()).collect();
    let check = check_list(rules, seats, ballot.len() as u64);
    ListReview { seats, present, candidates, ballot, check }
}

/// Reads a list from a table's cells: the column `name`, and optionally `nomination` (list,
/// the default, or floor), `support`, `withdrawn` (1, yes or true); others are ignored.
pub fn candidates_from_cells(cells: &[Vec<String>]) -> Result<Vec<Candidate>> {
    let bad = |why: String| Error::invalid("invalid_candidate", why);
    let head = cells.first().ok_or_else(|| bad("the file is empty".into()))?;
    let col = |name: &str| head.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let name = col("name").ok_or_else(|| bad("the heading row needs the column name".into()))?;
    let (nomination, support, withdrawn) = (col("nomination"), col("support"), col("withdrawn"));
    if cells.len() - 1 > MAX_CANDIDATES {
        return Err(bad(format!("candidates: at most {MAX_CANDIDATES}")));
    }
    let cell = |row: &Vec<String>, c: Option<usize>| {
        c.and_then(|c| row.get(c)).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    let mut out = vec![];
    for (i, row) in cells.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let n = i + 1;
        let nomination = match cell(row, nomination).as_deref() {
            None | Some("list") => Nomination::List,
            Some("floor") => Nomination::Floor,
            Some(x) => return Err(bad(format!("row {n}: nomination: '{x}' is not list or floor"))),
        };
        let support = match cell(row, support) {
            None => None,
            Some(x) => Some(x.parse().map_err(|_| bad(format!("row {n}: support: '{x}' is not a number")))?),
        };
        let withdrawn = match cell(row, withdrawn).map(|x| x.to_lowercase()).as_deref() {
            None | Some("0") | Some("no") | Some("false") => false,
            Some("1") | Some("yes") | Some("true") => true,
            Some(x) => return Err(bad(format!("row {n}: withdrawn: '{x}' is not yes or no"))),
        };
        out.push(Candidate { name: cell(row, Some(name)).unwrap_or_default(), nomination, support, withdrawn });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, nomination: Nomination, support: Option<u64>, withdrawn: bool) -> Candidate {
        Candidate { name: name.into(), nomination, support, withdrawn }
    }

    #[test]
    fn the_ballot_holds_the_list_and_the_floor_nominations_that_enter() {
        use Nomination::*;
        let rules = ElectionRules::default();
        // 10 seats, 100 present: a floor nomination needs more than 30 supporters.
        let mut list: Vec<Candidate> = (1..=11).map(|i| c(&format!("C{i}"), List, None, false)).collect();
        list.push(c("F1", Floor, Some(31), false));
        list.push(c("F2", Floor, Some(30), false));
        list[0].withdrawn = true;
        check_candidates(&list, 100).unwrap();
        let r = review_list(&rules, 10, 100, &list);
        assert_eq!(r.ballot.len(), 11, "C2..C11 and F1: {:?}", r.ballot);
        assert!(r.ballot.contains(&"F1".to_string()) && !r.ballot.contains(&"F2".to_string()));
        assert_eq!(r.candidates[12].enters, Some(false));
        assert!(r.check.ok && r.check.within_advice, "{:?}", r.check);
        // 14 standing of 10 seats: more than 30 % more.
        let more: Vec<Candidate> = (1..=14).map(|i| c(&format!("C{i}"), List, None, false)).collect();
        assert!(!review_list(&rules, 10, 100, &more).check.ok);
    }

    #[test]
    fn a_list_reads_from_cells() {
        let cells: Vec<Vec<String>> = [
            vec!["name", "nomination", "support", "withdrawn"],
            vec!["An", "", "", ""],
            vec!["Bình", "floor", "40", "no"],
            vec!["Chi", "list", "", "yes"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let list = candidates_from_cells(&cells).unwrap();
        assert_eq!(list[1], c("Bình", Nomination::Floor, Some(40), false));
        assert!(list[2].withdrawn && list[0].nomination == Nomination::List);
        let bad: Vec<Vec<String>> = vec![vec!["name".into(), "nomination".into()], vec!["An".into(), "x".into()]];
        assert!(candidates_from_cells(&bad).unwrap_err().message.contains("row 2"));
    }

    #[test]
    fn a_list_is_refused_naming_the_candidate() {
        use Nomination::*;
        for (list, why) in [
            (vec![c("An", List, None, false), c("An ", List, None, false)], "already"),
            (vec![c("An", List, Some(3), false)], "floor"),
            (vec![c("An", Floor, None, false)], "support"),
            (vec![c("An", Floor, Some(101), false)], "present"),
            (vec![c("", List, None, false)], "name"),
        ] {
            let e = check_candidates(&list, 100).unwrap_err();
            assert_eq!(e.code, "invalid_candidate");
            assert!(e.message.contains(why), "{}", e.message);
        }
    }
}
