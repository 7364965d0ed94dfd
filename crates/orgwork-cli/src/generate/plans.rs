//! The generated organization's work programmes for a year: every grassroots organization's
//! (ten items: counts, percentages, a lower-is-better count, milestones), its first item
//! carrying out the admissions item of its parent's programme, which every parent of
//! grassroots organizations has; all approved in January, with progress reported each
//! quarter up to the end of September. Deterministic for a seed.

use super::{GenUnit, Rng};
use chrono::NaiveDate;
use orgwork_domain::plan::{Better, Indicator, Item};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{BulkProgramme, NewReport};
use std::collections::BTreeMap;

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or_default()
}

/// The programmes of `year` for the units (grassroots organizations and their parents).
pub fn programmes(units: &[GenUnit], year: i32, seed: u64) -> anyhow::Result<Vec<BulkProgramme>> {
    let mut rng = Rng::new(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ u64::from(year.unsigned_abs()));
    let grassroots: Vec<&GenUnit> =
        units.iter().filter(|u| matches!(u.kind, "grassroots_committee" | "grassroots_cell")).collect();
    // Each parent's admissions target: the sum of its grassroots organizations'.
    let mut parent_target: BTreeMap<&str, f64> = BTreeMap::new();
    let mut out = Vec::with_capacity(grassroots.len() + grassroots.len() / 10);
    let quarters = [day(year, 3, 31), day(year, 6, 30), day(year, 9, 30)];
    for u in &grassroots {
        let unit = UnitCode::parse(&u.code)?;
        let admit = (2 + rng.below(5)) as f64;
        if let Some(p) = &u.parent {
            *parent_target.entry(p.as_str()).or_default() += admit;
        }
        let item =
            |code: &str, title: String, indicator: Indicator, baseline: f64, target: Option<f64>, deadline| Item {
                code: code.into(),
                title,
                responsible: Some(unit.clone()),
                indicator: Some(indicator),
                baseline: Some(baseline),
                target,
                deadline: Some(deadline),
                ..Default::default()
            };
        let sessions = (4 + rng.below(3)) as f64;
        let models = (1 + rng.below(3)) as f64;
        let violations = (1 + rng.below(4)) as f64;
        let items = vec![
            Item {
                carries_out: u.parent.as_ref().map(|_| "1".to_string()),
                unit: Some("đảng viên".into()),
                ..item(
                    "1",
                    format!("Kết nạp {admit} đảng viên mới"),
                    Indicator::Count,
                    0.0,
                    Some(admit),
                    day(year, 12, 31),
                )
            },
            item(
                "2",
                "90% đảng viên được đánh giá hoàn thành tốt nhiệm vụ trở lên".into(),
                Indicator::Percent,
                80.0,
                Some(90.0),
                day(year, 12, 31),
            ),
            item(
                "3",
                format!("Tổ chức {sessions} buổi sinh hoạt chuyên đề"),
                Indicator::Count,
                0.0,
                Some(sessions),
                day(year, 12, 15),
            ),
            item(
                "4",
                "Kiểm tra 2 chi bộ, giám sát 4 đảng viên".into(),
                Indicator::Count,
                0.0,
                Some(6.0),
                day(year, 11, 30),
            ),
            item("5", format!("Sơ kết 6 tháng trước 30/6/{year}"), Indicator::Milestone, 0.0, None, day(year, 6, 30)),
            Item {
                direction: Better::Lower,
                ..item(
                    "6",
                    format!("Giảm đảng viên vi phạm kỷ luật từ {violations} xuống 0"),
                    Indicator::Count,
                    violations,
                    Some(0.0),
                    day(year, 12, 31),
                )
            },
            item("7", "Thu nộp đảng phí đạt 100%".into(), Indicator::Percent, 95.0, Some(100.0), day(year, 12, 31)),
            item(
                "8",
                "95% đảng viên học tập nghị quyết".into(),
                Indicator::Percent,
                70.0,
                Some(95.0),
                day(year, 9, 30),
            ),
            item(
                "9",
                format!("Xây dựng {models} mô hình dân vận khéo"),
                Indicator::Count,
                0.0,
                Some(models),
                day(year, 10, 31),
            ),
            item("10", format!("Tổng kết năm trước 15/12/{year}"), Indicator::Milestone, 0.0, None, day(year, 12, 15)),
        ];
        let mut reports = vec![];
        for it in &items {
            let (Some(ind), Some(base)) = (it.indicator, it.baseline) else { continue };
            let reached = 1 + rng.below(3) as usize;
            for (q, on) in quarters.iter().enumerate().take(reached) {
                let share = (q + 1) as f64 / 3.0 * (0.5 + rng.below(60) as f64 / 100.0);
                let value = match ind {
                    Indicator::Milestone => {
                        if it.deadline.is_some_and(|d| d <= *on) && rng.below(4) > 0 {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    _ => {
                        let target = it.target.unwrap_or(base);
                        let v = base + (target - base) * share.min(1.0);
                        if ind == Indicator::Count { v.round() } else { (v * 10.0).round() / 10.0 }
                    }
                };
                reports.push(NewReport {
                    item: it.code.clone(),
                    value,
                    on: *on,
                    note: Some(format!("Báo cáo quý {}", q + 1)),
                    evidence: None,
                });
            }
        }
        out.push(BulkProgramme {
            unit,
            year,
            theme: String::new(),
            items,
            approved: Some((format!("{}-QĐ/ĐU", 1 + rng.below(90)), day(year, 1, 10 + rng.below(15) as u32))),
            reports,
        });
    }
    for (parent, target) in parent_target {
        let unit = UnitCode::parse(parent)?;
        let items = vec![
            Item {
                code: "1".into(),
                title: format!("Kết nạp {target} đảng viên mới"),
                responsible: Some(unit.clone()),
                indicator: Some(Indicator::Count),
                unit: Some("đảng viên".into()),
                baseline: Some(0.0),
                target: Some(target),
                deadline: Some(day(year, 12, 31)),
                weight: Some(2.0),
                ..Default::default()
            },
            Item {
                code: "2".into(),
                title: format!("Tổng kết công tác xây dựng Đảng năm {year} trước 20/12/{year}"),
                responsible: Some(unit.clone()),
                indicator: Some(Indicator::Milestone),
                deadline: Some(day(year, 12, 20)),
                ..Default::default()
            },
        ];
        out.push(BulkProgramme {
            unit,
            year,
            theme: format!("Năm {year}: đột phá phát triển đảng viên"),
            items,
            approved: Some((format!("{}-QĐ/HU", 1 + rng.below(90)), day(year, 1, 5))),
            reports: vec![],
        });
    }
    Ok(out)
}
