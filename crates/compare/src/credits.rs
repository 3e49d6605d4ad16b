//! The credit graph: which outlet names which as a source of its report.
//!
//! One edge per credit of each article ([`AnalyzedArticle::all_credits`], credit lines
//! removed at extraction and in-text credits alike), from the article's outlet to the
//! credited one. Self-credits ("Harbour Times staff" in the Harbour Times) are skipped:
//! they say nothing about who relies on whom.
//!
//! [`AnalyzedArticle::all_credits`]: parallax_core::AnalyzedArticle::all_credits

use parallax_core::CreditEdge;

use crate::docs::Doc;

pub fn credits(docs: &[Doc]) -> Vec<CreditEdge> {
    let mut out: Vec<CreditEdge> = Vec::new();
    for doc in docs {
        for c in doc.a.all_credits() {
            if doc.a.article.outlet.is_named(&c.outlet) {
                continue;
            }
            let edge = CreditEdge {
                from: doc.outlet().to_string(),
                article: doc.id().clone(),
                to: c.outlet.clone(),
                kind: c.kind,
                text: c.text.clone(),
            };
            let seen = out
                .iter()
                .any(|e| e.article == edge.article && e.to == edge.to && e.kind == edge.kind);
            if !seen {
                out.push(edge);
            }
        }
    }
    out
}
