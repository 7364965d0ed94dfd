//! Members: the person and party record, its checks, the statuses, and the categories that
//! the profile's rules compute from the record (never typed in).
//!
//! A member's contribution to the counts is a set of intervals: for each day they belong to a
//! unit, they count in `total`, in their status, and in each category that holds that day.
//! `contributions` computes these intervals; the store turns them into its count ledger.

use crate::codes::{Code, CodeList};
use crate::date::parse_date;
use crate::fault::Fault;
use crate::profile::{MemberRules, Profile};
use crate::{Error, Result};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The fields a category rule may test.
pub const CATEGORY_FIELDS: [&str; 6] = ["sex", "ethnicity", "religion", "occupation", "education", "theory_level"];

/// A member's party status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Probationary,
    Official,
    TransferredOut,
    Deceased,
    Expelled,
    Removed,
    Resigned,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Probationary,
        Status::Official,
        Status::TransferredOut,
        Status::Deceased,
        Status::Expelled,
        Status::Removed,
        Status::Resigned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Probationary => "probationary",
            Status::Official => "official",
            Status::TransferredOut => "transferred_out",
            Status::Deceased => "deceased",
            Status::Expelled => "expelled",
            Status::Removed => "removed",
            Status::Resigned => "resigned",
        }
    }

    pub fn parse(value: &str) -> Result<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == value.trim()).ok_or_else(|| {
            Error::invalid(
                "invalid_status",
                format!(
                    "status: '{value}' is not a status ({})",
                    Status::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// Does a member with this status still belong to a unit (and count)?
    pub fn is_member(self) -> bool {
        matches!(self, Status::Probationary | Status::Official)
    }
}

/// A member's record as typed (every field text), before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    pub full_name: String,
    #[serde(default)]
    pub other_names: Option<String>,
    pub sex: String,
    pub birth_date: String,
    #[serde(default)]
    pub ethnicity: Option<String>,
    #[serde(default)]
    pub religion: Option<String>,
    #[serde(default)]
    pub hometown: Option<String>,
    #[serde(default)]
    pub national_id: Option<String>,
    #[serde(default)]
    pub education: Option<String>,
    #[serde(default)]
    pub theory_level: Option<String>,
    #[serde(default)]
    pub occupation: Option<String>,
    #[serde(default)]
    pub workplace: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The day admitted to the party (probationary).
    pub admitted_on: String,
    /// The day made official, if already.
    #[serde(default)]
    pub official_on: Option<String>,
    #[serde(default)]
    pub card_number: Option<String>,
    /// The personal-record number (số lý lịch): kept as issued, never used as a key.
    #[serde(default)]
    pub record_number: Option<String>,
}

impl From<&Record> for RecordInput {
    /// A checked record as input again, to change some of its fields and check it anew.
    fn from(r: &Record) -> RecordInput {
        RecordInput {
            full_name: r.full_name.clone(),
            other_names: r.other_names.clone(),
            sex: r.sex.to_string(),
            birth_date: r.birth_date.to_string(),
            ethnicity: r.ethnicity.clone(),
            religion: r.religion.clone(),
            hometown: r.hometown.clone(),
            national_id: r.national_id.clone(),
            education: r.education.as_deref().map(str::to_string),
            theory_level: r.theory_level.as_deref().map(str::to_string),
            occupation: r.occupation.as_deref().map(str::to_string),
            workplace: r.workplace.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            admitted_on: r.admitted_on.to_string(),
            official_on: r.official_on.map(|d| d.to_string()),
            card_number: r.card_number.clone(),
            record_number: r.record_number.clone(),
        }
    }
}

impl RecordInput {
    /// Sets the field of this name (as the API, the forms and the files name it) to `value`;
    /// a required field is set to the empty text by `None`. False for a name that is no field.
    pub fn set(&mut self, field: &str, value: Option<String>) -> bool {
        let required = |v: Option<String>| v.unwrap_or_default();
        match field {
            "full_name" => self.full_name = required(value),
            "sex" => self.sex = required(value),
            "birth_date" => self.birth_date = required(value),
            "admitted_on" => self.admitted_on = required(value),
            "other_names" => self.other_names = value,
            "ethnicity" => self.ethnicity = value,
            "religion" => self.religion = value,
            "hometown" => self.hometown = value,
            "national_id" => self.national_id = value,
            "education" => self.education = value,
            "theory_level" => self.theory_level = value,
            "occupation" => self.occupation = value,
            "workplace" => self.workplace = value,
            "phone" => self.phone = value,
            "email" => self.email = value,
            "official_on" => self.official_on = value,
            "card_number" => self.card_number = value,
            "record_number" => self.record_number = value,
            _ => return false,
        }
        true
    }

    /// The input with the fields named set from `value` (a form's fields, a command's flags).
    pub fn with(mut self, fields: &[&str], value: impl Fn(&str) -> Option<String>) -> RecordInput {
        for f in fields {
            let known = self.set(f, value(f));
            debug_assert!(known, "{f} is a field of the record");
        }
        self
    }
}

/// A checked member record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct Record {
    pub full_name: String,
    pub other_names: Option<String>,
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub sex: Code,
    pub birth_date: NaiveDate,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub hometown: Option<String>,
    pub national_id: Option<String>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub education: Option<Code>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub theory_level: Option<Code>,
    #[cfg_attr(feature = "schemas", schema(value_type = Option<String>))]
    pub occupation: Option<Code>,
    pub workplace: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub admitted_on: NaiveDate,
    pub official_on: Option<NaiveDate>,
    pub card_number: Option<String>,
    pub record_number: Option<String>,
}

/// One field that does not pass, with its value and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub value: String,
    /// Why, in English.
    pub reason: String,
    /// Why, for a page to word in its language.
    #[serde(skip)]
    pub fault: Fault,
}

