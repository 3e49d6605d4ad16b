//! Wire credits recovered from article text, scored on PolNeAR `metadata.tsv` (issue 4).
//!
//! Gold: the `wire` column (AP, UPI, AFP, Reuters; `None` = not a wire story; `NA` =
//! unknown, and such rows are left out). Values are compared case-insensitively
//! ("reuters" and "Reuters" are one wire). Each article's text is read from
//! `{train,dev}/text/<filename>.txt`.
//!
//! The system under test returns, for an article text, the wires it finds credited as
//! the wire of the story (a set: usually empty or one). Counting is per article and per
//! wire: a predicted wire equal to the gold one is a true positive, any other predicted
//! wire a false positive, a gold wire not predicted a false negative. Micro-averaged.
//!
//! On train + dev (792 articles with a known `wire`, 75 of them wire stories) the
//! engine reaches P 0.986, R 0.973. AP's "10 Things to Know for Today" digests (twice)
//! carry no dateline or credit line and are found by their headline, the title of an AP
//! product listed in the outlet data (`crates/nlp/data/README.md`). The two misses
//! carry no wire in their text: an AP delegate tally that only says "based on an
//! Associated Press count" (a source of figures, not of the text), and a Reuters story
//! reprinted without dateline or sign-off. The one false positive ends with "- Reuters."
//! under a Reuters reporter's byline; the gold labels it `None`, and the sign-off is
//! kept as the credit it is.

use crate::metrics::{f1, ratio};
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use parallax_nlp::quotes::train::Metadata;
use serde::Serialize;

/// Counts for one wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WireCounts {
    pub gold: usize,
    pub predicted: usize,
    pub tp: usize,
}

/// One article where prediction and gold disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreditMiss {
    pub file: String,
    pub gold: Option<String>,
    pub predicted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Articles scored (rows with a known `wire` whose text was found).
    pub articles: usize,
    /// Rows left out: `NA` wire, or no text file.
    pub skipped: usize,
    pub per_wire: BTreeMap<String, WireCounts>,
    pub misses: Vec<CreditMiss>,
}

/// The canonical spelling of a wire name, so "reuters", "Reuters" and "Associated
/// Press" compare equal to the gold labels.
pub fn canonical_wire(name: &str) -> String {
    match name.trim().to_ascii_lowercase().as_str() {
        "ap" | "associated press" | "the associated press" => "AP".into(),
        "upi" | "united press international" => "UPI".into(),
        "afp" | "agence france-presse" | "agence france presse" => "AFP".into(),
        "reuters" | "thomson reuters" => "Reuters".into(),
        _ => name.trim().to_string(),
    }
}

/// Scores `find` (article text → credited wires) on PolNeAR under `data_dir` (the
/// folder holding `metadata.tsv`).
pub fn score_credits(data_dir: &Path, find: impl Fn(&str) -> Vec<String>) -> Result<CreditScores> {
    let meta = Metadata::read(data_dir)?;
    let (c_comp, c_file, c_wire) = (
        meta.column("compartment")?,
        meta.column("filename")?,
        meta.column("wire")?,
    );
    let (mut tp, mut fp, mut fn_, mut articles, mut skipped) = (0, 0, 0, 0, 0);
    let mut per_wire: BTreeMap<String, WireCounts> = BTreeMap::new();
    let mut misses = Vec::new();
    for f in meta.rows() {
        let (Some(comp), Some(file), Some(wire)) = (f.get(c_comp), f.get(c_file), f.get(c_wire))
        else {
            skipped += 1;
            continue;
        };
        let wire = wire.trim();
        if wire.is_empty() || wire == "NA" {
            skipped += 1;
            continue;
        }
        let path = data_dir.join(comp).join("text").join(format!("{file}.txt"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            skipped += 1;
            continue;
        };
        articles += 1;
        let gold = (wire != "None").then(|| canonical_wire(wire));
        let mut predicted: Vec<String> = find(&text).iter().map(|w| canonical_wire(w)).collect();
        predicted.sort();
        predicted.dedup();
        if let Some(g) = &gold {
            per_wire.entry(g.clone()).or_default().gold += 1;
        }
        for p in &predicted {
            let e = per_wire.entry(p.clone()).or_default();
            e.predicted += 1;
            if gold.as_ref() == Some(p) {
                e.tp += 1;
                tp += 1;
            } else {
                fp += 1;
            }
        }
        let hit = gold.as_ref().is_some_and(|g| predicted.contains(g));
        if gold.is_some() && !hit {
            fn_ += 1;
        }
        if predicted.len() != usize::from(gold.is_some()) || (gold.is_some() && !hit) {
            misses.push(CreditMiss {
                file: file.to_string(),
                gold,
                predicted,
            });
        }
    }
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    Ok(CreditScores {
        precision,
        recall,
        f1: f1(precision, recall),
        tp,
        fp,
        fn_,
        articles,
        skipped,
        per_wire,
        misses,
    })
}

/// The engine's own wire finder ([`parallax_nlp::credits::CreditFinder::wires`]) scored
/// on PolNeAR under `data_dir`: what `parallax eval credits --data DIR` prints.
pub fn score_engine_credits(data_dir: &Path) -> Result<CreditScores> {
    let finder = parallax_nlp::credits::CreditFinder::shared();
    score_credits(data_dir, |text| finder.wires(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_canonical() {
        assert_eq!(canonical_wire("reuters"), "Reuters");
        assert_eq!(canonical_wire("Associated Press"), "AP");
        assert_eq!(canonical_wire("AFP"), "AFP");
    }
}
