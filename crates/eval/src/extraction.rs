//! Main-content extraction, scored on the trafilatura evaluation set
//! (`shared/data/extraction/trafilatura-eval/`): 990 archived pages, each with text
//! segments the extractor must keep and boilerplate segments it must drop.
//!
//! The metric follows upstream `tests/eval_common.py`: whitespace is collapsed in both
//! the output and the segments, and a segment counts as present when it is a
//! case-sensitive substring of the output. Counts are summed over all pages (micro
//! average) before precision, recall and F1 are computed.

use crate::metrics::{per_second, ratio};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use serde::{Deserialize, Serialize};

/// Quality and speed of one extractor over the whole set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExtractionScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pages scored.
    pub pages: usize,
    /// Time spent inside the extractor only (reading, decompressing and decoding the
    /// pages is not counted), single thread.
    pub seconds: f64,
}

impl ExtractionScores {
    pub fn pages_per_second(&self) -> f64 {
        per_second(self.pages, self.seconds)
    }
}

#[derive(Debug, Deserialize)]
struct GoldEntry {
    file: String,
    #[serde(default)]
    with: Vec<Option<String>>,
    #[serde(default)]
    without: Vec<Option<String>>,
}

/// Counts behind the scores; exposed for tests and for per-page diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub tn: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }
}

fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Scores one page's extracted text against its must-keep and must-drop segments.
pub fn score_page(extracted: &str, with: &[&str], without: &[&str]) -> Counts {
    let text = normalize_ws(extracted);
    let mut c = Counts::default();
    if text.is_empty() {
        // Upstream: an extractor that fails or returns nothing misses every kept
        // segment and, trivially, drops every boilerplate one.
        c.fn_ = with.len();
        c.tn = without.len();
        return c;
    }
    for seg in with {
        if text.contains(&normalize_ws(seg)) {
            c.tp += 1;
        } else {
            c.fn_ += 1;
        }
    }
    for seg in without {
        if text.contains(&normalize_ws(seg)) {
            c.fp += 1;
        } else {
            c.tn += 1;
        }
    }
    c
}

/// One page of the set, decoded to text.
pub struct Page {
    pub url: String,
    pub file: String,
    pub html: String,
    pub with: Vec<String>,
    pub without: Vec<String>,
}

/// Reads `evaldata.json` and every page it names from `data_dir`. Pages are decoded
/// the way Parallax ingest decodes HTML (BOM, `<meta charset>`, windows-1252 fallback),
/// so every extractor sees the same text. Sorted by URL for determinism.
pub fn load_pages(data_dir: &Path) -> Result<Vec<Page>> {
    load_pages_where(data_dir, |_| true)
}

/// Like [`load_pages`], reading only the pages whose index (in URL order) `keep`
/// accepts: a sample for slow harnesses such as instruction counting under callgrind.
pub fn load_pages_where(data_dir: &Path, keep: impl Fn(usize) -> bool) -> Result<Vec<Page>> {
    let gold_path = data_dir.join("evaldata.json");
    let gold_text = crate::read_text(&gold_path)?;
    let gold: BTreeMap<String, GoldEntry> = serde_json::from_str(&gold_text)
        .with_context(|| format!("parsing {}", gold_path.display()))?;
    let mut pages = Vec::with_capacity(gold.len());
    for (i, (url, entry)) in gold.into_iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let path = data_dir.join("html").join(format!("{}.gz", entry.file));
        let mut bytes = Vec::new();
        GzDecoder::new(File::open(&path).with_context(|| format!("opening {}", path.display()))?)
            .read_to_end(&mut bytes)
            .with_context(|| format!("decompressing {}", path.display()))?;
        pages.push(Page {
            url,
            file: entry.file,
            html: parallax_ingest::decode_html(&bytes),
            with: entry.with.into_iter().flatten().collect(),
            without: entry.without.into_iter().flatten().collect(),
        });
    }
    Ok(pages)
}

/// Scores an extractor on already loaded pages; see [`score_extraction`].
pub fn score_pages(
    pages: &[Page],
    extract: impl Fn(&str, &str) -> String,
) -> (ExtractionScores, Vec<Counts>) {
    let mut total = Counts::default();
    let mut per_page = Vec::with_capacity(pages.len());
    let mut seconds = 0.0;
    for page in pages {
        let start = Instant::now();
        let text = extract(&page.html, &page.url);
        seconds += start.elapsed().as_secs_f64();
        let with: Vec<&str> = page.with.iter().map(String::as_str).collect();
        let without: Vec<&str> = page.without.iter().map(String::as_str).collect();
        let c = score_page(&text, &with, &without);
        total.add(c);
        per_page.push(c);
    }
    let scores = ExtractionScores {
        precision: ratio(total.tp, total.tp + total.fp),
        recall: ratio(total.tp, total.tp + total.fn_),
        f1: ratio(2 * total.tp, 2 * total.tp + total.fp + total.fn_),
        pages: pages.len(),
        seconds,
    };
    (scores, per_page)
}

/// Runs `extract(html, url) -> body text` over every page of the trafilatura
/// evaluation set in `data_dir` and scores it (micro precision, recall, F1 of the
/// must-keep / must-drop segments; time spent in `extract`, single thread).
pub fn score_extraction(
    data_dir: &Path,
    extract: impl Fn(&str, &str) -> String,
) -> Result<ExtractionScores> {
    let pages = load_pages(data_dir)?;
    Ok(score_pages(&pages, extract).0)
}

/// Parallax's own extractor (`parallax_ingest::extract_html`, body text) as scored
/// by this set: what `parallax eval extraction --data DIR` prints, as JSON
/// (`serde_json::to_string(&scores)`). Pages the extractor refuses count as empty
/// output, as upstream counts failures.
pub fn score_parallax(data_dir: &Path) -> Result<ExtractionScores> {
    score_extraction(data_dir, extract_body)
}

/// The body text `extract_html` gives for a page, or "" when it refuses the page.
pub fn extract_body(html: &str, url: &str) -> String {
    parallax_ingest::extract_html(html, "eval", Some(url))
        .map(|a| a.body)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_normalised_and_empty_output_drops_everything() {
        let c = score_page(
            "The  ferry\nleft at noon. Imprint",
            &["The ferry left", "missing"],
            &["Imprint", "Cookies"],
        );
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fn_: 1,
                fp: 1,
                tn: 1
            }
        );
        let c = score_page("  ", &["a", "b"], &["c"]);
        assert_eq!(
            c,
            Counts {
                tp: 0,
                fn_: 2,
                fp: 0,
                tn: 1
            }
        );
    }
}
