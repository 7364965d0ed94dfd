//! The generated organization's inspection and supervision: for each year asked, every unit
//! that has units under it is an inspecting body with an approved programme, which inspects or
//! supervises about a third of the units directly under it (a type of the profile's list, a
//! window of two to four weeks). Inspections of past years are concluded with one or two
//! findings; those of the current year are concluded, under way or still planned, by their
//! window. Deterministic for a seed.

use super::{GenUnit, Rng};
use chrono::NaiveDate;
use orgwork_domain::inspection::{FindingKind, InspectionStatus};
use orgwork_domain::structure::UnitCode;
use orgwork_store::{BulkInspection, BulkInspectionProgramme};
use std::collections::BTreeMap;

const TYPES: [&str; 6] = [
    "regular_supervision",
    "thematic_supervision",
    "signs_of_violation",
    "discipline_execution",
    "finance",
    "asset_declaration",
];

/// The programmes of `year` for every unit with units under it; `today` (a fixed day, for the
/// same seed to give the same data) decides which inspections are done.
pub fn programmes(
    units: &[GenUnit],
    year: i32,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<Vec<BulkInspectionProgramme>> {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (u64::from(year.unsigned_abs()) << 7) ^ 0x1A5);
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for u in units {
        if let Some(p) = &u.parent {
            children.entry(p.as_str()).or_default().push(u.code.as_str());
        }
    }
    let approved = NaiveDate::from_ymd_opt(year, 1, 15).unwrap_or(today);
    let mut out = Vec::with_capacity(children.len());
    for (body, under) in &children {
        let mut inspections = vec![];
        for subject in under {
            if rng.below(3) != 0 {
                continue;
            }
            let kind = TYPES[rng.below(TYPES.len() as u64) as usize];
            let start = 1 + rng.below(300) as u32;
            let from = NaiveDate::from_yo_opt(year, start).unwrap_or(approved);
            let to = from + chrono::Duration::days(14 + rng.below(15) as i64);
            let to = to.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to));
            let concluded = to + chrono::Duration::days(7);
            let status = if concluded <= today && concluded.format("%Y").to_string() == year.to_string() {
                InspectionStatus::Concluded
            } else if from <= today {
                InspectionStatus::InProgress
            } else {
                InspectionStatus::Planned
            };
            let code = UnitCode::parse(subject)?;
            let mut findings = vec![];
            if status == InspectionStatus::Concluded {
                findings.push((
                    code.clone(),
                    FindingKind::GoodPractice,
                    None,
                    "Thực hiện đúng quy chế làm việc".to_string(),
                ));
                if rng.below(2) == 0 {
                    findings.push((
                        code.clone(),
                        FindingKind::Shortcoming,
                        None,
                        "Sinh hoạt chi bộ chưa đều đặn".to_string(),
                    ));
                }
                if rng.below(8) == 0 {
                    findings.push((
                        code.clone(),
                        FindingKind::Violation,
                        Some("minor".to_string()),
                        "Thu nộp đảng phí chậm".to_string(),
                    ));
                }
            }
            inspections.push(BulkInspection {
                kind: kind.to_string(),
                subjects: vec![code],
                topic: format!("Chương trình kiểm tra, giám sát năm {year}"),
                from,
                to,
                status,
                concluded_on: (status == InspectionStatus::Concluded).then_some(concluded),
                findings,
            });
        }
        out.push(BulkInspectionProgramme { body: UnitCode::parse(body)?, year, approved_on: approved, inspections });
    }
    Ok(out)
}
