//! Every value a page shows by its name in the reader's language, never by its code: the
//! profile's code lists (a member's sex, occupation, education…), statuses, categories, unit
//! kinds. A module that adds a code list adds its names here.

use super::i18n::Tr;
use orgwork_domain::codes::CodeList;
use orgwork_domain::fault::Fault;
use orgwork_domain::import::{COLUMNS, RowError, Vocabulary};
use orgwork_domain::members::Status;
use orgwork_domain::profile::Profile;
use orgwork_domain::structure::{Names, UnitCode};

/// A status by its name.
pub fn status_name(tr: Tr, status: &str) -> String {
    tr.t(&format!("status-{status}"))
}

/// A category of the profile by its name.
pub fn category_name(profile: &Profile, tr: Tr, id: &str) -> String {
    profile
        .members
        .categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| Names::from(c.name.clone()).get(tr.lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// A unit kind of the profile by its name.
pub fn kind_name(profile: &Profile, tr: Tr, kind: &str) -> String {
    profile.unit_kind(kind).map(|k| Names::from(k.name.clone()).get(tr.lang).to_string()).unwrap_or_else(|| kind.into())
}

/// A member field's value by its name, when the field has a code list (as written otherwise).
pub fn value_name(profile: &Profile, tr: Tr, field: &str, value: &str) -> String {
    match profile.members.code_list(field) {
        Some(list) => list.label(value, tr.lang).to_string(),
        None => value.to_string(),
    }
}

/// A code list's values as (code, name), for a form's choices.
pub fn choices(list: &CodeList, tr: Tr) -> Vec<(String, String)> {
    list.entries().iter().map(|e| (e.code.clone(), list.label(&e.code, tr.lang).to_string())).collect()
}

/// The choices of every code list of a member's record, for a form's selects.
pub struct Choices(Vec<(&'static str, Vec<(String, String)>)>);

impl Choices {
    pub fn of(profile: &Profile, tr: Tr) -> Choices {
        Choices(profile.members.code_lists().into_iter().map(|(f, l)| (f, choices(l, tr))).collect())
    }

    /// The (code, name) pairs of a field's list; none for a field without one.
    pub fn of_field(&self, field: &str) -> &[(String, String)] {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, c)| c.as_slice()).unwrap_or(&[])
    }
}

/// What the columns of a member file and the statuses are called in every language, for the
/// import to read an export written in any of them.
pub fn vocabulary() -> &'static Vocabulary {
    static WORDS: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = Vocabulary::default();
        for lang in super::i18n::LANGUAGES {
            let tr = Tr::new(lang);
            for c in COLUMNS {
                words.heading(&tr.t(&format!("column-{c}")), c);
            }
            for s in Status::ALL {
                words.status(&status_name(tr, s.as_str()), s);
            }
        }
        words
    })
}

/// A member file's column by its name.
pub fn column_name(tr: Tr, field: &str) -> String {
    let key = format!("column-{field}");
    if tr.has(&key) { tr.t(&key) } else { field.to_string() }
}

/// The heading row of a member file: the columns' codes, or their names in a language.
pub fn export_heading(tr: Option<Tr>) -> Vec<String> {
    COLUMNS.iter().map(|c| tr.map(|tr| column_name(tr, c)).unwrap_or_else(|| c.to_string())).collect()
}

/// A member file's row (`export_row`, in `COLUMNS` order) with its coded values by their names
/// in a language; the codes as they are without one. Either imports back unchanged.
pub fn export_values(profile: &Profile, tr: Option<Tr>, mut row: Vec<String>) -> Vec<String> {
    let Some(tr) = tr else { return row };
    for (i, c) in COLUMNS.iter().enumerate() {
        let Some(v) = row.get_mut(i).filter(|v| !v.is_empty()) else { continue };
        if *c == "status" {
            *v = status_name(tr, v);
        } else if profile.members.code_list(c).is_some() {
            *v = value_name(profile, tr, c, v);
        }
    }
    row
}

