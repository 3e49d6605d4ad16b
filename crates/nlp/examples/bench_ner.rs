//! Throughput of sentences + named entities + credits on the PolNeAR article texts, in
//! tokens per second on one core (release build; median of several runs):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example bench_ner -- ../shared/data/quotes/polnear
//! ```
//!
//! Tokens are the NER tokens (CoNLL-style, punctuation included). Also prints where the
//! time goes: sentence splitting, the tagger's own stages (tokenising, features, the
//! two passes of weight look-ups and Viterbi), the within-article resolution, and
//! credits. Second argument: the number of runs (default 5).
use std::time::Instant;

use parallax_nlp::entities::EntityTagger;
use parallax_nlp::ner::{self, features};
use parallax_nlp::{credits::CreditFinder, sentences};

mod common;
use common::median;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (dir, runs) = common::dir_and_runs();
    let bodies = common::polnear_texts(&dir)?;
    let model = ner::shared().ok_or("embedded model does not load")?;
    let tagger = EntityTagger::new();
    let credits = CreditFinder::shared();
    let tokens: usize = bodies.iter().map(|b| ner::tokenize(b).len()).sum();
    let bytes: usize = bodies.iter().map(String::len).sum();
    eprintln!(
        "{} articles, {tokens} tokens, {bytes} bytes; {runs} runs",
        bodies.len()
    );
    // Warm-up (loads the model).
    let mut ents = 0;
    for b in &bodies {
        ents += tagger.tag(b, &sentences::split(b)).len();
    }
    let (mut t_sent, mut t_ner, mut t_cred, mut t_all) = (vec![], vec![], vec![], vec![]);
    let (mut t_tok, mut t_feat, mut t_tagdoc) = (vec![], vec![], vec![]);
    for _ in 0..runs {
        let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
        let start = Instant::now();
        for body in &bodies {
            let t0 = Instant::now();
            let s = sentences::split(body);
            let t1 = Instant::now();
            let e = tagger.tag(body, &s);
            let t2 = Instant::now();
            let cr = credits.find_in_text(body, &s, &e);
            let t3 = Instant::now();
            std::hint::black_box(cr);
            a += (t1 - t0).as_secs_f64();
            b += (t2 - t1).as_secs_f64();
            c += (t3 - t2).as_secs_f64();
        }
        t_all.push(start.elapsed().as_secs_f64());
        t_sent.push(a);
        t_ner.push(b);
        t_cred.push(c);
        // Inside the tagger: tokenising, one pass of features, the model on the
        // whole document (features + decoding, both passes).
        let split: Vec<Vec<parallax_core::Sentence>> =
            bodies.iter().map(|b| sentences::split(b)).collect();
        let t0 = Instant::now();
        let docs: Vec<Vec<Vec<&str>>> = bodies
            .iter()
            .zip(&split)
            .map(|(b, ss)| {
                ss.iter()
                    .map(|s| {
                        let t = &b[s.span.start..s.span.end];
                        ner::tokenize(t)
                            .into_iter()
                            .map(|(x, y)| &t[x..y])
                            .collect()
                    })
                    .collect()
            })
            .collect();
        t_tok.push(t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        let mut scratch = features::Scratch::default();
        let (mut f, mut o) = (Vec::new(), Vec::new());
        for d in &docs {
            let info = features::DocInfo::new(d);
            for si in 0..d.len() {
                features::sentence_features(
                    d,
                    &info,
                    si,
                    &model.gaz,
                    &model.clusters,
                    &mut scratch,
                    &mut f,
                    &mut o,
                );
            }
        }
        t_feat.push(t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        for d in &docs {
            std::hint::black_box(model.tag_document(d));
        }
        t_tagdoc.push(t0.elapsed().as_secs_f64());
    }
    let tps = |t: f64| tokens as f64 / t;
    let all = median(t_all);
    let (sent, nerx, cred) = (median(t_sent), median(t_ner), median(t_cred));
    let (tok, feat, tagdoc) = (median(t_tok), median(t_feat), median(t_tagdoc));
    println!(
        "sentences + NER + credits: {:.0} tokens/s per core ({all:.3} s per pass, {ents} entities)",
        tps(all)
    );
    println!("  sentences  {:>6.1}%  {sent:.3} s", 100.0 * sent / all);
    println!(
        "  entities   {:>6.1}%  {nerx:.3} s  ({:.0} tokens/s alone)",
        100.0 * nerx / all,
        tps(nerx)
    );
    println!("    tokenise             {tok:.3} s");
    println!("    features, one pass   {feat:.3} s");
    println!(
        "    model, both passes   {tagdoc:.3} s (features once, second-pass additions, two decodings)"
    );
    println!(
        "    look-ups + Viterbi   {:.3} s (estimate: model minus features)",
        (tagdoc - feat).max(0.0)
    );
    println!(
        "    resolution, nominals {:.3} s (estimate)",
        (nerx - tok - tagdoc).max(0.0)
    );
    println!("  credits    {:>6.1}%  {cred:.3} s", 100.0 * cred / all);
    Ok(())
}
