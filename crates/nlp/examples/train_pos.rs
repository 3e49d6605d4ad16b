//! Trains the part-of-speech tagger on the POS column of CoNLL-2003 train (see
//! crates/nlp/data/README.md):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example train_pos -- \
//!     ../shared/data/ner/conll2003/train.txt crates/nlp/data/pos-conll2003.bin.gz \
//!     --dev ../shared/data/ner/conll2003/dev.txt
//! ```
//!
//! Deterministic: a fixed shuffling seed, so the same input gives the same file. The
//! word clusters are the embedded NER model's. `--dev FILE` prints token accuracy on
//! FILE after every epoch (the dev data never reaches the model); `--epochs N`,
//! `--prune X`, `--dict-min N`, `--dict-share X`.
use std::time::Instant;

use parallax_nlp::{ner, pos};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos_args = Vec::new();
    let mut dev = None;
    let mut opts = pos::Options::default();
    let mut i = 0;
    while i < args.len() {
        let val = |i: usize| args.get(i + 1).cloned().expect("option needs a value");
        match args[i].as_str() {
            "--dev" => dev = Some(val(i)),
            "--epochs" => opts.epochs = val(i).parse().expect("--epochs N"),
            "--prune" => opts.prune = val(i).parse().expect("--prune X"),
            "--dict-min" => opts.dict_min = val(i).parse().expect("--dict-min N"),
            "--dict-share" => opts.dict_share = val(i).parse().expect("--dict-share X"),
            a => {
                pos_args.push(a.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let [train, out] = &pos_args[..] else {
        eprintln!("usage: train_pos TRAIN.txt OUT.bin.gz [--dev DEV.txt] [options]");
        std::process::exit(2);
    };
    let clusters = &ner::shared()
        .expect("the embedded NER model loads")
        .clusters;
    let sents = pos::read_conll(&std::fs::read_to_string(train)?);
    let dev = match dev {
        Some(p) => pos::read_conll(&std::fs::read_to_string(p)?),
        None => Vec::new(),
    };
    let t0 = Instant::now();
    let mut buf = Vec::new();
    pos::train(&sents, clusters, &opts, &mut buf, |epoch, t| {
        if !dev.is_empty() {
            eprintln!(
                "epoch {epoch}: dev accuracy {:.4} ({:.0?})",
                pos::accuracy(t, &dev, clusters),
                t0.elapsed()
            );
        }
    })?;
    std::fs::write(out, &buf)?;
    let t = pos::Tagger::load(&buf)?;
    eprintln!(
        "{} tags, {} bytes written to {out}",
        t.tags.len(),
        buf.len()
    );
    if !dev.is_empty() {
        // Speed: tag dev ten times.
        let t1 = Instant::now();
        let mut n = 0;
        for _ in 0..10 {
            pos::accuracy(&t, &dev, clusters);
            n += dev.iter().map(|s| s.words.len()).sum::<usize>();
        }
        eprintln!(
            "tagging: {:.0} tokens/s (with normalising)",
            n as f64 / t1.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
