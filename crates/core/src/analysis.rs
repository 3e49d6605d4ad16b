use serde::{Deserialize, Serialize};

use crate::article::Article;
use crate::span::Span;

/// A sentence of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph (blank-line separated block) it belongs to.
    pub paragraph: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Loc,
    Misc,
}

impl EntityKind {
    /// CoNLL tag suffix (`PER`, `ORG`, `LOC`, `MISC`).
    pub fn conll(&self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Org => "ORG",
            EntityKind::Loc => "LOC",
            EntityKind::Misc => "MISC",
        }
    }
}

/// A named entity mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub span: Span,
    pub text: String,
    pub kind: EntityKind,
    /// The fullest name this mention refers to within the article ("Vladimir Putin" for
    /// "Putin"); equal to `text` when nothing longer is known.
    pub canonical: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Verbatim words in quotation marks.
    Direct,
    /// Reported speech without quotation marks ("X said that …").
    Indirect,
    /// Reported speech that embeds a verbatim fragment.
    Mixed,
}

/// An attributed statement: what was said (`content`), the cue that marks it as speech
/// ("said", "told reporters", "according to"), who said it (`source`, as written) and the
/// speaker it resolves to, if the text makes that clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words, without the quotation marks.
    pub content: Span,
    pub cue: Option<Span>,
    pub source: Option<Span>,
    /// Canonical entity name of the speaker ("Maria Okafor" for "she"), or `None` rather
    /// than a guess.
    pub speaker: Option<String>,
    pub kind: QuoteKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    /// "Axios reported", "according to the Harbour Times".
    ReportedBy,
    /// "according to a translation by X".
    TranslationBy,
    /// "Reuters contributed to this report", "with agencies".
    ContributedTo,
    /// "This post appeared first on X", "Originally published by X".
    FirstAppearedOn,
    /// "MOSCOW (Reuters) -", "(AP) —", "(Reporting by …; Editing by …)".
    Wire,
}

/// An outlet named as a source of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credit {
    /// Outlet name as it should be displayed ("Reuters", "Al Jazeera").
    pub outlet: String,
    pub kind: CreditKind,
    /// The words that carry the credit ("Reuters contributed to this report.").
    pub text: String,
    /// Where it stands in the body; `None` for credit lines that were removed from it.
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeKind {
    Date,
    Time,
    Duration,
    Set,
}

/// A time expression with a TIMEX3-style value (`2024-04-13`, `2024-W15`, `P3D`,
/// `PRESENT_REF`). Relative expressions are resolved against the publication date; when
/// there is none, `value` is `None` and `relative` holds the unresolved form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpr {
    pub span: Span,
    pub text: String,
    pub kind: TimeKind,
    pub value: Option<String>,
    /// Unresolved description for relative expressions without an anchor ("-1 week").
    pub relative: Option<String>,
}

/// What reading the article found. Every span is a byte range into the article's body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub sentences: Vec<Sentence>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    /// Credits inside the body text (credit lines removed at extraction stay on the
    /// [`Article`]).
    pub credits: Vec<Credit>,
    pub times: Vec<TimeExpr>,
}

/// An article with its analysis: the unit the later stages work on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedArticle {
    pub article: Article,
    pub analysis: Analysis,
}

impl AnalyzedArticle {
    /// Every credit of the article, removed lines and in-text ones, without repeats.
    pub fn all_credits(&self) -> Vec<&Credit> {
        let mut out: Vec<&Credit> = Vec::new();
        for c in self.article.credits.iter().chain(&self.analysis.credits) {
            if !out
                .iter()
                .any(|o| o.outlet == c.outlet && o.kind == c.kind && o.span == c.span)
            {
                out.push(c);
            }
        }
        out
    }

    pub fn sentence_text(&self, s: &Sentence) -> &str {
        s.span.text(&self.article.body)
    }
}