/// Units' names in the reader's language, each looked up once for a page (by code and day):
/// lists show a unit by its name, its code beside it.
pub struct UnitNames<'a> {
    store: &'a dyn orgwork_store::Store,
    tr: Tr,
    seen: std::collections::HashMap<(UnitCode, chrono::NaiveDate), String>,
}

impl<'a> UnitNames<'a> {
    pub fn new(store: &'a dyn orgwork_store::Store, tr: Tr) -> Self {
        UnitNames { store, tr, seen: std::collections::HashMap::new() }
    }

    /// Names already known (a page's list of children, read with the page): not read again.
    pub fn knowing(mut self, day: chrono::NaiveDate, known: impl IntoIterator<Item = (UnitCode, String)>) -> Self {
        for (code, name) in known {
            self.seen.insert((code, day), name);
        }
        self
    }

    /// The unit's name on the day (empty when it did not exist then).
    pub async fn name(&mut self, code: &UnitCode, day: chrono::NaiveDate) -> String {
        let key = (code.clone(), day);
        if let Some(n) = self.seen.get(&key) {
            return n.clone();
        }
        let name = match self.store.unit(code, day).await {
            Ok(u) => u.name.get(self.tr.lang).to_string(),
            Err(_) => String::new(),
        };
        self.seen.insert(key, name.clone());
        name
    }

    /// (name, code) of the unit on the day, for a list's cell.
    pub async fn pair(&mut self, code: &UnitCode, day: chrono::NaiveDate) -> (String, String) {
        (self.name(code, day).await, code.to_string())
    }

    /// (name, code) of the unit as it is named on `now`, or, ended since, as it was on `then`:
    /// a list of rows of many days looks each unit up once, not once a row.
    pub async fn pair_now_or(
        &mut self,
        code: &UnitCode,
        now: chrono::NaiveDate,
        then: chrono::NaiveDate,
    ) -> (String, String) {
        let name = self.name(code, now).await;
        if name.is_empty() { self.pair(code, then).await } else { (name, code.to_string()) }
    }
}

/// A restructuring's operation as a sentence of the reader's language, each unit by its name
/// (`name_of`: the unit's name in that language, when known) and code.
pub fn operation_text(
    profile: &Profile,
    tr: Tr,
    op: &orgwork_domain::restructure::Operation,
    name_of: &dyn Fn(&UnitCode) -> Option<String>,
) -> String {
    use orgwork_domain::restructure::Operation;
    let unit = |c: &UnitCode| match name_of(c) {
        Some(n) if !n.is_empty() => format!("{n} ({c})"),
        _ => c.to_string(),
    };
    let units = |v: &[UnitCode]| v.iter().map(unit).collect::<Vec<_>>().join(", ");
    match op {
        Operation::Create(o) => tr.targs(
            "op-create",
            &[
                ("unit", &format!("{} ({})", o.names.get(tr.lang), o.code)),
                ("kind", &kind_name(profile, tr, &o.kind)),
                ("parent", &unit(&o.parent)),
            ],
        ),
        Operation::Rename(o) => tr.targs("op-rename", &[("unit", &unit(&o.unit)), ("name", o.names.get(tr.lang))]),
        Operation::Move(o) => tr.targs("op-move", &[("unit", &unit(&o.unit)), ("parent", &unit(&o.parent))]),
        Operation::Merge(o) => tr.targs("op-merge", &[("units", &units(&o.units)), ("into", &unit(&o.into))]),
        Operation::Split(o) => {
            let parts: Vec<UnitCode> = o.parts.iter().map(|p| p.unit.clone()).collect();
            tr.targs("op-split", &[("unit", &unit(&o.unit)), ("parts", &units(&parts))])
        }
        Operation::Dissolve(o) => match &o.into {
            Some(into) => tr.targs("op-dissolve-into", &[("unit", &unit(&o.unit)), ("into", &unit(into))]),
            None => tr.targs("op-dissolve", &[("unit", &unit(&o.unit))]),
        },
    }
}

