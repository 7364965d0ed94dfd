//! `orgwork demo`: creates (or reuses) `./orgwork-demo.db` with the seed's organization and
//! serves it on 127.0.0.1:8080.

use super::actor;
use crate::db::ProfileArgs;
use crate::demo_data::{BLOC, CELLS, GRASSROOTS, ROOT};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use orgwork_domain::structure::{Names, UnitCode};
use orgwork_store::{NewUnit, Store};

#[derive(clap::Args)]
pub struct Args {
    /// The demo database.
    #[arg(long, default_value = "./orgwork-demo.db")]
    database: String,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Create the demo data and exit, without serving.
    #[arg(long)]
    no_serve: bool,
    #[command(flatten)]
    profile: ProfileArgs,
}

pub async fn run(args: Args) -> Result<()> {
    let store = crate::db::open(&args.database, args.profile.load()?).await?;
    let created = load(store.as_ref()).await?;
    if created == 0 {
        println!("Reusing the demo database {}.", args.database);
    } else {
        println!("Created the demo database {} ({created} units).", args.database);
    }
    let members = load_members(store.as_ref()).await?;
    if members > 0 {
        println!("Added {members} synthetic members.");
    }
    load_users(store.as_ref()).await?;
    if let Some(id) = load_restructuring(store.as_ref()).await? {
        println!("Recorded the seed's restructuring as draft {id}: try `orgwork restructure check {id}`.");
    }
    if load_programmes(store.as_ref()).await? {
        println!("Recorded the Bloc's 2025 work programme, cascaded to two departments, and a draft for 2026.");
    }
    if load_inspections(store.as_ref()).await? {
        println!("Recorded the Bloc's 2024 inspection programme, concluded, and its 2025 programme under way.");
    }
    if load_congresses(store.as_ref()).await? {
        println!(
            "Recorded the 2025-2030 congresses: the Bloc's cells and grassroots organizations (one a pilot), the Bloc's, the province's 16th."
        );
    }
    println!("Log in at http://{}/ with one of these users (password: {DEMO_PASSWORD}):", args.listen);
    for (name, role, unit, who) in DEMO_USERS {
        println!("  {name:<16} {role} of {unit}: {who}");
    }
    if args.no_serve {
        return Ok(());
    }
    crate::cmd::serve::serve(&args.listen, store).await
}

fn day(s: &str) -> NaiveDate {
    orgwork_domain::date::parse_date("date", s).expect("a demo date")
}

async fn create(
    store: &dyn Store,
    code: &str,
    kind: &str,
    parent: Option<&str>,
    from: &str,
    names: (&str, &str, &str),
) -> Result<()> {
    store
        .create_unit(
            &actor(),
            NewUnit {
                code: UnitCode::parse(code)?,
                names: Names::parse(names.0, Some(names.1), Some(names.2))?,
                kind: kind.to_string(),
                parent: parent.map(UnitCode::parse).transpose()?,
                valid_from: day(from),
                decision: None,
            },
        )
        .await
        .with_context(|| format!("creating the demo unit {code}"))?;
    Ok(())
}

/// The seed's restructuring: the Agencies Bloc divided between two new committees, effective
/// early in 2025 (a file of operations users can read as an example).
pub const RESTRUCTURING: &str = include_str!("../demo_restructuring.toml");

/// Records the seed's restructuring as a draft, once.
pub async fn load_restructuring(store: &dyn Store) -> Result<Option<orgwork_store::DraftId>> {
    if !store.restructurings().await?.is_empty() {
        return Ok(None);
    }
    let draft = orgwork_domain::restructure::Draft::from_toml(RESTRUCTURING).context("the demo restructuring")?;
    Ok(Some(store.create_restructuring(&actor(), draft).await?.id))
}

