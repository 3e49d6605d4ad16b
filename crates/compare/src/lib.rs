//! Comparing the articles of one story across outlets. (stub: being built)

pub mod render;

use parallax_core::{AnalyzedArticle, Comparison};

/// Lays `docs` side by side: same story or not, syndicated copies, facts shared and
/// unique, quote variants, credits, headline framing, timeline and a cited brief.
pub fn compare(_docs: &[AnalyzedArticle]) -> Comparison {
    unimplemented!("being built")
}
