//! Stories: near-duplicate (syndication) detection and online story clustering.
//! (stub: being built)

pub mod dedup;

use parallax_core::{AnalyzedArticle, ArticleId, Story, StoryId};

/// Where the clusterer put an article.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    pub story: StoryId,
    /// This article started the story.
    pub new_story: bool,
    /// The article this one is a syndicated copy of, with the estimated similarity.
    pub copy_of: Option<(ArticleId, f64)>,
}

#[derive(Debug, Clone, Default)]
pub struct ClusterConfig {}

/// Online clusterer: each article is assigned to an existing story or starts one.
#[derive(Default)]
pub struct Clusterer {}

impl Clusterer {
    pub fn new(_config: ClusterConfig) -> Self {
        Clusterer {}
    }

    /// Assigns `doc` to a story (deterministic for a given input order).
    pub fn add(&mut self, doc: &AnalyzedArticle) -> Assignment {
        Assignment {
            story: StoryId::founded_by(&doc.article.id),
            new_story: true,
            copy_of: None,
        }
    }

    /// Puts back an article whose assignment was stored earlier, without re-deciding it.
    pub fn restore(&mut self, _doc: &AnalyzedArticle, _assignment: &Assignment) {}

    /// The stories so far, largest first.
    pub fn stories(&self) -> Vec<Story> {
        Vec::new()
    }
}

/// Similarity in 0..1 of two articles as the clusterer sees it.
pub fn similarity(_a: &AnalyzedArticle, _b: &AnalyzedArticle) -> f64 {
    0.0
}
