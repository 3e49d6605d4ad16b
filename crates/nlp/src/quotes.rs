//! Quotes and their speakers. (stub: being built)
use parallax_core::{Entity, Quote, Sentence};

/// Direct, indirect and mixed quotes with cue, source and resolved speaker.
pub fn find(_body: &str, _sentences: &[Sentence], _entities: &[Entity]) -> Vec<Quote> {
    Vec::new()
}
