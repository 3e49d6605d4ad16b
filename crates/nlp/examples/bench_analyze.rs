//! Throughput of the whole analyze stage (`Analyzer::analyze`: sentences, named
//! entities, credits, quotes, time expressions) on the PolNeAR article texts, in tokens
//! per second on one core (release build; median of several runs), with where the time
//! goes:
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example bench_analyze -- ../shared/data/quotes/polnear 7
//! ```
//!
//! Tokens are the NER tokens (CoNLL-style, punctuation included), as in `bench_ner`.
//! Each article gets its headline and publication date from `metadata.tsv` (the time
//! expressions are resolved against it), as the pipeline would give them.
//!
//! Two measures per run: the stages one after the other with a clock around each (the
//! same calls `Analyzer::analyze` makes, in the same order), and `Analyzer::analyze`
//! itself, whose median is the headline figure. Times are the thread's CPU time (Linux
//! `/proc/thread-self/schedstat`), so a busy shared machine slows the run but moves the
//! figures much less; the wall time of the whole pass is printed too. Second argument: the number of runs
//! (default 5). `--stage NAME` runs only that stage (sentences are split beforehand), for
//! profiling one stage under `valgrind --tool=callgrind`.
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use parallax_core::{Article, Outlet};
use parallax_nlp::entities::EntityTagger;
use parallax_nlp::quotes::train::Metadata;
use parallax_nlp::{credits::CreditFinder, ner, quotes, sentences, times, Analyzer};

mod common;
use common::median;

/// `(compartment/filename → (title, publication date))` from `metadata.tsv`.
fn metadata(dir: &Path) -> HashMap<String, (String, Option<NaiveDate>)> {
    let columns = |m: &Metadata| -> std::io::Result<_> {
        Ok((
            m.column("filename")?,
            m.column("title")?,
            m.column("publication_date")?,
        ))
    };
    // Without the file (or its columns) articles go undated and untitled.
    let Ok(meta) = Metadata::read(dir) else {
        return HashMap::new();
    };
    let Ok((cf, ct, cd)) = columns(&meta) else {
        return HashMap::new();
    };
    meta.rows()
        .iter()
        .filter_map(|f| {
            let date = NaiveDate::parse_from_str(f.get(cd)?.trim(), "%Y-%m-%d").ok();
            Some((f.get(cf)?.clone(), (f.get(ct)?.clone(), date)))
        })
        .collect()
}

fn articles(
    dir: &Path,
    meta: &HashMap<String, (String, Option<NaiveDate>)>,
) -> std::io::Result<Vec<Article>> {
    let mut out = Vec::new();
    for p in common::polnear_text_files(dir)? {
        let body = std::fs::read_to_string(&p)?;
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (title, date) = meta.get(&stem).cloned().unwrap_or_default();
        let outlet = Outlet::new(stem.split('_').next().unwrap_or(""), None);
        let published = date
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .and_then(|t| FixedOffset::east_opt(0)?.from_local_datetime(&t).single());
        out.push(Article {
            id: Article::derive_id(None, &outlet, &title, &body),
            source: p.display().to_string(),
            url: None,
            outlet,
            title,
            byline: Vec::new(),
            published,
            language: Some("en".into()),
            body,
            credits: Vec::new(),
        });
    }
    Ok(out)
}

/// Time this thread has spent on a CPU, from `/proc/thread-self/schedstat` (Linux,
/// nanoseconds): on a shared machine the wall clock also counts the time the thread
/// waited for a core, which says nothing about the code. Falls back to the wall clock
/// where the file is missing.
struct CpuClock {
    file: Option<std::fs::File>,
    start: Instant,
    buf: String,
}

impl CpuClock {
    fn new() -> Self {
        CpuClock {
            file: std::fs::File::open("/proc/thread-self/schedstat").ok(),
            start: Instant::now(),
            buf: String::new(),
        }
    }

    fn is_cpu(&self) -> bool {
        self.file.is_some()
    }

    /// Seconds: CPU time of this thread, or wall time since the clock was made.
    fn now(&mut self) -> f64 {
        use std::io::{Read, Seek};
        if let Some(f) = &mut self.file {
            self.buf.clear();
            let ok = f.rewind().is_ok() && f.read_to_string(&mut self.buf).is_ok();
            let ns = self
                .buf
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok());
            if let (true, Some(ns)) = (ok, ns) {
                return ns as f64 * 1e-9;
            }
        }
        self.start.elapsed().as_secs_f64()
    }
}

