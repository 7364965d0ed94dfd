//! Property tests of the tree rules: random sequences of dated operations, on a profile where
//! any unit may sit under any other, never create a cycle or two live units with one code,
//! and never change an answer about a date before the operation's effective date.

use chrono::{Days, NaiveDate};
use orgwork_domain::structure::{Names, Unit, UnitCode};
use orgwork_store::{Dated, NewUnit, Store};
use orgwork_store_tests::TestDb;
use orgwork_store_tests::stories::{actor, flat_profile};
use proptest::prelude::*;
use std::collections::BTreeSet;

const CODES: [&str; 6] = ["A", "B", "C", "D", "E", "F"];
const SAMPLE_DAYS: [u64; 8] = [0, 5, 12, 20, 28, 36, 45, 60];

#[derive(Debug, Clone)]
enum Op {
    Create { code: usize, parent: Option<usize>, day: u64 },
    Rename { code: usize, day: u64, name: u8 },
    Move { code: usize, parent: usize, day: u64 },
    Dissolve { code: usize, day: u64 },
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(n)
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..CODES.len();
    prop_oneof![
        3 => (c.clone(), proptest::option::weighted(0.7, 0..CODES.len()), 0..60u64)
            .prop_map(|(code, parent, day)| Op::Create { code, parent, day }),
        1 => (c.clone(), 0..60u64, any::<u8>()).prop_map(|(code, day, name)| Op::Rename { code, day, name }),
        3 => (c.clone(), 0..CODES.len(), 0..60u64).prop_map(|(code, parent, day)| Op::Move { code, parent, day }),
        1 => (c, 0..60u64).prop_map(|(code, day)| Op::Dissolve { code, day }),
    ]
}

fn code(i: usize) -> UnitCode {
    UnitCode::parse(CODES[i]).unwrap()
}

/// What can be read on each sample day: for each code, the unit and its path to the root.
type Snapshot = Vec<Vec<Option<(Unit, Vec<Unit>)>>>;

async fn snapshot(store: &dyn Store) -> Snapshot {
    let mut out = vec![];
    for n in SAMPLE_DAYS {
        let on = day(n);
        let mut per_day = vec![];
        for i in 0..CODES.len() {
            per_day.push(match store.unit(&code(i), on).await {
                Ok(u) => Some((u, store.ancestors(&code(i), on).await.expect("ancestors"))),
                Err(_) => None,
            });
        }
        out.push(per_day);
    }
    out
}

fn check_invariants(snap: &Snapshot) -> Result<(), TestCaseError> {
    for (n, per_day) in SAMPLE_DAYS.iter().zip(snap) {
        let on = day(*n);
        for (unit, path) in per_day.iter().flatten() {
            if !orgwork_domain::date::contains(unit.valid_from, unit.valid_to, on) {
                continue; // shown as it last was; not live
            }
            let codes: BTreeSet<_> = path.iter().map(|u| u.code.clone()).collect();
            prop_assert_eq!(codes.len(), path.len(), "a unit appears twice on the path of {} on {}", unit.code, on);
            prop_assert!(!codes.contains(&unit.code), "{} is its own ancestor on {}", unit.code, on);
            prop_assert!(path.len() < CODES.len());
            if let Some(root) = path.first() {
                prop_assert!(root.parent.is_none(), "the path of {} on {} does not reach a root", unit.code, on);
            }
        }
    }
    Ok(())
}

async fn apply(store: &dyn Store, op: &Op) -> (NaiveDate, bool) {
    match *op {
        Op::Create { code: c, parent, day: n } => {
            let r = store
                .create_unit(
                    &actor(),
                    NewUnit {
                        code: code(c),
                        names: Names::parse(CODES[c], None, None).unwrap(),
                        kind: "org".into(),
                        parent: parent.map(code),
                        valid_from: day(n),
                        decision: None,
                    },
                )
                .await;
            (day(n), r.is_ok())
        }
        Op::Rename { code: c, day: n, name } => {
            let names = Names::parse(&format!("{} {name}", CODES[c]), None, None).unwrap();
            let r =
                store.rename_unit(&actor(), Dated { code: code(c), effective: day(n), decision: None }, names).await;
            (day(n), r.is_ok())
        }
        Op::Move { code: c, parent, day: n } => {
            let r = store
                .move_unit(&actor(), Dated { code: code(c), effective: day(n), decision: None }, code(parent))
                .await;
            (day(n), r.is_ok())
        }
        Op::Dissolve { code: c, day: n } => {
            let r = store.dissolve_unit(&actor(), Dated { code: code(c), effective: day(n), decision: None }).await;
            (day(n), r.is_ok())
        }
    }
}

fn run(backend: &'static str, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let db = TestDb::with_profile(backend, flat_profile()).await;
        let store = db.store.as_ref();
        let mut before = snapshot(store).await;
        for op in &ops {
            let (effective, applied) = apply(store, op).await;
            let after = snapshot(store).await;
            check_invariants(&after)?;
            for (i, n) in SAMPLE_DAYS.iter().enumerate() {
                if !applied || day(*n) < effective {
                    prop_assert_eq!(
                        &before[i],
                        &after[i],
                        "{:?} (applied: {}) changed the answer for {}",
                        op,
                        applied,
                        day(*n)
                    );
                }
            }
            before = after;
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_tree_rules_hold(ops in proptest::collection::vec(op(), 1..18)) {
        run("sqlite", ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn postgres_tree_rules_hold(ops in proptest::collection::vec(op(), 1..18)) {
        run("postgres", ops)?;
    }
}
