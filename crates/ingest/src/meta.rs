//! Metadata shared by every format: publication dates as newsrooms write them,
//! bylines, domains and outlet names.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
pub use parallax_core::date::parse_date;
use parallax_core::date::{build, month_number, zone_offset};
use parallax_nlp::credits::CreditFinder;
use regex::Regex;

fn date_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:(?:first\s+)?published|updated|last\s+updated|posted|modified|date|on)\b[\s:]*(?:on\b\s*)?",
        )
        .expect("static regex")
    })
}

/// A line that is only a date (with an optional "Published"/"Updated" label).
/// Returns the date and whether the label said it was an update.
pub fn parse_date_line(line: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let line = line.trim();
    if line.len() > 80 {
        return None;
    }
    let updated =
        line.to_lowercase().contains("updated") || line.to_lowercase().starts_with("modified");
    let rest = date_line_re().replace(line, "");
    // Words other than date parts mean the line is a sentence that mentions a date.
    let words = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .filter(|w| {
            month_number(w).is_none()
                && zone_offset(w).is_none()
                && !is_weekday(w)
                && !matches!(
                    w.to_lowercase().trim_matches('.'),
                    "am" | "pm" | "a.m" | "p.m" | "at"
                )
                && !w.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    if words > 0 {
        return None;
    }
    parse_date(&rest).map(|d| (d, updated))
}

fn is_weekday(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .any(|d| *d == w || (w.len() >= 3 && d.starts_with(&w)))
}

/// Lower-case words that make a comma part a job title rather than a name.
const TITLE_WORDS: &[&str] = &[
    "correspondent",
    "editor",
    "reporter",
    "writer",
    "journalist",
    "staff",
    "columnist",
    "contributor",
    "producer",
    "analyst",
    "chief",
    "senior",
    "bureau",
    "desk",
    "news",
    "press",
    "agency",
    "agencies",
    "associated",
    "political",
    "deputy",
    "head",
    "photographer",
    "team",
    "special",
    "guest",
    "managing",
    "global",
    "international",
    "national",
    "science",
    "health",
    "sports",
    "business",
    "technology",
    "transport",
];

/// A byline piece that names a person: shaped like a name
/// ([`parallax_nlp::entities::looks_like_name`]), not too long, and without a job
/// title in it ("Transport Correspondent").
fn looks_like_name(s: &str) -> bool {
    if s.len() > 60 || !parallax_nlp::entities::looks_like_name(s) {
        return false;
    }
    !s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| TITLE_WORDS.contains(&w))
}

fn by_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:written\s+|words\s+|reporting\s+)?by[\s:]+").expect("static regex")
    })
}

/// Names in a byline: "By Jonas Whitfield, Transport Correspondent" → ["Jonas
/// Whitfield"]; "By Ana Ruiz and Tom Berg" → both; job titles, places ("in Oslo")
/// and URLs are dropped. `require_by` demands the leading "By", which is what tells
/// a byline from an ordinary line in plain text.
pub fn parse_byline(line: &str, require_by: bool) -> Vec<String> {
    let line = line.trim();
    if line.len() > 200 {
        return Vec::new();
    }
    let rest = match by_re().find(line) {
        Some(m) => &line[m.end()..],
        None if require_by => return Vec::new(),
        None => line,
    };
    // A byline often shares its line with the date: "By Ana Ruiz | 15 Nov 2026".
    let rest = rest
        .split(['|', '•', '·', '\u{2014}'])
        .next()
        .unwrap_or("")
        .trim();
    let mut names = Vec::new();
    for part in rest.split(" and ").flat_map(|p| p.split(" & ")) {
        for piece in part.split([',', ';']) {
            let mut piece = piece.trim();
            for cut in [" in ", " for ", " at ", " on "] {
                if let Some(i) = piece.find(cut) {
                    piece = &piece[..i];
                }
            }
            let piece = piece.trim().trim_end_matches('.').trim();
            // "By Meridian Press": wire copy is signed by the agency itself.
            let piece = match CreditFinder::shared().outlet(piece) {
                Some(outlet) if !looks_like_name(piece) => outlet,
                _ => piece.to_string(),
            };
            let piece = piece.as_str();
            if looks_like_name(piece) || CreditFinder::shared().outlet(piece).is_some() {
                if !names.iter().any(|n: &String| n == piece) {
                    names.push(piece.to_string());
                }
            } else if names.is_empty() && !piece.is_empty() {
                // The first piece must be a name; anything else is not a byline.
                return Vec::new();
            } else {
                // After a job title comes the next author only via " and ".
                break;
            }
        }
    }
    names
}

/// The host of a URL, lower-cased, without `www.`.
pub fn domain_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?; // userinfo
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    Some(host.to_string())
}

fn url_date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // /2026/11/15/, /2026-11-15-, /20261115/: a path segment, not a query value or
        // an article id that happens to hold eight digits in a row.
        Regex::new(r"/((?:19|20)\d{2})(?:[/-](\d{1,2})[/-](\d{1,2})|(\d{2})(\d{2}))(?:[/_.-]|$)")
            .expect("static regex")
    })
}

