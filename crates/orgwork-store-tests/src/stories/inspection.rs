//! Inspection and supervision, and discipline: what an inspection commission's staff would
//! check.

use super::*;
use orgwork_domain::access::Role;
use orgwork_domain::inspection::{AppealOutcome, ConclusionInput, InspectionStatus, RecommendationStatus};
use orgwork_store::{Actor, NewCase, NewInspection, RecommendationFilter, SubjectRef};

async fn user(store: &dyn Store, name: &str, role: Role, unit: &str) -> Actor {
    let u = store.create_user(&actor(), new_user(name, role, unit)).await.unwrap();
    Actor::user(u.id, &u.name)
}

fn planned(kind: &str, subjects: &[&str], from: &str, to: &str, head: &str, members: &[&str]) -> NewInspection {
    NewInspection {
        kind: kind.into(),
        subjects: subjects.iter().map(|s| SubjectRef::parse(s).unwrap()).collect(),
        topic: "Leadership of the unit's work".into(),
        criteria: vec!["Quy định 22-QĐ/TW".into()],
        from: d(from),
        to: d(to),
        head: head.into(),
        members: members.iter().map(|m| m.to_string()).collect(),
        override_conflict: None,
        reason: None,
    }
}

fn conclusion(text: &str) -> ConclusionInput {
    orgwork_domain::inspection::read_conclusion(text).expect("a test conclusion")
}

