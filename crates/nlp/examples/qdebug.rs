//! The quote tagger's tags next to the gold ones, token by token, for looking at its
//! errors on PolNeAR articles.
//!
//! ```sh
//! cargo run --release -p parallax-nlp --example qdebug -- \
//!     ../shared/data/quotes/polnear crates/nlp/data/quotes-polnear.bin.gz dev pence-
//! ```
//!
//! Arguments: the PolNeAR folder, a model file, the split (`train` or `dev`) and a part
//! of the article names to show. Each paragraph is one line of `word/gold/tagged`, the
//! tags as `S`/`s` (source, begin/inside), `C`/`c` (cue), `K`/`k` (content), empty for
//! outside; `^` marks a token inside quotation marks and `|` a sentence start.

use std::path::Path;

use parallax_nlp::entities::EntityTagger;
use parallax_nlp::ner::Model;
use parallax_nlp::quotes::{self, train};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, model, split, part] = args.as_slice() else {
        return Err("usage: qdebug POLNEAR_DIR MODEL.bin.gz train|dev NAME_PART".into());
    };
    let model = Model::load(&std::fs::read(model)?)?;
    let tagger = EntityTagger::new();
    let tag = |x: usize| ["", "S", "s", "C", "c", "K", "k", "M", "m"][x.min(8)];
    for art in train::read_polnear(Path::new(dir), split)? {
        if !art.name.contains(part.as_str()) {
            continue;
        }
        println!("# {}\n", art.name);
        let sents = parallax_nlp::sentences::split(&art.text);
        let ents = tagger.tag(&art.text, &sents);
        for (p, tags) in quotes::paragraph_tags(&model, &art.text, &sents, &ents) {
            let gold = train::labels(&p, &art.spans);
            let mut line = String::new();
            for (k, t) in p.toks.iter().enumerate() {
                line.push_str(&format!(
                    "{}{}{}/{}/{} ",
                    if t.first { "| " } else { "" },
                    &art.text[t.span.start..t.span.end],
                    if t.quote > 0 { "^" } else { "" },
                    tag(gold[k]),
                    tag(tags[k]),
                ));
            }
            println!("{}\n", line.trim_end());
        }
    }
    Ok(())
}
