//! Time expressions: finds dates, times, durations and sets in news text and normalises
//! them to TIMEX3-style values, resolving relative ones against the document creation
//! date (`dct`, the publication date).
//!
//! Rule-based: a set of regexes compiled once, each proposing candidate spans; where
//! candidates overlap, the longest wins ("three days ago" over "three days", "every
//! Monday" over "Monday"). Spans follow TimeBank / TempEval-3: a leading preposition is
//! outside ("on Saturday" → "Saturday", "in 2022" → "2022"), determiners and modifiers
//! that belong to the expression are inside ("last week", "the past three months",
//! "earlier this month", "late Tuesday", "the 1990s").
//!
//! Values:
//! - dates `2026-11-14`, months `2026-11`, years `2026`, decades `199`, ISO weeks
//!   `2026-W45`, weekends `2026-W46-WE`, quarters `2026-Q3`, seasons `2026-SU`;
//! - times `2026-11-14T08:00`, parts of day `2026-11-14TNI` (kind `Time`); a clock time
//!   takes its day from the nearest full date in the same sentence, else the dct;
//! - `PRESENT_REF` ("now", "currently"), `PAST_REF` ("recently"), `FUTURE_REF`;
//! - durations `PT3H`, `P2W`, `P6M`, `PXW` ("weeks", "several weeks");
//! - sets `XXXX-WXX-1` ("every Monday", "Mondays"), `P1D` ("daily"), `P1W`, …
//!
//! Weekdays, bare months and "the weekend" are resolved by the tense of the words
//! nearest to the expression in its sentence: future markers (will, 'll, would, is due
//! to, scheduled, set to, plans to, expected to, next, upcoming) point forward, anything
//! else (past verbs, and plain present, which in news mostly reports what happened)
//! points back. The rule for the dct's own weekday: a bare weekday that names the
//! publication day means that very day in either direction ("on Saturday" in an article
//! published on a Saturday is that Saturday — a writer meaning a week away would say
//! "next Saturday"); "last Saturday" / "next Saturday" are strictly before / after.
//!
//! Without a dct, expressions that need one get `value: None` and `relative` holds a
//! description: `-1 day`, `+1 week`, `0 month`, `weekday:6 past`, `XXXX-11-14`.

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use parallax_core::{Sentence, Span, TimeExpr, TimeKind};
use regex::{Captures, Regex};

const MONTH: &str = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)";
const WEEKDAY: &str = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const NUMWORD: &str = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)";
const UNIT: &str = r"(second|minute|hour|day|week|fortnight|month|year|decade|century|centuries)";
const MODIFIER: &str = r"(?:(?:about|around|nearly|almost|roughly|some|more than|less than|fewer than|at least|up to|over|under|just over|just under|only|the past|the last|the next|the first|the final|the previous|the coming|the)\s+)?";

/// Grammatical direction of the sentence around an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tense {
    Past,
    Future,
}

/// One proposed expression before overlap resolution.
#[derive(Debug, Clone)]
struct Cand {
    span: Span,
    kind: TimeKind,
    value: Option<String>,
    relative: Option<String>,
    /// A clock time ("T08:00") still waiting for its day.
    clock: Option<String>,
}

