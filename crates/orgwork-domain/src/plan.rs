//! The annual work programme, as pure functions: a programme's items and the lint that
//! refuses what cannot be counted (naming the item and the column), each item's achievement
//! from its reports, a programme's completion, and the values that children's items carry up
//! to the item of their parent's programme they carry out. The store loads the facts and
//! calls these; nothing here reads a database.

use crate::fault::Fault;
use crate::structure::UnitCode;
use crate::text::fold;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What an item's indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Indicator {
    /// A number of things (members admitted, cells rated): additive up the tree.
    Count,
    /// A share, 0 to 100.
    Percent,
    /// Done or not (reported as 1 when done).
    Milestone,
}

impl Indicator {
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::Count => "count",
            Indicator::Percent => "percent",
            Indicator::Milestone => "milestone",
        }
    }

    /// The code, or its usual Vietnamese name (without regard to case or accents).
    pub fn parse(text: &str) -> Option<Indicator> {
        match fold(text.trim()).as_str() {
            "count" | "so luong" | "so" => Some(Indicator::Count),
            "percent" | "%" | "ty le" | "ti le" | "phan tram" => Some(Indicator::Percent),
            "milestone" | "moc" | "hoan thanh" | "moc hoan thanh" => Some(Indicator::Milestone),
            _ => None,
        }
    }

    /// The usual Vietnamese name, as an export in Vietnamese writes it.
    pub fn vi(self) -> &'static str {
        match self {
            Indicator::Count => "Số lượng",
            Indicator::Percent => "Tỷ lệ",
            Indicator::Milestone => "Mốc hoàn thành",
        }
    }
}

/// Which way is better for an item's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

impl Better {
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }

    /// The code, or its usual Vietnamese name (without regard to case or accents).
    pub fn parse(text: &str) -> Option<Better> {
        match fold(text.trim()).as_str() {
            "higher" | "tang" | "cao hon" | "cang cao cang tot" => Some(Better::Higher),
            "lower" | "giam" | "thap hon" | "cang thap cang tot" => Some(Better::Lower),
            _ => None,
        }
    }

    /// The usual Vietnamese name, as an export in Vietnamese writes it.
    pub fn vi(self) -> &'static str {
        match self {
            Better::Higher => "Càng cao càng tốt",
            Better::Lower => "Càng thấp càng tốt",
        }
    }
}

/// An item of a programme as written (every part but its code may be missing, for the lint
/// to name).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Unique in its programme.
    pub code: String,
    /// The code of the item above, for a sub-item.
    pub parent: Option<String>,
    #[serde(default)]
    pub title: String,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub responsible: Option<UnitCode>,
    #[cfg_attr(feature = "schemas", schema(value_type = Vec<String>))]
    #[serde(default)]
    pub cooperating: Vec<UnitCode>,
    pub indicator: Option<Indicator>,
    /// The unit of measure ("members", "%").
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    #[serde(default)]
    pub direction: Better,
    pub deadline: Option<NaiveDate>,
    /// 1 when not given.
    pub weight: Option<f64>,
    /// The code of the item of the parent unit's programme that this one carries out.
    pub carries_out: Option<String>,
}

impl Item {
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

/// One finding of the lint: the item, the column at fault, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Finding {
    pub item: String,
    /// One of the import's columns (`responsible`, `target`, `deadline`…).
    pub field: &'static str,
    /// The reason in English (the pages word `fault` in their language).
    pub message: String,
    #[serde(skip)]
    #[cfg_attr(feature = "schemas", schema(ignore))]
    pub fault: Fault,
}

/// The lint's findings: errors block approval; warnings are advice.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Lint {
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Lint {
    fn error(&mut self, item: &str, field: &'static str, fault: Fault) {
        self.errors.push(Finding { item: item.to_string(), field, message: fault.english(), fault });
    }
    fn warn(&mut self, item: &str, field: &'static str, fault: Fault) {
        self.warnings.push(Finding { item: item.to_string(), field, message: fault.english(), fault });
    }
}

/// What the lint knows of the world around a programme.
pub struct Context<'a> {
    /// The programme's year: deadlines fall in it.
    pub year: i32,
    /// Whether a unit lies in the programme's unit's subtree and is live on a day.
    pub responsible_ok: &'a dyn Fn(&UnitCode, NaiveDate) -> bool,
    /// The codes of the items of the parent unit's programme for the year, if it has one.
    pub parent_items: Option<&'a BTreeSet<String>>,
    /// The vague words of each language, folded (the profile's lexicon).
    pub vague_words: &'a [String],
}

