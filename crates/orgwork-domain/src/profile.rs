//! Profiles: what kind of organization orgwork is keeping. One TOML file per kind of
//! organization says its unit kinds and which parent kinds each may have; later modules add
//! their sections (categories, ratings, discipline ladders, congress rules…).
//!
//! A profile is parsed and checked as a whole before anything uses it; an error names the
//! file, the line and the key.

use crate::codes::CodeList;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use toml::Spanned;

/// The seed organization's profile (a provincial party committee of Vietnam), the default.
pub const DEFAULT_PROFILE_NAME: &str = "profiles/vn-party.toml";
pub const DEFAULT_PROFILE_TOML: &str = include_str!("../../../profiles/vn-party.toml");

/// A name in the three languages of orgwork. Vietnamese is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub vi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ar: Option<String>,
}

/// A kind of unit (e.g. `grassroots_cell`) and the kinds it may sit under.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct UnitKind {
    pub id: String,
    pub name: LocalizedText,
    /// May a unit of this kind be a root (have no parent)?
    pub root: bool,
    /// The kinds a unit of this kind may have as its parent.
    pub parents: Vec<String>,
}

/// The profile in force.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: String,
    pub name: LocalizedText,
    pub unit_kinds: Vec<UnitKind>,
    pub members: MemberRules,
    /// How many years ahead of today a change may be dated (a planned restructuring, an
    /// admission decided ahead): a date past it is a typing mistake, and a change dated far
    /// ahead would stand in the way of every later change of the same record.
    pub horizon_years: u32,
    /// The organization's time, as an offset from UTC (`+07:00`): the moments the system
    /// records (the audit log's) are shown in it.
    pub time_zone: String,
    /// The work programmes' settings.
    pub plans: PlanRules,
    /// Inspection, supervision and discipline: their code lists.
    pub inspection: InspectionRules,
    /// Elections at congresses: the base, the candidate list's surplus, floor nominations.
    pub congress: crate::congress::ElectionRules,
}

/// Inspection and supervision's settings: the types of inspection and supervision (those in
/// `supervision_types` are supervisions), the severities of findings, and the ordered ladders
/// of disciplinary measures, lightest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InspectionRules {
    #[serde(default)]
    pub types: CodeList,
    #[serde(default)]
    pub supervision_types: Vec<String>,
    #[serde(default)]
    pub severities: CodeList,
    #[serde(default)]
    pub member_measures: CodeList,
    #[serde(default)]
    pub unit_measures: CodeList,
    /// The member measure that ends membership (the status becomes `expelled`).
    #[serde(default)]
    pub expels: Option<String>,
}

impl InspectionRules {
    /// The code lists, by the key each is kept under.
    pub fn code_lists(&self) -> [(&'static str, &CodeList); 4] {
        [
            ("types", &self.types),
            ("severities", &self.severities),
            ("member_measures", &self.member_measures),
            ("unit_measures", &self.unit_measures),
        ]
    }

    /// Whether a type counts as supervision (else inspection) in the coverage.
    pub fn is_supervision(&self, kind: &str) -> bool {
        self.supervision_types.iter().any(|t| t == kind)
    }
}

/// The work programmes' settings: the vague words the lint warns of, per language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanRules {
    #[serde(default)]
    pub vague_words: VagueWords,
}

/// Words that say nothing countable ("strengthen", "tăng cường"), in each language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VagueWords {
    #[serde(default)]
    pub vi: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub ar: Vec<String>,
}

impl VagueWords {
    /// Every language's words, for a title written in any of them.
    pub fn all(&self) -> Vec<String> {
        self.vi.iter().chain(&self.en).chain(&self.ar).cloned().collect()
    }
}

/// The member register's settings: enumerations, deadlines and the category rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberRules {
    #[serde(default = "default_deadline")]
    pub transfer_deadline_days: u32,
    #[serde(default = "default_probation")]
    pub probation_months: u32,
    #[serde(default)]
    pub badge_years: Vec<u32>,
    #[serde(default)]
    pub sex: CodeList,
    #[serde(default)]
    pub education: CodeList,
    #[serde(default)]
    pub theory_level: CodeList,
    #[serde(default)]
    pub occupation: CodeList,
    #[serde(default)]
    pub categories: Vec<CategoryRule>,
}

