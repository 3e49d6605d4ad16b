//! Throughput of the quote stage, and of the whole analyze stage around it, on the
//! PolNeAR article texts, in tokens per second on one core (release build; median of
//! several runs):
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example bench_quotes -- ../shared/data/quotes/polnear
//! ```
//!
//! Tokens are the NER tokens (CoNLL-style, punctuation included). The quote stage is
//! `quotes::find` given the sentences and entities (as `Analyzer` calls it), the
//! entities figure `EntityTagger::tag` given the sentences, for scale; the analyze figure times everything `Analyzer::analyze` runs: sentences, entities,
//! credits, quotes and times. Second argument: the number of runs (default 5).
use std::time::Instant;

use parallax_nlp::{credits::CreditFinder, entities::EntityTagger, ner, quotes, sentences, times};

mod common;
use common::median;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (dir, runs) = common::dir_and_runs();
    let bodies = common::polnear_texts(&dir)?;
    let tagger = EntityTagger::new();
    let credits = CreditFinder::shared();
    let model = if quotes::tagger::shared().is_some() {
        "the tagger"
    } else {
        "the rules (no tagger model)"
    };
    let tokens: usize = bodies.iter().map(|b| ner::tokenize(b).len()).sum();
    eprintln!(
        "{} articles, {tokens} tokens; quotes by {model}; {runs} runs",
        bodies.len()
    );
    let read: Vec<_> = bodies
        .iter()
        .map(|b| {
            let s = sentences::split(b);
            let e = tagger.tag(b, &s);
            (s, e)
        })
        .collect();
    let (mut quote_s, mut ner_s, mut all_s) = (Vec::new(), Vec::new(), Vec::new());
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = 0;
        for (b, (s, e)) in bodies.iter().zip(&read) {
            found += quotes::find(b, s, e).len();
        }
        quote_s.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for (b, (s, _)) in bodies.iter().zip(&read) {
            let _ = tagger.tag(b, s);
        }
        ner_s.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for b in &bodies {
            let s = sentences::split(b);
            let e = tagger.tag(b, &s);
            let _ = credits.find_in_text(b, &s, &e);
            let _ = quotes::find(b, &s, &e);
            let _ = times::find(b, &s, None);
        }
        all_s.push(t.elapsed().as_secs_f64());
    }
    let (q, e, a) = (median(quote_s), median(ner_s), median(all_s));
    let rate = |s: f64| tokens as f64 / s;
    println!(
        "quotes: {found} found, {:.0} tokens/s ({q:.2} s); entities (NER): {:.0} tokens/s ({e:.2} s); analyze: {:.0} tokens/s ({a:.2} s); quotes are {:.0} % of analyze",
        rate(q),
        rate(e),
        rate(a),
        100.0 * q / a
    );
    Ok(())
}
