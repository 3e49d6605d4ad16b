//! Time expressions scored on the TempEval-3 TimeBank/AQUAINT TIMEX3 annotations
//! (issue 5), with the measures the official `TE3-evaluation.py` reports for temporal
//! expressions:
//!
//! - **strict** span P/R/F1: a system expression counts when a gold one has exactly its
//!   extent, and a gold one when a system one has exactly its extent;
//! - **relaxed** span P/R/F1: the same with any overlap of the extents;
//! - **attribute** measures for `value` and `type` over relaxed matches (each gold
//!   expression paired with the overlapping system expression that shares most text
//!   with it): accuracy = correct / matched, and attribute F1 from
//!   P = correct / |system|, R = correct / |gold| (TempEval-3 overview, UzZaman et al.
//!   2013, section 4). With symmetric match counts this equals accuracy × relaxed F1.
//!   Values compare as exact strings, as in the official script.
//!
//! Only the expressions inside `<TEXT>` are scored; the document creation time (`<DCT>`)
//! is given to the system, not scored. The plain text is the `<TEXT>` content with every
//! tag removed and XML entities decoded; offsets are byte offsets into that text (the
//! system under test sees the same string, so any consistent unit would do).

use crate::metrics::{f1, per_second, ratio};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Serialize;

/// One TIMEX3 expression: byte range into the document text, `type` (DATE, TIME,
/// DURATION, SET) and `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timex {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