impl MemberRules {
    /// The code lists of a member's record, by the field each is for.
    pub fn code_lists(&self) -> [(&'static str, &CodeList); 4] {
        [
            ("sex", &self.sex),
            ("education", &self.education),
            ("theory_level", &self.theory_level),
            ("occupation", &self.occupation),
        ]
    }

    /// The code list of a field, if it has one.
    pub fn code_list(&self, field: &str) -> Option<&CodeList> {
        self.code_lists().into_iter().find(|(f, _)| *f == field).map(|(_, l)| l)
    }
}

fn default_horizon() -> Spanned<u32> {
    Spanned::new(0..0, 10)
}

fn default_deadline() -> u32 {
    30
}
fn default_probation() -> u32 {
    12
}

impl Default for MemberRules {
    fn default() -> Self {
        MemberRules {
            transfer_deadline_days: default_deadline(),
            probation_months: default_probation(),
            badge_years: vec![],
            sex: CodeList::default(),
            education: CodeList::default(),
            theory_level: CodeList::default(),
            occupation: CodeList::default(),
            categories: vec![],
        }
    }
}

/// A category of members, computed from the record: while younger than `age_under`, or while
/// `field` holds one of `field_in` (or none of `field_not_in`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    pub id: String,
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_under: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_in: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_not_in: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "profile {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ProfileError {}

// The file's shape, with spans kept so that a semantic error can name its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    profile: RawHeader,
    #[serde(default)]
    unit_kinds: Vec<RawKind>,
    #[serde(default)]
    members: Option<Spanned<MemberRules>>,
    #[serde(default)]
    plans: PlanRules,
    #[serde(default)]
    inspection: InspectionRules,
    #[serde(default)]
    congress: crate::congress::ElectionRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    name: LocalizedText,
    #[serde(default = "default_horizon")]
    horizon_years: Spanned<u32>,
    #[serde(default)]
    time_zone: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: Spanned<String>,
    name: LocalizedText,
    #[serde(default)]
    root: bool,
    #[serde(default)]
    parents: Vec<Spanned<String>>,
}

impl Profile {
    /// The default profile, which ships inside the binary.
    pub fn default_profile() -> Profile {
        Profile::parse(DEFAULT_PROFILE_NAME, DEFAULT_PROFILE_TOML)
            .expect("the shipped default profile is valid (checked by a test)")
    }

