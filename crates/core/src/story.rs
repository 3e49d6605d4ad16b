use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::article::ArticleId;

/// Story id: `s` followed by the id of the article that started the story, so ids are
/// stable across runs for the same input order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StoryId(pub String);

impl StoryId {
    pub fn founded_by(article: &ArticleId) -> Self {
        StoryId(format!("s{}", article.0))
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The reports of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub id: StoryId,
    /// Chosen from the member headlines: the most neutral, representative one.
    pub title: String,
    /// Members in arrival order.
    pub articles: Vec<ArticleId>,
    /// `(copy, original)` pairs: syndicated copies count once.
    pub syndicated: Vec<(ArticleId, ArticleId)>,
    pub first_published: Option<DateTime<FixedOffset>>,
    pub last_published: Option<DateTime<FixedOffset>>,
}
