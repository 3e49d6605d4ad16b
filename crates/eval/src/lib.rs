//! Scorers for the public gold datasets Parallax is measured against, and the harness
//! the benchmark examples share.
//!
//! Each scorer takes the stage under test as a closure, so the same code scores the
//! engine's own stage (from the CLI) and the third-party candidates it was chosen from
//! (`examples/compare_extractors.rs`).

pub mod credits;
pub mod extraction;
pub mod metrics;
pub mod ner;
pub mod quotes;
pub mod stories;
pub mod time;

use std::path::{Path, PathBuf};

/// `../shared/data` seen from the workspace root, where the development datasets live
/// (see that folder's README). `None` when it is not there: callers print a note and
/// skip, so the suite still runs on a machine without the data.
pub fn shared_data() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::var_os("PARALLAX_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    dir.is_dir().then_some(dir)
}

/// A dataset file's text, with an error naming the file when it cannot be read.
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    use anyhow::Context;
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// For quality-gate tests: the dataset folder `rel` under the shared data, or a note on
/// stderr and `None` so the test returns early.
pub fn dataset_or_skip(rel: &str) -> Option<PathBuf> {
    match shared_data().map(|d| d.join(rel)) {
        Some(p) if p.exists() => Some(p),
        _ => {
            eprintln!("note: {rel} not found under ../shared/data; skipping this quality gate");
            None
        }
    }
}
