//! Quote variants: every outlet's wording of one statement, diffed word by word.
//!
//! Quotes of different articles are the same statement when their speakers agree (or
//! one is unknown) and their words overlap: Dice ≥ [`THRESHOLD`] on normalised word
//! sets, or containment (one is a fragment of the other, ≥ 4 words) minus a small
//! margin. The canonical wording is the one most independent outlets use (ties: the
//! longest). Each rendering is diffed against it over words *and* punctuation, so
//! ":" vs ";" shows; an edit changes meaning when it adds or drops a negation, a number
//! or a content word that is not a spelling variant, a function word or punctuation.
//! Words cut from the very start or end (an outlet quoting part of the statement) only
//! count when they include a negation.

use std::collections::HashSet;

use parallax_core::{DiffOp, QuoteGroup, QuoteRendering, Span};
use similar::{Algorithm, ChangeTag};

use crate::align;
use crate::docs::{trim_span, Doc};
use crate::words;

/// Minimum word overlap (Dice) for two quotes to be one statement.
pub const THRESHOLD: f64 = 0.6;
/// Minimum average overlap between two groups for them to merge.
pub const LINK: f64 = 0.5;
/// What containment loses against Dice, so full renderings pair before fragments.
const FRAGMENT_MARGIN: f64 = 0.1;
const MIN_FRAGMENT_WORDS: usize = 4;

struct Item {
    doc: usize,
    span: Span,
    text: String,
    speaker: Option<String>,
    words: HashSet<String>,
}

/// All quotes, grouped by statement: multi-outlet groups first (most outlets first),
/// then single-outlet ones, each in order of first appearance. `story_of` gives each
/// doc's story: only quotes of docs in one story are compared.
pub fn quotes(docs: &[Doc], story_of: &[usize]) -> Vec<QuoteGroup> {
    let items = items(docs);
    let doc_of: Vec<usize> = items.iter().map(|i| i.doc).collect();
    let pairs = pairs(&items)
        .into_iter()
        .filter(|&(i, j, _)| story_of.get(items[i].doc) == story_of.get(items[j].doc))
        .collect();
    let groups = align::group(&doc_of, pairs, THRESHOLD, LINK);
    let mut out: Vec<(usize, usize, QuoteGroup)> = groups
        .iter()
        .map(|g| (outlet_count(docs, &items, g), g[0], build(docs, &items, g)))
        .collect();
    out.sort_by_key(|(n, first, _)| (*n < 2, std::cmp::Reverse(*n), *first));
    out.into_iter().map(|(_, _, g)| g).collect()
}

fn items(docs: &[Doc]) -> Vec<Item> {
    let names = crate::names::StoryNames::new(docs);
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for q in &doc.a.analysis.quotes {
            let span = trim_span(doc.body(), q.content);
            let text = span.text(doc.body()).to_string();
            let words: HashSet<String> = words::words(&text).into_iter().map(words::norm).collect();
            if !words.is_empty() {
                out.push(Item {
                    doc: d,
                    span,
                    text,
                    speaker: q.speaker.as_deref().map(|s| names.canonical(s)),
                    words,
                });
            }
        }
    }
    out
}

fn pairs(items: &[Item]) -> Vec<align::Pair> {
    let mut out = Vec::new();
    for (i, a) in items.iter().enumerate() {
        for (j, b) in items.iter().enumerate().skip(i + 1) {
            if a.doc != b.doc && speakers_agree(a, b) {
                out.push((i, j, overlap(&a.words, &b.words)));
            }
        }
    }
    out
}

fn speakers_agree(a: &Item, b: &Item) -> bool {
    match (&a.speaker, &b.speaker) {
        (Some(x), Some(y)) => x.to_lowercase() == y.to_lowercase(),
        _ => true,
    }
}

/// Dice, or containment less a margin when one quote is a fragment of the other.
fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let shared = a.intersection(b).count() as f64;
    let dice = 2.0 * shared / (a.len() + b.len()) as f64;
    let small = a.len().min(b.len());
    if small < MIN_FRAGMENT_WORDS {
        return dice;
    }
    dice.max(shared / small as f64 - FRAGMENT_MARGIN)
}