/// The Bloc's 2025 work programme with the province's theme, approved and reported on part-way;
/// two departments' programmes carrying out its admissions item; and the Newspaper's 2026
/// draft, whose vague item the lint catches. Once: false when they are there already.
pub async fn load_programmes(store: &dyn Store) -> Result<bool> {
    use orgwork_domain::plan::{Indicator, Item};
    let bloc = UnitCode::parse("QN-KCQ")?;
    if store.programme_of(&bloc, 2025).await?.is_some() {
        return Ok(false);
    }
    let item = |code: &str, title: &str, unit: &str, indicator: Indicator, target: Option<f64>, deadline: &str| Item {
        code: code.into(),
        title: title.into(),
        responsible: UnitCode::parse(unit).ok(),
        indicator: Some(indicator),
        baseline: target.map(|_| 0.0),
        target,
        deadline: Some(day(deadline)),
        ..Default::default()
    };
    let bloc_items = vec![
        Item {
            weight: Some(3.0),
            unit: Some("đảng viên".into()),
            ..item("1", "Kết nạp 60 đảng viên mới trong năm 2025", "QN-KCQ", Indicator::Count, Some(60.0), "2025-12-31")
        },
        Item {
            weight: Some(2.0),
            unit: Some("%".into()),
            baseline: Some(80.0),
            ..item(
                "2",
                "100% chi bộ sinh hoạt chuyên đề ít nhất 1 lần mỗi quý",
                "QN-KCQ",
                Indicator::Percent,
                Some(100.0),
                "2025-12-31",
            )
        },
        item(
            "3",
            "Tổng kết 5 năm thực hiện Nghị quyết số 21-NQ/TW trước 30/6/2025",
            "QN-KCQ",
            Indicator::Milestone,
            None,
            "2025-06-30",
        ),
        item(
            "4",
            "Hoàn thành sắp xếp tổ chức đảng trực thuộc trước 01/02/2025",
            "QN-KCQ",
            Indicator::Milestone,
            None,
            "2025-02-01",
        ),
    ];
    let theme = "Đột phá phát triển kinh tế, tạo động lực cho nhiệm kỳ mới";
    let p = store.create_programme(&actor(), &bloc, 2025, theme, bloc_items).await?;
    store.approve_programme(&actor(), p.id, "45-QĐ/ĐUK", day("2025-01-10")).await?;
    let report = |item: &str, value: f64, on: &str, note: &str| orgwork_store::NewReport {
        item: item.into(),
        value,
        on: day(on),
        note: Some(note.into()),
        evidence: None,
    };
    for r in [
        report("2", 90.0, "2025-06-30", "Báo cáo sơ kết 6 tháng"),
        report("3", 1.0, "2025-07-15", "Hội nghị tổng kết"),
        report("4", 1.0, "2025-01-31", ""),
    ] {
        store.report_progress(&actor(), p.id, r).await?;
    }
    // Two departments carry out the Bloc's admissions item; the Finance one's inspections lag.
    let stc = vec![
        Item {
            carries_out: Some("1".into()),
            ..item("1", "Kết nạp 6 đảng viên mới", "QN-KCQ-STC", Indicator::Count, Some(6.0), "2025-12-31")
        },
        item(
            "2",
            "Kiểm tra 3 chi bộ trực thuộc trong quý III",
            "QN-KCQ-STC",
            Indicator::Count,
            Some(3.0),
            "2025-09-30",
        ),
    ];
    let s = store.create_programme(&actor(), &UnitCode::parse("QN-KCQ-STC")?, 2025, theme, stc).await?;
    store.approve_programme(&actor(), s.id, "12-QĐ/ĐU", day("2025-01-20")).await?;
    for r in [
        report("1", 2.0, "2025-04-15", "Quý I"),
        report("1", 5.0, "2025-10-10", "Quý III"),
        report("2", 2.0, "2025-08-30", ""),
    ] {
        store.report_progress(&actor(), s.id, r).await?;
    }
    let sct = vec![Item {
        carries_out: Some("1".into()),
        ..item("1", "Kết nạp 4 đảng viên mới", "QN-KCQ-SCT", Indicator::Count, Some(4.0), "2025-12-31")
    }];
    let c = store.create_programme(&actor(), &UnitCode::parse("QN-KCQ-SCT")?, 2025, theme, sct).await?;
    store.approve_programme(&actor(), c.id, "08-QĐ/ĐU", day("2025-01-22")).await?;
    store.report_progress(&actor(), c.id, report("1", 4.0, "2025-11-20", "Đã kết nạp đủ")).await?;
    // The Newspaper's 2026 draft: one item the lint refuses, one it passes.
    let draft = vec![
        Item {
            code: "1".into(),
            title: "Tăng cường công tác giáo dục chính trị tư tưởng".into(),
            ..Default::default()
        },
        item("2", "Kết nạp 2 đảng viên mới", "QN-KCQ-BAOQN", Indicator::Count, Some(2.0), "2026-12-31"),
    ];
    store.create_programme(&actor(), &UnitCode::parse("QN-KCQ-BAOQN")?, 2026, "", draft).await?;
    Ok(true)
}

