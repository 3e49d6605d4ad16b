//! Trains the NER model on CoNLL-2003 train (see crates/nlp/data/README.md):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example train_ner -- \
//!     ../shared/data/ner/conll2003/train.txt crates/nlp/data/ner-conll2003.bin.gz
//! ```
//!
//! Deterministic: a fixed shuffling seed, so the same input gives the same file.
//! `--dev FILE` prints entity-level F1 on FILE after every epoch (for choosing
//! `--epochs`; the dev data never reaches the model); `--epochs N`, `--prune X`;
//! `--unlabeled PATH` (repeatable) adds raw text for the word clusters.
use std::time::Instant;

use std::path::Path;

use parallax_nlp::ner::{self, chunks, clusters, train, Model};

/// Unlabeled text for the word clusters: `.txt` files (one paragraph per line), the
/// text of TimeML `.tml` files and the `text` field of `.jsonl` lines, under `path` (a file or a directory, recursively).
fn read_unlabeled(path: &Path, out: &mut Vec<Vec<String>>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            read_unlabeled(&p, out)?;
        }
        return Ok(());
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mut add = |text: &str| {
        for line in text.lines() {
            let toks: Vec<String> = ner::tokenize(line)
                .into_iter()
                .map(|(a, b)| line[a..b].to_string())
                .collect();
            if !toks.is_empty() {
                out.push(toks);
            }
        }
    };
    match ext {
        "txt" => add(&std::fs::read_to_string(path)?),
        // TimeML: the text between the tags.
        "tml" => {
            let raw = std::fs::read_to_string(path)?;
            let mut text = String::with_capacity(raw.len());
            let mut in_tag = false;
            for c in raw.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            add(&text)
        }
        "jsonl" => {
            for line in std::fs::read_to_string(path)?.lines() {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                    if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                        add(t);
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn f1(model: &Model, docs: &[ner::ConllDoc]) -> (f64, f64, f64) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for d in docs {
        let doc: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.iter().map(|x| x.0.as_str()).collect())
            .collect();
        let pred = model.tag_document_str(&doc);
        for (s, p) in d.iter().zip(pred) {
            let gold: Vec<&str> = s.iter().map(|x| x.1.as_str()).collect();
            let g = chunks(&gold);
            let p = chunks(&p);
            tp += p.iter().filter(|x| g.contains(x)).count();
            np += p.len();
            ng += g.len();
        }
    }
    let pr = tp as f64 / np.max(1) as f64;
    let rc = tp as f64 / ng.max(1) as f64;
    let f = if pr + rc > 0.0 {
        2.0 * pr * rc / (pr + rc)
    } else {
        0.0
    };
    (100.0 * pr, 100.0 * rc, 100.0 * f)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut opts = train::Options::default();
    let mut dev = None;
    let mut unlabeled: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dev" => dev = args.next(),
            "--unlabeled" => unlabeled.push(args.next().ok_or("--unlabeled PATH")?),
            "--epochs" => opts.epochs = args.next().ok_or("--epochs N")?.parse()?,
            "--prune" => opts.prune = args.next().ok_or("--prune X")?.parse()?,
            "--folds" => opts.folds = args.next().ok_or("--folds N")?.parse()?,
            "--stack-folds" => opts.stack_folds = args.next().ok_or("--stack-folds N")?.parse()?,
            "--seeds" => opts.seeds = args.next().ok_or("--seeds N")?.parse()?,
            "--cost" => opts.cost = args.next().ok_or("--cost X")?.parse()?,
            _ => pos.push(a),
        }
    }
    let [train_path, out_path] = pos.as_slice() else {
        return Err(
            "usage: train_ner TRAIN.txt OUT.bin.gz [--dev DEV.txt] [--epochs N] [--prune X]".into(),
        );
    };
    let docs = ner::read_conll(&std::fs::read_to_string(train_path)?);
    let n: usize = docs.iter().flatten().map(Vec::len).sum();
    eprintln!("{} documents, {n} tokens", docs.len());
    let t = Instant::now();
    // Clusters from the training text (tokens only, no labels) and the unlabeled text.
    let mut sents: Vec<Vec<String>> = docs
        .iter()
        .flatten()
        .map(|s| s.iter().map(|x| x.0.clone()).collect())
        .collect();
    for u in &unlabeled {
        read_unlabeled(Path::new(u), &mut sents)?;
    }
    let tokens: usize = sents.iter().map(Vec::len).sum();
    opts.clusters = clusters::learn(&sents, [600, 150, 40], 3, 8);
    eprintln!(
        "{} words clustered from {tokens} tokens in {:.1} s",
        opts.clusters.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(dev) = dev {
        let dev_docs = ner::read_conll(&std::fs::read_to_string(dev)?);
        opts.report = Some(Box::new(move |epoch, bytes: &[u8]| {
            match Model::load(bytes) {
                Ok(m) => {
                    let (p, r, f) = f1(&m, &dev_docs);
                    eprintln!(
                        "  epoch {epoch}: dev P {p:.2} R {r:.2} F1 {f:.2} ({} rows, {} bytes)",
                        m.len(),
                        bytes.len()
                    );
                }
                Err(e) => eprintln!("  epoch {epoch}: {e}"),
            }
        }));
    }
    let t = Instant::now();
    let mut bytes = Vec::new();
    let rows = train::train(&docs, opts, &mut bytes)?;
    std::fs::write(out_path, &bytes)?;
    eprintln!(
        "wrote {out_path}: {rows} weight rows, {} bytes, trained in {:.1} s",
        bytes.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
