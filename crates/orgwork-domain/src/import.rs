//! Reading member rows brought from other offices: the column headings (the export's own, or
//! the common Vietnamese ones, matched without regard to case and diacritics), the values
//! (dates as YYYY-MM-DD or DD/MM/YYYY, "Nam"/"Nữ"), and every fault named by row, column and
//! value. Pure: the caller reads the file (CSV or XLSX) into rows of text.

use crate::date::normal_date;
use crate::fault::Fault;
use crate::members::{FieldError, Record, RecordInput, Status};
use crate::profile::Profile;
use crate::structure::UnitCode;
use crate::text::fold;
use serde::Serialize;

/// The export's columns, in order; an export imports back unchanged.
pub const COLUMNS: [&str; 15] = [
    "card_number",
    "national_id",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "occupation",
    "education",
    "theory_level",
    "admitted_on",
    "official_on",
    "status",
    "unit",
];

/// Common Vietnamese headings and the field each means.
const VIETNAMESE: [(&str, &str); 12] = [
    ("ho va ten", "full_name"),
    ("ngay sinh", "birth_date"),
    ("gioi tinh", "sex"),
    ("dan toc", "ethnicity"),
    ("ton giao", "religion"),
    ("que quan", "hometown"),
    ("nghe nghiep", "occupation"),
    ("ngay vao dang", "admitted_on"),
    ("ngay chinh thuc", "official_on"),
    ("so the dang vien", "card_number"),
    ("so cccd", "national_id"),
    ("chi bo", "unit"),
];

/// One fault of an import: the row (as a spreadsheet numbers it, the heading being row 1),
/// the column's heading as written, the value, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(utoipa::ToSchema))]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub value: String,
    /// Why, in English.
    pub reason: String,
    /// Why, as a stable code (`required`, `no_such_day`, `not_one_of`…).
    #[serde(rename = "code", serialize_with = "fault_code")]
    #[cfg_attr(feature = "schemas", schema(value_type = String))]
    pub fault: Fault,
    /// The field the column is for (one of `COLUMNS`), when it is one.
    #[serde(skip)]
    pub field: Option<&'static str>,
}

fn fault_code<S: serde::Serializer>(f: &Fault, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.code)
}

impl RowError {
    pub fn new(row: usize, column: impl Into<String>, value: impl Into<String>, fault: Fault) -> RowError {
        let column = column.into();
        let field = COLUMNS.iter().copied().find(|c| *c == column);
        RowError { row, column, value: value.into(), reason: fault.english(), fault, field }
    }

    /// The error, knowing the field its column is for.
    pub fn of_field(mut self, field: Option<&'static str>) -> RowError {
        self.field = field.or(self.field);
        self
    }
}

/// The most faults an import's report lists: a file of millions of bad rows is answered with
/// its first faults and their total count, not with a report as large as the file.
pub const MAX_FAULTS: usize = 1000;

/// The faults of a file: the first `MAX_FAULTS` of them and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    pub errors: Vec<RowError>,
    pub total: usize,
}

