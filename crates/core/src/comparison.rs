//! What a story looks like laid side by side. These are output products: their
//! citations carry code-point offsets (see [`Citation`]), ready for JSON.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::article::{ArticleId, Outlet};
use crate::brief::Brief;
use crate::span::{CharMap, Span};

/// A place in an article: `start..end` are Unicode code-point offsets into its body, and
/// `text` is what they cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub article: ArticleId,
    pub outlet: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Citation {
    /// The one way to make a citation: from a byte span of `body`, converted through the
    /// body's [`CharMap`].
    pub fn new(article: &ArticleId, outlet: &str, body: &str, map: &CharMap, span: Span) -> Self {
        let (start, end) = map.chars(span);
        Citation {
            article: article.clone(),
            outlet: outlet.to_string(),
            start,
            end,
            text: span.text(body).to_string(),
        }
    }
}

/// One article of the comparison, as the reader sees it in the column header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub outlet: Outlet,
    pub title: String,
    pub published: Option<DateTime<FixedOffset>>,
    pub url: Option<String>,
    pub source: String,
    /// The original this article copies, when it is a syndicated copy.
    pub copy_of: Option<ArticleId>,
}

/// Whether the compared articles report one story, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SameStory {
    pub verdict: bool,
    /// Story groups as the clusterer formed them (article ids), largest first.
    pub groups: Vec<Vec<ArticleId>>,
    /// Pairwise similarity `(a, b, score in 0..1)` for every pair of articles.
    pub similarity: Vec<(ArticleId, ArticleId, f64)>,
}

/// A wire copy: `copy` republishes `original` (verbatim or lightly edited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Syndication {
    pub copy: ArticleId,
    pub original: ArticleId,
    /// Estimated Jaccard similarity of the bodies' shingles.
    pub similarity: f64,
}

/// One fact: the sentences of different articles that report the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// The most complete rendering, used as the fact's label.
    pub text: String,
    pub citations: Vec<Citation>,
    /// Distinct outlets reporting it, syndicated copies folded into their original.
    pub outlets: Vec<String>,
    /// Reported by two or more independent outlets.
    pub consensus: bool,
}

/// One word-level edit between the canonical quote and an outlet's rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum DiffOp {
    Equal(String),
    /// Words the rendering adds.
    Insert(String),
    /// Words the rendering drops.
    Delete(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteRendering {
    pub citation: Citation,
    /// Word-level diff from the canonical wording to this one.
    pub diff: Vec<DiffOp>,
    /// Identical to the canonical wording.
    pub verbatim: bool,
    /// The edit changes meaning (a negation, a number or a content word differs), as
    /// opposed to spelling, punctuation or a dropped article.
    pub changes_meaning: bool,
}

/// One statement by one speaker, with every outlet's wording of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteGroup {
    pub speaker: Option<String>,
    /// The wording most outlets use (ties: the longest).
    pub canonical: String,
    pub renderings: Vec<QuoteRendering>,
}

/// `from` names `to` as a source of its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditEdge {
    /// The crediting article's outlet.
    pub from: String,
    pub article: ArticleId,
    /// The outlet credited.
    pub to: String,
    pub kind: crate::analysis::CreditKind,
    pub text: String,
}

/// How one headline frames the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineFrame {
    pub article: ArticleId,
    pub outlet: String,
    pub headline: String,
    /// Who the headline makes the actor, when it names one.
    pub agent: Option<String>,
    /// The main verb or action phrase.
    pub action: Option<String>,
    /// Loaded or sensational words ("slams", "chaos", "shock").
    pub loaded_terms: Vec<String>,
    /// Hedges ("may", "reportedly", "could", a question mark).
    pub hedges: Vec<String>,
    /// 0 (neutral) to 1 (sensational).
    pub sensationalism: f64,
}

/// A dated point of the story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Absolute TIMEX3 value (`2026-03-14`).
    pub value: String,
    /// The sentence that mentions it, as the first citation's text shows.
    pub event: String,
    pub citations: Vec<Citation>,
}

/// A story laid side by side across its outlets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub title: String,
    pub articles: Vec<ArticleSummary>,
    pub same_story: SameStory,
    pub syndication: Vec<Syndication>,
    /// Consensus facts first, then facts unique to one outlet.
    pub facts: Vec<Fact>,
    pub quotes: Vec<QuoteGroup>,
    pub credits: Vec<CreditEdge>,
    pub headlines: Vec<HeadlineFrame>,
    pub timeline: Vec<TimelineEntry>,
    pub brief: Brief,
}
