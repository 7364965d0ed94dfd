//! The count ledger against a recount from the records, after random sequences of admissions,
//! status changes and moves of grassroots committees between blocs, dated in any order, with
//! the ledger's checkpoints set to random days between them (the counts then read the balances
//! the triggers kept).

use chrono::{Days, NaiveDate};
use orgwork_domain::members::Status;
use orgwork_store::{Dated, NewMember, Store};
use orgwork_store_tests::TestDb;
use orgwork_store_tests::stories::{actor, code, create, record};
use proptest::prelude::*;

const BLOCS: [&str; 2] = ["B1", "B2"];
const COMMITTEES: [&str; 3] = ["G1", "G2", "G3"];
const CELLS: [&str; 6] = ["C1", "C2", "C3", "C4", "C5", "C6"];
const DAYS: [u64; 7] = [0, 100, 400, 700, 1000, 1500, 3000];

#[derive(Debug, Clone)]
enum Op {
    Admit { cell: usize, day: u64, born: i32, female: bool },
    Status { member: usize, official: bool, day: u64 },
    Move { committee: usize, bloc: usize, day: u64 },
    Checkpoints { days: Vec<u64> },
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(n)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..CELLS.len(), 0..2000u64, 1960..2004i32, any::<bool>()).prop_map(|(cell, day, born, female)| Op::Admit { cell, day, born, female }),
        2 => (0..20usize, any::<bool>(), 0..2500u64).prop_map(|(member, official, day)| Op::Status { member, official, day }),
        2 => (0..COMMITTEES.len(), 0..BLOCS.len(), 1..2500u64).prop_map(|(committee, bloc, day)| Op::Move { committee, bloc, day }),
        1 => proptest::collection::vec(0..3200u64, 0..3).prop_map(|days| Op::Checkpoints { days }),
    ]
}

async fn tree(s: &dyn Store) {
    create(s, "QN", "provincial_committee", None, "2020-01-01", "Tỉnh").await;
    for b in BLOCS {
        create(s, b, "bloc_committee", Some("QN"), "2020-01-01", b).await;
    }
    for (i, g) in COMMITTEES.iter().enumerate() {
        create(s, g, "grassroots_committee", Some(BLOCS[i % 2]), "2020-01-01", g).await;
    }
    for (i, c) in CELLS.iter().enumerate() {
        create(s, c, "subordinate_cell", Some(COMMITTEES[i / 2]), "2020-01-01", c).await;
    }
}

fn run(backend: &'static str, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let db = TestDb::new(backend).await;
        let s = db.store.as_ref();
        tree(s).await;
        let mut members: Vec<orgwork_store::MemberId> = vec![];
        for op in &ops {
            if let Op::Checkpoints { days } = op {
                let days: Vec<NaiveDate> = days.iter().map(|n| day(*n)).collect();
                s.set_ledger_checkpoints(&days).await.unwrap();
                let mut kept = days.clone();
                kept.sort();
                kept.dedup();
                prop_assert_eq!(s.ledger_checkpoints().await.unwrap(), kept);
            }
            match *op {
                Op::Checkpoints { .. } => {}
                Op::Admit { cell, day: n, born, female } => {
                    let admitted = day(n).max(NaiveDate::from_ymd_opt(born + 18, 6, 1).unwrap());
                    let r = record(
                        &format!("Đảng viên {}", members.len()),
                        if female { "female" } else { "male" },
                        &format!("{born}-03-15"),
                        &admitted.to_string(),
                    );
                    let m = s
                        .create_member(
                            &actor(),
                            NewMember {
                                record: r,
                                unit: code(CELLS[cell]),
                                joined_on: admitted,
                                document: None,
                                from_org: None,
                            },
                        )
                        .await;
                    if let Ok(m) = m {
                        members.push(m.id);
                    }
                }
                Op::Status { member, official, day: n } => {
                    if let Some(id) = members.get(member) {
                        let status = if official { Status::Official } else { Status::Deceased };
                        let _ = s.change_status(&actor(), *id, status, day(n), None).await;
                    }
                }
                Op::Move { committee, bloc, day: n } => {
                    let _ = s
                        .move_unit(
                            &actor(),
                            Dated { code: code(COMMITTEES[committee]), effective: day(n), decision: None },
                            code(BLOCS[bloc]),
                        )
                        .await;
                }
            }
        }
        let units: Vec<&str> = ["QN"].into_iter().chain(BLOCS).chain(COMMITTEES).chain(CELLS).collect();
        for u in units {
            for n in DAYS {
                let ledger = s.stats(&code(u), day(n)).await.unwrap();
                let recount = s.recount(&code(u), day(n)).await.unwrap();
                prop_assert_eq!(&ledger, &recount, "{} on {} after {:?}", u, day(n), ops);
            }
        }
        Ok(())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn sqlite_ledger_agrees_with_a_recount(ops in proptest::collection::vec(op(), 1..25)) {
        run("sqlite", ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn postgres_ledger_agrees_with_a_recount(ops in proptest::collection::vec(op(), 1..25)) {
        run("postgres", ops)?;
    }
}
