//! Restructuring: a draft of operations on the tree with one effective date (SPEC 2.1, 2.7).
//!
//! A draft is written as explicit operations (TOML or JSON) or as a mapping table, the form
//! governments publish (`from,to,to_name,to_kind,to_parent`, one row per old unit). Both end
//! as the same list of [`Operation`]s, checked here for what can be judged without the tree
//! (codes, shapes, a unit changed twice); the store judges the rest against the tree on the
//! effective date, with the continuity check ([`Rule`]).

use crate::fault::Fault;
use crate::structure::{Names, UnitCode, parse_decision};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One change of a draft. Operations run in order; each sees the tree as the ones before it
/// left it on the effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// A new unit under `parent` (a unit live on the date or one created earlier in the draft).
    Create(CreateOp),
    /// New names for a unit.
    Rename(RenameOp),
    /// A unit and its subtree under another parent.
    Move(MoveOp),
    /// Several units into one: `into` is one of `units` (it survives and absorbs the others)
    /// or a unit created earlier in the draft (a brand-new unit). The others are dissolved;
    /// their children and members go to `into`.
    Merge(MergeOp),
    /// One unit into several: each part names the children and members it takes; one part may
    /// take the rest. The unit is dissolved unless it is one of the parts.
    Split(SplitOp),
    /// A unit ends; what it holds goes to `into`, or it must hold nothing by then.
    Dissolve(DissolveOp),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateOp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub code: UnitCode,
    pub kind: String,
    pub names: Names,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub parent: UnitCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RenameOp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub names: Names,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveOp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub parent: UnitCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeOp {
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub units: Vec<UnitCode>,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub into: UnitCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitOp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    pub parts: Vec<SplitPart>,
}

/// A part of a split: the unit that takes them (created earlier in the draft, an existing
/// unit, or the split unit itself), the children it takes, the members it takes (card
/// numbers, national IDs, or `#` and the member's id), or everything not taken by another part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitPart {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    #[serde(default)]
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    pub children: Vec<UnitCode>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DissolveOp {
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub unit: UnitCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub into: Option<UnitCode>,
}

impl Operation {
    pub fn name(&self) -> &'static str {
        match self {
            Operation::Create(_) => "create",
            Operation::Rename(_) => "rename",
            Operation::Move(_) => "move",
            Operation::Merge(_) => "merge",
            Operation::Split(_) => "split",
            Operation::Dissolve(_) => "dissolve",
        }
    }

    /// A one-line description for lists and logs.
    pub fn summary(&self) -> String {
        let codes = |v: &[UnitCode]| v.iter().map(UnitCode::as_str).collect::<Vec<_>>().join(", ");
        match self {
            Operation::Create(o) => format!("create {} ({}) under {}: {}", o.code, o.kind, o.parent, o.names.vi),
            Operation::Rename(o) => format!("rename {} to {}", o.unit, o.names.vi),
            Operation::Move(o) => format!("move {} under {}", o.unit, o.parent),
            Operation::Merge(o) => format!("merge {} into {}", codes(&o.units), o.into),
            Operation::Split(o) => {
                let parts: Vec<UnitCode> = o.parts.iter().map(|p| p.unit.clone()).collect();
                format!("split {} into {}", o.unit, codes(&parts))
            }
            Operation::Dissolve(o) => match &o.into {
                Some(into) => format!("dissolve {} into {}", o.unit, into),
                None => format!("dissolve {}", o.unit),
            },
        }
    }
}

/// A restructuring draft: a title, one effective date, the decision that orders it, and its
/// operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub title: String,
    #[serde(deserialize_with = "date_or_toml_date")]
    #[cfg_attr(feature = "schemas", schema(value_type = String, format = Date))]
    pub effective: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(rename = "operation", alias = "operations")]
    pub operations: Vec<Operation>,
    /// Where open items of approved work programmes go whose responsible unit the draft takes
    /// apart: for an item its successor does not take (a split names none), or to send it
    /// elsewhere.
    #[serde(default, rename = "plan_item", alias = "plan_items", skip_serializing_if = "Vec::is_empty")]
    pub plan_items: Vec<ItemDestination>,
    /// Where open inspections (whose subject the draft takes apart) and open recommendations
    /// (whose addressee it takes apart) go: for one the successor does not take (a dissolution
    /// into nothing, a split), or to send it elsewhere.
    #[serde(default, rename = "follow_up", alias = "follow_ups", skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUpDestination>,
}

