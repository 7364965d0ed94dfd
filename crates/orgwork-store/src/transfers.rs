//! Two-step transfers of members between units, and out of the organization.

use super::*;
pub use orgwork_domain::transfers::{Direction, TransferState};

/// Where a transfer goes: a unit of the tree, or an organization outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Unit(UnitCode),
    Outside(String),
}

/// A transfer of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Transfer {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub id: TransferId,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub member_id: MemberId,
    pub member_name: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub from_unit: Option<UnitCode>,
    /// The organization outside the tree the member came from.
    pub from_org: Option<String>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub to_unit: Option<UnitCode>,
    /// The organization outside the tree the member goes to.
    pub to_org: Option<String>,
    pub issued_on: NaiveDate,
    pub document: Option<String>,
    pub state: TransferState,
    pub closed_on: Option<NaiveDate>,
    pub close_document: Option<String>,
    /// The last day to accept it (the profile's deadline after the issue).
    pub due_on: NaiveDate,
}

/// Which transfers of a unit's subtree to list.
#[derive(Debug, Clone, Default)]
pub struct TransferFilter {
    /// In to the subtree, out of it, or both when `None`.
    pub direction: Option<Direction>,
    /// Only those still waiting.
    pub pending: bool,
    /// Only those waiting past their deadline on this day.
    pub overdue_on: Option<NaiveDate>,
}

/// Two-step transfers of members.
#[async_trait]
pub trait TransferStore: Send + Sync {
    /// Issues a transfer of a member from the unit they belong to on `issued_on`.
    async fn issue_transfer(
        &self,
        actor: &Actor,
        member_id: MemberId,
        to: Destination,
        issued_on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer>;
    /// Accepts a transfer on a day: the member leaves the sending unit that day and joins the
    /// receiving one (or, out of the tree, becomes "transferred out").
    async fn accept_transfer(
        &self,
        actor: &Actor,
        id: TransferId,
        on: NaiveDate,
        document: Option<String>,
    ) -> Result<Transfer>;
    async fn cancel_transfer(&self, actor: &Actor, id: TransferId, on: NaiveDate) -> Result<Transfer>;
    async fn transfer(&self, id: TransferId) -> Result<Transfer>;
    /// Transfers to or from the subtree of a unit, newest first.
    async fn transfers(&self, unit: &UnitCode, filter: &TransferFilter, page: Page) -> Result<Paged<Transfer>>;
}
