//! Terms and the congresses of a term: their kinds and states, and the schedule check (a
//! unit's congress after those of its children, pilots before the others of their level).

use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest term, in years.
pub const MAX_TERM_YEARS: i32 = 10;

/// A term: from one year to another (`2025-2030`), written as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermCode {
    pub from: i32,
    pub to: i32,
}

impl TermCode {
    /// Reads `2025-2030` (a hyphen or an en dash), with the years from 1900 to 2199 and the
    /// term from one to ten years long.
    pub fn parse(text: &str) -> Result<TermCode> {
        let bad = || {
            Error::invalid(
                "invalid_term",
                format!("term: '{text}' is not a term (two years, the second after the first: 2025-2030)"),
            )
        };
        let t = text.trim().replace('–', "-");
        let (a, b) = t.split_once('-').ok_or_else(bad)?;
        let from: i32 = a.trim().parse().map_err(|_| bad())?;
        let to: i32 = b.trim().parse().map_err(|_| bad())?;
        if !(1900..=2199).contains(&from) || to <= from || to - from > MAX_TERM_YEARS {
            return Err(bad());
        }
        Ok(TermCode { from, to })
    }

    /// The first day of its first year and the last of its last.
    pub fn span(self) -> (NaiveDate, NaiveDate) {
        (
            NaiveDate::from_ymd_opt(self.from, 1, 1).expect("a checked year"),
            NaiveDate::from_ymd_opt(self.to, 12, 31).expect("a checked year"),
        )
    }
}

impl std::fmt::Display for TermCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// A congress of all a unit's members (a grassroots organization's or a cell's), or of the
/// delegates its units below elected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CongressKind {
    Members,
    Delegates,
}

impl CongressKind {
    pub const ALL: [CongressKind; 2] = [CongressKind::Members, CongressKind::Delegates];

    pub fn as_str(self) -> &'static str {
        match self {
            CongressKind::Members => "members",
            CongressKind::Delegates => "delegates",
        }
    }

    pub fn parse(text: &str) -> Result<CongressKind> {
        CongressKind::ALL.into_iter().find(|k| k.as_str() == text.trim()).ok_or_else(|| {
            Error::invalid(
                "invalid_congress_kind",
                format!("kind: '{text}' is not a congress kind (members, delegates)"),
            )
        })
    }
}

/// Where a congress stands: planned (on its planned day), held (on the day it was held), or
/// cancelled (the unit holds none this term; the reason is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CongressStatus {
    Planned,
    Held,
    Cancelled,
}

impl CongressStatus {
    pub const ALL: [CongressStatus; 3] = [CongressStatus::Planned, CongressStatus::Held, CongressStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            CongressStatus::Planned => "planned",
            CongressStatus::Held => "held",
            CongressStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Result<CongressStatus> {
        CongressStatus::ALL.into_iter().find(|k| k.as_str() == text.trim()).ok_or_else(|| {
            Error::invalid(
                "invalid_congress_status",
                format!("status: '{text}' is not a congress status (planned, held, cancelled)"),
            )
        })
    }
}

/// A congress as the schedule check sees it: its unit, its level (the unit's depth in the
/// tree: a grassroots committee and a grassroots cell under one bloc share a level), the day
/// it is held or planned for, and whether it is a pilot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub unit: String,
    pub level: String,
    pub on: NaiveDate,
    pub pilot: bool,
}

/// A breach of the schedule, naming the congresses it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Breach {
    /// The unit's congress is not at least `margin_days` after its child's.
    BeforeChild { unit: String, on: NaiveDate, child: String, child_on: NaiveDate, margin_days: u32 },
    /// A unit below, live on the unit's congress day, has no congress in the term (none, or
    /// cancelled) to elect its delegates.
    ChildWithout { unit: String, on: NaiveDate, child: String },
    /// A congress of the pilot's level is held on or before the pilot's day.
    PilotNotFirst { unit: String, on: NaiveDate, pilot: String, pilot_on: NaiveDate },
}

impl Breach {
    pub fn rule(&self) -> &'static str {
        match self {
            Breach::BeforeChild { .. } => "before_child",
            Breach::ChildWithout { .. } => "child_without",
            Breach::PilotNotFirst { .. } => "pilot_not_first",
        }
    }
}

/// A unit directly below a congress's unit on the congress's day, and the day of its own
/// congress in the term (none when it has none, or only a cancelled one).
pub type Below = (String, Option<NaiveDate>);

