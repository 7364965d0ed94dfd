//! Congresses: what apportionment reads of the register.

use super::*;

/// The units directly below `unit` on `as_of`, each with its members then (its subtree's
/// total), in the tree's order: the bases a congress's delegates are shared on.
pub async fn members_below(store: &dyn Store, unit: &UnitCode, as_of: NaiveDate) -> Result<Vec<(Unit, u64)>> {
    store.totals_below(unit, as_of).await
}