const STAGES: [&str; 5] = ["sentences", "entities", "credits", "quotes", "times"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args
        .iter()
        .position(|a| a == "--stage")
        .and_then(|i| args.get(i + 1).cloned());
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--stage"))
        .map(|(_, a)| a)
        .collect();
    let dir = positional
        .first()
        .map(|s| s.to_string())
        .unwrap_or_else(|| "../shared/data/quotes/polnear".into());
    let runs: usize = positional.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let dir = Path::new(&dir);
    let meta = metadata(dir);
    let docs = articles(dir, &meta)?;
    let tokens: usize = docs.iter().map(|a| ner::tokenize(&a.body).len()).sum();
    let bytes: usize = docs.iter().map(|a| a.body.len()).sum();
    eprintln!(
        "{} articles, {tokens} tokens, {bytes} bytes; {runs} runs",
        docs.len()
    );
    let analyzer = Analyzer::new();
    let tagger = EntityTagger::new();
    let credits = CreditFinder::shared();
    let mut clock = CpuClock::new();
    let unit = if clock.is_cpu() { "CPU" } else { "wall" };
    if let Some(stage) = only {
        // One stage alone, sentences split beforehand: for a profiler.
        let split: Vec<_> = docs.iter().map(|a| sentences::split(&a.body)).collect();
        let ents: Vec<_> = docs
            .iter()
            .zip(&split)
            .map(|(a, s)| tagger.tag(&a.body, s))
            .collect();
        let t0 = clock.now();
        for _ in 0..runs {
            for ((a, s), e) in docs.iter().zip(&split).zip(&ents) {
                let b = &a.body;
                match stage.as_str() {
                    "sentences" => drop(std::hint::black_box(sentences::split(b))),
                    "entities" => drop(std::hint::black_box(tagger.tag(b, s))),
                    "credits" => drop(std::hint::black_box(credits.find_in_text(b, s, e))),
                    "quotes" => drop(std::hint::black_box(quotes::find(b, s, e))),
                    "times" => {
                        let dct = a.published.map(|p| p.date_naive());
                        drop(std::hint::black_box(times::find(b, s, dct)))
                    }
                    other => return Err(format!("no stage {other:?}; one of {STAGES:?}").into()),
                }
            }
        }
        let secs = (clock.now() - t0) / runs as f64;
        println!(
            "{stage}: {:.0} tokens/s ({secs:.3} {unit} s per pass)",
            tokens as f64 / secs
        );
        return Ok(());
    }

    // Warm-up: loads the model, compiles the patterns.
    for a in &docs {
        std::hint::black_box(analyzer.analyze(a));
    }
    let (mut whole, mut whole_wall) = (Vec::new(), Vec::new());
    let mut per_stage: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    for _ in 0..runs {
        let mut t = [0.0f64; STAGES.len()];
        for a in &docs {
            let b = &a.body;
            let c0 = clock.now();
            let s = sentences::split(b);
            let c1 = clock.now();
            let e = tagger.tag(b, &s);
            let c2 = clock.now();
            let mut cr = credits.find_in_text(b, &s, &e);
            cr.extend(credits.product_credit(&a.title));
            let c3 = clock.now();
            let q = quotes::find(b, &s, &e);
            let c4 = clock.now();
            let tx = times::find(b, &s, a.published.map(|p| p.date_naive()));
            let c5 = clock.now();
            for (i, d) in [c1 - c0, c2 - c1, c3 - c2, c4 - c3, c5 - c4]
                .iter()
                .enumerate()
            {
                t[i] += d;
            }
            std::hint::black_box((s, e, cr, q, tx));
        }
        for (i, v) in t.iter().enumerate() {
            per_stage[i].push(*v);
        }
        let (w0, t0) = (Instant::now(), clock.now());
        for a in &docs {
            std::hint::black_box(analyzer.analyze(a));
        }
        whole.push(clock.now() - t0);
        whole_wall.push(w0.elapsed().as_secs_f64());
    }
    let tps = |t: f64| tokens as f64 / t;
    let (all, wall) = (median(whole), median(whole_wall));
    let stages: Vec<f64> = per_stage.into_iter().map(median).collect();
    let sum: f64 = stages.iter().sum();
    println!(
        "analyze (Analyzer::analyze): {:.0} tokens/s per core ({all:.3} {unit} s per pass of {} articles; {wall:.3} s wall)",
        tps(all),
        docs.len()
    );
    println!("stages timed one by one (sum {sum:.3} {unit} s):");
    for (name, t) in STAGES.iter().zip(&stages) {
        println!(
            "  {name:<10} {:>5.1}%  {t:.3} s  ({:.0} tokens/s alone)",
            100.0 * t / sum,
            tps(*t)
        );
    }
    let without_quotes = sum - stages[3];
    println!(
        "  all but quotes: {:.0} tokens/s ({without_quotes:.3} s)",
        tps(without_quotes)
    );
    Ok(())
}
