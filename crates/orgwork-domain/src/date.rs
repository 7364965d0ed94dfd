//! Dates. orgwork keeps valid time (when a fact holds in the organization) as calendar dates,
//! and every interval is half-open: `[valid_from, valid_to)`, with `valid_to = None` for open.

use crate::{Error, Result};
use chrono::NaiveDate;

/// Parses a date written `YYYY-MM-DD`, naming the field and the value when it is not one.
pub fn parse_date(field: &str, value: &str) -> Result<NaiveDate> {
    let v = value.trim();
    let ok_shape = v.len() == 10
        && v.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !ok_shape {
        return Err(Error::invalid("invalid_date", format!("{field}: '{value}' is not a date written YYYY-MM-DD")));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| Error::invalid("invalid_date", format!("{field}: '{value}' is not a date of the calendar")))
}

/// True when the half-open interval `[from, to)` contains `day`.
pub fn contains(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|t| day < t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_dates_and_names_bad_ones() {
        assert_eq!(parse_date("effective", "2025-01-31").unwrap(), NaiveDate::from_ymd_opt(2025, 1, 31).unwrap());
        for bad in ["2025-02-30", "31/01/2025", "2025-1-31", "", "2025-01-31x"] {
            let e = parse_date("effective", bad).unwrap_err();
            assert_eq!(e.code, "invalid_date");
            assert!(e.message.contains("effective"), "{}", e.message);
        }
    }

    #[test]
    fn intervals_are_half_open() {
        let d = |s| parse_date("d", s).unwrap();
        assert!(contains(d("2024-01-01"), Some(d("2025-01-01")), d("2024-12-31")));
        assert!(!contains(d("2024-01-01"), Some(d("2025-01-01")), d("2025-01-01")));
        assert!(contains(d("2024-01-01"), None, d("2999-01-01")));
        assert!(!contains(d("2024-01-01"), None, d("2023-12-31")));
    }
}