/// Checks a programme's items: every fault that would make an item hard to count is an
/// error, named by item and column; a title with a vague word and no number or date in it is
/// a warning.
pub fn lint(items: &[Item], cx: &Context<'_>) -> Lint {
    let mut out = Lint::default();
    let mut codes = BTreeSet::new();
    for it in items {
        if !codes.insert(it.code.as_str()) {
            out.error(&it.code, "code", Fault::new("plan_code_twice"));
        }
    }
    for it in items {
        let code = it.code.as_str();
        if let Some(p) = &it.parent
            && (!codes.contains(p.as_str()) || p == &it.code)
        {
            out.error(code, "parent", Fault::new("plan_no_such_parent").with("parent", p));
        }
        if it.title.trim().is_empty() {
            out.error(code, "title", Fault::new("plan_no_title"));
        }
        match (&it.responsible, it.deadline) {
            (None, _) => out.error(code, "responsible", Fault::new("plan_no_responsible")),
            (Some(u), Some(d)) if !(cx.responsible_ok)(u, d) => {
                out.error(code, "responsible", Fault::new("plan_responsible_outside").with("unit", u).with("day", d))
            }
            _ => {}
        }
        match it.deadline {
            None => out.error(code, "deadline", Fault::new("plan_no_deadline")),
            Some(d) if d.year() != cx.year => {
                out.error(code, "deadline", Fault::new("plan_deadline_outside").with("year", cx.year))
            }
            _ => {}
        }
        // A parent item measures through its sub-items.
        let has_children = items.iter().any(|c| c.parent.as_deref() == Some(code));
        match it.indicator {
            None if !has_children => out.error(code, "indicator", Fault::new("plan_no_indicator")),
            Some(Indicator::Count | Indicator::Percent) => match it.target {
                None => out.error(code, "target", Fault::new("plan_no_target")),
                Some(t) => {
                    if it.indicator == Some(Indicator::Percent) && !(0.0..=100.0).contains(&t) {
                        out.error(code, "target", Fault::new("plan_percent_range").with("target", number(t)));
                    }
                    if let Some(b) = it.baseline {
                        let contradicts = match it.direction {
                            Better::Higher => t < b,
                            Better::Lower => t > b,
                        };
                        if contradicts {
                            let reason = match it.direction {
                                Better::Higher => "plan_target_below_baseline",
                                Better::Lower => "plan_target_above_baseline",
                            };
                            let fault = Fault::new(reason).with("baseline", number(b)).with("target", number(t));
                            out.error(code, "direction", fault);
                        }
                    }
                }
            },
            _ => {}
        }
        if it.weight.is_some_and(|w| !(w > 0.0 && w.is_finite())) {
            out.error(code, "weight", Fault::new("plan_weight_not_positive"));
        }
        if let Some(c) = &it.carries_out
            && !cx.parent_items.is_some_and(|p| p.contains(c))
        {
            out.error(code, "carries_out", Fault::new("plan_carries_out_nothing").with("item", c));
        }
        if let Some(word) = vague_word(&it.title, cx.vague_words)
            && !it.title.chars().any(|c| c.is_ascii_digit())
        {
            out.warn(code, "title", Fault::new("plan_vague").with("word", word));
        }
    }
    out
}

/// A number as the findings write it: whole numbers without a fraction.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", v as i64) } else { format!("{v}") }
}

/// The first word (or phrase) of the lexicon the title holds, accents and case aside.
fn vague_word<'a>(title: &str, lexicon: &'a [String]) -> Option<&'a str> {
    let folded = format!(" {} ", fold(title));
    lexicon.iter().find(|w| !w.is_empty() && folded.contains(&format!(" {} ", fold(w)))).map(String::as_str)
}

/// An item's own achievement from its value as of a day (`None`: no report yet), between 0
/// and 1: the way from the baseline to the target gone, honouring the direction; a milestone
/// is 1 once reported done.
pub fn achievement(item: &Item, value: Option<f64>) -> f64 {
    let Some(v) = value else { return 0.0 };
    match item.indicator {
        Some(Indicator::Milestone) => {
            if v >= 1.0 {
                1.0
            } else {
                0.0
            }
        }
        _ => {
            let (b, Some(t)) = (item.baseline.unwrap_or(0.0), item.target) else { return 0.0 };
            if t == b {
                // A level to keep: met or not.
                let met = match item.direction {
                    Better::Higher => v >= t,
                    Better::Lower => v <= t,
                };
                return if met { 1.0 } else { 0.0 };
            }
            ((v - b) / (t - b)).clamp(0.0, 1.0)
        }
    }
}

/// What each item of a programme stands at on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The item's value: its latest report, or for a count carried out by children's items,
    /// the sum of theirs.
    pub value: Option<f64>,
    pub achievement: f64,
    pub overdue: bool,
}

/// The items' standings on `day`, and the programme's completion (Σ weight × achievement over
/// Σ weight, over its top-level items). `values` holds each item's latest reported value on or
/// before the day; `carried` the summed values of the children's items that carry an item out.
/// An item with sub-items stands at their weighted mean.
pub fn standings(
    items: &[Item],
    values: &BTreeMap<String, f64>,
    carried: &BTreeMap<String, f64>,
    day: NaiveDate,
) -> (BTreeMap<String, Standing>, f64) {
    let mut out = BTreeMap::new();
    // Sub-items first: an item's standing waits for its children's. A parent cycle (which
    // the lint refuses) leaves the items in it at 0.
    let mut left: Vec<&Item> = items.iter().collect();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|it| {
            let kids: Vec<&Item> = items.iter().filter(|c| c.parent.as_deref() == Some(it.code.as_str())).collect();
            if kids.iter().any(|k| !out.contains_key(&k.code)) {
                return true;
            }
            let value = match (it.indicator, carried.get(&it.code)) {
                (Some(Indicator::Count), Some(sum)) => Some(*sum),
                _ => values.get(&it.code).copied(),
            };
            let achieved = if kids.is_empty() {
                achievement(it, value)
            } else {
                let weights: f64 = kids.iter().map(|k| k.weight()).sum();
                let sum: f64 =
                    kids.iter().map(|k| k.weight() * out.get(&k.code).map_or(0.0, |s: &Standing| s.achievement)).sum();
                if weights > 0.0 { sum / weights } else { 0.0 }
            };
            let overdue = it.deadline.is_some_and(|d| d < day) && achieved < 1.0;
            out.insert(it.code.clone(), Standing { value, achievement: achieved, overdue });
            false
        });
        if left.len() == before {
            for it in left.drain(..) {
                let overdue = it.deadline.is_some_and(|d| d < day);
                out.insert(it.code.clone(), Standing { value: None, achievement: 0.0, overdue });
            }
        }
    }
    let top: Vec<&Item> = items.iter().filter(|it| it.parent.is_none()).collect();
    let weights: f64 = top.iter().map(|it| it.weight()).sum();
    let done: f64 = top.iter().map(|it| it.weight() * out.get(&it.code).map_or(0.0, |s| s.achievement)).sum();
    let completion = if weights > 0.0 { done / weights } else { 0.0 };
    (out, completion)
}