/// A demo user, as the actor of the demo's changes.
async fn demo_actor(store: &dyn Store, name: &str) -> Result<orgwork_store::Actor> {
    let c = store.credentials(name).await?.with_context(|| format!("the demo user {name}"))?;
    Ok(orgwork_store::Actor::user(c.user.id, &c.user.name))
}

/// A member of a unit in the demo (the first listed on a day).
async fn member_of(store: &dyn Store, unit: &str, on: &str) -> Result<orgwork_store::MemberId> {
    let filter = orgwork_store::MemberFilter::default();
    let page = store.members(Some(&UnitCode::parse(unit)?), day(on), &filter, orgwork_store::Page::first(1)).await?;
    page.items.first().map(|m| m.id).with_context(|| format!("no demo member in {unit}"))
}

/// The Bloc's inspection and supervision: its 2024 programme carried out and concluded
/// (findings; recommendations verified, awaiting verification and overdue; a member's
/// warning lightened on appeal), and its 2025 programme approved and under way, with an
/// inspector's conflict of interest overridden on the record. Once: false when it is there.
pub async fn load_inspections(store: &dyn Store) -> Result<bool> {
    use orgwork_domain::inspection::{AppealOutcome, InspectionStatus, read_conclusion};
    use orgwork_store::{NewCase, NewInspection, SubjectRef};
    let bloc = UnitCode::parse("QN-KCQ")?;
    if store.inspection_programme_of(&bloc, 2024).await?.is_some() {
        return Ok(false);
    }
    let inspector = demo_actor(store, "inspector.kcq").await?;
    let secretary = demo_actor(store, "secretary.stc").await?;
    let organizer = demo_actor(store, "organizer.kcq").await?;
    // The inspector is a member of the Newspaper's office cell.
    store
        .link_member(&actor(), "inspector.kcq", Some(member_of(store, "QN-KCQ-BAOQN-C1", "2024-01-01").await?))
        .await?;
    let plan =
        |kind: &str, subjects: Vec<SubjectRef>, topic: &str, criteria: &[&str], from: &str, to: &str| NewInspection {
            kind: kind.into(),
            subjects,
            topic: topic.into(),
            criteria: criteria.iter().map(|c| c.to_string()).collect(),
            from: day(from),
            to: day(to),
            head: "inspector.kcq".into(),
            members: vec![],
            override_conflict: None,
            reason: None,
        };
    let unit = |c: &str| SubjectRef::Unit(UnitCode::parse(c).expect("a demo code"));

    let p24 = store.create_inspection_programme(&inspector, &bloc, 2024).await?;
    let finance = store
        .plan_inspection(
            &inspector,
            p24.id,
            plan(
                "finance",
                vec![unit("QN-KCQ-STC")],
                "Thu, nộp và quản lý đảng phí năm 2023",
                &["Quyết định 342-QĐ/TW về chế độ đảng phí"],
                "2024-03-04",
                "2024-03-29",
            ),
        )
        .await?;
    let mut sup = plan(
        "thematic_supervision",
        vec![unit("QN-KCQ-BAOQN")],
        "Lãnh đạo công tác chuyển đổi số của cơ quan báo chí",
        &["Nghị quyết 57-NQ/TW"],
        "2024-05-06",
        "2024-05-31",
    );
    sup.override_conflict = Some("Cán bộ duy nhất của Ủy ban Kiểm tra am hiểu nghiệp vụ báo chí".into());
    let supervision = store.plan_inspection(&inspector, p24.id, sup).await?;
    let violated = member_of(store, "QN-KCQ-BAOQN-C2", "2024-08-01").await?;
    let signs = store
        .plan_inspection(
            &inspector,
            p24.id,
            plan(
                "signs_of_violation",
                vec![SubjectRef::Member(violated)],
                "Việc chấp hành quy định về những điều đảng viên không được làm",
                &["Quy định 37-QĐ/TW"],
                "2024-08-05",
                "2024-08-23",
            ),
        )
        .await?;
    store.approve_inspection_programme(&inspector, p24.id, "05-QĐ/UBKTĐUK", day("2024-01-15")).await?;
    for (i, on) in [(&finance, "2024-03-04"), (&supervision, "2024-05-06"), (&signs, "2024-08-05")] {
        store.set_inspection_status(&inspector, i.id, InspectionStatus::InProgress, day(on), None).await?;
    }
    let conclusion = read_conclusion(
        r#"
[[finding]]
subject = "QN-KCQ-STC-C3"
kind = "violation"
severity = "minor"
regulation = "Quyết định 342-QĐ/TW, mục 4"
text = "Thu đảng phí chậm ba tháng, sổ thu chưa ghi đủ"

[[finding]]
subject = "QN-KCQ-STC"
kind = "good_practice"
text = "Quyết toán đảng phí năm 2023 đúng hạn, chứng từ đầy đủ"

[[recommendation]]
finding = 1
addressee = "QN-KCQ-STC"
text = "Chỉ đạo chi bộ Phòng Kế hoạch - Tài chính thu đảng phí hằng tháng"
due = "2024-06-30"
owner = "secretary.stc"

[[recommendation]]
finding = 1
addressee = "QN-KCQ-STC-C3"
text = "Ghi đủ sổ thu đảng phí từ năm 2023 và báo cáo Ủy ban Kiểm tra"
due = "2024-09-30"
owner = "secretary.stc"
"#,
    )?;
    let done = store.conclude_inspection(&inspector, finance.id, day("2024-04-10"), conclusion).await?;
    let first = done.recommendations[0].id;
    store
        .report_recommendation_done(&secretary, first, day("2024-06-20"), "Biên bản họp chi bộ ngày 15/6/2024")
        .await?;
    store.verify_recommendation(&inspector, first, day("2024-06-25"), true, None).await?;
    let conclusion = read_conclusion(
        r#"
[[finding]]
subject = "QN-KCQ-BAOQN"
kind = "good_practice"
text = "Ứng dụng tòa soạn số, rút ngắn thời gian xuất bản"

[[finding]]
subject = "QN-KCQ-BAOQN-C2"
kind = "shortcoming"
text = "Chưa ban hành quy chế bảo mật dữ liệu"

[[recommendation]]
finding = 2
addressee = "QN-KCQ-BAOQN"
text = "Ban hành quy chế bảo mật dữ liệu của cơ quan"
due = "2024-12-31"
owner = "organizer.kcq"
"#,
    )?;
    let sup_done = store.conclude_inspection(&inspector, supervision.id, day("2024-06-07"), conclusion).await?;
    store
        .report_recommendation_done(
            &organizer,
            sup_done.recommendations[0].id,
            day("2024-12-20"),
            "Quyết định 88-QĐ/BQN",
        )
        .await?;
    let conclusion = read_conclusion(&format!(
        r#"
[[finding]]
subject = "member:{violated}"
kind = "violation"
severity = "serious"
regulation = "Quy định 37-QĐ/TW, Điều 2"
text = "Tham gia kinh doanh trái quy định khi đang công tác tại cơ quan báo chí"
"#
    ))?;
    let signs_done = store.conclude_inspection(&inspector, signs.id, day("2024-08-30"), conclusion).await?;
    let case = store
        .open_case(
            &inspector,
            NewCase {
                member: Some(violated),
                unit: None,
                measure: "warning".into(),
                body: UnitCode::parse("QN-KCQ-BAOQN")?,
                on: day("2024-09-02"),
                finding: Some(signs_done.findings[0].id),
                reason: Some("Vi phạm Quy định 37-QĐ/TW".into()),
            },
        )
        .await?;
    store.issue_case(&inspector, case.id, "12-QĐ/ĐU", day("2024-09-10")).await?;
    store
        .appeal_case(&inspector, case.id, day("2024-10-15"), AppealOutcome::Lighten, None, Some("21-QĐ/UBKTĐUK".into()))
        .await?;

    let p25 = store.create_inspection_programme(&inspector, &bloc, 2025).await?;
    let bhxh = store
        .plan_inspection(
            &inspector,
            p25.id,
            plan(
                "regular_supervision",
                vec![unit("QN-KCQ-BHXH")],
                "Thực hiện nghị quyết của Đảng ủy Khối về cải cách hành chính",
                &["Chương trình làm việc toàn khóa"],
                "2025-03-03",
                "2025-04-30",
            ),
        )
        .await?;
    store
        .plan_inspection(
            &inspector,
            p25.id,
            plan(
                "finance",
                vec![unit("QN-KCQ-BQLKKT")],
                "Quản lý, sử dụng tài chính đảng năm 2024",
                &["Quyết định 342-QĐ/TW"],
                "2025-06-02",
                "2025-06-27",
            ),
        )
        .await?;
    let assets = store
        .plan_inspection(
            &inspector,
            p25.id,
            plan(
                "asset_declaration",
                vec![unit("QN-KCQ-BTCTU"), unit("QN-KCQ-BDT")],
                "Kê khai tài sản, thu nhập năm 2024",
                &["Quy định 144-QĐ/TW", "Luật Phòng, chống tham nhũng 2018"],
                "2025-09-01",
                "2025-10-31",
            ),
        )
        .await?;
    store.approve_inspection_programme(&inspector, p25.id, "02-QĐ/UBKTĐUK", day("2025-01-10")).await?;
    store.set_inspection_status(&inspector, bhxh.id, InspectionStatus::InProgress, day("2025-03-03"), None).await?;
    store
        .set_inspection_status(
            &inspector,
            assets.id,
            InspectionStatus::Deferred,
            day("2025-08-15"),
            Some("Chờ hướng dẫn kê khai sau sắp xếp tổ chức bộ máy".into()),
        )
        .await?;
    Ok(true)
}