/// The independent reporting unit of each member: a copy counts as its original when
/// the original is in the group.
fn units(docs: &[Doc], items: &[Item], group: &[usize]) -> Vec<String> {
    let member_docs: Vec<usize> = group.iter().map(|&i| items[i].doc).collect();
    member_docs
        .iter()
        .map(|&d| {
            let unit = if member_docs.contains(&docs[d].root) {
                docs[d].root
            } else {
                d
            };
            docs[unit].outlet_key()
        })
        .collect()
}

fn outlet_count(docs: &[Doc], items: &[Item], group: &[usize]) -> usize {
    units(docs, items, group)
        .into_iter()
        .collect::<HashSet<_>>()
        .len()
}

fn build(docs: &[Doc], items: &[Item], group: &[usize]) -> QuoteGroup {
    let canonical = canonical(docs, items, group);
    let renderings = group
        .iter()
        .map(|&i| rendering(&docs[items[i].doc], &items[i], &canonical))
        .collect();
    QuoteGroup {
        speaker: speaker(items, group),
        canonical,
        renderings,
    }
}

/// The wording used by most independent outlets. Ties (common when every outlet edits
/// the statement a little differently) go to the wording nearest all the others, the
/// medoid, so the canonical form is the one the variants diverge from; then the longest.
fn canonical(docs: &[Doc], items: &[Item], group: &[usize]) -> String {
    let units = units(docs, items, group);
    let mut best: Option<(usize, std::cmp::Reverse<usize>, usize, &str)> = None;
    for &i in group {
        let text = items[i].text.as_str();
        let users: HashSet<&String> = group
            .iter()
            .zip(&units)
            .filter(|(&j, _)| items[j].text == text)
            .map(|(_, u)| u)
            .collect();
        let spread: usize = group
            .iter()
            .map(|&j| edit_count(text, &items[j].text))
            .sum();
        let key = (
            users.len(),
            std::cmp::Reverse(spread),
            text.chars().count(),
            text,
        );
        if best.is_none_or(|b| (key.0, key.1, key.2) > (b.0, b.1, b.2)) {
            best = Some(key);
        }
    }
    best.map(|b| b.3.to_string()).unwrap_or_default()
}

/// Words and marks inserted or deleted between two wordings.
fn edit_count(a: &str, b: &str) -> usize {
    diff(a, b)
        .0
        .iter()
        .filter(|op| !matches!(op, DiffOp::Equal(_)))
        .count()
}

/// The speaker most renderings name.
fn speaker(items: &[Item], group: &[usize]) -> Option<String> {
    let named: Vec<&String> = group
        .iter()
        .filter_map(|&i| items[i].speaker.as_ref())
        .collect();
    named
        .iter()
        .max_by_key(|s| {
            (
                named.iter().filter(|t| t == s).count(),
                std::cmp::Reverse(named.iter().position(|t| t == *s)),
            )
        })
        .map(|s| s.to_string())
}

fn rendering(doc: &Doc, item: &Item, canonical: &str) -> QuoteRendering {
    let (diff, changes_meaning) = diff(canonical, &item.text);
    let verbatim = diff.iter().all(|op| matches!(op, DiffOp::Equal(_)));
    QuoteRendering {
        citation: doc.cite(item.span),
        diff,
        verbatim,
        changes_meaning,
    }
}

/// Word-and-punctuation diff from `old` to `new`, and whether it changes meaning.
pub fn diff(old: &str, new: &str) -> (Vec<DiffOp>, bool) {
    let a: Vec<&str> = words::tokens(old).iter().map(|t| t.text).collect();
    let b: Vec<&str> = words::tokens(new).iter().map(|t| t.text).collect();
    let changes = similar::utils::diff_slices(Algorithm::Myers, &a, &b);
    let last = changes.len().saturating_sub(1);
    let mut ops: Vec<(ChangeTag, Vec<&str>)> = Vec::new();
    let (mut deleted, mut inserted) = (Vec::new(), Vec::new());
    for (k, &(tag, slice)) in changes.iter().enumerate() {
        let cut = is_cut(&changes, k, last);
        match tag {
            ChangeTag::Delete
                if cut && !slice.iter().any(|w| words::is_negation(&words::lower(w))) => {}
            ChangeTag::Delete => deleted.extend_from_slice(slice),
            ChangeTag::Insert => inserted.extend_from_slice(slice),
            ChangeTag::Equal => {}
        }
        match ops.last_mut() {
            Some((t, toks)) if *t == tag => toks.extend_from_slice(slice),
            _ => ops.push((tag, slice.to_vec())),
        }
    }
    let ops = ops
        .into_iter()
        .map(|(tag, toks)| to_op(tag, words::join(&toks)))
        .collect();
    (ops, changes_meaning(&deleted, &inserted))
}

