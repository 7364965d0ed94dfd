//! A congress's delegates and their credentials: elected delegates, ex-officio delegates (the
//! convening committee's members) and substitutes; each present, absent, or not yet checked
//! in; a substitute seated in an absent elected delegate's place. The counts the election's
//! bases use follow from the list.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The most delegates one congress lists, and the longest name.
pub const MAX_DELEGATES: usize = 10_000;
pub const MAX_NAME: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DelegateKind {
    /// Elected by a congress below.
    Elected,
    /// A member of the convening committee, a delegate by office.
    ExOfficio,
    /// Elected as a substitute: seated only in an absent elected delegate's place.
    Substitute,
}

impl DelegateKind {
    pub const ALL: [DelegateKind; 3] = [DelegateKind::Elected, DelegateKind::ExOfficio, DelegateKind::Substitute];

    pub fn as_str(self) -> &'static str {
        match self {
            DelegateKind::Elected => "elected",
            DelegateKind::ExOfficio => "ex_officio",
            DelegateKind::Substitute => "substitute",
        }
    }

    pub fn parse(text: &str) -> Result<DelegateKind> {
        let t = text.trim().replace('-', "_");
        DelegateKind::ALL.into_iter().find(|k| k.as_str() == t).ok_or_else(|| {
            Error::invalid(
                "invalid_delegate",
                format!("kind: '{text}' is not a delegate kind (elected, ex_officio, substitute)"),
            )
        })
    }
}

/// Where a delegate's credential stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Convened, not yet checked in.
    Convened,
    Present,
    /// Absent from the whole congress.
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Convened, Attendance::Present, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Convened => "convened",
            Attendance::Present => "present",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(text: &str) -> Result<Attendance> {
        Attendance::ALL.into_iter().find(|k| k.as_str() == text.trim()).ok_or_else(|| {
            Error::invalid("invalid_delegate", format!("attendance: '{text}' is not convened, present or absent"))
        })
    }
}

/// A delegate of the list, numbered from 1 in the list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Delegate {
    pub name: String,
    pub kind: DelegateKind,
    /// The unit that elected them (a code), if recorded.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default = "convened")]
    pub attendance: Attendance,
    /// For a substitute: the number of the absent elected delegate whose seat they take.
    #[serde(default)]
    pub replaces: Option<u32>,
}

fn convened() -> Attendance {
    Attendance::Convened
}

/// The counts a congress's credentials give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Credentials {
    pub elected: u64,
    pub ex_officio: u64,
    /// Substitutes listed, and those seated in an absent delegate's place.
    pub substitutes: u64,
    pub seated_substitutes: u64,
    /// Elected and ex-officio delegates summoned.
    pub summoned: u64,
    /// Absent from the whole congress with no substitute seated in their place.
    pub absent: u64,
    /// The delegates convened: those summoned, less the absent whose seat no substitute took
    /// (the base QĐ 190 counts an election's majority on).
    pub convened: u64,
    /// Present: delegates present, and seated substitutes present.
    pub present: u64,
}

/// Checks a list: names given and bounded; only a substitute replaces, and only an absent
/// elected delegate of the list, one substitute a seat. Each fault names the delegate's
/// number.
pub fn check_delegates(list: &[Delegate]) -> Result<()> {
    let bad = |n: usize, why: String| Error::invalid("invalid_delegate", format!("delegate {n}: {why}"));
    if list.len() > MAX_DELEGATES {
        return Err(Error::invalid("invalid_delegate", format!("delegates: at most {MAX_DELEGATES}")));
    }
    let mut taken = std::collections::HashSet::new();
    for (i, d) in list.iter().enumerate() {
        let n = i + 1;
        if super::written(&d.name, MAX_NAME, false).is_none() {
            return Err(bad(n, format!("a name of 1 to {MAX_NAME} characters, without control characters")));
        }
        if d.unit.as_deref().is_some_and(|u| u.chars().count() > 100) {
            return Err(bad(n, "a unit's code of at most 100 characters".into()));
        }
        match (d.kind, d.replaces) {
            (DelegateKind::Substitute, Some(r)) => {
                let target = (r as usize).checked_sub(1).and_then(|k| list.get(k));
                match target {
                    Some(t) if t.kind == DelegateKind::Elected && t.attendance == Attendance::Absent => {}
                    _ => return Err(bad(n, format!("replaces {r}, which is not an absent elected delegate"))),
                }
                if !taken.insert(r) {
                    return Err(bad(n, format!("the seat of delegate {r} has a substitute already")));
                }
            }
            (_, Some(_)) => return Err(bad(n, "only a substitute takes another's seat".into())),
            _ => {}
        }
    }
    Ok(())
}

/// The counts of a (checked) list.
pub fn credentials(list: &[Delegate]) -> Credentials {
    let mut c = Credentials::default();
    let replaced: std::collections::HashSet<u32> = list.iter().filter_map(|d| d.replaces).collect();
    for (i, d) in list.iter().enumerate() {
        let n = i as u32 + 1;
        match d.kind {
            DelegateKind::Elected | DelegateKind::ExOfficio => {
                if d.kind == DelegateKind::Elected {
                    c.elected += 1;
                } else {
                    c.ex_officio += 1;
                }
                if d.attendance == Attendance::Absent && !replaced.contains(&n) {
                    c.absent += 1;
                }
                if d.attendance == Attendance::Present {
                    c.present += 1;
                }
            }
            DelegateKind::Substitute => {
                c.substitutes += 1;
                if d.replaces.is_some() {
                    c.seated_substitutes += 1;
                    if d.attendance == Attendance::Present {
                        c.present += 1;
                    }
                }
            }
        }
    }
    c.summoned = c.elected + c.ex_officio;
    c.convened = c.summoned - c.absent;
    c
}