impl FieldError {
    pub fn new(field: &str, value: &str, fault: Fault) -> FieldError {
        FieldError { field: field.into(), value: value.into(), reason: fault.english(), fault }
    }
}

/// Turns field errors into one domain error naming each.
pub fn field_errors(errors: &[FieldError]) -> Error {
    let list: Vec<String> = errors.iter().map(|e| format!("{}: '{}' {}", e.field, e.value, e.reason)).collect();
    Error::invalid("invalid_member", list.join("; "))
}

fn text(field: &str, value: Option<&str>, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = crate::text::nfc(value.unwrap_or("").trim());
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.push(FieldError::new(field, &v, Fault::new("too_long").with("max", max)));
        return None;
    }
    Some(v)
}

/// The code a value means in its list (the code itself, or any name or synonym of it); any
/// text when the list is empty.
fn one_of(field: &str, value: Option<&str>, allowed: &CodeList, errors: &mut Vec<FieldError>) -> Option<Code> {
    let v = value.unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    if allowed.is_empty() {
        // A profile without the list takes any value, as written.
        return Some(Code::from_stored(v));
    }
    match allowed.resolve(v) {
        Some(e) => Some(Code::from_stored(e.code.clone())),
        None => {
            let codes = allowed.codes().collect::<Vec<_>>().join(", ");
            errors.push(FieldError::new(field, v, Fault::new("not_one_of").with("allowed", codes)));
            None
        }
    }
}

fn date(field: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    match parse_date(field, value) {
        Ok(d) => Some(d),
        Err(_) => {
            // Written as a date, but of a day that is not in the calendar (31 February).
            let shaped = value.len() == 10
                && value
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
            let fault = if shaped { Fault::new("no_such_day") } else { Fault::new("not_a_date") };
            errors.push(FieldError::new(field, value, fault));
            None
        }
    }
}

fn digits(
    field: &str,
    value: Option<&str>,
    lens: std::ops::RangeInclusive<usize>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value.unwrap_or("").trim();
    if v.is_empty() {
        return None;
    }
    if !lens.contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError::new(
            field,
            v,
            Fault::new("not_digits").with("min", lens.start()).with("max", lens.end()),
        ));
        return None;
    }
    Some(v.to_string())
}

