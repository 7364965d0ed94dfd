//! The structure: units, their names and kinds, and the rules every change to the tree obeys.
//!
//! A unit's life is `[valid_from, valid_to)`. Its state (name, kind, parent) is a sequence of
//! versions, each valid over its own half-open interval; a change with effective date `D`
//! closes the current version at `D` and opens the next one from `D`. Nothing is deleted or
//! rewritten before `D`, so an answer about a date before `D` never changes.

use crate::profile::{LocalizedText, Profile};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A unit's code: stable, unique among the units live at any one time, kept in upper case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl TryFrom<String> for UnitCode {
    type Error = Error;
    fn try_from(value: String) -> Result<UnitCode> {
        UnitCode::parse(&value)
    }
}

impl From<UnitCode> for String {
    fn from(code: UnitCode) -> String {
        code.0
    }
}

impl UnitCode {
    pub const MAX_LEN: usize = 40;

    /// Parses a code: 1 to 40 ASCII letters, digits, `-`, `_` or `.`, starting with a letter
    /// or a digit. Letters are taken in upper case, so `qn-01` and `QN-01` are one code.
    pub fn parse(value: &str) -> Result<UnitCode> {
        let v = value.trim();
        let ok = !v.is_empty()
            && v.len() <= Self::MAX_LEN
            && v.as_bytes()[0].is_ascii_alphanumeric()
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !ok {
            return Err(Error::invalid(
                "invalid_code",
                format!(
                    "code: '{value}' is not a unit code (1 to {} letters, digits, '-', '_' or '.', starting with a letter or digit)",
                    Self::MAX_LEN
                ),
            ));
        }
        Ok(UnitCode(v.to_ascii_uppercase()))
    }

    /// A code read back from the store, where only parsed codes are ever written.
    pub fn from_stored(value: String) -> UnitCode {
        UnitCode(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A unit's names: Vietnamese required, English and Arabic optional. Parsed: trimmed,
/// non-empty, at most 300 characters each; an empty optional name means none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Names {
    pub vi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
}

impl Names {
    pub const MAX_LEN: usize = 300;

    pub fn parse(vi: &str, en: Option<&str>, ar: Option<&str>) -> Result<Names> {
        let one = |lang: &str, v: &str| -> Result<String> {
            let t = v.trim();
            if t.chars().count() > Self::MAX_LEN {
                return Err(Error::invalid(
                    "invalid_name",
                    format!("name.{lang}: longer than {} characters", Self::MAX_LEN),
                ));
            }
            if t.chars().any(char::is_control) {
                return Err(Error::invalid("invalid_name", format!("name.{lang}: contains a control character")));
            }
            Ok(crate::text::nfc(t))
        };
        let vi = one("vi", vi)?;
        if vi.is_empty() {
            return Err(Error::invalid("invalid_name", "name.vi: the Vietnamese name is required"));
        }
        let opt = |lang, v: Option<&str>| -> Result<Option<String>> {
            Ok(match v {
                Some(v) => Some(one(lang, v)?).filter(|s| !s.is_empty()),
                None => None,
            })
        };
        Ok(Names { vi, en: opt("en", en)?, ar: opt("ar", ar)? })
    }

    /// The name in `lang`, falling back to Vietnamese.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "en" => self.en.as_deref().unwrap_or(&self.vi),
            "ar" => self.ar.as_deref().unwrap_or(&self.vi),
            _ => &self.vi,
        }
    }

    /// All names folded into one string for search.
    pub fn folded(&self) -> String {
        let mut all = self.vi.clone();
        for n in [&self.en, &self.ar].into_iter().flatten() {
            all.push(' ');
            all.push_str(n);
        }
        crate::text::fold(&all)
    }
}

impl From<LocalizedText> for Names {
    fn from(t: LocalizedText) -> Self {
        Names { vi: t.vi, en: t.en, ar: t.ar }
    }
}

