//! Reading an article: sentences, named entities, credits, quotes with speakers, and
//! time expressions, each a module usable on its own, composed by [`Analyzer`].
//!
//! Everything here is a pure function of the article text (and its publication date
//! for time expressions), so the stage parallelises freely across articles.

pub mod credits;
pub mod entities;
pub mod language;
pub mod ner;
pub mod pos;
pub mod quotes;
pub mod sentences;
pub mod times;

use std::sync::OnceLock;

use parallax_core::{Analysis, AnalyzedArticle, Article};

/// Holds what is expensive to build (compiled patterns, the outlet list, the entity
/// model) once, so analysing an article costs only the reading itself.
pub struct Analyzer {
    entities: entities::EntityTagger,
    credits: &'static credits::CreditFinder,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer {
            entities: entities::EntityTagger::new(),
            credits: credits::CreditFinder::shared(),
        }
    }

    /// One shared instance, built on first use.
    pub fn shared() -> &'static Analyzer {
        static SHARED: OnceLock<Analyzer> = OnceLock::new();
        SHARED.get_or_init(Analyzer::new)
    }

    pub fn analyze(&self, article: &Article) -> Analysis {
        let body = &article.body;
        let sentences = sentences::split(body);
        let entities = self.entities.tag(body, &sentences);
        let mut credits = self.credits.find_in_text(body, &sentences, &entities);
        // A wire's recurring product is known by its headline, which is not in the body.
        credits.extend(self.credits.product_credit(&article.title));
        let quotes = quotes::find(body, &sentences, &entities);
        let dct = article.published.map(|p| p.date_naive());
        let times = times::find(body, &sentences, dct);
        Analysis {
            sentences,
            entities,
            quotes,
            credits,
            times,
        }
    }

    pub fn analyze_article(&self, article: Article) -> AnalyzedArticle {
        let analysis = self.analyze(&article);
        AnalyzedArticle { article, analysis }
    }
}