/// What a follow-up destination names: an inspection or a recommendation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    Inspection,
    Recommendation,
}

impl FollowUpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpKind::Inspection => "inspection",
            FollowUpKind::Recommendation => "recommendation",
        }
    }
}

/// The unit that takes over an open inspection's subject (each of its subjects the draft
/// ends) or an open recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpDestination {
    pub kind: FollowUpKind,
    /// The inspection's or the recommendation's id.
    pub id: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub to: UnitCode,
}

/// The unit that takes over an open item of a work programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemDestination {
    /// The programme's unit (as it is the day before the draft) and year.
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub programme_unit: UnitCode,
    pub year: i32,
    /// The item's code.
    pub item: String,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub to: UnitCode,
}

fn article(kind: FollowUpKind) -> &'static str {
    match kind {
        FollowUpKind::Inspection => "an",
        FollowUpKind::Recommendation => "a",
    }
}

/// A date written as text (JSON, a quoted TOML value) or as a TOML date (`2025-02-01`, which
/// the TOML reader hands over as a one-entry map).
fn date_or_toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<NaiveDate, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date (YYYY-MM-DD)")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<NaiveDate, E> {
            v.parse().map_err(|_| E::custom(format!("'{v}' is not a date (YYYY-MM-DD)")))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<NaiveDate, A::Error> {
            let Some((_, v)) = map.next_entry::<String, String>()? else {
                return Err(serde::de::Error::custom("expected a date (YYYY-MM-DD)"));
            };
            self.visit_str(&v)
        }
    }
    d.deserialize_any(V)
}

/// Operation `i` refused, for the reason `code` with its values.
fn op_fault(i: usize, op: &Operation, fault: Fault) -> Error {
    let mut fault = fault;
    fault.args.splice(0..0, [("n", (i + 1).to_string()), ("op", op.name().to_string())]);
    Error::faulted(crate::ErrorKind::Invalid, "invalid_operation", fault)
}

/// Operation `i` refused by another rule (a unit code, a name): its error, code and words.
fn op_error(i: usize, op: &Operation, e: Error) -> Error {
    op_fault(i, op, Fault::new("op_refused").with("message", &e.message).with("error", e.code))
}

/// A draft whose shape is checked (`Draft::validate`): the only kind the store records. A
/// draft is checked once, where it is read (a form, a request, a file); what holds one need
/// not check it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidDraft(Draft);

impl std::ops::Deref for ValidDraft {
    type Target = Draft;
    fn deref(&self) -> &Draft {
        &self.0
    }
}

impl ValidDraft {
    pub fn into_draft(self) -> Draft {
        self.0
    }

    /// The draft with the title, date or decision given in place of its own (a command's
    /// flags, a form's fields); checked again when anything changed.
    pub fn with(
        self,
        title: Option<String>,
        effective: Option<NaiveDate>,
        decision: Option<String>,
    ) -> Result<ValidDraft> {
        let mut d = self.0;
        let title = title.filter(|t| !t.trim().is_empty());
        let changed = title.is_some() || effective.is_some() || decision.is_some();
        if let Some(t) = title {
            d.title = t;
        }
        if let Some(e) = effective {
            d.effective = e;
        }
        if decision.is_some() {
            d.decision = decision;
        }
        if changed { d.validate() } else { Ok(ValidDraft(d)) }
    }

    /// The draft with these destinations of work-programme items and of follow-ups added to
    /// its own, checked again.
    pub fn with_destinations(
        self,
        plan_items: Vec<ItemDestination>,
        follow_ups: Vec<FollowUpDestination>,
    ) -> Result<ValidDraft> {
        if plan_items.is_empty() && follow_ups.is_empty() {
            return Ok(self);
        }
        let mut d = self.0;
        d.plan_items.extend(plan_items);
        d.follow_ups.extend(follow_ups);
        d.validate()
    }
}

