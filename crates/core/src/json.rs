//! The JSON shapes of `parallax extract` and `parallax analyze`: spans become
//! `start`/`end` code-point offsets into `body`.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::analysis::{AnalyzedArticle, CreditKind, EntityKind, QuoteKind, TimeKind};
use crate::article::{Article, Outlet};
use crate::span::{CharMap, Span};

#[derive(Debug, Clone, Serialize)]
pub struct SpanView {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl SpanView {
    fn new(body: &str, map: &CharMap, span: Span) -> Self {
        let (start, end) = map.chars(span);
        SpanView {
            start,
            end,
            text: span.text(body).to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CreditView {
    pub outlet: String,
    pub kind: CreditKind,
    pub text: String,
    /// Present for credits inside the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// Output of `parallax extract`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    pub outlet: Outlet,
    pub title: String,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub language: Option<String>,
    pub body: String,
    pub credits: Vec<CreditView>,
}

impl ArticleView {
    pub fn new(article: &Article) -> Self {
        let map = CharMap::new(&article.body);
        Self::with_credits(article, &map, article.credits.iter())
    }

    fn with_credits<'a>(
        a: &Article,
        map: &CharMap,
        credits: impl Iterator<Item = &'a crate::analysis::Credit>,
    ) -> Self {
        ArticleView {
            id: a.id.0.clone(),
            source: a.source.clone(),
            url: a.url.clone(),
            outlet: a.outlet.clone(),
            title: a.title.clone(),
            byline: a.byline.clone(),
            published: a.published,
            language: a.language.clone(),
            body: a.body.clone(),
            credits: credits
                .map(|c| {
                    let chars = c.span.map(|s| map.chars(s));
                    CreditView {
                        outlet: c.outlet.clone(),
                        kind: c.kind,
                        text: c.text.clone(),
                        start: chars.map(|c| c.0),
                        end: chars.map(|c| c.1),
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: EntityKind,
    pub canonical: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    pub content: SpanView,
    pub cue: Option<SpanView>,
    pub source: Option<SpanView>,
    pub speaker: Option<String>,
    pub kind: QuoteKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: TimeKind,
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative: Option<String>,
}

impl TimeView {
    fn new(map: &CharMap, t: &crate::analysis::TimeExpr) -> Self {
        let (start, end) = map.chars(t.span);
        TimeView {
            start,
            end,
            text: t.text.clone(),
            kind: t.kind,
            value: t.value.clone(),
            relative: t.relative.clone(),
        }
    }

    /// Views of time expressions found in `text` (byte spans → code points).
    pub fn all(text: &str, times: &[crate::analysis::TimeExpr]) -> Vec<TimeView> {
        let map = CharMap::new(text);
        times.iter().map(|t| TimeView::new(&map, t)).collect()
    }
}

/// Output of `parallax analyze`: the article plus what reading it found.
#[derive(Debug, Clone, Serialize)]
pub struct AnalyzedView {
    #[serde(flatten)]
    pub article: ArticleView,
    pub sentences: Vec<SpanView>,
    pub entities: Vec<EntityView>,
    pub quotes: Vec<QuoteView>,
    pub times: Vec<TimeView>,
}

impl AnalyzedView {
    pub fn new(doc: &AnalyzedArticle) -> Self {
        let body = &doc.article.body;
        let map = CharMap::new(body);
        let an = &doc.analysis;
        let sv = |s: Span| SpanView::new(body, &map, s);
        AnalyzedView {
            article: ArticleView::with_credits(&doc.article, &map, doc.all_credits().into_iter()),
            sentences: an.sentences.iter().map(|s| sv(s.span)).collect(),
            entities: an
                .entities
                .iter()
                .map(|e| {
                    let (start, end) = map.chars(e.span);
                    EntityView {
                        start,
                        end,
                        text: e.text.clone(),
                        kind: e.kind,
                        canonical: e.canonical.clone(),
                    }
                })
                .collect(),
            quotes: an
                .quotes
                .iter()
                .map(|q| QuoteView {
                    content: sv(q.content),
                    cue: q.cue.map(sv),
                    source: q.source.map(sv),
                    speaker: q.speaker.clone(),
                    kind: q.kind,
                })
                .collect(),
            times: an.times.iter().map(|t| TimeView::new(&map, t)).collect(),
        }
    }
}
