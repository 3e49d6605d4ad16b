//! Renderers of a [`Comparison`]: plain text for a terminal, Markdown, and one
//! self-contained HTML page. JSON is serde on [`Comparison`] and lives with the callers.
//!
//! The three share the section order (header, verdict, syndication, facts, quotes,
//! credits, headlines, timeline, brief with numbered citations) and the helpers below,
//! so they say the same things in different markup.

mod html;
mod markdown;
mod text;

use parallax_core::{
    ArticleId, Citation, Comparison, CreditEdge, CreditKind, DiffOp, Fact, Syndication,
};

use crate::words::needs_space;

/// Plain text, wrapped for an 80–100 column terminal, diffs as `[-old-]{+new+}`.
pub fn text(c: &Comparison) -> String {
    text::render(c)
}

/// GitHub-flavoured Markdown with headings and tables.
pub fn markdown(c: &Comparison) -> String {
    markdown::render(c)
}

/// One self-contained HTML page: inline CSS, no scripts or external assets, every
/// piece of article text escaped.
pub fn html(c: &Comparison) -> String {
    html::render(c)
}

/// The outlet name of an article of the comparison (its id when unknown).
fn outlet_of(c: &Comparison, id: &ArticleId) -> String {
    c.articles
        .iter()
        .find(|a| &a.id == id)
        .map_or_else(|| id.to_string(), |a| a.outlet.name.clone())
}

/// The outlets a timeline entry cites, each once, in citation order.
fn entry_sources(t: &parallax_core::TimelineEntry) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in &t.citations {
        if !out.contains(&c.outlet.as_str()) {
            out.push(&c.outlet);
        }
    }
    out.join(", ")
}

/// Outlet names in article order, each once.
fn outlets(c: &Comparison) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in &c.articles {
        if !out.contains(&a.outlet.name) {
            out.push(a.outlet.name.clone());
        }
    }
    out
}

/// How many independent outlets the story has: copies count as their originals.
fn independent_count(c: &Comparison) -> usize {
    let mut keys: Vec<String> = c
        .articles
        .iter()
        .filter(|a| a.copy_of.is_none())
        .map(|a| a.outlet.key())
        .collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

fn verdict(c: &Comparison) -> String {
    let s = &c.same_story;
    let n = c.articles.len();
    if s.verdict {
        return format!("yes: all {n} articles in one story");
    }
    let groups: Vec<String> = s
        .groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|id| outlet_of(c, id))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    format!("no: {} groups ({})", groups.len(), groups.join(" | "))
}

fn syndication_line(c: &Comparison, s: &Syndication) -> String {
    format!(
        "{} republishes {} ({:.2})",
        outlet_of(c, &s.copy),
        outlet_of(c, &s.original),
        s.similarity
    )
}

fn kind_label(k: CreditKind) -> &'static str {
    match k {
        CreditKind::ReportedBy => "reported by",
        CreditKind::TranslationBy => "translation by",
        CreditKind::ContributedTo => "contributed",
        CreditKind::FirstAppearedOn => "first appeared on",
        CreditKind::Wire => "wire",
    }
}

fn credit_line(e: &CreditEdge) -> String {
    format!("{} → {} ({})", e.from, e.to, kind_label(e.kind))
}

/// Fact sections in display order: (heading, facts).
fn fact_sections(c: &Comparison) -> Vec<(String, Vec<&Fact>)> {
    let all = independent_count(c);
    let mut out: Vec<(String, Vec<&Fact>)> = Vec::new();
    for f in &c.facts {
        let heading = match f.outlets.as_slice() {
            _ if f.consensus && f.outlets.len() >= all => "Reported by all outlets".to_string(),
            _ if f.consensus => "Reported by several outlets".to_string(),
            [o, ..] => format!("Only in {o}"),
            [] => "Unattributed".to_string(),
        };
        match out.iter_mut().find(|(h, _)| *h == heading) {
            Some((_, fs)) => fs.push(f),
            None => out.push((heading, vec![f])),
        }
    }
    out
}

/// A diff as one line of text, each op wrapped by `wrap(op)` (which also escapes),
/// spaced the way the words were.
fn inline_diff(ops: &[DiffOp], wrap: impl Fn(&DiffOp) -> String) -> String {
    let mut out = String::new();
    let mut prev = "";
    for op in ops {
        let (DiffOp::Equal(t) | DiffOp::Insert(t) | DiffOp::Delete(t)) = op;
        if needs_space(prev, t) {
            out.push(' ');
        }
        out.push_str(&wrap(op));
        prev = t;
    }
    out
}

/// The brief's citations numbered once each (same article and span, same number), and
/// for every brief sentence the numbers it cites.
struct Numbered<'a> {
    list: Vec<&'a Citation>,
    per_sentence: Vec<Vec<usize>>,
}

fn number_citations(c: &Comparison) -> Numbered<'_> {
    let mut list: Vec<&Citation> = Vec::new();
    let mut per_sentence = Vec::new();
    for s in &c.brief.sentences {
        let mut nums = Vec::new();
        for cit in &s.citations {
            let same = |x: &&Citation| {
                x.article == cit.article && (x.start, x.end) == (cit.start, cit.end)
            };
            let n = match list.iter().position(same) {
                Some(p) => p + 1,
                None => {
                    list.push(cit);
                    list.len()
                }
            };
            nums.push(n);
        }
        per_sentence.push(nums);
    }
    Numbered { list, per_sentence }
}

fn citation_line(cit: &Citation) -> String {
    format!(
        "{}, article {}, chars {}–{}",
        cit.outlet, cit.article, cit.start, cit.end
    )
}

fn headline_signals(terms: &[String]) -> String {
    if terms.is_empty() {
        "–".to_string()
    } else {
        terms.join(", ")
    }
}
