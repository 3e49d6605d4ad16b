//! Quality gate for HTML main-content extraction on the trafilatura evaluation set
//! (`../shared/data/extraction/trafilatura-eval`, skipped with a note when absent).
//! The threshold is the F1 measured on all 990 pages (crates/ingest/EXTRACTORS.md)
//! minus a small margin, so any regression of the extractor fails here.

use parallax_eval::dataset_or_skip;
use parallax_eval::extraction::score_parallax;

/// F1 of `extract_html` on the full set, as measured (release and dev profiles give
/// the same text).
const MEASURED_F1: f64 = 0.9414;

#[test]
fn extraction_f1_on_trafilatura_eval() {
    let Some(dir) = dataset_or_skip("extraction/trafilatura-eval") else {
        return;
    };
    let s = score_parallax(&dir).expect("scoring the set");
    eprintln!(
        "extraction: P {:.4} R {:.4} F1 {:.4} over {} pages, {:.0} pages/s",
        s.precision,
        s.recall,
        s.f1,
        s.pages,
        s.pages_per_second()
    );
    assert_eq!(s.pages, 990);
    assert!(
        s.f1 >= MEASURED_F1 - 0.003,
        "F1 {:.4} fell below {:.4} - 0.003",
        s.f1,
        MEASURED_F1
    );
}
