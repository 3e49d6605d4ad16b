//! Facts: sentences of different articles that report the same thing.
//!
//! Each sentence becomes a bag of content words in comparison form (lowercase,
//! spelling-folded, lightly stemmed, number words as digits). Two sentences are scored
//! by the cosine of their IDF-weighted word sets (IDF over this story's sentences, so
//! "ferry" in a ferry story weighs little and "212" or "lifeboats" a lot), plus a bonus
//! for each number or named entity they share, which is strong evidence that two
//! rewordings report one thing. Sentences are then grouped by [`align::group`] with
//! [`THRESHOLD`] / [`LINK`], at most one sentence per article per fact.
//!
//! Syndicated copies count once: a copy's sentence is folded into its original's outlet
//! when the original reports the fact too, so a verbatim copy never makes consensus.

use std::collections::{HashMap, HashSet};

use parallax_core::{Fact, Span};

use crate::align;
use crate::docs::{independent_outlets, Doc};
use crate::words;

/// Minimum similarity for two sentences to report one fact.
pub const THRESHOLD: f64 = 0.3;
/// Minimum average similarity between two groups for them to merge.
pub const LINK: f64 = 0.2;
/// Sentences with fewer content words are too short to be a fact.
pub const MIN_CONTENT_WORDS: usize = 4;
/// Bonus per shared number or entity, its cap, and the base score it needs.
const EVIDENCE_BONUS: f64 = 0.05;
const EVIDENCE_CAP: f64 = 0.15;
const EVIDENCE_FLOOR: f64 = 0.2;

/// A candidate sentence.
struct Unit {
    doc: usize,
    span: Span,
    words: HashSet<String>,
    /// Numbers and entity names, the strong evidence.
    evidence: HashSet<String>,
    content: usize,
}

/// The story's facts: consensus first (more outlets first), then facts unique to one
/// outlet, grouped by outlet in article order; within those, in article order.
pub fn facts(docs: &[Doc]) -> Vec<Fact> {
    let units = units(docs);
    let doc_of: Vec<usize> = units.iter().map(|u| u.doc).collect();
    let groups = align::group(&doc_of, pairs(&units), THRESHOLD, LINK);
    let mut drafts: Vec<(Fact, (usize, usize))> =
        groups.iter().map(|g| draft(docs, &units, g)).collect();
    drafts.sort_by_key(|(f, key)| (!f.consensus, std::cmp::Reverse(f.outlets.len()), *key));
    drafts.into_iter().map(|(f, _)| f).collect()
}

/// A fact from a group of units, with its sort key: (outlet rank, first unit) for
/// unique facts; consensus facts sort by first unit only.
fn draft(docs: &[Doc], units: &[Unit], group: &[usize]) -> (Fact, (usize, usize)) {
    let members: Vec<usize> = group.iter().map(|&u| units[u].doc).collect();
    let outlets = independent_outlets(docs, &members);
    let best = *group
        .iter()
        .max_by_key(|&&u| (units[u].content, units[u].span.len(), std::cmp::Reverse(u)))
        .expect("groups are never empty");
    let mut citations = vec![docs[units[best].doc].cite(units[best].span)];
    for &u in group.iter().filter(|&&u| u != best) {
        citations.push(docs[units[u].doc].cite(units[u].span));
    }
    let consensus = outlets.len() >= 2;
    let rank = if consensus {
        0
    } else {
        docs.iter()
            .position(|d| d.outlet_key() == outlets[0].0)
            .unwrap_or(0)
    };
    let fact = Fact {
        text: citations[0].text.clone(),
        citations,
        outlets: outlets.into_iter().map(|(_, name)| name).collect(),
        consensus,
    };
    (fact, (rank, group[0]))
}

fn units(docs: &[Doc]) -> Vec<Unit> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for span in doc.sentences() {
            if is_boilerplate(doc, span) {
                continue;
            }
            let text = span.text(doc.body());
            let content = words::content_words(text);
            if content.len() < MIN_CONTENT_WORDS {
                continue;
            }
            let evidence = evidence(doc, span, &content);
            out.push(Unit {
                doc: d,
                span,
                content: content.len(),
                words: content.into_iter().collect(),
                evidence,
            });
        }
    }
    out
}

/// Numbers in the sentence and canonical names of the entities inside it.
fn evidence(doc: &Doc, span: Span, content: &[String]) -> HashSet<String> {
    let numbers = content
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_ascii_digit()));
    let entities = doc
        .a
        .analysis
        .entities
        .iter()
        .filter(|e| span.contains(e.span))
        .map(|e| format!("entity:{}", e.canonical.to_lowercase()));
    numbers.cloned().chain(entities).collect()
}

/// Phrases that mark a credit, copyright or promotion line rather than reporting.
#[rustfmt::skip]
const BOILERPLATE: &[&str] = &[
    "contributed to this report", "appeared first on", "originally published",
    "all rights reserved", "copyright", "sign up for", "subscribe to", "click here",
    "read more:", "(reporting by", "editing by", "follow us on", "with agencies",
];

/// Credit lines (a credit covering half the sentence or more) and boilerplate.
fn is_boilerplate(doc: &Doc, span: Span) -> bool {
    let lower = span.text(doc.body()).to_lowercase();
    if BOILERPLATE.iter().any(|b| lower.contains(b)) {
        return true;
    }
    doc.a.all_credits().iter().filter_map(|c| c.span).any(|c| {
        let overlap = c.end.min(span.end).saturating_sub(c.start.max(span.start));
        overlap * 2 >= span.len()
    })
}

/// Scored pairs of units from different articles, via an inverted index so only
/// sentences sharing a word are compared.
fn pairs(units: &[Unit]) -> Vec<align::Pair> {
    let idf = idf(units);
    let norms: Vec<f64> = units
        .iter()
        .map(|u| u.words.iter().map(|w| idf[w].powi(2)).sum::<f64>().sqrt())
        .collect();
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for w in &u.words {
            index.entry(w.as_str()).or_default().push(i);
        }
    }
    let mut dot: HashMap<(usize, usize), f64> = HashMap::new();
    for (w, posting) in &index {
        let weight = idf[*w].powi(2);
        for (k, &i) in posting.iter().enumerate() {
            for &j in &posting[k + 1..] {
                if units[i].doc != units[j].doc {
                    *dot.entry((i, j)).or_default() += weight;
                }
            }
        }
    }
    dot.into_iter()
        .map(|((i, j), d)| (i, j, score(&units[i], &units[j], d / (norms[i] * norms[j]))))
        .collect()
}

/// Cosine plus the shared-evidence bonus, capped at 1.
fn score(a: &Unit, b: &Unit, cosine: f64) -> f64 {
    if cosine < EVIDENCE_FLOOR {
        return cosine;
    }
    let shared = a.evidence.intersection(&b.evidence).count() as f64;
    (cosine + (shared * EVIDENCE_BONUS).min(EVIDENCE_CAP)).min(1.0)
}

/// ln(1 + N/df) over the story's candidate sentences.
fn idf(units: &[Unit]) -> HashMap<String, f64> {
    let mut df: HashMap<String, usize> = HashMap::new();
    for u in units {
        for w in &u.words {
            *df.entry(w.clone()).or_default() += 1;
        }
    }
    let n = units.len() as f64;
    df.into_iter()
        .map(|(w, c)| (w, (1.0 + n / c as f64).ln()))
        .collect()
}