impl Draft {
    /// Checks what can be judged without the tree: a title, at least one operation, names,
    /// shapes, and that no unit is taken apart (merged away, split or dissolved) twice or
    /// created twice.
    pub fn validate(mut self) -> Result<ValidDraft> {
        self.title = self.title.trim().to_string();
        if self.title.is_empty() || self.title.chars().count() > 300 {
            return Err(Error::invalid("invalid_title", "title: give a title of 1 to 300 characters"));
        }
        self.decision = parse_decision(self.decision.as_deref())?;
        if self.operations.is_empty() {
            return Err(Error::invalid("empty_draft", "operations: a draft needs at least one operation"));
        }
        if self.plan_items.len() > 10_000 {
            return Err(Error::invalid("invalid_plan_item", "plan_items: at most 10,000 destinations"));
        }
        let mut named = BTreeSet::new();
        for d in &self.plan_items {
            if !(1900..=2199).contains(&d.year) || d.item.trim().is_empty() || d.item.chars().count() > 40 {
                return Err(Error::invalid(
                    "invalid_plan_item",
                    format!(
                        "plan_items: year {} item '{}' is not a programme's year and an item's code",
                        d.year, d.item
                    ),
                ));
            }
            if !named.insert((d.programme_unit.clone(), d.year, d.item.clone())) {
                return Err(Error::invalid(
                    "invalid_plan_item",
                    format!(
                        "plan_items: item {} of {}'s {} programme is given two destinations",
                        d.item, d.programme_unit, d.year
                    ),
                ));
            }
        }
        if self.follow_ups.len() > 10_000 {
            return Err(Error::invalid("invalid_follow_up", "follow_ups: at most 10,000 destinations"));
        }
        let mut named = BTreeSet::new();
        for d in &mut self.follow_ups {
            d.id = d.id.trim().to_string();
            if d.id.is_empty() || d.id.len() > 20 || !d.id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    "invalid_follow_up",
                    format!("follow_ups: '{}' is not the id of {} {}", d.id, article(d.kind), d.kind.as_str()),
                ));
            }
            if !named.insert((d.kind, d.id.clone())) {
                return Err(Error::invalid(
                    "invalid_follow_up",
                    format!("follow_ups: {} {} is given two destinations", d.kind.as_str(), d.id),
                ));
            }
        }
        let mut created = BTreeSet::new();
        let mut ended: BTreeMap<UnitCode, usize> = BTreeMap::new();
        let mut end = |code: &UnitCode, i: usize, op: &Operation| -> Result<()> {
            if let Some(first) = ended.insert(code.clone(), i) {
                let fault = Fault::new("op_taken_apart").with("unit", code).with("first", first + 1);
                return Err(op_fault(i, op, fault));
            }
            Ok(())
        };
        for (i, op) in self.operations.iter_mut().enumerate() {
            let snapshot = op.clone();
            match op {
                Operation::Create(o) => {
                    o.names = Names::parse(&o.names.vi, o.names.en.as_deref(), o.names.ar.as_deref())
                        .map_err(|e| op_error(i, &snapshot, e))?;
                    if o.parent == o.code {
                        return Err(op_fault(i, &snapshot, Fault::new("op_own_parent").with("unit", &o.code)));
                    }
                    if !created.insert(o.code.clone()) {
                        return Err(op_fault(i, &snapshot, Fault::new("op_created_twice").with("unit", &o.code)));
                    }
                }
                Operation::Rename(o) => {
                    o.names = Names::parse(&o.names.vi, o.names.en.as_deref(), o.names.ar.as_deref())
                        .map_err(|e| op_error(i, &snapshot, e))?;
                }
                Operation::Move(o) => {
                    if o.parent == o.unit {
                        return Err(op_fault(i, &snapshot, Fault::new("op_own_parent").with("unit", &o.unit)));
                    }
                }
                Operation::Merge(o) => {
                    let distinct: BTreeSet<&UnitCode> = o.units.iter().collect();
                    if distinct.len() != o.units.len() {
                        return Err(op_fault(i, &snapshot, Fault::new("op_listed_twice")));
                    }
                    let survives = o.units.contains(&o.into);
                    if o.units.is_empty() || (survives && o.units.len() < 2) {
                        return Err(op_fault(i, &snapshot, Fault::new("op_merge_alone")));
                    }
                    for u in o.units.iter().filter(|u| **u != o.into) {
                        end(u, i, &snapshot)?;
                    }
                }
                Operation::Split(o) => {
                    if o.parts.len() < 2 {
                        return Err(op_fault(i, &snapshot, Fault::new("op_split_parts")));
                    }
                    let units: BTreeSet<&UnitCode> = o.parts.iter().map(|p| &p.unit).collect();
                    if units.len() != o.parts.len() {
                        return Err(op_fault(i, &snapshot, Fault::new("op_unit_two_parts")));
                    }
                    if o.parts.iter().filter(|p| p.rest).count() > 1 {
                        return Err(op_fault(i, &snapshot, Fault::new("op_one_rest")));
                    }
                    let mut children = BTreeSet::new();
                    let mut members = BTreeSet::new();
                    for p in &o.parts {
                        for c in &p.children {
                            if !children.insert(c.clone()) {
                                return Err(op_fault(i, &snapshot, Fault::new("op_child_two_parts").with("child", c)));
                            }
                        }
                        for m in &p.members {
                            if !members.insert(m.trim().to_string()) {
                                return Err(op_fault(
                                    i,
                                    &snapshot,
                                    Fault::new("op_member_two_parts").with("member", m),
                                ));
                            }
                        }
                    }
                    if !units.contains(&o.unit) {
                        end(&o.unit, i, &snapshot)?;
                    }
                }
                Operation::Dissolve(o) => {
                    if o.into.as_ref() == Some(&o.unit) {
                        return Err(op_fault(i, &snapshot, Fault::new("op_into_itself").with("unit", &o.unit)));
                    }
                    end(&o.unit, i, &snapshot)?;
                }
            }
        }
        Ok(ValidDraft(self))
    }

    /// The existing units the draft names (those it does not create): whoever plans, checks or
    /// applies it must be allowed to change each of them.
    pub fn named_units(&self) -> Vec<UnitCode> {
        let created: BTreeSet<&UnitCode> = self
            .operations
            .iter()
            .filter_map(|o| if let Operation::Create(c) = o { Some(&c.code) } else { None })
            .collect();
        let mut out: BTreeSet<UnitCode> = BTreeSet::new();
        for op in &self.operations {
            match op {
                Operation::Create(o) => {
                    out.insert(o.parent.clone());
                }
                Operation::Rename(o) => {
                    out.insert(o.unit.clone());
                }
                Operation::Move(o) => {
                    out.extend([o.unit.clone(), o.parent.clone()]);
                }
                Operation::Merge(o) => {
                    out.extend(o.units.iter().cloned());
                    out.insert(o.into.clone());
                }
                Operation::Split(o) => {
                    out.insert(o.unit.clone());
                    for p in &o.parts {
                        out.insert(p.unit.clone());
                        out.extend(p.children.iter().cloned());
                    }
                }
                Operation::Dissolve(o) => {
                    out.insert(o.unit.clone());
                    out.extend(o.into.iter().cloned());
                }
            }
        }
        out.into_iter().filter(|c| !created.contains(c)).collect()
    }

    /// The units whose children, members and transfers in progress the draft hands over to
    /// other units: the units merged into another, dissolved into another, or split.
    pub fn taken_apart(&self) -> Vec<UnitCode> {
        let mut out: BTreeSet<UnitCode> = BTreeSet::new();
        for op in &self.operations {
            match op {
                Operation::Merge(o) => out.extend(o.units.iter().filter(|u| **u != o.into).cloned()),
                Operation::Split(o) => {
                    out.insert(o.unit.clone());
                }
                Operation::Dissolve(o) if o.into.is_some() => {
                    out.insert(o.unit.clone());
                }
                _ => {}
            }
        }
        out.into_iter().collect()
    }

    /// Reads a draft of explicit operations from TOML; errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<ValidDraft> {
        let draft: Draft = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!("line {}: ", text[..s.start.min(text.len())].lines().count().max(1)))
                .unwrap_or_default();
            Error::invalid("invalid_draft", format!("{at}{}", e.message()))
        })?;
        draft.validate()
    }
}

