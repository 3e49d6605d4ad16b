//! The embedder on a tiny random-weight BERT written to a temporary folder (the same
//! files a sentence-transformers model has), and on a real model when
//! `PARALLAX_EMBEDDINGS_MODEL` names one.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device};
use candle_nn::{VarBuilder, VarMap};
use candle_transformers::models::bert::BertModel;
use parallax_embed::{dot, EmbedError, Embedder, Pooling};
use serde_json::json;

const WORDS: &[&str] = &[
    "the",
    "a",
    "ferry",
    "terminal",
    "at",
    "quaymouth",
    "was",
    "shut",
    "closed",
    "after",
    "storm",
    "orchard",
    "fair",
    "opens",
    "in",
    "dunmere",
    "council",
    "vote",
    "bridge",
    "repairs",
    "river",
    "flood",
    "rose",
    "overnight",
    "##s",
    "##ed",
    "##ing",
    ".",
    ",",
];

const HIDDEN: usize = 32;
const MAX_SEQ: usize = 16;

/// Writes a 2-layer, 32-dimensional BERT with random weights, a WordPiece
/// tokenizer.json over [`WORDS`], and the sentence-transformers configuration files.
fn tiny_model(dir: &Path) {
    let mut vocab = serde_json::Map::new();
    for (i, t) in ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
        .iter()
        .chain(WORDS)
        .enumerate()
    {
        vocab.insert(t.to_string(), json!(i));
    }
    let vocab_size = vocab.len();
    let config = json!({
        "architectures": ["BertModel"],
        "hidden_act": "gelu",
        "hidden_size": HIDDEN,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 64,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "model_type": "bert",
        "vocab_size": vocab_size,
    });
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let special = |id: usize, content: &str| {
        json!({"id": id, "content": content, "single_word": false, "lstrip": false,
               "rstrip": false, "normalized": false, "special": true})
    };
    let tokenizer = json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": [special(0, "[PAD]"), special(1, "[UNK]"), special(2, "[CLS]"), special(3, "[SEP]")],
        "normalizer": {"type": "BertNormalizer", "clean_text": true,
                       "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]",
                  "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                  "vocab": vocab},
    });
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    std::fs::write(
        dir.join("1_Pooling/config.json"),
        json!({"word_embedding_dimension": HIDDEN, "pooling_mode_cls_token": false,
               "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false,
               "pooling_mode_mean_sqrt_len_tokens": false})
        .to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("sentence_bert_config.json"),
        json!({"max_seq_length": MAX_SEQ, "do_lower_case": false}).to_string(),
    )
    .unwrap();
    // Random weights under the names BertModel reads: build one on a VarMap (which
    // creates every tensor it asks for) and save the map.
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let cfg = serde_json::from_value(config).unwrap();
    BertModel::load(vb, &cfg).unwrap();
    varmap.save(dir.join("model.safetensors")).unwrap();
}

fn tiny() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tiny-model");
    std::fs::create_dir_all(&dir).unwrap();
    tiny_model(&dir);
    (tmp, dir)
}

const TEXTS: &[&str] = &[
    "The ferry terminal at Quaymouth was shut after the storm.",
    "Orchard fair opens in Dunmere",
    "Council vote on bridge repairs.",
    "The river flood rose overnight, and the ferry terminal closed.",
];

#[test]
fn loads_and_embeds_unit_vectors_of_the_model_width() {
    let (_tmp, dir) = tiny();
    let e = Embedder::load(&dir).unwrap();
    assert_eq!(e.dim(), HIDDEN);
    assert_eq!(e.max_len(), MAX_SEQ);
    assert_eq!(e.pooling(), Pooling::Mean);
    let v = e.embed(TEXTS).unwrap();
    assert_eq!(v.len(), TEXTS.len());
    for x in &v {
        assert_eq!(x.len(), HIDDEN);
        let n = dot(x, x).sqrt();
        assert!((n - 1.0).abs() < 1e-5, "norm {n}");
    }
    // Different texts, different vectors.
    assert!(dot(&v[0], &v[1]) < 0.99999);
    assert!(e.embed::<&str>(&[]).unwrap().is_empty());
}

#[test]
fn deterministic_across_calls_and_loads() {
    let (_tmp, dir) = tiny();
    let a = Embedder::load(&dir).unwrap().embed(TEXTS).unwrap();
    let e = Embedder::load(&dir).unwrap();
    assert_eq!(a, e.embed(TEXTS).unwrap());
    assert_eq!(a, e.embed(TEXTS).unwrap());
}

