//! Trains the attribution tagger on PolNeAR train (see crates/nlp/data/README.md):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example train_quotes -- \
//!     ../shared/data/quotes/polnear crates/nlp/data/quotes-polnear.bin.gz
//! ```
//!
//! Deterministic: fixed shuffling seeds, so the same input gives the same file.
//!
//! - `--dev`: prints overlap (and exact) P/R/F1 per role on the dev split for the
//!   finished model (`--every-epoch`: after every epoch of the last pass); dev never
//!   reaches the model.
//! - `--cv K:F`: cross-validation on train instead: articles whose index mod K is F are
//!   held out, the model is trained on the rest and scored on them; dev is not read.
//!   For choosing options without looking at dev.
//! - `--score-only`: no training; scores the existing model OUT on the held-out fold
//!   (`--cv`) or dev, for decoder changes (`--score-train`: on the training part too).
//! - `--pred FILE`: writes the quotes on the scored articles as JSON lines (code
//!   points); `--dump FILE` does it for dev with the existing model OUT.
//! - Training: `--epochs N`, `--stack-folds N` (0: one pass), `--prune X`, `--cost X`,
//!   `--o-bias X` (`--tune-o-bias X,Y,…` reports others), `--seeds N` (average N
//!   models per pass), `--all-annotators` (also train on the other annotators'
//!   versions of the articles several people annotated).
use std::path::Path;
use std::time::Instant;

use parallax_core::Span;
use parallax_nlp::entities::EntityTagger;
use parallax_nlp::ner::Model;
use parallax_nlp::quotes::{self, train};

/// Narrows a byte range past whitespace and punctuation at either end, as the scorer
/// (`crates/eval/src/quotes.rs`) does before comparing extents.
fn trim(text: &str, s: Span) -> (usize, usize) {
    let skip = |c: char| {
        c.is_whitespace()
            || (c.is_ascii_punctuation() && c != '%' && c != '$')
            || matches!(c, '“' | '”' | '‘' | '’' | '—' | '–')
    };
    let t = &text[s.start..s.end];
    let a = s.start + (t.len() - t.trim_start_matches(skip).len());
    let b = s.start + t.trim_end_matches(skip).len();
    if a >= b {
        (b, b)
    } else {
        (a, b)
    }
}

/// Counts per role (source, cue, content): overlap and exact matches of `model`'s
/// quotes on `articles`, as `parallax eval quotes` counts them: [matched system,
/// system, matched gold, gold] for overlap, then the same for exact.
fn score(model: &Model, articles: &[train::Article]) -> [[usize; 8]; 3] {
    let tagger = EntityTagger::new();
    let mut c = [[0usize; 8]; 3];
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
            let gx: Vec<(usize, usize)> = gold
                .iter()
                .map(|g| {
                    let lo = g.iter().map(|p| p.start).min().unwrap_or(0);
                    let hi = g.iter().map(|p| p.end).max().unwrap_or(0);
                    trim(&a.text, Span::new(lo, hi))
                })
                .collect();
            let sx: Vec<(usize, usize)> = sys.iter().map(|s| trim(&a.text, *s)).collect();
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
            k[4] += sx.iter().filter(|s| gx.contains(s)).count();
            k[5] += sys.len();
            k[6] += gx.iter().filter(|g| sx.contains(g)).count();
            k[7] += gold.len();
        }
    }
    c
}

