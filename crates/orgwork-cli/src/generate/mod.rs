//! `orgwork generate`: a deterministic organization at the scale of the demo, a province or the
//! nation, with six years of history (mid-2019 to mid-2025): admissions, members made official,
//! transfers between cells, deaths. One seed, the same data: the generator draws from its own
//! xorshift generator in a fixed order, so the CSV it writes is the same byte for byte.

pub mod provinces;

pub mod inspections;
pub mod plans;
use crate::demo_data::people::Rng;
use chrono::{Datelike, Days, NaiveDate};
use orgwork_domain::codes::Code;
use orgwork_domain::members::{Record, Status};

/// How big: one small province, a whole province, or the country before mid-2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    Demo,
    Province,
    Nation,
}

/// A unit, parents before children.
#[derive(Debug, Clone)]
pub struct GenUnit {
    pub code: String,
    pub kind: &'static str,
    pub name_vi: String,
    pub name_en: Option<String>,
    pub parent: Option<String>,
}

/// A member and their history: units (code, from, to) and statuses (from, to), in date order.
#[derive(Debug, Clone)]
pub struct GenMember {
    pub record: Record,
    pub units: Vec<(usize, NaiveDate, Option<NaiveDate>)>,
    pub statuses: Vec<(Status, NaiveDate, Option<NaiveDate>)>,
}

/// A generated organization: its units (the tree as it stood from `UNITS_FROM`), the cells
/// among them (indexes into `units`), and its members.
pub struct Organization {
    pub units: Vec<GenUnit>,
    pub cells: Vec<usize>,
    pub members: Vec<GenMember>,
}

/// The day the generated units start.
pub fn units_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
}
/// The history window: six years before mid-2025.
pub fn history_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 7, 1).unwrap_or_default()
}
pub fn history_to() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default()
}

/// Members of the party in the nation (January 2026: more than 5.6 million).
const NATION_MEMBERS: u64 = 5_700_000;
const NATION_DISTRICTS: u64 = 705;
const NATION_COMMUNES: u64 = 10_000;
/// Grassroots organizations besides the communes' own (agencies, schools, enterprises, units).
const NATION_OTHER_GRASSROOTS: u64 = 42_000;

const SURNAMES: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Mai", "Trịnh", "Lương", "Lâm", "Tạ", "Quách", "Ông", "Âu",
];
const MIDDLE_M: &[&str] =
    &["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Đình", "Công", "Tuấn", "Ngọc", "Trọng"];
const MIDDLE_F: &[&str] =
    &["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Thúy", "Kim", "Diệu", "Bích"];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Đạt", "Hiếu", "Thụy", "Ất", "Ước", "Lộc", "Nghĩa", "Trí", "Tùng", "Vĩnh", "Khoa",
];
const GIVEN_F: &[&str] = &[
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngân", "Oanh", "Phương", "Tâm",
    "Thảo", "Thủy", "Trang", "Vân", "Yến", "Ánh", "Ngọc", "Nhung", "Quyên", "Uyên", "Xuân",
];
/// Names of the Cham Muslim community (An Giang, Ninh Thuận, Tây Ninh), in Arabic script, so
/// that searches in Arabic are exercised.
const ARABIC_GIVEN: &[&str] = &["محمد", "أحمد", "إبراهيم", "يوسف", "عائشة", "فاطمة", "مريم", "علي", "حسن", "آمنة"];
const ARABIC_FAMILY: &[&str] = &["عبد الله", "إسماعيل", "سليمان", "الرحمن", "موسى", "هارون"];
const ETHNICITIES: &[&str] =
    &["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông", "Dao", "Gia Rai", "Ê Đê", "Chăm"];