pub async fn inspects_from_plan_to_verified_follow_up(store: Arc<dyn Store>) {
    let s = store.as_ref();
    small_province(s).await;
    let ann = admit(s, "SO-TC-C1", record("Nguyễn Thị An", "female", "1980-01-01", "2010-01-01")).await;
    let inspector = user(s, "inspector.kcq", Role::Inspector, "KCQ").await;
    let _head = user(s, "head.kcq", Role::Inspector, "KCQ").await;
    let ann_user = user(s, "ann", Role::Inspector, "KCQ").await;
    let owner = user(s, "secretary.sotc", Role::Organizer, "SO-TC").await;
    let checker = user(s, "checker.kcq", Role::Inspector, "KCQ").await;
    s.link_member(&actor(), "ann", Some(ann)).await.unwrap();
    assert_eq!(s.linked_member(ann_user.user_id.unwrap()).await.unwrap(), Some(ann));

    let p = s.create_inspection_programme(&inspector, &code("KCQ"), 2025).await.unwrap();
    assert_eq!(
        error_code(s.create_inspection_programme(&inspector, &code("KCQ"), 2025).await),
        "inspection_programme_exists"
    );
    // A subject outside the body's subtree is refused; so is a window outside the year.
    let other = s.create_inspection_programme(&inspector, &code("SO-TC"), 2025).await.unwrap();
    let r = s
        .plan_inspection(
            &inspector,
            other.id,
            planned("finance", &["BAO"], "2025-03-01", "2025-03-31", "head.kcq", &[]),
        )
        .await;
    assert_eq!(error_code(r), "subject_outside_body");
    let r = s
        .plan_inspection(&inspector, p.id, planned("finance", &["BAO"], "2024-12-01", "2025-01-31", "head.kcq", &[]))
        .await;
    assert_eq!(error_code(r), "invalid_window");
    let r = s
        .plan_inspection(&inspector, p.id, planned("crime", &["BAO"], "2025-03-01", "2025-03-31", "head.kcq", &[]))
        .await;
    assert_eq!(error_code(r), "invalid_inspection_type");

    // Ann is a member of SO-TC-C1, under SO-TC: she cannot inspect SO-TC, nor herself.
    let mut plan = planned("finance", &["SO-TC"], "2025-03-01", "2025-03-31", "head.kcq", &["ann"]);
    match s.plan_inspection(&inspector, p.id, plan.clone()).await {
        Err(StoreError::Domain(e)) => {
            assert_eq!(e.code, "conflict_of_interest");
            assert!(e.message.contains("ann") && e.message.contains("SO-TC"), "{}", e.message);
        }
        other => panic!("expected a conflict of interest, got {other:?}"),
    }
    let r = s
        .plan_inspection(
            &inspector,
            p.id,
            planned("thematic_supervision", &[&format!("member:{ann}")], "2025-04-01", "2025-04-30", "ann", &[]),
        )
        .await;
    assert_eq!(error_code(r), "conflict_of_interest");
    // BAO is not hers: no conflict.
    let bao = s
        .plan_inspection(
            &inspector,
            p.id,
            planned("Giám sát chuyên đề", &["BAO"], "2025-05-01", "2025-05-31", "head.kcq", &["ann"]),
        )
        .await
        .unwrap();
    assert_eq!(bao.kind, "thematic_supervision");
    assert!(bao.supervision && bao.conflicts.is_empty());
    // The planner keeps her on the team with a reason: kept and shown.
    plan.override_conflict = Some("the only finance specialist".into());
    let sotc = s.plan_inspection(&inspector, p.id, plan).await.unwrap();
    assert_eq!(sotc.conflicts.len(), 1);
    assert_eq!(sotc.override_reason.as_deref(), Some("the only finance specialist"));
    assert_eq!(sotc.head, "head.kcq");
    assert_eq!(sotc.members, vec!["ann"]);

    // Approval locks the programme: what is added after it is recorded as an amendment.
    s.approve_inspection_programme(&inspector, p.id, "12-QĐ/UBKT", d("2025-01-10")).await.unwrap();
    assert_eq!(
        error_code(s.approve_inspection_programme(&inspector, p.id, "12-QĐ/UBKT", d("2025-01-10")).await),
        "programme_locked"
    );
    let mut extra = planned("regular_supervision", &["SO-TC-C2"], "2025-06-01", "2025-06-30", "head.kcq", &[]);
    extra.reason = Some("requested by the bloc's committee".into());
    let c2 = s.plan_inspection(&inspector, p.id, extra).await.unwrap();
    let deferred = s
        .set_inspection_status(&inspector, c2.id, InspectionStatus::Deferred, d("2025-06-01"), Some("floods".into()))
        .await
        .unwrap();
    assert_eq!(deferred.reason.as_deref(), Some("floods"));
    // Rescheduled: planned again in August with a new team, on the record; ann on a team of
    // C2 is no conflict, her own cell's would be.
    let mut change = orgwork_store::Reschedule {
        from: d("2025-08-01"),
        to: d("2025-08-29"),
        team: Some(("head.kcq".into(), vec!["ann".into()])),
        override_conflict: None,
        reason: "after the floods".into(),
    };
    let moved = s.reschedule_inspection(&inspector, c2.id, change.clone()).await.unwrap();
    assert_eq!(
        (moved.status, moved.from, moved.members.clone()),
        (InspectionStatus::Planned, d("2025-08-01"), vec!["ann".to_string()])
    );
    change.from = d("2024-12-01");
    assert_eq!(error_code(s.reschedule_inspection(&inspector, c2.id, change.clone()).await), "invalid_window");
    change.from = d("2025-08-01");
    s.set_inspection_status(
        &inspector,
        c2.id,
        InspectionStatus::Deferred,
        d("2025-07-20"),
        Some("floods again".into()),
    )
    .await
    .unwrap();
    let amendments = s.inspection_amendments(p.id).await.unwrap();
    assert_eq!(amendments.len(), 4);
    assert_eq!(amendments[2].reason.as_deref(), Some("after the floods"));
    assert_eq!(amendments[0].reason.as_deref(), Some("requested by the bloc's committee"));
    assert!(amendments[0].before.is_none() && amendments[1].before.is_some());
    assert_eq!(
        error_code(
            s.set_inspection_status(&inspector, c2.id, InspectionStatus::Cancelled, d("2025-06-02"), None).await
        ),
        "invalid_text"
    );

    // The conclusion: findings and recommendations, then locked.
    s.set_inspection_status(&inspector, sotc.id, InspectionStatus::InProgress, d("2025-03-01"), None).await.unwrap();
    let text = r#"
[[finding]]
subject = "SO-TC-C1"
kind = "violation"
severity = "serious"
regulation = "Quy định 22-QĐ/TW, Điều 5"
text = "Dues collected three months late"

[[finding]]
subject = "SO-TC"
kind = "good_practice"
text = "Minutes kept in full"

[[recommendation]]
finding = 1
addressee = "SO-TC-C1"
text = "Collect the dues every month"
due = "2025-05-31"
owner = "secretary.sotc"

[[recommendation]]
addressee = "SO-TC"
text = "Report the dues to the bloc each quarter"
due = "2025-12-31"
owner = "secretary.sotc"
"#;
    let bad = conclusion(&text.replace("subject = \"SO-TC-C1\"", "subject = \"BAO\""));
    assert_eq!(
        error_code(s.conclude_inspection(&inspector, sotc.id, d("2025-03-31"), bad).await),
        "finding_subject_outside"
    );
    let done = s.conclude_inspection(&inspector, sotc.id, d("2025-03-31"), conclusion(text)).await.unwrap();
    assert_eq!(done.status, InspectionStatus::Concluded);
    assert_eq!(done.findings.len(), 2);
    assert_eq!(done.recommendations.len(), 2);
    assert_eq!(done.recommendations[0].finding, Some(done.findings[0].id));
    assert_eq!(
        error_code(s.conclude_inspection(&inspector, sotc.id, d("2025-04-01"), conclusion(text)).await),
        "inspection_locked"
    );
    assert_eq!(
        error_code(
            s.set_inspection_status(
                &inspector,
                sotc.id,
                InspectionStatus::Cancelled,
                d("2025-04-01"),
                Some("x".into())
            )
            .await
        ),
        "inspection_locked"
    );
    let late = orgwork_store::Reschedule {
        from: d("2025-05-01"),
        to: d("2025-05-30"),
        team: None,
        override_conflict: None,
        reason: "late".into(),
    };
    assert_eq!(error_code(s.reschedule_inspection(&inspector, sotc.id, late).await), "invalid_inspection_status");

    // Follow-up: the owner reports it done; neither the owner nor the reporter verifies it.
    let rec = done.recommendations[0].id;
    let overdue = RecommendationFilter {
        body: Some(code("KCQ")),
        overdue: true,
        as_of: Some(d("2025-06-15")),
        ..Default::default()
    };
    assert_eq!(s.recommendations(&overdue).await.unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![rec]);
    assert_eq!(
        error_code(s.verify_recommendation(&checker, rec, d("2025-05-20"), true, None).await),
        "invalid_recommendation_status"
    );
    s.report_recommendation_done(&owner, rec, d("2025-05-20"), "Receipts of April and May").await.unwrap();
    assert_eq!(
        error_code(s.verify_recommendation(&owner, rec, d("2025-05-21"), true, None).await),
        "verifier_not_independent"
    );
    // Rejected: open again, with the reason in its history.
    let reopened = s
        .verify_recommendation(&checker, rec, d("2025-05-22"), false, Some("May's receipt is missing".into()))
        .await
        .unwrap();
    assert_eq!(reopened.status, RecommendationStatus::Open);
    // Reported again by another user: neither the owner nor that reporter may verify.
    s.report_recommendation_done(&ann_user, rec, d("2025-06-01"), "Both receipts").await.unwrap();
    assert_eq!(
        error_code(s.verify_recommendation(&ann_user, rec, d("2025-06-02"), true, None).await),
        "verifier_not_independent"
    );
    assert_eq!(
        error_code(s.verify_recommendation(&owner, rec, d("2025-06-02"), true, None).await),
        "verifier_not_independent"
    );
    let verified = s.verify_recommendation(&checker, rec, d("2025-06-02"), true, None).await.unwrap();
    assert_eq!(verified.status, RecommendationStatus::Verified);
    assert_eq!(
        verified.events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        vec!["done", "rejected", "done", "verified"]
    );
    assert!(s.recommendations(&overdue).await.unwrap().is_empty(), "a verified one is not overdue");
    let for_c1 = RecommendationFilter { addressee: Some(code("SO-TC-C1")), ..Default::default() };
    assert_eq!(s.recommendations(&for_c1).await.unwrap().len(), 1);

    // Coverage: SO-TC inspected, BAO supervised once begun, the others neither.
    let cov = s.coverage(&code("KCQ"), 2025, Some(2024)).await.unwrap();
    assert_eq!(cov.coverage.inspected, vec!["SO-TC"]);
    assert!(cov.coverage.supervised.is_empty(), "a supervision not begun does not count");
    s.set_inspection_status(&inspector, bao.id, InspectionStatus::InProgress, d("2025-05-01"), None).await.unwrap();
    let cov = s.coverage(&code("KCQ"), 2025, Some(2024)).await.unwrap();
    assert_eq!(cov.coverage.supervised, vec!["BAO"]);
    assert_eq!(cov.coverage.neither, vec!["KCQ", "SO-TC-C1", "SO-TC-C2"]);
    assert_eq!(cov.coverage.never_since, vec!["KCQ", "SO-TC-C1", "SO-TC-C2"]);
    let cov24 = s.coverage(&code("KCQ"), 2024, Some(2020)).await.unwrap();
    assert_eq!(cov24.coverage.neither.len(), 5);
}