/// The publication date many CMSs put in article paths ("/2026/11/15/slug"), as
/// midnight UTC. A last resort after the page's own metadata: the path date is the
/// day the URL was minted, which is usually but not always the publication day.
pub fn date_from_url(url: &str) -> Option<DateTime<FixedOffset>> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &path[path.find('/')?..];
    let path = path.split(['?', '#']).next()?;
    let c = url_date_re().captures(path)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = num(1)? as i32;
    let (month, day) = match (num(2), num(3)) {
        (Some(m), Some(d)) => (m, d),
        _ => (num(4)?, num(5)?),
    };
    build(NaiveDate::from_ymd_opt(year, month, day)?, None, None)
}

/// "THE HARBOUR TIMES" → "The Harbour Times".
pub fn title_case(s: &str) -> String {
    const SMALL: &[&str] = &[
        "of", "and", "the", "in", "on", "for", "a", "an", "at", "de", "la",
    ];
    s.split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(d: DateTime<FixedOffset>) -> String {
        d.to_rfc3339()
    }

    #[test]
    fn dates_as_newsrooms_write_them() {
        assert_eq!(
            ymd(parse_date("15 November 2026").unwrap()),
            "2026-11-15T00:00:00+00:00"
        );
        assert_eq!(
            ymd(parse_date("Sun 15 Nov 2026 08.12 GMT").unwrap()),
            "2026-11-15T08:12:00+00:00"
        );
        assert_eq!(
            ymd(parse_date("November 15, 2026").unwrap()),
            "2026-11-15T00:00:00+00:00"
        );
        assert_eq!(
            ymd(parse_date("2026-11-15T08:12:00+01:00").unwrap()),
            "2026-11-15T08:12:00+01:00"
        );
        assert_eq!(
            ymd(parse_date("2026-11-15").unwrap()),
            "2026-11-15T00:00:00+00:00"
        );
        assert_eq!(
            ymd(parse_date("Nov. 15, 2026 8:12 p.m. EST").unwrap()),
            "2026-11-15T20:12:00-05:00"
        );
        assert!(parse_date("the ferry left").is_none());
        assert!(parse_date("31 February 2026").is_none());
    }

    #[test]
    fn dates_in_urls() {
        let d = |u: &str| date_from_url(u).map(ymd);
        assert_eq!(
            d("https://n.example/2026/11/15/ferry-cancelled").as_deref(),
            Some("2026-11-15T00:00:00+00:00")
        );
        assert_eq!(
            d("https://n.example/news/2026-03-07-lido").as_deref(),
            Some("2026-03-07T00:00:00+00:00")
        );
        assert_eq!(
            d("https://n.example/a/20261115/x.html").as_deref(),
            Some("2026-11-15T00:00:00+00:00")
        );
        assert_eq!(d("https://n.example/story/12345678"), None);
        assert_eq!(d("https://n.example/x?d=2026/11/15/"), None);
        assert_eq!(d("https://n.example/2026/13/45/x"), None);
        assert_eq!(d("https://2026.example/"), None);
    }

    #[test]
    fn date_lines_and_sentences() {
        let (d, upd) = parse_date_line("Published 15 November 2026").unwrap();
        assert_eq!(ymd(d), "2026-11-15T00:00:00+00:00");
        assert!(!upd);
        assert!(parse_date_line("Updated: 16 Nov 2026 10:00 GMT").unwrap().1);
        assert!(parse_date_line("The ferry sailed on 15 November 2026").is_none());
    }

    #[test]
    fn bylines() {
        assert_eq!(
            parse_byline("By Jonas Whitfield, Transport Correspondent", true),
            vec!["Jonas Whitfield"]
        );
        assert_eq!(
            parse_byline("By Ana Ruiz and Tom Berg", true),
            vec!["Ana Ruiz", "Tom Berg"]
        );
        assert_eq!(
            parse_byline(
                "By Ana Ruiz, Political Editor, and Tom Berg in Porthaven",
                true
            ),
            vec!["Ana Ruiz", "Tom Berg"]
        );
        assert_eq!(
            parse_byline("By Ana Ruiz | 15 November 2026", true),
            vec!["Ana Ruiz"]
        );
        assert_eq!(
            parse_byline("By Ludo van der Berg", true),
            vec!["Ludo van der Berg"]
        );
        assert!(parse_byline("Jonas Whitfield", true).is_empty());
        assert!(parse_byline("By the time the ferry docked, it was dark", true).is_empty());
        assert!(parse_byline("By https://example.com/staff", true).is_empty());
    }

    #[test]
    fn domains_and_names() {
        assert_eq!(
            domain_of("https://www.Harbour-Times.example/news/1?x=2").as_deref(),
            Some("harbour-times.example")
        );
        assert_eq!(domain_of("not a url"), None);
        assert_eq!(title_case("THE HARBOUR TIMES"), "The Harbour Times");
    }
}