/// The values carried up to a parent's items: for each item code of the parent's programme,
/// the sum of the values of the children's count items that carry it out (`(carries_out,
/// value)` pairs; raw values summed, never percentages averaged).
pub fn carried_up(children: impl IntoIterator<Item = (String, Indicator, Option<f64>)>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for (target, indicator, value) in children {
        if indicator == Indicator::Count {
            *out.entry(target).or_insert(0.0) += value.unwrap_or(0.0);
        }
    }
    out
}

/// One programme's facts for the roll-up: its unit, its items, each item's latest reported
/// value on the day.
pub struct ProgrammeFacts {
    pub unit: i64,
    pub items: Vec<Item>,
    pub values: BTreeMap<String, f64>,
}

/// Every programme's items' standings and completion on a day (in the order given): a
/// programme's count items carried out by the programmes of the units right under its unit
/// (`parents`) take the sum of their values, computed the same way, deepest first.
pub fn stand_all(
    programmes: &[ProgrammeFacts],
    parents: &std::collections::HashMap<i64, i64>,
    day: NaiveDate,
) -> Vec<(BTreeMap<String, Standing>, f64)> {
    use std::collections::HashMap;
    let mut depth_of: HashMap<i64, usize> = HashMap::new();
    let mut depth = |u: i64| {
        if let Some(d) = depth_of.get(&u) {
            return *d;
        }
        let (mut at, mut d) = (u, 0usize);
        while let Some(p) = parents.get(&at) {
            at = *p;
            d += 1;
            if d > 64 {
                break;
            }
        }
        depth_of.insert(u, d);
        d
    };
    // Deepest first, so that a programme's children stand before it does.
    let depths: Vec<usize> = programmes.iter().map(|p| depth(p.unit)).collect();
    let mut order: Vec<usize> = (0..programmes.len()).collect();
    order.sort_by(|a, b| depths[*b].cmp(&depths[*a]).then(programmes[*a].unit.cmp(&programmes[*b].unit)));
    let mut by_parent: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, p) in programmes.iter().enumerate() {
        if let Some(parent) = parents.get(&p.unit) {
            by_parent.entry(*parent).or_default().push(i);
        }
    }
    let mut out: Vec<Option<(BTreeMap<String, Standing>, f64)>> = vec![None; programmes.len()];
    for i in order {
        let p = &programmes[i];
        let mut up = vec![];
        for c in by_parent.get(&p.unit).into_iter().flatten() {
            let child = &programmes[*c];
            for it in child.items.iter().filter(|it| it.carries_out.is_some()) {
                if let (Some(target), Some(ind)) = (it.carries_out.clone(), it.indicator) {
                    let value = out[*c].as_ref().and_then(|(s, _)| s.get(&it.code)).and_then(|x| x.value);
                    up.push((target, ind, value));
                }
            }
        }
        out[i] = Some(standings(&p.items, &p.values, &carried_up(up), day));
    }
    out.into_iter().map(|x| x.unwrap_or_default()).collect()
}

/// Every unit's completion on a day, over the whole tree (`parents`: each unit's parent that
/// day): a unit with a programme stands at its completion, its count items carried out by its
/// children's programmes taking the sum of their values (as `standings` and `carried_up`); a
/// unit without one at the mean of its children's completions (each child counting once,
/// whatever its size), and a unit with neither is left out. The answer: unit, completion,
/// and whether it is its own programme's.
pub fn roll_up(
    programmes: &[ProgrammeFacts],
    parents: &std::collections::HashMap<i64, i64>,
    day: NaiveDate,
) -> Vec<(i64, f64, bool)> {
    use std::collections::HashMap;
    let depth = |mut u: i64| {
        let mut d = 0usize;
        while let Some(p) = parents.get(&u) {
            u = *p;
            d += 1;
            if d > 64 {
                break;
            }
        }
        d
    };
    let stood = stand_all(programmes, parents, day);
    let own: HashMap<i64, f64> = programmes.iter().zip(&stood).map(|(p, (_, c))| (p.unit, *c)).collect();
    // The units without a programme: their children's mean, bottom up.
    let mut units: Vec<i64> = parents.keys().chain(parents.values()).copied().collect();
    units.sort_unstable();
    units.dedup();
    let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
    for (c, p) in parents {
        children.entry(*p).or_default().push(*c);
    }
    let mut keyed: Vec<(usize, i64)> = units.iter().map(|u| (depth(*u), *u)).collect();
    keyed.sort_unstable_by(|a, b| b.cmp(a));
    let units: Vec<i64> = keyed.into_iter().map(|(_, u)| u).collect();
    let mut out: HashMap<i64, (f64, bool)> = own.iter().map(|(u, c)| (*u, (*c, true))).collect();
    for u in units {
        if out.contains_key(&u) {
            continue;
        }
        let got: Vec<f64> =
            children.get(&u).into_iter().flatten().filter_map(|c| out.get(c).map(|(x, _)| *x)).collect();
        if !got.is_empty() {
            out.insert(u, (got.iter().sum::<f64>() / got.len() as f64, false));
        }
    }
    let mut list: Vec<(i64, f64, bool)> = out.into_iter().map(|(u, (c, o))| (u, c, o)).collect();
    list.sort_by_key(|x| x.0);
    list
}