struct Patterns {
    rules: Vec<(Regex, Rule)>,
    future: Regex,
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    Iso,
    DayMonthYear,
    MonthDayYear,
    MonthYear,
    BareMonth,
    Year,
    Decade,
    DayWord,
    RelativeUnit,
    PartOfDay,
    Weekday,
    Ago,
    Duration,
    BarePlural,
    Clock,
    Ref,
    Set,
    Quarter,
    Season,
    Weekend,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: String| Regex::new(&s).expect("time pattern compiles");
        let num = format!(r"(\d+(?:\.\d+)?|{NUMWORD}(?:[- ]{NUMWORD})*|an?|a couple of|a few|several|many|a number of|few)");
        let rules = vec![
            (
                r(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?\b".into()),
                Rule::Iso,
            ),
            (
                r(format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?:,?\s+(\d{{4}}))?\b")),
                Rule::DayMonthYear,
            ),
            (
                r(format!(r"\b(?:(?i:early|late|mid)[- ])?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")),
                Rule::MonthDayYear,
            ),
            (
                r(format!(r"\b(?:((?i:early|late|mid))[- ])?{MONTH},?\s+(\d{{4}})\b")),
                Rule::MonthYear,
            ),
            (
                r(format!(r"\b((?i:in|since|by|until|till|from|of|during|before|after|through|between|and|to|or|last|this|next|early|late|mid|end of|start of)[- ]){MONTH}\b")),
                Rule::BareMonth,
            ),
            (
                r(r"\b((?i:in|since|by|until|till|from|during|before|after|through|between|and|to|of|early|late|mid|fiscal|year|around|circa|spring|summer|autumn|fall|winter)[- ])(\d{4})\b".into()),
                Rule::Year,
            ),
            (
                r(r"\b((?i:the\s+)?(?:(?i:early|mid|late)[- ])?)(\d{3})0s\b".into()),
                Rule::Decade,
            ),
            (
                r(r"(?i)\b(yesterday|today|tomorrow|tonight)(?:\s+(morning|afternoon|evening|night))?\b".into()),
                Rule::DayWord,
            ),
            (
                r(r"(?i)\b(?:(earlier|later|early|late)\s+)?(this|last|next|the coming|the past|past|the previous|the following)\s+(week|month|year|weekend|spring|summer|autumn|fall|winter|quarter|century|decade)\b".into()),
                Rule::RelativeUnit,
            ),
            (
                r(r"(?i)\b(this|last|yesterday|tomorrow|that|the)\s+(morning|afternoon|evening|night)\b".into()),
                Rule::PartOfDay,
            ),
            (
                r(format!(r"\b(?:((?i:early|late|last|next|this|mid|coming))\s+)?{WEEKDAY}(s)?(?:\s+((?i:morning|afternoon|evening|night)))?\b")),
                Rule::Weekday,
            ),
            (
                r(format!(r"(?i)\b{MODIFIER}{num}[- ]{UNIT}s?\s+(ago|earlier|before)\b")),
                Rule::Ago,
            ),
            (
                r(format!(r"(?i)\b{MODIFIER}{num}[- ]{UNIT}s?(?:-long)?\b")),
                Rule::Duration,
            ),
            (
                r(r"(?i)\b((?:for|over|in|within|recent|coming|past|the)\s+)(days|weeks|months|years|decades|hours|minutes)\b".into()),
                Rule::BarePlural,
            ),
            (
                r(r"(?i)\b(\d{1,2})(?::(\d{2}))?\s*(a\.m\.?|p\.m\.?|am\b|pm\b)(?:\s+(?-i:[A-Z]{2,4}T|GMT|UTC))?|\b([01]?\d|2[0-3]):([0-5]\d)\b(?:\s+(?-i:[A-Z]{2,4}T|GMT|UTC))?|\b(noon|midday|midnight)\b".into()),
                Rule::Clock,
            ),
            (
                r(r"(?i)\b(now|currently|current|recent|soon|at present|presently|nowadays|these days|recently|in recent years|the past|the future|in the future|in future|the present)\b".into()),
                Rule::Ref,
            ),
            (
                r(format!(r"\b(?:((?i:every|each))\s+(?:(day|week|month|year|morning|night|evening|weekend)|{WEEKDAY})|((?i:once|twice|\w+ times))\s+(?:a|per|each|every)\s+(day|week|month|year)|((?i:daily|weekly|monthly|annually|yearly|nightly|hourly)))\b")),
                Rule::Set,
            ),
            (
                r(r"(?i)\b(?:the\s+)?(?:(\d{4})\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\b".into()),
                Rule::Quarter,
            ),
            (
                r(r"(?i)\b(?:(early|late|mid)[- ])?(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})\b".into()),
                Rule::Season,
            ),
            (r(r"(?i)\bthe\s+weekend\b".into()), Rule::Weekend),
        ];
        Patterns {
            rules,
            future: r(r"(?i)\b(will|won't|'ll|shall|would|is due|are due|due to|scheduled|schedule|set to|going to|plans? to|planned|planning|expected|expects?|upcoming|next|later|intends? to|aims? to|to be held|tomorrow)\b|’ll".into()),
        }
    })
}

/// Time expressions in `body`, resolved against the document creation date `dct`.
pub fn find(body: &str, sentences: &[Sentence], dct: Option<NaiveDate>) -> Vec<TimeExpr> {
    let p = patterns();
    let mut cands: Vec<Cand> = Vec::new();
    for (re, rule) in &p.rules {
        for caps in re.captures_iter(body) {
            if let Some(c) = build(*rule, &caps, body, sentences, dct) {
                if c.span.start < c.span.end {
                    cands.push(c);
                }
            }
        }
    }
    // Longest first; the earlier rule wins a tie (rules are listed specific → general).
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cands[i].span.len()), i));
    let mut kept: Vec<Cand> = Vec::new();
    for i in order {
        if kept.iter().all(|k| !k.span.overlaps(cands[i].span)) {
            kept.push(cands[i].clone());
        }
    }
    kept.sort_by_key(|c| c.span.start);

    // Clock times take their day from the nearest full date in the same sentence.
    let days: Vec<(Span, String)> = kept
        .iter()
        .filter_map(|c| match (&c.kind, &c.value) {
            (TimeKind::Date, Some(v)) if is_full_date(v) => Some((c.span, v.clone())),
            _ => None,
        })
        .collect();
    for c in kept.iter_mut() {
        let Some(clock) = c.clock.take() else {
            continue;
        };
        let ctx = context(body, sentences, c.span.start);
        let near = days
            .iter()
            .filter(|(s, _)| ctx.contains(*s))
            .min_by_key(|(s, _)| s.start.abs_diff(c.span.start))
            .map(|(_, v)| v.clone())
            .or_else(|| dct.map(|d| d.format("%Y-%m-%d").to_string()));
        match near {
            Some(day) => c.value = Some(format!("{day}{clock}")),
            None => c.relative = Some(format!("0 day{clock}")),
        }
    }

    kept.into_iter()
        .map(|c| TimeExpr {
            text: body[c.span.start..c.span.end].to_string(),
            span: c.span,
            kind: c.kind,
            value: c.value,
            relative: c.relative,
        })
        .collect()
}

