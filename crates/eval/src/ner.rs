//! Named-entity recognition scored on CoNLL-2003 (issue 4): entity-level exact-match
//! micro precision, recall and F1, as `conlleval` computes them. A predicted entity
//! counts only if both boundaries and the type equal a gold entity's; chunks are read
//! from IOB2 tags the conlleval way (a stray `I-X` opens an entity). Figures are in
//! percent (0–100), the convention of the CoNLL literature the bar is quoted in.
//!
//! The tagger under test sees one document at a time (its sentences of tokens), since
//! document-level evidence is fair game for a tagger; gold tags come from the last
//! column of the file.

use crate::metrics::{f1, per_second};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use parallax_nlp::ner;
use serde::Serialize;

/// Counts and scores for one entity type, or for all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl TypeScores {
    fn finish(&mut self) {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        self.precision = pct(self.correct, self.predicted);
        self.recall = pct(self.correct, self.gold);
        self.f1 = f1(self.precision, self.recall);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerScores {
    /// Micro-averaged over all types, percent.
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    /// PER, ORG, LOC, MISC.
    pub per_type: BTreeMap<String, TypeScores>,
    /// Token-level accuracy, percent (the figure conlleval prints first).
    pub token_accuracy: f64,
    pub documents: usize,
    pub sentences: usize,
    pub tokens: usize,
    /// Wall-clock tagging time and throughput (not part of the score; varies by machine).
    pub seconds: f64,
    pub tokens_per_second: f64,
}

/// The dev file under a data directory: `DIR/ner/conll2003/dev.txt`, `DIR/dev.txt`, or
/// `DIR` itself when it is a file.
pub fn dev_file(dir: &Path) -> PathBuf {
    if dir.is_file() {
        return dir.to_path_buf();
    }
    let nested = dir.join("ner/conll2003/dev.txt");
    if nested.exists() {
        return nested;
    }
    dir.join("dev.txt")
}

/// Scores `tag` (one document's sentences of tokens → one IOB2 tag per token) against
/// the CoNLL file at `path`. A tagger returning too few tags gets `O` for the rest.
pub fn score_ner<T, S>(path: &Path, tag: T) -> Result<NerScores>
where
    T: Fn(&[Vec<&str>]) -> Vec<Vec<S>>,
    S: AsRef<str>,
{
    let text = crate::read_text(path)?;
    let docs = ner::read_conll(&text);
    let mut all = TypeScores::default();
    let mut per_type: BTreeMap<String, TypeScores> = ["PER", "ORG", "LOC", "MISC"]
        .iter()
        .map(|t| (t.to_string(), TypeScores::default()))
        .collect();
    let (mut sentences, mut tokens, mut tok_ok) = (0, 0, 0);
    let mut seconds = 0.0;
    for d in &docs {
        let doc: Vec<Vec<&str>> = d
            .iter()
            .map(|s| s.iter().map(|x| x.0.as_str()).collect())
            .collect();
        let t0 = Instant::now();
        let pred = tag(&doc);
        seconds += t0.elapsed().as_secs_f64();
        for (si, s) in d.iter().enumerate() {
            sentences += 1;
            tokens += s.len();
            let gold: Vec<&str> = s.iter().map(|x| x.1.as_str()).collect();
            let p: Vec<&str> = (0..s.len())
                .map(|i| {
                    pred.get(si)
                        .and_then(|ps| ps.get(i))
                        .map_or("O", |t| t.as_ref())
                })
                .collect();
            tok_ok += gold.iter().zip(&p).filter(|(g, p)| g == p).count();
            let g = ner::chunks(&gold);
            let p = ner::chunks(&p);
            for (_, _, ty) in &g {
                all.gold += 1;
                per_type.entry(ty.clone()).or_default().gold += 1;
            }
            for x in &p {
                all.predicted += 1;
                let e = per_type.entry(x.2.clone()).or_default();
                e.predicted += 1;
                if g.contains(x) {
                    all.correct += 1;
                    e.correct += 1;
                }
            }
        }
    }
    all.finish();
    for t in per_type.values_mut() {
        t.finish();
    }
    Ok(NerScores {
        precision: all.precision,
        recall: all.recall,
        f1: all.f1,
        gold: all.gold,
        predicted: all.predicted,
        correct: all.correct,
        per_type,
        token_accuracy: if tokens == 0 {
            0.0
        } else {
            100.0 * tok_ok as f64 / tokens as f64
        },
        documents: docs.len(),
        sentences,
        tokens,
        seconds,
        tokens_per_second: per_second(tokens, seconds),
    })
}

/// `parallax eval ner --data DIR`: the embedded model on the dev file under `DIR`.
pub fn score_embedded(dir: &Path) -> Result<NerScores> {
    let model = ner::shared().context("the embedded NER model does not load")?;
    score_ner(&dev_file(dir), |doc| model.tag_document_str(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_micro_scores() {
        let dir = std::env::temp_dir().join(format!("px-ner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("dev.txt");
        std::fs::write(
            &f,
            "-DOCSTART- -X- -X- O\n\nAna X X B-PER\nVell X X I-PER\nof X X O\nOrra X X B-LOC\n\nKestrel X X B-ORG\n",
        )
        .unwrap();
        // Person right, place typed wrong, organisation cut short (absent).
        let s = score_ner(&dir.join("dev.txt"), |doc| {
            doc.iter()
                .map(|s| {
                    if s.len() == 4 {
                        vec!["B-PER", "I-PER", "O", "B-ORG"]
                    } else {
                        vec!["O"]
                    }
                })
                .collect()
        })
        .unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!((s.gold, s.predicted, s.correct), (3, 2, 1));
        assert!((s.precision - 50.0).abs() < 1e-9);
        assert!((s.recall - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(s.per_type["PER"].correct, 1);
        assert_eq!(s.per_type["ORG"].predicted, 1);
        assert_eq!(s.per_type["LOC"].gold, 1);
    }
}