/// The demo users' password. The demo database is for trying orgwork on one's own machine.
pub const DEMO_PASSWORD: &str = "orgwork-demo";

/// The 2025-2030 term's congresses, bottom up: the cells of the grassroots committees in
/// March 2025; the Office of the Provincial Party Committee's as the pilot on 25 March; the
/// other grassroots organizations from April to June (one, the Internal Affairs Commission's
/// cell, planned and its record not yet entered); the Bloc's congress of delegates on 8 July;
/// the province's 16th congress on 28 September. The schedule holds. The Bloc's congress has
/// its delegates and their credentials on the record.
pub async fn load_congresses(store: &dyn Store) -> Result<bool> {
    use orgwork_domain::congress::{CongressKind, TermCode};
    if !store.terms().await?.is_empty() {
        return Ok(false);
    }
    let term = TermCode::parse("2025-2030")?;
    let who = actor();
    let plan = async |unit: &str, kind: CongressKind, number: Option<u32>, on: NaiveDate, pilot: bool, held: bool| {
        let new =
            orgwork_store::NewCongress { term, unit: UnitCode::parse(unit)?, kind, number, planned_on: on, pilot };
        let c = store.plan_congress(&who, new).await?;
        if held {
            store.hold_congress(&who, c.id, on).await?;
        }
        Ok::<_, anyhow::Error>(())
    };
    let march = day("2025-03-03");
    // The others spread from 1 April to 25 June.
    let spread = |i: usize| day("2025-04-01") + chrono::Days::new((i * 85 / GRASSROOTS.len()) as u64);
    for (i, g) in GRASSROOTS.iter().enumerate() {
        let code = format!("{}-{}", BLOC.0, g.code);
        if g.committee {
            for (k, (suffix, ..)) in CELLS.iter().enumerate() {
                let on = march + chrono::Days::new((i % 5) as u64 + 2 * k as u64);
                plan(&format!("{code}-{suffix}"), CongressKind::Members, None, on, false, true).await?;
            }
        }
        let (on, pilot) = if g.code == "VPTU" { (day("2025-03-25"), true) } else { (spread(i), false) };
        plan(&code, CongressKind::Members, None, on, pilot, g.code != "BNCTU").await?;
    }
    plan(BLOC.0, CongressKind::Delegates, None, day("2025-07-08"), false, true).await?;
    // The Bloc's delegates, apportioned on the record among its grassroots organizations from
    // their members on 31 March 2025: two each first, the rest by largest remainder (as many
    // in all as three each); a tie for the last seats is decided with the reason. Each seat is
    // an elected delegate; the Bloc committee's fifteen sit ex officio, two substitutes; one
    // elected delegate absent with a substitute seated, one absent alone.
    use crate::demo_data::people::{Rng, person};
    use orgwork_domain::congress::{Attendance, Delegate, DelegateKind, Method, TieDecision};
    let bloc = store.schedule(term, &UnitCode::parse(BLOC.0)?, day("2025-07-08")).await?;
    let Some(bloc_congress) = bloc.congresses.iter().find(|c| c.unit.as_str() == BLOC.0) else {
        anyhow::bail!("the Bloc's congress is not planned");
    };
    let below = store.totals_below(&UnitCode::parse(BLOC.0)?, day("2025-03-31")).await?.len() as u64;
    let ask = orgwork_store::ApportionAsk {
        method: Method::Hamilton,
        seats: 3 * below,
        min: 0,
        base: 2,
        per: 0,
        ex_officio: 15,
        as_of: day("2025-03-31"),
    };
    let mut shared = store.apportion_congress(&who, bloc_congress.id, ask).await?;
    for (i, t) in shared.apportionment.ties.clone().iter().enumerate() {
        let units = t.units.iter().take(t.seats as usize).cloned().collect();
        let reason = "Bốc thăm tại Hội nghị Ban Thường vụ Đảng ủy Khối ngày 15/4/2025".to_string();
        shared = store.decide_tie(&who, bloc_congress.id, TieDecision { tie: i as u32 + 1, units, reason }).await?;
    }
    let mut rng = Rng::new(2025);
    let mut list = vec![];
    for share in &shared.shares {
        for _ in 0..share.seats {
            let name = person(&mut rng, 0, 0).full_name;
            list.push(Delegate {
                name,
                kind: DelegateKind::Elected,
                unit: Some(share.unit.clone()),
                attendance: Attendance::Present,
                replaces: None,
            });
        }
    }
    list[4].attendance = Attendance::Absent;
    list[10].attendance = Attendance::Absent;
    for _ in 0..15 {
        let name = person(&mut rng, 0, 0).full_name;
        list.push(Delegate {
            name,
            kind: DelegateKind::ExOfficio,
            unit: None,
            attendance: Attendance::Present,
            replaces: None,
        });
    }
    for replaces in [Some(5), None] {
        let unit = Some(format!("{}-{}", BLOC.0, GRASSROOTS[1].code));
        let name = person(&mut rng, 0, 0).full_name;
        let attendance = if replaces.is_some() { Attendance::Present } else { Attendance::Convened };
        list.push(Delegate { name, kind: DelegateKind::Substitute, unit, attendance, replaces });
    }
    {
        let c = bloc_congress;
        store.set_delegates(&who, c.id, list).await?;
        // The Bloc committee, 15 seats: the convening committee's 18 (one withdraws, so 17
        // stand: 13 % more, within the advised 10-15 %), and a nomination from the floor that
        // 30 of the 137 present support (not more than 30 %: it does not enter).
        use orgwork_domain::congress::{Candidate, Nomination};
        let e = store.create_election(&who, c.id, "Ban Chấp hành Đảng bộ Khối nhiệm kỳ 2025-2030", 15).await?;
        let mut candidates: Vec<Candidate> = (0..18)
            .map(|_| Candidate {
                name: person(&mut rng, 0, 0).full_name,
                nomination: Nomination::List,
                support: None,
                withdrawn: false,
            })
            .collect();
        candidates[6].withdrawn = true;
        candidates.dedup_by(|a, b| a.name == b.name);
        candidates.push(Candidate {
            name: person(&mut rng, 0, 0).full_name,
            nomination: Nomination::Floor,
            support: Some(30),
            withdrawn: false,
        });
        let e = store.set_candidates(&who, e.id, candidates).await?;
        // The vote, by tallies. Round one: fourteen pass clearly, two tie at the fifteenth
        // seat (neither is elected), one does not pass; round two fills the seat among the
        // three, and the results are published.
        use orgwork_domain::congress::RoundTally;
        let present = store.delegates(c.id).await?.credentials.present;
        let (cast, valid) = (present, present - 1);
        store.open_round(&who, e.id).await?;
        let standing = e.review.ballot.len() as u64;
        let votes: Vec<u64> = (0..standing)
            .map(|i| match i {
                0..14 => valid - 2 - 3 * i,
                14 | 15 => 80,
                _ => 41,
            })
            .collect();
        store.set_tally(&who, e.id, 1, RoundTally { cast, valid, votes }).await?;
        store.count_round(&who, e.id, 1, Some(present)).await?;
        let (cast, valid) = (present - 2, present - 4);
        store.set_tally(&who, e.id, 2, RoundTally { cast, valid, votes: vec![78, 41, 7] }).await?;
        store.count_round(&who, e.id, 2, Some(present - 2)).await?;
        store.publish_results(&who, e.id).await?;
    }
    plan(ROOT.0, CongressKind::Delegates, Some(16), day("2025-09-28"), false, true).await?;
    Ok(true)
}