/// The title of a draft given none.
pub fn default_title(effective: NaiveDate) -> String {
    format!("Restructuring of {effective}")
}

/// One row of a mapping table, with its row number in the file (the heading is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MappingRow {
    pub row: usize,
    pub from: String,
    pub to: String,
    pub to_name: String,
    pub to_kind: String,
    pub to_parent: String,
}

/// The columns of a mapping table.
pub const MAPPING_COLUMNS: [&str; 5] = ["from", "to", "to_name", "to_kind", "to_parent"];

/// Reads the rows of a mapping table (its cells, heading first). Columns are found by name
/// (any order, case and spaces ignored); `from` and `to` are required.
pub fn mapping_rows(cells: &[Vec<String>]) -> Result<Vec<MappingRow>> {
    let Some((heading, rows)) = cells.split_first() else {
        return Err(Error::invalid("empty_mapping", "mapping: the file is empty"));
    };
    let names: Vec<String> =
        heading.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect();
    let col = |name: &str| names.iter().position(|h| h == name);
    for h in &names {
        if !h.is_empty() && !MAPPING_COLUMNS.contains(&h.as_str()) {
            let fault = Fault::new("map_unknown_column").with("column", h).with("columns", MAPPING_COLUMNS.join(", "));
            return Err(Error::faulted(crate::ErrorKind::Invalid, "unknown_column", fault));
        }
    }
    let (Some(from), Some(to)) = (col("from"), col("to")) else {
        return Err(Error::invalid("missing_column", "mapping: the columns 'from' and 'to' are required"));
    };
    let get =
        |r: &[String], c: Option<usize>| c.and_then(|c| r.get(c)).map(|v| v.trim().to_string()).unwrap_or_default();
    Ok(rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| MappingRow {
            row: i + 2,
            from: get(r, Some(from)),
            to: get(r, Some(to)),
            to_name: get(r, col("to_name")),
            to_kind: get(r, col("to_kind")),
            to_parent: get(r, col("to_parent")),
        })
        .collect())
}

