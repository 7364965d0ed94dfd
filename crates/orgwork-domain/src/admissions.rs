//! The admission pipeline: a candidate's states and the rules of admitting or withdrawing
//! one, as pure functions (the store loads the facts and calls them).

use crate::{Error, Result};
use chrono::NaiveDate;

/// Where a candidate stands: waiting (`candidate`), admitted or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CandidateState {
    Candidate,
    Admitted,
    Withdrawn,
}

impl CandidateState {
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateState::Candidate => "candidate",
            CandidateState::Admitted => "admitted",
            CandidateState::Withdrawn => "withdrawn",
        }
    }

    /// The state as stored; `None` for a text that is not one.
    pub fn parse(text: &str) -> Option<CandidateState> {
        [CandidateState::Candidate, CandidateState::Admitted, CandidateState::Withdrawn]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A candidate is admitted or withdrawn only while waiting.
pub fn check_open(id: i64, state: CandidateState) -> Result<()> {
    if state != CandidateState::Candidate {
        return Err(Error::rule("candidate_closed", format!("candidate {id} is {} already", state.as_str())));
    }
    Ok(())
}

/// A candidate is admitted on or after the day they were proposed.
pub fn check_admission_date(admitted_on: NaiveDate, proposed_on: NaiveDate) -> Result<()> {
    crate::date::check_not_before("date_before_proposal", "admitted_on", admitted_on, proposed_on, "the proposal")
}

/// Whether a person proposed looks like one already in the pipeline: the same national ID,
/// or the same name (case and accents aside) and date of birth.
pub fn same_person(
    (name, born, id): (&str, NaiveDate, Option<&str>),
    (other_name, other_born, other_id): (&str, NaiveDate, Option<&str>),
) -> bool {
    let id = id.map(str::trim).filter(|i| !i.is_empty());
    if id.is_some() && id == other_id.map(str::trim) {
        return true;
    }
    born == other_born && crate::text::fold(name) == crate::text::fold(other_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_by_name_and_birth_or_by_id() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let a = ("Mạc Thị Ứng", d("2000-03-03"), None);
        assert!(same_person(a, ("mac thi ung", d("2000-03-03"), None)), "case and accents aside");
        assert!(!same_person(a, ("Mạc Thị Ứng", d("2000-03-04"), None)), "born another day");
        assert!(same_person(
            ("A", d("2000-01-01"), Some("001200000001")),
            ("B", d("1990-01-01"), Some("001200000001"))
        ));
        assert!(
            !same_person(("A", d("2000-01-01"), Some(" ")), ("B", d("1990-01-01"), Some(" "))),
            "no ID is no match"
        );
    }

    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date("d", s).unwrap()
    }

    #[test]
    fn states_round_trip_and_nothing_else_parses() {
        for s in [CandidateState::Candidate, CandidateState::Admitted, CandidateState::Withdrawn] {
            assert_eq!(CandidateState::parse(s.as_str()), Some(s));
        }
        assert_eq!(CandidateState::parse(""), None);
    }

    #[test]
    fn only_a_waiting_candidate_is_admitted_and_not_before_the_proposal() {
        assert!(check_open(3, CandidateState::Candidate).is_ok());
        let e = check_open(3, CandidateState::Withdrawn).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("candidate_closed", "candidate 3 is withdrawn already"));
        assert!(check_admission_date(d("2024-05-01"), d("2024-05-01")).is_ok());
        assert_eq!(check_admission_date(d("2024-04-30"), d("2024-05-01")).unwrap_err().code, "date_before_proposal");
    }
}
