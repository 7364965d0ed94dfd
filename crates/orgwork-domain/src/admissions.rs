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

#[cfg(test)]
mod tests {
    use super::*;

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
