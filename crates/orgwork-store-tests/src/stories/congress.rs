//! Congress stories: a term's congresses planned, changed, held and cancelled, and the
//! schedule check over the tree.

use super::*;
use orgwork_domain::congress::{
    Attendance, Breach, Candidate, CongressKind, CongressStatus, Delegate, DelegateKind, Nomination, RoundTally,
    TermCode, VoteEntry,
};
use orgwork_store::{CongressChange, NewCongress};

fn term() -> TermCode {
    TermCode::parse("2025-2030").unwrap()
}

fn plan(unit: &str, on: &str, pilot: bool) -> NewCongress {
    NewCongress { term: term(), unit: code(unit), kind: CongressKind::Members, number: None, planned_on: d(on), pilot }
}

/// The small province's congresses, bottom up: the cells first (one a pilot), then the
/// grassroots committee and the cell of the bloc, then the bloc; a breach for each rule, and
/// each mended.
pub async fn schedules_a_terms_congresses_bottom_up(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let c1 = s.plan_congress(&actor(), plan("SO-TC-C1", "2025-03-10", true)).await.unwrap();
    assert_eq!((c1.status, c1.pilot, c1.level.as_str()), (CongressStatus::Planned, true, "subordinate_cell"));
    assert_eq!(c1.names.vi, "Chi bộ Phòng Ngân sách");
    let c2 = s.plan_congress(&actor(), plan("SO-TC-C2", "2025-03-10", false)).await.unwrap();
    let so = s.plan_congress(&actor(), plan("SO-TC", "2025-04-20", false)).await.unwrap();
    let bao = s.plan_congress(&actor(), plan("BAO", "2025-04-25", false)).await.unwrap();
    let kcq = NewCongress { kind: CongressKind::Delegates, number: Some(5), ..plan("KCQ", "2025-04-28", false) };
    let kcq = s.plan_congress(&actor(), kcq).await.unwrap();
    assert_eq!(
        s.terms().await.unwrap().iter().map(|t| (t.code.as_str(), t.congresses)).collect::<Vec<_>>(),
        [("2025-2030", 5)]
    );

    // Refused, changing nothing: a second congress of a unit, a day outside the term, a unit
    // not yet live, an overlapping term, a number out of bounds.
    assert_eq!(error_code(s.plan_congress(&actor(), plan("BAO", "2025-05-01", false)).await), "congress_exists");
    assert_eq!(error_code(s.plan_congress(&actor(), plan("QN", "2031-01-01", false)).await), "date_outside_term");
    assert_eq!(error_code(s.plan_congress(&actor(), plan("QN", "2019-06-01", false)).await), "date_outside_term");
    let early = NewCongress { term: TermCode::parse("2015-2020").unwrap(), ..plan("QN", "2019-06-01", false) };
    assert_eq!(error_code(s.plan_congress(&actor(), early).await), "date_outside_unit");
    let overlap = NewCongress { term: TermCode::parse("2027-2032").unwrap(), ..plan("QN", "2027-06-01", false) };
    assert_eq!(error_code(s.plan_congress(&actor(), overlap).await), "term_overlaps");
    let numbered = NewCongress { number: Some(0), ..plan("QN", "2025-06-01", false) };
    assert_eq!(error_code(s.plan_congress(&actor(), numbered).await), "invalid_number");
    assert_eq!(s.terms().await.unwrap().len(), 1, "the refused plans opened no term");

    // The schedule of the bloc: the pilot shares its day with another cell, the bloc comes
    // too soon after its cell (the profile's margin is 7 days), the province has none.
    let sched = s.schedule(term(), &code("KCQ"), d("2025-06-30")).await.unwrap();
    assert_eq!(sched.margin_days, 7);
    assert_eq!(
        sched.congresses.iter().map(|c| c.unit.as_str()).collect::<Vec<_>>(),
        ["SO-TC-C1", "SO-TC-C2", "SO-TC", "BAO", "KCQ"]
    );
    assert!(sched.without.is_empty());
    assert_eq!(
        sched.breaches,
        vec![
            Breach::PilotNotFirst {
                unit: "SO-TC-C2".into(),
                on: d("2025-03-10"),
                pilot: "SO-TC-C1".into(),
                pilot_on: d("2025-03-10")
            },
            Breach::BeforeChild {
                unit: "KCQ".into(),
                on: d("2025-04-28"),
                child: "BAO".into(),
                child_on: d("2025-04-25"),
                margin_days: 7
            },
        ]
    );
    assert!(!sched.passed);
    let whole = s.schedule(term(), &code("QN"), d("2025-06-30")).await.unwrap();
    assert_eq!(whole.without, vec![code("QN")]);

    // Mended: the cell later, the bloc later; the bloc holds its congress.
    let c2 = s
        .change_congress(&actor(), c2.id, CongressChange { planned_on: Some(d("2025-03-20")), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(c2.planned_on, d("2025-03-20"));
    let kcq = s
        .change_congress(&actor(), kcq.id, CongressChange { planned_on: Some(d("2025-05-05")), ..Default::default() })
        .await
        .unwrap();
    assert_eq!((kcq.kind, kcq.number), (CongressKind::Delegates, Some(5)));
    let sched = s.schedule(term(), &code("KCQ"), d("2025-06-30")).await.unwrap();
    assert!(sched.passed, "{:?}", sched.breaches);
    for c in [&c1, &c2, &so, &bao] {
        s.hold_congress(&actor(), c.id, c.planned_on).await.unwrap();
    }
    let held = s.hold_congress(&actor(), kcq.id, d("2025-05-06")).await.unwrap();
    assert_eq!((held.status, held.held_on), (CongressStatus::Held, Some(d("2025-05-06"))));
    assert_eq!(error_code(s.hold_congress(&actor(), kcq.id, d("2025-05-07")).await), "congress_not_planned");
    assert_eq!(
        error_code(
            s.change_congress(&actor(), kcq.id, CongressChange { pilot: Some(true), ..Default::default() }).await
        ),
        "congress_not_planned"
    );

    // The bloc's delegates: elected from its units, one ex officio, a substitute seated in an
    // absent delegate's place; the counts the election's bases use.
    let del = |name: &str, kind: DelegateKind, unit: Option<&str>, attendance: Attendance, replaces: Option<u32>| {
        Delegate { name: name.into(), kind, unit: unit.map(str::to_string), attendance, replaces }
    };
    use Attendance::{Absent, Present};
    use DelegateKind::{Elected, ExOfficio, Substitute};
    let list = vec![
        del("Nguyễn Văn An", Elected, Some("SO-TC"), Present, None),
        del("Trần Thị Bích", Elected, Some("SO-TC-C1"), Absent, None),
        del("Lê Văn Cường", Elected, Some("BAO"), Absent, None),
        del("Phạm Thị Dung", ExOfficio, None, Present, None),
        del("Hoàng Văn Em", Substitute, Some("SO-TC"), Present, Some(2)),
    ];
    let got = s.set_delegates(&actor(), kcq.id, list.clone()).await.unwrap();
    assert_eq!(got.delegates, list);
    let c = got.credentials;
    assert_eq!((c.summoned, c.absent, c.convened, c.present, c.seated_substitutes), (4, 1, 3, 3, 1));
    assert_eq!(s.delegates(kcq.id).await.unwrap(), got);
    // Refused, the list unchanged: a unit outside the bloc, a substitute for a present seat.
    let mut outside = list.clone();
    outside[0].unit = Some("QN".into());
    assert_eq!(error_code(s.set_delegates(&actor(), kcq.id, outside).await), "invalid_delegate");
    let mut wrong = list.clone();
    wrong[4].replaces = Some(1);
    assert_eq!(error_code(s.set_delegates(&actor(), kcq.id, wrong).await), "invalid_delegate");
    assert_eq!(s.delegates(kcq.id).await.unwrap(), got);

    // The bloc's committee, 2 seats: three on the committee's list (one withdraws), two from
    // the floor (3 delegates present: no supporter is not more than 30 %, two are).
    let e = s.create_election(&actor(), kcq.id, "Ban Chấp hành Đảng bộ Khối", 2).await.unwrap();
    assert_eq!((e.seats, e.review.present, e.candidates.len()), (2, 3, 0));
    let cand = |name: &str, nomination: Nomination, support: Option<u64>, withdrawn: bool| Candidate {
        name: name.into(),
        nomination,
        support,
        withdrawn,
    };
    let list = vec![
        cand("Nguyễn Văn An", Nomination::List, None, false),
        cand("Trần Thị Bích", Nomination::List, None, true),
        cand("Lê Văn Cường", Nomination::List, None, false),
        cand("Phạm Thị Dung", Nomination::Floor, Some(0), false),
        cand("Hoàng Văn Em", Nomination::Floor, Some(2), false),
    ];
    let e = s.set_candidates(&actor(), e.id, list.clone()).await.unwrap();
    assert_eq!(e.candidates, list);
    assert_eq!(e.review.ballot, ["Nguyễn Văn An", "Lê Văn Cường", "Hoàng Văn Em"]);
    // 30 % of 2 seats is no whole candidate: the list may hold one more than the seats.
    assert!(e.review.check.ok && e.review.check.most == 3, "{:?}", e.review.check);
    assert_eq!(e.review.candidates[3].enters, Some(false));
    let mut over = list.clone();
    over[3].support = Some(4);
    assert_eq!(error_code(s.set_candidates(&actor(), e.id, over).await), "invalid_candidate");
    assert_eq!(s.election(e.id).await.unwrap(), e, "the refused list changed nothing");
    assert_eq!(error_code(s.create_election(&actor(), kcq.id, "x", 0).await), "invalid_election");
    assert_eq!(s.elections(kcq.id).await.unwrap(), vec![e.clone()]);

    // The vote. Nothing is published before a round is counted; the first round opens from
    // the list's ballot and freezes the list.
    assert_eq!(error_code(s.publish_results(&actor(), e.id).await), "nothing_to_publish");
    assert_eq!(error_code(s.add_ballot(&actor(), e.id, 1, vec![true; 3]).await), "round_not_found");
    let r1 = s.open_round(&actor(), e.id).await.unwrap();
    assert_eq!((r1.number, r1.seats, r1.candidates.clone()), (1, 2, e.review.ballot.clone()));
    assert_eq!(error_code(s.open_round(&actor(), e.id).await), "election_voting");
    assert_eq!(error_code(s.set_candidates(&actor(), e.id, list.clone()).await), "election_voting");
    // Three ballots, one per delegate present: the third keeps three names for two seats.
    s.add_ballot(&actor(), e.id, 1, vec![true, true, false]).await.unwrap();
    s.add_ballot(&actor(), e.id, 1, vec![true, false, true]).await.unwrap();
    let r1 = s.add_ballot(&actor(), e.id, 1, vec![true, true, true]).await.unwrap();
    assert_eq!((r1.ballots, r1.entry), (3, VoteEntry::Ballots));
    assert_eq!(error_code(s.add_ballot(&actor(), e.id, 1, vec![true, false, false]).await), "invalid_ballot");
    assert_eq!(error_code(s.add_ballot(&actor(), e.id, 1, vec![true]).await), "invalid_ballot");
    assert_eq!(
        error_code(s.set_tally(&actor(), e.id, 2, RoundTally { cast: 1, valid: 1, votes: vec![1, 0, 0] }).await),
        "round_not_found"
    );
    // Counted on the 3 convened: 2 votes pass. An is elected; one seat goes to round two,
    // which opens with Cường and Em.
    let rounds = s.count_round(&actor(), e.id, 1, Some(3)).await.unwrap();
    let t = rounds[0].result.clone().unwrap();
    assert_eq!((t.ballots, t.valid, t.invalid, t.base_count, t.threshold), (3, 2, 1, 3, 2));
    assert_eq!((t.elected.clone(), t.unfilled, t.issued), (vec!["Nguyễn Văn An".to_string()], 1, Some(3)));
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        (rounds[1].seats, rounds[1].candidates.clone()),
        (1, vec!["Lê Văn Cường".into(), "Hoàng Văn Em".into()])
    );
    assert_eq!(error_code(s.count_round(&actor(), e.id, 1, None).await), "round_closed");
    assert_eq!(error_code(s.count_round(&actor(), e.id, 2, None).await), "round_empty");
    // Round two by tallies: refused when a name has more votes than valid ballots.
    let bad = RoundTally { cast: 3, valid: 2, votes: vec![3, 0] };
    assert_eq!(error_code(s.set_tally(&actor(), e.id, 2, bad).await), "invalid_count");
    let r2 = s.set_tally(&actor(), e.id, 2, RoundTally { cast: 3, valid: 3, votes: vec![2, 1] }).await.unwrap();
    assert_eq!((r2.entry, r2.ballots), (VoteEntry::Tally, 0));
    assert_eq!(error_code(s.add_ballot(&actor(), e.id, 2, vec![true, false]).await), "round_entry");
    let rounds = s.count_round(&actor(), e.id, 2, None).await.unwrap();
    assert_eq!(rounds.len(), 2, "both seats filled: no third round");
    assert_eq!(rounds[1].result.as_ref().unwrap().elected, ["Lê Văn Cường"]);
    assert_eq!(s.rounds(e.id).await.unwrap(), rounds);
    let published = s.publish_results(&actor(), e.id).await.unwrap();
    assert!(published.published_at.is_some() && published.rounds == 2);
    assert_eq!(s.publish_results(&actor(), e.id).await.unwrap(), published, "publishing again changes nothing");

    // The bloc's delegates apportioned among its two units, 2 members each: D'Hondt gives one
    // seat each and leaves the third to a tie; a person decides it, with the reason.
    for (unit, name) in
        [("SO-TC-C1", "Lý Văn Hai"), ("SO-TC-C2", "Lý Thị Ba"), ("BAO", "Mai Văn Tư"), ("BAO", "Mai Thị Năm")]
    {
        admit(s, unit, record(name, "male", "1980-01-01", "2010-01-01")).await;
    }
    assert_eq!(s.congress_apportionment(kcq.id).await.unwrap(), None);
    let ask = orgwork_store::ApportionAsk {
        method: orgwork_domain::congress::Method::Dhondt,
        seats: 3,
        min: 0,
        base: 0,
        per: 0,
        ex_officio: 2,
        as_of: d("2025-04-01"),
    };
    assert_eq!(error_code(s.apportion_congress(&actor(), so.id, ask.clone()).await), "invalid_apportionment");
    let late = orgwork_store::ApportionAsk { as_of: d("2099-01-01"), ..ask.clone() };
    assert_eq!(error_code(s.apportion_congress(&actor(), kcq.id, late).await), "invalid_apportionment");
    let a = s.apportion_congress(&actor(), kcq.id, ask).await.unwrap();
    assert_eq!(
        a.names.iter().map(|n| n.vi.as_str()).collect::<Vec<_>>(),
        ["Chi bộ Báo Quảng Ninh", "Đảng bộ Sở Tài chính"]
    );
    assert_eq!(
        a.shares.iter().map(|x| (x.unit.as_str(), x.members, x.seats)).collect::<Vec<_>>(),
        [("BAO", 2, 1), ("SO-TC", 2, 1)]
    );
    assert_eq!((a.open_seats, a.apportionment.total), (1, 5));
    assert_eq!(s.congress_apportionment(kcq.id).await.unwrap(), Some(a.clone()));
    let decision = |units: &[&str], reason: &str| orgwork_domain::congress::TieDecision {
        tie: 1,
        units: units.iter().map(|u| u.to_string()).collect(),
        reason: reason.into(),
    };
    assert_eq!(error_code(s.decide_tie(&actor(), kcq.id, decision(&["QN"], "x")).await), "invalid_tie_decision");
    assert_eq!(error_code(s.decide_tie(&actor(), kcq.id, decision(&["BAO"], "")).await), "invalid_tie_decision");
    assert_eq!(s.congress_apportionment(kcq.id).await.unwrap(), Some(a), "refused decisions changed nothing");
    let a = s.decide_tie(&actor(), kcq.id, decision(&["BAO"], "Bốc thăm trước Ban Thường vụ")).await.unwrap();
    assert_eq!(a.shares.iter().map(|x| x.seats).collect::<Vec<_>>(), [2, 1]);
    assert_eq!((a.open_seats, a.decisions[0].by.as_str()), (0, actor().name.as_str()));
    assert_eq!(error_code(s.decide_tie(&actor(), kcq.id, decision(&["SO-TC"], "x")).await), "tie_decided");

    // The province's congress: planned, then cancelled with its reason; a cancelled one
    // counts as none, and a reason is needed.
    let qn = s.plan_congress(&actor(), plan("QN", "2025-09-30", false)).await.unwrap();
    assert_eq!(error_code(s.hold_congress(&actor(), qn.id, d("2099-01-01")).await), "held_in_future");
    assert_eq!(error_code(s.cancel_congress(&actor(), qn.id, "  ").await), "invalid_reason");
    let qn = s.cancel_congress(&actor(), qn.id, "Hợp nhất tỉnh").await.unwrap();
    assert_eq!((qn.status, qn.reason.as_deref()), (CongressStatus::Cancelled, Some("Hợp nhất tỉnh")));
    let whole = s.schedule(term(), &code("QN"), d("2025-06-30")).await.unwrap();
    assert_eq!(whole.without, vec![code("QN")]);
    assert!(whole.passed, "a cancelled congress has no children to wait for");
    assert_eq!(s.congress(qn.id).await.unwrap(), qn);

    // Every change is on the audit chain, with the congress before and after.
    let log = s.audit(Some(&code("QN")), None, Page::first(1000)).await.unwrap().items;
    let actions: Vec<&str> =
        log.iter().filter(|e| e.action.starts_with("congress.")).map(|e| e.action.as_str()).collect();
    let count = |a: &str| actions.iter().filter(|x| **x == a).count();
    assert_eq!(
        (count("congress.plan"), count("congress.change"), count("congress.hold"), count("congress.cancel")),
        (6, 2, 5, 1)
    );
    assert_eq!(
        (count("congress.round"), count("congress.ballot"), count("congress.tally"), count("congress.count")),
        (2, 3, 1, 2)
    );
    assert_eq!((count("congress.publish"), count("congress.apportion"), count("congress.decide")), (1, 1, 1));
    let cancel = log.iter().find(|e| e.action == "congress.cancel").unwrap();
    assert_eq!(cancel.before.as_ref().unwrap()["status"], "planned");
    assert_eq!(cancel.after.as_ref().unwrap()["status"], "cancelled");
    assert!(s.verify_audit().await.unwrap().first_broken.is_none());
}
