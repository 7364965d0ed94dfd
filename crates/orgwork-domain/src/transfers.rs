//! Two-step transfers: their states and the rules of issuing and closing one, as pure
//! functions (the store loads the facts and calls them).

use crate::{Error, Result};
use chrono::NaiveDate;

/// Where a transfer stands: issued (waiting for the receiver), accepted or cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TransferState {
    Issued,
    Accepted,
    Cancelled,
}

impl TransferState {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferState::Issued => "issued",
            TransferState::Accepted => "accepted",
            TransferState::Cancelled => "cancelled",
        }
    }

    /// The state as stored; `None` for a text that is not one.
    pub fn parse(text: &str) -> Option<TransferState> {
        [TransferState::Issued, TransferState::Accepted, TransferState::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Which way a transfer crosses a subtree's edge: in to it, or out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    /// `in` or `out`; anything else is `invalid_direction`.
    pub fn parse(text: &str) -> Result<Direction> {
        match text.trim() {
            "in" => Ok(Direction::In),
            "out" => Ok(Direction::Out),
            other => Err(Error::invalid("invalid_direction", format!("direction: '{other}' is not in or out"))),
        }
    }
}

/// A transfer may go to any unit but the member's own.
pub fn check_destination(from_unit: i64, to_unit: i64, to_code: &str) -> Result<()> {
    if from_unit == to_unit {
        return Err(Error::rule("same_unit", format!("to: the member belongs to {to_code} already")));
    }
    Ok(())
}

/// A transfer is accepted or cancelled only while it waits, and not before it was issued.
pub fn check_close(id: i64, state: TransferState, issued_on: NaiveDate, on: NaiveDate) -> Result<()> {
    if state != TransferState::Issued {
        return Err(Error::rule("transfer_closed", format!("transfer {id} is {} already", state.as_str())));
    }
    crate::date::check_not_before("date_before_issue", "effective", on, issued_on, "the transfer was issued")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date("d", s).unwrap()
    }

    #[test]
    fn states_round_trip_and_nothing_else_parses() {
        for s in [TransferState::Issued, TransferState::Accepted, TransferState::Cancelled] {
            assert_eq!(TransferState::parse(s.as_str()), Some(s));
        }
        assert_eq!(TransferState::parse("Issued"), None);
    }

    #[test]
    fn a_transfer_closes_once_and_not_before_its_issue() {
        assert!(check_close(7, TransferState::Issued, d("2024-01-10"), d("2024-01-10")).is_ok());
        let e = check_close(7, TransferState::Accepted, d("2024-01-10"), d("2024-02-01")).unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("transfer_closed", "transfer 7 is accepted already"));
        assert_eq!(
            check_close(7, TransferState::Issued, d("2024-01-10"), d("2024-01-09")).unwrap_err().code,
            "date_before_issue"
        );
    }

    #[test]
    fn directions_are_in_or_out() {
        assert_eq!(Direction::parse("in").unwrap(), Direction::In);
        assert_eq!(Direction::parse("out").unwrap().as_str(), "out");
        assert_eq!(Direction::parse("sideways").unwrap_err().code, "invalid_direction");
    }

    #[test]
    fn a_transfer_leaves_the_members_unit() {
        assert!(check_destination(1, 2, "B").is_ok());
        assert_eq!(check_destination(1, 1, "A").unwrap_err().code, "same_unit");
    }
}
