//! The brief: an extractive, cited summary built from the facts.
//!
//! Consensus facts come first (they are already ordered most outlets first), at most
//! [`MAX_CONSENSUS`]; then the most notable unique facts, taken round-robin over
//! outlets so each outlet's own angle shows, until the brief has
//! `max(MIN_SENTENCES, consensus + 2)` sentences, never more than [`MAX_SENTENCES`].
//! A unique fact is notable by what it carries: numbers and capitalised names count
//! double, other content words once.
//!
//! Each sentence is one fact's text, which is its first citation's text, copied from
//! the body exactly; its citations are all of the fact's citations, so a reader (or a
//! test) can check every sentence against the articles.

use parallax_core::{Brief, BriefSentence, Fact};

use crate::words;

pub const MIN_SENTENCES: usize = 5;
pub const MAX_SENTENCES: usize = 8;
pub const MAX_CONSENSUS: usize = 6;

pub fn brief(facts: &[Fact]) -> Brief {
    let mut chosen: Vec<&Fact> = facts
        .iter()
        .filter(|f| f.consensus)
        .take(MAX_CONSENSUS)
        .collect();
    let want = MIN_SENTENCES.max(chosen.len() + 2).min(MAX_SENTENCES);
    let unique: Vec<&Fact> = facts.iter().filter(|f| !f.consensus).collect();
    chosen.extend(
        round_robin(&unique)
            .into_iter()
            .take(want.saturating_sub(chosen.len())),
    );
    let sentences = chosen
        .into_iter()
        .filter(|f| !f.citations.is_empty())
        .map(sentence)
        .collect();
    Brief { sentences }
}

fn sentence(f: &Fact) -> BriefSentence {
    BriefSentence {
        text: f.citations[0].text.clone(),
        citations: f.citations.clone(),
    }
}

/// Unique facts ordered: each outlet's most notable, then each outlet's second, …
fn round_robin<'a>(unique: &[&'a Fact]) -> Vec<&'a Fact> {
    let mut outlets: Vec<&str> = Vec::new();
    for f in unique {
        let o = f.outlets.first().map_or("", String::as_str);
        if !outlets.contains(&o) {
            outlets.push(o);
        }
    }
    let mut queues: Vec<Vec<&Fact>> = outlets
        .iter()
        .map(|o| {
            let mut q: Vec<&Fact> = unique
                .iter()
                .copied()
                .filter(|f| f.outlets.first().map_or("", String::as_str) == *o)
                .collect();
            q.sort_by_key(|f| std::cmp::Reverse(notability(&f.text)));
            q.reverse();
            q
        })
        .collect();
    let mut out = Vec::new();
    while queues.iter().any(|q| !q.is_empty()) {
        for q in &mut queues {
            if let Some(f) = q.pop() {
                out.push(f);
            }
        }
    }
    out
}

/// Numbers and capitalised names count double, other content words once.
fn notability(text: &str) -> usize {
    let ws = words::words(text);
    let content = words::content_words(text).len();
    let strong = ws
        .iter()
        .skip(1)
        .filter(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        .count();
    content + strong
}