/// (name, role, unit, who they stand for)
pub const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    ("admin", "administrator", "QN", "the administrator of the whole tree"),
    ("organizer.kcq", "organizer", "QN-KCQ", "organization staff of the Agencies Bloc committee"),
    ("inspector.kcq", "inspector", "QN-KCQ", "inspection commission staff of the Bloc"),
    ("planner.kcq", "planner", "QN-KCQ", "the Bloc committee's office, drafting and amending work programmes"),
    ("secretary.stc", "organizer", "QN-KCQ-STC", "the secretary of the Department of Finance's grassroots committee"),
    ("viewer.baoqn", "viewer", "QN-KCQ-BAOQN", "a member of the Quang Ninh Newspaper's committee, reading only"),
];

/// Adds the demo users that are not there yet.
pub async fn load_users(store: &dyn Store) -> Result<()> {
    for (name, role, unit, _) in DEMO_USERS {
        if store.credentials(name).await?.is_some() {
            continue;
        }
        let hash = orgwork_web::auth::hash_password(DEMO_PASSWORD.to_string()).await.map_err(anyhow::Error::msg)?;
        let new = orgwork_store::NewUser {
            name: name.to_string(),
            password_hash: hash,
            role: orgwork_domain::access::Role::parse(role)?,
            unit: UnitCode::parse(unit)?,
        };
        store.create_user(&actor(), new).await.with_context(|| format!("creating the demo user {name}"))?;
    }
    Ok(())
}