    /// Parses and checks a profile; `file` is only used to name it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Profile, ProfileError> {
        let err = |span: Option<std::ops::Range<usize>>, key: Option<String>, message: String| ProfileError {
            file: file.to_string(),
            line: span.map(|s| line_of(text, s.start)),
            key,
            message,
        };
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let key = e.message().split('`').nth(1).map(str::to_string);
            err(e.span(), key, e.message().trim().to_string())
        })?;
        check_identifier(raw.profile.id.get_ref())
            .map_err(|m| err(Some(raw.profile.id.span()), Some("profile.id".into()), m))?;
        if raw.unit_kinds.is_empty() {
            return Err(err(None, Some("unit_kinds".into()), "no unit kind is defined".into()));
        }
        let mut seen = BTreeSet::new();
        for (i, k) in raw.unit_kinds.iter().enumerate() {
            let key = format!("unit_kinds[{i}].id");
            check_identifier(k.id.get_ref()).map_err(|m| err(Some(k.id.span()), Some(key.clone()), m))?;
            if !seen.insert(k.id.get_ref().clone()) {
                return Err(err(
                    Some(k.id.span()),
                    Some(key),
                    format!("unit kind '{}' is defined twice", k.id.get_ref()),
                ));
            }
            check_name(&k.name).map_err(|m| err(Some(k.id.span()), Some(format!("unit_kinds[{i}].name")), m))?;
        }
        let mut any_root = false;
        for (i, k) in raw.unit_kinds.iter().enumerate() {
            for (j, p) in k.parents.iter().enumerate() {
                if !seen.contains(p.get_ref()) {
                    return Err(err(
                        Some(p.span()),
                        Some(format!("unit_kinds[{i}].parents[{j}]")),
                        format!("unknown unit kind '{}' as a parent of '{}'", p.get_ref(), k.id.get_ref()),
                    ));
                }
            }
            if !k.root && k.parents.is_empty() {
                return Err(err(
                    Some(k.id.span()),
                    Some(format!("unit_kinds[{i}]")),
                    format!("unit kind '{}' is not a root and has no parent kind", k.id.get_ref()),
                ));
            }
            any_root |= k.root;
        }
        if !any_root {
            return Err(err(None, Some("unit_kinds".into()), "no unit kind may be a root".into()));
        }
        let (members, members_span) = match raw.members {
            Some(m) => {
                let span = m.span();
                (m.into_inner(), Some(span))
            }
            None => (MemberRules::default(), None),
        };
        for (field, list) in members.code_lists() {
            list.check().map_err(|m| err(members_span.clone(), Some(format!("members.{field}")), m))?;
        }
        let mut ids = BTreeSet::new();
        for (i, c) in members.categories.iter().enumerate() {
            let key = Some(format!("members.categories[{i}]"));
            check_identifier(&c.id).map_err(|m| err(members_span.clone(), key.clone(), m))?;
            if !ids.insert(c.id.clone()) {
                return Err(err(members_span.clone(), key, format!("category '{}' is defined twice", c.id)));
            }
            let by_age = c.age_under.is_some();
            let by_field = c.field.is_some() && (c.field_in.is_some() != c.field_not_in.is_some());
            if by_age == by_field || (c.field.is_some() && !by_field) {
                return Err(err(
                    members_span.clone(),
                    key,
                    format!(
                        "category '{}' needs either age_under, or field with one of field_in and field_not_in",
                        c.id
                    ),
                ));
            }
            if let Some(f) = &c.field
                && !crate::members::CATEGORY_FIELDS.contains(&f.as_str())
            {
                return Err(err(
                    members_span.clone(),
                    Some(format!("members.categories[{i}].field")),
                    format!(
                        "'{f}' is not a member field a category can test ({})",
                        crate::members::CATEGORY_FIELDS.join(", ")
                    ),
                ));
            }
        }
        let time_zone = match &raw.profile.time_zone {
            None => "+00:00".to_string(),
            Some(z) => {
                parse_offset(z.get_ref()).map_err(|m| err(Some(z.span()), Some("profile.time_zone".into()), m))?;
                z.get_ref().clone()
            }
        };
        let horizon = &raw.profile.horizon_years;
        if !(1..=100).contains(horizon.get_ref()) {
            let span = Some(horizon.span()).filter(|s| !s.is_empty());
            return Err(err(span, Some("profile.horizon_years".into()), "must be from 1 to 100 years".into()));
        }
        let c = &raw.congress;
        if c.max_surplus_percent > 100
            || c.floor_nomination_percent > 100
            || c.advised_surplus_percent[0] > c.advised_surplus_percent[1]
            || c.advised_surplus_percent[1] > c.max_surplus_percent
        {
            return Err(err(
                None,
                Some("congress".into()),
                "percentages run from 0 to 100, and the advised surplus lies within the maximum".into(),
            ));
        }
        if c.schedule_margin_days > 365 {
            return Err(err(None, Some("congress.schedule_margin_days".into()), "must be from 0 to 365 days".into()));
        }
        let ins = &raw.inspection;
        for (field, list) in ins.code_lists() {
            list.check().map_err(|m| err(None, Some(format!("inspection.{field}")), m))?;
        }
        for t in &ins.supervision_types {
            if !ins.types.contains(t) {
                return Err(err(
                    None,
                    Some("inspection.supervision_types".into()),
                    format!("'{t}' is not one of inspection.types"),
                ));
            }
        }
        if let Some(e) = &ins.expels
            && !ins.member_measures.contains(e)
        {
            return Err(err(
                None,
                Some("inspection.expels".into()),
                format!("'{e}' is not one of inspection.member_measures"),
            ));
        }
        Ok(Profile {
            id: raw.profile.id.into_inner(),
            name: raw.profile.name,
            horizon_years: raw.profile.horizon_years.into_inner(),
            time_zone,
            unit_kinds: raw
                .unit_kinds
                .into_iter()
                .map(|k| UnitKind {
                    id: k.id.into_inner(),
                    name: k.name,
                    root: k.root,
                    parents: k.parents.into_iter().map(Spanned::into_inner).collect(),
                })
                .collect(),
            members,
            plans: raw.plans,
            inspection: raw.inspection,
            congress: raw.congress,
        })
    }

    /// The organization's time zone (`time_zone`), as chrono's offset.
    pub fn offset(&self) -> chrono::FixedOffset {
        parse_offset(&self.time_zone).unwrap_or_else(|_| chrono::FixedOffset::east_opt(0).expect("UTC"))
    }

    pub fn unit_kind(&self, id: &str) -> Option<&UnitKind> {
        self.unit_kinds.iter().find(|k| k.id == id)
    }
}