/// A mapping row refused at a column, for the reason `fault`.
fn row_fault(row: usize, column: &str, value: &str, fault: Fault) -> Error {
    let mut fault = fault;
    let at = [("row", row.to_string()), ("column", column.to_string()), ("value", value.to_string())];
    fault.args.splice(0..0, at);
    Error::faulted(crate::ErrorKind::Invalid, "invalid_mapping", fault)
}

/// A mapping row refused by another rule (a unit code, a name): its error, code and words.
fn row_error(row: usize, column: &str, value: &str, e: Error) -> Error {
    row_fault(row, column, value, Fault::new("map_refused").with("message", &e.message).with("error", e.code))
}

/// Turns a mapping table into operations. Every old unit mapped to one `to` is merged into it;
/// a `to` equal to one of its `from` codes survives and absorbs the others (its `to_parent`,
/// if given, moves it; its `to_name` renames it); a `to` given with `to_name`, `to_kind` and
/// `to_parent` is a new unit (`to_parent` may be a new unit of the same table); a `to` given
/// with none of them is an existing unit, which absorbs them. An empty `to` dissolves the old unit, which must hold nothing by then. A row
/// whose `to` is its own `from` and says nothing else leaves the unit as it is.
///
/// Order: new units (parents before children), then moves and renames, then merges, then
/// dissolutions, so that units emptied by the merges can be dissolved.
pub fn draft_from_mapping(
    title: &str,
    effective: NaiveDate,
    decision: Option<String>,
    rows: &[MappingRow],
) -> Result<ValidDraft> {
    if rows.is_empty() {
        return Err(Error::invalid("empty_mapping", "mapping: no rows"));
    }
    let mut seen_from: BTreeMap<UnitCode, usize> = BTreeMap::new();
    // Groups by `to`, in the order first seen.
    let mut order: Vec<UnitCode> = vec![];
    let mut groups: BTreeMap<UnitCode, Vec<(UnitCode, &MappingRow)>> = BTreeMap::new();
    let mut dissolve: Vec<UnitCode> = vec![];
    for r in rows {
        let from = UnitCode::parse(&r.from).map_err(|e| row_error(r.row, "from", &r.from, e))?;
        if let Some(first) = seen_from.insert(from.clone(), r.row) {
            let fault = Fault::new("map_mapped_twice").with("unit", &from).with("first", first);
            return Err(row_fault(r.row, "from", &r.from, fault));
        }
        if r.to.is_empty() {
            if !(r.to_name.is_empty() && r.to_kind.is_empty() && r.to_parent.is_empty()) {
                return Err(row_fault(r.row, "to", "", Fault::new("map_no_destination")));
            }
            dissolve.push(from);
            continue;
        }
        let to = UnitCode::parse(&r.to).map_err(|e| row_error(r.row, "to", &r.to, e))?;
        if !groups.contains_key(&to) {
            order.push(to.clone());
        }
        groups.entry(to).or_default().push((from, r));
    }
    // One value per group for each optional column: the rows that give it must agree.
    let agreed = |members: &[(UnitCode, &MappingRow)],
                  column: &str,
                  pick: fn(&MappingRow) -> &str|
     -> Result<Option<(String, usize)>> {
        let mut value: Option<(String, usize)> = None;
        for (_, r) in members {
            let v = pick(r);
            if v.is_empty() {
                continue;
            }
            match &value {
                Some((first, row)) if first != v => {
                    let fault = Fault::new("map_disagrees").with("first", row).with("other", first);
                    return Err(row_fault(r.row, column, v, fault));
                }
                Some(_) => {}
                None => value = Some((v.to_string(), r.row)),
            }
        }
        Ok(value)
    };
    let mut creates: Vec<(CreateOp, Option<UnitCode>)> = vec![];
    let mut changes: Vec<Operation> = vec![];
    let mut merges: Vec<Operation> = vec![];
    for to in &order {
        let members = &groups[to];
        let name = agreed(members, "to_name", |r| &r.to_name)?;
        let kind = agreed(members, "to_kind", |r| &r.to_kind)?;
        let parent = agreed(members, "to_parent", |r| &r.to_parent)?;
        let parent_code = match &parent {
            Some((p, row)) => Some(UnitCode::parse(p).map_err(|e| row_error(*row, "to_parent", p, e))?),
            None => None,
        };
        let survives = members.iter().any(|(f, _)| f == to);
        if survives {
            if let Some((k, row)) = &kind {
                return Err(row_fault(*row, "to_kind", k, Fault::new("map_survivor_kind").with("unit", to)));
            }
            if let Some((n, row)) = &name {
                let names = Names::parse(n, None, None).map_err(|e| row_error(*row, "to_name", n, e))?;
                changes.push(Operation::Rename(RenameOp { unit: to.clone(), names }));
            }
            if let Some(p) = parent_code {
                changes.push(Operation::Move(MoveOp { unit: to.clone(), parent: p }));
            }
        } else if name.is_none() && kind.is_none() && parent.is_none() {
            // An existing unit that is not itself mapped: it absorbs them (the check says so
            // if there is no such unit).
        } else {
            let first = members[0].1.row;
            let (Some((n, nrow)), Some((k, _)), Some(p)) = (&name, &kind, parent_code) else {
                let missing: Vec<&str> =
                    [("to_name", name.is_none()), ("to_kind", kind.is_none()), ("to_parent", parent.is_none())]
                        .into_iter()
                        .filter(|(_, m)| *m)
                        .map(|(c, _)| c)
                        .collect();
                let fault = Fault::new("map_new_needs").with("unit", to).with("missing", missing.join(", "));
                return Err(row_fault(first, missing[0], "", fault));
            };
            let names = Names::parse(n, None, None).map_err(|e| row_error(*nrow, "to_name", n, e))?;
            let parent_is_new = groups.contains_key(&p) && !groups[&p].iter().any(|(f, _)| *f == p);
            creates.push((
                CreateOp { code: to.clone(), kind: k.clone(), names, parent: p.clone() },
                parent_is_new.then_some(p),
            ));
        }
        let units: Vec<UnitCode> = members.iter().map(|(f, _)| f.clone()).collect();
        if !(survives && units.len() == 1) {
            merges.push(Operation::Merge(MergeOp { units, into: to.clone() }));
        }
    }
    // New units, parents first.
    let mut placed: BTreeSet<UnitCode> = BTreeSet::new();
    let mut ordered: Vec<Operation> = vec![];
    while ordered.len() < creates.len() {
        let before = ordered.len();
        for (c, new_parent) in &creates {
            if !placed.contains(&c.code) && new_parent.as_ref().is_none_or(|p| placed.contains(p)) {
                placed.insert(c.code.clone());
                ordered.push(Operation::Create(c.clone()));
            }
        }
        if ordered.len() == before {
            let stuck: Vec<&str> =
                creates.iter().filter(|(c, _)| !placed.contains(&c.code)).map(|(c, _)| c.code.as_str()).collect();
            let fault = Fault::new("map_parent_cycle").with("units", stuck.join(", "));
            return Err(Error::faulted(crate::ErrorKind::Invalid, "invalid_mapping", fault));
        }
    }
    ordered.extend(changes);
    ordered.extend(merges);
    ordered.extend(dissolve.into_iter().map(|unit| Operation::Dissolve(DissolveOp { unit, into: None })));
    Draft { title: title.to_string(), effective, decision, operations: ordered, plan_items: vec![], follow_ups: vec![] }
        .validate()
}

