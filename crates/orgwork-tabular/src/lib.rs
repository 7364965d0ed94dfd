//! Tables in and out of files. Reading takes what offices actually send: CSV separated by
//! commas, semicolons or tabs, UTF-8 with or without a byte-order mark, CRLF or LF line ends,
//! and XLSX workbooks (the first sheet). Writing gives CSV (UTF-8 with a byte-order mark, which
//! spreadsheet programs need to read Vietnamese correctly) and XLSX, split across sheets at
//! the format's row limit. Every cell is text: card numbers keep their leading zeros.

use std::io::Cursor;

/// The rows of the format's row limit, less the heading row.
pub const XLSX_ROWS_PER_SHEET: usize = 1_048_575;

/// A cell as a CSV file holds it: one that begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a `'` before it, so that a spreadsheet opening the file shows it as text rather
/// than running it as a formula (OWASP's rule against CSV injection). XLSX cells are written
/// as strings and need nothing.
/// A cell that begins a `'` before one that would be neutralized is itself neutralized, so
/// that reading back is exact.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if runs(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// Would a spreadsheet run this cell (or is it a `'` before one that it would)?
fn runs(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.strip_prefix('\'').is_some_and(runs)
}

/// A CSV cell as it was before `neutralize`: files orgwork wrote import back unchanged.
fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs(rest) => rest,
        _ => cell,
    }
}

/// A file that cannot be read as a table, and why: a kind a caller can tell apart (and say in
/// the reader's language), with the row or sheet where it was met.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file has more than {max} rows; split it, or import it with the command line (orgwork import)")]
    TooManyRows { max: usize },
    #[error("row {row} has more than {max} columns")]
    TooManyColumns { row: usize, max: usize },
    #[error("the workbook inflates to more than {max_mb} MB; save it as CSV, or split it")]
    TooLarge { max_mb: u64 },
    #[error("row {row}: the file is not UTF-8 text (save it as CSV UTF-8)")]
    NotUtf8 { row: usize },
    #[error("row {row}: {detail}")]
    Csv { row: usize, detail: String },
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("sheet {sheet}: {detail}")]
    Sheet { sheet: String, detail: String },
}

/// A workbook that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the workbook cannot be written: {0}")]
pub struct WriteError(#[from] rust_xlsxwriter::XlsxError);

/// Is this an XLSX workbook (a ZIP file)?
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// How much of a file is read. A file sent to the server is bounded so that no upload can take
/// its memory: rows, columns, and for a workbook (a ZIP archive, whose parts can inflate a
/// thousandfold) the bytes its parts inflate to, counted as they inflate, before any is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows after the heading row.
    pub max_rows: usize,
    pub max_columns: usize,
    /// The bytes a workbook's parts may inflate to, together.
    pub max_inflated: u64,
}

impl Limits {
    /// No bound but the machine's: for files the command line reads from its own disk.
    pub const NONE: Limits = Limits { max_rows: usize::MAX, max_columns: usize::MAX, max_inflated: u64::MAX };
}

/// Reads a CSV or XLSX file (told apart by its first bytes) into rows of text.
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    read_within(bytes, &Limits::NONE)
}

/// As `read`, refusing (with what was too large) a file past `limits`.
pub fn read_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, ReadError> {
    if is_xlsx(bytes) { read_xlsx_within(bytes, limits) } else { read_csv_within(bytes, limits) }
}

fn too_many_rows(limits: &Limits) -> ReadError {
    ReadError::TooManyRows { max: limits.max_rows }
}

fn too_many_columns(row: usize, limits: &Limits) -> ReadError {
    ReadError::TooManyColumns { row, max: limits.max_columns }
}

/// The separator of a CSV file: whichever of comma, semicolon and tab the first line holds
/// most of, outside quotes.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (sep, n) in counts.iter_mut() {
                if c == *sep {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map(|(s, _)| *s).unwrap_or(b',')
}

pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    read_csv_within(bytes, &Limits::NONE)
}

fn read_csv_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        ReadError::NotUtf8 { row: line }
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ReadError::Csv { row: i + 1, detail: e.to_string() })?;
        if i > limits.max_rows {
            return Err(too_many_rows(limits));
        }
        if record.len() > limits.max_columns {
            return Err(too_many_columns(i + 1, limits));
        }
        rows.push(record.iter().map(|c| unneutralize(c).to_string()).collect());
    }
    Ok(rows)
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    read_xlsx_within(bytes, &Limits::NONE)
}

