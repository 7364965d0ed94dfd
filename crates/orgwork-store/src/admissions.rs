//! The admission pipeline: candidates proposed, admitted or withdrawn.

use super::*;
pub use orgwork_domain::admissions::CandidateState;

/// A candidate for admission, proposed by a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Candidate {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: CandidateId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub occupation: Option<String>,
    pub national_id: Option<String>,
    /// The training course on the Party (lớp bồi dưỡng nhận thức về Đảng).
    pub course: Option<String>,
    /// The day the course was completed.
    pub course_done: Option<NaiveDate>,
    pub proposed_on: NaiveDate,
    pub state: CandidateState,
    pub closed_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// The member made of the candidate, once admitted.
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub member_id: Option<MemberId>,
}

/// A candidate to record.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub unit: UnitCode,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub occupation: Option<String>,
    pub national_id: Option<String>,
    pub course: Option<String>,
    pub course_done: Option<NaiveDate>,
    pub proposed_on: NaiveDate,
}

/// A year's admissions under a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Admissions {
    pub year: i32,
    pub admitted: i64,
    /// Under the profile's young age on the day admitted.
    pub young: i64,
    pub students: i64,
    pub women: i64,
    pub ethnic_minority: i64,
}

/// The admission pipeline: candidates, their admission, and the year's figures.
#[async_trait]
pub trait AdmissionStore: Send + Sync {
    async fn add_candidate(&self, actor: &Actor, new: NewCandidate) -> Result<Candidate>;
    async fn candidate(&self, id: CandidateId) -> Result<Candidate>;
    /// Candidates of a unit's subtree (all states, or those still waiting), newest first.
    async fn candidates(&self, unit: &UnitCode, waiting_only: bool) -> Result<Vec<Candidate>>;
    /// The candidates still waiting, anywhere, who look like this person
    /// (`orgwork_domain::admissions::same_person`): a proposal's warning.
    async fn similar_candidates(
        &self,
        full_name: &str,
        birth_date: NaiveDate,
        national_id: Option<&str>,
    ) -> Result<Vec<Candidate>>;
    /// Admits a candidate on a day: a member is created, probationary, in the candidate's unit.
    async fn admit_candidate(
        &self,
        actor: &Actor,
        id: CandidateId,
        admitted_on: NaiveDate,
        card_number: Option<String>,
        document: Option<String>,
    ) -> Result<Member>;
    async fn withdraw_candidate(
        &self,
        actor: &Actor,
        id: CandidateId,
        on: NaiveDate,
        note: Option<String>,
    ) -> Result<Candidate>;
    /// The members admitted in a year in the unit's subtree (as it stood at the year's end).
    async fn admissions(&self, unit: &UnitCode, year: i32) -> Result<Admissions>;
}
