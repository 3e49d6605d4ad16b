//! Publication dates as newsrooms write them: ISO 8601 / RFC 3339, RFC 2822, "15
//! November 2026", "Sun 15 Nov 2026 08.12 GMT", "November 15, 2026, 8:12 a.m. ET".
//! One parser for every input that carries a date (page metadata, feeds, JSONL dumps,
//! `parallax cluster --input`), so the same text gives the same instant everywhere.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

/// The month a name or abbreviation stands for ("November", "Nov.", "Sept").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

/// Offset in seconds east of UTC for the zone abbreviations news sites print.
pub fn zone_offset(word: &str) -> Option<i32> {
    let h = 3600;
    Some(
        match word.trim_matches(|c: char| !c.is_ascii_alphanumeric()) {
            "GMT" | "UTC" | "Z" | "UT" | "WET" => 0,
            "BST" | "CET" | "WEST" | "IST" => h, // IST here is Irish Standard Time
            "CEST" | "EET" | "SAST" => 2 * h,
            "EEST" | "MSK" => 3 * h,
            "EST" => -5 * h,
            "EDT" => -4 * h,
            "CDT" => -5 * h,
            "CST" => -6 * h,
            "MST" => -7 * h,
            "MDT" => -6 * h,
            "PST" => -8 * h,
            "PDT" => -7 * h,
            "ET" => -5 * h,
            "PT" => -8 * h,
            "JST" | "KST" => 9 * h,
            "AEST" => 10 * h,
            "AEDT" => 11 * h,
            _ => return None,
        },
    )
}

fn iso_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)\b(\d{4})-(\d{1,2})-(\d{1,2})
              (?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?",
        )
        .expect("static regex")
    })
}

fn time_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?(?:\s+([A-Z]{1,4}\b|[+-]\d{2}:?\d{2}))?")
            .expect("static regex")
    })
}

fn offset_from_str(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 4 {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The instant of `date` at `time` (midnight when none) in `offset` (UTC when none).
pub fn build(
    date: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
) -> Option<DateTime<FixedOffset>> {
    let time = time.unwrap_or(NaiveTime::MIN);
    // Without a zone the wall time is the outlet's; UTC is the least wrong guess
    // and keeps the date part as printed.
    let offset = offset.or_else(|| FixedOffset::east_opt(0))?;
    offset
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
}

/// Parses a publication date as news pages write it: ISO 8601 / RFC 3339, RFC 2822,
/// "15 November 2026", "Sun 15 Nov 2026 08.12 GMT", "November 15, 2026, 8:12 a.m. ET".
/// Date-only values are midnight UTC.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    if let Some(c) = iso_re().captures(s) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = NaiveDate::from_ymd_opt(num(1)? as i32, num(2)?, num(3)?)?;
        let time = match (num(4), num(5)) {
            (Some(h), Some(m)) => NaiveTime::from_hms_opt(h, m, num(6).unwrap_or(0)),
            _ => None,
        };
        let offset = c.get(7).and_then(|m| offset_from_str(m.as_str()));
        return build(date, time, offset);
    }
    parse_written_date(s)
}

/// "15 November 2026", "November 15, 2026", "Sun 15 Nov 2026 08.12 GMT".
fn parse_written_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|t| !t.is_empty())
        .collect();
    let (mut day, mut month, mut year) = (None, None, None);
    for (i, t) in tokens.iter().enumerate() {
        if let Some(m) = month_number(t) {
            if month.is_none() {
                month = Some((i, m));
            }
            continue;
        }
        let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        // A time like "08.12" is not a day.
        if t.contains(':')
            || t.contains('.') && t.chars().filter(|c| c.is_ascii_digit()).count() > 2
        {
            continue;
        }
        let Ok(n) = digits.parse::<u32>() else {
            continue;
        };
        if digits.len() == 4 && (1900..=2200).contains(&n) {
            year.get_or_insert(n as i32);
        } else if (1..=31).contains(&n) && digits.len() <= 2 && day.is_none() {
            day = Some((i, n));
        }
    }
    let (mi, month) = month?;
    let (di, day) = day?;
    // The day must stand next to the month ("15 Nov" or "Nov 15"), or it is some
    // other number in the line.
    if di.abs_diff(mi) > 1 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year?, month, day)?;
    let (time, offset) = match time_re().captures(s) {
        Some(c) => {
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            let mut h = num(1).unwrap_or(0);
            let m = num(2).unwrap_or(0);
            if let Some(ampm) = c.get(4) {
                let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
                if pm && h < 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
            }
            let offset = c.get(5).and_then(|z| {
                let z = z.as_str();
                if z.starts_with(['+', '-']) {
                    offset_from_str(z)
                } else {
                    zone_offset(z).and_then(FixedOffset::east_opt)
                }
            });
            (NaiveTime::from_hms_opt(h, m, num(3).unwrap_or(0)), offset)
        }
        None => (None, None),
    };
    build(date, time, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let utc = |s: &str| parse_date(s).map(|d| d.naive_utc().to_string());
        assert_eq!(
            utc("2026-03-09T07:30:00+00:00").as_deref(),
            Some("2026-03-09 07:30:00")
        );
        assert_eq!(utc("2026-03-09").as_deref(), Some("2026-03-09 00:00:00"));
        assert_eq!(
            utc("2026-03-09T07:30:00").as_deref(),
            Some("2026-03-09 07:30:00")
        );
        assert_eq!(
            utc("November 15, 2026, 8:12 a.m. ET").as_deref(),
            Some("2026-11-15 13:12:00")
        );
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("").is_none());
    }
}
