//! Comparing the articles of one story across outlets: the heart of Parallax.
//!
//! [`compare`] takes analysed articles and lays them side by side in a
//! [`Comparison`]: whether they are one story, which are wire copies, the facts all or
//! several outlets report and those only one does, every outlet's wording of each quote
//! with word-level diffs and meaning-change flags, who credits whom, how each headline
//! frames the story, a merged timeline, and an extractive brief whose every sentence
//! cites article spans (code-point offsets, checkable by slicing the body). [`render`]
//! turns a comparison into text, Markdown or a self-contained HTML page.
//!
//! It is a pure function of its input: no I/O, no global state. Modules, one concern
//! each:
//! - `same`: same-story verdict and syndication, from a fresh `parallax-stories`
//!   clusterer (plus a strict local copy check);
//! - `docs`: the articles with char maps and copies folded into their originals;
//! - `words`: tokenising, stemming, spelling variants, word lists;
//! - `align`: constrained best-first grouping shared by facts and quotes;
//! - `facts`, `quotes`, `credits`, `headlines`, `timeline`, `brief`: one product each;
//! - `render`: the three output formats.
//!
//! It relies only on what the analysis provides (sentences, entities, quotes with
//! speakers, credits, resolved times) and degrades gracefully when parts are missing:
//! no quotes means no quote groups, no times means no timeline.

mod align;
mod brief;
mod credits;
mod docs;
mod facts;
mod headlines;
mod names;
mod quotes;
pub mod render;
mod same;
mod timeline;
mod words;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

use parallax_core::{AnalyzedArticle, ArticleSummary, Comparison, HeadlineFrame, Syndication};

pub use facts::{LINK as FACT_LINK, THRESHOLD as FACT_THRESHOLD};
pub use quotes::THRESHOLD as QUOTE_THRESHOLD;

/// Lays `docs` side by side: same story or not, syndicated copies, facts shared and
/// unique, quote variants, credits, headline framing, timeline and a cited brief.
pub fn compare(docs: &[AnalyzedArticle]) -> Comparison {
    let clustering = same::cluster(docs);
    let same_story = same::same_story(docs, &clustering);
    let syndication = same::syndication(docs, &clustering);
    let view = docs::build(docs, &syndication);
    let stories = story_of(docs, &same_story.groups);
    let facts = facts::facts(&view);
    let headlines = headlines::headlines(&view);
    let title = same::story_title(docs, &clustering).unwrap_or_else(|| neutral_title(&headlines));
    Comparison {
        title,
        articles: docs.iter().map(|d| summary(d, &syndication)).collect(),
        same_story,
        brief: brief::brief(&facts),
        facts,
        quotes: quotes::quotes(&view, &stories),
        credits: credits::credits(&view),
        headlines,
        timeline: timeline::timeline(&view),
        syndication,
    }
}

/// Per doc, the index of its same-story group: quotes are compared only within a
/// story (an operator's "would not resume" in a rail story is not a rendering of a
/// ferry company's statement).
fn story_of(docs: &[AnalyzedArticle], groups: &[Vec<parallax_core::ArticleId>]) -> Vec<usize> {
    docs.iter()
        .map(|d| {
            groups
                .iter()
                .position(|g| g.contains(&d.article.id))
                .unwrap_or(usize::MAX)
        })
        .collect()
}

/// The least sensational headline (fewest hedges among equals, then the first), or ""
/// for no articles.
fn neutral_title(headlines: &[HeadlineFrame]) -> String {
    headlines
        .iter()
        .filter(|h| !h.headline.is_empty())
        .min_by(|a, b| {
            a.sensationalism
                .total_cmp(&b.sensationalism)
                .then(a.hedges.len().cmp(&b.hedges.len()))
        })
        .map(|h| h.headline.clone())
        .unwrap_or_default()
}

fn summary(d: &AnalyzedArticle, syndication: &[Syndication]) -> ArticleSummary {
    let a = &d.article;
    ArticleSummary {
        id: a.id.clone(),
        outlet: a.outlet.clone(),
        title: a.title.clone(),
        published: a.published,
        url: a.url.clone(),
        source: a.source.clone(),
        copy_of: syndication
            .iter()
            .find(|s| s.copy == a.id)
            .map(|s| s.original.clone()),
    }
}