fn is_full_date(v: &str) -> bool {
    v.len() == 10 && v.as_bytes().get(4) == Some(&b'-') && v.as_bytes().get(7) == Some(&b'-')
}

/// The sentence holding byte `pos`, or its paragraph when the sentences don't cover it.
fn context(body: &str, sentences: &[Sentence], pos: usize) -> Span {
    let i = sentences.partition_point(|s| s.span.end <= pos);
    if let Some(s) = sentences.get(i) {
        if s.span.start <= pos && pos < s.span.end && s.span.end <= body.len() {
            return s.span;
        }
    }
    let start = body[..pos].rfind("\n\n").map(|i| i + 2).unwrap_or(0);
    let end = body[pos..]
        .find("\n\n")
        .map(|i| pos + i)
        .unwrap_or(body.len());
    Span::new(start, end)
}

/// Tense of the words nearest to `span` in its sentence: the closest future marker
/// within 60 bytes decides Future; otherwise Past (see the module doc).
fn tense(body: &str, sentences: &[Sentence], span: Span) -> Tense {
    let ctx = context(body, sentences, span.start);
    let text = &body[ctx.start..ctx.end];
    let p = patterns();
    for m in p.future.find_iter(text) {
        let (ms, me) = (ctx.start + m.start(), ctx.start + m.end());
        let dist = if me <= span.start {
            span.start - me
        } else {
            ms.saturating_sub(span.end)
        };
        if dist <= 60 && !past_between(body, ms.min(span.start), me.max(span.end)) {
            return Tense::Future;
        }
    }
    Tense::Past
}

/// A plain past-tense verb between a future marker and the expression ("will say what
/// happened on Saturday" is rare; "said it would sail" is common) — keeps "next" in an
/// unrelated clause from flipping the tense. Only strong past forms count.
fn past_between(body: &str, a: usize, b: usize) -> bool {
    let t = &body[a..b];
    t.split(|c: char| !c.is_alphabetic())
        .any(|w| matches!(w, "was" | "were" | "had" | "did" | "happened" | "occurred"))
}

fn month_num(s: &str) -> Option<u32> {
    let l = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_num(s: &str) -> Option<u32> {
    let m = match s.get(..3)?.to_ascii_lowercase().as_str() {
        "mon" => 1,
        "tue" => 2,
        "wed" => 3,
        "thu" => 4,
        "fri" => 5,
        "sat" => 6,
        "sun" => 7,
        _ => return None,
    };
    Some(m)
}

fn word_num(w: &str) -> Option<f64> {
    let v = match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "couple" => 2,
        _ => return None,
    };
    Some(v as f64)
}