/// Next year's items from this year's: the same items, their deadlines a year on (29 February
/// to 28), nothing reported (reports belong to the programme, not to its items).
pub fn next_year(items: &[Item]) -> Vec<Item> {
    items
        .iter()
        .map(|it| Item {
            deadline: it.deadline.and_then(|d| d.checked_add_months(chrono::Months::new(12))),
            ..it.clone()
        })
        .collect()
}

/// What an amendment does to an approved programme's items: the item as it was (none for an
/// item added) and the items after. `after` none withdraws the item; an item is known by its
/// code, which an amendment does not change. Refused: an amendment that changes nothing, one
/// naming no item to withdraw, and the withdrawal of an item that has sub-items (withdraw
/// those first, so that each is recorded).
pub fn amend(items: &[Item], code: &str, after: Option<Item>) -> Result<(Option<Item>, Vec<Item>), crate::Error> {
    use crate::Error;
    let at = items.iter().position(|i| i.code == code);
    let before = at.map(|i| items[i].clone());
    let mut out = items.to_vec();
    match (at, after) {
        (_, Some(a)) if a.code != code => Err(Error::invalid(
            "invalid_amendment",
            format!("code: an amendment keeps the item's code ({code}, not {})", a.code),
        )),
        (Some(i), Some(a)) => {
            if out[i] == a {
                return Err(Error::invalid("invalid_amendment", format!("item {code}: the amendment changes nothing")));
            }
            out[i] = a;
            Ok((before, out))
        }
        (None, Some(a)) => {
            out.push(a);
            Ok((None, out))
        }
        (Some(i), None) => {
            if let Some(sub) = items.iter().find(|s| s.parent.as_deref() == Some(code)) {
                return Err(Error::rule(
                    "item_has_subitems",
                    format!("item {code} has sub-items ({}): withdraw them first", sub.code),
                ));
            }
            out.remove(i);
            Ok((before, out))
        }
        (None, None) => Err(Error::not_found("programme_item_not_found", format!("item: there is no item {code}"))),
    }
}

/// The items as they stood before some amendments: `later` are the amendments dated after
/// the day in question (each the item before and after), oldest first; they are undone newest
/// first. An item withdrawn by one comes back at the end of the list.
pub fn before_amendments(items: &[Item], later: &[(Option<Item>, Option<Item>)]) -> Vec<Item> {
    let mut out = items.to_vec();
    for (before, after) in later.iter().rev() {
        let code = after.as_ref().or(before.as_ref()).map(|i| i.code.clone()).unwrap_or_default();
        let at = out.iter().position(|i| i.code == code);
        match (before, at) {
            (Some(b), Some(i)) => out[i] = b.clone(),
            (Some(b), None) => out.push(b.clone()),
            (None, Some(i)) => {
                out.remove(i);
            }
            (None, None) => {}
        }
    }
    out
}

/// The item an amendment makes: the item as it is (or, for a new one, only its code) with the
/// fields given replaced, by the names of the item's JSON (`title`, `target`, `deadline`,
/// `responsible`…; `null` empties one). A field that is not an item's, or a value of the
/// wrong kind, is refused naming it.
pub fn amended_item(
    before: Option<&Item>,
    code: &str,
    changes: &serde_json::Map<String, serde_json::Value>,
) -> Result<Item, crate::Error> {
    use crate::Error;
    let mut body = match before {
        Some(b) => serde_json::to_value(b).unwrap_or_default(),
        None => serde_json::json!({ "code": code }),
    };
    let Some(fields) = body.as_object_mut() else {
        return Err(Error::invalid("invalid_amendment", "item: not an item"));
    };
    let known = ["parent", "title", "responsible", "cooperating", "indicator", "unit", "baseline", "target"]
        .into_iter()
        .chain(["direction", "deadline", "weight", "carries_out"]);
    let known: BTreeSet<&str> = known.collect();
    for (k, v) in changes {
        if !known.contains(k.as_str()) {
            return Err(Error::invalid("invalid_amendment", format!("{k}: not a field an amendment changes")));
        }
        fields.insert(k.clone(), v.clone());
    }
    serde_json::from_value::<Item>(body).map_err(|e| Error::invalid("invalid_amendment", format!("changes: {e}")))
}

/// The columns of a programme's file, as the interface names them.
pub const COLUMNS: [&str; 13] = [
    "code",
    "parent",
    "title",
    "responsible",
    "cooperating",
    "indicator",
    "unit",
    "baseline",
    "target",
    "deadline",
    "weight",
    "direction",
    "carries_out",
];

