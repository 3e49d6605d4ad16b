//! Trains the attribution tagger on PolNeAR train (see crates/nlp/data/README.md):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example train_quotes -- \
//!     ../shared/data/quotes/polnear crates/nlp/data/quotes-polnear.bin.gz
//! ```
//!
//! Deterministic: fixed shuffling seeds, so the same input gives the same file.
//! `--dev` prints overlap F1 per role on the dev split after every epoch of the last
//! pass (for choosing `--epochs`; dev never reaches the model). Options: `--epochs N`,
//! `--stack-folds N` (0: one pass), `--prune X`, `--cost X`.
use std::path::Path;
use std::time::Instant;

use parallax_core::Span;
use parallax_nlp::entities::EntityTagger;
use parallax_nlp::ner::Model;
use parallax_nlp::quotes::{self, train};

/// Overlap P / R / F1 per role (source, cue, content) of `model` on `articles`: a
/// span counts when it shares a byte with a span of the same role on the other side,
/// as `parallax eval quotes` counts (which also reports exact match).
fn overlap_f1(model: &Model, articles: &[train::Article]) -> [(f64, f64, f64); 3] {
    let tagger = EntityTagger::new();
    let mut c = [[0usize; 4]; 3]; // matched system, system, matched gold, gold
    for a in articles {
        let sents = parallax_nlp::sentences::split(&a.text);
        let ents = tagger.tag(&a.text, &sents);
        let qs = quotes::find_with(model, &a.text, &sents, &ents);
        for role in 1..=3usize {
            let mut sys: Vec<Span> = qs
                .iter()
                .filter_map(|q| match role {
                    1 => q.source,
                    2 => q.cue,
                    _ => Some(q.content),
                })
                .collect();
            sys.sort_unstable_by_key(|s| (s.start, s.end));
            sys.dedup();
            let gold: Vec<&Vec<Span>> = a
                .spans
                .iter()
                .filter(|s| s.0 == role)
                .map(|s| &s.1)
                .collect();
            let hit = |s: &Span, g: &Vec<Span>| g.iter().any(|p| s.overlaps(*p));
            let k = &mut c[role - 1];
            k[0] += sys
                .iter()
                .filter(|s| gold.iter().any(|g| hit(s, g)))
                .count();
            k[1] += sys.len();
            k[2] += gold
                .iter()
                .filter(|g| sys.iter().any(|s| hit(s, g)))
                .count();
            k[3] += gold.len();
        }
    }
    c.map(|k| {
        let p = k[0] as f64 / k[1].max(1) as f64;
        let r = k[2] as f64 / k[3].max(1) as f64;
        (
            p,
            r,
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        )
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut opts = train::Options::default();
    let mut dev = false;
    let mut dump: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dev" => dev = true,
            "--dump" => dump = Some(args.next().ok_or("--dump FILE")?),
            "--epochs" => opts.epochs = args.next().ok_or("--epochs N")?.parse()?,
            "--stack-folds" => opts.stack_folds = args.next().ok_or("--stack-folds N")?.parse()?,
            "--prune" => opts.prune = args.next().ok_or("--prune X")?.parse()?,
            "--o-bias" => opts.o_bias = args.next().ok_or("--o-bias X")?.parse()?,
            "--tune-o-bias" => {
                opts.tune_o_bias = args
                    .next()
                    .ok_or("--tune-o-bias X,Y,…")?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            "--cost" => opts.cost = args.next().ok_or("--cost X")?.parse()?,
            _ => pos.push(a),
        }
    }
    let [dir, out_path] = pos.as_slice() else {
        return Err("usage: train_quotes POLNEAR_DIR OUT.bin.gz [--dev] [--epochs N]".into());
    };
    if let Some(path) = dump {
        // Only a model already written: the dev quotes as JSON lines, code points.
        let model = Model::load(&std::fs::read(out_path)?)?;
        let tagger = EntityTagger::new();
        let mut lines = String::new();
        for a in train::read_polnear(Path::new(dir), "dev")? {
            let sents = parallax_nlp::sentences::split(&a.text);
            let ents = tagger.tag(&a.text, &sents);
            let map = parallax_core::CharMap::new(&a.text);
            let qs: Vec<_> = quotes::find_with(&model, &a.text, &sents, &ents)
                .into_iter()
                .map(|q| {
                    let c = |s: Option<Span>| s.map(|s| map.chars(s));
                    (c(Some(q.content)), c(q.cue), c(q.source), q.speaker)
                })
                .collect();
            let raw: Vec<_> = quotes::tagged_spans(&model, &a.text, &sents, &ents)
                .into_iter()
                .map(|(r, s)| (r, map.chars(s)))
                .collect();
            lines.push_str(&serde_json::to_string(&(&a.name, qs, raw))?);
            lines.push('\n');
        }
        std::fs::write(path, lines)?;
        return Ok(());
    }
    let t = Instant::now();
    let articles = train::read_polnear(Path::new(dir), "train")?;
    let dev_articles = if dev {
        train::read_polnear(Path::new(dir), "dev")?
    } else {
        Vec::new()
    };
    let report: Option<train::Report> = dev.then(|| {
        Box::new(|what: &str, bytes: &[u8]| match Model::load(bytes) {
            Ok(m) => {
                let f = overlap_f1(&m, &dev_articles);
                let names = ["source", "cue", "content"];
                let line: Vec<String> = f
                    .iter()
                    .zip(names)
                    .map(|((p, r, f), n)| format!("{n} {p:.3}/{r:.3}/{f:.3}"))
                    .collect();
                eprintln!("  {what}: dev overlap P/R/F1 {}", line.join("  "));
            }
            Err(e) => eprintln!("  {what}: {e}"),
        }) as train::Report
    });
    let bytes = train::train(&articles, &opts, report)?;
    std::fs::write(out_path, &bytes)?;
    eprintln!(
        "wrote {out_path}: {} bytes, trained in {:.1} s",
        bytes.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
