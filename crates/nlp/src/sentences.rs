//! Sentence splitting for news text. (stub: being built)
use parallax_core::{Sentence, Span};

/// Splits `body` into sentences; paragraphs are blank-line separated.
pub fn split(body: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut pos = 0;
    for (p, para) in body.split("\n\n").enumerate() {
        if !para.trim().is_empty() {
            out.push(Sentence {
                span: Span::new(pos, pos + para.len()),
                paragraph: p,
            });
        }
        pos += para.len() + 2;
    }
    out
}
