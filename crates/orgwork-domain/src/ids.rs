//! Typed row ids: a member's id cannot be passed where a transfer's is wanted.
//!
//! Each id is a 64-bit number made by the store. It is written as a decimal string in JSON
//! and in URLs (JavaScript numbers hold 53 bits), and read from either a string or a number.
//! Parsing one that is not a number gives the "not found" error of its kind, since no row has
//! it: `/members/abc` is answered as `/members/0` would be.

use crate::{Error, Result};
use std::fmt;
use std::str::FromStr;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $code:literal, $noun:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            /// The error code of an id of this kind that names no row.
            pub const NOT_FOUND: &'static str = $code;

            pub const fn new(id: i64) -> Self {
                $name(id)
            }

            /// The number, for binding to SQL.
            pub const fn get(self) -> i64 {
                self.0
            }

            /// The error of an id of this kind that names no row (or none the caller may see).
            pub fn not_found(shown: impl fmt::Display) -> Error {
                Error::not_found($code, format!(concat!("no ", $noun, " has the id {}"), shown))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self> {
                s.trim().parse::<i64>().map($name).map_err(|_| Self::not_found(s))
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                #[derive(serde::Deserialize)]
                #[serde(untagged)]
                enum Either {
                    Number(i64),
                    Text(String),
                }
                match Either::deserialize(d)? {
                    Either::Number(n) => Ok($name(n)),
                    Either::Text(t) => t.parse().map_err(serde::de::Error::custom),
                }
            }
        }
    };
}

typed_id!(
    /// A member's id.
    MemberId, "member_not_found", "member"
);
typed_id!(
    /// A transfer's id.
    TransferId, "transfer_not_found", "transfer"
);
typed_id!(
    /// A candidate for admission's id.
    CandidateId, "candidate_not_found", "candidate"
);
typed_id!(
    /// A restructuring draft's id.
    DraftId, "restructuring_not_found", "restructuring"
);
typed_id!(
    /// A work programme's id.
    ProgrammeId, "programme_not_found", "programme"
);
typed_id!(
    /// An inspection and supervision programme's id.
    InspectionProgrammeId, "inspection_programme_not_found", "inspection programme"
);
typed_id!(
    /// A planned inspection or supervision's id.
    InspectionId, "inspection_not_found", "inspection"
);
typed_id!(
    /// A finding's id.
    FindingId, "finding_not_found", "finding"
);
typed_id!(
    /// A recommendation's id.
    RecommendationId, "recommendation_not_found", "recommendation"
);
typed_id!(
    /// A disciplinary case's id.
    CaseId, "discipline_case_not_found", "disciplinary case"
);
typed_id!(
    /// A congress's id.
    CongressId, "congress_not_found", "congress"
);
typed_id!(
    /// An election's id (one body a congress elects: a committee, the delegates to the
    /// congress above).
    ElectionId, "election_not_found", "election"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_decimal_strings() {
        let id: MemberId = " 42 ".parse().unwrap();
        assert_eq!(id.get(), 42);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"42\"");
        assert_eq!(serde_json::from_str::<MemberId>("\"42\"").unwrap(), id);
        assert_eq!(serde_json::from_str::<MemberId>("42").unwrap(), id);
    }

    #[test]
    fn a_malformed_id_is_not_found_of_its_kind() {
        let e = "abc".parse::<TransferId>().unwrap_err();
        assert_eq!((e.code, e.message.as_str()), ("transfer_not_found", "no transfer has the id abc"));
        assert_eq!("x".parse::<DraftId>().unwrap_err().code, "restructuring_not_found");
        assert!(serde_json::from_str::<CandidateId>("\"1.5\"").is_err());
    }
}
