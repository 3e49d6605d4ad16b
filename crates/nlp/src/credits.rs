//! Credits: outlets named as a source of the report. (stub: being built)
use std::sync::OnceLock;

use parallax_core::{Credit, Entity, Sentence};

pub struct CreditFinder;

impl CreditFinder {
    pub fn new() -> Self {
        CreditFinder
    }

    /// Removes standalone credit lines ("Reuters contributed to this report.", "This post
    /// appeared first on X", "(Reporting by …; Editing by …)") from `body` and returns the
    /// cleaned body with those credits (span `None`).
    pub fn split_credit_lines(&self, body: &str) -> (String, Vec<Credit>) {
        (body.to_string(), Vec::new())
    }

    /// Credits inside the body text ("Axios reported", "according to X", a wire
    /// dateline), with spans.
    pub fn find_in_text(
        &self,
        _body: &str,
        _sentences: &[Sentence],
        _entities: &[Entity],
    ) -> Vec<Credit> {
        Vec::new()
    }

    /// The display name of a known news outlet, if `name` is one.
    pub fn outlet(&self, _name: &str) -> Option<String> {
        None
    }
}

impl Default for CreditFinder {
    fn default() -> Self {
        Self::new()
    }
}

/// [`CreditFinder::split_credit_lines`] with a shared finder, for the extract stage.
pub fn split_credit_lines(body: &str) -> (String, Vec<Credit>) {
    static SHARED: OnceLock<CreditFinder> = OnceLock::new();
    SHARED
        .get_or_init(CreditFinder::new)
        .split_credit_lines(body)
}