/// The schedule check of a term's congresses. `slots` are the congresses held or planned (not
/// cancelled); `below` gives, for a congress's unit, the units directly below it on its day
/// with their congresses' days. Each unit's congress must come at least `margin_days` after
/// every child's, and every child must have one; a pilot must come before every other
/// congress of its level. The breaches come in the slots' order, each naming
/// both congresses.
pub fn check_schedule(slots: &[Slot], below: &[(String, Vec<Below>)], margin_days: u32) -> Vec<Breach> {
    let kids: std::collections::HashMap<&str, &Vec<Below>> = below.iter().map(|(u, k)| (u.as_str(), k)).collect();
    // The latest pilot of each level.
    let mut last_pilot: std::collections::HashMap<&str, &Slot> = std::collections::HashMap::new();
    for s in slots.iter().filter(|s| s.pilot) {
        let e = last_pilot.entry(s.level.as_str()).or_insert(s);
        if s.on > e.on {
            *e = s;
        }
    }
    let mut out = vec![];
    for s in slots {
        for (child, child_on) in kids.get(s.unit.as_str()).map(|k| k.as_slice()).unwrap_or_default() {
            match child_on {
                None => out.push(Breach::ChildWithout { unit: s.unit.clone(), on: s.on, child: child.clone() }),
                Some(c) if (s.on - *c).num_days() < i64::from(margin_days) => out.push(Breach::BeforeChild {
                    unit: s.unit.clone(),
                    on: s.on,
                    child: child.clone(),
                    child_on: *c,
                    margin_days,
                }),
                Some(_) => {}
            }
        }
        if !s.pilot
            && let Some(p) = last_pilot.get(s.level.as_str())
            && s.on <= p.on
        {
            out.push(Breach::PilotNotFirst { unit: s.unit.clone(), on: s.on, pilot: p.unit.clone(), pilot_on: p.on });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn slot(unit: &str, level: &str, on: &str, pilot: bool) -> Slot {
        Slot { unit: unit.into(), level: level.into(), on: d(on), pilot }
    }

    #[test]
    fn terms_read_and_refuse() {
        assert_eq!(TermCode::parse("2025-2030").unwrap(), TermCode { from: 2025, to: 2030 });
        assert_eq!(TermCode::parse(" 2025–2030 ").unwrap().to_string(), "2025-2030");
        for bad in ["2030-2025", "2025", "2025-2025", "2025-2040", "abc-def", "1800-1805"] {
            assert_eq!(TermCode::parse(bad).unwrap_err().code, "invalid_term", "{bad}");
        }
        assert_eq!(TermCode::parse("2025-2030").unwrap().span(), (d("2025-01-01"), d("2030-12-31")));
    }

    #[test]
    fn a_schedule_in_order_passes() {
        let slots = [
            slot("C1", "cell", "2025-03-01", true),
            slot("C2", "cell", "2025-04-01", false),
            slot("B", "bloc", "2025-06-01", false),
        ];
        let below =
            [("B".to_string(), vec![("C1".into(), Some(d("2025-03-01"))), ("C2".into(), Some(d("2025-04-01")))])];
        assert_eq!(check_schedule(&slots, &below, 7), vec![]);
    }

    #[test]
    fn each_breach_is_named() {
        let slots = [
            slot("C1", "cell", "2025-04-01", true),
            slot("C2", "cell", "2025-04-01", false),
            slot("C3", "cell", "2025-05-28", false),
            slot("B", "bloc", "2025-06-01", false),
        ];
        let on = |u: &str| slots.iter().find(|s| s.unit == u).map(|s| s.on);
        let below = [("B".to_string(), ["C1", "C2", "C3", "C4"].iter().map(|c| (c.to_string(), on(c))).collect())];
        let got = check_schedule(&slots, &below, 7);
        assert_eq!(
            got,
            vec![
                Breach::PilotNotFirst {
                    unit: "C2".into(),
                    on: d("2025-04-01"),
                    pilot: "C1".into(),
                    pilot_on: d("2025-04-01")
                },
                Breach::BeforeChild {
                    unit: "B".into(),
                    on: d("2025-06-01"),
                    child: "C3".into(),
                    child_on: d("2025-05-28"),
                    margin_days: 7
                },
                Breach::ChildWithout { unit: "B".into(), on: d("2025-06-01"), child: "C4".into() },
            ]
        );
        assert_eq!(got[0].rule(), "pilot_not_first");
        // A margin of none allows the same day; the pilot's level is its own.
        let slots = [slot("C1", "cell", "2025-04-01", false), slot("B", "bloc", "2025-04-01", true)];
        assert_eq!(check_schedule(&slots, &[("B".into(), vec![("C1".into(), Some(d("2025-04-01")))])], 0), vec![]);
    }
}
