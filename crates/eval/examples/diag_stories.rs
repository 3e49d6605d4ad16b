//! Per-topic error analysis of story clustering on ECB+: for each seed, the stories
//! that hold documents of a topic, as counts of its `ecb` / `ecbplus` documents.
//!
//! A topic whose two events each have a story of their own is left out. Seed 0 is the
//! file's order. `DIAG_TOPICS=1,10` also lists the document ids of each story of those
//! topics; `DIAG_DUMP=1` prints one `PRED seed topic event id story` line per document
//! instead (for scoring subsets elsewhere).
//!
//! `cargo run --release -p parallax-eval --example diag_stories -- ecbplus-dev.jsonl [seeds]`
use std::collections::BTreeMap;

use anyhow::Context;

use parallax_eval::stories::{cluster, load, shuffled};

/// Per predicted story: the ids of the topic's `ecb` and of its `ecbplus` documents.
type Split = (Vec<String>, Vec<String>);

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .context("usage: diag_stories ECBPLUS_DEV_JSONL [SEED...]")?;
    let seeds = args[2..]
        .iter()
        .map(|s| {
            s.parse()
                .with_context(|| format!("seed {s:?} is not a whole number"))
        })
        .collect::<anyhow::Result<Vec<u64>>>()?;
    let seeds = if seeds.is_empty() {
        vec![1, 2, 3, 4, 5]
    } else {
        seeds
    };
    let docs = load(std::path::Path::new(path))?;
    for seed in seeds {
        let order = if seed == 0 {
            (0..docs.len()).collect()
        } else {
            shuffled(docs.len(), seed)
        };
        let (pred, _) = cluster(&docs, &order);
        if std::env::var("DIAG_DUMP").is_ok() {
            for (d, p) in docs.iter().zip(&pred) {
                println!(
                    "PRED {seed} {} {} {} {p}",
                    d.topic.as_deref().unwrap_or(""),
                    d.label,
                    d.doc.id
                );
            }
            continue;
        }
        // topic -> story -> (ecb ids, ecbplus ids)
        let mut by: BTreeMap<u32, BTreeMap<String, Split>> = BTreeMap::new();
        for (d, p) in docs.iter().zip(&pred) {
            let t: u32 = d.topic.as_deref().unwrap_or("0").parse().unwrap_or(0);
            let e = by.entry(t).or_default().entry(p.clone()).or_default();
            if d.label.ends_with("ecbplus") {
                e.1.push(d.doc.id.clone())
            } else {
                e.0.push(d.doc.id.clone())
            }
        }
        println!("== seed {seed}");
        for (t, stories) in &by {
            if stories.len() == 2 && stories.values().all(|(a, b)| a.is_empty() || b.is_empty()) {
                continue;
            }
            let mut parts: Vec<String> = stories
                .values()
                .map(|(a, b)| {
                    let mixed = !a.is_empty() && !b.is_empty();
                    let small = |v: &Vec<String>| {
                        if v.len() <= 3 {
                            format!("{v:?}")
                        } else {
                            String::new()
                        }
                    };
                    format!(
                        "{}{}/{}{}{}",
                        if mixed { "*" } else { "" },
                        a.len(),
                        b.len(),
                        small(a),
                        small(b)
                    )
                })
                .collect();
            parts.sort();
            println!("topic {t}: {}", parts.join("  "));
            if std::env::var("DIAG_TOPICS").is_ok_and(|v| v.split(',').any(|x| x == t.to_string()))
            {
                for (a, b) in stories.values() {
                    println!("    {a:?} {b:?}");
                }
            }
        }
    }
    Ok(())
}