impl Faults {
    pub fn push(&mut self, e: RowError) {
        self.total += 1;
        if self.errors.len() < MAX_FAULTS {
            self.errors.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// A good row: the record, the unit (from its column, or the default), the status if given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub row: usize,
    pub record: Record,
    pub unit: Option<UnitCode>,
    pub status: Option<Status>,
}

/// The words of the readers' languages beside the codes: what each column's heading and each
/// status are called. The web crate fills it from its locale files (so that an export written
/// in a language imports back); empty, only the codes and the common Vietnamese headings are
/// read.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    headings: Vec<(String, &'static str)>,
    statuses: Vec<(String, Status)>,
}

/// A heading or value as compared: folded, with `_`, `-`, `.` and runs of spaces as one space.
fn key(text: &str) -> String {
    let h = fold(text.trim().trim_start_matches('\u{feff}')).replace(['_', '-', '.'], " ");
    h.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Vocabulary {
    /// `word` is a heading of the column `field` (one of `COLUMNS`).
    pub fn heading(&mut self, word: &str, field: &'static str) {
        self.headings.push((key(word), field));
    }

    /// `word` is a name of the status.
    pub fn status(&mut self, word: &str, status: Status) {
        self.statuses.push((key(word), status));
    }

    /// Words that mean two things (a heading of two columns, a name of two statuses).
    pub fn conflicts(&self) -> Vec<String> {
        let mut out = vec![];
        for (i, (w, f)) in self.headings.iter().enumerate() {
            let builtin = field_of_builtin(w);
            if self.headings[..i].iter().any(|(v, g)| v == w && g != f) || builtin.is_some_and(|b| b != *f) {
                out.push(format!("heading '{w}'"));
            }
        }
        for (i, (w, s)) in self.statuses.iter().enumerate() {
            if self.statuses[..i].iter().any(|(v, t)| v == w && t != s) {
                out.push(format!("status '{w}'"));
            }
        }
        out
    }

    fn status_of(&self, text: &str) -> Option<Status> {
        Status::parse(text.trim()).ok().or_else(|| {
            let k = key(text);
            self.statuses.iter().find(|(w, _)| *w == k).map(|(_, s)| *s)
        })
    }
}

fn field_of_builtin(h: &str) -> Option<&'static str> {
    if let Some(c) = COLUMNS.iter().find(|c| c.replace('_', " ") == h) {
        return Some(c);
    }
    VIETNAMESE.iter().find(|(v, _)| *v == h).map(|(_, f)| *f)
}

/// The field a heading means, if any: a column's code, a common Vietnamese heading, or a
/// heading of the vocabulary.
pub fn field_of(heading: &str, words: &Vocabulary) -> Option<&'static str> {
    let h = key(heading);
    field_of_builtin(&h).or_else(|| words.headings.iter().find(|(w, _)| *w == h).map(|(_, f)| *f))
}

fn normal_sex(value: &str) -> String {
    match fold(value).as_str() {
        "nam" | "m" | "male" => "male".into(),
        "nu" | "f" | "female" => "female".into(),
        _ => value.trim().to_string(),
    }
}

/// Reads the rows (the first is the heading row) into records, or the faults (the first
/// `MAX_FAULTS` and their count); headings and statuses as codes only.
pub fn read_rows(profile: &Profile, rows: &[Vec<String>]) -> Result<Vec<ImportRow>, Faults> {
    read_rows_in(profile, &Vocabulary::default(), rows)
}

