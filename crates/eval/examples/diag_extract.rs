//! Per-page diagnostics for `extract_html` on the trafilatura evaluation set: the
//! scores on the whole set and on its even- and odd-numbered pages (a held-out check
//! for rules tuned on one half), and, with `--misses FILE`, every must-keep segment
//! missed and every must-drop segment kept, page by page. `--page FILE_NAME` prints
//! the body extracted from one page with its gold segments instead (build with
//! `--features parallax-ingest/explain` and set `PARALLAX_EXPLAIN=1` to see the
//! scorer's choices on stderr).
//!
//! ```text
//! cargo run --release -p parallax-eval --example diag_extract -- [DATA_DIR] [--misses FILE] [--page NAME]
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use parallax_eval::extraction::{extract_body, load_pages, score_page, Counts};

fn f1(c: &Counts) -> (f64, f64, f64) {
    let p = c.tp as f64 / (c.tp + c.fp).max(1) as f64;
    let r = c.tp as f64 / (c.tp + c.fn_).max(1) as f64;
    let f = 2.0 * c.tp as f64 / (2 * c.tp + c.fp + c.fn_).max(1) as f64;
    (p, r, f)
}

fn add(a: &mut Counts, b: &Counts) {
    a.tp += b.tp;
    a.fp += b.fp;
    a.fn_ += b.fn_;
    a.tn += b.tn;
}

fn main() -> anyhow::Result<()> {
    let mut data = PathBuf::from("../shared/data/extraction/trafilatura-eval");
    let mut misses: Option<PathBuf> = None;
    let mut only: Vec<String> = Vec::new();
    let mut chains = false;
    let mut chains_all = false;
    // One JSON object per page (file, body, with, without), for trying line rules.
    let mut dump: Option<PathBuf> = None;
    let mut dumped = String::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--misses" => misses = args.next().map(PathBuf::from),
            "--page" => only.extend(args.next()),
            "--chains" => chains = true,
            "--chains-all" => {
                chains = true;
                chains_all = true;
            }
            "--dump" => dump = args.next().map(PathBuf::from),
            _ => data = PathBuf::from(a),
        }
    }
    let pages = load_pages(&data)?;
    if !only.is_empty() {
        for p in pages.iter().filter(|p| only.contains(&p.file)) {
            println!("=== {} {}", p.file, p.url);
            println!("{}", extract_body(&p.html, &p.url));
            println!("--- with: {:?}\n--- without: {:?}", p.with, p.without);
        }
        return Ok(());
    }
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut all, mut even, mut odd) = (Counts::default(), Counts::default(), Counts::default());
    let mut report = String::new();
    for (i, page) in pages.iter().enumerate() {
        let mut text = extract_body(&page.html, &page.url);
        if chains {
            // Where every missed and every kept segment sits (needs the `explain`
            // feature of parallax-ingest; output on stderr).
            let flat = norm(&text);
            let segs: Vec<&str> = page
                .with
                .iter()
                .filter(|s| chains_all || !flat.contains(&norm(s)))
                .chain(
                    page.without
                        .iter()
                        .filter(|s| chains_all || flat.contains(&norm(s))),
                )
                .map(String::as_str)
                .collect();
            if !segs.is_empty() {
                eprintln!("=== {}", page.file);
                std::env::set_var("PARALLAX_FIND", segs.join("\u{1f}"));
                text = extract_body(&page.html, &page.url);
                std::env::remove_var("PARALLAX_FIND");
            }
        }
        if dump.is_some() {
            dumped.push_str(&serde_json::json!({"file": page.file, "body": text, "with": page.with, "without": page.without}).to_string());
            dumped.push('\n');
        }
        let with: Vec<&str> = page.with.iter().map(String::as_str).collect();
        let without: Vec<&str> = page.without.iter().map(String::as_str).collect();
        let c = score_page(&text, &with, &without);
        add(&mut all, &c);
        add(if i % 2 == 0 { &mut even } else { &mut odd }, &c);
        if c.fp + c.fn_ > 0 {
            let flat = norm(&text);
            let _ = writeln!(
                report,
                "== {} {} ({} chars)",
                page.file,
                page.url,
                flat.len()
            );
            for s in &with {
                if !flat.contains(&norm(s)) {
                    let _ = writeln!(report, "  MISS {s:?}");
                }
            }
            // Where a kept boilerplate segment sits: paragraph i of n.
            let paras: Vec<String> = text.split("\n\n").map(norm).collect();
            for s in &without {
                if flat.contains(&norm(s)) {
                    let ns = norm(s);
                    let at = paras.iter().position(|p| p.contains(&ns));
                    let pos = at.map_or("?".to_string(), |i| format!("{}/{}", i + 1, paras.len()));
                    let _ = writeln!(report, "  KEPT [{pos}] {s:?}");
                }
            }
        }
    }
    for (name, c) in [("all", &all), ("even", &even), ("odd", &odd)] {
        let (p, r, f) = f1(c);
        println!(
            "{name:5} P {p:.4} R {r:.4} F1 {f:.4}  (tp {} fp {} fn {} tn {})",
            c.tp, c.fp, c.fn_, c.tn
        );
    }
    if let Some(path) = dump {
        std::fs::write(path, dumped)?;
    }
    if let Some(path) = misses {
        std::fs::write(path, report)?;
    }
    Ok(())
}