/// A unit as seen on one date. `valid_to` is given once the unit has ended by that date; a
/// dissolution dated later is not part of the answer about that date (see its history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Unit {
    #[cfg_attr(feature = "schemas", schema(value_type = String, example = "QN-KCQ"))]
    pub code: UnitCode,
    pub name: Names,
    pub kind: String,
    /// The parent's code on that date, or null for a root.
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub parent: Option<UnitCode>,
    /// The first day of the unit's life.
    pub valid_from: NaiveDate,
    /// The first day the unit no longer exists (it was dissolved), or null.
    pub valid_to: Option<NaiveDate>,
}

/// What a version of a unit changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Created,
    Renamed,
    Moved,
    Dissolved,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Renamed => "renamed",
            Change::Moved => "moved",
            Change::Dissolved => "dissolved",
        }
    }
    pub fn parse(s: &str) -> Option<Change> {
        Some(match s {
            "created" => Change::Created,
            "renamed" => Change::Renamed,
            "moved" => Change::Moved,
            "dissolved" => Change::Dissolved,
            _ => return None,
        })
    }
}

/// One entry of a unit's own history, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub change: Change,
    pub effective: NaiveDate,
    pub name: Names,
    pub kind: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub parent: Option<UnitCode>,
    /// The name before a rename.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_name: Option<Names>,
    /// The parent before a move.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub previous_parent: Option<UnitCode>,
    /// The number of the decision that made the change, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

/// One unit of a subtree, with its depth below the subtree's top (0 for the top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct SubtreeEntry {
    pub depth: u32,
    #[serde(flatten)]
    pub unit: Unit,
}

/// Checks a decision number: optional, at most 100 characters, no control characters.
pub fn parse_decision(value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > 100 || v.chars().any(char::is_control) {
        return Err(Error::invalid(
            "invalid_decision",
            format!("decision: '{v}' is not a decision number (at most 100 characters)"),
        ));
    }
    Ok(Some(v.to_string()))
}

/// The kind rule: a unit of `kind` may sit under a parent of `parent_kind` (or be a root).
pub fn check_kind_placement(
    profile: &Profile,
    code: &UnitCode,
    kind: &str,
    parent: Option<(&UnitCode, &str)>,
) -> Result<()> {
    let k = profile.unit_kind(kind).ok_or_else(|| {
        Error::rule("unknown_kind", format!("kind: '{kind}' is not a unit kind of the profile '{}'", profile.id))
    })?;
    match parent {
        None if k.root => Ok(()),
        None => Err(Error::rule(
            "kind_not_allowed",
            format!("unit {code}: a unit of kind '{kind}' needs a parent of kind {}", k.parents.join(", ")),
        )),
        Some((_, pk)) if k.parents.iter().any(|p| p == pk) => Ok(()),
        Some((pcode, pk)) => Err(Error::rule(
            "kind_not_allowed",
            format!(
                "unit {code}: a unit of kind '{kind}' may not sit under {pcode} of kind '{pk}' (allowed parent kinds: {})",
                if k.parents.is_empty() { "none".to_string() } else { k.parents.join(", ") }
            ),
        )),
    }
}

/// The facts about a unit that the date rules need.
#[derive(Debug, Clone, Copy)]
pub struct Life {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// The start of the unit's latest version (its last recorded change).
    pub last_change: NaiveDate,
}

/// The date rule of every change to an existing unit: the unit lives on `effective`, and the
/// change comes after the unit's last recorded change (changes are recorded in date order,
/// at most one a day per unit, so no past answer is rewritten).
pub fn check_change_date(code: &UnitCode, life: Life, effective: NaiveDate) -> Result<()> {
    if effective < life.valid_from {
        return Err(Error::rule(
            "date_outside_unit",
            format!("effective: {effective} is before unit {code} starts ({})", life.valid_from),
        ));
    }
    if let Some(end) = life.valid_to
        && effective >= end
    {
        return Err(Error::rule(
            "date_outside_unit",
            format!("effective: unit {code} was dissolved on {end}; {effective} is not in its life"),
        ));
    }
    if effective <= life.last_change {
        return Err(Error::rule(
            "date_not_after_last_change",
            format!(
                "effective: unit {code} last changed on {}; a new change must be dated after it, not {effective}",
                life.last_change
            ),
        ));
    }
    Ok(())
}