/// `read_rows`, reading headings and statuses also in the vocabulary's words.
pub fn read_rows_in(profile: &Profile, words: &Vocabulary, rows: &[Vec<String>]) -> Result<Vec<ImportRow>, Faults> {
    let mut errors = Faults::default();
    let Some(head) = rows.first() else {
        errors.push(RowError::new(1, "", "", Fault::new("file_empty")));
        return Err(errors);
    };
    let mut fields: Vec<Option<&'static str>> = vec![];
    for (i, h) in head.iter().enumerate() {
        let f = field_of(h, words);
        if f.is_some() && fields.contains(&f) {
            errors
                .push(RowError::new(1, h.clone(), h.clone(), Fault::new("column_twice").with("n", i + 1)).of_field(f));
        }
        if f.is_none() && !h.trim().is_empty() {
            errors.push(RowError::new(1, h.clone(), h.clone(), Fault::new("unknown_column")));
        }
        fields.push(f);
    }
    for required in ["full_name", "sex", "birth_date", "admitted_on"] {
        if !fields.contains(&Some(required)) {
            errors.push(RowError::new(1, required, "", Fault::new("column_required")));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let heading_of = |field: &str| -> String {
        fields
            .iter()
            .position(|f| *f == Some(field))
            .map(|i| head[i].trim().trim_start_matches('\u{feff}').to_string())
            .unwrap_or_else(|| field.to_string())
    };
    let mut out = vec![];
    for (n, row) in rows.iter().enumerate().skip(1) {
        let line = n + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |field: &str| -> Option<String> {
            let i = fields.iter().position(|f| *f == Some(field))?;
            let v = crate::text::nfc(row.get(i).map(String::as_str).unwrap_or("").trim());
            Some(v).filter(|v| !v.is_empty())
        };
        let input = RecordInput {
            full_name: get("full_name").unwrap_or_default(),
            sex: get("sex").map(|s| normal_sex(&s)).unwrap_or_default(),
            birth_date: get("birth_date").map(|d| normal_date(&d)).unwrap_or_default(),
            admitted_on: get("admitted_on").map(|d| normal_date(&d)).unwrap_or_default(),
            official_on: get("official_on").map(|d| normal_date(&d)),
            ethnicity: get("ethnicity"),
            religion: get("religion"),
            hometown: get("hometown"),
            national_id: get("national_id"),
            education: get("education"),
            theory_level: get("theory_level"),
            occupation: get("occupation"),
            card_number: get("card_number"),
            ..Default::default()
        };
        let mut row_errors: Vec<FieldError> = vec![];
        let record = Record::parse(&profile.members, &input).map_err(|e| row_errors.extend(e)).ok();
        let unit = match get("unit") {
            Some(u) => match UnitCode::parse(&u) {
                Ok(c) => Some(c),
                Err(_) => {
                    row_errors.push(FieldError::new("unit", &u, Fault::new("not_a_unit_code")));
                    None
                }
            },
            None => None,
        };
        let status = match get("status") {
            Some(s) => match words.status_of(&s) {
                Some(st) if st.is_member() => Some(st),
                _ => {
                    row_errors.push(FieldError::new("status", &s, Fault::new("status_not_member")));
                    None
                }
            },
            None => None,
        };
        if let (Some(r), Some(st)) = (&record, status)
            && (st == Status::Official) != r.official_on.is_some()
        {
            row_errors.push(FieldError::new("status", st.as_str(), Fault::new("status_disagrees")));
        }
        if row_errors.is_empty() {
            if let Some(record) = record {
                out.push(ImportRow { row: line, record, unit, status });
            }
        } else {
            // Name the value as it stands in the file, not as it was read.
            for e in row_errors {
                let value = get(&e.field).filter(|_| e.field != "status").unwrap_or(e.value);
                let field = COLUMNS.iter().copied().find(|c| *c == e.field);
                errors.push(RowError::new(line, heading_of(&e.field), value, e.fault).of_field(field));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// A member as a row of the export, in `COLUMNS` order.
pub fn export_row(record: &Record, status: Option<Status>, unit: &str) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let c = |v: &Option<crate::codes::Code>| v.as_deref().unwrap_or_default().to_string();
    vec![
        o(&record.card_number),
        o(&record.national_id),
        record.full_name.clone(),
        record.sex.to_string(),
        record.birth_date.to_string(),
        o(&record.ethnicity),
        o(&record.religion),
        o(&record.hometown),
        c(&record.occupation),
        c(&record.education),
        c(&record.theory_level),
        record.admitted_on.to_string(),
        record.official_on.map(|d| d.to_string()).unwrap_or_default(),
        status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        unit.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn vietnamese_headings_and_values_are_understood() {
        let p = Profile::default_profile();
        let r = read_rows(
            &p,
            &rows(&[
                &["\u{feff}HỌ VÀ TÊN", "Ngày sinh", "giới tính", "Ngày vào Đảng", "Số thẻ đảng viên", "Chi bộ"],
                &["Bùi Thụy Anh", "20/05/1998", "Nữ", "1/3/2020", "12345678", "qn-bao"],
            ]),
        )
        .unwrap();
        assert_eq!(r[0].record.full_name, "Bùi Thụy Anh");
        assert_eq!(r[0].record.sex, "female");
        assert_eq!(r[0].record.birth_date.to_string(), "1998-05-20");
        assert_eq!(r[0].record.admitted_on.to_string(), "2020-03-01");
        assert_eq!(r[0].unit.as_ref().unwrap().as_str(), "QN-BAO");
        assert_eq!(r[0].row, 2);
    }

    #[test]
    fn every_bad_row_is_named_with_its_column_and_value() {
        let p = Profile::default_profile();
        let e = read_rows(
            &p,
            &rows(&[
                &["full_name", "sex", "birth_date", "admitted_on"],
                &["An", "male", "1990-01-01", "2015-01-01"],
                &["Bình", "x", "1990-13-01", "2015-01-01"],
                &["", "", "", ""],
                &["", "female", "1990-01-01", "2000-01-01"],
            ]),
        )
        .unwrap_err();
        let cells: Vec<_> = e.errors.iter().map(|e| (e.row, e.column.as_str(), e.value.as_str())).collect();
        assert_eq!(
            cells,
            [(3, "sex", "x"), (3, "birth_date", "1990-13-01"), (5, "full_name", ""), (5, "admitted_on", "2000-01-01")]
        );
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let p = Profile::default_profile();
        let e = read_rows(&p, &rows(&[&["full_name", "shoe size", "sex"]])).unwrap_err();
        assert!(e.errors.iter().any(|e| e.column == "shoe size"));
        assert!(e.errors.iter().any(|e| e.column == "birth_date" && e.reason.contains("required")));
    }

    #[test]
    fn a_file_of_many_bad_rows_is_answered_with_its_first_faults_and_their_count() {
        let p = Profile::default_profile();
        let mut file = rows(&[&["full_name", "sex", "birth_date", "admitted_on"]]);
        file.extend((0..3 * MAX_FAULTS).map(|_| rows(&[&["An", "x", "1990-01-01", "2015-01-01"]]).remove(0)));
        let e = read_rows(&p, &file).unwrap_err();
        assert_eq!((e.errors.len(), e.total), (MAX_FAULTS, 3 * MAX_FAULTS));
        assert_eq!(e.errors[0].row, 2);
    }

    #[test]
    fn a_vocabulary_reads_headings_and_statuses_in_its_words() {
        let mut words = Vocabulary::default();
        words.heading("Họ và tên", "full_name");
        words.heading("Giới tính", "sex");
        words.heading("Ngày sinh", "birth_date");
        words.heading("Ngày vào Đảng", "admitted_on");
        words.heading("Trạng thái", "status");
        words.status("Dự bị", Status::Probationary);
        assert!(words.conflicts().is_empty(), "{:?}", words.conflicts());
        let p = Profile::default_profile();
        let table = rows(&[
            &["HO VA TEN", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "trang thai", "Nghề nghiệp"],
            &["Lê Văn Tám", "Nam", "1990-01-02", "2024-05-01", "dự bị", "Công chức"],
        ]);
        let r = read_rows_in(&p, &words, &table).unwrap();
        assert_eq!(r[0].status, Some(Status::Probationary));
        assert_eq!((r[0].record.sex.as_str(), r[0].record.occupation.as_deref()), ("male", Some("civil_servant")));
        assert!(read_rows(&p, &table).is_err(), "without the vocabulary its headings are not read");
        words.heading("Chi bộ", "full_name");
        assert_eq!(words.conflicts(), ["heading 'chi bo'"]);
    }

    #[test]
    fn headings_match_without_case_or_diacritics() {
        assert_eq!(field_of("Số CCCD", &Vocabulary::default()), Some("national_id"));
        assert_eq!(field_of("SO CCCD", &Vocabulary::default()), Some("national_id"));
        assert_eq!(field_of("Card Number", &Vocabulary::default()), Some("card_number"));
        assert_eq!(field_of("ngay chinh thuc", &Vocabulary::default()), Some("official_on"));
        assert_eq!(field_of("colour", &Vocabulary::default()), None);
    }
}
