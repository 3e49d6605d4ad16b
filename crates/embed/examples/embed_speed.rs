//! Embedding throughput on a JSONL file (`title` and `text` fields, as
//! `parallax cluster --input` reads them): prints texts, seconds and texts per second.
//! Run it under `time` for CPU seconds, with `RAYON_NUM_THREADS=1` for one core:
//!
//! ```text
//! RAYON_NUM_THREADS=1 /usr/bin/time cargo run --release -p parallax-embed \
//!     --example embed_speed -- MODEL_DIR FILE.jsonl [LIMIT]
//! ```

use std::io::BufRead;
use std::path::Path;

use parallax_stories::embedding_text;
use parallax_stories::jsonl::JsonDoc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, file, rest @ ..] = &args[..] else {
        return Err("usage: embed_speed MODEL_DIR FILE.jsonl [LIMIT]".into());
    };
    let limit: usize = rest.first().map_or(Ok(usize::MAX), |s| s.parse())?;
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(file)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        // The text the clusterer embeds for this line (`parallax cluster --input`).
        let doc: JsonDoc = serde_json::from_str(&line)?;
        texts.push(embedding_text(&doc.to_article()));
        if texts.len() >= limit {
            break;
        }
    }
    let t0 = std::time::Instant::now();
    let e = parallax_embed::Embedder::load(Path::new(dir))?;
    let load = t0.elapsed().as_secs_f64();
    let t0 = std::time::Instant::now();
    let v = e.embed(&texts)?;
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{} texts ({} dims) in {:.2} s wall after a {:.2} s load: {:.1} texts/s wall",
        v.len(),
        e.dim(),
        secs,
        load,
        v.len() as f64 / secs
    );
    Ok(())
}
