//! Speed of `parallax_ingest::extract_html` over the trafilatura evaluation set: pages/s
//! and MB/s on one thread and on all cores, with peak memory, plus the quality scores
//! of the same run.
//!
//! ```text
//! cargo run --release -p parallax-eval --example bench_extract -- [DATA_DIR] [--runs N] [--threads N]
//! ```
//! DATA_DIR defaults to `../shared/data/extraction/trafilatura-eval`. Each timing is the
//! median of N runs (default 3): the development machine is shared and noisy. Reading,
//! decompressing and decoding the pages is not timed. Prints one JSON object.
//!
//! The all-cores run uses plain scoped threads pulling page indices from an atomic
//! counter, which is what rayon's `par_iter` does for this shape of work, without
//! adding a dependency to the eval crate.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use parallax_eval::extraction::{load_pages, score_pages, Page};

fn extract(page: &Page) -> usize {
    parallax_ingest::extract_html(&page.html, "bench", Some(&page.url))
        .map(|a| a.body.len())
        .unwrap_or(0)
}

/// CPU time (user + system) this process has used, in seconds, from Linux
/// `/proc/self/stat` (clock ticks, assumed 100 per second as on every common Linux
/// build). `extract_html` runs each page on a helper thread, so the process total,
/// not the calling thread's, is what the single-thread pass used. On a shared
/// machine wall time also counts the time other processes held the core; CPU time
/// does not, so the single-thread figure is reported both ways.
fn process_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the ")" that closes the command name: state is field 3, utime 14.
    let rest = s.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// (wall seconds, CPU seconds) of one single-thread pass.
fn run_single(pages: &[Page]) -> (f64, Option<f64>) {
    let cpu0 = process_cpu_seconds();
    let start = Instant::now();
    let mut sink = 0usize;
    for p in pages {
        sink = sink.wrapping_add(extract(p));
    }
    std::hint::black_box(sink);
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu0.zip(process_cpu_seconds()).map(|(a, b)| b - a);
    (wall, cpu)
}

fn run_parallel(pages: &[Page], threads: usize) -> f64 {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut sink = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = pages.get(i) else { break };
                    sink = sink.wrapping_add(extract(p));
                }
                std::hint::black_box(sink);
            });
        }
    });
    start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Peak resident set size of this process in KiB (Linux `VmHWM`), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() -> anyhow::Result<()> {
    let mut data = PathBuf::from("../shared/data/extraction/trafilatura-eval");
    let mut runs = 3usize;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()).unwrap_or(threads),
            _ => data = PathBuf::from(a),
        }
    }
    let runs = runs.max(1);
    let threads = threads.max(1);
    let pages = load_pages(&data)?;
    let rss_loaded = peak_rss_kib();
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    let mb = bytes as f64 / 1e6;
    eprintln!(
        "{} pages ({mb:.1} MB decoded) from {}",
        pages.len(),
        data.display()
    );

    // Quality and a warm-up in one pass.
    let (scores, _) = score_pages(&pages, |html, url| {
        parallax_ingest::extract_html(html, "bench", Some(url))
            .map(|a| a.body)
            .unwrap_or_default()
    });
    let singles: Vec<(f64, Option<f64>)> = (0..runs).map(|_| run_single(&pages)).collect();
    let single = median(singles.iter().map(|r| r.0).collect());
    let single_cpu = singles
        .iter()
        .map(|r| r.1)
        .collect::<Option<Vec<f64>>>()
        .map(median);
    let rss_single = peak_rss_kib();
    let parallel = median((0..runs).map(|_| run_parallel(&pages, threads)).collect());
    let rss_all = peak_rss_kib();
    let n = pages.len() as f64;
    let out = serde_json::json!({
        "pages": pages.len(),
        "mb": (mb * 100.0).round() / 100.0,
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "runs": runs,
        "single_thread": {
            "seconds": single,
            "pages_per_s": n / single,
            "mb_per_s": mb / single,
            "cpu_seconds": single_cpu,
            "pages_per_cpu_s": single_cpu.map(|c| n / c),
            "mb_per_cpu_s": single_cpu.map(|c| mb / c),
        },
        "all_cores": {
            "threads": threads,
            "seconds": parallel,
            "pages_per_s": n / parallel,
            "mb_per_s": mb / parallel,
        },
        "peak_rss_mib": {
            "pages_loaded": rss_loaded.map(|k| k / 1024),
            "after_single_thread": rss_single.map(|k| k / 1024),
            "after_all_cores": rss_all.map(|k| k / 1024),
        },
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