/// An offset from UTC written `+07:00` or `-03:30`.
fn parse_offset(text: &str) -> Result<chrono::FixedOffset, String> {
    let bad = || format!("'{text}' is not an offset from UTC written +HH:MM or -HH:MM");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 14 || m > 59 || rest.len() != 5 {
        return Err(bad());
    }
    chrono::FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

fn check_identifier(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok { Ok(()) } else { Err(format!("'{id}' is not an identifier (lower-case letters, digits, '_' and '-')")) }
}

fn check_name(name: &LocalizedText) -> Result<(), String> {
    if name.vi.trim().is_empty() {
        return Err("the Vietnamese name (vi) is empty".into());
    }
    Ok(())
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_zone_is_an_offset_and_a_wrong_one_names_its_line() {
        assert_eq!(Profile::default_profile().offset().local_minus_utc(), 7 * 3600);
        assert_eq!(parse_offset("-03:30").unwrap().local_minus_utc(), -(3 * 3600 + 1800));
        for bad in ["07:00", "+7:00", "+25:00", "+07:60", "UTC"] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
        let text = DEFAULT_PROFILE_TOML.replace("time_zone = \"+07:00\"", "time_zone = \"Asia/Hanoi\"");
        let e = Profile::parse("p.toml", &text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("profile.time_zone"));
        assert!(e.line.is_some());
    }

    #[test]
    fn the_default_profile_is_valid_and_has_the_seed_kinds() {
        let p = Profile::default_profile();
        for kind in
            ["provincial_committee", "bloc_committee", "grassroots_committee", "grassroots_cell", "subordinate_cell"]
        {
            assert!(p.unit_kind(kind).is_some(), "{kind} missing");
        }
        let cell = p.unit_kind("subordinate_cell").unwrap();
        assert!(cell.parents.contains(&"grassroots_committee".to_string()));
        assert!(!cell.root);
    }

    #[test]
    fn an_unknown_parent_kind_names_file_line_and_key() {
        let text = "[profile]\nid = \"x\"\nname = { vi = \"X\" }\n\n[[unit_kinds]]\nid = \"a\"\nname = { vi = \"A\" }\nroot = true\n\n[[unit_kinds]]\nid = \"b\"\nname = { vi = \"B\" }\nparents = [\"a\", \"zz\"]\n";
        let e = Profile::parse("x.toml", text).unwrap_err();
        assert_eq!(e.line, Some(13));
        assert_eq!(e.key.as_deref(), Some("unit_kinds[1].parents[1]"));
        assert!(e.to_string().contains("x.toml"), "{e}");
        assert!(e.message.contains("zz"), "{e}");
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = "[profile]\nid = \"x\"\nname = { vi = \"X\" }\ncolour = \"red\"\n";
        let e = Profile::parse("x.toml", text).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert_eq!(e.key.as_deref(), Some("colour"), "{e}");
    }

    #[test]
    fn a_kind_defined_twice_is_refused() {
        let text = "[profile]\nid = \"x\"\nname = { vi = \"X\" }\n[[unit_kinds]]\nid = \"a\"\nname = { vi = \"A\" }\nroot = true\n[[unit_kinds]]\nid = \"a\"\nname = { vi = \"A2\" }\nroot = true\n";
        let e = Profile::parse("x.toml", text).unwrap_err();
        assert_eq!(e.line, Some(9));
        assert!(e.message.contains("twice"));
    }
}