impl Timex {
    /// Whether the two extents share a character: a match under relaxed scoring.
    pub fn overlaps(&self, other: &Timex) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A TimeML document reduced to what scoring needs.
#[derive(Debug, Clone)]
pub struct TimeDoc {
    pub name: String,
    /// The folder it came from (`TimeBank`, `AQUAINT`).
    pub group: String,
    pub dct: Option<NaiveDate>,
    pub text: String,
    pub gold: Vec<Timex>,
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(p_num: usize, p_den: usize, r_num: usize, r_den: usize) -> Self {
        let precision = ratio(p_num, p_den);
        let recall = ratio(r_num, r_den);
        let f1 = f1(precision, recall);
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Raw counts, summed over documents (micro average).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TimeCounts {
    pub gold: usize,
    pub system: usize,
    /// System expressions with an exactly matching gold one, and vice versa.
    pub strict_sys: usize,
    pub strict_gold: usize,
    /// System expressions overlapping a gold one, and vice versa.
    pub relaxed_sys: usize,
    pub relaxed_gold: usize,
    /// Gold expressions paired with a system one (relaxed), and how many of those pairs
    /// agree on value / type.
    pub matched: usize,
    pub value_correct: usize,
    pub type_correct: usize,
}

impl TimeCounts {
    fn add(&mut self, o: &TimeCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.strict_sys += o.strict_sys;
        self.strict_gold += o.strict_gold;
        self.relaxed_sys += o.relaxed_sys;
        self.relaxed_gold += o.relaxed_gold;
        self.matched += o.matched;
        self.value_correct += o.value_correct;
        self.type_correct += o.type_correct;
    }

    pub fn scores(&self) -> TimexScores {
        TimexScores {
            strict: Prf::new(self.strict_sys, self.system, self.strict_gold, self.gold),
            relaxed: Prf::new(self.relaxed_sys, self.system, self.relaxed_gold, self.gold),
            value: Prf::new(
                self.value_correct,
                self.system,
                self.value_correct,
                self.gold,
            ),
            value_accuracy: ratio(self.value_correct, self.matched),
            kind: Prf::new(self.type_correct, self.system, self.type_correct, self.gold),
            type_accuracy: ratio(self.type_correct, self.matched),
            counts: *self,
        }
    }
}

/// The TempEval-3 temporal-expression measures for a set of documents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimexScores {
    pub strict: Prf,
    pub relaxed: Prf,
    /// Value F1 (the main normalisation measure).
    pub value: Prf,
    pub value_accuracy: f64,
    #[serde(rename = "type")]
    pub kind: Prf,
    pub type_accuracy: f64,
    pub counts: TimeCounts,
}

/// One wrong or missed expression, for looking at errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeError {
    pub doc: String,
    /// Byte offset in the document text.
    pub start: usize,
    pub text: String,
    /// `missed` (gold, no exact system span), `spurious` (system, no exact gold span) or
    /// `value` (matched, value differs).
    pub error: &'static str,
    pub gold: Option<String>,
    pub system: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeScores {
    pub all: TimexScores,
    /// Per folder (`TimeBank`, `AQUAINT`).
    pub by_group: BTreeMap<String, TimexScores>,
    pub documents: usize,
    /// Whitespace tokens in the scored texts.
    pub tokens: usize,
    /// Time spent inside the system under test, single thread.
    pub seconds: f64,
    pub tokens_per_second: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<TimeError>,
}

/// Every `.tml` file under `dir` (recursively), parsed. The group of a document is the
/// name of the folder holding it.
pub fn load_time_docs(dir: &Path) -> Result<Vec<TimeDoc>> {
    let mut paths = Vec::new();
    collect_tml(dir, &mut paths)?;
    paths.sort();
    let mut docs = Vec::new();
    for p in paths {
        let xml = crate::read_text(&p)?;
        let group = p
            .parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let doc = parse_tml(&xml).with_context(|| format!("parsing {}", p.display()))?;
        docs.push(TimeDoc { name, group, ..doc });
    }
    Ok(docs)
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        if p.is_dir() {
            collect_tml(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "tml") {
            out.push(p);
        }
    }
    Ok(())
}

/// The DCT, the plain `<TEXT>` and its TIMEX3 expressions from one TimeML document.
pub fn parse_tml(xml: &str) -> Result<TimeDoc> {
    let dct = xml
        .find("<DCT>")
        .and_then(|i| xml[i..].find("<TIMEX3").map(|j| i + j + 1))
        .and_then(|i| attr(&xml[i..], "value"))
        .and_then(|v| NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok());
    let start = xml.find("<TEXT>").context("no <TEXT>")? + "<TEXT>".len();
    let end = xml[start..]
        .find("</TEXT>")
        .map(|i| start + i)
        .context("no </TEXT>")?;
    let src = &xml[start..end];
    let mut text = String::with_capacity(src.len());
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut i = 0;
    while i < src.len() {
        let rest = &src[i..];
        if rest.starts_with('<') {
            let close = rest.find('>').context("unclosed tag")?;
            let tag = &rest[1..close];
            if tag.starts_with("TIMEX3") {
                let kind = attr(tag, "type").unwrap_or_default().to_string();
                let value = attr(tag, "value").unwrap_or_default().to_string();
                open = Some((text.len(), kind, value));
            } else if tag.starts_with("/TIMEX3") {
                if let Some((s, kind, value)) = open.take() {
                    gold.push(Timex {
                        start: s,
                        end: text.len(),
                        kind,
                        value,
                    });
                }
            }
            i += close + 1;
        } else if rest.starts_with('&') {
            let semi = rest.find(';').filter(|&k| k <= 10);
            match semi.and_then(|k| decode_entity(&rest[1..k])) {
                Some(c) => {
                    text.push(c);
                    i += semi.unwrap_or(0) + 1;
                }
                None => {
                    text.push('&');
                    i += 1;
                }
            }
        } else {
            let c = rest.chars().next().context("char")?;
            text.push(c);
            i += c.len_utf8();
        }
    }
    Ok(TimeDoc {
        name: String::new(),
        group: String::new(),
        dct,
        text,
        gold,
    })
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let end_of_tag = tag.find('>').unwrap_or(tag.len());
    let tag = &tag[..end_of_tag];
    let pat = format!(" {name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let j = tag[i..].find('"')?;
    Some(&tag[i..i + j])
}

fn decode_entity(e: &str) -> Option<char> {
    match e {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = e.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Counts for one document; errors are appended to `errors` when given.
pub fn score_doc(doc: &TimeDoc, sys: &[Timex], errors: Option<&mut Vec<TimeError>>) -> TimeCounts {
    let exact = |a: &Timex, b: &Timex| a.start == b.start && a.end == b.end;
    let gold = &doc.gold;
    let mut c = TimeCounts {
        gold: gold.len(),
        system: sys.len(),
        ..Default::default()
    };
    c.strict_sys = sys
        .iter()
        .filter(|s| gold.iter().any(|g| exact(s, g)))
        .count();
    c.strict_gold = gold
        .iter()
        .filter(|g| sys.iter().any(|s| exact(s, g)))
        .count();
    c.relaxed_sys = sys
        .iter()
        .filter(|s| gold.iter().any(|g| s.overlaps(g)))
        .count();
    c.relaxed_gold = gold
        .iter()
        .filter(|g| sys.iter().any(|s| s.overlaps(g)))
        .count();
    let mut errs = Vec::new();
    for g in gold {
        let shared = |s: &Timex| s.end.min(g.end).saturating_sub(s.start.max(g.start));
        let best = sys
            .iter()
            .filter(|s| s.overlaps(g))
            .max_by_key(|s| (shared(s), std::cmp::Reverse(s.start)));
        let Some(s) = best else {
            errs.push(err(doc, g, "missed", Some(&g.value), None));
            continue;
        };
        c.matched += 1;
        c.value_correct += usize::from(s.value == g.value);
        c.type_correct += usize::from(s.kind == g.kind);
        if !exact(s, g) {
            errs.push(err(doc, g, "missed", Some(&g.value), Some(&s.value)));
        } else if s.value != g.value {
            errs.push(err(doc, g, "value", Some(&g.value), Some(&s.value)));
        }
    }
    for s in sys {
        if !gold.iter().any(|g| exact(s, g)) {
            errs.push(err(doc, s, "spurious", None, Some(&s.value)));
        }
    }
    if let Some(e) = errors {
        e.extend(errs);
    }
    c
}

fn err(
    doc: &TimeDoc,
    t: &Timex,
    error: &'static str,
    g: Option<&str>,
    s: Option<&str>,
) -> TimeError {
    TimeError {
        doc: doc.name.clone(),
        start: t.start,
        text: doc.text.get(t.start..t.end).unwrap_or("").to_string(),
        error,
        gold: g.map(str::to_string),
        system: s.map(str::to_string),
    }
}

/// Scores `find` (document text and creation date → expressions) on every `.tml` file
/// under `data_dir`. With `keep_errors`, every miss, spurious expression and wrong value
/// is listed in the result.
pub fn score_time(
    data_dir: &Path,
    keep_errors: bool,
    find: impl Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> Result<TimeScores> {
    let docs = load_time_docs(data_dir)?;
    anyhow::ensure!(
        !docs.is_empty(),
        "no .tml files under {}",
        data_dir.display()
    );
    Ok(score_docs(&docs, keep_errors, find))
}

/// The engine's own time finder ([`parallax_nlp::times::find_in_text`]) scored on
/// `data_dir`: what `parallax eval time --data DIR` prints.
pub fn score_engine_time(data_dir: &Path, keep_errors: bool) -> Result<TimeScores> {
    score_time(data_dir, keep_errors, engine_timexes)
}

/// The engine's time expressions in `text` as scorer input.
pub fn engine_timexes(text: &str, dct: Option<NaiveDate>) -> Vec<Timex> {
    use parallax_nlp::times;
    times::find_in_text(text, dct)
        .into_iter()
        .map(|t| Timex {
            start: t.span.start,
            end: t.span.end,
            kind: times::timex_type(t.kind).to_string(),
            value: t.value.unwrap_or_default(),
        })
        .collect()
}

/// [`score_time`] on documents already loaded.
pub fn score_docs(
    docs: &[TimeDoc],
    keep_errors: bool,
    find: impl Fn(&str, Option<NaiveDate>) -> Vec<Timex>,
) -> TimeScores {
    let mut all = TimeCounts::default();
    let mut groups: BTreeMap<String, TimeCounts> = BTreeMap::new();
    let mut errors = Vec::new();
    let (mut tokens, mut seconds) = (0usize, 0.0f64);
    for doc in docs {
        let t0 = Instant::now();
        let sys = find(&doc.text, doc.dct);
        seconds += t0.elapsed().as_secs_f64();
        tokens += doc.text.split_whitespace().count();
        let c = score_doc(doc, &sys, keep_errors.then_some(&mut errors));
        all.add(&c);
        groups.entry(doc.group.clone()).or_default().add(&c);
    }
    TimeScores {
        all: all.scores(),
        by_group: groups
            .iter()
            .map(|(k, v)| (k.clone(), v.scores()))
            .collect(),
        documents: docs.len(),
        tokens,
        seconds,
        tokens_per_second: per_second(tokens, seconds),
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-05" functionInDocument="CREATION_TIME">20010305</TIMEX3></DCT>
<TEXT>Crews in Valdor &amp; Brisk <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-04">Sunday</TIMEX3> for <TIMEX3 tid="t2" type="DURATION" value="PT3H">three hours</TIMEX3>.</TEXT></TimeML>"#;

    #[test]
    fn parses_text_and_gold() {
        let d = parse_tml(DOC).unwrap();
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(2001, 3, 5));
        assert_eq!(
            d.text,
            "Crews in Valdor & Brisk met Sunday for three hours."
        );
        assert_eq!(&d.text[d.gold[0].start..d.gold[0].end], "Sunday");
        assert_eq!(d.gold[1].value, "PT3H");
    }

    #[test]
    fn strict_relaxed_and_value() {
        let d = parse_tml(DOC).unwrap();
        let t = |s: &str, kind: &str, v: &str| {
            let start = d.text.find(s).unwrap();
            Timex {
                start,
                end: start + s.len(),
                kind: kind.into(),
                value: v.into(),
            }
        };
        // "Sunday" exact and right; "three hours." overlaps only, wrong value; one spurious.
        let sys = vec![
            t("Crews", "DATE", "X"),
            t("Sunday", "DATE", "2001-03-04"),
            t("three hours.", "DURATION", "P3H"),
        ];
        let s = score_doc(&d, &sys, None).scores();
        assert!((s.strict.precision - 1.0 / 3.0).abs() < 1e-9);
        assert!((s.strict.recall - 0.5).abs() < 1e-9);
        assert!((s.relaxed.recall - 1.0).abs() < 1e-9);
        assert!((s.value_accuracy - 0.5).abs() < 1e-9);
        assert!((s.value.recall - 0.5).abs() < 1e-9);
        assert!((s.type_accuracy - 1.0).abs() < 1e-9);
    }
}