/// "twenty-four" → 24, "one hundred" → 100, "3" → 3; vague amounts ("several") → None.
fn parse_num(s: &str) -> Option<f64> {
    let s = s.to_ascii_lowercase();
    if let Ok(v) = s.parse::<f64>() {
        return Some(v);
    }
    if s.contains("few") || s.contains("several") || s.contains("many") || s.contains("number") {
        return None;
    }
    let mut total = 0.0;
    for w in s.split([' ', '-']).filter(|w| !w.is_empty() && *w != "of") {
        let v = word_num(w)?;
        if v == 100.0 {
            total = if total == 0.0 { 100.0 } else { total * 100.0 };
        } else {
            total += v;
        }
    }
    (total > 0.0).then_some(total)
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// TIMEX3 duration for `n` units (`None` = unspecified amount, "X").
fn duration_value(n: Option<f64>, unit: &str) -> String {
    let u = unit.to_ascii_lowercase();
    let amount = |k: f64| n.map(|v| fmt_num(v * k)).unwrap_or_else(|| "X".into());
    match u.trim_end_matches('s') {
        "second" => format!("PT{}S", amount(1.0)),
        "minute" => format!("PT{}M", amount(1.0)),
        "hour" => format!("PT{}H", amount(1.0)),
        "day" => format!("P{}D", amount(1.0)),
        "week" => format!("P{}W", amount(1.0)),
        "fortnight" => format!("P{}W", amount(2.0)),
        "month" => format!("P{}M", amount(1.0)),
        "decade" => format!("P{}DE", amount(1.0)),
        "century" | "centurie" => format!("P{}CE", amount(1.0)),
        _ => format!("P{}Y", amount(1.0)),
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(y: i32, m: u32, n: i32) -> (i32, u32) {
    let idx = y * 12 + (m as i32 - 1) + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The `wd` weekday (1 = Monday) relative to `d`: `dir` < 0 before, > 0 after; `same`
/// lets `d` itself count.
fn weekday_from(d: NaiveDate, wd: u32, future: bool, same: bool) -> Option<NaiveDate> {
    let cur = d.weekday().number_from_monday() as i64;
    let wd = wd as i64;
    let delta = if future {
        let k = (wd - cur).rem_euclid(7);
        if k == 0 && !same {
            7
        } else {
            k
        }
    } else {
        let k = (cur - wd).rem_euclid(7);
        -(if k == 0 && !same { 7 } else { k })
    };
    add_days(d, delta)
}

fn part_code(p: &str) -> &'static str {
    match p.to_ascii_lowercase().as_str() {
        "morning" => "TMO",
        "afternoon" => "TAF",
        "evening" => "TEV",
        _ => "TNI",
    }
}

fn date_cand(span: Span, value: Option<String>, relative: Option<String>) -> Option<Cand> {
    Some(Cand {
        span,
        kind: TimeKind::Date,
        value,
        relative,
        clock: None,
    })
}

/// With a dct, `f(dct)` is the value; without, `rel` is the description.
fn resolve(
    dct: Option<NaiveDate>,
    rel: String,
    f: impl FnOnce(NaiveDate) -> Option<String>,
) -> (Option<String>, Option<String>) {
    match dct.and_then(f) {
        Some(v) => (Some(v), None),
        None => (None, Some(rel)),
    }
}

fn valid_year(y: i32) -> bool {
    (1000..=2199).contains(&y)
}

fn build(
    rule: Rule,
    caps: &Captures,
    body: &str,
    sentences: &[Sentence],
    dct: Option<NaiveDate>,
) -> Option<Cand> {
    let whole = caps.get(0)?;
    let span = Span::new(whole.start(), whole.end());
    let g = |i: usize| caps.get(i).map(|m| m.as_str());
    match rule {
        Rule::Iso => {
            let y: i32 = g(1)?.parse().ok()?;
            let m: u32 = g(2)?.parse().ok()?;
            let d: u32 = g(3)?.parse().ok()?;
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            if let (Some(h), Some(mi)) = (g(4), g(5)) {
                return Some(Cand {
                    span,
                    kind: TimeKind::Time,
                    value: Some(format!("{}T{h}:{mi}", ymd(date))),
                    relative: None,
                    clock: None,
                });
            }
            date_cand(span, Some(ymd(date)), None)
        }
        Rule::DayMonthYear | Rule::MonthDayYear => {
            let (day, mon) = if let Rule::DayMonthYear = rule {
                (g(1)?, g(2)?)
            } else {
                (g(2)?, g(1)?)
            };
            let m = month_num(mon)?;
            let d: u32 = day.parse().ok()?;
            if !(1..=31).contains(&d) {
                return None;
            }
            // "May 5" is a date, but "may 5" (lowercase) never reaches here: months are
            // matched capitalised only.
            match g(3).and_then(|y| y.parse::<i32>().ok()) {
                Some(y) => {
                    let date = NaiveDate::from_ymd_opt(y, m, d)?;
                    date_cand(span, Some(ymd(date)), None)
                }
                None => {
                    let (v, r) = resolve(dct, format!("XXXX-{m:02}-{d:02}"), |dct| {
                        NaiveDate::from_ymd_opt(dct.year(), m, d).map(ymd)
                    });
                    date_cand(span, v, r)
                }
            }
        }
        Rule::MonthYear => {
            let m = month_num(g(2)?)?;
            let y: i32 = g(3)?.parse().ok()?;
            valid_year(y).then_some(())?;
            date_cand(span, Some(format!("{y}-{m:02}")), None)
        }
        Rule::BareMonth => {
            let pre = g(1)?.trim_end_matches([' ', '-']).to_ascii_lowercase();
            let mon = caps.get(2)?;
            let m = month_num(mon.as_str())?;
            // A one-letter-dot abbreviation alone ("Jan.") is too often something else.
            if mon.as_str().len() <= 4 && !mon.as_str().ends_with('.') && mon.as_str() != "May" {
                return None;
            }
            let keep_pre = matches!(
                pre.as_str(),
                "last" | "this" | "next" | "early" | "late" | "mid"
            );
            let span = Span::new(
                if keep_pre { whole.start() } else { mon.start() },
                mon.end(),
            );
            let shift: Option<i32> = match pre.as_str() {
                "last" => Some(-1),
                "next" => Some(1),
                "this" => Some(0),
                _ => None,
            };
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, format!("XXXX-{m:02}"), |dct| {
                let cur = dct.month();
                let y = match shift {
                    Some(-1) => dct.year() - i32::from(m >= cur),
                    Some(1) => dct.year() + i32::from(m <= cur),
                    Some(_) => dct.year(),
                    None if t == Tense::Past && m > cur => dct.year() - 1,
                    None if t == Tense::Future && m < cur => dct.year() + 1,
                    None => dct.year(),
                };
                Some(format!("{y}-{m:02}"))
            });
            date_cand(span, v, r)
        }
        Rule::Year => {
            let pre = g(1)?.trim_end_matches([' ', '-']).to_ascii_lowercase();
            let y = caps.get(2)?;
            let yr: i32 = y.as_str().parse().ok()?;
            if !(1800..=2150).contains(&yr) {
                return None;
            }
            // "2,000 people" never matches (\b after four digits), but "in 2000 people"
            // can't be told apart; accept that rare miss.
            let after = &body[y.end()..];
            if after.starts_with(|c: char| {
                c == '%' || c == ',' && after[1..].starts_with(|c: char| c.is_ascii_digit())
            }) {
                return None;
            }
            let keep_pre = matches!(pre.as_str(), "early" | "late" | "mid" | "fiscal");
            let span = Span::new(if keep_pre { whole.start() } else { y.start() }, y.end());
            date_cand(span, Some(yr.to_string()), None)
        }
        Rule::Decade => {
            let d = g(2)?;
            let yr: i32 = format!("{d}0").parse().ok()?;
            if !(1000..=2190).contains(&yr) {
                return None;
            }
            date_cand(span, Some(d.to_string()), None)
        }
        Rule::DayWord => {
            let w = g(1)?.to_ascii_lowercase();
            let off: i64 = match w.as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            let part = match (w.as_str(), g(2)) {
                ("tonight", _) => Some("TNI"),
                (_, Some(p)) => Some(part_code(p)),
                _ => None,
            };
            let suffix = part.unwrap_or("");
            let (v, r) = resolve(dct, format!("{off:+} day{suffix}"), |d| {
                add_days(d, off).map(|d| format!("{}{suffix}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: if part.is_some() {
                    TimeKind::Time
                } else {
                    TimeKind::Date
                },
                value: v,
                relative: r,
                clock: None,
            })
        }
        Rule::PartOfDay => {
            let w = g(1)?.to_ascii_lowercase();
            let p = part_code(g(2)?);
            let off: i64 = match w.as_str() {
                "last" | "yesterday" => -1,
                "tomorrow" => 1,
                "this" => 0,
                // "that night", "the morning": anchored to a narrated day we don't track.
                _ => return None,
            };
            // "last night" is yesterday's night; "last morning" is not idiomatic.
            if w == "last" && p != "TNI" {
                return None;
            }
            let (v, r) = resolve(dct, format!("{off:+} day{p}"), |d| {
                add_days(d, off).map(|d| format!("{}{p}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: TimeKind::Time,
                value: v,
                relative: r,
                clock: None,
            })
        }
        Rule::RelativeUnit => {
            let edge = g(1).map(|s| s.to_ascii_lowercase());
            let which = g(2)?.to_ascii_lowercase();
            let unit = g(3)?.to_ascii_lowercase();
            let which = which.trim_start_matches("the ");
            // "the past week" / "the coming month" are stretches of time (durations).
            if matches!(which, "previous" | "following") {
                return None;
            }
            if matches!(which, "past" | "coming") {
                if edge.is_some() || !g(2)?.to_ascii_lowercase().starts_with("the") {
                    return None;
                }
                if matches!(
                    unit.as_str(),
                    "weekend" | "spring" | "summer" | "autumn" | "fall" | "winter" | "quarter"
                ) {
                    return None;
                }
                return Some(Cand {
                    span,
                    kind: TimeKind::Duration,
                    value: Some(duration_value(Some(1.0), &unit)),
                    relative: None,
                    clock: None,
                });
            }
            let off: i32 = match which {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            // "late last year" keeps its edge word in the span; the value is the unit.
            let _ = edge;
            let rel = format!("{off:+} {unit}");
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, rel, |d| {
                Some(match unit.as_str() {
                    "week" => iso_week(add_days(d, 7 * off as i64)?),
                    "weekend" => {
                        let base = if which == "this" {
                            weekend_base(d, t)
                        } else {
                            add_days(d, 7 * off as i64)?
                        };
                        format!("{}-WE", iso_week(base))
                    }
                    "month" => {
                        let (y, m) = add_months(d.year(), d.month(), off);
                        format!("{y}-{m:02}")
                    }
                    "year" => format!("{}", d.year() + off),
                    "decade" => format!("{}", (d.year() + 10 * off).div_euclid(10)),
                    "century" => format!("{}", (d.year() + 100 * off).div_euclid(100)),
                    "quarter" => {
                        let (y, m) = add_months(d.year(), d.month(), 3 * off);
                        format!("{y}-Q{}", (m - 1) / 3 + 1)
                    }
                    season => {
                        format!("{}-{}", d.year() + off, season_code(season))
                    }
                })
            });
            date_cand(span, v, r)
        }
        Rule::Weekday => {
            let pre = g(1).map(|s| s.to_ascii_lowercase());
            let wd = weekday_num(g(2)?)?;
            let plural = g(3).is_some();
            let part = g(4);
            if plural {
                // "on Mondays": a recurring weekday.
                if pre.is_some() || part.is_some() {
                    return None;
                }
                return Some(Cand {
                    span,
                    kind: TimeKind::Set,
                    value: Some(format!("XXXX-WXX-{wd}")),
                    relative: None,
                    clock: None,
                });
            }
            let t = tense(body, sentences, span);
            let (future, same, tag) = match pre.as_deref() {
                Some("last") => (false, false, "last"),
                Some("next") | Some("coming") => (true, false, "next"),
                _ => match t {
                    Tense::Future => (true, true, "future"),
                    Tense::Past => (false, true, "past"),
                },
            };
            let suffix = part.map(part_code).unwrap_or("");
            let (v, r) = resolve(dct, format!("weekday:{wd} {tag}{suffix}"), |d| {
                weekday_from(d, wd, future, same).map(|d| format!("{}{suffix}", ymd(d)))
            });
            Some(Cand {
                span,
                kind: if part.is_some() {
                    TimeKind::Time
                } else {
                    TimeKind::Date
                },
                value: v,
                relative: r,
                clock: None,
            })
        }
        Rule::Ago => {
            let n = parse_num(g(1)?);
            let unit = g(2)?.to_ascii_lowercase();
            let dir = g(3)?.to_ascii_lowercase();
            if dir == "before" {
                // "three days before" is relative to a narrated time, not the dct.
                // ("a year earlier" usually compares with the dct's period in news, so
                // it resolves like "ago".)
                return None;
            }
            let Some(n) = n else {
                return Some(Cand {
                    span,
                    kind: TimeKind::Date,
                    value: Some("PAST_REF".into()),
                    relative: None,
                    clock: None,
                });
            };
            let k = n.round() as i64;
            let (v, r) = resolve(dct, format!("-{k} {unit}"), |d| {
                Some(match unit.trim_end_matches('s') {
                    "day" => ymd(add_days(d, -k)?),
                    "week" | "fortnight" => iso_week(add_days(d, -7 * k)?),
                    "month" => {
                        let (y, m) = add_months(d.year(), d.month(), -(k as i32));
                        format!("{y}-{m:02}")
                    }
                    "year" => format!("{}", d.year() - k as i32),
                    "decade" => format!("{}", d.year() - 10 * k as i32),
                    _ => return None,
                })
            });
            Some(Cand {
                span,
                kind: TimeKind::Date,
                value: v,
                relative: r,
                clock: None,
            })
        }
        Rule::Duration => {
            let num = g(1)?;
            let unit = g(2)?;
            let lnum = num.to_ascii_lowercase();
            // "a second time" / "one day, she..." are not durations.
            if (lnum == "a" || lnum == "an" || lnum == "one") && unit.eq_ignore_ascii_case("second")
            {
                return None;
            }
            let after = &body[whole.end()..];
            if after.starts_with("-old") || after.starts_with(" old") {
                return None;
            }
            Some(Cand {
                span,
                kind: TimeKind::Duration,
                value: Some(duration_value(parse_num(num), unit)),
                relative: None,
                clock: None,
            })
        }
        Rule::BarePlural => {
            let pre = caps.get(1)?;
            let unit = caps.get(2)?;
            let p = pre.as_str().trim().to_ascii_lowercase();
            let start = if matches!(p.as_str(), "recent" | "coming" | "past" | "the") {
                if p == "the" {
                    return None;
                }
                pre.start()
            } else {
                unit.start()
            };
            Some(Cand {
                span: Span::new(start, unit.end()),
                kind: TimeKind::Duration,
                value: Some(duration_value(None, unit.as_str())),
                relative: None,
                clock: None,
            })
        }
        Rule::Clock => {
            let (h, mi) = if let Some(h) = g(1) {
                let mut h: u32 = h.parse().ok()?;
                let mi: u32 = g(2).map(|m| m.parse().unwrap_or(0)).unwrap_or(0);
                let pm = g(3)?.to_ascii_lowercase().starts_with('p');
                if h == 0 || h > 12 || mi > 59 {
                    return None;
                }
                if pm && h != 12 {
                    h += 12;
                } else if !pm && h == 12 {
                    h = 0;
                }
                (h, mi)
            } else if let Some(h) = g(4) {
                // "3:1" scores can't match (two-digit minutes); "2:30" still might be
                // a score or a ratio, so require a digit-free neighbourhood.
                let before = body[..whole.start()].chars().next_back();
                let after = body[whole.end()..].chars().next();
                if before.is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '.')
                    || after.is_some_and(|c| c.is_ascii_digit() || c == ':')
                {
                    return None;
                }
                (h.parse().ok()?, g(5)?.parse().ok()?)
            } else {
                match g(6)?.to_ascii_lowercase().as_str() {
                    "midnight" => (0, 0),
                    _ => (12, 0),
                }
            };
            Some(Cand {
                span,
                kind: TimeKind::Time,
                value: None,
                relative: None,
                clock: Some(format!("T{h:02}:{mi:02}")),
            })
        }
        Rule::Ref => {
            let w = g(1)?.to_ascii_lowercase();
            let v = match w.as_str() {
                "recently" | "recent" | "the past" | "in recent years" => "PAST_REF",
                "the future" | "in the future" | "in future" | "soon" => "FUTURE_REF",
                _ => "PRESENT_REF",
            };
            // "the past" before a number is the start of a duration ("the past three
            // months"), which the longer candidate takes anyway.
            let span = if let Some(rest) = w.strip_prefix("in ") {
                if rest == "recent years" {
                    span
                } else {
                    Span::new(span.end - rest.len(), span.end)
                }
            } else {
                span
            };
            date_cand(span, Some(v.into()), None)
        }
        Rule::Set => {
            let value = if let Some(unit) = g(2) {
                match unit.to_ascii_lowercase().as_str() {
                    "day" => "P1D".to_string(),
                    "week" => "P1W".into(),
                    "month" => "P1M".into(),
                    "year" => "P1Y".into(),
                    "weekend" => "XXXX-WXX-WE".into(),
                    p => format!("XXXX-XX-XX{}", part_code(p)),
                }
            } else if let Some(wd) = g(3) {
                format!("XXXX-WXX-{}", weekday_num(wd)?)
            } else if let Some(unit) = g(5) {
                duration_value(Some(1.0), unit)
            } else {
                match g(6)?.to_ascii_lowercase().as_str() {
                    "daily" | "nightly" => "P1D".into(),
                    "weekly" => "P1W".into(),
                    "monthly" => "P1M".into(),
                    "hourly" => "PT1H".into(),
                    _ => "P1Y".into(),
                }
            };
            Some(Cand {
                span,
                kind: TimeKind::Set,
                value: Some(value),
                relative: None,
                clock: None,
            })
        }
        Rule::Quarter => {
            let q = match g(2)?.to_ascii_lowercase().as_str() {
                "first" | "1st" => 1,
                "second" | "2nd" => 2,
                "third" | "3rd" => 3,
                _ => 4,
            };
            if let Some(y) = g(1) {
                return date_cand(span, Some(format!("{y}-Q{q}")), None);
            }
            let t = tense(body, sentences, span);
            let (v, r) = resolve(dct, format!("XXXX-Q{q}"), |d| {
                let cur = (d.month() - 1) / 3 + 1;
                let y = match t {
                    Tense::Past if q > cur => d.year() - 1,
                    Tense::Future if q < cur => d.year() + 1,
                    _ => d.year(),
                };
                Some(format!("{y}-Q{q}"))
            });
            date_cand(span, v, r)
        }
        Rule::Weekend => {
            let t = tense(body, sentences, span);
            let tag = if t == Tense::Future { "future" } else { "past" };
            let (v, r) = resolve(dct, format!("weekend {tag}"), |d| {
                Some(format!("{}-WE", iso_week(weekend_base(d, t))))
            });
            date_cand(span, v, r)
        }
        Rule::Season => {
            let y: i32 = g(3)?.parse().ok()?;
            valid_year(y).then_some(())?;
            date_cand(span, Some(format!("{y}-{}", season_code(g(2)?))), None)
        }
    }
}

/// Which weekend "the weekend" / "this weekend" means: the coming one in future
/// sentences; in past ones the one just gone (or the current one from Saturday on).
fn weekend_base(d: NaiveDate, t: Tense) -> NaiveDate {
    let on_weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    match t {
        Tense::Future => d,
        Tense::Past if on_weekend => d,
        Tense::Past => add_days(d, -7).unwrap_or(d),
    }
}

fn season_code(s: &str) -> &'static str {
    match s.to_ascii_lowercase().as_str() {
        "spring" => "SP",
        "summer" => "SU",
        "autumn" | "fall" => "FA",
        _ => "WI",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Saturday of ISO week 46.
    fn dct() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 11, 14)
    }

    fn get(
        body: &str,
        d: Option<NaiveDate>,
    ) -> Vec<(String, TimeKind, Option<String>, Option<String>)> {
        find(body, &[], d)
            .into_iter()
            .map(|t| (t.text, t.kind, t.value, t.relative))
            .collect()
    }

    fn val(body: &str, text: &str, d: Option<NaiveDate>) -> Option<String> {
        let all = get(body, d);
        all.iter()
            .find(|t| t.0 == text)
            .unwrap_or_else(|| panic!("no {text:?} in {all:?}"))
            .2
            .clone()
    }

    #[test]
    fn absolute_dates() {
        let b = "The pier opened on 14 November 2026, weeks after November 2, 2026 and Nov. 3. A report dated 2026-10-01 said the work began in 2022 and in March, as in the 1990s.";
        assert_eq!(
            val(b, "14 November 2026", dct()).as_deref(),
            Some("2026-11-14")
        );
        assert_eq!(
            val(b, "November 2, 2026", dct()).as_deref(),
            Some("2026-11-02")
        );
        assert_eq!(val(b, "Nov. 3", dct()).as_deref(), Some("2026-11-03"));
        assert_eq!(val(b, "2026-10-01", dct()).as_deref(), Some("2026-10-01"));
        assert_eq!(val(b, "2022", dct()).as_deref(), Some("2022"));
        assert_eq!(val(b, "March", dct()).as_deref(), Some("2026-03"));
        assert_eq!(val(b, "the 1990s", dct()).as_deref(), Some("199"));
    }

    #[test]
    fn relative_dates() {
        let d = dct();
        let b = "Crews worked yesterday and today; more arrive tomorrow. Talks stalled last week and resume next month. Fares rose earlier this month and last year. Inspectors visited over the weekend. Three days ago the dock flooded.";
        assert_eq!(val(b, "yesterday", d).as_deref(), Some("2026-11-13"));
        assert_eq!(val(b, "today", d).as_deref(), Some("2026-11-14"));
        assert_eq!(val(b, "tomorrow", d).as_deref(), Some("2026-11-15"));
        assert_eq!(val(b, "last week", d).as_deref(), Some("2026-W45"));
        assert_eq!(val(b, "next month", d).as_deref(), Some("2026-12"));
        assert_eq!(val(b, "earlier this month", d).as_deref(), Some("2026-11"));
        assert_eq!(val(b, "last year", d).as_deref(), Some("2025"));
        assert_eq!(val(b, "the weekend", d).as_deref(), Some("2026-W46-WE"));
        assert_eq!(val(b, "Three days ago", d).as_deref(), Some("2026-11-11"));
        // Without a dct the value is unknown and the description stays.
        let none = get(b, None);
        let lw = none.iter().find(|t| t.0 == "last week").unwrap();
        assert_eq!((lw.2.clone(), lw.3.as_deref()), (None, Some("-1 week")));
    }

    #[test]
    fn weekdays_follow_tense() {
        // dct is a Saturday; Wednesday 11th is the last one, 18th the next.
        let d = dct();
        assert_eq!(
            val("The ferry caught fire on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-11")
        );
        assert_eq!(
            val("The ferry will sail on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-18")
        );
        assert_eq!(
            val("The inquiry is due to open on Wednesday.", "Wednesday", d).as_deref(),
            Some("2026-11-18")
        );
        // The publication day itself, either tense.
        assert_eq!(
            val("The ferry sank on Saturday.", "Saturday", d).as_deref(),
            Some("2026-11-14")
        );
        assert_eq!(
            val("It was towed last Saturday.", "last Saturday", d).as_deref(),
            Some("2026-11-07")
        );
        let t = get(
            "Divers searched late on Tuesday and again Saturday night.",
            d,
        );
        assert!(t
            .iter()
            .any(|x| x.0 == "Tuesday" && x.2.as_deref() == Some("2026-11-10")));
        assert!(t.iter().any(|x| x.0 == "Saturday night"
            && x.1 == TimeKind::Time
            && x.2.as_deref() == Some("2026-11-14TNI")));
        let none = get("The ferry caught fire on Saturday.", None);
        assert_eq!(none[0].3.as_deref(), Some("weekday:6 past"));
    }

    #[test]
    fn times_durations_sets_refs() {
        let d = dct();
        let b = "The alarm sounded at 8 a.m. on Friday and the search ended at 14:30. It lasted three hours, two weeks of repairs followed, and the lease runs six months. The ferry sails every Monday and inspections happen daily. It is currently docked; divers are there now.";
        let t = get(b, d);
        let f = |s: &str| {
            t.iter()
                .find(|x| x.0 == s)
                .unwrap_or_else(|| panic!("{s} not in {t:?}"))
                .clone()
        };
        assert_eq!(f("8 a.m.").1, TimeKind::Time);
        assert_eq!(f("8 a.m.").2.as_deref(), Some("2026-11-13T08:00"));
        // Same sentence as "Friday": the clock time takes that day.
        assert_eq!(f("14:30").2.as_deref(), Some("2026-11-13T14:30"));
        assert_eq!(
            val("Boarding opens at noon.", "noon", d).as_deref(),
            Some("2026-11-14T12:00")
        );
        assert_eq!(
            (f("three hours").1, f("three hours").2.as_deref()),
            (TimeKind::Duration, Some("PT3H"))
        );
        assert_eq!(f("two weeks").2.as_deref(), Some("P2W"));
        assert_eq!(f("six months").2.as_deref(), Some("P6M"));
        assert_eq!(
            (f("every Monday").1, f("every Monday").2.as_deref()),
            (TimeKind::Set, Some("XXXX-WXX-1"))
        );
        assert_eq!(f("daily").2.as_deref(), Some("P1D"));
        assert_eq!(f("currently").2.as_deref(), Some("PRESENT_REF"));
        assert_eq!(f("now").2.as_deref(), Some("PRESENT_REF"));
        assert_eq!(
            val("It took twenty-four hours.", "twenty-four hours", d).as_deref(),
            Some("PT24H")
        );
        assert_eq!(
            val("over the past three months", "the past three months", d).as_deref(),
            Some("P3M")
        );
    }

    #[test]
    fn not_times() {
        let t = get("She may leave. They march on. The passengers' luggage weighed 2,000 kg and cost 1999 euros.", dct());
        assert!(t.is_empty(), "{t:?}");
        for s in [
            "",
            "on",
            "May",
            "\u{e9}8 a.m.",
            "Nov. 31",
            "in 99999",
            "9999-99-99",
            "the 0s",
        ] {
            let _ = find(s, &[], dct());
            let _ = find(s, &[], None);
        }
    }
}
