//! What the nlp benchmarks share: the PolNeAR article texts they run on, and the
//! median they report. (A folder, so Cargo does not take it for an example.)

use std::path::{Path, PathBuf};

/// Every `text/*.txt` file below `dir` (PolNeAR keeps each split's articles in a
/// `text` folder), in path order so every run reads them in the same order.
pub fn polnear_text_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    collect(dir, &mut out)?;
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "txt")
            && p.parent().is_some_and(|d| d.ends_with("text"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// The texts of [`polnear_text_files`].
#[allow(dead_code)] // not every benchmark reads bare texts
pub fn polnear_texts(dir: &Path) -> std::io::Result<Vec<String>> {
    polnear_text_files(dir)?
        .iter()
        .map(std::fs::read_to_string)
        .collect()
}

/// The benchmark's two positional arguments: the PolNeAR folder (default
/// `../shared/data/quotes/polnear`) and the number of runs (default 5).
#[allow(dead_code)] // bench_analyze also takes options
pub fn dir_and_runs() -> (PathBuf, usize) {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/data/quotes/polnear".into());
    let runs = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    (dir.into(), runs)
}

/// The median of a benchmark's runs (the upper one of an even count).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