pub async fn disciplines_with_appeals_and_moves_the_counts(store: Arc<dyn Store>) {
    use orgwork_domain::members::Status;
    let s = store.as_ref();
    small_province(s).await;
    let m = admit(s, "SO-TC-C1", record("Trần Văn Bình", "male", "1975-05-05", "2005-01-01")).await;
    let inspector = user(s, "inspector.kcq", Role::Inspector, "KCQ").await;
    let before = s.stats(&code("SO-TC"), d("2025-08-01")).await.unwrap();
    assert_eq!(before.total, 1);

    let bad = NewCase {
        member: Some(m),
        unit: None,
        measure: "dissolution".into(),
        body: code("SO-TC"),
        on: d("2025-07-01"),
        finding: None,
        reason: None,
    };
    assert_eq!(error_code(s.open_case(&inspector, bad.clone()).await), "invalid_measure");
    let outside = NewCase { body: code("BAO"), measure: "warning".into(), ..bad.clone() };
    assert_eq!(error_code(s.open_case(&inspector, outside).await), "subject_outside_body");
    let case = s.open_case(&inspector, NewCase { measure: "Cảnh cáo".into(), ..bad.clone() }).await.unwrap();
    assert_eq!(case.measure, "warning");
    assert_eq!(case.unit, Some(code("SO-TC-C1")));
    assert_eq!(
        error_code(s.appeal_case(&inspector, case.id, d("2025-07-10"), AppealOutcome::Keep, None, None).await),
        "case_not_issued"
    );
    let issued = s.issue_case(&inspector, case.id, "05-QĐ/ĐU", d("2025-07-05")).await.unwrap();
    assert_eq!(issued.decision.as_deref(), Some("05-QĐ/ĐU"));
    assert_eq!(error_code(s.issue_case(&inspector, case.id, "06", d("2025-07-06")).await), "case_locked");

    // The body above (KCQ) raises the warning to expulsion: the member leaves the counts.
    let raised = s
        .appeal_case(&inspector, case.id, d("2025-08-01"), AppealOutcome::Raise, Some("expulsion".into()), None)
        .await
        .unwrap();
    assert_eq!(raised.measure_now.as_deref(), Some("expulsion"));
    assert_eq!(raised.appeals[0].body, code("KCQ"));
    assert_eq!(raised.appeals[0].before.as_deref(), Some("warning"));
    assert_eq!(s.member(m, d("2025-08-01")).await.unwrap().status, Some(Status::Expelled));
    assert_eq!(s.stats(&code("SO-TC"), d("2025-08-01")).await.unwrap().total, 0);
    assert_eq!(s.stats(&code("SO-TC"), d("2025-07-31")).await.unwrap().total, 1, "the days before stay as they were");
    // QN, above KCQ, annuls it: the member is back from that day, in the unit they left.
    let annulled = s
        .appeal_case(&inspector, case.id, d("2025-09-01"), AppealOutcome::Annul, None, Some("3-QĐ/TU".into()))
        .await
        .unwrap();
    assert_eq!(annulled.measure_now, None);
    assert_eq!(annulled.appeals[1].body, code("QN"));
    let was = s.member(m, d("2025-07-31")).await.unwrap().status;
    assert!(was.is_some_and(|w| w != Status::Expelled));
    assert_eq!(s.member(m, d("2025-09-01")).await.unwrap().status, was, "the status held before the expulsion");
    assert_eq!(s.stats(&code("SO-TC"), d("2025-09-01")).await.unwrap().total, 1);
    assert_eq!(s.stats(&code("SO-TC"), d("2025-08-15")).await.unwrap().total, 0);
    assert_ledger_agrees(s, &["QN", "SO-TC", "SO-TC-C1"], &["2025-07-31", "2025-08-01", "2025-08-15", "2025-09-01"])
        .await;
    // Nothing above QN: no further appeal.
    assert_eq!(
        error_code(s.appeal_case(&inspector, case.id, d("2025-10-01"), AppealOutcome::Keep, None, None).await),
        "no_body_above"
    );

    // An expulsion issued at once ends the membership from its day.
    let direct = s.open_case(&inspector, NewCase { measure: "expulsion".into(), ..bad.clone() }).await.unwrap();
    s.issue_case(&inspector, direct.id, "07-QĐ/ĐU", d("2025-10-01")).await.unwrap();
    assert_eq!(s.stats(&code("SO-TC"), d("2025-10-01")).await.unwrap().total, 0);
    assert_ledger_agrees(s, &["QN", "SO-TC"], &["2025-09-30", "2025-10-01"]).await;

    // A unit's case: decided by a body above it, on the organizations' ladder.
    let unit_case = NewCase {
        member: None,
        unit: Some(code("BAO")),
        measure: "reprimand".into(),
        body: code("KCQ"),
        on: d("2025-07-01"),
        finding: None,
        reason: Some("late reports".into()),
    };
    let uc = s.open_case(&inspector, unit_case.clone()).await.unwrap();
    assert_eq!(uc.unit, Some(code("BAO")));
    let self_case = NewCase { body: code("BAO"), ..unit_case };
    assert_eq!(error_code(s.open_case(&inspector, self_case).await), "invalid_case");
    let year = s.cases(&orgwork_store::CaseFilter { unit: Some(code("KCQ")), year: Some(2025) }).await.unwrap();
    assert_eq!(year.len(), 3);
    let none = s.cases(&orgwork_store::CaseFilter { unit: Some(code("BAO")), year: Some(2024) }).await.unwrap();
    assert!(none.is_empty());
}

