//! The conformance stories. Each takes a fresh store and asserts what a user would check.

use chrono::NaiveDate;
use orgwork_domain::structure::{Change, Names, SubtreeEntry, Unit, UnitCode};
use orgwork_store::{Dated, Direction, MemberId, NewUnit, Page, Store, StoreError, TransferState};
use std::sync::Arc;

mod congress;
mod inspection;
mod restructure;
pub use congress::*;
pub use inspection::*;
pub use restructure::*;

pub fn d(s: &str) -> NaiveDate {
    orgwork_domain::date::parse_date("date", s).expect("a test date")
}

pub fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).expect("a test code")
}

pub fn names(vi: &str) -> Names {
    Names::parse(vi, None, None).expect("a test name")
}

pub async fn create(store: &dyn Store, c: &str, kind: &str, parent: Option<&str>, from: &str, vi: &str) -> Unit {
    store
        .create_unit(
            &actor(),
            NewUnit {
                code: code(c),
                names: names(vi),
                kind: kind.to_string(),
                parent: parent.map(code),
                valid_from: d(from),
                decision: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("create {c}: {e}"))
}

pub fn dated(c: &str, on: &str) -> Dated {
    Dated { code: code(c), effective: d(on), decision: None }
}

/// The error code of a failed store call.
pub fn error_code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Domain(e)) => e.code,
        other => panic!("expected a domain error, got {other:?}"),
    }
}

/// A small province: QN (province) > KCQ (bloc) > {SO-TC (grassroots committee) > {C1, C2}, BAO (grassroots cell)}.
pub async fn small_province(store: &dyn Store) {
    create(store, "QN", "provincial_committee", None, "2020-01-01", "Đảng bộ tỉnh Quảng Ninh").await;
    create(store, "KCQ", "bloc_committee", Some("QN"), "2020-01-01", "Đảng bộ Khối các cơ quan tỉnh").await;
    create(store, "SO-TC", "grassroots_committee", Some("KCQ"), "2020-01-01", "Đảng bộ Sở Tài chính").await;
    create(store, "SO-TC-C1", "subordinate_cell", Some("SO-TC"), "2020-01-01", "Chi bộ Phòng Ngân sách").await;
    create(store, "SO-TC-C2", "subordinate_cell", Some("SO-TC"), "2020-01-01", "Chi bộ Văn phòng").await;
    create(store, "BAO", "grassroots_cell", Some("KCQ"), "2020-01-01", "Chi bộ Báo Quảng Ninh").await;
}

/// Everything one can read of the tree on a date, to compare before and after a change.
pub async fn snapshot(store: &dyn Store, roots: &[&str], on: NaiveDate) -> Vec<SubtreeEntry> {
    let mut all = vec![];
    for r in roots {
        if let Ok(page) = store.subtree(&code(r), on, None, Page::first(1000)).await {
            all.extend(page.items);
        }
    }
    all
}

pub async fn reads_the_tree_as_of_a_date(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let today = d("2024-06-01");
    let unit = s.unit(&code("so-tc"), today).await.unwrap();
    assert_eq!(unit.code.as_str(), "SO-TC");
    assert_eq!(unit.kind, "grassroots_committee");
    assert_eq!(unit.parent.as_ref().map(UnitCode::as_str), Some("KCQ"));
    assert_eq!(unit.valid_from, d("2020-01-01"));
    assert_eq!(unit.valid_to, None);

    let roots = s.roots(today, Page::first(10)).await.unwrap();
    assert_eq!(roots.items.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["QN"]);
    assert_eq!(roots.next, None);

    let kids = s.children(&code("KCQ"), today, Page::first(10)).await.unwrap();
    assert_eq!(kids.items.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["BAO", "SO-TC"]);

    let path = s.ancestors(&code("SO-TC-C1"), today).await.unwrap();
    assert_eq!(path.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["QN", "KCQ", "SO-TC"]);

    let all = s.subtree(&code("QN"), today, None, Page::first(100)).await.unwrap();
    let order: Vec<_> = all.items.iter().map(|e| (e.depth, e.unit.code.as_str())).collect();
    assert_eq!(order, [(0, "QN"), (1, "KCQ"), (2, "BAO"), (2, "SO-TC"), (3, "SO-TC-C1"), (3, "SO-TC-C2")]);

    let shallow = s.subtree(&code("QN"), today, Some(1), Page::first(100)).await.unwrap();
    assert_eq!(shallow.items.len(), 2, "depth 1 is the top and its children");

    // Before the units existed there is nothing to see.
    assert_eq!(error_code(s.unit(&code("QN"), d("2019-12-31")).await), "unit_not_found");
    assert!(s.roots(d("2019-12-31"), Page::first(10)).await.unwrap().items.is_empty());
    assert_eq!(error_code(s.unit(&code("NOPE"), today).await), "unit_not_found");
}

