//! The compared articles with what every module needs to know about them: a char map
//! for citations, and which independent source each article counts as once syndicated
//! copies are folded into their originals.

use parallax_core::{AnalyzedArticle, ArticleId, CharMap, Citation, Sentence, Span, Syndication};

/// One compared article.
pub struct Doc<'a> {
    pub a: &'a AnalyzedArticle,
    pub map: CharMap,
    /// Index of the article this one ultimately copies (itself when it is no copy).
    pub root: usize,
}

impl<'a> Doc<'a> {
    pub fn id(&self) -> &ArticleId {
        &self.a.article.id
    }

    pub fn body(&self) -> &'a str {
        &self.a.article.body
    }

    pub fn outlet(&self) -> &'a str {
        &self.a.article.outlet.name
    }

    pub fn outlet_key(&self) -> String {
        self.a.article.outlet.key()
    }

    /// A citation of `span` (a byte span of the body).
    pub fn cite(&self, span: Span) -> Citation {
        Citation::new(self.id(), self.outlet(), self.body(), &self.map, span)
    }

    /// The sentences of the body with surrounding whitespace trimmed off their spans,
    /// so a citation's text is the sentence and nothing else.
    pub fn sentences(&self) -> Vec<Span> {
        self.a
            .analysis
            .sentences
            .iter()
            .map(|s: &Sentence| trim_span(self.body(), s.span))
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// `span` without leading and trailing whitespace.
pub fn trim_span(body: &str, span: Span) -> Span {
    let text = span.text(body);
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.end - (text.len() - text.trim_end().len());
    Span::new(start, end.max(start))
}

/// The docs, with each copy pointed at its root original.
pub fn build<'a>(docs: &'a [AnalyzedArticle], syndication: &[Syndication]) -> Vec<Doc<'a>> {
    let index = |id: &ArticleId| docs.iter().position(|d| &d.article.id == id);
    let parent: Vec<Option<usize>> = docs
        .iter()
        .map(|d| {
            let s = syndication.iter().find(|s| s.copy == d.article.id)?;
            index(&s.original)
        })
        .collect();
    docs.iter()
        .enumerate()
        .map(|(i, a)| Doc {
            a,
            map: CharMap::new(&a.article.body),
            root: root(&parent, i),
        })
        .collect()
}

/// Follows copy links to the original, stopping on a cycle.
fn root(parent: &[Option<usize>], mut i: usize) -> usize {
    for _ in 0..parent.len() {
        match parent[i] {
            Some(p) if p != i => i = p,
            _ => break,
        }
    }
    i
}

/// The independent reporting units among `members` (doc indices): a copy counts as its
/// original when the original is among them too; otherwise as itself. Returned as
/// distinct outlet keys with display names, in first-seen order.
pub fn independent_outlets(docs: &[Doc], members: &[usize]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for &m in members {
        let root = docs[m].root;
        let unit = if members.contains(&root) { root } else { m };
        let key = docs[unit].outlet_key();
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, docs[unit].outlet().to_string()));
        }
    }
    out
}