/// Adds the demo members (once): 8 to 25 in each cell, students in the political school and
/// the Youth Union, all synthetic and the same in every demo database.
pub async fn load_members(store: &dyn Store) -> Result<usize> {
    use crate::demo_data::people::{Rng, person};
    let probe = orgwork_store::MemberFilter::default();
    if !store.members(None, day("2024-12-30"), &probe, orgwork_store::Page::first(1)).await?.items.is_empty() {
        return Ok(0);
    }
    let mut rng = Rng::new(20_241_230);
    let mut serial = 0;
    let mut cells: Vec<(String, u64)> = vec![];
    for g in GRASSROOTS {
        let code = format!("{}-{}", BLOC.0, g.code);
        let students = if matches!(g.code, "TCT" | "TDTN") { 35 } else { 2 };
        if g.committee {
            for (suffix, ..) in CELLS {
                cells.push((format!("{code}-{suffix}"), students));
            }
        } else {
            cells.push((code, students));
        }
    }
    for (cell, students) in cells {
        let n = 8 + rng.below(18);
        for _ in 0..n {
            serial += 1;
            let p = person(&mut rng, serial, students);
            let input = orgwork_domain::members::RecordInput {
                full_name: p.full_name,
                sex: p.sex.into(),
                birth_date: p.birth_date,
                admitted_on: p.admitted_on,
                official_on: p.official_on,
                ethnicity: Some(p.ethnicity),
                religion: Some("Không".into()),
                hometown: Some("Quảng Ninh".into()),
                occupation: Some(p.occupation.into()),
                education: Some(p.education.into()),
                card_number: Some(p.card_number),
                ..Default::default()
            };
            let record = orgwork_domain::members::Record::parse(&store.profile().members, &input).map_err(|e| {
                anyhow::anyhow!("a demo member does not parse: {}", orgwork_domain::members::field_errors(&e))
            })?;
            // The units of the demo start on 2010-01-01: members admitted before joined them then.
            let joined_on = record.admitted_on.max(day("2010-01-01"));
            let new = orgwork_store::NewMember {
                record,
                unit: UnitCode::parse(&cell)?,
                joined_on,
                document: None,
                from_org: None,
            };
            store.create_member(&actor(), new).await.with_context(|| format!("creating a demo member in {cell}"))?;
        }
    }
    load_transfers(store).await?;
    Ok(serial as usize)
}