pub async fn restructuring_hands_open_inspections_and_recommendations_over(store: Arc<dyn Store>) {
    use orgwork_domain::restructure::{DissolveOp, Draft, FollowUpDestination, FollowUpKind, MergeOp, Operation, Rule};
    let s = store.as_ref();
    small_province(s).await;
    let inspector = user(s, "inspector.kcq", Role::Inspector, "KCQ").await;
    user(s, "head.kcq", Role::Inspector, "KCQ").await;
    user(s, "secretary.sotc", Role::Organizer, "SO-TC").await;
    let p = s.create_inspection_programme(&inspector, &code("KCQ"), 2025).await.unwrap();
    // An inspection of C1 concluded with a recommendation to C2; one of C2 still planned.
    let c1 = s
        .plan_inspection(
            &inspector,
            p.id,
            planned("finance", &["SO-TC-C1"], "2025-03-01", "2025-03-31", "head.kcq", &[]),
        )
        .await
        .unwrap();
    let text = "[[finding]]\nsubject = \"SO-TC-C1\"\nkind = \"shortcoming\"\ntext = \"Late minutes\"\n\n\
                [[recommendation]]\nfinding = 1\naddressee = \"SO-TC-C2\"\ntext = \"Send the minutes\"\n\
                due = \"2025-09-30\"\nowner = \"secretary.sotc\"\n";
    let done = s.conclude_inspection(&inspector, c1.id, d("2025-04-01"), conclusion(text)).await.unwrap();
    let rec = done.recommendations[0].id;
    let c2 = s
        .plan_inspection(
            &inspector,
            p.id,
            planned("finance", &["SO-TC-C2"], "2025-10-01", "2025-10-31", "head.kcq", &[]),
        )
        .await
        .unwrap();
    let draft = |op: Operation| Draft {
        title: "Sắp xếp chi bộ".into(),
        effective: d("2025-07-01"),
        decision: None,
        operations: vec![op],
        plan_items: vec![],
        follow_ups: vec![],
    };
    // Dissolved into nothing: both the planned inspection and the open recommendation fail.
    let dissolve = Operation::Dissolve(DissolveOp { unit: code("SO-TC-C2"), into: None });
    let r = s.create_restructuring(&actor(), draft(dissolve).validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    let failing: Vec<_> = check
        .failures
        .iter()
        .filter(|f| matches!(f.rule, Rule::InspectionsReassigned | Rule::RecommendationsReassigned))
        .map(|f| (f.rule, f.item.clone(), f.unit.clone()))
        .collect();
    assert_eq!(
        failing,
        [
            (Rule::InspectionsReassigned, Some(c2.id.to_string()), Some(code("SO-TC-C2"))),
            (Rule::RecommendationsReassigned, Some(rec.to_string()), Some(code("SO-TC-C2"))),
        ],
        "{:?}",
        check.failures
    );
    assert_eq!(check.impact.follow_ups.len(), 2);
    assert!(check.impact.follow_ups.iter().all(|m| m.to.is_none()));
    // Merged into C1: C1 takes both over, on the record; undo gives them back.
    let merge = Operation::Merge(MergeOp { units: vec![code("SO-TC-C1"), code("SO-TC-C2")], into: code("SO-TC-C1") });
    let r = s.create_restructuring(&actor(), draft(merge).validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert!(check.passed, "{:?}", check.failures);
    assert!(check.impact.follow_ups.iter().all(|m| m.to == Some(code("SO-TC-C1"))));
    assert!(s.apply_restructuring(&actor(), r.id).await.unwrap().applied);
    assert_eq!(s.inspection(c2.id).await.unwrap().subjects[0].unit, Some(code("SO-TC-C1")));
    let moved = s.recommendation(rec, d("2025-07-02")).await.unwrap();
    assert_eq!(moved.addressee, code("SO-TC-C1"));
    assert_eq!(moved.events.last().map(|e| e.event.as_str()), Some("moved"));
    assert_eq!(s.inspection_amendments(p.id).await.unwrap().last().map(|a| a.on), Some(d("2025-07-01")));
    s.undo_restructuring(&actor()).await.unwrap();
    assert_eq!(s.inspection(c2.id).await.unwrap().subjects[0].unit, Some(code("SO-TC-C2")));
    assert_eq!(s.recommendation(rec, d("2025-07-02")).await.unwrap().addressee, code("SO-TC-C2"));

    // Dissolved into nothing with explicit destinations: one outside the body's subtree (QN
    // is above KCQ) and one naming nothing open fail, each named.
    let to = |kind, id: String, unit: &str| FollowUpDestination { kind, id, to: code(unit) };
    let dissolve = || Operation::Dissolve(DissolveOp { unit: code("SO-TC-C2"), into: None });
    let wrong = Draft {
        follow_ups: vec![
            to(FollowUpKind::Inspection, c2.id.to_string(), "BAO"),
            to(FollowUpKind::Recommendation, rec.to_string(), "QN"),
            to(FollowUpKind::Recommendation, "999999".into(), "BAO"),
        ],
        ..draft(dissolve())
    };
    let r = s.create_restructuring(&actor(), wrong.validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    let failing: Vec<_> = check
        .failures
        .iter()
        .filter(|f| matches!(f.rule, Rule::InspectionsReassigned | Rule::RecommendationsReassigned))
        .map(|f| (f.rule, f.item.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        failing,
        [(Rule::RecommendationsReassigned, rec.to_string()), (Rule::RecommendationsReassigned, "999999".into())],
        "{:?}",
        check.failures
    );
    assert!(check.failures.iter().any(|f| f.message.contains("not in KCQ's subtree")), "{:?}", check.failures);
    // Two destinations for one recommendation are refused before any check.
    let twice = Draft {
        follow_ups: vec![
            to(FollowUpKind::Recommendation, rec.to_string(), "BAO"),
            to(FollowUpKind::Recommendation, rec.to_string(), "SO-TC"),
        ],
        ..draft(dissolve())
    };
    assert_eq!(twice.validate().map(|_| ()).unwrap_err().code, "invalid_follow_up");
    // Right destinations: BAO is inspected in C2's place, SO-TC carries the recommendation out.
    let right = Draft {
        follow_ups: vec![
            to(FollowUpKind::Inspection, c2.id.to_string(), "BAO"),
            to(FollowUpKind::Recommendation, rec.to_string(), "SO-TC"),
        ],
        ..draft(dissolve())
    };
    let r = s.create_restructuring(&actor(), right.validate().unwrap()).await.unwrap();
    let check = s.check_restructuring(r.id).await.unwrap();
    assert!(check.passed, "{:?}", check.failures);
    let moves: Vec<_> = check.impact.follow_ups.iter().map(|m| (m.kind.as_str(), m.to.clone())).collect();
    assert_eq!(moves, [("inspection", Some(code("BAO"))), ("recommendation", Some(code("SO-TC")))]);
    assert!(s.apply_restructuring(&actor(), r.id).await.unwrap().applied);
    assert_eq!(s.inspection(c2.id).await.unwrap().subjects[0].unit, Some(code("BAO")));
    assert_eq!(s.recommendation(rec, d("2025-07-02")).await.unwrap().addressee, code("SO-TC"));
    assert_eq!(s.restructuring(r.id).await.unwrap().follow_ups.len(), 2, "the destinations are kept with the draft");
}