/// The rules of the continuity check. Each names what it guards; later modules add theirs
/// (open plan items, inspections and recommendations must keep a live unit responsible).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Each operation can be carried out on the tree as it stands on the date.
    Operation,
    /// The draft comes after every recorded change of the structure.
    DateOrder,
    /// Every member has exactly one live unit after the draft.
    OneLiveUnit,
    /// No member is left in a dissolved unit.
    NoMemberInDissolvedUnit,
    /// No live unit is left under a dissolved unit.
    NoUnitUnderDissolvedUnit,
    /// Every live unit's kind may have its parent's kind.
    KindPlacement,
    /// No code is used by two live units.
    UniqueCode,
    /// The tree has no cycle.
    NoCycle,
    /// No transfer in progress points at a unit that no longer exists.
    TransfersRedirected,
    /// Every open item of an approved work programme whose responsible unit ends has a unit
    /// to take it over.
    PlanItemsReassigned,
    /// Every open inspection whose subject unit ends has a unit to inspect in its place.
    InspectionsReassigned,
    /// Every open recommendation whose addressee ends has a unit to carry it out.
    RecommendationsReassigned,
    /// No unit the draft ends has a congress still planned (held or cancelled first).
    CongressesSettled,
}

impl Rule {
    /// Every rule, in the order the check runs them.
    pub const ALL: [Rule; 13] = [
        Rule::Operation,
        Rule::DateOrder,
        Rule::OneLiveUnit,
        Rule::NoMemberInDissolvedUnit,
        Rule::NoUnitUnderDissolvedUnit,
        Rule::KindPlacement,
        Rule::UniqueCode,
        Rule::NoCycle,
        Rule::TransfersRedirected,
        Rule::PlanItemsReassigned,
        Rule::InspectionsReassigned,
        Rule::RecommendationsReassigned,
        Rule::CongressesSettled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Operation => "operation",
            Rule::DateOrder => "date_order",
            Rule::OneLiveUnit => "one_live_unit",
            Rule::NoMemberInDissolvedUnit => "no_member_in_dissolved_unit",
            Rule::NoUnitUnderDissolvedUnit => "no_unit_under_dissolved_unit",
            Rule::KindPlacement => "kind_placement",
            Rule::UniqueCode => "unique_code",
            Rule::NoCycle => "no_cycle",
            Rule::TransfersRedirected => "transfers_redirected",
            Rule::PlanItemsReassigned => "plan_items_reassigned",
            Rule::InspectionsReassigned => "inspections_reassigned",
            Rule::RecommendationsReassigned => "recommendations_reassigned",
            Rule::CongressesSettled => "congresses_settled",
        }
    }
}

