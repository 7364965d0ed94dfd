//! Congresses: what apportionment reads of the register.

use super::*;

/// The units directly below `unit` on `as_of`, each with its members then (its subtree's
/// total), in the tree's order: the bases a congress's delegates are shared on.
pub async fn members_below(store: &dyn Store, unit: &UnitCode, as_of: NaiveDate) -> Result<Vec<(Unit, u64)>> {
    store.unit(unit, as_of).await?;
    let mut out = vec![];
    let mut page = Page::first(Page::MAX_LIMIT);
    loop {
        let p = store.children(unit, as_of, page.clone()).await?;
        for u in p.items {
            let total = store.stats(&u.code, as_of).await?.total.max(0) as u64;
            out.push((u, total));
        }
        match p.next {
            Some(after) => page = Page { limit: Page::MAX_LIMIT, after: Some(after) },
            None => break,
        }
    }
    Ok(out)
}