/// The date a person turns `years` old.
pub fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    birth.checked_add_months(Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

/// The day a probation begun on `admitted_on` ends: `months` later.
pub fn probation_end(admitted_on: NaiveDate, months: u32) -> NaiveDate {
    admitted_on.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The day the probation ended, when a member still probationary on `day` is past it (due
/// to be made official, or their case decided); `None` otherwise.
pub fn probation_overdue(
    status: Option<Status>,
    admitted_on: NaiveDate,
    months: u32,
    day: NaiveDate,
) -> Option<NaiveDate> {
    let end = probation_end(admitted_on, months);
    (status == Some(Status::Probationary) && day >= end).then_some(end)
}

/// A badge of party age: its years, and the day it falls due.
pub type Badge = (u32, NaiveDate);

/// The badges of party age reached by `day`, and the next one due.
pub fn badges_on(badges: &[Badge], day: NaiveDate) -> (Vec<Badge>, Option<Badge>) {
    let reached = badges.iter().copied().filter(|(_, due)| *due <= day).collect();
    let next = badges.iter().copied().filter(|(_, due)| *due > day).min_by_key(|(_, due)| *due);
    (reached, next)
}

impl Record {
    /// Checks every field against the profile; all the faults at once, each named.
    pub fn parse(rules: &MemberRules, input: &RecordInput) -> std::result::Result<Record, Vec<FieldError>> {
        let mut e = vec![];
        let full_name = text("full_name", Some(&input.full_name), 200, &mut e);
        if full_name.is_none() && !e.iter().any(|f| f.field == "full_name") {
            e.push(FieldError::new("full_name", "", Fault::new("required")));
        }
        let sex = one_of("sex", Some(&input.sex), &rules.sex, &mut e);
        if sex.is_none() && !e.iter().any(|f| f.field == "sex") {
            let codes = rules.sex.codes().collect::<Vec<_>>().join(", ");
            e.push(FieldError::new("sex", "", Fault::new("required_one_of").with("allowed", codes)));
        }
        let birth_date = date("birth_date", &input.birth_date, &mut e);
        let admitted_on = date("admitted_on", &input.admitted_on, &mut e);
        let official_on =
            input.official_on.as_deref().filter(|v| !v.trim().is_empty()).and_then(|v| date("official_on", v, &mut e));
        let record = Record {
            full_name: full_name.unwrap_or_default(),
            other_names: text("other_names", input.other_names.as_deref(), 200, &mut e),
            sex: sex.unwrap_or_default(),
            birth_date: birth_date.unwrap_or_default(),
            ethnicity: text("ethnicity", input.ethnicity.as_deref(), 60, &mut e),
            religion: text("religion", input.religion.as_deref(), 60, &mut e),
            hometown: text("hometown", input.hometown.as_deref(), 200, &mut e),
            national_id: digits("national_id", input.national_id.as_deref(), 9..=12, &mut e),
            education: one_of("education", input.education.as_deref(), &rules.education, &mut e),
            theory_level: one_of("theory_level", input.theory_level.as_deref(), &rules.theory_level, &mut e),
            occupation: one_of("occupation", input.occupation.as_deref(), &rules.occupation, &mut e),
            workplace: text("workplace", input.workplace.as_deref(), 200, &mut e),
            phone: text("phone", input.phone.as_deref(), 30, &mut e),
            email: text("email", input.email.as_deref(), 200, &mut e),
            admitted_on: admitted_on.unwrap_or_default(),
            official_on,
            card_number: digits("card_number", input.card_number.as_deref(), 6..=12, &mut e),
            record_number: text("record_number", input.record_number.as_deref(), 40, &mut e),
        };
        if let Some(email) = &record.email
            && (!email.contains('@') || email.contains(' '))
        {
            e.push(FieldError::new("email", email, Fault::new("not_an_email")));
        }
        if let (Some(b), Some(a)) = (birth_date, admitted_on) {
            if a < birthday(b, 18) {
                e.push(FieldError::new("admitted_on", &a.to_string(), Fault::new("under_18").with("born", b)));
            }
            if b.year() < 1890 {
                e.push(FieldError::new("birth_date", &b.to_string(), Fault::new("implausible_birth")));
            }
        }
        if let (Some(a), Some(o)) = (admitted_on, official_on)
            && o <= a
        {
            e.push(FieldError::new(
                "official_on",
                &o.to_string(),
                Fault::new("official_not_after").with("admitted", a),
            ));
        }
        if e.is_empty() { Ok(record) } else { Err(e) }
    }

    fn field(&self, name: &str) -> Option<&str> {
        match name {
            "sex" => Some(&self.sex),
            "ethnicity" => self.ethnicity.as_deref(),
            "religion" => self.religion.as_deref(),
            "occupation" => self.occupation.as_deref(),
            "education" => self.education.as_deref(),
            "theory_level" => self.theory_level.as_deref(),
            _ => None,
        }
    }

    /// The intervals during which each category of the profile holds for this record
    /// (`None` bounds are open). A record's fields are as they are now; a change of occupation
    /// is recorded from its date by the store.
    pub fn category_intervals(&self, profile: &Profile) -> Vec<(String, Option<NaiveDate>, Option<NaiveDate>)> {
        let mut out = vec![];
        for c in &profile.members.categories {
            if let Some(age) = c.age_under {
                out.push((c.id.clone(), None, Some(birthday(self.birth_date, age))));
                continue;
            }
            let Some(field) = &c.field else { continue };
            let value = self.field(field).unwrap_or("");
            let holds = match (&c.field_in, &c.field_not_in) {
                (Some(list), _) => list.iter().any(|v| v == value),
                // An unknown value is not "another value": only a recorded one counts.
                (None, Some(list)) => !value.is_empty() && !list.iter().any(|v| v == value),
                (None, None) => false,
            };
            if holds {
                out.push((c.id.clone(), None, None));
            }
        }
        out
    }

    /// The categories that hold on `day`.
    pub fn categories_on(&self, profile: &Profile, day: NaiveDate) -> Vec<String> {
        self.category_intervals(profile)
            .into_iter()
            .filter(|(_, from, to)| from.is_none_or(|f| f <= day) && to.is_none_or(|t| day < t))
            .map(|(id, _, _)| id)
            .collect()
    }

    /// The badges of party age and the day each falls due (party age counts from admission).
    pub fn badges(&self, profile: &Profile) -> Vec<(u32, NaiveDate)> {
        profile.members.badge_years.iter().map(|y| (*y, birthday(self.admitted_on, *y))).collect()
    }
}

/// A half-open interval of days, `to = None` for open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Span {
    fn intersect(self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<Span> {
        let f = from.map_or(self.from, |f| f.max(self.from));
        let t = match (self.to, to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        t.is_none_or(|t| f < t).then_some(Span { from: f, to: t })
    }
}

/// What one member adds to the counts of one unit (and, through the tree, its ancestors):
/// `key` ("total", "status:official", "category:young"…) during `span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub unit_id: i64,
    pub key: String,
    pub span: Span,
}

/// The contributions of a member: for each membership interval, `total`, the status that
/// holds, and each category that holds, all clipped to the interval.
pub fn contributions(
    profile: &Profile,
    record: &Record,
    memberships: &[(i64, Span)],
    statuses: &[(Status, Span)],
) -> Vec<Contribution> {
    let categories = record.category_intervals(profile);
    let mut out = vec![];
    for (unit_id, m) in memberships {
        out.push(Contribution { unit_id: *unit_id, key: "total".into(), span: *m });
        for (status, s) in statuses.iter().filter(|(s, _)| s.is_member()) {
            if let Some(span) = m.intersect(Some(s.from), s.to) {
                out.push(Contribution { unit_id: *unit_id, key: format!("status:{}", status.as_str()), span });
            }
        }
        for (id, from, to) in &categories {
            if let Some(span) = m.intersect(*from, *to) {
                out.push(Contribution { unit_id: *unit_id, key: format!("category:{id}"), span });
            }
        }
    }
    out
}

/// Checks a status change: a date and, for a change to a status that ends membership, that
/// the member still belongs.
pub fn check_status_change(current: Status, current_since: NaiveDate, next: Status, on: NaiveDate) -> Result<()> {
    if !current.is_member() {
        return Err(Error::rule(
            "not_a_member",
            format!("status: the member is {} since {current_since}; no further status change", current.as_str()),
        ));
    }
    if next == current {
        return Err(Error::rule("no_change", format!("status: the member is {} already", next.as_str())));
    }
    if next == Status::Probationary {
        return Err(Error::rule("invalid_status_change", "status: a member cannot go back to probationary"));
    }
    if next == Status::TransferredOut {
        return Err(Error::rule(
            "invalid_status_change",
            "status: transfers out of the organization go through a transfer",
        ));
    }
    if on <= current_since {
        return Err(Error::rule(
            "date_not_after_last_change",
            format!("effective: the status changed on {current_since}; a new change must be dated after it, not {on}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_as_input_again_parses_to_itself_and_fields_are_set_by_name() {
        let p = crate::profile::Profile::default_profile();
        let r = Record::parse(&p.members, &input()).unwrap();
        assert_eq!(Record::parse(&p.members, &RecordInput::from(&r)).unwrap(), r);
        let changed = RecordInput::from(&r).with(&["hometown", "phone"], |f| (f == "hometown").then(|| "Huế".into()));
        assert_eq!((changed.hometown.as_deref(), changed.phone), (Some("Huế"), None));
        assert!(!RecordInput::default().set("no_such_field", None));
    }

    fn input() -> RecordInput {
        RecordInput {
            full_name: "Bùi Thụy Anh".into(),
            sex: "female".into(),
            birth_date: "1998-05-20".into(),
            admitted_on: "2020-03-01".into(),
            ethnicity: Some("Tày".into()),
            occupation: Some("student".into()),
            ..Default::default()
        }
    }

    fn d(s: &str) -> NaiveDate {
        parse_date("d", s).unwrap()
    }

    #[test]
    fn a_good_record_parses() {
        let p = Profile::default_profile();
        let r = Record::parse(&p.members, &input()).unwrap();
        assert_eq!(r.full_name, "Bùi Thụy Anh");
        assert_eq!(r.admitted_on, d("2020-03-01"));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let p = Profile::default_profile();
        let mut i = input();
        i.sex = "x".into();
        i.birth_date = "20/05/1998".into();
        i.education = Some("kindergarten".into());
        i.national_id = Some("12AB".into());
        let errors = Record::parse(&p.members, &i).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["sex", "birth_date", "national_id", "education"]);
        assert_eq!(errors[0].value, "x");
    }

    #[test]
    fn admission_needs_age_18_and_official_after_admission() {
        let p = Profile::default_profile();
        let mut i = input();
        i.admitted_on = "2015-01-01".into();
        i.official_on = Some("2014-01-01".into());
        let errors = Record::parse(&p.members, &i).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "admitted_on" && e.reason.contains("18")));
        assert!(errors.iter().any(|e| e.field == "official_on"));
    }

    #[test]
    fn categories_follow_the_profile_and_age() {
        let p = Profile::default_profile();
        let r = Record::parse(&p.members, &input()).unwrap();
        let mut on = r.categories_on(&p, d("2024-01-01"));
        on.sort();
        assert_eq!(on, ["ethnic_minority", "female", "student", "young"]);
        assert!(!r.categories_on(&p, d("2028-05-20")).contains(&"young".to_string()), "30 on 2028-05-20");
        assert!(r.categories_on(&p, d("2028-05-19")).contains(&"young".to_string()));
        assert_eq!(r.badges(&p)[0], (30, d("2050-03-01")));
        let (reached, next) =
            badges_on(&[(30, d("2020-03-01")), (40, d("2030-03-01")), (45, d("2035-03-01"))], d("2026-12-07"));
        assert_eq!((reached, next), (vec![(30, d("2020-03-01"))], Some((40, d("2030-03-01")))));
        assert_eq!(badges_on(&[(30, d("2020-03-01"))], d("2026-12-07")).1, None, "all reached");
    }

    #[test]
    fn contributions_clip_categories_and_statuses_to_membership() {
        let p = Profile::default_profile();
        let r = Record::parse(&p.members, &input()).unwrap();
        let m = [(7, Span { from: d("2020-03-01"), to: Some(d("2026-01-01")) })];
        let s = [
            (Status::Probationary, Span { from: d("2020-03-01"), to: Some(d("2021-03-01")) }),
            (Status::Official, Span { from: d("2021-03-01"), to: None }),
        ];
        let c = contributions(&p, &r, &m, &s);
        let young = c.iter().find(|c| c.key == "category:young").unwrap();
        assert_eq!(young.span, Span { from: d("2020-03-01"), to: Some(d("2026-01-01")) });
        let official = c.iter().find(|c| c.key == "status:official").unwrap();
        assert_eq!(official.span.to, Some(d("2026-01-01")));
        assert!(c.iter().any(|c| c.key == "total"));
    }

    #[test]
    fn status_changes_are_checked() {
        let since = d("2020-01-01");
        assert!(check_status_change(Status::Probationary, since, Status::Official, d("2021-01-01")).is_ok());
        assert_eq!(
            check_status_change(Status::Deceased, since, Status::Official, d("2021-01-01")).unwrap_err().code,
            "not_a_member"
        );
        assert_eq!(
            check_status_change(Status::Official, since, Status::Official, d("2021-01-01")).unwrap_err().code,
            "no_change"
        );
        assert_eq!(
            check_status_change(Status::Official, since, Status::Deceased, d("2019-01-01")).unwrap_err().code,
            "date_not_after_last_change"
        );
    }

    #[test]
    fn probation_past_its_end_is_flagged() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(probation_end(d("2024-03-31"), 12), d("2025-03-31"));
        assert_eq!(
            probation_overdue(Some(Status::Probationary), d("2024-03-01"), 12, d("2026-12-07")),
            Some(d("2025-03-01"))
        );
        assert_eq!(
            probation_overdue(Some(Status::Probationary), d("2024-03-01"), 12, d("2025-02-28")),
            None,
            "still on probation"
        );
        assert_eq!(
            probation_overdue(Some(Status::Probationary), d("2024-03-01"), 12, d("2025-03-01")),
            Some(d("2025-03-01"))
        );
        assert_eq!(probation_overdue(Some(Status::Official), d("2024-03-01"), 12, d("2026-12-07")), None);
    }
}