pub async fn pages_through_children_and_subtrees(store: Arc<dyn Store>) {
    let s = store.as_ref();
    create(s, "QN", "provincial_committee", None, "2020-01-01", "Tỉnh").await;
    for i in 0..25 {
        create(s, &format!("G{i:02}"), "grassroots_cell", Some("QN"), "2020-01-01", &format!("Chi bộ {i}")).await;
    }
    let on = d("2021-01-01");
    let mut seen = vec![];
    let mut page = Page::first(10);
    loop {
        let p = s.children(&code("QN"), on, page.clone()).await.unwrap();
        assert!(p.items.len() <= 10);
        seen.extend(p.items.into_iter().map(|u| u.code.to_string()));
        match p.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    let expected: Vec<_> = (0..25).map(|i| format!("G{i:02}")).collect();
    assert_eq!(seen, expected);

    let mut seen = vec![];
    let mut page = Page::first(7);
    loop {
        let p = s.subtree(&code("QN"), on, None, page.clone()).await.unwrap();
        seen.extend(p.items.into_iter().map(|e| e.unit.code.to_string()));
        match p.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 26);
    assert_eq!(seen[0], "QN");
    assert_eq!(seen[1..], expected[..]);
}

pub async fn searches_units_by_code_and_name(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let on = d("2024-01-01");
    let found = |q: &'static str| {
        let store = store.clone();
        async move {
            store
                .search_units(q, on, None, Page::first(50))
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|u| u.code.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("bao quang").await, ["BAO"]);
    assert_eq!(found("TÀI CHÍNH").await, ["SO-TC"]);
    assert_eq!(found("dang bo khoi").await, ["KCQ"]);
    assert_eq!(found("so-tc-c").await, ["SO-TC-C1", "SO-TC-C2"]);
    assert_eq!(found("100%").await, Vec::<String>::new());
    assert_eq!(found("   ").await, Vec::<String>::new());
}

pub async fn renames_and_moves_keep_the_past(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    create(s, "DTN", "bloc_committee", Some("QN"), "2020-01-01", "Đảng bộ Khối doanh nghiệp").await;
    let before = snapshot(s, &["QN"], d("2024-12-31")).await;

    let renamed = s
        .rename_unit(
            &actor(),
            dated("SO-TC", "2025-01-01"),
            Names::parse("Đảng bộ Sở Tài chính mới", Some("Department of Finance"), None).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name.en.as_deref(), Some("Department of Finance"));
    let moved = s.move_unit(&actor(), dated("SO-TC", "2025-03-01"), code("DTN")).await.unwrap();
    assert_eq!(moved.parent.as_ref().map(UnitCode::as_str), Some("DTN"));

    // The past answers the same as before the changes.
    assert_eq!(snapshot(s, &["QN"], d("2024-12-31")).await, before);
    assert_eq!(s.unit(&code("SO-TC"), d("2024-12-31")).await.unwrap().name.vi, "Đảng bộ Sở Tài chính");
    assert_eq!(s.unit(&code("SO-TC"), d("2025-02-01")).await.unwrap().name.vi, "Đảng bộ Sở Tài chính mới");
    assert_eq!(s.unit(&code("SO-TC"), d("2025-02-01")).await.unwrap().parent.unwrap().as_str(), "KCQ");
    let path = s.ancestors(&code("SO-TC-C1"), d("2025-03-01")).await.unwrap();
    assert_eq!(path.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["QN", "DTN", "SO-TC"]);
    let kcq = s.children(&code("KCQ"), d("2025-03-01"), Page::first(10)).await.unwrap();
    assert_eq!(kcq.items.iter().map(|u| u.code.as_str()).collect::<Vec<_>>(), ["BAO"]);

    let h = s.history(&code("SO-TC")).await.unwrap();
    assert_eq!(h.iter().map(|e| e.change).collect::<Vec<_>>(), [Change::Created, Change::Renamed, Change::Moved]);
    assert_eq!(h[1].previous_name.as_ref().unwrap().vi, "Đảng bộ Sở Tài chính");
    assert_eq!(h[2].previous_parent.as_ref().unwrap().as_str(), "KCQ");
    assert_eq!(h[2].parent.as_ref().unwrap().as_str(), "DTN");
    assert_eq!(h[2].effective, d("2025-03-01"));
}

pub async fn refuses_broken_rules_and_changes_nothing(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let days = [d("2019-06-01"), d("2020-01-01"), d("2024-01-01"), d("2030-01-01")];
    let mut before = vec![];
    for day in days {
        before.push(snapshot(s, &["QN"], day).await);
    }
    let histories = s.history(&code("SO-TC")).await.unwrap();

    // A cycle: the bloc under its own grandchild.
    assert_eq!(error_code(s.move_unit(&actor(), dated("KCQ", "2024-01-01"), code("SO-TC-C1")).await), "cycle");
    assert_eq!(error_code(s.move_unit(&actor(), dated("SO-TC", "2024-01-01"), code("SO-TC")).await), "cycle");
    // A duplicate code among live units.
    let dup = s
        .create_unit(
            &actor(),
            NewUnit {
                code: code("bao"),
                names: names("Khác"),
                kind: "grassroots_cell".into(),
                parent: Some(code("KCQ")),
                valid_from: d("2024-01-01"),
                decision: None,
            },
        )
        .await;
    assert_eq!(error_code(dup), "duplicate_code");
    // An unknown parent, a kind that may not go there, a parent not yet alive.
    let new = |parent: &str, kind: &str, from: &str| NewUnit {
        code: code("NEW"),
        names: names("Mới"),
        kind: kind.into(),
        parent: Some(code(parent)),
        valid_from: d(from),
        decision: None,
    };
    assert_eq!(
        error_code(s.create_unit(&actor(), new("NOPE", "grassroots_cell", "2024-01-01")).await),
        "parent_not_found"
    );
    assert_eq!(
        error_code(s.create_unit(&actor(), new("QN", "subordinate_cell", "2024-01-01")).await),
        "kind_not_allowed"
    );
    assert_eq!(error_code(s.create_unit(&actor(), new("KCQ", "no_such_kind", "2024-01-01")).await), "unknown_kind");
    assert_eq!(
        error_code(s.create_unit(&actor(), new("KCQ", "grassroots_cell", "2019-01-01")).await),
        "parent_not_live"
    );
    // A change dated before the unit starts, or not after its last change.
    assert_eq!(error_code(s.rename_unit(&actor(), dated("BAO", "2019-01-01"), names("X")).await), "date_outside_unit");
    assert_eq!(
        error_code(s.rename_unit(&actor(), dated("BAO", "2020-01-01"), names("X")).await),
        "date_not_after_last_change"
    );
    assert_eq!(
        error_code(s.rename_unit(&actor(), dated("BAO", "2024-01-01"), names("Chi bộ Báo Quảng Ninh")).await),
        "no_change"
    );
    assert_eq!(error_code(s.move_unit(&actor(), dated("BAO", "2024-01-01"), code("KCQ")).await), "no_change");
    // Dissolving a unit that still has live children.
    assert_eq!(error_code(s.dissolve_unit(&actor(), dated("SO-TC", "2024-01-01")).await), "has_live_children");
    assert_eq!(error_code(s.dissolve_unit(&actor(), dated("NOPE", "2024-01-01")).await), "unit_not_found");

    for (day, snap) in days.iter().zip(before) {
        assert_eq!(snapshot(s, &["QN"], *day).await, snap, "the tree on {day} changed");
    }
    assert_eq!(s.history(&code("SO-TC")).await.unwrap(), histories);
}

/// A profile of one kind that may sit under itself, so that any move is allowed by kind and
/// only the cycle rule stands in the way.
pub fn flat_profile() -> orgwork_domain::profile::Profile {
    orgwork_domain::profile::Profile::parse(
        "flat.toml",
        "[profile]\nid = \"flat\"\nname = { vi = \"Phẳng\" }\n[[unit_kinds]]\nid = \"org\"\nname = { vi = \"Tổ chức\" }\nroot = true\nparents = [\"org\"]\n",
    )
    .expect("the flat profile")
}

pub async fn refuses_a_cycle_now_or_through_a_later_move(store: Arc<dyn Store>) {
    let s = store.as_ref();
    for (c, p) in [("R", None), ("A", Some("R")), ("B", Some("R")), ("A1", Some("A"))] {
        create(s, c, "org", p, "2020-01-01", c).await;
    }
    assert_eq!(error_code(s.move_unit(&actor(), dated("A", "2024-01-01"), code("A1")).await), "cycle");
    // Recorded first, dated later: from 2026, B sits under A.
    s.move_unit(&actor(), dated("B", "2026-01-01"), code("A")).await.unwrap();
    let before = snapshot(s, &["R", "A", "B"], d("2027-01-01")).await;
    // In 2025 B is not below A, but from 2026 it is: A under B would be a cycle then.
    assert_eq!(error_code(s.move_unit(&actor(), dated("A", "2025-01-01"), code("B")).await), "cycle");
    assert_eq!(snapshot(s, &["R", "A", "B"], d("2027-01-01")).await, before);
    // A roots-only move is fine.
    s.move_unit(&actor(), dated("A1", "2025-01-01"), code("B")).await.unwrap();
}

pub async fn dissolves_and_reuses_a_code(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let gone = s
        .dissolve_unit(&actor(), Dated { decision: Some("123-QĐ/TU".into()), ..dated("BAO", "2025-02-01") })
        .await
        .unwrap();
    assert_eq!(gone.valid_to, Some(d("2025-02-01")));
    let kids = |day| {
        let store = store.clone();
        async move {
            store
                .children(&code("KCQ"), d(day), Page::first(10))
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|u| u.code.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(kids("2025-01-31").await, ["BAO", "SO-TC"]);
    assert_eq!(kids("2025-02-01").await, ["SO-TC"]);
    // The dissolved unit is still shown as it last was, with its end.
    let last = s.unit(&code("BAO"), d("2025-06-01")).await.unwrap();
    assert_eq!(last.valid_to, Some(d("2025-02-01")));
    let h = s.history(&code("BAO")).await.unwrap();
    assert_eq!(h.last().unwrap().change, Change::Dissolved);
    assert_eq!(h.last().unwrap().decision.as_deref(), Some("123-QĐ/TU"));
    // No change after the end; the code is free again from the end on.
    assert_eq!(error_code(s.rename_unit(&actor(), dated("BAO", "2025-03-01"), names("X")).await), "date_outside_unit");
    assert_eq!(error_code(s.move_unit(&actor(), dated("SO-TC", "2025-03-01"), code("BAO")).await), "parent_not_live");
    create(s, "BAO", "grassroots_cell", Some("KCQ"), "2025-02-01", "Chi bộ Báo và Phát thanh").await;
    assert_eq!(s.unit(&code("BAO"), d("2025-01-31")).await.unwrap().name.vi, "Chi bộ Báo Quảng Ninh");
    assert_eq!(s.unit(&code("BAO"), d("2025-02-01")).await.unwrap().name.vi, "Chi bộ Báo và Phát thanh");
    // A parent with a future dissolution can take no new child.
    create(s, "T", "grassroots_committee", Some("KCQ"), "2025-01-01", "Tạm").await;
    s.dissolve_unit(&actor(), dated("T", "2026-01-01")).await.unwrap();
    assert_eq!(error_code(s.move_unit(&actor(), dated("SO-TC-C1", "2025-06-01"), code("T")).await), "parent_not_live");
}

/// With the read cache on (as in the server), every change made through the store is seen by
/// the next read, and a change made by another process (another store on the same database)
/// within the cache's head-check interval: counts, ancestries and tokens alike.
pub async fn the_read_cache_sees_every_write(db: &crate::TestDb) {
    use orgwork_domain::access::Role;
    let s = db.store.as_ref();
    s.cache_reads(true);
    small_province(s).await;
    s.create_user(&actor(), new_user("viewer", Role::Viewer, "QN")).await.unwrap();
    s.create_token(&actor(), "viewer", "ow_1", "h1").await.unwrap();
    let day = d("2024-06-01");
    let total = |st: orgwork_store::Stats| st.total;
    assert_eq!(total(s.stats(&code("QN"), day).await.unwrap()), 0);
    assert_eq!(s.path_ids(&code("BAO"), day).await.unwrap().len(), 3);
    assert_eq!(s.ancestors(&code("BAO"), day).await.unwrap().len(), 2);
    assert!(s.user_by_token("h1").await.unwrap().is_some());
    // Through this store: seen at once.
    admit(s, "BAO", record("Trần Văn Một", "male", "1980-01-01", "2010-01-01")).await;
    assert_eq!(total(s.stats(&code("QN"), day).await.unwrap()), 1);
    s.move_unit(&actor(), dated("BAO", "2024-01-01"), code("QN")).await.unwrap();
    assert_eq!(s.path_ids(&code("BAO"), day).await.unwrap().len(), 2);
    assert_eq!(
        s.ancestors(&code("BAO"), day).await.unwrap().iter().map(|u| u.code.as_str()).collect::<Vec<_>>(),
        ["QN"]
    );
    assert_eq!(total(s.stats(&code("KCQ"), day).await.unwrap()), 0);
    // Through another store on the same database: seen within the interval.
    let other = db.open_again().await;
    admit(other.as_ref(), "SO-TC-C1", record("Lê Thị Hai", "female", "1985-01-01", "2012-01-01")).await;
    other.revoke_token(&actor(), "ow_1").await.unwrap();
    tokio::time::sleep(orgwork_store::cache::HEAD_CHECK_INTERVAL * 2).await;
    assert_eq!(total(s.stats(&code("QN"), day).await.unwrap()), 2);
    assert_eq!(total(s.stats(&code("KCQ"), day).await.unwrap()), 1);
    assert!(s.user_by_token("h1").await.unwrap().is_none(), "a revoked token is refused");
    assert_eq!(s.ancestors(&code("SO-TC-C1"), day).await.unwrap().len(), 3, "QN, KCQ, SO-TC");
    other.move_unit(&actor(), dated("SO-TC", "2024-02-01"), code("QN")).await.unwrap();
    tokio::time::sleep(orgwork_store::cache::HEAD_CHECK_INTERVAL * 2).await;
    assert_eq!(s.path_ids(&code("SO-TC-C1"), day).await.unwrap().len(), 3);
    assert_eq!(s.ancestors(&code("SO-TC-C1"), day).await.unwrap().len(), 2, "seen from the other store's move");
    // And the cached answers are the database's.
    s.cache_reads(false);
    assert_eq!(total(s.stats(&code("QN"), day).await.unwrap()), 2);
    assert_eq!(s.path_ids(&code("SO-TC-C1"), day).await.unwrap().len(), 3);
}

/// The actor of the stories' changes.
pub fn actor() -> orgwork_store::Actor {
    orgwork_store::Actor { user_id: None, name: "test".into() }
}

fn new_user(name: &str, role: orgwork_domain::access::Role, unit: &str) -> orgwork_store::NewUser {
    orgwork_store::NewUser { name: name.into(), password_hash: format!("hash-of-{name}"), role, unit: code(unit) }
}

pub async fn keeps_users_tokens_and_sessions(store: Arc<dyn Store>) {
    use orgwork_domain::access::Role;
    let s = store.as_ref();
    small_province(s).await;
    let admin = s.create_user(&actor(), new_user("admin", Role::Administrator, "QN")).await.unwrap();
    assert_eq!(admin.grants[0].unit.as_str(), "QN");
    assert_eq!(admin.grants[0].role, Role::Administrator);
    let sec = s.create_user(&actor(), new_user("secretary", Role::Organizer, "so-tc")).await.unwrap();
    assert_eq!(error_code(s.create_user(&actor(), new_user("admin", Role::Viewer, "QN")).await), "duplicate_user");
    assert_eq!(error_code(s.create_user(&actor(), new_user("x", Role::Viewer, "NOPE")).await), "unit_not_found");
    assert_eq!(s.users().await.unwrap().iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["admin", "secretary"]);
    assert_eq!(s.credentials("secretary").await.unwrap().unwrap().password_hash, "hash-of-secretary");
    assert!(s.credentials("nobody").await.unwrap().is_none());

    // Tokens: found by hash until revoked.
    s.create_token(&actor(), "secretary", "ow_1", "h1").await.unwrap();
    assert_eq!(s.user_by_token("h1").await.unwrap().unwrap().name, "secretary");
    assert!(s.user_by_token("h2").await.unwrap().is_none());
    let revoked = s.revoke_token(&actor(), "ow_1").await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(s.user_by_token("h1").await.unwrap().is_none());
    assert_eq!(error_code(s.revoke_token(&actor(), "ow_1").await), "token_revoked");

    // Sessions: found until they expire, or the user is disabled.
    let now = chrono::Utc::now();
    s.create_session(sec.id, "s1", now + chrono::Duration::hours(1)).await.unwrap();
    s.create_session(sec.id, "s0", now - chrono::Duration::hours(1)).await.unwrap();
    assert_eq!(s.user_by_session("s1", now).await.unwrap().unwrap().name, "secretary");
    assert!(s.user_by_session("s0", now).await.unwrap().is_none());
    s.create_token(&actor(), "secretary", "ow_2", "h3").await.unwrap();
    s.set_user_disabled(&actor(), "secretary", true).await.unwrap();
    assert!(s.user_by_session("s1", now).await.unwrap().is_none());
    assert!(s.user_by_token("h3").await.unwrap().is_none());
    s.set_user_disabled(&actor(), "secretary", false).await.unwrap();
    assert!(s.user_by_token("h3").await.unwrap().is_some());
    s.set_language(&actor(), sec.id, "ar").await.unwrap();
    assert_eq!(s.user_by_id(sec.id).await.unwrap().unwrap().language.as_deref(), Some("ar"));
    s.set_password_hash(&actor(), "secretary", "new-hash").await.unwrap();
    assert_eq!(s.credentials("secretary").await.unwrap().unwrap().password_hash, "new-hash");
    assert_eq!(error_code(s.set_password_hash(&actor(), "nobody", "x").await), "user_not_found");
}

pub async fn audits_every_change_in_a_chain(store: Arc<dyn Store>) {
    use orgwork_domain::access::Role;
    let s = store.as_ref();
    small_province(s).await;
    s.rename_unit(&actor(), dated("BAO", "2024-01-01"), names("Chi bộ Báo Quảng Ninh mới")).await.unwrap();
    s.create_user(&actor(), new_user("admin", Role::Administrator, "QN")).await.unwrap();
    // A refused change leaves no entry.
    let _ = s.move_unit(&actor(), dated("KCQ", "2024-01-01"), code("SO-TC")).await.unwrap_err();
    let all = s.audit(None, None, Page::first(100)).await.unwrap();
    let actions: Vec<_> = all.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "unit.create",
            "unit.create",
            "unit.create",
            "unit.create",
            "unit.create",
            "unit.create",
            "unit.rename",
            "user.create"
        ]
    );
    assert_eq!(all.items.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
    let rename = &all.items[6];
    assert_eq!(rename.target, "BAO");
    assert_eq!(rename.actor, "test");
    assert_eq!(rename.before.as_ref().unwrap()["name"]["vi"], "Chi bộ Báo Quảng Ninh");
    assert_eq!(rename.after.as_ref().unwrap()["name"]["vi"], "Chi bộ Báo Quảng Ninh mới");

    // Filtered to a subtree; paged.
    let sub = s.audit(Some(&code("SO-TC")), None, Page::first(100)).await.unwrap();
    assert_eq!(sub.items.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(), ["SO-TC", "SO-TC-C1", "SO-TC-C2"]);
    // Newest first, for the subtree and for all, paged backwards.
    let newest = s.latest_audit(Some(&code("SO-TC")), Page::first(2)).await.unwrap();
    assert_eq!(newest.items.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(), ["SO-TC-C2", "SO-TC-C1"]);
    let older = s.latest_audit(Some(&code("SO-TC")), Page { limit: 10, after: newest.next }).await.unwrap();
    assert_eq!((older.items.iter().map(|e| e.target.as_str()).collect::<Vec<_>>(), older.next), (vec!["SO-TC"], None));
    let latest = s.latest_audit(None, Page::first(100)).await.unwrap();
    assert_eq!(
        latest.items.iter().rev().map(|e| e.seq).collect::<Vec<_>>(),
        all.items.iter().map(|e| e.seq).collect::<Vec<_>>()
    );
    let first = s.audit(None, None, Page::first(3)).await.unwrap();
    assert_eq!(first.items.len(), 3);
    let rest = s.audit(None, None, Page { limit: 100, after: first.next }).await.unwrap();
    assert_eq!(rest.items.len(), 5);
    assert!(s.audit(None, Some(d("2199-01-01")), Page::first(10)).await.unwrap().items.is_empty());

    let check = s.verify_audit().await.unwrap();
    assert_eq!((check.entries, check.first_broken), (8, None));
}

/// The audit chain catches an entry altered, or removed, behind the store's back.
pub async fn audit_verify_catches_tampering(db: &crate::TestDb) {
    let s = db.store.as_ref();
    small_province(s).await;
    assert_eq!(s.verify_audit().await.unwrap().first_broken, None);
    db.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3").await;
    let check = s.verify_audit().await.unwrap();
    let (seq, why) = check.first_broken.expect("the altered entry is caught");
    assert_eq!(seq, 3);
    assert!(why.contains("altered"), "{why}");
    db.execute("UPDATE audit_log SET actor = 'test' WHERE seq = 3").await;
    assert_eq!(s.verify_audit().await.unwrap().first_broken, None);
    db.execute("DELETE FROM audit_log WHERE seq = 4").await;
    let (seq, why) = s.verify_audit().await.unwrap().first_broken.expect("the removed entry is caught");
    assert_eq!(seq, 4);
    assert!(why.contains("missing"), "{why}");
}

/// With its key, the store keeps the chain's head signed: a cleared column, a rewritten and
/// rehashed entry and a cut tail each break the check, and no later write signs over them.
pub async fn audit_head_catches_a_cut_tail_and_a_rehash(db: &crate::TestDb) {
    use orgwork_domain::audit::{EntryFields, FORMAT, entry_hash};
    let s = db.store.as_ref();
    s.set_audit_key(b"the server's audit key".to_vec());
    small_province(s).await;
    let check = s.verify_audit().await.unwrap();
    assert_eq!(check.first_broken, None);
    let head = check.signed_head.expect("a signed head");
    assert_eq!((head.seq, head.mac.len()), (check.entries, 64));
    assert_eq!(s.audit_head().await.unwrap(), head);
    // Every column is hashed: a unit_id changed by hand breaks the entry.
    db.execute("UPDATE audit_log SET unit_id = unit_id + 1000000 WHERE seq = 2").await;
    let (seq, why) = s.verify_audit().await.unwrap().first_broken.expect("the unit_id is hashed");
    assert_eq!((seq, why.contains("altered")), (2, true), "{why}");
    db.execute("UPDATE audit_log SET unit_id = unit_id - 1000000 WHERE seq = 2").await;
    assert_eq!(s.verify_audit().await.unwrap().first_broken, None, "put back as it was");
    let all = s.audit(None, None, Page::first(100)).await.unwrap().items;
    let entries = all.len() as i64;
    // The newest entry rewritten and rehashed so that the chain fits again: not the signed head.
    let last = &all[all.len() - 1];
    let prev = &all[all.len() - 2];
    let after = last.after.as_ref().map(|v| v.to_string());
    let before = last.before.as_ref().map(|v| v.to_string());
    let forged = EntryFields {
        seq: last.seq,
        at: &last.at,
        actor: "forger",
        action: &last.action,
        target: &last.target,
        before: before.as_deref(),
        after: after.as_deref(),
        unit_id: None,
        format: FORMAT,
    };
    let hash = entry_hash(&prev.hash, &forged);
    let db2 = db.open_again().await;
    db.execute(&format!(
        "UPDATE audit_log SET actor = 'forger', unit_id = NULL, hash = '{hash}' WHERE seq = {}",
        last.seq
    ))
    .await;
    // A fresh store (no cache) with the key sees it, and so does the first.
    db2.set_audit_key(b"the server's audit key".to_vec());
    for store in [s, db2.as_ref()] {
        let (seq, why) = store.verify_audit().await.unwrap().first_broken.expect("the rehash is caught");
        assert!(why.contains("rehashed") || why.contains("altered"), "{seq}: {why}");
    }
    // With another key, the head's signature does not fit.
    let other = db.open_again().await;
    other.set_audit_key(b"another key".to_vec());
    assert!(other.verify_audit().await.unwrap().first_broken.unwrap().1.contains("signature"));
    // The tail cut: the signed head names entries that are gone, and a later write does not
    // sign over the cut.
    db.execute(&format!("DELETE FROM audit_log WHERE seq >= {}", entries - 1)).await;
    let (seq, why) = s.verify_audit().await.unwrap().first_broken.expect("the cut is caught");
    assert_eq!(seq, entries - 1, "{why}");
    assert!(why.contains("removed"), "{why}");
    s.rename_unit(&actor(), dated("SO-TC-C2", "2024-01-01"), names("Chi bộ mới")).await.unwrap();
    assert!(s.verify_audit().await.unwrap().first_broken.is_some(), "still caught after a write");
    assert_eq!(s.audit_head().await.unwrap().seq, head.seq, "the head is not signed over the cut");
    // Without the key, the chain alone is checked, and the check says so.
    let keyless = db.open_again().await;
    assert!(keyless.verify_audit().await.unwrap().unanchored.is_some());
}

/// A large import may set keys aside while it writes (PostgreSQL drops the histories' foreign
/// keys, the name words' key and the members' unique numbers, and adds them back, checking every
/// row): after it, each key refuses what it refused before.
pub async fn a_large_import_keeps_the_keys(db: &crate::TestDb) {
    use orgwork_domain::import::ImportRow;
    let s = db.store.as_ref();
    small_province(s).await;
    let rows: Vec<ImportRow> = (0..20_000)
        .map(|i| {
            let mut r = record(&format!("Nguyễn Thị Khóa {i}"), "female", "1990-01-01", "2015-01-01");
            r.card_number = Some(format!("{}", 60_000_000 + i));
            r.national_id = Some(format!("{:012}", 70_000_000 + i));
            ImportRow { row: i + 2, record: r, unit: Some(code("SO-TC-C1")), status: None }
        })
        .collect();
    assert_eq!(s.import_members(&actor(), &rows, None, false).await.unwrap().created, 20_000);
    for (what, sql) in [
        (
            "a membership of no member",
            "INSERT INTO membership (member_id, valid_from, unit_id, reason) SELECT -1, '2020-01-01', unit_id, 'x' FROM membership LIMIT 1",
        ),
        (
            "a membership in no unit",
            "INSERT INTO membership (member_id, valid_from, unit_id, reason) SELECT id, '1999-01-01', -1, 'x' FROM member LIMIT 1",
        ),
        (
            "a status of no member",
            "INSERT INTO member_status (member_id, valid_from, status) VALUES (-1, '2020-01-01', 'official')",
        ),
        (
            "a name word twice",
            "INSERT INTO member_word (word, name_key, member_id, name_fold) SELECT word, name_key, member_id, name_fold FROM member_word LIMIT 1",
        ),
        ("a card number twice", "UPDATE member SET card_number = '60000001' WHERE card_number = '60000002'"),
        ("a national ID twice", "UPDATE member SET national_id = '000070000001' WHERE national_id = '000070000002'"),
    ] {
        assert!(db.try_execute(sql).await.is_err(), "{what} is refused after a large import");
    }
}

pub fn record(name: &str, sex: &str, born: &str, admitted: &str) -> orgwork_domain::members::Record {
    let input = orgwork_domain::members::RecordInput {
        full_name: name.into(),
        sex: sex.into(),
        birth_date: born.into(),
        admitted_on: admitted.into(),
        ethnicity: Some("Kinh".into()),
        ..Default::default()
    };
    orgwork_domain::members::Record::parse(&orgwork_domain::profile::Profile::default_profile().members, &input)
        .expect("a test record")
}

pub async fn admit(store: &dyn Store, unit: &str, r: orgwork_domain::members::Record) -> MemberId {
    // The test tree starts on 2020-01-01: members admitted before joined their unit then.
    let joined = r.admitted_on.max(d("2020-01-01"));
    let m = store
        .create_member(
            &actor(),
            orgwork_store::NewMember { record: r, unit: code(unit), joined_on: joined, document: None, from_org: None },
        )
        .await
        .unwrap_or_else(|e| panic!("admit into {unit}: {e}"));
    m.id
}

/// The ledger's counts agree with a recount from the records, for these units on these days.
pub async fn assert_ledger_agrees(store: &dyn Store, units: &[&str], days: &[&str]) {
    for u in units {
        for day in days {
            let (a, b) = (store.stats(&code(u), d(day)).await, store.recount(&code(u), d(day)).await);
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "the counts of {u} on {day}"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("{u} on {day}: ledger {a:?}, recount {b:?}"),
            }
        }
    }
}

pub async fn keeps_members_with_their_history_and_counts(store: Arc<dyn Store>) {
    use orgwork_domain::members::Status;
    let s = store.as_ref();
    small_province(s).await;
    let mut young = record("Bùi Thụy Anh", "female", "2000-04-10", "2021-06-01");
    young.occupation = Some(orgwork_domain::codes::Code::from_stored("student"));
    young.card_number = Some("10000001".into());
    let a = admit(s, "SO-TC-C1", young).await;
    let mut binh = record("Đặng Văn Bình", "male", "1970-01-01", "1995-02-03");
    binh.official_on = Some(d("1996-02-03"));
    let b = admit(s, "SO-TC-C2", binh).await;
    let mut arab = record("أحمد مُحَمَّد", "male", "1985-03-01", "2010-01-01");
    arab.national_id = Some("001085000123".into());
    let c = admit(s, "BAO", arab).await;

    // Counts as of dates, by status and category.
    let st = s.stats(&code("QN"), d("2024-01-01")).await.unwrap();
    assert_eq!(st.total, 3);
    assert_eq!(st.by_status.get("probationary"), Some(&2));
    assert_eq!(st.by_status.get("official"), Some(&1));
    assert_eq!(st.by_category.get("young"), Some(&1));
    assert_eq!(st.by_category.get("student"), Some(&1));
    assert_eq!(st.by_category.get("female"), Some(&1));
    assert_eq!(s.stats(&code("SO-TC"), d("2024-01-01")).await.unwrap().total, 2);
    assert_eq!(s.stats(&code("QN"), d("2021-05-31")).await.unwrap().total, 2);
    // Turning 30 ends "young" on the birthday.
    assert_eq!(s.stats(&code("QN"), d("2030-04-09")).await.unwrap().by_category.get("young"), Some(&1));
    assert_eq!(s.stats(&code("QN"), d("2030-04-10")).await.unwrap().by_category.get("young"), None);

    // Status changes: official, then deceased (membership ends).
    assert_eq!(
        error_code(s.change_status(&actor(), b, Status::Official, d("2023-01-01"), None).await),
        "no_change",
        "official already"
    );
    assert_eq!(s.stats(&code("QN"), d("2024-01-01")).await.unwrap().by_status.get("probationary"), Some(&2));
    let m =
        s.change_status(&actor(), b, Status::Deceased, d("2024-05-01"), Some("Giấy chứng tử 12".into())).await.unwrap();
    assert_eq!(m.status, Some(Status::Deceased));
    assert_eq!(m.unit, None);
    assert_eq!(m.memberships[0].valid_to, Some(d("2024-05-01")));
    assert_eq!(error_code(s.change_status(&actor(), b, Status::Official, d("2025-01-01"), None).await), "not_a_member");
    let qn = code("QN");
    let on = |day| s.stats(&qn, d(day));
    assert_eq!(on("2024-04-30").await.unwrap().by_status.get("official"), Some(&1));
    assert_eq!(on("2024-05-01").await.unwrap().total, 2);

    // The member as of a date.
    let before = s.member(b, d("2021-01-01")).await.unwrap();
    assert_eq!(before.unit.as_ref().map(UnitCode::as_str), Some("SO-TC-C2"));
    assert_eq!(before.status, Some(Status::Official));
    assert_eq!(before.statuses.len(), 3);

    // Search: any part of the name, case and diacritics ignored; card number and national ID.
    let find = |q: &'static str, unit: &'static str| {
        let store = store.clone();
        async move {
            let filter = orgwork_store::MemberFilter { query: Some(q.into()), ..Default::default() };
            store
                .members(Some(&code(unit)), d("2024-01-01"), &filter, Page::first(50))
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|m| m.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(find("bui thuy", "QN").await, [a]);
    assert_eq!(find("THỤY", "QN").await, [a]);
    assert_eq!(find("dang", "QN").await, [b]);
    assert_eq!(find("احمد", "QN").await, [c]);
    assert_eq!(find("محمد", "QN").await, [c]);
    assert_eq!(find("10000001", "QN").await, [a]);
    assert_eq!(find("001085000123", "QN").await, [c]);
    assert!(find("bui thuy", "BAO").await.is_empty(), "only within the subtree");
    // Filters.
    let filtered = |status: Option<Status>, category: Option<&str>| {
        let store = store.clone();
        let category = category.map(str::to_string);
        async move {
            let filter = orgwork_store::MemberFilter { query: None, status, category, ..Default::default() };
            let listed = store.members(Some(&code("QN")), d("2024-01-01"), &filter, Page::first(50)).await.unwrap();
            // The count agrees with the list, whether it comes from the counts or the list.
            let tally = store.count_members(&code("QN"), d("2024-01-01"), &filter, 50).await.unwrap();
            assert_eq!(tally, orgwork_store::Tally { count: listed.items.len() as u64, more: false });
            listed.items.len()
        }
    };
    // Past their probation: the probationary members the domain's rule flags on the day.
    let day = d("2024-01-01");
    let probationary = orgwork_store::MemberFilter { status: Some(Status::Probationary), ..Default::default() };
    let mut flagged = vec![];
    for m in s.members(Some(&code("QN")), day, &probationary, Page::first(50)).await.unwrap().items {
        let full = s.member(m.id, day).await.unwrap();
        let months = s.profile().members.probation_months;
        if orgwork_domain::members::probation_overdue(full.status, full.record.admitted_on, months, day).is_some() {
            flagged.push(m.id);
        }
    }
    assert!(!flagged.is_empty(), "the story has a member past probation");
    let over = orgwork_store::MemberFilter { probation_over: true, ..Default::default() };
    let listed = s.members(Some(&code("QN")), day, &over, Page::first(50)).await.unwrap();
    assert_eq!(listed.items.iter().map(|m| m.id).collect::<Vec<_>>(), flagged);
    let past = s.past_probation(&code("QN"), day).await.unwrap();
    assert_eq!(past, orgwork_store::Tally { count: flagged.len() as u64, more: false });
    let two = orgwork_store::MemberFilter { query: Some("a".into()), ..Default::default() };
    let capped = s.count_members(&code("QN"), d("2024-01-01"), &two, 1).await.unwrap();
    assert_eq!(capped, orgwork_store::Tally { count: 1, more: true }, "a count stops at its cap");
    assert_eq!(filtered(None, None).await, 3);
    assert_eq!(filtered(Some(Status::Official), None).await, 1);
    assert_eq!(filtered(Some(Status::Probationary), None).await, 2);
    assert_eq!(filtered(None, Some("young")).await, 1);
    assert_eq!(filtered(None, Some("female")).await, 1);

    // Bad input changes nothing.
    let mut dup = record("Người Khác", "male", "1980-01-01", "2005-01-01");
    dup.card_number = Some("10000001".into());
    let r = s
        .create_member(
            &actor(),
            orgwork_store::NewMember {
                record: dup,
                unit: code("BAO"),
                joined_on: d("2020-06-01"),
                document: None,
                from_org: None,
            },
        )
        .await;
    assert_eq!(error_code(r), "duplicate_member");
    let r = s
        .create_member(
            &actor(),
            orgwork_store::NewMember {
                record: record("X Y", "male", "1980-01-01", "2005-01-01"),
                unit: code("NOPE"),
                joined_on: d("2005-01-01"),
                document: None,
                from_org: None,
            },
        )
        .await;
    assert_eq!(error_code(r), "unit_not_found");
    // A unit with members cannot be dissolved.
    assert_eq!(error_code(s.dissolve_unit(&actor(), dated("BAO", "2025-01-01")).await), "has_members");

    assert_ledger_agrees(
        s,
        &["QN", "KCQ", "SO-TC", "SO-TC-C1", "SO-TC-C2", "BAO"],
        &["2020-01-01", "2021-06-01", "2024-04-30", "2024-05-01", "2031-01-01"],
    )
    .await;
    s.rebuild_ledger().await.unwrap();
    assert_ledger_agrees(s, &["QN", "SO-TC", "BAO"], &["2021-06-01", "2024-05-01"]).await;
}

pub async fn counts_follow_a_moved_unit_without_touching_members(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    create(s, "DN", "bloc_committee", Some("QN"), "2020-01-01", "Đảng bộ Khối doanh nghiệp").await;
    admit(s, "SO-TC-C1", record("Nguyễn Văn An", "male", "1990-01-01", "2015-01-01")).await;
    admit(s, "SO-TC-C2", record("Trần Thị Bích", "female", "1999-01-01", "2022-01-01")).await;
    admit(s, "BAO", record("Lê Văn Cường", "male", "1980-01-01", "2010-01-01")).await;
    // Moved on 2024-06-01, then a member admitted after the move, then another move back later.
    s.move_unit(&actor(), dated("SO-TC", "2024-06-01"), code("DN")).await.unwrap();
    admit(s, "SO-TC-C1", record("Phạm Thị Dung", "female", "1995-05-05", "2024-09-01")).await;
    let (kcq_code, dn_code) = (code("KCQ"), code("DN"));
    let kcq = |day| s.stats(&kcq_code, d(day));
    let dn = |day| s.stats(&dn_code, d(day));
    assert_eq!((kcq("2024-05-31").await.unwrap().total, dn("2024-05-31").await.unwrap().total), (3, 0));
    assert_eq!((kcq("2024-06-01").await.unwrap().total, dn("2024-06-01").await.unwrap().total), (1, 2));
    assert_eq!((kcq("2024-09-01").await.unwrap().total, dn("2024-09-01").await.unwrap().total), (1, 3));
    s.move_unit(&actor(), dated("SO-TC", "2025-01-01"), code("KCQ")).await.unwrap();
    assert_eq!((kcq("2025-01-01").await.unwrap().total, dn("2025-01-01").await.unwrap().total), (4, 0));
    assert_eq!(s.stats(&code("QN"), d("2025-01-01")).await.unwrap().total, 4);
    // A move of the bloc above, recorded later but dated between the two.
    create(s, "NEW", "provincial_committee", None, "2020-01-01", "Tỉnh mới").await;
    s.move_unit(&actor(), dated("DN", "2024-08-01"), code("NEW")).await.unwrap();
    assert_eq!(s.stats(&code("NEW"), d("2024-09-01")).await.unwrap().total, 3);
    assert_eq!(s.stats(&code("QN"), d("2024-09-01")).await.unwrap().total, 1);
    assert_eq!(s.stats(&code("NEW"), d("2025-01-01")).await.unwrap().total, 0);
    assert_ledger_agrees(
        s,
        &["QN", "KCQ", "DN", "NEW", "SO-TC", "SO-TC-C1", "BAO"],
        &[
            "2024-05-31",
            "2024-06-01",
            "2024-07-31",
            "2024-08-01",
            "2024-09-01",
            "2024-12-31",
            "2025-01-01",
            "2026-01-01",
        ],
    )
    .await;
}

pub async fn transfers_in_two_steps(store: Arc<dyn Store>) {
    use orgwork_domain::members::Status;
    use orgwork_store::{Destination, TransferFilter};
    let s = store.as_ref();
    small_province(s).await;
    let a = admit(s, "SO-TC-C1", record("Nguyễn Văn An", "male", "1990-01-01", "2021-01-01")).await;
    let b = admit(s, "SO-TC-C1", record("Trần Thị Bích", "female", "1992-01-01", "2021-01-01")).await;
    let total = |u: &'static str, day: &'static str| {
        let store = store.clone();
        async move { store.stats(&code(u), d(day)).await.unwrap().total }
    };

    // Within the tree: issued by the sender, counted there until the receiver accepts.
    let t = s
        .issue_transfer(&actor(), a, Destination::Unit(code("BAO")), d("2024-03-01"), Some("15-QĐ/ĐU".into()))
        .await
        .unwrap();
    assert_eq!((t.state.as_str(), t.due_on), ("issued", d("2024-03-31")));
    assert_eq!(
        error_code(s.issue_transfer(&actor(), a, Destination::Unit(code("BAO")), d("2024-03-02"), None).await),
        "transfer_pending"
    );
    assert_eq!((total("SO-TC", "2024-03-15").await, total("BAO", "2024-03-15").await), (2, 0));
    let pending = s
        .transfers(
            &code("BAO"),
            &TransferFilter { direction: Some(Direction::In), pending: true, overdue_on: None },
            Page::first(10),
        )
        .await
        .unwrap();
    assert_eq!(pending.items.iter().map(|t| t.member_name.as_str()).collect::<Vec<_>>(), ["Nguyễn Văn An"]);
    let overdue = |day: &'static str| {
        let store = store.clone();
        async move {
            let f = TransferFilter { direction: None, pending: true, overdue_on: Some(d(day)) };
            store.transfers(&code("QN"), &f, Page::first(10)).await.unwrap().items.len()
        }
    };
    assert_eq!((overdue("2024-03-31").await, overdue("2024-04-01").await), (0, 1), "flagged past the 30 days");
    let id = t.id;
    assert_eq!(error_code(s.accept_transfer(&actor(), id, d("2024-02-01"), None).await), "date_before_issue");
    let accepted = s.accept_transfer(&actor(), id, d("2024-04-05"), Some("nhận 3".into())).await.unwrap();
    assert_eq!(accepted.state, TransferState::Accepted);
    assert_eq!(error_code(s.accept_transfer(&actor(), id, d("2024-04-06"), None).await), "transfer_closed");
    assert_eq!((total("SO-TC", "2024-04-04").await, total("BAO", "2024-04-04").await), (2, 0));
    assert_eq!((total("SO-TC", "2024-04-05").await, total("BAO", "2024-04-05").await), (1, 1));
    assert_eq!(total("QN", "2024-04-05").await, 2);
    let m = s.member(a, d("2024-04-05")).await.unwrap();
    assert_eq!(m.unit.as_ref().map(UnitCode::as_str), Some("BAO"));
    assert_eq!(m.memberships.len(), 2);
    assert_eq!(m.memberships[1].reason, "transfer");

    // Out of the tree: the member leaves the counts on acceptance, as "transferred out".
    let out = s
        .issue_transfer(&actor(), b, Destination::Outside("Đảng bộ tỉnh Hải Dương".into()), d("2024-05-01"), None)
        .await
        .unwrap();
    let cancelled = s.cancel_transfer(&actor(), out.id, d("2024-05-02")).await.unwrap();
    assert_eq!(cancelled.state, TransferState::Cancelled);
    let out = s
        .issue_transfer(&actor(), b, Destination::Outside("Đảng bộ tỉnh Hải Dương".into()), d("2024-05-03"), None)
        .await
        .unwrap();
    s.accept_transfer(&actor(), out.id, d("2024-06-01"), None).await.unwrap();
    assert_eq!((total("QN", "2024-05-31").await, total("QN", "2024-06-01").await), (2, 1));
    let m = s.member(b, d("2024-06-01")).await.unwrap();
    assert_eq!((m.unit, m.status), (None, Some(Status::TransferredOut)));

    // Into the tree from outside.
    let r = record("Lê Văn Cường", "male", "1985-01-01", "2010-01-01");
    let c = s
        .create_member(
            &actor(),
            orgwork_store::NewMember {
                record: r,
                unit: code("BAO"),
                joined_on: d("2024-07-01"),
                document: None,
                from_org: Some("Đảng bộ tỉnh Thái Bình".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(c.memberships[0].reason, "transfer_in");
    let ins = s
        .transfers(
            &code("BAO"),
            &TransferFilter { direction: Some(Direction::In), ..Default::default() },
            Page::first(10),
        )
        .await
        .unwrap();
    assert_eq!(ins.items[0].from_org.as_deref(), Some("Đảng bộ tỉnh Thái Bình"));
    assert_eq!(total("BAO", "2024-07-01").await, 2);

    // Bad transfers change nothing.
    assert_eq!(
        error_code(s.issue_transfer(&actor(), c.id, Destination::Unit(code("BAO")), d("2024-08-01"), None).await),
        "same_unit"
    );
    assert_eq!(
        error_code(s.issue_transfer(&actor(), c.id, Destination::Unit(code("NOPE")), d("2024-08-01"), None).await),
        "unit_not_found"
    );
    assert_eq!(
        error_code(s.issue_transfer(&actor(), b, Destination::Unit(code("BAO")), d("2024-08-01"), None).await),
        "not_a_member"
    );
    assert_ledger_agrees(
        s,
        &["QN", "KCQ", "SO-TC", "SO-TC-C1", "BAO"],
        &["2024-03-15", "2024-04-05", "2024-06-01", "2024-07-01"],
    )
    .await;
    let check = s.verify_audit().await.unwrap();
    assert_eq!(check.first_broken, None);
}

pub async fn lists_members_in_vietnamese_order(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    for name in [
        "Đặng Văn Bình",
        "Dương Thị Lan",
        "Ân Văn Hòa",
        "Anh Thị Tú",
        "Bùi Thụy",
        "Ðinh Văn A",
        "Đào Hồng Hoa",
        "Zô Văn Tư",
    ] {
        admit(s, "BAO", record(name, "male", "1990-01-01", "2021-01-01")).await;
    }
    let mut names = vec![];
    let mut page = Page::first(3);
    loop {
        let p = s
            .members(Some(&code("QN")), d("2022-01-01"), &orgwork_store::MemberFilter::default(), page.clone())
            .await
            .unwrap();
        names.extend(p.items.into_iter().map(|m| m.full_name));
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    assert_eq!(
        names,
        [
            "Anh Thị Tú",
            "Ân Văn Hòa",
            "Bùi Thụy",
            "Dương Thị Lan",
            "Đào Hồng Hoa",
            "Đặng Văn Bình",
            "Ðinh Văn A",
            "Zô Văn Tư"
        ]
    );
}

async fn count_in(store: &dyn Store, unit: &str, day: &str) -> i64 {
    store.stats(&code(unit), d(day)).await.unwrap().total
}

pub async fn imports_all_or_nothing_and_exports_back(store: Arc<dyn Store>) {
    use orgwork_domain::import::read_rows;
    let s = store.as_ref();
    small_province(s).await;
    let profile = s.profile().clone();
    let today = chrono::Local::now().date_naive().to_string();
    // As an office sends it: BOM, semicolons, CRLF, Vietnamese headings, DD/MM/YYYY, NFD text.
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Nguyễn Thị Hồng").collect();
    let csv = format!(
        "\u{feff}Họ và tên;Giới tính;Ngày sinh;Ngày vào Đảng;Ngày chính thức;Số thẻ đảng viên;Dân tộc;Chi bộ\r\n\
         {nfd};Nữ;12/03/1990;05/06/2015;05/06/2016;10000001;Kinh;SO-TC-C1\r\n\
         Trần Văn Nam;Nam;01/01/1985;02/02/2010;;10000002;Tày;\r\n\
         أحمد علي;Nam;1980-07-07;2012-01-01;;10000003;;BAO\r\n"
    );
    let rows = read_rows(&profile, &orgwork_tabular::read(csv.as_bytes()).unwrap()).unwrap();
    assert_eq!(rows[0].record.full_name, "Nguyễn Thị Hồng", "NFD becomes NFC");
    // A dry run applies nothing.
    let dry = s.import_members(&actor(), &rows, Some(&code("SO-TC-C2")), true).await.unwrap();
    assert_eq!((dry.created, dry.errors.len(), count_in(s, "QN", &today).await), (3, 0, 0));
    let done = s.import_members(&actor(), &rows, Some(&code("SO-TC-C2")), false).await.unwrap();
    assert_eq!((done.created, done.updated, done.unchanged), (3, 0, 0));
    assert_eq!(
        (
            count_in(s, "SO-TC-C1", &today).await,
            count_in(s, "SO-TC-C2", &today).await,
            count_in(s, "BAO", &today).await
        ),
        (1, 1, 1)
    );
    let found = s
        .members(
            Some(&code("QN")),
            d(&today),
            &orgwork_store::MemberFilter { query: Some("nguyen thi hong".into()), ..Default::default() },
            Page::first(5),
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1, "the NFD name is found without accents");

    // The export imports back unchanged (CSV and XLSX).
    // Read in pages of two, as an export of any size is.
    let mut records = vec![];
    let mut page = Page::first(2);
    loop {
        let p = s.member_records(&code("QN"), d(&today), page.clone()).await.unwrap();
        records.extend(p.items);
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    assert_eq!(records.len(), 3);
    let mut table = vec![orgwork_domain::import::COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
    table.extend(records.iter().map(|(r, st, u)| orgwork_domain::import::export_row(r, Some(*st), u.as_str())));
    for bytes in [orgwork_tabular::write_csv(&table), orgwork_tabular::write_xlsx(&table[0], &table[1..]).unwrap()] {
        let back = read_rows(&profile, &orgwork_tabular::read(&bytes).unwrap()).unwrap();
        let again = s.import_members(&actor(), &back, None, false).await.unwrap();
        assert_eq!((again.created, again.updated, again.unchanged, again.errors.len()), (0, 0, 3, 0));
    }

    // A file with bad rows: every fault named, nothing applied, even the good rows.
    let bad = "full_name,sex,birth_date,admitted_on,card_number,unit\n\
               Lê Văn Mới,male,1991-01-01,2020-01-01,20000001,BAO\n\
               Phạm Thị Sai,female,1991-02-30,2020-01-01,20000002,BAO\n\
               Đỗ Văn Trùng,male,1990-01-01,2019-01-01,20000001,BAO\n\
               Hoàng Văn Xa,male,1990-01-01,2019-01-01,20000004,NOPE\n";
    let parsed = read_rows(&profile, &orgwork_tabular::read(bad.as_bytes()).unwrap());
    let errors = parsed.unwrap_err().errors;
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].row, errors[0].column.as_str(), errors[0].value.as_str()), (3, "birth_date", "1991-02-30"));
    let good_only = "full_name,sex,birth_date,admitted_on,card_number,unit\n\
               Lê Văn Mới,male,1991-01-01,2020-01-01,20000001,BAO\n\
               Đỗ Văn Trùng,male,1990-01-01,2019-01-01,20000001,BAO\n\
               Hoàng Văn Xa,male,1990-01-01,2019-01-01,20000004,NOPE\n";
    let rows = read_rows(&profile, &orgwork_tabular::read(good_only.as_bytes()).unwrap()).unwrap();
    let report = s.import_members(&actor(), &rows, None, false).await.unwrap();
    let faults: Vec<_> = report.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(faults, [(3, "card_number")], "a card number twice in the file");
    let report = s
        .import_members(&actor(), &rows[..1].iter().chain(&rows[2..]).cloned().collect::<Vec<_>>(), None, false)
        .await
        .unwrap();
    assert_eq!(
        report.errors.iter().map(|e| (e.row, e.column.as_str(), e.value.as_str())).collect::<Vec<_>>(),
        [(4, "unit", "NOPE")]
    );
    assert_eq!(count_in(s, "BAO", &today).await, 1, "nothing of a refused file is applied");

    // A row matching a member by card number updates the record; a different unit is refused.
    let update = "full_name,sex,birth_date,admitted_on,official_on,card_number,occupation\n\
                  Trần Văn Nam,male,1985-01-01,2010-02-02,2011-02-02,10000002,student\n";
    let rows = read_rows(&profile, &orgwork_tabular::read(update.as_bytes()).unwrap()).unwrap();
    let report = s.import_members(&actor(), &rows, Some(&code("SO-TC")), false).await.unwrap();
    assert_eq!((report.updated, report.errors.len()), (1, 0), "{:?}", report.errors);
    assert_eq!(s.stats(&code("SO-TC-C2"), d(&today)).await.unwrap().by_category.get("student"), Some(&1));
    assert_eq!(s.stats(&code("QN"), d(&today)).await.unwrap().by_status.get("official"), Some(&2));
    let moved =
        "full_name,sex,birth_date,admitted_on,card_number,unit\nTrần Văn Nam,male,1985-01-01,2010-02-02,10000002,BAO\n";
    let rows = read_rows(&profile, &orgwork_tabular::read(moved.as_bytes()).unwrap()).unwrap();
    let report = s.import_members(&actor(), &rows, None, false).await.unwrap();
    assert!(report.errors[0].reason.contains("transfer"), "{:?}", report.errors);
    assert_ledger_agrees(s, &["QN", "SO-TC", "SO-TC-C2", "BAO"], &[&today]).await;
}

pub async fn admits_candidates_and_counts_the_year(store: Arc<dyn Store>) {
    use orgwork_store::NewCandidate;
    let s = store.as_ref();
    small_province(s).await;
    let cand = |name: &str, sex: &str, born: &str, occupation: Option<&str>| NewCandidate {
        unit: code("SO-TC-C1"),
        full_name: name.into(),
        sex: sex.into(),
        birth_date: d(born),
        occupation: occupation.map(str::to_string),
        national_id: None,
        course: Some("Lớp bồi dưỡng nhận thức về Đảng, khóa 3/2024".into()),
        course_done: Some(d("2024-04-15")),
        proposed_on: d("2024-05-01"),
    };
    let a = s.add_candidate(&actor(), cand("Vũ Thị Hạnh", "female", "2001-02-02", Some("student"))).await.unwrap();
    let b = s.add_candidate(&actor(), cand("Ngô Văn Lực", "male", "1980-02-02", None)).await.unwrap();
    let c = s.add_candidate(&actor(), cand("Hà Văn Rút", "male", "1990-02-02", None)).await.unwrap();
    let bad = s.add_candidate(&actor(), NewCandidate { sex: "x".into(), ..cand("A B", "x", "2001-01-01", None) }).await;
    assert_eq!(error_code(bad), "invalid_member");
    assert_eq!(s.candidates(&code("SO-TC"), true).await.unwrap().len(), 3);
    let total = |day: &'static str| {
        let store = store.clone();
        async move { store.stats(&code("QN"), d(day)).await.unwrap().total }
    };
    assert_eq!(total("2024-12-31").await, 0, "candidates are not members");

    let m = s
        .admit_candidate(&actor(), a.id, d("2024-07-01"), Some("33000001".into()), Some("12-QĐ/ĐU".into()))
        .await
        .unwrap();
    assert_eq!(m.status, Some(orgwork_domain::members::Status::Probationary));
    assert_eq!(m.unit.as_ref().map(UnitCode::as_str), Some("SO-TC-C1"));
    assert_eq!(error_code(s.admit_candidate(&actor(), a.id, d("2024-08-01"), None, None).await), "candidate_closed");
    assert_eq!(
        error_code(s.admit_candidate(&actor(), b.id, d("2024-04-01"), None, None).await),
        "date_before_proposal"
    );
    s.admit_candidate(&actor(), b.id, d("2025-01-10"), None, None).await.unwrap();
    s.withdraw_candidate(&actor(), c.id, d("2024-09-01"), Some("chuyển công tác".into())).await.unwrap();
    assert!(s.candidates(&code("QN"), true).await.unwrap().is_empty());
    assert_eq!(s.candidates(&code("QN"), false).await.unwrap().len(), 3);
    assert_eq!((total("2024-06-30").await, total("2024-07-01").await, total("2025-01-10").await), (0, 1, 2));

    let y2024 = s.admissions(&code("QN"), 2024).await.unwrap();
    assert_eq!((y2024.admitted, y2024.young, y2024.students, y2024.women), (1, 1, 1, 1));
    let y2025 = s.admissions(&code("SO-TC"), 2025).await.unwrap();
    assert_eq!((y2025.admitted, y2025.young, y2025.students), (1, 0, 0));
    assert_eq!(s.admissions(&code("BAO"), 2024).await.unwrap().admitted, 0);
}

pub async fn search_follows_corrected_names(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let id = admit(s, "BAO", record("Trịnh Văn Cũ", "male", "1990-01-01", "2021-01-01")).await;
    let find = |q: &'static str| {
        let store = store.clone();
        async move {
            let f = orgwork_store::MemberFilter { query: Some(q.into()), ..Default::default() };
            store.members(Some(&code("QN")), d("2022-01-01"), &f, Page::first(5)).await.unwrap().items.len()
        }
    };
    assert_eq!((find("trinh van cu").await, find("ngoc moi").await), (1, 0));
    let mut r = s.member(id, d("2022-01-01")).await.unwrap().record;
    r.full_name = "Trịnh Ngọc Mới".into();
    s.edit_member(&actor(), id, r).await.unwrap();
    assert_eq!((find("trinh van cu").await, find("ngoc moi").await, find("trinh").await), (0, 1, 1));
    // Short words cannot use the index; they are still found.
    assert_eq!(find("tr ng").await, 1);
    // Under a unit, only the members under it on that day, through the index or not.
    admit(s, "SO-TC-C1", record("Trịnh Ngọc Mới", "female", "1991-01-01", "2021-01-01")).await;
    s.move_unit(&actor(), dated("SO-TC", "2023-01-01"), code("QN")).await.unwrap();
    let under = |unit: &'static str, day: &'static str, q: &'static str| {
        let store = store.clone();
        async move {
            let f = orgwork_store::MemberFilter { query: Some(q.into()), ..Default::default() };
            let page = store.members(Some(&code(unit)), d(day), &f, Page::first(5)).await.unwrap();
            page.items.iter().map(|m| m.unit.to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(under("QN", "2022-01-01", "ngoc moi").await.len(), 2);
    assert_eq!(under("SO-TC", "2022-01-01", "ngoc moi").await, ["SO-TC-C1"]);
    assert_eq!(under("BAO", "2022-01-01", "ngoc moi").await, ["BAO"]);
    assert_eq!(under("KCQ", "2022-01-01", "ngoc moi").await.len(), 2, "SO-TC was under KCQ in 2022");
    assert_eq!(under("KCQ", "2024-01-01", "ngoc moi").await, ["BAO"], "and no longer in 2024");
    assert_eq!(under("KCQ", "2024-01-01", "tr ng").await, ["BAO"], "without the index too");
    assert!(under("SO-TC-C2", "2024-01-01", "ngoc moi").await.is_empty());
}

/// A large import into a small register builds its indexes after the rows: a dry run leaves
/// them as they were, and after the import, searches (by name through the trigram index, by
/// card number) and the collation order work on every new member.
pub async fn a_large_import_builds_its_indexes_after_the_rows(store: Arc<dyn Store>) {
    use orgwork_domain::import::ImportRow;
    let s = store.as_ref();
    small_province(s).await;
    admit(s, "BAO", record("Trần Văn Cũ", "male", "1980-01-01", "2010-01-01")).await;
    let surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Bùi", "Ân", "Ông"];
    let rows = |tag: &str, offset: usize| -> Vec<ImportRow> {
        (0..20_000)
            .map(|i| {
                let mut r = record(&format!("{} Thị {tag} {i}", surnames[i % 8]), "female", "1990-01-01", "2015-01-01");
                r.card_number = Some(format!("{}", 50_000_000 + offset + i));
                ImportRow {
                    row: i + 2,
                    record: r,
                    unit: Some(code(if i % 2 == 0 { "SO-TC-C1" } else { "SO-TC-C2" })),
                    status: None,
                }
            })
            .collect()
    };
    let search = |q: &'static str| {
        let store = store.clone();
        async move {
            let filter = orgwork_store::MemberFilter { query: Some(q.into()), ..Default::default() };
            store.members(Some(&code("QN")), d("2024-01-01"), &filter, Page::first(5)).await.unwrap().items
        }
    };
    let dry = s.import_members(&actor(), &rows("Thử", 0), None, true).await.unwrap();
    assert_eq!(dry.created, 20_000);
    assert!(search("thi thu").await.is_empty(), "a dry run writes nothing");
    assert_eq!(search("tran van cu").await.len(), 1, "the indexes are there after a dry run");
    let done = s.import_members(&actor(), &rows("Mới", 100_000), None, false).await.unwrap();
    assert_eq!(done.created, 20_000);
    let found = search("dang thi moi 19996").await;
    assert_eq!(found.iter().map(|m| m.full_name.as_str()).collect::<Vec<_>>(), ["Đặng Thị Mới 19996"]);
    assert_eq!(search("50119997").await[0].full_name, "Bùi Thị Mới 19997");
    assert_eq!(search("tran van cu").await.len(), 1);
    // Vietnamese order: "Ân" before "Bùi", "Ông" after "Nguyễn".
    let filter = orgwork_store::MemberFilter::default();
    let first = s.members(Some(&code("QN")), d("2024-01-01"), &filter, Page::first(1)).await.unwrap().items;
    assert!(first[0].full_name.starts_with("Ân "), "{}", first[0].full_name);
    assert_eq!(s.stats(&code("QN"), d("2024-01-01")).await.unwrap().total, 20_001);
    assert_ledger_agrees(s, &["QN", "SO-TC", "SO-TC-C1", "BAO"], &["2014-01-01", "2016-01-01", "2030-01-01"]).await;
    // A name 20,000 members match: the pages follow each other, and a unit holding one of them
    // finds it, although it comes late in the name order ("Ông" after "Nguyễn": PostgreSQL's
    // first matches in name order do not fill that unit's page, and the search reads on).
    admit(s, "BAO", record("Ông Thị Mới Cuối", "female", "1990-01-01", "2015-01-01")).await;
    let many = orgwork_store::MemberFilter { query: Some("thi moi".into()), ..Default::default() };
    let names_of =
        |items: &[orgwork_store::MemberSummary]| items.iter().map(|m| m.full_name.clone()).collect::<Vec<_>>();
    let ten = s.members(Some(&code("QN")), d("2024-01-01"), &many, Page::first(10)).await.unwrap();
    let first = s.members(Some(&code("QN")), d("2024-01-01"), &many, Page::first(5)).await.unwrap();
    let second = s
        .members(Some(&code("QN")), d("2024-01-01"), &many, Page { after: first.next.clone(), ..Page::first(5) })
        .await
        .unwrap();
    assert_eq!([names_of(&first.items), names_of(&second.items)].concat(), names_of(&ten.items));
    assert!(ten.items[0].full_name.starts_with("Ân "), "{}", ten.items[0].full_name);
    let bao = s.members(Some(&code("BAO")), d("2024-01-01"), &many, Page::first(5)).await.unwrap();
    assert_eq!(names_of(&bao.items), ["Ông Thị Mới Cuối"]);
    let new = s.members(None, d("2024-01-01"), &many, Page::first(5)).await.unwrap();
    assert_eq!(new.items.len(), 5);
}

/// A large import cut into several slices, its count ledger written in several parts (the
/// store's `BulkSizes` set small): the first part into a ledger that already holds rows for
/// some of the same units, keys and days, the later parts onto the rows the earlier ones wrote.
/// The counts agree with a recount on every day, the young category's later changes included;
/// then again after a second import, which adds to every part.
pub async fn a_large_import_in_slices_counts_as_one(db: &crate::TestDb) {
    use orgwork_domain::import::ImportRow;
    let s = db.store.as_ref();
    small_province(s).await;
    let cells = ["SO-TC-C1", "SO-TC-C2", "BAO"];
    // Rows the ledger holds before the import, on days the import meets again.
    for (i, unit) in cells.iter().enumerate() {
        admit(s, unit, record(&format!("Đảng viên cũ {i}"), "female", "1998-03-05", "2020-01-02")).await;
    }
    let rows = |tag: &str, n: usize| -> Vec<ImportRow> {
        (0..n)
            .map(|i| {
                let born = format!("{}-{:02}-{:02}", 1990 + i % 11, i % 12 + 1, i % 28 + 1);
                let admitted = d("2020-01-02") + chrono::Days::new((i % 40) as u64);
                let sex = if i % 3 == 0 { "male" } else { "female" };
                ImportRow {
                    row: i + 2,
                    record: record(&format!("Đảng viên {tag} {i}"), sex, &born, &admitted.to_string()),
                    unit: Some(code(cells[i % 3])),
                    status: None,
                }
            })
            .collect()
    };
    let units = ["QN", "KCQ", "SO-TC", "SO-TC-C1", "SO-TC-C2", "BAO"];
    let days = [
        "2020-01-01",
        "2020-01-02",
        "2020-01-20",
        "2020-03-01",
        "2024-06-01",
        "2027-05-01",
        "2031-01-01",
        "2040-01-01",
    ];
    let first = s.import_members(&actor(), &rows("A", 2_000), None, false).await.unwrap();
    assert_eq!(first.created, 2_000);
    assert_eq!(s.stats(&code("QN"), d("2024-06-01")).await.unwrap().total, 2_003);
    assert_ledger_agrees(s, &units, &days).await;
    let second = s.import_members(&actor(), &rows("B", 1_500), None, false).await.unwrap();
    assert_eq!(second.created, 1_500);
    assert_eq!(s.stats(&code("QN"), d("2024-06-01")).await.unwrap().total, 3_503);
    assert_ledger_agrees(s, &units, &days).await;
}

/// Bulk loads of units and of members with their histories: each fault named, nothing written
/// when one is found; what is loaded reads as if entered one by one (counts agree with a
/// recount on every day, transfers and deaths included).
pub async fn loads_units_and_member_histories_in_bulk(store: Arc<dyn Store>) {
    use orgwork_domain::members::Status;
    use orgwork_store::{MemberHistory, NewUnit};
    let s = store.as_ref();
    let quiet = |_: orgwork_store::ImportStage, _: u64, _: u64| {};
    let unit = |c: &str, kind: &str, parent: Option<&str>| NewUnit {
        code: code(c),
        names: names(&format!("Đơn vị {c}")),
        kind: kind.into(),
        parent: parent.map(code),
        valid_from: d("2015-01-01"),
        decision: None,
    };
    let units = vec![
        unit("P", "provincial_committee", None),
        unit("P-D1", "district_committee", Some("P")),
        unit("P-D1-X1", "commune_committee", Some("P-D1")),
        unit("P-D1-X1-C1", "subordinate_cell", Some("P-D1-X1")),
        unit("P-D1-X1-C2", "subordinate_cell", Some("P-D1-X1")),
        unit("P-G1", "grassroots_cell", Some("P")),
    ];
    // Faults: a child before its parent, a kind out of place, a code twice.
    let mut wrong = units.clone();
    wrong.swap(1, 2);
    let e = s.load_units(&actor(), &wrong, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("unit P-D1-X1 (number 2 of the load)") && e.contains("no unit has the code P-D1"), "{e}");
    let mut wrong = units.clone();
    wrong.push(unit("P-BAD", "subordinate_cell", Some("P")));
    let e = s.load_units(&actor(), &wrong, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("P-BAD") && e.contains("may not sit under"), "{e}");
    assert!(s.roots(d("2020-01-01"), Page::first(10)).await.unwrap().items.is_empty(), "nothing was written");
    assert_eq!(s.load_units(&actor(), &units, &quiet).await.unwrap(), 6);
    let e = s.load_units(&actor(), &units[..1], &quiet).await.unwrap_err().to_string();
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(s.children(&code("P-D1-X1"), d("2020-01-01"), Page::first(10)).await.unwrap().items.len(), 2);

    let history = |name: &str,
                   card: &str,
                   units: Vec<(&str, &str, Option<&str>)>,
                   statuses: Vec<(Status, &str, Option<&str>)>| {
        let mut r = record(name, "female", "1990-05-05", statuses[0].1);
        r.card_number = Some(card.into());
        MemberHistory {
            record: r,
            units: units.into_iter().map(|(u, f, t)| (code(u), d(f), t.map(d))).collect(),
            statuses: statuses.into_iter().map(|(st, f, t)| (st, d(f), t.map(d))).collect(),
        }
    };
    let good = vec![
        history(
            "Lê Thị Một",
            "1",
            vec![("P-D1-X1-C1", "2016-01-01", None)],
            vec![(Status::Probationary, "2016-01-01", Some("2017-01-01")), (Status::Official, "2017-01-01", None)],
        ),
        // Transferred to the other cell, then to the grassroots cell of another branch.
        history(
            "Trần Thị Hai",
            "2",
            vec![
                ("P-D1-X1-C1", "2018-03-01", Some("2020-06-01")),
                ("P-D1-X1-C2", "2020-06-01", Some("2022-01-01")),
                ("P-G1", "2022-01-01", None),
            ],
            vec![(Status::Probationary, "2018-03-01", Some("2019-03-01")), (Status::Official, "2019-03-01", None)],
        ),
        // Died in 2023: the membership ends then.
        history(
            "Phạm Thị Ba",
            "3",
            vec![("P-D1-X1-C2", "2015-01-01", Some("2023-04-01"))],
            vec![
                (Status::Probationary, "2010-01-01", Some("2011-01-01")),
                (Status::Official, "2011-01-01", Some("2023-04-01")),
                (Status::Deceased, "2023-04-01", None),
            ],
        ),
    ];
    // Faults, each named, and nothing loaded.
    let mut bad = good.clone();
    bad[1].units[1].1 = d("2020-05-01");
    let e = s.load_members(&actor(), &bad, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("member 2 (card 2)") && e.contains("without overlap"), "{e}");
    let mut bad = good.clone();
    bad[2].units[0].2 = None;
    let e = s.load_members(&actor(), &bad, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("member 3 (card 3)") && e.contains("leaves on 2023-04-01"), "{e}");
    let mut bad = good.clone();
    bad[0].units[0].0 = code("NOWHERE");
    let e = s.load_members(&actor(), &bad, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("unit NOWHERE does not exist"), "{e}");
    let mut bad = good.clone();
    bad[2].record.card_number = Some("1".into());
    let e = s.load_members(&actor(), &bad, &quiet).await.unwrap_err().to_string();
    assert!(e.contains("card_number 1 is also member 1's"), "{e}");
    assert_eq!(s.stats(&code("P"), d("2024-01-01")).await.unwrap().total, 0, "nothing was loaded");

    assert_eq!(s.load_members(&actor(), &good, &quiet).await.unwrap(), 3);
    let total = |u: &'static str, day: &'static str| {
        let store = store.clone();
        async move { store.stats(&code(u), d(day)).await.unwrap().total }
    };
    assert_eq!((total("P-D1", "2021-01-01").await, total("P-G1", "2021-01-01").await), (3, 0));
    assert_eq!((total("P-D1", "2022-01-01").await, total("P-G1", "2022-01-01").await), (2, 1));
    assert_eq!(total("P", "2023-04-01").await, 2);
    let again = s.load_members(&actor(), &good[..1], &quiet).await.unwrap_err().to_string();
    assert!(again.contains("already member"), "{again}");
    let units: Vec<&str> = vec!["P", "P-D1", "P-D1-X1", "P-D1-X1-C1", "P-D1-X1-C2", "P-G1"];
    let days = [
        "2014-01-01",
        "2015-01-01",
        "2016-06-01",
        "2017-01-01",
        "2019-03-01",
        "2020-06-01",
        "2022-01-01",
        "2023-04-01",
        "2030-01-01",
    ];
    assert_ledger_agrees(s, &units, &days).await;
    let found = s
        .members(
            Some(&code("P")),
            d("2021-01-01"),
            &orgwork_store::MemberFilter { query: Some("tran thi hai".into()), ..Default::default() },
            Page::first(5),
        )
        .await
        .unwrap();
    assert_eq!(found.items[0].unit.as_str(), "P-D1-X1-C2");
}

/// Admissions side by side (on PostgreSQL they share the write lock): each is written whole,
/// two with one national ID give one member and one refusal that says why, a rename beside
/// them waits its turn, and the counts and the audit chain (signed) come out as if they had
/// run one by one.
pub async fn admits_side_by_side(store: Arc<dyn Store>) {
    store.set_audit_key(b"a test key of the audit head".to_vec());
    small_province(store.as_ref()).await;
    let cells = ["SO-TC-C1", "SO-TC-C2", "BAO"];
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..24usize {
        let s = store.clone();
        tasks.spawn(async move {
            // Names and days of their own, so that nothing but the audit log is shared; the
            // pairs share their name, day and number too.
            let n = if k < 12 { k / 2 } else { k };
            let name = format!(
                "{} {}",
                ["Lê", "Trần", "Phạm", "Hoàng"][n % 4],
                ["An", "Bình", "Chi", "Dũng", "Hà", "Khoa"][n / 4]
            );
            let day = d("2021-06-01") + chrono::Days::new(n as u64);
            let mut r = record(&name, "male", "1990-01-01", &day.to_string());
            // Pairs 0-1, 2-3, …, 10-11 share a national ID; the rest are unique.
            r.national_id = Some(format!("0010900{n:05}"));
            let new = orgwork_store::NewMember {
                record: r,
                unit: code(cells[k % 3]),
                joined_on: day,
                document: None,
                from_org: None,
            };
            s.create_member(&actor(), new).await.map(|_| ())
        });
    }
    let s = store.clone();
    tasks.spawn(async move {
        s.rename_unit(&actor(), dated("BAO", "2022-01-01"), names("Chi bộ Báo và Phát thanh")).await.map(|_| ())
    });
    let (mut written, mut refused) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        match done.expect("a writer ran to its end") {
            Ok(()) => written += 1,
            Err(StoreError::Domain(e)) if e.code == "duplicate_member" => refused += 1,
            Err(e) => panic!("a write beside others failed: {e}"),
        }
    }
    assert_eq!((written, refused), (6 + 12 + 1, 6), "one of each pair, every other admission, the rename");
    let s = store.as_ref();
    assert_eq!(s.stats(&code("QN"), d("2024-01-01")).await.unwrap().total, 18);
    assert_ledger_agrees(s, &["QN", "KCQ", "SO-TC", "SO-TC-C1", "SO-TC-C2", "BAO"], &["2021-06-01", "2024-01-01"])
        .await;
    let check = s.verify_audit().await.unwrap();
    assert_eq!(check.first_broken, None);
    assert_eq!(check.entries, 6 + 18 + 1);
    assert_eq!(check.signed_head.map(|h| h.seq), Some(25), "the head signed over the last entry");
}

/// The constraints a user's input can reach answer as the domain's errors, whichever backend
/// words them: a number two members would hold, a period that would end on or before it began.
pub async fn constraint_violations_are_domain_errors(db: &crate::TestDb) {
    let s = db.store.as_ref();
    small_province(s).await;
    let mut first = record("Lê Văn Một", "male", "1990-01-01", "2021-06-01");
    first.national_id = Some("001090000001".into());
    admit(s, "BAO", first).await;
    let second = admit(s, "BAO", record("Lê Văn Hai", "male", "1990-01-01", "2021-06-01")).await;
    let taken =
        db.try_execute_as_store(&format!("UPDATE member SET national_id = '001090000001' WHERE id = {second}")).await;
    assert_eq!(error_code(taken), "duplicate_member");
    let empty = db
        .try_execute_as_store(&format!("UPDATE membership SET valid_to = valid_from WHERE member_id = {second}"))
        .await;
    assert_eq!(error_code(empty), "empty_period");
    // Any other failure keeps the database's own error.
    match db.try_execute_as_store("UPDATE no_such_table SET x = 1").await {
        Err(StoreError::Database(source)) => assert!(source.to_string().contains("no_such_table"), "{source}"),
        other => panic!("expected the database's error, got {other:?}"),
    }
}

/// A write dated past the profile's horizon is refused by the store itself, whoever calls it
/// (the command line goes straight to the store): such a change would block every later
/// change of its record.
pub async fn refuses_writes_past_the_horizon(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let years = s.profile().horizon_years;
    let today = chrono::Local::now().date_naive();
    let far = today.checked_add_months(chrono::Months::new(12 * years)).unwrap() + chrono::Days::new(1);
    let near = today.checked_add_months(chrono::Months::new(12 * years)).unwrap();
    let rename = s.rename_unit(&actor(), dated("BAO", &far.to_string()), names("Chi bộ Báo Xa")).await;
    assert_eq!(error_code(rename), "beyond_horizon");
    let r = record("Lê Văn Xa", "male", "1990-01-01", "2021-06-01");
    let new = orgwork_store::NewMember { record: r, unit: code("BAO"), joined_on: far, document: None, from_org: None };
    assert_eq!(error_code(s.create_member(&actor(), new).await), "beyond_horizon");
    // The horizon's last day itself is allowed, and nothing else was changed.
    s.rename_unit(&actor(), dated("BAO", &near.to_string()), names("Chi bộ Báo Gần")).await.unwrap();
    assert_eq!(s.stats(&code("QN"), today).await.unwrap().total, 0);
}

/// Work programmes: the lint names what cannot be counted, approval is refused until it is
/// clean and locks the programme, reports are appended, and the counts that children's items
/// carry out are summed into their parent's item as of each day.
pub async fn keeps_work_programmes_and_rolls_them_up(store: Arc<dyn Store>) {
    use orgwork_domain::plan::{Indicator, Item};
    use orgwork_store::{NewReport, ProgrammeStatus};
    let s = store.as_ref();
    small_province(s).await;
    let item = |code: &str, unit: &str, target: f64| Item {
        code: code.into(),
        title: format!("Kết nạp {target} đảng viên mới"),
        responsible: Some(self::code(unit)),
        indicator: Some(Indicator::Count),
        baseline: Some(0.0),
        target: Some(target),
        deadline: Some(d("2025-12-31")),
        ..Default::default()
    };
    let bloc = vec![
        item("P1", "KCQ", 40.0),
        Item {
            indicator: Some(Indicator::Milestone),
            target: None,
            deadline: Some(d("2025-06-30")),
            title: "Tổng kết 5 năm Nghị quyết 21".into(),
            ..item("P2", "SO-TC", 0.0)
        },
    ];
    let kcq = s.create_programme(&actor(), &code("KCQ"), 2025, "Đột phá phát triển kinh tế", bloc).await.unwrap();
    assert_eq!(kcq.status, ProgrammeStatus::Draft);
    let again = s.create_programme(&actor(), &code("KCQ"), 2025, "", vec![]).await;
    assert_eq!(error_code(again), "programme_exists");

    // The department's draft: one item carries out the bloc's P1, one is vague and uncounted,
    // one names a unit outside the department.
    let vague =
        Item {
            title: "Tăng cường công tác kiểm tra".into(), indicator: None, target: None, ..item("2", "SO-TC", 0.0)
        };
    let outside = item("3", "BAO", 5.0);
    let carries = Item { carries_out: Some("P1".into()), ..item("1", "SO-TC-C1", 20.0) };
    let stc =
        s.create_programme(&actor(), &code("SO-TC"), 2025, "", vec![carries.clone(), vague, outside]).await.unwrap();
    let lint = s.lint_programme(stc.id).await.unwrap();
    let at = |f: &[orgwork_domain::plan::Finding]| f.iter().map(|f| (f.item.clone(), f.field)).collect::<Vec<_>>();
    assert_eq!(at(&lint.errors), [("2".to_string(), "indicator"), ("3".to_string(), "responsible")]);
    assert_eq!(at(&lint.warnings), [("2".to_string(), "title")]);
    let refused = s.approve_programme(&actor(), stc.id, "01-QĐ/ĐU", d("2025-01-15")).await;
    assert_eq!(error_code(refused), "programme_not_countable");
    assert_eq!(s.programme(stc.id).await.unwrap().status, ProgrammeStatus::Draft, "a refusal changes nothing");
    let early = s
        .report_progress(
            &actor(),
            stc.id,
            NewReport { item: "1".into(), value: 1.0, on: d("2025-02-01"), ..Default::default() },
        )
        .await;
    assert_eq!(error_code(early), "programme_not_approved");
    s.replace_items(&actor(), stc.id, vec![carries.clone()]).await.unwrap();
    assert!(s.lint_programme(stc.id).await.unwrap().errors.is_empty());
    let approved = s.approve_programme(&actor(), stc.id, "01-QĐ/ĐU", d("2025-01-15")).await.unwrap();
    assert_eq!((approved.status, approved.decision.as_deref()), (ProgrammeStatus::Approved, Some("01-QĐ/ĐU")));
    assert_eq!(error_code(s.replace_items(&actor(), stc.id, vec![]).await), "programme_locked");

    // The newspaper's cell carries out P1 too; an item carrying out nothing is refused.
    let bao = s
        .create_programme(
            &actor(),
            &code("BAO"),
            2025,
            "",
            vec![Item { carries_out: Some("P9".into()), ..item("1", "BAO", 20.0) }],
        )
        .await
        .unwrap();
    assert_eq!(at(&s.lint_programme(bao.id).await.unwrap().errors), [("1".to_string(), "carries_out")]);
    s.replace_items(&actor(), bao.id, vec![Item { carries_out: Some("P1".into()), ..item("1", "BAO", 20.0) }])
        .await
        .unwrap();
    s.approve_programme(&actor(), bao.id, "02-QĐ/ĐU", d("2025-01-20")).await.unwrap();
    s.approve_programme(&actor(), kcq.id, "03-QĐ/ĐU", d("2025-01-10")).await.unwrap();

    // Reports, appended.
    let report = |id, item: &str, value: f64, on: &str| {
        let store = store.clone();
        let r = NewReport { item: item.into(), value, on: d(on), note: Some("báo cáo quý".into()), evidence: None };
        async move { store.report_progress(&actor(), id, r).await }
    };
    report(stc.id, "1", 5.0, "2025-03-01").await.unwrap();
    report(stc.id, "1", 12.0, "2025-06-01").await.unwrap();
    report(bao.id, "1", 8.0, "2025-05-01").await.unwrap();
    assert_eq!(error_code(report(stc.id, "9", 1.0, "2025-06-01").await), "programme_item_not_found");
    assert_eq!(error_code(report(kcq.id, "P2", 0.5, "2025-06-01").await), "invalid_report", "a milestone is 0 or 1");

    // As of each day: the bloc's P1 is the sum of what the units below have reported.
    let on = |day: &'static str| {
        let store = store.clone();
        async move { store.programme_standing(kcq.id, d(day)).await.unwrap() }
    };
    let april = on("2025-04-01").await;
    assert_eq!((april.items[0].value, april.items[0].achievement), (Some(5.0), 5.0 / 40.0));
    let june = on("2025-06-30").await;
    assert_eq!((june.items[0].value, june.items[0].achievement), (Some(20.0), 0.5));
    assert_eq!((june.items[1].achievement, june.items[1].overdue), (0.0, false));
    assert_eq!(june.completion, 0.25);
    let july = on("2025-07-01").await;
    assert!(july.items[1].overdue, "the milestone is past its deadline, not done");
    let stc_june = s.programme_standing(stc.id, d("2025-06-30")).await.unwrap();
    assert_eq!(stc_june.items[0].reports.iter().map(|r| r.value).collect::<Vec<_>>(), [5.0, 12.0], "every report kept");
    assert_eq!(stc_june.completion, 12.0 / 20.0);
    report(kcq.id, "P2", 1.0, "2025-07-15").await.unwrap();
    let august = on("2025-08-01").await;
    assert_eq!((august.items[1].achievement, august.items[1].overdue, august.completion), (1.0, false, 0.75));
}

/// An approved programme changes only by recorded amendments: one item changed, added or
/// withdrawn, each with the item before and after, the day and the reason; an amendment that
/// would bring a fault is refused and changes nothing.
pub async fn amends_an_approved_programme_on_the_record(store: Arc<dyn Store>) {
    use orgwork_domain::plan::{Indicator, Item};
    use orgwork_store::{NewAmendment, NewReport};
    let s = store.as_ref();
    small_province(s).await;
    let item = |code: &str, target: f64| Item {
        code: code.into(),
        title: format!("Kết nạp {target} đảng viên mới"),
        responsible: Some(self::code("SO-TC-C1")),
        indicator: Some(Indicator::Count),
        baseline: Some(0.0),
        target: Some(target),
        deadline: Some(d("2025-12-31")),
        ..Default::default()
    };
    let p =
        s.create_programme(&actor(), &code("SO-TC"), 2025, "", vec![item("1", 20.0), item("2", 10.0)]).await.unwrap();
    let amend = |item: &str, after: Option<Item>, on: &str, reason: &str| {
        let store = store.clone();
        let a = NewAmendment { item: item.into(), after, on: d(on), reason: reason.into() };
        async move { store.amend_programme(&actor(), p.id, a).await }
    };
    assert_eq!(error_code(amend("1", Some(item("1", 30.0)), "2025-03-01", "why").await), "programme_not_approved");
    s.approve_programme(&actor(), p.id, "01-QĐ/ĐU", d("2025-01-15")).await.unwrap();
    s.report_progress(
        &actor(),
        p.id,
        NewReport { item: "1".into(), value: 15.0, on: d("2025-03-01"), ..Default::default() },
    )
    .await
    .unwrap();

    let raised = amend("1", Some(item("1", 30.0)), "2025-04-01", "Nghị quyết bổ sung 05-NQ/ĐU").await.unwrap();
    assert_eq!(
        (raised.before.as_ref().and_then(|b| b.target), raised.after.as_ref().and_then(|a| a.target)),
        (Some(20.0), Some(30.0))
    );
    let standing = s.programme_standing(p.id, d("2025-04-02")).await.unwrap();
    assert_eq!(standing.items[0].achievement, 0.5, "the amended target counts, the reports stay");
    let before = s.programme_standing(p.id, d("2025-03-31")).await.unwrap();
    assert_eq!(before.items[0].achievement, 0.75, "as of a day before the amendment, the target it had");
    amend("3", Some(item("3", 5.0)), "2025-04-01", "Nhiệm vụ mới").await.unwrap();
    amend("2", None, "2025-05-01", "Gộp vào mục 1").await.unwrap();
    let now = s.programme(p.id).await.unwrap();
    assert_eq!(now.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["1", "3"]);
    let april = s.programme_as_of(p.id, d("2025-04-15")).await.unwrap();
    assert_eq!(april.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["1", "3", "2"], "2 withdrawn later");
    let march = s.programme_standing(p.id, d("2025-03-31")).await.unwrap();
    assert_eq!(march.items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(), ["1", "2"]);

    // Refused, changing nothing: a fault it would bring, an empty reason, a day before approval.
    let uncounted = Item { target: None, ..item("1", 0.0) };
    assert_eq!(error_code(amend("1", Some(uncounted), "2025-06-01", "why").await), "programme_not_countable");
    assert_eq!(error_code(amend("1", Some(item("1", 35.0)), "2025-06-01", " ").await), "invalid_amendment");
    assert_eq!(error_code(amend("1", Some(item("1", 35.0)), "2025-01-01", "why").await), "invalid_date");
    assert_eq!(error_code(amend("1", Some(item("1", 30.0)), "2025-06-01", "why").await), "invalid_amendment");
    assert_eq!(error_code(amend("9", None, "2025-06-01", "why").await), "programme_item_not_found");
    assert_eq!(s.programme(p.id).await.unwrap().items, now.items, "the refusals changed nothing");

    let history = s.amendments(p.id).await.unwrap();
    let said: Vec<(&str, bool, bool, &str)> =
        history.iter().map(|a| (a.item.as_str(), a.before.is_some(), a.after.is_some(), a.reason.as_str())).collect();
    assert_eq!(
        said,
        [
            ("1", true, true, "Nghị quyết bổ sung 05-NQ/ĐU"),
            ("3", false, true, "Nhiệm vụ mới"),
            ("2", true, false, "Gộp vào mục 1")
        ]
    );
    assert_eq!(history[0].on, d("2025-04-01"));

    // Closed at the year's end: nothing reported or amended after; it still stands.
    let closed = s.close_programme(&actor(), p.id, d("2025-12-31")).await.unwrap();
    assert_eq!(closed.status, orgwork_store::ProgrammeStatus::Closed);
    assert_eq!(error_code(amend("1", Some(item("1", 35.0)), "2025-12-31", "why").await), "programme_locked");
    let late = NewReport { item: "1".into(), value: 20.0, on: d("2025-12-31"), ..Default::default() };
    assert_eq!(error_code(s.report_progress(&actor(), p.id, late).await), "programme_not_approved");
    assert_eq!(error_code(s.close_programme(&actor(), p.id, d("2025-12-31")).await), "programme_not_approved");
    assert_eq!(s.programme_standing(p.id, d("2025-12-31")).await.unwrap().items[0].achievement, 0.5);
}

/// The restructuring check counts the open items of approved programmes whose responsible unit
/// a draft takes apart: each needs a unit to take it over (the successor the draft names, or
/// an explicit destination); apply moves the responsibility by a recorded amendment, and undo
/// moves it back.
pub async fn restructuring_hands_open_programme_items_over(store: Arc<dyn Store>) {
    use orgwork_domain::plan::{Indicator, Item};
    use orgwork_domain::restructure::{DissolveOp, Draft, ItemDestination, MergeOp, Operation, Rule};
    use orgwork_store::NewReport;
    let s = store.as_ref();
    small_province(s).await;
    let item = |code: &str, unit: &str| Item {
        code: code.into(),
        title: format!("Kết nạp 4 đảng viên ({code})"),
        responsible: Some(self::code(unit)),
        indicator: Some(Indicator::Count),
        baseline: Some(0.0),
        target: Some(4.0),
        deadline: Some(d("2025-12-31")),
        ..Default::default()
    };
    let items = vec![item("1", "SO-TC-C1"), item("2", "SO-TC-C2"), item("3", "SO-TC-C2")];
    let p = s.create_programme(&actor(), &code("SO-TC"), 2025, "", items).await.unwrap();
    s.approve_programme(&actor(), p.id, "01-QĐ/ĐU", d("2025-01-15")).await.unwrap();
    let done = NewReport { item: "3".into(), value: 4.0, on: d("2025-05-01"), ..Default::default() };
    s.report_progress(&actor(), p.id, done).await.unwrap();
    let draft = |ops: Vec<Operation>, plan_items: Vec<ItemDestination>| Draft {
        title: "Sắp xếp chi bộ".into(),
        effective: d("2025-07-01"),
        decision: Some("05-QĐ/ĐU".into()),
        operations: ops,
        plan_items,
        follow_ups: vec![],
    };
    let dissolve = || Operation::Dissolve(DissolveOp { unit: code("SO-TC-C2"), into: None });
    let to_c1 = |item: &str| ItemDestination {
        programme_unit: code("SO-TC"),
        year: 2025,
        item: item.into(),
        to: code("SO-TC-C1"),
    };

    // Dissolved with no successor: the open item 2 fails, the achieved item 3 does not.
    let r = s.create_restructuring(&actor(), draft(vec![dissolve()], vec![]).validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    let failing: Vec<_> = check
        .failures
        .iter()
        .filter(|f| f.rule == Rule::PlanItemsReassigned)
        .map(|f| (f.programme.clone(), f.item.clone()))
        .collect();
    assert_eq!(failing, [(Some(p.id.to_string()), Some("2".to_string()))], "{:?}", check.failures);
    assert_eq!(check.impact.plan_items.len(), 1);
    assert_eq!(check.impact.plan_items[0].to, None);
    // An explicit destination passes; one naming no open item fails.
    let r =
        s.create_restructuring(&actor(), draft(vec![dissolve()], vec![to_c1("2")]).validate().unwrap()).await.unwrap();
    assert!(s.check_restructuring(r.id).await.unwrap().passed);
    let r = s
        .create_restructuring(&actor(), draft(vec![dissolve()], vec![to_c1("2"), to_c1("9")]).validate().unwrap())
        .await
        .unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert_eq!(check.failures.iter().map(|f| f.item.clone()).collect::<Vec<_>>(), [Some("9".to_string())]);

    // Merged into the other cell: the successor takes item 2 over, on the record.
    let merge = Operation::Merge(MergeOp { units: vec![code("SO-TC-C1"), code("SO-TC-C2")], into: code("SO-TC-C1") });
    let r = s.create_restructuring(&actor(), draft(vec![merge], vec![]).validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert!(check.passed, "{:?}", check.failures);
    let moved = &check.impact.plan_items;
    assert_eq!(
        moved.iter().map(|m| (m.item.as_str(), m.from.as_str(), m.to.as_ref().map(|t| t.as_str()))).collect::<Vec<_>>(),
        [("2", "SO-TC-C2", Some("SO-TC-C1"))]
    );
    assert!(s.apply_restructuring(&actor(), r.id).await.unwrap().applied);
    let after = s.programme(p.id).await.unwrap();
    assert_eq!(after.items[1].responsible.as_ref().map(|u| u.as_str()), Some("SO-TC-C1"));
    assert_eq!(after.items[2].responsible.as_ref().map(|u| u.as_str()), Some("SO-TC-C2"), "a done item stays");
    let history = s.amendments(p.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].restructuring, Some(r.id.to_string()));
    assert_eq!(history[0].before.as_ref().and_then(|b| b.responsible.clone()), Some(code("SO-TC-C2")));
    assert_eq!(history[0].on, d("2025-07-01"));
    assert!(history[0].reason.contains("05-QĐ/ĐU"), "{}", history[0].reason);

    // Undone: the item is the old cell's again, by an amendment of its own.
    s.undo_restructuring(&actor()).await.unwrap();
    let undone = s.programme(p.id).await.unwrap();
    assert_eq!(undone.items[1].responsible.as_ref().map(|u| u.as_str()), Some("SO-TC-C2"));
    assert_eq!(s.amendments(p.id).await.unwrap().len(), 2);
}

/// Programmes written in bulk roll up the whole tree as the page computes each one: counts
/// carried up, a unit without a programme at its children's mean.
pub async fn rolls_up_every_unit_for_a_year(store: Arc<dyn Store>) {
    use orgwork_domain::plan::{Indicator, Item};
    use orgwork_store::{BulkProgramme, NewReport};
    let s = store.as_ref();
    small_province(s).await;
    let item = |code: &str, unit: &str, target: f64| Item {
        code: code.into(),
        title: format!("Kết nạp {target} đảng viên"),
        responsible: Some(self::code(unit)),
        indicator: Some(Indicator::Count),
        baseline: Some(0.0),
        target: Some(target),
        deadline: Some(d("2025-12-31")),
        ..Default::default()
    };
    let report =
        |item: &str, value: f64, on: &str| NewReport { item: item.into(), value, on: d(on), ..Default::default() };
    let bulk = |unit: &str, items: Vec<Item>, reports: Vec<NewReport>| BulkProgramme {
        unit: code(unit),
        year: 2025,
        theme: String::new(),
        items,
        approved: Some(("01-QĐ".into(), d("2025-01-10"))),
        reports,
    };
    let list = vec![
        bulk("SO-TC", vec![item("1", "SO-TC", 10.0)], vec![]),
        bulk(
            "SO-TC-C1",
            vec![Item { carries_out: Some("1".into()), ..item("1", "SO-TC-C1", 4.0) }],
            vec![report("1", 1.0, "2025-03-31"), report("1", 3.0, "2025-06-30")],
        ),
        bulk(
            "SO-TC-C2",
            vec![Item { carries_out: Some("1".into()), ..item("1", "SO-TC-C2", 6.0) }],
            vec![report("1", 2.0, "2025-06-30")],
        ),
        bulk("BAO", vec![item("1", "BAO", 2.0)], vec![report("1", 2.0, "2025-02-01")]),
    ];
    assert_eq!(s.load_programmes(&actor(), &list).await.unwrap(), 4);
    assert_eq!(error_code(s.load_programmes(&actor(), &list[..1]).await), "programme_exists", "once per unit and year");
    let rolled = s.roll_up(2025, d("2025-06-30")).await.unwrap();
    let got: Vec<(&str, f64, bool)> = rolled.iter().map(|r| (r.unit.as_str(), r.completion, r.own)).collect();
    let stc = 5.0 / 10.0;
    assert_eq!(
        got,
        [
            ("BAO", 1.0, true),
            ("KCQ", (1.0 + stc) / 2.0, false),
            ("QN", (1.0 + stc) / 2.0, false),
            ("SO-TC", stc, true),
            ("SO-TC-C1", 0.75, true),
            ("SO-TC-C2", 2.0 / 6.0, true),
        ]
    );
    // The same as the programme's own page says.
    let p = s.programme_of(&code("SO-TC"), 2025).await.unwrap().unwrap();
    assert_eq!(s.programme_standing(p.id, d("2025-06-30")).await.unwrap().completion, stc);
    let march = s.roll_up(2025, d("2025-03-31")).await.unwrap();
    assert_eq!(march.iter().find(|r| r.unit.as_str() == "SO-TC").map(|r| r.completion), Some(0.1));
}