/// Inflates every part of the archive into nothing, counting, and stops past `max` bytes: what
/// a part declares of its own size is not trusted.
fn check_inflation(bytes: &[u8], max: u64) -> Result<(), ReadError> {
    let unreadable = |e: &dyn std::fmt::Display| ReadError::Workbook(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let left = max.saturating_sub(total);
        let n = std::io::copy(&mut std::io::Read::take(entry, left.saturating_add(1)), &mut std::io::sink())
            .map_err(|e| unreadable(&e))?;
        total += n;
        if total > max {
            return Err(ReadError::TooLarge { max_mb: max / (1024 * 1024) });
        }
    }
    Ok(())
}

/// The first sheet, cell by cell as the file holds them (never a grid as large as the sheet's
/// declared dimensions), cut to the rows and columns that hold something.
fn read_xlsx_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, ReadError> {
    use calamine::{Data, Reader, Xlsx};
    if limits.max_inflated != u64::MAX {
        check_inflation(bytes, limits.max_inflated)?;
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ReadError::Workbook(e.to_string()))?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(ReadError::NoSheet);
    };
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| ReadError::Sheet { sheet: name.clone(), detail: e.to_string() })?;
    let mut rows: Vec<Vec<String>> = vec![];
    let (mut first_row, mut first_col) = (usize::MAX, usize::MAX);
    while let Some(c) =
        cells.next_cell().map_err(|e| ReadError::Sheet { sheet: name.clone(), detail: e.to_string() })?
    {
        let value = Data::from(c.get_value().clone());
        if value == Data::Empty {
            continue;
        }
        let (r, col) = (c.get_position().0 as usize, c.get_position().1 as usize);
        first_row = first_row.min(r);
        first_col = first_col.min(col);
        if r - first_row > limits.max_rows {
            return Err(too_many_rows(limits));
        }
        if col >= limits.max_columns {
            return Err(too_many_columns(r + 1, limits));
        }
        if rows.len() <= r - first_row {
            rows.resize_with(r - first_row + 1, Vec::new);
        }
        let row = &mut rows[r - first_row];
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col] = text_of(&value);
    }
    for row in rows.iter_mut() {
        row.drain(..first_col.min(row.len()));
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in rows.iter_mut() {
        row.resize(width, String::new());
    }
    Ok(rows)
}

