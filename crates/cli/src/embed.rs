//! `--embeddings DIR`: the sentence encoder lent to the clusterer (`parallax-embed`,
//! compiled only with the `embeddings` feature).

use anyhow::Result;
use parallax_stories::jsonl::EmbedFn;
use parallax_stories::ClusterConfig;

use crate::EmbedArgs;

impl EmbedArgs {
    /// The clusterer's configuration with the embedding knobs given on the command line.
    pub fn config(&self) -> ClusterConfig {
        let mut c = ClusterConfig::default();
        if let Some(w) = self.embedding_weight {
            c.embedding_weight = w.clamp(0.0, 1.0);
        }
        if let Some(f) = self.embedding_floor {
            c.embedding_floor = f.clamp(-1.0, 0.99);
        }
        c
    }
}

/// The encoder `--embeddings` asks for, or `None` without the flag.
#[cfg(feature = "embeddings")]
pub fn encoder(args: &EmbedArgs) -> Result<Option<Box<EmbedFn<'static>>>> {
    use anyhow::Context;
    let Some(dir) = &args.embeddings else {
        return Ok(None);
    };
    let t0 = std::time::Instant::now();
    let model = parallax_embed::Embedder::load(dir).context("--embeddings")?;
    eprintln!(
        "parallax: embeddings from {} ({} dimensions, {:?} pooling, {} tokens), loaded in {:.1} s",
        dir.display(),
        model.dim(),
        model.pooling(),
        model.max_len(),
        t0.elapsed().as_secs_f64()
    );
    let mut tally = Tally::default();
    Ok(Some(Box::new(move |texts: &[String]| {
        let t0 = std::time::Instant::now();
        let v = model.embed(texts)?;
        tally.texts += texts.len();
        tally.secs += t0.elapsed().as_secs_f64();
        Ok(v)
    })))
}

/// Texts embedded and the time it took, reported when the command is done with the
/// encoder.
#[cfg(feature = "embeddings")]
#[derive(Default)]
struct Tally {
    texts: usize,
    secs: f64,
}

#[cfg(feature = "embeddings")]
impl Drop for Tally {
    fn drop(&mut self) {
        eprintln!(
            "parallax: embedded {} texts in {:.1} s",
            self.texts, self.secs
        );
    }
}

/// The encoder `--embeddings` asks for: this build has none.
#[cfg(not(feature = "embeddings"))]
pub fn encoder(args: &EmbedArgs) -> Result<Option<Box<EmbedFn<'static>>>> {
    match &args.embeddings {
        None => Ok(None),
        Some(dir) => anyhow::bail!(
            "--embeddings {}: this build has no embeddings support; rebuild with \
             `cargo build --release -p parallax-cli --features embeddings`",
            dir.display()
        ),
    }
}