/// The rule for a parent: it lives on `effective` and is not dissolved later, so a child
/// never outlives its parent.
pub fn check_parent_life(
    parent: &UnitCode,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    effective: NaiveDate,
) -> Result<()> {
    if effective < valid_from {
        return Err(Error::rule(
            "parent_not_live",
            format!("parent: unit {parent} starts on {valid_from}, after {effective}"),
        ));
    }
    if let Some(end) = valid_to {
        return Err(Error::rule("parent_not_live", format!("parent: unit {parent} is dissolved on {end}")));
    }
    Ok(())
}

/// The cycle rule: `code` may not move under `new_parent` when the new parent is the unit
/// itself or one of its descendants. `ancestors_of_new_parent` are the new parent's
/// ancestors (codes) on some date on or after the move.
pub fn check_no_cycle(code: &UnitCode, new_parent: &UnitCode, ancestors_of_new_parent: &[UnitCode]) -> Result<()> {
    if code == new_parent || ancestors_of_new_parent.contains(code) {
        return Err(Error::conflict(
            "cycle",
            format!("parent: moving {code} under {new_parent} would make {code} its own ancestor"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> UnitCode {
        UnitCode::parse(s).unwrap()
    }
    fn d(s: &str) -> NaiveDate {
        crate::date::parse_date("d", s).unwrap()
    }

    #[test]
    fn codes_are_upper_case_and_checked() {
        assert_eq!(code(" qn-kcq ").as_str(), "QN-KCQ");
        for bad in ["", "-A", "A B", "Ă", &"X".repeat(41)] {
            assert_eq!(UnitCode::parse(bad).unwrap_err().code, "invalid_code", "{bad}");
        }
    }

    #[test]
    fn names_need_vietnamese_and_drop_empty_others() {
        let n = Names::parse(" Chi bộ 1 ", Some(""), Some("الخلية")).unwrap();
        assert_eq!(n.vi, "Chi bộ 1");
        assert_eq!(n.en, None);
        assert_eq!(n.get("en"), "Chi bộ 1");
        assert_eq!(n.get("ar"), "الخلية");
        assert_eq!(Names::parse("  ", None, None).unwrap_err().code, "invalid_name");
    }

    #[test]
    fn kind_placement_follows_the_profile() {
        let p = Profile::default_profile();
        let c = code("C1");
        let gr = code("G1");
        assert!(check_kind_placement(&p, &c, "subordinate_cell", Some((&gr, "grassroots_committee"))).is_ok());
        let e = check_kind_placement(&p, &c, "subordinate_cell", Some((&gr, "provincial_committee"))).unwrap_err();
        assert_eq!(e.code, "kind_not_allowed");
        assert!(e.message.contains("provincial_committee"));
        assert_eq!(check_kind_placement(&p, &c, "subordinate_cell", None).unwrap_err().code, "kind_not_allowed");
        assert!(check_kind_placement(&p, &c, "provincial_committee", None).is_ok());
        assert_eq!(check_kind_placement(&p, &c, "nope", None).unwrap_err().code, "unknown_kind");
    }

    #[test]
    fn changes_are_dated_inside_the_life_and_after_the_last_change() {
        let c = code("U");
        let life = Life { valid_from: d("2020-01-01"), valid_to: None, last_change: d("2022-05-01") };
        assert!(check_change_date(&c, life, d("2022-05-02")).is_ok());
        assert_eq!(check_change_date(&c, life, d("2019-12-31")).unwrap_err().code, "date_outside_unit");
        assert_eq!(check_change_date(&c, life, d("2022-05-01")).unwrap_err().code, "date_not_after_last_change");
        let ended = Life { valid_to: Some(d("2023-01-01")), ..life };
        assert_eq!(check_change_date(&c, ended, d("2023-01-01")).unwrap_err().code, "date_outside_unit");
    }

    #[test]
    fn a_unit_cannot_go_under_itself_or_its_descendants() {
        let a = code("A");
        assert_eq!(check_no_cycle(&a, &a, &[]).unwrap_err().code, "cycle");
        assert_eq!(check_no_cycle(&a, &code("C"), &[code("R"), a.clone()]).unwrap_err().code, "cycle");
        assert!(check_no_cycle(&a, &code("C"), &[code("R")]).is_ok());
    }
}