/// The usual Vietnamese headings (folded) of each column.
const VI_HEADINGS: &[(&str, &str)] = &[
    ("ma", "code"),
    ("ma so", "code"),
    ("ma cha", "parent"),
    ("thuoc muc", "parent"),
    ("noi dung", "title"),
    ("ten nhiem vu", "title"),
    ("don vi chu tri", "responsible"),
    ("don vi phoi hop", "cooperating"),
    ("loai chi tieu", "indicator"),
    ("don vi tinh", "unit"),
    ("gia tri ban dau", "baseline"),
    ("muc tieu", "target"),
    ("chi tieu", "target"),
    ("thoi han", "deadline"),
    ("trong so", "weight"),
    ("chieu", "direction"),
    ("huong", "direction"),
    ("thuc hien muc", "carries_out"),
    ("cu the hoa muc", "carries_out"),
];

/// The column a heading stands for: the interface's name, or a usual Vietnamese heading.
fn column_of(heading: &str) -> Option<&'static str> {
    let h = fold(heading.trim().trim_start_matches('\u{feff}')).replace(['_', '-'], " ");
    COLUMNS
        .iter()
        .copied()
        .find(|c| c.replace('_', " ") == h)
        .or_else(|| VI_HEADINGS.iter().find(|(v, _)| *v == h).map(|(_, c)| *c))
}

/// The Vietnamese headings an export in Vietnamese writes, by column (each one the reader
/// knows).
const VI_WRITTEN: [&str; 13] = [
    "Mã",
    "Mã cha",
    "Nội dung",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Loại chỉ tiêu",
    "Đơn vị tính",
    "Giá trị ban đầu",
    "Mục tiêu",
    "Thời hạn",
    "Trọng số",
    "Chiều",
    "Thực hiện mục",
];

/// A programme's items as a file's cells (headings first) that `read_items` reads back to the
/// same items: the interface's headings and codes, or with `vietnamese` the usual Vietnamese
/// headings and names, dates as DD/MM/YYYY.
pub fn item_table(items: &[Item], vietnamese: bool) -> Vec<Vec<String>> {
    let heading: Vec<String> =
        if vietnamese { VI_WRITTEN.iter() } else { COLUMNS.iter() }.map(|h| h.to_string()).collect();
    let num = |v: Option<f64>| {
        v.map(|x| if vietnamese { number(x).replace('.', ",") } else { number(x) }).unwrap_or_default()
    };
    let mut out = vec![heading];
    for it in items {
        out.push(vec![
            it.code.clone(),
            it.parent.clone().unwrap_or_default(),
            it.title.clone(),
            it.responsible.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            it.cooperating.iter().map(|u| u.as_str()).collect::<Vec<_>>().join(", "),
            it.indicator.map(|i| if vietnamese { i.vi() } else { i.as_str() }).unwrap_or_default().to_string(),
            it.unit.clone().unwrap_or_default(),
            num(it.baseline),
            num(it.target),
            it.deadline
                .map(|d| if vietnamese { d.format("%d/%m/%Y").to_string() } else { d.to_string() })
                .unwrap_or_default(),
            num(it.weight),
            if vietnamese { it.direction.vi() } else { it.direction.as_str() }.to_string(),
            it.carries_out.clone().unwrap_or_default(),
        ]);
    }
    out
}

