//! Publication dates as archives write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Date-and-time layouts without a zone (taken as UTC).
const NAIVE_DATETIME: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %H:%M",
];

/// Layouts with a numeric zone.
const ZONED: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f %:z",
];

/// Date-only layouts (midnight UTC).
const DATE_ONLY: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%a, %d %b %Y",
    "%a %d %b %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%B %Y",
];

/// Parses a publication date in the forms archives use: RFC 3339 (`2024-01-05T10:00:00Z`),
/// RFC 2822 (`Fri, 05 Jan 2024 10:00:00 GMT`), `2024-01-05`, `2024-01-05 10:00:00`,
/// `5 January 2024`, `January 5, 2024`, `5th Jan 2024`, `2024/01/05`, `05.01.2024`,
/// `20240105`, and unix time (seconds, or milliseconds when it has 13 digits).
/// Times without a zone are taken as UTC. Ambiguous forms such as `01/05/2024` give `None`,
/// and so do dates the index cannot hold (see [`INDEXABLE_SECS`]), such as the
/// placeholders `0001-01-01` and `9999-12-31`.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    parse_any_date(s).filter(|d| INDEXABLE_SECS.contains(&d.timestamp()))
}

/// Seconds since 1970 that the index's dates can hold: tantivy keeps nanoseconds in an
/// i64, from 1677-09-21 to 2262-04-11. A date outside would wrap around to another.
pub const INDEXABLE_SECS: std::ops::RangeInclusive<i64> =
    (i64::MIN / 1_000_000_000)..=(i64::MAX / 1_000_000_000);

fn parse_any_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim().trim_matches('"').trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Some(d) = unix_time(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in ZONED {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d.with_timezone(&Utc));
        }
    }

    // Human forms: drop ordinal suffixes, "at", trailing UTC/GMT/Z, then try the layouts.
    let cleaned = clean_human(s);
    let s = cleaned.as_str();
    for f in NAIVE_DATETIME {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for f in DATE_ONLY {
        let parsed = if *f == "%B %Y" {
            NaiveDate::parse_from_str(&format!("1 {s}"), "%d %B %Y")
        } else {
            NaiveDate::parse_from_str(s, f)
        };
        if let Ok(d) = parsed {
            return d.and_hms_opt(0, 0, 0).map(|d| Utc.from_utc_datetime(&d));
        }
    }
    None
}

/// `1704448800` (seconds) or `1704448800000` (milliseconds), also with a fraction.
fn unix_time(s: &str) -> Option<DateTime<Utc>> {
    let digits = s.split('.').next().unwrap_or(s);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Seconds since 1973 (9–10 digits) or milliseconds (12–13); shorter numbers are
    // years, compact dates (20240105) or noise, not 1970 plus a few months.
    if !matches!(digits.len(), 9 | 10 | 12 | 13) {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    let secs = if digits.len() >= 12 {
        value / 1000.0
    } else {
        value
    };
    let whole = secs.floor();
    let nanos = ((secs - whole) * 1e9) as u32;
    Utc.timestamp_opt(whole as i64, nanos).single()
}

fn clean_human(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        // 1st, 2nd, 3rd, 4th → 1, 2, 3, 4
        if chars[i].is_ascii_digit() && i + 2 < chars.len() {
            let pair: String = chars[i + 1..i + 3].iter().collect();
            let after = chars.get(i + 3);
            if ["st", "nd", "rd", "th"].contains(&pair.to_ascii_lowercase().as_str())
                && after.is_none_or(|c| !c.is_alphabetic())
            {
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    let mut out = out.replace(" at ", " ").replace(',', ", ");
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    let out = out.replace(" ,", ",");
    for suffix in [" UTC", " GMT", "Z", " Z"] {
        if let Some(stripped) = out.strip_suffix(suffix) {
            return stripped.trim().to_string();
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_the_index_cannot_hold_are_no_dates() {
        assert_eq!(parse_date("9999-12-31"), None);
        assert_eq!(parse_date("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_date("1600-05-01"), None);
        assert!(parse_date("2262-01-01").is_some());
        assert!(parse_date("1700-01-01").is_some());
        for s in [*INDEXABLE_SECS.start(), *INDEXABLE_SECS.end()] {
            assert!(s.checked_mul(1_000_000_000).is_some());
        }
    }

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    #[test]
    fn parses_machine_formats() {
        let want = Some("2024-01-05T10:30:00".to_string());
        assert_eq!(iso("2024-01-05T10:30:00Z"), want);
        assert_eq!(iso("2024-01-05T11:30:00+01:00"), want);
        assert_eq!(iso("2024-01-05T10:30:00.123Z"), want);
        assert_eq!(iso("Fri, 05 Jan 2024 10:30:00 GMT"), want);
        assert_eq!(iso("Fri, 5 Jan 2024 10:30:00 +0000"), want);
        assert_eq!(iso("2024-01-05 10:30:00"), want);
        assert_eq!(iso("2024-01-05T10:30:00"), want);
        assert_eq!(iso("2024-01-05 10:30:00+00:00"), want);
        assert_eq!(iso("2024-01-05T10:30:00+0000"), want);
        assert_eq!(iso("1704450600"), want);
        assert_eq!(iso("1704450600000"), want);
    }

    #[test]
    fn parses_human_formats() {
        let want = Some("2024-01-05T00:00:00".to_string());
        for s in [
            "2024-01-05",
            "2024/01/05",
            "5 January 2024",
            "05 Jan 2024",
            "January 5, 2024",
            "Jan 5, 2024",
            "January 5 2024",
            "5th January 2024",
            "January 5th, 2024",
            "Friday, 5 January 2024",
            "Friday, January 5, 2024",
            "05.01.2024",
            "20240105",
        ] {
            assert_eq!(iso(s), want, "{s}");
        }
        assert_eq!(
            iso("5 January 2024 10:30"),
            Some("2024-01-05T10:30:00".to_string())
        );
    }

    #[test]
    fn rejects_ambiguous_and_garbage() {
        for s in [
            "",
            "yesterday",
            "01/05/2024",
            "2024-13-45",
            "not a date",
            "12",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
    }
}
