//! The Parallax data model: what every stage reads and writes.
//!
//! Parallax reads articles from many outlets, groups the reports of one event into
//! [`Story`]s and lays the outlets side by side in a [`Comparison`] and a cited [`Brief`].
//! This crate names those things and nothing more: it does no I/O, so every stage
//! crate (ingest, nlp, stories, compare, store) can depend on it and on nothing else
//! of ours to agree on a type.
//!
//! Offsets: inside the engine every [`Span`] is a byte range into an article's `body`.
//! Everything that leaves the engine as JSON gives `start`/`end` as Unicode code-point
//! offsets into the same body, so Python users can slice with them; [`CharMap`] does that
//! conversion and [`json`] holds the output shapes.

mod analysis;
mod article;
mod brief;
mod comparison;
pub mod date;
pub mod json;
mod span;
mod story;

pub use analysis::{
    Analysis, AnalyzedArticle, Credit, CreditKind, Entity, EntityKind, Quote, QuoteKind, Sentence,
    TimeExpr, TimeKind,
};
pub use article::{outlet_key, Article, ArticleId, Outlet};
pub use brief::{Brief, BriefSentence};
pub use comparison::{
    ArticleSummary, Citation, Comparison, CreditEdge, DiffOp, Fact, HeadlineFrame, QuoteGroup,
    QuoteRendering, SameStory, Syndication, TimelineEntry,
};
pub use span::{CharMap, Span};
pub use story::{Story, StoryId};
