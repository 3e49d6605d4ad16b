//! The story's timeline: absolute dates from every article, merged per value.
//!
//! Only resolved time expressions whose value is an absolute calendar date (`YYYY`,
//! `YYYY-MM`, `YYYY-MM-DD`, optionally with a `T…` time) are used: durations, sets and
//! unresolved relative expressions cannot be placed on a line. Each entry cites the
//! sentences that mention the date; its event text is the shortest of them that has
//! some content (short sentences read best on a timeline). ISO values sort
//! chronologically as strings, a month before the days in it.

use std::collections::BTreeMap;

use parallax_core::{Citation, Span, TimelineEntry};

use crate::docs::Doc;
use crate::words;

pub fn timeline(docs: &[Doc]) -> Vec<TimelineEntry> {
    let mut by_value: BTreeMap<String, Vec<Citation>> = BTreeMap::new();
    for doc in docs {
        let sentences = doc.sentences();
        for t in &doc.a.analysis.times {
            let Some(value) = t.value.as_deref().filter(|v| is_absolute_date(v)) else {
                continue;
            };
            let Some(s) = sentences
                .iter()
                .find(|s| s.contains(t.span) || s.overlaps(t.span))
            else {
                continue;
            };
            let cites = by_value.entry(value.to_string()).or_default();
            if !cites
                .iter()
                .any(|c| c.article == *doc.id() && same_span(c, doc, *s))
            {
                cites.push(doc.cite(*s));
            }
        }
    }
    by_value
        .into_iter()
        .map(|(value, cites)| entry(value, cites))
        .collect()
}

fn same_span(c: &Citation, doc: &Doc, s: Span) -> bool {
    (c.start, c.end) == doc.map.chars(s)
}

/// Puts the event sentence's citation first.
fn entry(value: String, mut citations: Vec<Citation>) -> TimelineEntry {
    let clear = |c: &Citation| words::content_words(&c.text).len() >= 4;
    let best = (0..citations.len())
        .min_by_key(|&i| (!clear(&citations[i]), citations[i].text.chars().count(), i))
        .unwrap_or(0);
    let first = citations.remove(best);
    citations.insert(0, first);
    TimelineEntry {
        value,
        event: citations[0].text.clone(),
        citations,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally followed by `T` and a time.
pub fn is_absolute_date(v: &str) -> bool {
    let date = v.split_once('T').map_or(v, |(d, _)| d);
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4) && !v.contains('T'),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_dates_only() {
        for v in ["2026", "2026-03", "2026-03-14", "2026-03-14T07:40"] {
            assert!(is_absolute_date(v), "{v}");
        }
        for v in [
            "P3D",
            "2026-W11",
            "PRESENT_REF",
            "XXXX-03-14",
            "2026-03-14-01",
            "20260314",
        ] {
            assert!(!is_absolute_date(v), "{v}");
        }
    }
}