/// Why a value or a row is refused, in the reader's language (`fault-<code>`): dates written
/// the language's way, a code list's allowed values by their names. A code the locale lacks
/// is worded in English (a test keeps every code's key in every locale).
pub fn fault_text(profile: &Profile, tr: Tr, fault: &Fault, field: Option<&str>) -> String {
    let list = field.and_then(|f| profile.members.code_list(f));
    let allowed = |name: &str| match (name, list) {
        ("allowed", Some(list)) => {
            Some(list.entries().iter().map(|e| list.label(&e.code, tr.lang)).collect::<Vec<_>>().join(", "))
        }
        _ => None,
    };
    word_fault(tr, fault, allowed)
}

/// A fault in the reader's language, without a code list to name its allowed values by.
pub fn fault_words(tr: Tr, fault: &Fault) -> String {
    word_fault(tr, fault, |_| None)
}

/// Words a fault (`fault-<code>`), each value shown the reader's way: as `shown` gives it, an
/// operation by its name (`op`), another error by its words (`error`), a date as the
/// language writes it.
fn word_fault(tr: Tr, fault: &Fault, shown: impl Fn(&str) -> Option<String>) -> String {
    let key = format!("fault-{}", fault.code);
    if !tr.has(&key) {
        return fault.english();
    }
    let args: Vec<(&str, String)> = fault
        .args
        .iter()
        .map(|(name, value)| {
            let words = shown(name).unwrap_or_else(|| match *name {
                "op" => tr.t(&format!("op-name-{value}")),
                "error" => tr.error(value).unwrap_or_else(|| tr.t("error-bad-request")),
                _ => match orgwork_domain::date::parse_written_date(name, value) {
                    Ok(d) => tr.date(d),
                    Err(_) => value.clone(),
                },
            });
            (*name, words)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    tr.targs(&key, &pairs)
}

/// An import fault as a page shows it: the column by its name when the file named it by its
/// code (or did not name it), the reason in the reader's language.
pub struct FaultRow {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

pub fn fault_row(profile: &Profile, tr: Tr, e: &RowError) -> FaultRow {
    let column = match e.field {
        Some(f) if e.column.is_empty() || e.column == f => column_name(tr, f),
        _ => e.column.clone(),
    };
    FaultRow { row: e.row, column, value: e.value.clone(), reason: fault_text(profile, tr, &e.fault, e.field) }
}

/// "N probationary members past their probation" (or "more than N"), when there are any.
pub fn past_probation(tr: Tr, past: orgwork_store::Tally) -> Option<String> {
    match past {
        orgwork_store::Tally { count: 0, .. } => None,
        orgwork_store::Tally { count, more: true } => Some(tr.tn("probation-over-more", count as usize)),
        orgwork_store::Tally { count, more: false } => Some(tr.tn("probation-over", count as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_or_operation_fault_is_said_in_the_readers_language() {
        use orgwork_domain::restructure::{draft_from_mapping, mapping_rows};
        let cells =
            |rows: &[&[&str]]| rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect::<Vec<_>>();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        let rows = mapping_rows(&cells(&[&["from", "to"], &["A", "B"], &["A", "C"]])).unwrap();
        let e = crate::error::ApiError::from(draft_from_mapping("t", day, None, &rows).unwrap_err());
        assert_eq!(e.message, "row 3, column from ('A'): unit A is already mapped on row 2", "the API's English");
        let vi = super::super::error_text(Tr::new("vi"), &e);
        assert!(vi.ends_with(": dòng 3, cột from («A»): tổ chức A đã được kê ở dòng 2"), "{vi}");
        let ar = super::super::error_text(Tr::new("ar"), &e);
        assert!(ar.contains("السطر 3، العمود from («A»)"), "{ar}");
        // A bad code inside a row is said by that error's own words.
        let rows = mapping_rows(&cells(&[&["from", "to"], &["A", "b c"]])).unwrap();
        let e = crate::error::ApiError::from(draft_from_mapping("t", day, None, &rows).unwrap_err());
        let vi = super::super::error_text(Tr::new("vi"), &e);
        assert!(vi.contains("dòng 2, cột to («b c»): ") && !vi.contains("is not"), "{vi}");
        // An operation's fault names the operation in the reader's words.
        let toml =
            "title = \"t\"\neffective = \"2025-07-01\"\n[[operations]]\nop = \"move\"\nunit = \"A\"\nparent = \"A\"\n";
        let e = crate::error::ApiError::from(orgwork_domain::restructure::Draft::from_toml(toml).unwrap_err());
        assert_eq!(e.message, "operation 1 (move): unit A cannot be its own parent");
        let vi = super::super::error_text(Tr::new("vi"), &e);
        assert!(vi.ends_with("thao tác 1 (chuyển): tổ chức A không thể trực thuộc chính nó"), "{vi}");
    }

    #[test]
    fn every_fault_has_its_wording_in_every_language() {
        for lang in super::super::i18n::LANGUAGES {
            let tr = Tr::new(lang);
            for (code, _) in orgwork_domain::fault::ENGLISH {
                let key = format!("fault-{code}");
                assert_ne!(tr.t(&key), key, "{lang} lacks {key}");
            }
            for c in COLUMNS {
                assert_ne!(column_name(tr, c), c, "{lang} lacks column-{c}");
            }
        }
    }

    #[test]
    fn a_fault_is_worded_in_the_readers_language() {
        let p = Profile::default_profile();
        let f = Fault::new("not_one_of").with("allowed", "male, female");
        assert_eq!(fault_text(&p, Tr::new("vi"), &f, Some("sex")), "không phải một trong: Nam, Nữ");
        let f = Fault::new("under_18").with("born", "2010-05-01");
        assert!(fault_text(&p, Tr::new("vi"), &f, None).contains("01/05/2010"));
        assert_eq!(fault_text(&p, Tr::new("en"), &Fault::new("no_such_day"), None), "is a day that does not exist");
    }

    #[test]
    fn every_rule_and_operation_is_said_in_every_language() {
        use orgwork_domain::restructure::Rule;
        for lang in super::super::i18n::LANGUAGES {
            let tr = Tr::new(lang);
            for rule in Rule::ALL {
                for key in [format!("rule-{}", rule.as_str()), format!("failure-{}", rule.as_str())] {
                    assert_ne!(tr.t(&key), key, "{lang} lacks {key}");
                }
            }
            for op in ["create", "rename", "move", "merge", "split", "dissolve-into", "dissolve"] {
                let key = format!("op-{op}");
                assert_ne!(tr.t(&key), key, "{lang} lacks {key}");
            }
        }
    }

    #[test]
    fn no_word_of_the_vocabulary_means_two_things() {
        assert_eq!(vocabulary().conflicts(), Vec::<String>::new());
    }

    #[test]
    fn an_export_in_each_language_imports_back_unchanged() {
        use orgwork_domain::import::{export_row, read_rows_in};
        use orgwork_domain::members::{Record, RecordInput};
        let profile = Profile::default_profile();
        let input = RecordInput {
            full_name: "Nguyễn Thị Hoa".into(),
            sex: "female".into(),
            birth_date: "1990-04-30".into(),
            admitted_on: "2015-05-19".into(),
            official_on: Some("2016-05-19".into()),
            occupation: Some("public_employee".into()),
            education: Some("master".into()),
            theory_level: Some("intermediate".into()),
            ethnicity: Some("Tày".into()),
            ..Default::default()
        };
        let record = Record::parse(&profile.members, &input).unwrap();
        for lang in super::super::i18n::LANGUAGES {
            let tr = Some(Tr::new(lang));
            let row = export_values(&profile, tr, export_row(&record, Some(Status::Official), "QN-BAO"));
            assert!(!row.contains(&"public_employee".to_string()), "{lang}: {row:?}");
            let back = read_rows_in(&profile, vocabulary(), &[export_heading(tr), row.clone()])
                .unwrap_or_else(|f| panic!("{lang}: {:?} {row:?}", f.errors));
            assert_eq!(back[0].record, record, "{lang}");
            assert_eq!(back[0].status, Some(Status::Official), "{lang}");
        }
    }
}
