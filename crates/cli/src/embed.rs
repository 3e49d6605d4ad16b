//! `--embeddings DIR`: the sentence encoder lent to the clusterer (`parallax-embed`,
//! compiled only with the `embeddings` feature).

use anyhow::Result;
use parallax_stories::jsonl::EmbedFn;
use parallax_stories::ClusterConfig;

use crate::EmbedArgs;

impl EmbedArgs {
    /// The clusterer's configuration with the embedding knobs given on the command line
    /// (the first weight when several are given).
    pub fn config(&self) -> ClusterConfig {
        self.configs().swap_remove(0)
    }

    /// One configuration per `--embedding-weight` (one, the default, without).
    pub fn configs(&self) -> Vec<ClusterConfig> {
        if self.embedding_weight.is_empty() {
            return vec![self.with_weight(None)];
        }
        self.embedding_weight
            .iter()
            .map(|&w| self.with_weight(Some(w)))
            .collect()
    }

    fn with_weight(&self, w: Option<f64>) -> ClusterConfig {
        let mut c = ClusterConfig::default();
        if let Some(w) = w {
            c.embedding_weight = w.clamp(0.0, 1.0);
        }
        if let Some(f) = self.embedding_floor {
            c.embedding_floor = f.clamp(-1.0, 0.99);
        }
        c
    }
}

/// The encoder `--embeddings` asks for, or `None` without the flag. With `memo`, it
/// remembers every text's vector and embeds a text seen before only once (for `eval
/// stories`: the same file once per weight, and the MStream files hold the same
/// headlines in two orders); a stream of unbounded length must not use it.
#[cfg(feature = "embeddings")]
pub fn encoder(args: &EmbedArgs, memo: bool) -> Result<Option<Box<EmbedFn<'static>>>> {
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
    let mut seen: std::collections::HashMap<String, Vec<f32>> = Default::default();
    Ok(Some(Box::new(move |texts: &[String]| {
        let new: Vec<&String> = {
            if !memo {
                texts.iter().collect()
            } else {
                let mut new: Vec<&String> =
                    texts.iter().filter(|t| !seen.contains_key(*t)).collect();
                new.sort();
                new.dedup();
                new
            }
        };
        let t0 = std::time::Instant::now();
        let v = model.embed(&new)?;
        tally.add(new.len(), t0.elapsed().as_secs_f64());
        if !memo {
            return Ok(v);
        }
        for (t, v) in new.into_iter().zip(v) {
            seen.insert(t.clone(), v);
        }
        Ok(texts.iter().map(|t| seen[t].clone()).collect())
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
impl Tally {
    fn add(&mut self, texts: usize, secs: f64) {
        self.texts += texts;
        self.secs += secs;
    }
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
pub fn encoder(args: &EmbedArgs, _memo: bool) -> Result<Option<Box<EmbedFn<'static>>>> {
    match &args.embeddings {
        None => Ok(None),
        Some(dir) => anyhow::bail!(
            "--embeddings {}: this build has no embeddings support; rebuild with \
             `cargo build --release -p parallax-cli --features embeddings`",
            dir.display()
        ),
    }
}