const OCCUPATIONS: &[&str] = &[
    "farmer",
    "farmer",
    "worker",
    "civil_servant",
    "public_employee",
    "public_employee",
    "business",
    "armed_forces",
    "retired",
    "retired",
    "other",
];
const EDUCATION: &[&str] = &[
    "lower_secondary",
    "upper_secondary",
    "upper_secondary",
    "vocational",
    "college",
    "university",
    "university",
    "master",
];
const THEORY: &[&str] = &["none", "elementary", "elementary", "intermediate", "advanced"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn random_day(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(1) as u64;
    from + Days::new(rng.below(span))
}

/// The units of one province (`code`, two digits), `share` of the nation's in number, under
/// `parent` (the nation's root, or none): its committee, two blocs of provincial agencies and
/// enterprises, its districts and their communes, and their grassroots organizations and
/// cells, in proportion to its size.
fn province(
    units: &mut Vec<GenUnit>,
    cells: &mut Vec<(usize, u64)>,
    rng: &mut Rng,
    p: &provinces::Province,
    parent: Option<&str>,
    share: f64,
) {
    let code = format!("P{}", p.0);
    units.push(GenUnit {
        code: code.clone(),
        kind: "provincial_committee",
        name_vi: format!("Đảng bộ {}", p.1),
        name_en: Some(format!("{} Party Committee", p.2)),
        parent: parent.map(str::to_string),
    });
    let scaled = |n: u64, min: u64| ((n as f64 * share).round() as u64).max(min);
    let districts = scaled(NATION_DISTRICTS, 2);
    let communes = scaled(NATION_COMMUNES, districts * 2);
    let others = scaled(NATION_OTHER_GRASSROOTS, 4);
    let grassroots_of =
        |units: &mut Vec<GenUnit>, cells: &mut Vec<(usize, u64)>, rng: &mut Rng, parent: &str, tag: &str, n: u64| {
            for g in 1..=n {
                let gcode = format!("{parent}-{tag}{g:03}");
                let committee = rng.below(100) < 60;
                let name = ["Trường", "Công ty", "Bệnh viện", "Phòng", "Cơ quan", "Trung tâm"][rng.below(6) as usize];
                units.push(GenUnit {
                    code: gcode.clone(),
                    kind: if committee { "grassroots_committee" } else { "grassroots_cell" },
                    name_vi: format!("{} {name} số {g}", if committee { "Đảng bộ" } else { "Chi bộ" }),
                    name_en: None,
                    parent: Some(parent.to_string()),
                });
                if committee {
                    for c in 1..=(2 + rng.below(5)) {
                        units.push(GenUnit {
                            code: format!("{gcode}-C{c}"),
                            kind: "subordinate_cell",
                            name_vi: format!("Chi bộ {c}"),
                            name_en: None,
                            parent: Some(gcode.clone()),
                        });
                        cells.push((units.len() - 1, 1 + rng.below(4)));
                    }
                } else {
                    cells.push((units.len() - 1, 1 + rng.below(4)));
                }
            }
        };
    // The blocs of provincial agencies and of enterprises: 15 % of the other organizations.
    for (tag, vi, en) in
        [("KCQ", "Khối các cơ quan", "Agencies Bloc"), ("KDN", "Khối doanh nghiệp", "Enterprises Bloc")]
    {
        let bloc = format!("{code}-{tag}");
        units.push(GenUnit {
            code: bloc.clone(),
            kind: "bloc_committee",
            name_vi: format!("Đảng bộ {vi} {}", p.1),
            name_en: Some(format!("{} {en} Party Committee", p.2)),
            parent: Some(code.clone()),
        });
        grassroots_of(units, cells, rng, &bloc, "G", (others * 15 / 200).max(1));
    }
    let per_district = (communes / districts).max(1);
    let others_per_district = ((others * 85 / 100) / districts).max(1);
    for d in 1..=districts {
        let dcode = format!("{code}-D{d:02}");
        units.push(GenUnit {
            code: dcode.clone(),
            kind: "district_committee",
            name_vi: format!("Đảng bộ huyện {d} {}", p.1),
            name_en: None,
            parent: Some(code.clone()),
        });
        for x in 1..=per_district {
            let xcode = format!("{dcode}-X{x:03}");
            units.push(GenUnit {
                code: xcode.clone(),
                kind: "commune_committee",
                name_vi: format!("Đảng bộ xã {x}, huyện {d}"),
                name_en: None,
                parent: Some(dcode.clone()),
            });
            // Village and residential-group cells.
            for c in 1..=(8 + rng.below(9)) {
                units.push(GenUnit {
                    code: format!("{xcode}-C{c:02}"),
                    kind: "subordinate_cell",
                    name_vi: format!("Chi bộ thôn {c}"),
                    name_en: None,
                    parent: Some(xcode.clone()),
                });
                cells.push((units.len() - 1, 2 + rng.below(4)));
            }
        }
        grassroots_of(units, cells, rng, &dcode, "G", others_per_district);
    }
}

/// A person admitted on `admitted` (born so as to be at least 18 then), with a record that
/// makes sense for the cell's province (`arabic` for the Cham provinces).
fn person(rng: &mut Rng, serial: u64, admitted: NaiveDate, arabic: bool) -> Record {
    let female = rng.below(100) < 38;
    let full_name = if arabic && rng.below(100) < 30 {
        format!(
            "{} {}",
            ARABIC_GIVEN[rng.below(ARABIC_GIVEN.len() as u64) as usize],
            ARABIC_FAMILY[rng.below(ARABIC_FAMILY.len() as u64) as usize]
        )
    } else if female {
        format!("{} {} {}", rng.pick(SURNAMES), rng.pick(MIDDLE_F), rng.pick(GIVEN_F))
    } else {
        format!("{} {} {}", rng.pick(SURNAMES), rng.pick(MIDDLE_M), rng.pick(GIVEN_M))
    };
    let spread = if rng.below(100) < 70 { 12 } else { 30 };
    let age_at_admission = 18 + rng.below(spread) as i32;
    let born = day(admitted.year() - age_at_admission, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
    let born = born.min(admitted - Days::new(18 * 366));
    let minority = rng.below(100) < 14;
    let student = admitted > day(2018, 1, 1) && admitted.year() - born.year() < 23 && rng.below(100) < 40;
    Record {
        full_name,
        other_names: None,
        // The generator's values are the default profile's codes (checked by a test).
        sex: Code::from_stored(if female { "female" } else { "male" }),
        birth_date: born,
        ethnicity: Some(if arabic {
            "Chăm".into()
        } else if minority {
            rng.pick(ETHNICITIES).into()
        } else {
            "Kinh".into()
        }),
        religion: Some(if arabic {
            "Hồi giáo".into()
        } else if rng.below(100) < 6 {
            "Phật giáo".into()
        } else {
            "Không".into()
        }),
        hometown: None,
        national_id: Some(format!("0{:011}", 10_000_000_000 + serial * 7 % 89_999_999_999)),
        education: Some(Code::from_stored(if student { "college" } else { rng.pick(EDUCATION) })),
        theory_level: Some(Code::from_stored(rng.pick(THEORY))),
        occupation: Some(Code::from_stored(if student { "student" } else { rng.pick(OCCUPATIONS) })),
        workplace: None,
        phone: None,
        email: None,
        admitted_on: admitted,
        official_on: None,
        card_number: Some(format!("{:09}", 100_000_000 + serial)),
        record_number: None,
    }
}

/// Generates the organization at `scale` from `seed`.
pub fn generate(scale: Scale, seed: u64) -> Organization {
    let mut rng = Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    let mut units = vec![];
    let mut cells: Vec<(usize, u64)> = vec![];
    let total_pop: u64 = provinces::PROVINCES.iter().map(|p| u64::from(p.3)).sum();
    // (province, its members, its cells' range)
    let mut spans: Vec<(u64, std::ops::Range<usize>, bool)> = vec![];
    match scale {
        Scale::Nation => {
            units.push(GenUnit {
                code: "TW".into(),
                kind: "central_committee",
                name_vi: "Ban Chấp hành Trung ương Đảng".into(),
                name_en: Some("Central Committee of the Communist Party of Vietnam".into()),
                parent: None,
            });
            for p in &provinces::PROVINCES {
                let share = f64::from(p.3) / total_pop as f64;
                let members = (NATION_MEMBERS as f64 * share).round() as u64;
                let start = cells.len();
                province(&mut units, &mut cells, &mut rng, p, Some("TW"), share);
                spans.push((members, start..cells.len(), matches!(p.0, "89" | "58" | "72")));
            }
        }
        Scale::Province | Scale::Demo => {
            // Quảng Ninh, the seed's province: about 100,000 members (the demo: 2,000).
            let p = provinces::PROVINCES.iter().find(|p| p.0 == "22").unwrap_or(&provinces::PROVINCES[0]);
            let (members, share) =
                if scale == Scale::Province { (100_000, 100_000.0 / NATION_MEMBERS as f64) } else { (2_000, 0.0) };
            let start = cells.len();
            province(&mut units, &mut cells, &mut rng, p, None, share);
            spans.push((members, start..cells.len(), true));
        }
    }
    let mut members = Vec::new();
    let mut serial = 0u64;
    let (from, to) = (history_from(), history_to());
    for (n, range, arabic) in spans {
        let weights: Vec<u64> = cells[range.clone()].iter().map(|(_, w)| *w).collect();
        let total_w: u64 = weights.iter().sum::<u64>().max(1);
        let cell_of = |rng: &mut Rng| -> usize {
            let mut r = rng.below(total_w);
            for (k, w) in weights.iter().enumerate() {
                if r < *w {
                    return cells[range.start + k].0;
                }
                r -= w;
            }
            cells[range.end - 1].0
        };
        // Members at the end of the window, about n: those there at its start, less deaths and
        // departures, plus about 2.5 % a year admitted.
        let base = n * 100 / 108;
        let admitted_in_window = n - base + n / 40;
        for k in 0..(base + admitted_in_window) {
            serial += 1;
            let newcomer = k >= base;
            let admitted = if newcomer {
                random_day(&mut rng, from, to)
            } else {
                random_day(&mut rng, day(1965, 1, 1), from - Days::new(1))
            };
            let cham = arabic && rng.below(100) < 3;
            let mut record = person(&mut rng, serial, admitted, cham);
            let cell = cell_of(&mut rng);
            let joined = admitted.max(units_from());
            let official = admitted.checked_add_months(chrono::Months::new(12)).filter(|o| *o <= to);
            record.official_on = official;
            let mut statuses = vec![(Status::Probationary, admitted, official)];
            if let Some(o) = official {
                statuses.push((Status::Official, o, None));
            }
            // Deaths: about 1 % a year, more among the old; a member's membership ends then.
            let old = record.birth_date < day(1950, 1, 1);
            let mut died = None;
            if rng.below(1000) < if old { 150 } else { 25 } {
                let on = random_day(&mut rng, from.max(joined + Days::new(1)), to);
                if let Some(last) = statuses.last_mut()
                    && last.1 < on
                {
                    last.2 = Some(on);
                    statuses.push((Status::Deceased, on, None));
                    died = Some(on);
                }
            }
            let mut history = vec![(cell, joined, died)];
            // A transfer to another cell of the province: about 2 % a year.
            if rng.below(1000) < 120 {
                let on = random_day(&mut rng, from.max(joined + Days::new(30)), to);
                let next = cell_of(&mut rng);
                if on < to && next != cell && died.is_none_or(|d| on < d) {
                    history[0].2 = Some(on);
                    history.push((next, on, died));
                }
            }
            members.push(GenMember { record, units: history, statuses });
        }
    }
    Organization { units, cells: cells.into_iter().map(|(u, _)| u).collect(), members }
}

/// Rows of a mapping table: from, to, to_name, to_kind, to_parent.
pub type MappingRows = Vec<[String; 5]>;

/// The 2025 reform as mapping tables (`from,to,to_name,to_kind,to_parent`), as a user writes
/// them from the decisions: the provinces merged as Resolution 202/2025/QH15 decided (the
/// province whose name the new one keeps absorbs the others); the district level dissolved,
/// its own grassroots organizations placed directly under the new province; the communes of
/// each old district merged three into one new commune under the new province.
pub fn mapping_2025(org: &Organization) -> (MappingRows, MappingRows, MappingRows) {
    let new_province = |code: &str| -> String {
        let two = code.get(1..3).unwrap_or("");
        let to = provinces::PROVINCES.iter().find(|p| p.0 == two).map(|p| p.4).unwrap_or(two);
        format!("P{to}")
    };
    let row = |a: &str, b: &str, c: &str, d: &str, e: &str| [a, b, c, d, e].map(String::from);
    let mut provinces_rows = vec![];
    let mut districts_rows = vec![];
    let mut communes_rows = vec![];
    let mut seq: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let mut group: Option<(String, u32, String)> = None;
    let districts: std::collections::HashSet<&str> =
        org.units.iter().filter(|u| u.kind == "district_committee").map(|u| u.code.as_str()).collect();
    for u in &org.units {
        match u.kind {
            "provincial_committee" => provinces_rows.push(row(&u.code, &new_province(&u.code), "", "", "")),
            "district_committee" => districts_rows.push(row(&u.code, "", "", "", "")),
            "commune_committee" => {
                let district = u.parent.clone().unwrap_or_default();
                let target = new_province(&u.code);
                // A new commune for every three of a district.
                let joins = matches!(&mut group, Some((d, count, _)) if *d == district && *count < 3);
                match &mut group {
                    Some((_, count, to)) if joins => {
                        *count += 1;
                        communes_rows.push(row(&u.code, to, "", "", ""));
                    }
                    _ => {
                        let k = seq.entry(target.clone()).or_default();
                        *k += 1;
                        let to = format!("{target}-XA{k:04}");
                        communes_rows.push(row(
                            &u.code,
                            &to,
                            &format!("Đảng bộ xã mới {k:04}"),
                            "commune_committee",
                            &target,
                        ));
                        group = Some((district, 1, to));
                    }
                }
            }
            "grassroots_committee" | "grassroots_cell" => {
                // Those of a district go directly under the new province.
                let parent = u.parent.clone().unwrap_or_default();
                if districts.contains(parent.as_str()) {
                    communes_rows.push(row(&u.code, &u.code, "", "", &new_province(&u.code)));
                }
            }
            _ => {}
        }
    }
    (provinces_rows, districts_rows, communes_rows)
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn generated_values_are_the_default_profiles_codes() {
        let p = orgwork_domain::profile::Profile::default_profile();
        for (list, values) in [("occupation", OCCUPATIONS), ("education", EDUCATION), ("theory_level", THEORY)] {
            let codes = p.members.code_list(list).unwrap();
            for v in values {
                assert!(codes.contains(v), "{list}: {v} is not a code of the default profile");
            }
        }
        for v in ["female", "male", "college", "student"] {
            assert!(p.members.code_lists().iter().any(|(_, l)| l.contains(v)), "{v}");
        }
    }
}
