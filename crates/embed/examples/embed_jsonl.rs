//! Adds an `embedding` field to every line of a JSONL file (`title` and `text` as
//! `parallax cluster --input` reads them), so that a build of `parallax` without the
//! `embeddings` feature can cluster with vectors computed once:
//!
//! ```text
//! cargo run --release -p parallax-embed --example embed_jsonl -- MODEL_DIR IN.jsonl OUT.jsonl
//! ```

use std::io::{BufRead, Write};
use std::path::Path;

use parallax_stories::embedding_text;
use parallax_stories::jsonl::JsonDoc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, input, output] = &args[..] else {
        return Err("usage: embed_jsonl MODEL_DIR IN.jsonl OUT.jsonl".into());
    };
    let mut lines = Vec::new();
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        // The text the clusterer embeds for this line (`parallax cluster --input`).
        let doc: JsonDoc = serde_json::from_value(v.clone())?;
        texts.push(embedding_text(&doc.to_article()));
        lines.push(v);
    }
    let e = parallax_embed::Embedder::load(Path::new(dir))?;
    let t0 = std::time::Instant::now();
    let vectors = e.embed(&texts)?;
    let secs = t0.elapsed().as_secs_f64();
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    for (mut v, e) in lines.into_iter().zip(vectors) {
        v["embedding"] = serde_json::json!(e);
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "{} texts in {:.1} s wall ({:.1} texts/s)",
        texts.len(),
        secs,
        texts.len() as f64 / secs
    );
    Ok(())
}
