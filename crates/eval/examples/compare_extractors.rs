//! Scores candidate main-content extractors on the trafilatura evaluation set, for
//! quality (micro P/R/F1 of must-keep / must-drop segments) and single-thread speed.
//! This is how `parallax-ingest` chose its extractor; see crates/ingest/EXTRACTORS.md.
//!
//! ```text
//! cargo run --release -p parallax-eval --features compare-extractors --example compare_extractors -- \
//!     [DATA_DIR] [--only NAME[,NAME...]]
//! ```
//! DATA_DIR defaults to `shared/data/extraction/trafilatura-eval`.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use parallax_eval::extraction::{load_pages, score_pages};

type Extractor = Box<dyn Fn(&str, &str) -> String>;

fn candidates() -> Vec<(&'static str, Extractor)> {
    vec![
        (
            "dom_smoothie 0.19 (readability.js port)",
            Box::new(|html: &str, url: &str| dom_smoothie_text(html, url, false)),
        ),
        (
            "dom_smoothie 0.19 (DomSmoothie candidate mode)",
            Box::new(|html: &str, url: &str| dom_smoothie_text(html, url, true)),
        ),
        (
            "trafilatura 0.3 (go-trafilatura port)",
            Box::new(|html: &str, url: &str| {
                let mut opts = trafilatura::Options::default();
                opts.exclude_comments = true;
                opts.original_url = url::Url::parse(url).ok();
                trafilatura::extract(html, &opts)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "trafilatura 0.3 + fallback",
            Box::new(|html: &str, url: &str| {
                let mut opts = trafilatura::Options::default().with_fallback(true);
                opts.exclude_comments = true;
                opts.original_url = url::Url::parse(url).ok();
                trafilatura::extract(html, &opts)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "trafilatura 0.6 + fallback (needs Rust 1.88)",
            Box::new(|html: &str, url: &str| {
                let mut opts = trafilatura06::Options::default().with_fallback(true);
                opts.exclude_comments = true;
                opts.original_url = url::Url::parse(url).ok();
                trafilatura06::extract(html, &opts)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "rs-trafilatura 0.2",
            Box::new(|html: &str, url: &str| {
                let opts = rs_trafilatura::Options {
                    include_comments: false,
                    include_tables: true,
                    url: Some(url.to_string()),
                    ..Default::default()
                };
                rs_trafilatura::extract_with_options(html, &opts)
                    .map(|r| r.content_text)
                    .unwrap_or_default()
            }),
        ),
        (
            "readability 0.3 (arc90 port)",
            Box::new(|html: &str, url: &str| {
                let Ok(u) = url::Url::parse(url) else {
                    return String::new();
                };
                readability::extractor::extract(&mut Cursor::new(html.as_bytes()), &u)
                    .map(|p| p.text)
                    .unwrap_or_default()
            }),
        ),
        (
            "parallax-ingest extract_html (chosen + news cleanup)",
            Box::new(parallax_eval::extraction::extract_body),
        ),
    ]
}

fn dom_smoothie_text(html: &str, url: &str, alt: bool) -> String {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        candidate_select_mode: if alt {
            dom_smoothie::CandidateSelectMode::DomSmoothie
        } else {
            dom_smoothie::CandidateSelectMode::Readability
        },
        ..Default::default()
    };
    match dom_smoothie::Readability::new(html, Some(url), Some(cfg)) {
        Ok(mut r) => r
            .parse()
            .map(|a| a.text_content.to_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

fn main() -> anyhow::Result<()> {
    let mut data = PathBuf::from("shared/data/extraction/trafilatura-eval");
    let mut only: Option<Vec<String>> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--only" {
            only = args
                .next()
                .map(|s| s.split(',').map(|x| x.to_lowercase()).collect());
        } else {
            data = PathBuf::from(a);
        }
    }
    let pages = load_pages(&data)?;
    eprintln!("{} pages loaded from {}", pages.len(), data.display());
    // Extractor panics are scored as empty output, as upstream scores failures.
    std::panic::set_hook(Box::new(|_| {}));

    println!("| extractor | F1 | precision | recall | pages/s (1 thread) | failures |");
    println!("|---|---|---|---|---|---|");
    for (name, extract) in candidates() {
        if let Some(only) = &only {
            if !only
                .iter()
                .any(|o| name.to_lowercase().contains(o.as_str()))
            {
                continue;
            }
        }
        let failures = std::cell::Cell::new(0usize);
        let (s, _) = score_pages(&pages, |html, url| {
            match catch_unwind(AssertUnwindSafe(|| extract(html, url))) {
                Ok(t) if !t.trim().is_empty() => t,
                Ok(t) => {
                    failures.set(failures.get() + 1);
                    t
                }
                Err(_) => {
                    failures.set(failures.get() + 1);
                    String::new()
                }
            }
        });
        println!(
            "| {name} | {:.3} | {:.3} | {:.3} | {:.0} | {} |",
            s.f1,
            s.precision,
            s.recall,
            s.pages_per_second(),
            failures.get()
        );
    }
    Ok(())
}
