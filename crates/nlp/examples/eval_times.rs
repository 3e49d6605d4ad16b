//! Throwaway measurement: strict span F1 and value accuracy of `times::find` on
//! TempEval-3 TimeML files. Reads the data at run time (default
//! `../shared/data/time/tempeval3/train/TimeBank`); nothing from it is stored here.
//!
//! `cargo run --release -p parallax-nlp --example eval_times [DIR]`
use std::time::Instant;

use chrono::NaiveDate;
use regex::Regex;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/time/tempeval3/train/TimeBank".into());
    let timex = Regex::new(r#"<TIMEX3([^>]*)>([^<]*)</TIMEX3>"#).unwrap();
    let value = Regex::new(r#"value="([^"]*)""#).unwrap();
    let tag = Regex::new(r"<[^>]+>").unwrap();
    let (mut tp, mut fp, mut fn_, mut vtp, mut rel_tp, mut rel_vtp) = (0, 0, 0, 0, 0, 0);
    let mut bytes = 0usize;
    let mut elapsed = 0.0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("data dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    let verbose = std::env::var("VERBOSE").is_ok();
    for path in paths {
        let xml = std::fs::read_to_string(&path).unwrap();
        let dct = xml
            .split("<DCT>")
            .nth(1)
            .and_then(|d| value.captures(d))
            .and_then(|c| NaiveDate::parse_from_str(c[1].get(..10)?, "%Y-%m-%d").ok());
        let Some(text_part) = xml
            .split("<TEXT>")
            .nth(1)
            .and_then(|t| t.split("</TEXT>").next())
        else {
            continue;
        };
        // Strip tags, keeping gold TIMEX3 byte spans in the stripped text.
        let mut body = String::new();
        let mut gold = Vec::new();
        let mut last = 0;
        for c in timex.captures_iter(text_part) {
            let m = c.get(0).unwrap();
            body.push_str(&tag.replace_all(&text_part[last..m.start()], ""));
            let start = body.len();
            body.push_str(&c[2]);
            let v = value
                .captures(&c[1])
                .map(|v| v[1].to_string())
                .unwrap_or_default();
            gold.push((start, body.len(), v, c[2].to_string()));
            last = m.end();
        }
        body.push_str(&tag.replace_all(&text_part[last..], ""));
        let body = body
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        // (entity replacement can shift offsets; TimeBank text rarely has them)
        let t0 = Instant::now();
        let sents = parallax_nlp::sentences::split(&body);
        let found = parallax_nlp::times::find(&body, &sents, dct);
        elapsed += t0.elapsed().as_secs_f64();
        bytes += body.len();
        for f in &found {
            if let Some(g) = gold
                .iter()
                .find(|g| g.0 == f.span.start && g.1 == f.span.end)
            {
                tp += 1;
                if f.value.as_deref() == Some(g.2.as_str()) {
                    vtp += 1;
                }
            } else {
                fp += 1;
                if verbose {
                    println!("FP {:?} {:?}", f.text, f.value);
                }
            }
            if gold.iter().any(|g| g.0 < f.span.end && f.span.start < g.1) {
                rel_tp += 1;
                if gold.iter().any(|g| {
                    g.0 < f.span.end
                        && f.span.start < g.1
                        && f.value.as_deref() == Some(g.2.as_str())
                }) {
                    rel_vtp += 1;
                }
            }
        }
        for g in &gold {
            if !found
                .iter()
                .any(|f| g.0 == f.span.start && g.1 == f.span.end)
            {
                fn_ += 1;
                if verbose {
                    let near = found
                        .iter()
                        .find(|f| g.0 < f.span.end && f.span.start < g.1);
                    println!(
                        "FN {:?} {} (ours: {:?})",
                        g.3,
                        g.2,
                        near.map(|f| (&f.text, &f.value))
                    );
                }
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(1e-9);
    let np = found_total(tp, fp);
    let rp = rel_tp as f64 / np as f64;
    println!(
        "strict span: P {:.3} R {:.3} F1 {:.3} (tp {tp} fp {fp} fn {fn_})",
        p, r, f1
    );
    println!(
        "value accuracy on strict matches: {:.3}",
        vtp as f64 / tp.max(1) as f64
    );
    let gold_total = tp + fn_;
    let rr = rel_tp as f64 / gold_total as f64; // approx: predictions overlapping gold / gold
    println!(
        "relaxed (overlap) precision {:.3}, relaxed recall~ {:.3}; value acc on relaxed {:.3}",
        rp,
        rr.min(1.0),
        rel_vtp as f64 / rel_tp.max(1) as f64
    );
    let vp = vtp as f64 / (tp + fp).max(1) as f64;
    let vr = vtp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "strict value F1 (span and value right): {:.3}",
        2.0 * vp * vr / (vp + vr).max(1e-9)
    );
    println!(
        "speed: {:.1} MB/s ({} bytes in {:.3}s)",
        bytes as f64 / elapsed / 1e6,
        bytes,
        elapsed
    );
}

fn found_total(tp: usize, fp: usize) -> usize {
    (tp + fp).max(1)
}