fn prf(m_sys: usize, sys: usize, m_gold: usize, gold: usize) -> (f64, f64, f64) {
    let p = m_sys as f64 / sys.max(1) as f64;
    let r = m_gold as f64 / gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// One line of overlap (and exact) P/R/F1 per role.
fn score_line(model: &Model, articles: &[train::Article]) -> String {
    let c = score(model, articles);
    let names = ["source", "cue", "content"];
    let mut out = String::from("overlap P/R/F1");
    for (k, n) in c.iter().zip(names) {
        let (p, r, f) = prf(k[0], k[1], k[2], k[3]);
        out.push_str(&format!("  {n} {p:.3}/{r:.3}/{f:.3}"));
    }
    out.push_str(" | exact F1");
    for (k, n) in c.iter().zip(names) {
        let (_, _, f) = prf(k[4], k[5], k[6], k[7]);
        out.push_str(&format!(" {n} {f:.3}"));
    }
    out
}

/// The quotes of `model` on `articles` as JSON lines in code points: name, quotes
/// (content, cue, source, speaker) and the raw tagged spans (role, span).
fn dump(model: &Model, articles: &[train::Article], path: &str) -> std::io::Result<()> {
    let tagger = EntityTagger::new();
    let mut lines = String::new();
    for a in articles {
        let sents = parallax_nlp::sentences::split(&a.text);
        let ents = tagger.tag(&a.text, &sents);
        let map = parallax_core::CharMap::new(&a.text);
        let qs: Vec<_> = quotes::find_with(model, &a.text, &sents, &ents)
            .into_iter()
            .map(|q| {
                let c = |s: Option<Span>| s.map(|s| map.chars(s));
                (c(Some(q.content)), c(q.cue), c(q.source), q.speaker)
            })
            .collect();
        let raw: Vec<_> = quotes::tagged_spans(model, &a.text, &sents, &ents)
            .into_iter()
            .map(|(r, s)| (r, map.chars(s)))
            .collect();
        lines.push_str(&serde_json::to_string(&(&a.name, qs, raw)).map_err(std::io::Error::other)?);
        lines.push('\n');
    }
    std::fs::write(path, lines)
}

/// An existing model file, refused when its features are not this build's (an older
/// file would load and tag with the wrong weights).
fn load_existing(path: &str) -> Result<Model, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let m = Model::load(&bytes).map_err(|e| format!("{path}: {e}"))?;
    let want = parallax_nlp::quotes::tagger::FEATURE_VERSION;
    if m.feature_version != want {
        return Err(format!(
            "{path} has feature version {}, this build's tagger reads version {want}: retrain it",
            m.feature_version
        )
        .into());
    }
    Ok(m)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut pos = Vec::new();
    let mut opts = train::Options::default();
    let mut dev = false;
    let mut dump_to: Option<String> = None;
    let mut cv: Option<(usize, usize)> = None;
    let mut every = false;
    let mut pred: Option<String> = None;
    let (mut score_only, mut score_train) = (false, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dev" => dev = true,
            "--dump" => dump_to = Some(args.next().ok_or("--dump FILE")?),
            "--pred" => pred = Some(args.next().ok_or("--pred FILE")?),
            "--every-epoch" => every = true,
            "--score-only" => score_only = true,
            "--score-train" => score_train = true,
            "--cv" => {
                let v = args.next().ok_or("--cv K:F")?;
                let (k, f) = v.split_once(':').ok_or("--cv K:F")?;
                cv = Some((k.parse()?, f.parse()?));
            }
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
            "--seeds" => opts.seeds = args.next().ok_or("--seeds N")?.parse()?,
            "--all-annotators" => opts.all_annotators = true,
            "--cost" => opts.cost = args.next().ok_or("--cost X")?.parse()?,
            _ => pos.push(a),
        }
    }
    let [dir, out_path] = pos.as_slice() else {
        return Err(
            "usage: train_quotes POLNEAR_DIR OUT.bin.gz [--dev | --cv K:F] [OPTIONS]".into(),
        );
    };
    if let Some(path) = dump_to {
        // Only a model already written: the dev quotes as JSON lines, code points.
        let model = load_existing(out_path)?;
        dump(&model, &train::read_polnear(Path::new(dir), "dev")?, &path)?;
        return Ok(());
    }
    let t = Instant::now();
    let mut articles = train::read_polnear(Path::new(dir), "train")?;
    // Cross-validation on train: fold F of K (article index mod K) is held out and
    // scored; dev is not read.
    let held = match cv {
        Some((k, f)) => {
            let (tr, held): (Vec<_>, Vec<_>) = articles
                .into_iter()
                .enumerate()
                .partition(|(i, _)| i % k != f);
            articles = tr.into_iter().map(|x| x.1).collect();
            held.into_iter().map(|x| x.1).collect()
        }
        None if dev => train::read_polnear(Path::new(dir), "dev")?,
        None => Vec::new(),
    };
    let what = if cv.is_some() { "held-out fold" } else { "dev" };
    if score_only {
        // An existing model (OUT) scored on the held-out fold or dev: for decoder
        // changes, which need no training.
        let m = load_existing(out_path)?;
        if score_train {
            eprintln!("training part: {}", score_line(&m, &articles));
            if let Some(p) = &pred {
                dump(&m, &articles, &format!("{p}.train"))?;
            }
        }
        eprintln!("{what}: {}", score_line(&m, &held));
        if let Some(p) = pred {
            dump(&m, &held, &p)?;
        }
        return Ok(());
    }
    let last = opts.epochs;
    let report: Option<train::Report> = (!held.is_empty()).then(|| {
        Box::new(|e: &str, bytes: &[u8]| {
            let final_only = e.starts_with("epoch ") && e != format!("epoch {last}") && !every;
            if final_only {
                return;
            }
            match Model::load(bytes) {
                Ok(m) => eprintln!("  {e}: {what} {}", score_line(&m, &held)),
                Err(err) => eprintln!("  {e}: {err}"),
            }
        }) as train::Report
    });
    let bytes = train::train(&articles, &opts, report)?;
    std::fs::write(out_path, &bytes)?;
    if let Some(p) = pred {
        dump(&Model::load(&bytes)?, &held, &p)?;
    }
    eprintln!(
        "wrote {out_path}: {} bytes, trained in {:.1} s",
        bytes.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