/// A workbook's cell as text.
fn text_of(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_datetime().map(|t| t.date().to_string()).unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// CSV written row by row to any output (a file, standard output), in the same form as
/// `write_csv`: for tables too large to hold in memory.
pub struct CsvOut<W: std::io::Write> {
    writer: csv::Writer<W>,
}

impl<W: std::io::Write> CsvOut<W> {
    pub fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(b"\xEF\xBB\xBF")?;
        Ok(CsvOut {
            writer: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(out),
        })
    }

    pub fn row(&mut self, cells: &[String]) -> std::io::Result<()> {
        self.writer.write_record(cells.iter().map(|c| neutralize(c).into_owned())).map_err(std::io::Error::other)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// CSV with a byte-order mark, comma-separated, CRLF line ends, every cell quoted (so that no
/// tab or semicolon in a cell can look like the separator to a reader that guesses it, orgwork's
/// own included) and neutralized.
pub fn write_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = vec![];
    let mut w = CsvOut::new(&mut out).expect("writing to memory");
    for r in rows {
        w.row(r).expect("writing to memory");
    }
    w.finish().expect("writing to memory");
    out
}

/// An XLSX workbook: the heading row and then the rows, on as many sheets as the row limit needs.
pub fn write_xlsx(heading: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, WriteError> {
    write_xlsx_with_limit(heading, rows, XLSX_ROWS_PER_SHEET)
}

fn write_xlsx_with_limit(heading: &[String], rows: &[Vec<String>], per_sheet: usize) -> Result<Vec<u8>, WriteError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let chunks: Vec<&[Vec<String>]> = if rows.is_empty() { vec![&[]] } else { rows.chunks(per_sheet).collect() };
    for (n, chunk) in chunks.into_iter().enumerate() {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name(format!("members {}", n + 1))?;
        for (c, h) in heading.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in chunk.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<Vec<String>> {
        vec![
            vec!["full_name".into(), "card_number".into()],
            vec!["Bùi Thụy".into(), "00123".into()],
            vec!["Nguyễn, Văn \"An\"".into(), "4567".into()],
        ]
    }

    #[test]
    fn csv_round_trips_and_keeps_text() {
        let bytes = write_csv(&table());
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(read(&bytes).unwrap(), table());
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_written_as_text_and_read_back() {
        let cells = [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\r=1",
            "a=b",
            "'quoted",
            "'=x",
            "''@y",
        ];
        let t = vec![cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
        let bytes = write_csv(&t);
        let text = String::from_utf8(bytes.clone()).unwrap();
        for line in text.trim_start_matches('\u{feff}').split(',') {
            let cell = line.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{line:?} in {text:?}");
        }
        assert_eq!(read(&bytes).unwrap(), t);
        assert_eq!(neutralize("Bùi Thụy"), "Bùi Thụy");
    }

    #[test]
    fn csv_written_row_by_row_is_the_same_file() {
        let mut out = vec![];
        let mut w = CsvOut::new(&mut out).unwrap();
        for r in table() {
            w.row(&r).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(out, write_csv(&table()));
    }

    #[test]
    fn csv_separators_line_ends_and_boms_are_all_read() {
        for text in [
            "full_name;card_number\r\nBùi Thụy;00123\r\n",
            "\u{feff}full_name\tcard_number\nBùi Thụy\t00123\n",
            "full_name,card_number\nBùi Thụy,00123",
        ] {
            let rows = read(text.as_bytes()).unwrap();
            assert_eq!(rows[1], vec!["Bùi Thụy".to_string(), "00123".to_string()], "{text:?}");
        }
        let err = read(b"full_name\n\xff\xfe").unwrap_err();
        assert!(err.to_string().contains("row 2"), "{err}");
    }

    #[test]
    fn xlsx_round_trips_and_splits_sheets() {
        let t = table();
        let bytes = write_xlsx(&t[0], &t[1..]).unwrap();
        assert!(is_xlsx(&bytes));
        assert_eq!(read(&bytes).unwrap(), t);
        let many: Vec<Vec<String>> = (0..5).map(|i| vec![format!("n{i}"), i.to_string()]).collect();
        let split = write_xlsx_with_limit(&t[0], &many, 2).unwrap();
        let book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(split)).unwrap();
        use calamine::Reader;
        assert_eq!(book.sheet_names().len(), 3);
    }

    #[test]
    fn files_past_the_limits_are_refused_saying_what_was_too_large() {
        let limits = Limits { max_rows: 10, max_columns: 5, max_inflated: 200 * 1024 };
        let csv = |rows: usize, cols: usize| {
            let line = vec!["x"; cols].join(",");
            (0..=rows).map(|_| line.clone()).collect::<Vec<_>>().join("\n").into_bytes()
        };
        assert_eq!(read_within(&csv(10, 5), &limits).unwrap().len(), 11);
        assert_eq!(read_within(&csv(11, 5), &limits).unwrap_err(), ReadError::TooManyRows { max: 10 });
        assert!(read_within(&csv(11, 5), &limits).unwrap_err().to_string().contains("more than 10 rows"));
        assert!(read_within(&csv(3, 6), &limits).unwrap_err().to_string().contains("more than 5 columns"));
        let heading = vec!["a".to_string()];
        let rows = |n: usize| (0..n).map(|i| vec![format!("{i}")]).collect::<Vec<_>>();
        let book = write_xlsx(&heading, &rows(10)).unwrap();
        assert_eq!(read_within(&book, &limits).unwrap().len(), 11);
        let book = write_xlsx(&heading, &rows(11)).unwrap();
        assert!(read_within(&book, &limits).unwrap_err().to_string().contains("more than 10 rows"));
        // A small workbook that inflates far: refused as it inflates, before it is parsed.
        let wide = Limits { max_rows: 1_000_000, ..limits };
        let same: Vec<Vec<String>> = (0..20_000).map(|_| vec!["the same text again".to_string()]).collect();
        let bomb = write_xlsx(&heading, &same).unwrap();
        assert!(bomb.len() < 200 * 1024, "{}", bomb.len());
        assert!(read_within(&bomb, &wide).unwrap_err().to_string().contains("inflates to more than"));
        assert_eq!(read(&bomb).unwrap().len(), 20_001, "the command line reads it whole");
    }

    #[test]
    fn a_sheet_is_read_from_its_first_filled_cell_and_never_as_its_whole_grid() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(2, 1, "full_name").unwrap();
        sheet.write_string(3, 1, "An").unwrap();
        sheet.write_string(3, 2, "x").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(
            read(&bytes).unwrap(),
            vec![vec!["full_name".to_string(), String::new()], vec!["An".into(), "x".into()]]
        );
        // A cell at the sheet's far corner: refused by the limits, not allocated as a grid.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let limits = Limits { max_rows: 1000, max_columns: 40, max_inflated: 1 << 20 };
        assert!(read_within(&bytes, &limits).is_err());
    }
}
