//! Restructuring stories: every operation, the continuity check's rules, apply and undo.

use super::*;
use orgwork_domain::restructure::{
    CreateOp, DissolveOp, Draft, MergeOp, MoveOp, Operation, RenameOp, Rule, SplitOp, SplitPart, ValidDraft,
};
use orgwork_store::{Destination, Stats};

fn create_op(c: &str, kind: &str, parent: &str, vi: &str) -> Operation {
    Operation::Create(CreateOp { code: code(c), kind: kind.into(), names: names(vi), parent: code(parent) })
}

fn draft(effective: &str, operations: Vec<Operation>) -> ValidDraft {
    Draft {
        title: "Sắp xếp tổ chức".into(),
        effective: d(effective),
        decision: Some("01-QĐ/TU".into()),
        operations,
        plan_items: vec![],
        follow_ups: vec![],
    }
    .validate()
    .unwrap()
}

/// Everything the tests compare before and after: the tree on several days and the counts of
/// every unit on those days.
async fn answers(s: &dyn Store, units: &[&str], days: &[&str]) -> Vec<String> {
    let mut out = vec![];
    for day in days {
        out.push(format!("{day}: {:?}", snapshot(s, &["QN"], d(day)).await));
        // The set read of the children's totals agrees with each child's own count.
        if let Ok(below) = s.totals_below(&code("QN"), d(day)).await {
            for (u, n) in &below {
                let own = s.stats(&u.code, d(day)).await.unwrap().total.max(0) as u64;
                assert_eq!(*n, own, "{day} {}", u.code);
            }
            out.push(format!(
                "{day} below QN: {:?}",
                below.iter().map(|(u, n)| (u.code.to_string(), *n)).collect::<Vec<_>>()
            ));
        }
        for u in units {
            let st: Option<Stats> = s.stats(&code(u), d(day)).await.ok();
            out.push(format!("{day} {u}: {st:?}"));
        }
    }
    out
}

const UNITS: [&str; 9] = ["QN", "KCQ", "DN", "SO-TC", "SO-TC-C1", "SO-TC-C2", "BAO", "CQD", "UBND"];
const DAYS: [&str; 6] = ["2024-12-31", "2025-01-31", "2025-02-01", "2025-03-01", "2026-01-01", "2030-01-01"];

