use serde::{Deserialize, Serialize};

use crate::comparison::Citation;

/// An extractive summary of a story: every sentence is taken from an article and cites
/// the spans it came from, so a reader (or a test) can check it mechanically.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    pub sentences: Vec<BriefSentence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BriefSentence {
    pub text: String,
    /// At least one; the first is the span `text` was copied from.
    pub citations: Vec<Citation>,
}
