//! orgwork's domain: the types and rules of a hierarchical membership organization.
//!
//! Everything here is pure: no I/O, no async, no SQL. Storage backends load the facts a rule
//! needs, call the rule, and write only if it passes; so one rule serves every backend.

pub mod access;
pub mod admissions;
pub mod audit;
pub mod codes;
pub mod congress;
pub mod date;
pub mod error;
pub mod fault;
pub mod ids;
pub mod import;
pub mod inspection;
pub mod members;
pub mod plan;
pub mod profile;
pub mod restructure;
pub mod structure;
pub mod text;
pub mod timeline;
pub mod transfers;

pub use error::{Error, ErrorKind, Result};
pub use ids::{
    CandidateId, CaseId, CongressId, DraftId, ElectionId, FindingId, InspectionId, InspectionProgrammeId, MemberId,
    ProgrammeId, RecommendationId, TransferId,
};