/// Reads a list from a table's cells: the headings name the columns `name`, `kind` and
/// optionally `unit`, `attendance`, `replaces` (others are ignored).
pub fn delegates_from_cells(cells: &[Vec<String>]) -> Result<Vec<Delegate>> {
    let bad = |why: String| Error::invalid("invalid_delegate", why);
    let head = cells.first().ok_or_else(|| bad("the file is empty".into()))?;
    let col = |name: &str| head.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(name), Some(kind)) = (col("name"), col("kind")) else {
        return Err(bad("the heading row needs the columns name and kind".into()));
    };
    let (unit, attendance, replaces) = (col("unit"), col("attendance"), col("replaces"));
    if cells.len() - 1 > MAX_DELEGATES {
        return Err(bad(format!("delegates: at most {MAX_DELEGATES}")));
    }
    let cell = |row: &Vec<String>, c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim().to_string());
    let mut out = vec![];
    for (i, row) in cells.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = |e: Error| bad(format!("row {}: {}", i + 1, e.message));
        out.push(Delegate {
            name: cell(row, Some(name)).unwrap_or_default(),
            kind: DelegateKind::parse(&cell(row, Some(kind)).unwrap_or_default()).map_err(at)?,
            unit: cell(row, unit).filter(|u| !u.is_empty()),
            attendance: match cell(row, attendance).filter(|a| !a.is_empty()) {
                Some(a) => Attendance::parse(&a).map_err(at)?,
                None => Attendance::Convened,
            },
            replaces: match cell(row, replaces).filter(|r| !r.is_empty()) {
                Some(r) => Some(r.parse().map_err(|_| bad(format!("row {}: replaces: '{r}' is not a number", i + 1)))?),
                None => None,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, kind: DelegateKind, attendance: Attendance, replaces: Option<u32>) -> Delegate {
        Delegate { name: name.into(), kind, unit: None, attendance, replaces }
    }

    #[test]
    fn credentials_count_the_bases() {
        use Attendance::*;
        use DelegateKind::*;
        let list = vec![
            d("An", Elected, Present, None),
            d("Bình", Elected, Absent, None),
            d("Chi", Elected, Absent, None),
            d("Dũng", ExOfficio, Present, None),
            d("Én", Substitute, Present, Some(2)),
            d("Giang", Substitute, Convened, None),
        ];
        check_delegates(&list).unwrap();
        let c = credentials(&list);
        assert_eq!((c.elected, c.ex_officio, c.substitutes, c.seated_substitutes), (3, 1, 2, 1));
        // Chi's seat is empty: 4 summoned, 1 absent without a substitute, 3 convened; An,
        // Dũng and Én present.
        assert_eq!((c.summoned, c.absent, c.convened, c.present), (4, 1, 3, 3));
    }

    #[test]
    fn a_substitute_takes_only_an_absent_elected_seat() {
        use Attendance::*;
        use DelegateKind::*;
        for list in [
            vec![d("An", Elected, Present, None), d("Én", Substitute, Present, Some(1))],
            vec![d("An", ExOfficio, Absent, None), d("Én", Substitute, Present, Some(1))],
            vec![d("An", Elected, Absent, None), d("Én", Substitute, Present, Some(3))],
            vec![
                d("An", Elected, Absent, None),
                d("Én", Substitute, Present, Some(1)),
                d("G", Substitute, Present, Some(1)),
            ],
            vec![d("An", Elected, Absent, None), d("Bình", Elected, Present, Some(1))],
            vec![d(" ", Elected, Present, None)],
            vec![d("An\u{0}", Elected, Present, None)],
        ] {
            assert_eq!(check_delegates(&list).unwrap_err().code, "invalid_delegate", "{list:?}");
        }
    }

    #[test]
    fn a_list_reads_from_cells() {
        let cells: Vec<Vec<String>> = [
            vec!["name", "kind", "unit", "attendance", "replaces", "note"],
            vec!["An", "elected", "QN-KCQ-STC", "present", "", "x"],
            vec!["Bình", "elected", "", "absent", "", ""],
            vec!["Én", "substitute", "", "present", "2", ""],
            vec!["", "", "", "", "", ""],
            vec!["Dũng", "ex-officio", "", "", "", ""],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let list = delegates_from_cells(&cells).unwrap();
        assert_eq!(list.len(), 4);
        assert_eq!((list[3].kind, list[3].attendance), (DelegateKind::ExOfficio, Attendance::Convened));
        assert_eq!(list[2].replaces, Some(2));
        assert_eq!(list[0].unit.as_deref(), Some("QN-KCQ-STC"));
        let bad: Vec<Vec<String>> = vec![vec!["name".into()], vec!["An".into()]];
        assert!(delegates_from_cells(&bad).unwrap_err().message.contains("name and kind"));
        let bad: Vec<Vec<String>> = vec![vec!["name".into(), "kind".into()], vec!["An".into(), "guest".into()]];
        assert!(delegates_from_cells(&bad).unwrap_err().message.contains("row 2"));
    }
}