/// One failure of the continuity check: the rule, the unit and member at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Failure {
    pub rule: Rule,
    /// The operation (1-based) at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub unit: Option<UnitCode>,
    /// The member at fault, written as text like every id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub member: Option<crate::MemberId>,
    /// The work programme and its item at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_toml_draft_gives_programme_items_their_destination() {
        let text = r#"
title = "Giải thể chi bộ"
effective = 2026-07-01
[[operation]]
op = "dissolve"
unit = "STC-C1"
[[plan_item]]
programme_unit = "STC"
year = 2026
item = "1"
to = "STC"
"#;
        let draft = Draft::from_toml(text).unwrap();
        assert_eq!(draft.plan_items.len(), 1);
        assert_eq!((draft.plan_items[0].programme_unit.as_str(), draft.plan_items[0].year), ("STC", 2026));
        let twice = format!("{text}[[plan_item]]\nprogramme_unit = \"STC\"\nyear = 2026\nitem = \"1\"\nto = \"QN\"\n");
        assert_eq!(Draft::from_toml(&twice).unwrap_err().code, "invalid_plan_item");
    }

    fn rows(csv: &[&str]) -> Vec<MappingRow> {
        let cells: Vec<Vec<String>> = csv.iter().map(|l| l.split(',').map(str::to_string).collect()).collect();
        mapping_rows(&cells).unwrap()
    }

    #[test]
    fn a_mapping_merges_into_new_and_surviving_units_parents_first() {
        let r = rows(&[
            "from,to,to_name,to_kind,to_parent",
            "X1,NEWC,Xã Mới,commune,NEWP",
            "X2,NEWC,,,",
            "A,NEWP,Tỉnh Mới,province,ROOT",
            "B,NEWP,,,",
            "C,C,,,",
            "D,C,,,",
            "E,E,,,",
            "DIST,,,,",
        ]);
        let draft = draft_from_mapping("2025", d("2025-07-01"), None, &r).unwrap();
        let s: Vec<String> = draft.operations.iter().map(Operation::summary).collect();
        assert_eq!(
            s,
            [
                "create NEWP (province) under ROOT: Tỉnh Mới",
                "create NEWC (commune) under NEWP: Xã Mới",
                "merge X1, X2 into NEWC",
                "merge A, B into NEWP",
                "merge C, D into C",
                "dissolve DIST",
            ]
        );
    }

    #[test]
    fn mapping_errors_name_the_row_and_column() {
        let err = |lines: &[&str]| draft_from_mapping("t", d("2025-07-01"), None, &rows(lines)).unwrap_err().message;
        assert_eq!(
            err(&["from,to,to_name,to_kind,to_parent", "A,NEW,,province,", "B,NEW,,,"]),
            "row 2, column to_name (''): NEW is a new unit: give to_name, to_parent"
        );
        // A `to` with nothing else is an existing unit that absorbs them.
        let ok = draft_from_mapping("t", d("2025-07-01"), None, &rows(&["from,to", "A,OLD", "B,OLD"])).unwrap();
        assert_eq!(ok.operations.iter().map(Operation::summary).collect::<Vec<_>>(), ["merge A, B into OLD"]);
        assert_eq!(
            err(&["from,to,to_name,to_kind,to_parent", "A,NEW,Mới,province,R", "B,NEW,Khác,,"]),
            "row 3, column to_name ('Khác'): row 2 gives 'Mới' for the same unit"
        );
        assert_eq!(err(&["from,to", "A,B", "a,C"]), "row 3, column from ('a'): unit A is already mapped on row 2");
        assert!(err(&["from,to", "A b,B"]).starts_with("row 2, column from ('A b'): code:"));
        assert_eq!(
            err(&["from,to,to_kind", "A,A,province", "B,A,"]),
            "row 2, column to_kind ('province'): A survives and keeps its kind; leave to_kind empty"
        );
        let e = mapping_rows(&[vec!["from".into(), "dest".into()]]).unwrap_err();
        assert!(e.message.contains("unknown column 'dest'"), "{}", e.message);
    }

    #[test]
    fn drafts_refuse_a_unit_taken_apart_twice_and_bad_shapes() {
        let toml = r#"
            title = "t"
            effective = 2025-01-01
            [[operation]]
            op = "merge"
            units = ["A", "B"]
            into = "A"
            [[operation]]
            op = "dissolve"
            unit = "B"
        "#;
        let e = Draft::from_toml(toml).unwrap_err();
        assert_eq!(e.message, "operation 2 (dissolve): unit B is already taken apart by operation 1");
        let split = r#"
            title = "t"
            effective = 2025-01-01
            [[operation]]
            op = "split"
            unit = "A"
            parts = [{ unit = "B", children = ["C"] }, { unit = "D", children = ["C"] }]
        "#;
        assert_eq!(Draft::from_toml(split).unwrap_err().message, "operation 1 (split): child C is given to two parts");
        let unknown =
            "title = \"t\"\neffective = 2025-01-01\n[[operation]]\nop = \"move\"\nunit = \"A\"\nparnet = \"B\"\n";
        let e = Draft::from_toml(unknown).unwrap_err();
        assert!(e.message.starts_with("line "), "{}", e.message);
        assert!(e.message.contains("parnet") || e.message.contains("parent"), "{}", e.message);
    }

    #[test]
    fn a_draft_round_trips_through_json() {
        let toml = r#"
            title = "Tách"
            effective = 2025-02-01
            decision = "QĐ-1"
            [[operation]]
            op = "create"
            code = "N1"
            kind = "bloc_committee"
            names = { vi = "Đảng bộ Mới" }
            parent = "QN"
            [[operation]]
            op = "split"
            unit = "A"
            parts = [{ unit = "N1", children = ["C1"] }, { unit = "N2", rest = true }]
        "#;
        let draft = Draft::from_toml(toml).unwrap();
        let json = serde_json::to_string(&draft).unwrap();
        let back: Draft = serde_json::from_str(&json).unwrap();
        assert_eq!(back, *draft);
    }
}