/// A few transfers: one received last year, one waiting since ten days ago, one waiting past
/// its deadline (dated from the day the demo is made, so that they are "in progress" then).
async fn load_transfers(store: &dyn Store) -> Result<()> {
    use orgwork_store::{Destination, MemberFilter, Page};
    let today = chrono::Local::now().date_naive();
    let first = |unit: &'static str| async move {
        let page =
            store.members(Some(&UnitCode::parse(unit)?), today, &MemberFilter::default(), Page::first(1)).await?;
        page.items.first().map(|m| m.id).ok_or_else(|| anyhow::anyhow!("no demo member in {unit}"))
    };
    let moves = [
        ("QN-KCQ-STC-C1", "QN-KCQ-SKHDT-C1", 400, Some(380)),
        ("QN-KCQ-SYT-C2", "QN-KCQ-SGDDT-C3", 10, None),
        ("QN-KCQ-SNV-C1", "QN-KCQ-STC-C2", 45, None),
    ];
    for (from, to, days_ago, accepted_days_ago) in moves {
        let member = first(from).await?;
        let issued = today - chrono::Days::new(days_ago);
        let t = store
            .issue_transfer(
                &actor(),
                member,
                Destination::Unit(UnitCode::parse(to)?),
                issued,
                Some(format!("{}-QĐ/ĐUK", 100 + days_ago)),
            )
            .await?;
        if let Some(a) = accepted_days_ago {
            store.accept_transfer(&actor(), t.id, today - chrono::Days::new(a), None).await?;
        }
    }
    Ok(())
}

