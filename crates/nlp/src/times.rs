//! Time expressions. (stub: being built)
use chrono::NaiveDate;
use parallax_core::{Sentence, TimeExpr};

/// Time expressions in `body`, resolved against the document creation date `dct`.
pub fn find(_body: &str, _sentences: &[Sentence], _dct: Option<NaiveDate>) -> Vec<TimeExpr> {
    Vec::new()
}
