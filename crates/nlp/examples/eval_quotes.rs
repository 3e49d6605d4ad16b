//! Throwaway measurement: overlap-match P/R/F1 per role (source, cue, content) of
//! `quotes::find` on PolNeAR dev. Reads the data at run time (default
//! `../shared/data/quotes/polnear`); one annotator per article (the first in
//! metadata.tsv's `annotators`). Gold offsets are code points; ours are converted.
//!
//! `cargo run --release -p parallax-nlp --example eval_quotes [DIR]`
use std::collections::HashMap;

use parallax_core::CharMap;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/quotes/polnear".into());
    let split = std::env::var("SPLIT").unwrap_or_else(|_| "dev".into());
    let meta = std::fs::read_to_string(format!("{root}/metadata.tsv")).expect("metadata");
    let mut first_ann: HashMap<String, String> = HashMap::new();
    for line in meta.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() > 3 && f[0] == split {
            first_ann.insert(
                f[1].to_string(),
                f[3].split('|').next().unwrap_or("").to_string(),
            );
        }
    }
    // role -> (tp_pred, n_pred, tp_gold, n_gold)
    let mut stats: HashMap<&str, [usize; 4]> = HashMap::new();
    let mut names: Vec<_> = first_ann.keys().cloned().collect();
    names.sort();
    for name in names {
        let ann = &first_ann[&name];
        let Ok(text) = std::fs::read_to_string(format!("{root}/{split}/text/{name}.txt")) else {
            continue;
        };
        let Ok(gold) =
            std::fs::read_to_string(format!("{root}/{split}/attributions/{name}_{ann}.ann"))
        else {
            continue;
        };
        let mut g: HashMap<&str, Vec<Vec<(usize, usize)>>> = HashMap::new();
        for line in gold.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 2 || !f[0].starts_with('T') {
                continue;
            }
            let (ty, ranges) = f[1].split_once(' ').unwrap_or(("", ""));
            let role = match ty {
                "Source" => "source",
                "Cue" => "cue",
                "Content" => "content",
                _ => continue,
            };
            let rs = ranges
                .split(';')
                .filter_map(|r| {
                    let (a, b) = r.trim().split_once(' ')?;
                    Some((a.parse().ok()?, b.parse().ok()?))
                })
                .collect();
            g.entry(role).or_default().push(rs);
        }
        let sents = parallax_nlp::sentences::split(&text);
        let ents = parallax_nlp::entities::EntityTagger::new().tag(&text, &sents);
        let quotes = parallax_nlp::quotes::find(&text, &sents, &ents);
        // Also exercises the time finder on real text (must never panic).
        let _ =
            parallax_nlp::times::find(&text, &sents, chrono::NaiveDate::from_ymd_opt(2016, 9, 30));
        let _ = parallax_nlp::times::find(&text, &sents, None);
        let map = CharMap::new(&text);
        let mut p: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for q in &quotes {
            p.entry("content").or_default().push(map.chars(q.content));
            if let Some(c) = q.cue {
                p.entry("cue").or_default().push(map.chars(c));
            }
            if let Some(s) = q.source {
                p.entry("source").or_default().push(map.chars(s));
            }
        }
        for role in ["source", "cue", "content"] {
            let gs = g.get(role).cloned().unwrap_or_default();
            let mut ps = p.get(role).cloned().unwrap_or_default();
            ps.sort();
            ps.dedup();
            let ov = |a: (usize, usize), rs: &Vec<(usize, usize)>| {
                rs.iter().any(|r| a.0 < r.1 && r.0 < a.1)
            };
            let e = stats.entry(role).or_default();
            e[0] += ps
                .iter()
                .filter(|x| gs.iter().any(|rs| ov(**x, rs)))
                .count();
            e[1] += ps.len();
            e[2] += gs.iter().filter(|rs| ps.iter().any(|x| ov(*x, rs))).count();
            e[3] += gs.len();
        }
    }
    for role in ["source", "cue", "content"] {
        let e = stats[role];
        let pr = e[0] as f64 / e[1].max(1) as f64;
        let rc = e[2] as f64 / e[3].max(1) as f64;
        println!(
            "{role:8} overlap P {:.3} R {:.3} F1 {:.3} (pred {}, gold {})",
            pr,
            rc,
            2.0 * pr * rc / (pr + rc).max(1e-9),
            e[1],
            e[3]
        );
    }
}
