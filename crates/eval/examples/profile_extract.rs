//! A single-threaded, deterministic harness for counting the instructions
//! `parallax_ingest::extract_html` spends per page, under callgrind:
//!
//! ```text
//! cargo build --release -p parallax-eval --example profile_extract
//! valgrind --tool=callgrind --collect-atstart=yes target/release/examples/profile_extract DATA_DIR --every 10
//! valgrind --tool=callgrind --collect-atstart=yes target/release/examples/profile_extract DATA_DIR --every 10 --load-only
//! ```
//!
//! The difference of the two totals divided by the page count is the cost per page.
//! The whole process is counted (`--collect-atstart=yes`) because `extract_html`
//! runs each page on a helper thread, and callgrind's `--toggle-collect` only
//! switches counting for the thread that enters the named function. `--every N`
//! takes every Nth page in URL order (the 990 pages under callgrind take long);
//! Both runs first extract every selected page once (a warm-up pass, so that one-time
//! set-up such as regex compilation and lazily built tables is in both totals and
//! drops out of the difference); then the full run extracts them all once more and
//! `--load-only` stops.

use std::path::PathBuf;

use parallax_eval::extraction::load_pages_where;

fn main() -> anyhow::Result<()> {
    let mut data = PathBuf::from("../shared/data/extraction/trafilatura-eval");
    let mut every = 1usize;
    let mut load_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--every" => every = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            "--load-only" => load_only = true,
            _ => data = PathBuf::from(a),
        }
    }
    let every = every.max(1);
    let pages = load_pages_where(&data, |i| i % every == 0)?;
    let mut chars = 0usize;
    let extract = |p: &parallax_eval::extraction::Page| {
        parallax_ingest::extract_html(&p.html, "profile", Some(&p.url))
            .map(|a| a.body.len())
            .unwrap_or(0)
    };
    let warm: usize = pages.iter().map(extract).sum();
    std::hint::black_box(warm);
    if !load_only {
        for p in &pages {
            chars += extract(p);
        }
    }
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    println!(
        "{} pages, {bytes} bytes of HTML, {chars} bytes of body text{}",
        pages.len(),
        if load_only { " (load only)" } else { "" }
    );
    Ok(())
}