/// The seed's case in small: the agencies bloc is split between two new committees, two cells
/// merge (one survives), a transfer in progress follows the merge.
pub async fn restructures_applies_and_undoes(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    create(s, "DN", "bloc_committee", Some("QN"), "2020-01-01", "Đảng bộ Khối doanh nghiệp").await;
    admit(s, "SO-TC-C1", record("Nguyễn Văn An", "male", "1990-01-01", "2015-01-01")).await;
    admit(s, "SO-TC-C1", record("Trần Thị Bích", "female", "1999-01-01", "2022-01-01")).await;
    let c2 = admit(s, "SO-TC-C2", record("Lê Văn Cường", "male", "1997-03-01", "2018-01-01")).await;
    admit(s, "BAO", record("Phạm Thị Dung", "female", "1980-01-01", "2010-01-01")).await;
    let t = s.issue_transfer(&actor(), c2, Destination::Unit(code("BAO")), d("2025-01-20"), None).await.unwrap();
    let before = answers(s, &UNITS, &DAYS).await;

    let plan = draft(
        "2025-02-01",
        vec![
            create_op("CQD", "bloc_committee", "QN", "Đảng bộ các cơ quan Đảng tỉnh"),
            create_op("UBND", "bloc_committee", "QN", "Đảng bộ Ủy ban nhân dân tỉnh"),
            Operation::Split(SplitOp {
                unit: code("KCQ"),
                parts: vec![
                    SplitPart { unit: code("CQD"), children: vec![code("BAO")], members: vec![], rest: false },
                    SplitPart { unit: code("UBND"), children: vec![], members: vec![], rest: true },
                ],
            }),
            Operation::Merge(MergeOp { units: vec![code("SO-TC-C1"), code("SO-TC-C2")], into: code("SO-TC-C1") }),
            Operation::Rename(RenameOp { unit: code("SO-TC-C1"), names: names("Chi bộ Ngân sách - Văn phòng") }),
        ],
    );
    let r = s.create_restructuring(&actor(), plan).await.unwrap();
    assert_eq!(r.state, "draft");
    let id = r.id;
    let check = s.check_restructuring(id).await.unwrap();
    assert!(check.passed, "{:?}", check.failures);
    assert_eq!(check.rules, Rule::ALL.to_vec());
    // The check changed nothing.
    assert_eq!(answers(s, &UNITS, &DAYS).await, before);
    let by_code = |c: &str| {
        check.impact.units.iter().find(|u| u.code.as_str() == c).unwrap_or_else(|| panic!("{c} in the impact"))
    };
    assert_eq!(by_code("KCQ").change, "split");
    assert_eq!(by_code("KCQ").members_before, 4);
    assert_eq!(by_code("SO-TC-C2").change, "merged");
    assert_eq!(by_code("SO-TC-C2").members_moved, 1);
    assert_eq!(by_code("SO-TC-C1").change, "absorbs");
    assert_eq!((check.impact.members_moved, check.impact.transfers_redirected), (1, 1));
    let qn = check.impact.tree.iter().find(|t| t.parent.as_str() == "QN").expect("QN's children change");
    assert_eq!(qn.before.iter().map(UnitCode::as_str).collect::<Vec<_>>(), ["DN", "KCQ"]);
    assert_eq!(qn.after.iter().map(UnitCode::as_str).collect::<Vec<_>>(), ["CQD", "DN", "UBND"]);

    let applied = s.apply_restructuring(&actor(), id).await.unwrap();
    assert!(applied.applied && applied.passed);
    let after = answers(s, &UNITS, &DAYS).await;
    // The past is unchanged; from the effective date the new tree holds.
    let upto = |a: &[String]| {
        a.iter().filter(|l| l.starts_with("2024") || l.starts_with("2025-01")).cloned().collect::<Vec<_>>()
    };
    assert_eq!(upto(&after), upto(&before));
    let total = |u: &'static str, day: &'static str| {
        let store = store.clone();
        async move { store.stats(&code(u), d(day)).await.map(|s| s.total).unwrap_or(-1) }
    };
    assert_eq!((total("KCQ", "2025-01-31").await, total("CQD", "2025-01-31").await), (4, -1));
    assert_eq!((total("CQD", "2025-02-01").await, total("UBND", "2025-02-01").await), (1, 3));
    assert_eq!(total("SO-TC-C1", "2025-02-01").await, 3);
    assert_eq!(total("QN", "2025-02-01").await, 4);
    assert_eq!(s.unit(&code("KCQ"), d("2025-02-01")).await.unwrap().valid_to, Some(d("2025-02-01")));
    assert_eq!(
        s.unit(&code("SO-TC"), d("2025-02-01")).await.unwrap().parent.map(|p| p.to_string()),
        Some("UBND".into())
    );
    assert_eq!(
        s.unit(&code("SO-TC"), d("2025-01-31")).await.unwrap().parent.map(|p| p.to_string()),
        Some("KCQ".into())
    );
    let m = s.member(c2, d("2025-02-01")).await.unwrap();
    assert_eq!(m.unit.map(|u| u.to_string()), Some("SO-TC-C1".into()));
    assert_eq!(s.member(c2, d("2025-01-31")).await.unwrap().unit.map(|u| u.to_string()), Some("SO-TC-C2".into()));
    // The transfer in progress now leaves from the surviving cell.
    assert_eq!(s.transfer(t.id).await.unwrap().from_unit.map(|u| u.to_string()), Some("SO-TC-C1".into()));
    assert_ledger_agrees(s, &UNITS, &DAYS).await;
    // Lineage: which unit replaced which.
    let lineage = s.lineage(&code("KCQ")).await.unwrap();
    let pairs: Vec<(String, String, String)> =
        lineage.iter().map(|l| (l.from.to_string(), l.to.to_string(), l.relation.clone())).collect();
    assert_eq!(pairs, [("KCQ".into(), "CQD".into(), "split".into()), ("KCQ".into(), "UBND".into(), "split".into())]);
    let preds = s.predecessors(&code("SO-TC-C1"), d("2024-06-01")).await.unwrap();
    assert_eq!(preds.iter().map(UnitCode::as_str).collect::<Vec<_>>(), ["SO-TC-C1", "SO-TC-C2"]);
    // One audit entry for the whole apply.
    let audit = s.audit(None, None, Page::first(100)).await.unwrap();
    assert_eq!(audit.items.iter().filter(|e| e.action == "restructure.apply").count(), 1);
    assert!(s.verify_audit().await.unwrap().first_broken.is_none());
    assert_eq!(error_code(s.apply_restructuring(&actor(), id).await), "not_a_draft");

    // Undo restores every answer.
    let undone = s.undo_restructuring(&actor()).await.unwrap();
    assert_eq!(undone.state, "undone");
    assert_eq!(answers(s, &UNITS, &DAYS).await, before);
    assert_ledger_agrees(s, &UNITS, &DAYS).await;
    assert!(s.lineage(&code("KCQ")).await.unwrap().is_empty());
    assert_eq!(s.transfer(t.id).await.unwrap().from_unit.map(|u| u.to_string()), Some("SO-TC-C2".into()));
    assert_eq!(error_code(s.undo_restructuring(&actor()).await), "nothing_to_undo");

    // Applied again, then a change recorded on a unit it touched: undo refuses and says why.
    let again = s
        .create_restructuring(
            &actor(),
            draft("2025-02-01", vec![Operation::Dissolve(DissolveOp { unit: code("DN"), into: None })]),
        )
        .await
        .unwrap();
    let report = s.apply_restructuring(&actor(), again.id).await.unwrap();
    assert!(report.applied, "{:?}", report.failures);
    s.create_unit(
        &actor(),
        orgwork_store::NewUnit {
            code: code("DN2"),
            names: names("Đảng bộ mới"),
            kind: "bloc_committee".into(),
            parent: Some(code("QN")),
            valid_from: d("2025-03-01"),
            decision: None,
        },
    )
    .await
    .unwrap();
    s.rename_unit(&actor(), dated("DN2", "2025-04-01"), names("Đảng bộ mới hơn")).await.unwrap();
    // DN2 is not a unit the draft touched: undo goes ahead.
    s.undo_restructuring(&actor()).await.unwrap();
    assert_eq!(total("DN", "2026-01-01").await, 0);
    let third = s
        .create_restructuring(
            &actor(),
            draft("2025-05-01", vec![Operation::Move(MoveOp { unit: code("BAO"), parent: code("DN") })]),
        )
        .await
        .unwrap();
    assert!(s.apply_restructuring(&actor(), third.id).await.unwrap().applied);
    admit(s, "BAO", record("Đỗ Minh Hải", "male", "1996-02-02", "2025-06-01")).await;
    let e = s.undo_restructuring(&actor()).await.unwrap_err().to_string();
    assert!(e.contains("cannot be undone") && e.contains("BAO"), "{e}");
}

