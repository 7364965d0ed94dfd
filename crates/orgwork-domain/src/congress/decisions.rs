//! A recorded apportionment's ties decided by a person: the seats a tie leaves open given to
//! some of the units contending for them, one each, with the reason; and the shares once
//! every decision is applied.

use super::{Allocation, Apportionment};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The longest reason a decision keeps.
pub const MAX_REASON: usize = 2000;

/// A person's decision of one tie: the units (of those contending) that take its seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TieDecision {
    /// The tie's number in the apportionment's `ties`, from 1.
    pub tie: u32,
    /// The units that take the tie's seats, one seat each.
    pub units: Vec<String>,
    pub reason: String,
}

fn bad(message: String) -> Error {
    Error::invalid("invalid_tie_decision", message)
}

/// Checks a decision against the apportionment and the decisions made: a tie not decided
/// yet, as many of its own units as it has seats, each once, and a reason.
pub fn check_decision(a: &Apportionment, made: &[TieDecision], d: &TieDecision) -> Result<()> {
    let tie = (d.tie as usize)
        .checked_sub(1)
        .and_then(|i| a.ties.get(i))
        .ok_or_else(|| bad(format!("tie: the apportionment has {} tie(s); {} is none of them", a.ties.len(), d.tie)))?;
    if made.iter().any(|m| m.tie == d.tie) {
        return Err(Error::conflict("tie_decided", format!("tie {}: it is decided already", d.tie)));
    }
    let mut seen = std::collections::BTreeSet::new();
    for u in &d.units {
        if !tie.units.contains(u) {
            return Err(bad(format!("units: {u} does not contend in tie {}", d.tie)));
        }
        if !seen.insert(u) {
            return Err(bad(format!("units: {u} is named twice; a tie gives each unit one seat at most")));
        }
    }
    if d.units.len() as u64 != tie.seats {
        return Err(bad(format!("units: tie {} leaves {} seat(s); name that many of its units", d.tie, tie.seats)));
    }
    if super::written(&d.reason, MAX_REASON, true).is_none() {
        return Err(bad(format!("reason: say why, in 1 to {MAX_REASON} characters")));
    }
    Ok(())
}

/// The shares with the decisions applied, and the seats still open.
pub fn decided_shares(a: &Apportionment, made: &[TieDecision]) -> (Vec<Allocation>, u64) {
    let mut out = a.allocations.clone();
    for d in made {
        for u in &d.units {
            if let Some(x) = out.iter_mut().find(|x| &x.unit == u) {
                x.seats += 1;
            }
        }
    }
    let open = a
        .ties
        .iter()
        .enumerate()
        .filter(|(i, _)| !made.iter().any(|m| m.tie as usize == i + 1))
        .map(|(_, t)| t.seats)
        .sum();
    (out, open)
}

#[cfg(test)]
mod tests {
    use super::super::{Apportion, Method};
    use super::*;

    fn tied() -> Apportionment {
        // D'Hondt, 3 seats for 10, 10, 5: two decided, three contend for the last.
        let units = [("A", 10), ("B", 10), ("C", 5)].iter().map(|(u, m)| (u.to_string(), *m)).collect();
        Apportion { method: Method::Dhondt, seats: 3, min: 0, base: 0, per: 0, ex_officio: 0, units }.run().unwrap()
    }

    fn decision(tie: u32, units: &[&str], reason: &str) -> TieDecision {
        TieDecision { tie, units: units.iter().map(|u| u.to_string()).collect(), reason: reason.into() }
    }

    #[test]
    fn a_decision_gives_the_open_seats_and_says_why() {
        let a = tied();
        assert_eq!(decided_shares(&a, &[]).1, 1);
        let d = decision(1, &["C"], "Bốc thăm trước Ban Thường vụ");
        check_decision(&a, &[], &d).unwrap();
        let (shares, open) = decided_shares(&a, std::slice::from_ref(&d));
        assert_eq!(shares.iter().map(|s| s.seats).collect::<Vec<_>>(), [1, 1, 1]);
        assert_eq!(open, 0);
        assert_eq!(check_decision(&a, &[d], &decision(1, &["A"], "x")).unwrap_err().code, "tie_decided");
    }

    #[test]
    fn a_decision_is_refused_naming_what_is_wrong() {
        let a = tied();
        for (d, why) in [
            (decision(2, &["A"], "x"), "none of them"),
            (decision(1, &["D"], "x"), "does not contend"),
            (decision(1, &["A", "B"], "x"), "name that many"),
            (decision(1, &["A"], " "), "say why"),
        ] {
            let e = check_decision(&a, &[], &d).unwrap_err();
            assert!(e.message.contains(why), "{}", e.message);
        }
    }
}
