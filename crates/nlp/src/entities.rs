//! Named entities. (stub: being built)
use parallax_core::{Entity, Sentence};

pub struct EntityTagger;

impl EntityTagger {
    pub fn new() -> Self {
        EntityTagger
    }

    /// Entity mentions in `body`, each with its canonical name within the article.
    pub fn tag(&self, _body: &str, _sentences: &[Sentence]) -> Vec<Entity> {
        Vec::new()
    }
}

impl Default for EntityTagger {
    fn default() -> Self {
        Self::new()
    }
}