/// Whether change `k` drops words at the very start or end of the canonical wording
/// with everything next to it kept: the outlet quoted part of the statement. Such cuts
/// change meaning only when they drop a negation.
fn is_cut(changes: &[(ChangeTag, &[&str])], k: usize, last: usize) -> bool {
    let equal = |i: usize| changes.get(i).is_some_and(|c| c.0 == ChangeTag::Equal);
    changes[k].0 == ChangeTag::Delete
        && ((k == 0 && equal(1)) || (k == last && k > 0 && equal(k - 1)))
}

fn to_op(tag: ChangeTag, text: String) -> DiffOp {
    match tag {
        ChangeTag::Equal => DiffOp::Equal(text),
        ChangeTag::Insert => DiffOp::Insert(text),
        ChangeTag::Delete => DiffOp::Delete(text),
    }
}

/// Meaning changes when the edit adds or drops a negation, a number, or a content word
/// that is neither a spelling variant of a word on the other side nor a function word.
/// Punctuation and case never change meaning here.
pub fn changes_meaning(deleted: &[&str], inserted: &[&str]) -> bool {
    let words_of = |toks: &[&str]| -> Vec<String> {
        toks.iter()
            .filter(|t| t.starts_with(char::is_alphanumeric))
            .map(|t| words::lower(t))
            .collect()
    };
    let (mut del, mut ins) = (words_of(deleted), words_of(inserted));
    drop_variant_pairs(&mut del, &mut ins);
    let negations = |ws: &[String]| ws.iter().filter(|w| words::is_negation(w)).count();
    if negations(&del) != negations(&ins) {
        return true;
    }
    del.iter().chain(&ins).any(|w| {
        words::number_value(w).is_some() || (!words::is_function_word(w) && !words::is_negation(w))
    })
}

/// Removes each deleted word that has a spelling variant among the inserted ones,
/// together with that variant.
fn drop_variant_pairs(del: &mut Vec<String>, ins: &mut Vec<String>) {
    del.retain(|d| {
        let key = words::spelling_key(d);
        match ins.iter().position(|i| words::spelling_key(i) == key) {
            Some(p) => {
                ins.remove(p);
                false
            }
            None => true,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::edits;

    #[test]
    fn spelling_punctuation_and_articles_do_not_change_meaning() {
        let (ops, meaning) = diff("We favour the plan: now.", "We favor plan; now.");
        assert_eq!(edits(&ops), ["-favour the", "+favor", "-:", "+;"]);
        assert!(!meaning);
    }

    #[test]
    fn negations_numbers_and_content_words_do() {
        assert!(diff("We will not stop", "We will stop").1);
        assert!(diff("We saw 12 boats", "We saw 14 boats").1);
        assert!(diff("a quiet night", "a chaotic night").1);
        assert!(!diff("We Will stop", "we will stop").1);
        // A negation that only changes form is not a change of meaning.
        assert!(!diff("they can't say", "they cannot say").1);
        // Quoting part of a statement is no change of meaning, unless the cut is "not".
        assert!(!diff("Frankly, the ferry was safe today", "the ferry was safe").1);
        assert!(diff("the ferry was safe, not", "the ferry was safe,").1);
    }

    #[test]
    fn diff_ops_rebuild_both_wordings() {
        let (ops, _) = diff("a, b c", "a; b d");
        let old: Vec<&str> = ops
            .iter()
            .filter_map(|o| match o {
                DiffOp::Insert(_) => None,
                DiffOp::Equal(t) | DiffOp::Delete(t) => Some(t.as_str()),
            })
            .collect();
        assert_eq!(words::join(&old), "a, b c");
    }
}