/// Reads a programme's items from a file's cells (headings first). Empty cells are absent
/// values, for the lint to name; a value that cannot be read (a word where a number goes, a
/// date that is not one, an unknown indicator) is a fault by row and column, and nothing is
/// read when there is one.
pub fn read_items(cells: &[Vec<String>]) -> std::result::Result<Vec<Item>, crate::import::Faults> {
    use crate::import::{Faults, RowError};
    let mut faults = Faults::default();
    let Some((heading, rows)) = cells.split_first() else {
        faults.push(RowError::new(1, "", "", Fault::new("file_empty")));
        return Err(faults);
    };
    let mut at: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (i, h) in heading.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        match column_of(h) {
            Some(c) if at.insert(c, i).is_some() => {
                faults.push(RowError::new(1, h.clone(), "", Fault::new("column_twice").with("n", i + 1)))
            }
            Some(_) => {}
            None => faults.push(RowError::new(1, h.clone(), "", Fault::new("unknown_column"))),
        }
    }
    for c in ["code", "title"] {
        if !at.contains_key(c) {
            faults.push(RowError::new(1, c, "", Fault::new("column_required")));
        }
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    let mut items = vec![];
    let mut first_row: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = i + 2;
        let get = |c: &str| at.get(c).and_then(|i| r.get(*i)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut fault = |column: &str, value: &str, f: Fault| faults.push(RowError::new(row, column, value, f));
        let code = get("code").unwrap_or_default();
        if code.is_empty() {
            fault("code", "", Fault::new("required"));
        } else if let Some(first) = first_row.insert(code.clone(), row) {
            fault("code", &code, Fault::new("row_twice").with("first", first));
        }
        let mut number = |c: &str| match get(c) {
            None => None,
            Some(v) => match v.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    fault(c, &v, Fault::new("not_a_number"));
                    None
                }
            },
        };
        let (baseline, target, weight) = (number("baseline"), number("target"), number("weight"));
        let mut unit = |c: &str, v: &str| match UnitCode::parse(v) {
            Ok(u) => Some(u),
            Err(_) => {
                faults.push(RowError::new(row, c, v, Fault::new("not_a_unit_code")));
                None
            }
        };
        let responsible = get("responsible").and_then(|v| unit("responsible", &v));
        let cooperating: Vec<UnitCode> = get("cooperating")
            .map(|v| {
                v.split([',', ';', ' ']).filter(|c| !c.is_empty()).filter_map(|c| unit("cooperating", c)).collect()
            })
            .unwrap_or_default();
        let mut fault = |column: &str, value: &str, f: Fault| faults.push(RowError::new(row, column, value, f));
        let indicator = match get("indicator") {
            None => None,
            Some(v) => match Indicator::parse(&v) {
                Some(i) => Some(i),
                None => {
                    fault("indicator", &v, Fault::new("not_one_of").with("allowed", "count, percent, milestone"));
                    None
                }
            },
        };
        let direction = match get("direction") {
            None => Better::Higher,
            Some(v) => Better::parse(&v).unwrap_or_else(|| {
                fault("direction", &v, Fault::new("not_one_of").with("allowed", "higher, lower"));
                Better::Higher
            }),
        };
        let deadline = match get("deadline") {
            None => None,
            Some(v) => match crate::date::parse_written_date("deadline", &v) {
                Ok(d) => Some(d),
                Err(_) => {
                    fault("deadline", &v, Fault::new("not_a_date"));
                    None
                }
            },
        };
        let title = get("title").unwrap_or_default();
        if title.chars().count() > 1000 {
            fault("title", "", Fault::new("too_long").with("max", 1000));
        }
        items.push(Item {
            code,
            parent: get("parent"),
            title,
            responsible,
            cooperating,
            indicator,
            unit: get("unit"),
            baseline,
            target,
            direction,
            deadline,
            weight,
            carries_out: get("carries_out"),
        });
    }
    if faults.is_empty() { Ok(items) } else { Err(faults) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(code: &str) -> Item {
        Item {
            code: code.into(),
            title: format!("Admit 40 new members by {code}"),
            responsible: Some(UnitCode::parse("QN-KCQ").unwrap()),
            indicator: Some(Indicator::Count),
            baseline: Some(0.0),
            target: Some(40.0),
            deadline: Some(d("2025-12-31")),
            ..Default::default()
        }
    }

    fn lint_of(items: &[Item], parent: Option<&BTreeSet<String>>) -> Lint {
        let ok = |u: &UnitCode, _: NaiveDate| u.as_str().starts_with("QN-KCQ");
        let vague: Vec<String> =
            ["tăng cường", "nâng cao", "strengthen", "تعزيز"].iter().map(|w| w.to_string()).collect();
        lint(items, &Context { year: 2025, responsible_ok: &ok, parent_items: parent, vague_words: &vague })
    }

    #[test]
    fn an_amendment_changes_adds_or_withdraws_one_item() {
        let items = vec![item("1"), Item { parent: Some("1".into()), ..item("1.1") }, item("2")];
        let changed = Item { target: Some(50.0), ..item("2") };
        let (before, after) = amend(&items, "2", Some(changed.clone())).unwrap();
        assert_eq!(before, Some(item("2")));
        assert_eq!(after[2], changed);
        let (before, after) = amend(&items, "3", Some(item("3"))).unwrap();
        assert_eq!((before, after.len()), (None, 4));
        let (before, after) = amend(&items, "1.1", None).unwrap();
        assert_eq!((before.map(|b| b.code), after.len()), (Some("1.1".to_string()), 2));
        assert_eq!(amend(&items, "1", None).unwrap_err().code, "item_has_subitems");
        assert_eq!(amend(&items, "2", Some(item("2"))).unwrap_err().code, "invalid_amendment");
        assert_eq!(amend(&items, "2", Some(item("9"))).unwrap_err().code, "invalid_amendment");
        assert_eq!(amend(&items, "9", None).unwrap_err().code, "programme_item_not_found");
    }

    #[test]
    fn an_amended_item_takes_the_fields_given() {
        let changes: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"target": 55, "deadline": "2025-10-31", "unit": null}"#).unwrap();
        let it = amended_item(Some(&item("2")), "2", &changes).unwrap();
        assert_eq!(
            (it.target, it.deadline, it.unit, it.title),
            (Some(55.0), Some(d("2025-10-31")), None, item("2").title)
        );
        let fresh = amended_item(None, "9", &changes).unwrap();
        assert_eq!((fresh.code.as_str(), fresh.target, fresh.indicator), ("9", Some(55.0), None));
        let bad: serde_json::Map<String, serde_json::Value> = serde_json::from_str(r#"{"code": "x"}"#).unwrap();
        assert!(amended_item(Some(&item("2")), "2", &bad).unwrap_err().message.starts_with("code:"));
        let bad: serde_json::Map<String, serde_json::Value> = serde_json::from_str(r#"{"target": "many"}"#).unwrap();
        assert_eq!(amended_item(Some(&item("2")), "2", &bad).unwrap_err().code, "invalid_amendment");
    }

    #[test]
    fn items_before_later_amendments() {
        let items = vec![Item { target: Some(50.0), ..item("1") }, item("3")];
        let later = vec![
            (Some(item("1")), Some(Item { target: Some(50.0), ..item("1") })),
            (Some(item("2")), None),
            (None, Some(item("3"))),
        ];
        let then = before_amendments(&items, &later);
        assert_eq!(
            then.iter().map(|i| (i.code.as_str(), i.target)).collect::<Vec<_>>(),
            [("1", Some(40.0)), ("2", Some(40.0))]
        );
        assert_eq!(before_amendments(&items, &[]), items);
    }

    #[test]
    fn an_exported_programme_reads_back_the_same() {
        let items = vec![
            Item { weight: Some(2.5), cooperating: vec![UnitCode::parse("QN-B").unwrap()], ..item("1") },
            Item {
                parent: Some("1".into()),
                direction: Better::Lower,
                indicator: Some(Indicator::Percent),
                unit: Some("%".into()),
                carries_out: Some("P1".into()),
                ..item("1.1")
            },
            Item { indicator: Some(Indicator::Milestone), target: None, baseline: None, ..item("2") },
        ];
        for vietnamese in [false, true] {
            assert_eq!(read_items(&item_table(&items, vietnamese)).unwrap(), items, "vietnamese: {vietnamese}");
        }
        assert_eq!(item_table(&items, true)[0][0], "Mã");
    }

    #[test]
    fn the_roll_up_carries_counts_up_and_averages_where_there_is_no_programme() {
        use std::collections::HashMap;
        // 1 (no programme) ← 2 (programme: P1 count 40) ← 3, 4 (carry P1 out with 10 and 20); 5 under 1.
        let parents: HashMap<i64, i64> = [(2, 1), (3, 2), (4, 2), (5, 1)].into_iter().collect();
        let facts = |unit: i64, items: Vec<Item>, v: &[(&str, f64)]| ProgrammeFacts {
            unit,
            items,
            values: v.iter().map(|(k, x)| (k.to_string(), *x)).collect(),
        };
        let carrier = |target: f64| Item { carries_out: Some("P1".into()), target: Some(target), ..item("1") };
        let programmes = vec![
            facts(2, vec![item("P1")], &[("P1", 1.0)]),
            facts(3, vec![carrier(20.0)], &[("1", 10.0)]),
            facts(4, vec![carrier(20.0)], &[("1", 20.0)]),
            facts(5, vec![item("1")], &[]),
        ];
        let got = roll_up(&programmes, &parents, d("2025-06-30"));
        assert_eq!(
            got,
            [(1, (0.75 + 0.0) / 2.0, false), (2, 30.0 / 40.0, true), (3, 0.5, true), (4, 1.0, true), (5, 0.0, true)]
        );
    }

    fn fields(findings: &[Finding]) -> Vec<(&str, &str)> {
        findings.iter().map(|f| (f.item.as_str(), f.field)).collect()
    }

    #[test]
    fn a_file_is_read_by_the_interfaces_or_the_vietnamese_headings() {
        let cells =
            |rows: &[&[&str]]| rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect::<Vec<_>>();
        let file = cells(&[
            &[
                "Mã",
                "Nội dung",
                "Đơn vị chủ trì",
                "Loại chỉ tiêu",
                "Đơn vị tính",
                "Giá trị ban đầu",
                "Mục tiêu",
                "Thời hạn",
                "Trọng số",
            ],
            &["1", "Kết nạp 40 đảng viên", "QN-KCQ", "count", "đảng viên", "0", "40", "31/12/2025", "2"],
            &["2", "Tăng cường kiểm tra", "", "", "", "", "", "", ""],
        ]);
        let items = read_items(&file).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0].target, items[0].weight, items[0].deadline),
            (Some(40.0), Some(2.0), Some(d("2025-12-31")))
        );
        assert_eq!((items[1].responsible.as_ref(), items[1].indicator), (None, None), "empty cells are absent");
        let bad =
            cells(&[&["code", "title", "target", "indicator"], &["1", "x", "forty", "many"], &["1", "y", "", ""]]);
        let faults = read_items(&bad).unwrap_err();
        let at: Vec<(usize, &str, &str)> =
            faults.errors.iter().map(|e| (e.row, e.column.as_str(), e.fault.code)).collect();
        assert_eq!(at, [(2, "target", "not_a_number"), (2, "indicator", "not_one_of"), (3, "code", "row_twice")]);
    }

    #[test]
    fn next_years_items_fall_due_a_year_on() {
        let items = vec![Item { deadline: Some(d("2024-02-29")), ..item("1") }, Item { deadline: None, ..item("2") }];
        let next = next_year(&items);
        assert_eq!((next[0].deadline, next[1].deadline), (Some(d("2025-02-28")), None));
        assert_eq!(next[0].title, items[0].title);
    }

    #[test]
    fn a_countable_programme_passes() {
        let l = lint_of(&[item("1"), Item { parent: Some("1".into()), ..item("1.1") }], None);
        assert_eq!(l, Lint::default());
    }

    #[test]
    fn every_fault_is_named_by_item_and_column() {
        let items = vec![
            Item { responsible: None, ..item("a") },
            Item { responsible: Some(UnitCode::parse("QN-DN").unwrap()), ..item("b") },
            Item { indicator: None, ..item("c") },
            Item { target: None, ..item("d") },
            Item { deadline: None, ..item("e") },
            Item { deadline: Some(d("2026-01-31")), ..item("f") },
            Item { indicator: Some(Indicator::Percent), target: Some(120.0), ..item("g") },
            Item { baseline: Some(50.0), target: Some(40.0), ..item("h") },
            Item { weight: Some(0.0), ..item("i") },
            Item { carries_out: Some("X".into()), ..item("j") },
            Item { parent: Some("nope".into()), ..item("k") },
            item("a"),
        ];
        let l = lint_of(&items, Some(&BTreeSet::from(["P1".to_string()])));
        assert_eq!(
            fields(&l.errors),
            [
                ("a", "code"),
                ("a", "responsible"),
                ("b", "responsible"),
                ("c", "indicator"),
                ("d", "target"),
                ("e", "deadline"),
                ("f", "deadline"),
                ("g", "target"),
                ("h", "direction"),
                ("i", "weight"),
                ("j", "carries_out"),
                ("k", "parent"),
            ]
        );
        assert_eq!(l.errors[8].message, "higher is better, but the target 40 is below the baseline 50");
        // Lower is better: a target under the baseline is right.
        let fewer = Item { baseline: Some(50.0), target: Some(40.0), direction: Better::Lower, ..item("l") };
        assert!(lint_of(&[fewer], None).errors.is_empty());
    }

    #[test]
    fn vague_titles_are_warned_of_in_each_language_unless_counted() {
        let vague = |title: &str| Item { title: title.into(), ..item("v") };
        let l = lint_of(&[vague("Tăng cường công tác kiểm tra"), vague("Nâng cao chất lượng sinh hoạt chi bộ")], None);
        assert_eq!(fields(&l.warnings), [("v", "title"), ("v", "title")]);
        assert_eq!(
            l.warnings[0].message,
            "'tăng cường' is vague and the title has no number or date: say how much, by when"
        );
        assert!(lint_of(&[vague("tang cuong kiem tra 12 chi bo")], None).warnings.is_empty(), "a number counts it");
        assert_eq!(lint_of(&[vague("Strengthen discipline")], None).warnings.len(), 1);
        assert_eq!(lint_of(&[vague("تعزيز الانضباط")], None).warnings.len(), 1);
        assert!(lint_of(&[vague("Stronger cells")], None).warnings.is_empty(), "whole words only");
    }

    #[test]
    fn the_profiles_lexicon_holds_the_usual_vague_words() {
        let words = crate::profile::Profile::default_profile().plans.vague_words.all();
        for title in [
            "Tăng cường công tác kiểm tra",
            "Nâng cao năng lực",
            "Đẩy mạnh tuyên truyền",
            "Chú trọng phát triển đảng viên",
            "Báo cáo kịp thời",
            "Sinh hoạt thường xuyên",
            "Strengthen discipline",
            "Enhance the cells' work",
            "Improve reporting",
            "Promote the resolution",
            "تعزيز الانضباط",
            "تحسين العمل",
        ] {
            assert!(vague_word(title, &words).is_some(), "{title}");
        }
        assert!(vague_word("Kết nạp 40 đảng viên", &words).is_none());
    }

    #[test]
    fn achievement_goes_from_the_baseline_to_the_target_either_way() {
        let up = Item { baseline: Some(10.0), target: Some(30.0), ..item("u") };
        assert_eq!(achievement(&up, None), 0.0);
        assert_eq!(achievement(&up, Some(20.0)), 0.5);
        assert_eq!(achievement(&up, Some(40.0)), 1.0);
        assert_eq!(achievement(&up, Some(5.0)), 0.0);
        let down = Item { baseline: Some(10.0), target: Some(2.0), direction: Better::Lower, ..item("d") };
        assert_eq!(achievement(&down, Some(6.0)), 0.5);
        assert_eq!(achievement(&down, Some(1.0)), 1.0);
        let done = Item { indicator: Some(Indicator::Milestone), target: None, ..item("m") };
        assert_eq!((achievement(&done, Some(0.0)), achievement(&done, Some(1.0))), (0.0, 1.0));
        let keep =
            Item { indicator: Some(Indicator::Percent), baseline: Some(100.0), target: Some(100.0), ..item("k") };
        assert_eq!((achievement(&keep, Some(100.0)), achievement(&keep, Some(99.0))), (1.0, 0.0));
    }

    #[test]
    fn completion_weighs_top_items_and_parents_stand_at_their_subitems() {
        let items = vec![
            Item { weight: Some(3.0), indicator: None, ..item("1") },
            Item { parent: Some("1".into()), ..item("1.1") },
            Item { parent: Some("1".into()), weight: Some(3.0), ..item("1.2") },
            item("2"),
        ];
        let values = BTreeMap::from([("1.1".to_string(), 40.0), ("2".to_string(), 10.0)]);
        let (s, completion) = standings(&items, &values, &BTreeMap::new(), d("2025-06-30"));
        assert_eq!(s["1"].achievement, 0.25, "(1 × 1 + 3 × 0) / 4");
        assert_eq!(s["2"].achievement, 0.25);
        assert_eq!(completion, (3.0 * 0.25 + 0.25) / 4.0);
        assert!(!s["2"].overdue);
        let (s, _) = standings(&items, &values, &BTreeMap::new(), d("2026-01-01"));
        assert!(s["2"].overdue && !s["1.1"].overdue, "past the deadline and not done");
    }

    #[test]
    fn counts_carried_out_below_are_summed_up() {
        let carried = carried_up([
            ("P1".to_string(), Indicator::Count, Some(12.0)),
            ("P1".to_string(), Indicator::Count, Some(8.0)),
            ("P1".to_string(), Indicator::Percent, Some(90.0)),
            ("P2".to_string(), Indicator::Count, None),
        ]);
        assert_eq!(carried, BTreeMap::from([("P1".to_string(), 20.0), ("P2".to_string(), 0.0)]));
        let parent = Item { code: "P1".into(), ..item("P1") };
        let (s, completion) = standings(&[parent], &BTreeMap::new(), &carried, d("2025-06-30"));
        assert_eq!((s["P1"].value, s["P1"].achievement, completion), (Some(20.0), 0.5, 0.5));
    }
}
