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
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| Error::invalid("invalid_date", format!("{field}: '{value}' is not a date of the calendar")))?;
    if !(EARLIEST..=LATEST).contains(&d) {
        return Err(Error::invalid(
            "invalid_date",
            format!("{field}: '{value}' is outside the dates orgwork keeps ({EARLIEST} to {LATEST})"),
        ));
    }
    Ok(d)
}

/// A date written YYYY-MM-DD or DD/MM/YYYY (also D/M/YYYY and with dashes or dots), as
/// YYYY-MM-DD; the text itself when it is neither, for the record's check to name.
pub fn normal_date(value: &str) -> String {
    let v = value.trim();
    let parts: Vec<&str> = v.split(['/', '.', '-']).collect();
    if parts.len() == 3
        && parts[0].len() <= 2
        && parts[2].len() == 4
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty())
    {
        return format!("{}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0]);
    }
    // A spreadsheet's date-time cell read as text: keep the date.
    if v.len() > 10 && v.as_bytes().get(10).is_some_and(|b| *b == b' ' || *b == b'T') {
        return v[..10].to_string();
    }
    v.to_string()
}

/// A date as a person writes it in a form: YYYY-MM-DD, or DD/MM/YYYY (the order Vietnamese
/// and Arabic pages show), with `parse_date`'s checks.
pub fn parse_written_date(field: &str, value: &str) -> Result<NaiveDate> {
    parse_date(field, &normal_date(value))
}

/// The first and last days any date may be: no record of the organization lies outside them,
/// and a date such as 9999-12-31 is a typing mistake (a change dated so far ahead would stand
/// in the way of every later change). Writes are held closer still, by the profile's horizon.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2199, 12, 31).expect("a date");

/// Is `day` within `years` years after `today`? Writes dated past it are refused.
pub fn check_horizon(field: &str, day: NaiveDate, today: NaiveDate, years: u32) -> Result<()> {
    let limit = today.checked_add_months(chrono::Months::new(12 * years)).unwrap_or(LATEST);
    if day > limit {
        return Err(Error::rule(
            "beyond_horizon",
            format!("{field}: {day} is more than {years} years ahead (the profile's horizon ends on {limit})"),
        ));
    }
    Ok(())
}

/// A day that may not come before another (an admission before its proposal, a transfer's
/// close before its issue): the rule `code` otherwise, saying
/// "{field}: {day} is before {what} ({earliest})".
pub fn check_not_before(
    code: &'static str,
    field: &str,
    day: NaiveDate,
    earliest: NaiveDate,
    what: &str,
) -> Result<()> {
    if day < earliest {
        return Err(Error::rule(code, format!("{field}: {day} is before {what} ({earliest})")));
    }
    Ok(())
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
    fn dates_outside_the_kept_range_and_the_horizon_are_refused() {
        for bad in ["9999-12-31", "2200-01-01", "1899-12-31", "0001-01-01"] {
            assert_eq!(parse_date("effective", bad).unwrap_err().code, "invalid_date", "{bad}");
        }
        let today = parse_date("d", "2026-12-06").unwrap();
        assert!(check_horizon("effective", parse_date("d", "2036-12-06").unwrap(), today, 10).is_ok());
        let e = check_horizon("effective", parse_date("d", "2036-12-07").unwrap(), today, 10).unwrap_err();
        assert_eq!(e.code, "beyond_horizon");
        assert!(e.message.starts_with("effective: 2036-12-07"), "{}", e.message);
    }

    #[test]
    fn intervals_are_half_open() {
        let d = |s| parse_date("d", s).unwrap();
        assert!(contains(d("2024-01-01"), Some(d("2025-01-01")), d("2024-12-31")));
        assert!(!contains(d("2024-01-01"), Some(d("2025-01-01")), d("2025-01-01")));
        assert!(contains(d("2024-01-01"), None, d("2199-12-31")));
        assert!(!contains(d("2024-01-01"), None, d("2023-12-31")));
    }
}