#[test]
fn a_batch_gives_what_each_text_gives_alone() {
    let (_tmp, dir) = tiny();
    let e = Embedder::load(&dir).unwrap();
    let batch = e.embed(TEXTS).unwrap();
    let small = Embedder::load(&dir)
        .unwrap()
        .with_batch(2)
        .embed(TEXTS)
        .unwrap();
    for (i, t) in TEXTS.iter().enumerate() {
        let one = e.embed_one(t).unwrap();
        for (x, y) in one.iter().zip(&batch[i]) {
            assert!((x - y).abs() < 1e-5, "text {i}: {x} vs {y}");
        }
        for (x, y) in small[i].iter().zip(&batch[i]) {
            assert!((x - y).abs() < 1e-5, "text {i}: {x} vs {y}");
        }
    }
}

#[test]
fn long_texts_are_truncated_to_max_seq_length() {
    let (_tmp, dir) = tiny();
    let e = Embedder::load(&dir).unwrap();
    // 200 words: far past the 64 positions the model has.
    let long = "the ferry terminal was shut after the storm ".repeat(25);
    let v = e.embed_one(&long).unwrap();
    assert_eq!(v.len(), HIDDEN);
    // Only the first MAX_SEQ tokens count: a longer tail changes nothing.
    let longer = format!("{long} orchard fair opens in dunmere");
    assert_eq!(v, e.embed_one(&longer).unwrap());
}

#[test]
fn pooling_follows_the_pooling_config() {
    let (_tmp, dir) = tiny();
    let mean = Embedder::load(&dir).unwrap().embed(TEXTS).unwrap();
    let pooling = dir.join("1_Pooling/config.json");
    std::fs::write(
        &pooling,
        r#"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#,
    )
    .unwrap();
    let e = Embedder::load(&dir).unwrap();
    assert_eq!(e.pooling(), Pooling::Cls);
    assert_ne!(mean, e.embed(TEXTS).unwrap());
    std::fs::write(
        &pooling,
        r#"{"pooling_mode_max_tokens": true, "pooling_mode_mean_tokens": true}"#,
    )
    .unwrap();
    let err = Embedder::load(&dir).unwrap_err();
    assert!(matches!(err, EmbedError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("1_Pooling"), "{err}");
}

#[test]
fn missing_and_broken_files_are_named() {
    let (_tmp, dir) = tiny();

    let err = Embedder::load(&dir.join("nowhere")).unwrap_err();
    assert!(matches!(err, EmbedError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("nowhere"), "{err}");

    let weights = dir.join("model.safetensors");
    let saved = std::fs::read(&weights).unwrap();
    std::fs::remove_file(&weights).unwrap();
    let err = Embedder::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("model.safetensors") && err.contains("not found"),
        "{err}"
    );

    std::fs::write(&weights, &saved[..saved.len() / 2]).unwrap();
    let err = Embedder::load(&dir).unwrap_err();
    assert!(matches!(err, EmbedError::Broken { .. }), "{err}");
    assert!(err.to_string().contains("model.safetensors"), "{err}");
    std::fs::write(&weights, &saved).unwrap();

    let tok = dir.join("tokenizer.json");
    std::fs::write(&tok, "{ not json").unwrap();
    let err = Embedder::load(&dir).unwrap_err();
    assert!(matches!(err, EmbedError::Broken { .. }), "{err}");
    assert!(err.to_string().contains("tokenizer.json"), "{err}");

    std::fs::write(dir.join("config.json"), "{}").unwrap();
    let err = Embedder::load(&dir).unwrap_err().to_string();
    assert!(err.contains("config.json"), "{err}");
}

/// With the real all-MiniLM-L6-v2 (or another sentence-transformers model), a
/// paraphrase is closer than an unrelated sentence. Invented sentences.
#[test]
fn real_model_ranks_a_paraphrase_above_an_unrelated_sentence() {
    let Some(dir) = std::env::var_os("PARALLAX_EMBEDDINGS_MODEL") else {
        eprintln!("skipped: set PARALLAX_EMBEDDINGS_MODEL to a sentence-transformers folder");
        return;
    };
    let e = Embedder::load(Path::new(&dir)).unwrap();
    let v = e
        .embed(&[
            "Storm closes the Quaymouth ferry terminal for two days.",
            "The ferry port at Quaymouth was shut by high winds until Thursday.",
            "Dunmere's orchard fair awards its prize for the largest pumpkin.",
        ])
        .unwrap();
    let (para, other) = (dot(&v[0], &v[1]), dot(&v[0], &v[2]));
    eprintln!("paraphrase {para:.3}, unrelated {other:.3}");
    assert!(para > other + 0.2, "paraphrase {para}, unrelated {other}");
}