/// Each rule of the continuity check refuses the draft that breaks it, names what is at
/// fault, and the refused draft changes nothing.
pub async fn refuses_drafts_that_break_continuity(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let an = admit(s, "SO-TC-C1", record("Nguyễn Văn An", "male", "1990-01-01", "2015-01-01")).await;
    let b = admit(s, "SO-TC-C2", record("Trần Thị Bích", "female", "1999-01-01", "2022-01-01")).await;
    s.issue_transfer(&actor(), b, Destination::Unit(code("BAO")), d("2025-01-20"), None).await.unwrap();
    let congress = orgwork_store::NewCongress {
        term: orgwork_domain::congress::TermCode::parse("2025-2030").unwrap(),
        unit: code("SO-TC-C2"),
        kind: orgwork_domain::congress::CongressKind::Members,
        number: None,
        planned_on: d("2025-04-01"),
        pilot: false,
    };
    s.plan_congress(&actor(), congress).await.unwrap();
    let before = answers(s, &UNITS, &DAYS).await;
    let cases: Vec<(Vec<Operation>, Rule, &str)> = vec![
        (
            vec![Operation::Dissolve(DissolveOp { unit: code("SO-TC-C2"), into: None })],
            Rule::CongressesSettled,
            "still planned",
        ),
        (
            vec![Operation::Dissolve(DissolveOp { unit: code("SO-TC-C1"), into: None })],
            Rule::NoMemberInDissolvedUnit,
            "member",
        ),
        (
            vec![Operation::Dissolve(DissolveOp { unit: code("SO-TC"), into: None })],
            Rule::NoUnitUnderDissolvedUnit,
            "SO-TC-C1",
        ),
        (vec![Operation::Move(MoveOp { unit: code("BAO"), parent: code("SO-TC-C1") })], Rule::KindPlacement, "BAO"),
        (vec![create_op("BAO", "grassroots_cell", "KCQ", "Chi bộ trùng mã")], Rule::UniqueCode, "BAO"),
        (vec![Operation::Move(MoveOp { unit: code("KCQ"), parent: code("SO-TC") })], Rule::NoCycle, "KCQ"),
        (
            vec![Operation::Dissolve(DissolveOp { unit: code("BAO"), into: None })],
            Rule::TransfersRedirected,
            "transfer",
        ),
        (vec![Operation::Rename(RenameOp { unit: code("NOPE"), names: names("Không có") })], Rule::Operation, "NOPE"),
        (
            vec![
                create_op("A1", "bloc_committee", "QN", "Một"),
                create_op("A2", "bloc_committee", "QN", "Hai"),
                Operation::Split(SplitOp {
                    unit: code("KCQ"),
                    parts: vec![
                        SplitPart { unit: code("A1"), children: vec![code("BAO")], members: vec![], rest: false },
                        SplitPart { unit: code("A2"), children: vec![], members: vec![], rest: false },
                    ],
                }),
            ],
            Rule::Operation,
            "SO-TC",
        ),
    ];
    for (ops, rule, names_what) in cases {
        let summary: Vec<String> = ops.iter().map(Operation::summary).collect();
        let r = s.create_restructuring(&actor(), draft("2025-02-01", ops)).await.unwrap();
        let id = r.id;
        let check = s.check_restructuring(id).await.unwrap();
        assert!(!check.passed, "{summary:?} passes the check");
        let f = check
            .failures
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{summary:?}: no {rule:?} in {:?}", check.failures));
        assert!(f.message.contains(names_what), "{summary:?}: {}", f.message);
        let applied = s.apply_restructuring(&actor(), id).await.unwrap();
        assert!(!applied.applied && !applied.failures.is_empty());
        assert_eq!(s.restructuring(id).await.unwrap().state, "draft");
        assert_eq!(answers(s, &UNITS, &DAYS).await, before, "{summary:?} changed something");
    }
    // The failure that names a member names which one.
    let r = s
        .create_restructuring(
            &actor(),
            draft("2025-02-01", vec![Operation::Dissolve(DissolveOp { unit: code("SO-TC-C1"), into: None })]),
        )
        .await
        .unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert_eq!(check.failures.iter().filter_map(|f| f.member).collect::<Vec<_>>(), [an]);
    // A draft dated before a recorded change.
    s.rename_unit(&actor(), dated("BAO", "2025-06-01"), names("Chi bộ Báo và Truyền hình")).await.unwrap();
    let r = s
        .create_restructuring(
            &actor(),
            draft("2025-02-01", vec![Operation::Move(MoveOp { unit: code("BAO"), parent: code("QN") })]),
        )
        .await
        .unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert_eq!(check.failures.iter().map(|f| f.rule).collect::<Vec<_>>(), [Rule::DateOrder]);
    assert!(
        check.failures[0].message.contains("BAO") && check.failures[0].message.contains("2025-06-01"),
        "{}",
        check.failures[0].message
    );
}