/// Loads the demo organization unless it is there already; returns how many units it made.
pub async fn load(store: &dyn Store) -> Result<usize> {
    let root = UnitCode::parse(ROOT.0)?;
    if store.unit(&root, day("2024-12-30")).await.is_ok() {
        return Ok(0);
    }
    let mut n = 0;
    create(store, ROOT.0, "provincial_committee", None, "1963-10-30", (ROOT.1, ROOT.2, ROOT.3)).await?;
    create(store, BLOC.0, "bloc_committee", Some(ROOT.0), "2008-01-01", (BLOC.1, BLOC.2, BLOC.3)).await?;
    n += 2;
    for g in GRASSROOTS {
        let code = format!("{}-{}", BLOC.0, g.code);
        let kind = if g.committee { "grassroots_committee" } else { "grassroots_cell" };
        create(store, &code, kind, Some(BLOC.0), "2010-01-01", (g.vi, g.en, g.ar)).await?;
        n += 1;
        if g.committee {
            for (suffix, vi, en, ar) in CELLS {
                let cell = format!("{code}-{suffix}");
                let en = format!("{en}, {}", g.en);
                create(store, &cell, "subordinate_cell", Some(&code), "2010-01-01", (vi, &en, ar)).await?;
                n += 1;
            }
        }
    }
    Ok(n)
}
