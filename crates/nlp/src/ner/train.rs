//! Training on CoNLL-format data.
//!
//! - **Jack-knifed gazetteers**: each document's gazetteer features come from the
//!   entity strings of the other folds, so the weights learn how far a gazetteer hit
//!   carries over to text the gazetteer was not built from (as dev and real news are).
//! - **Stacked second pass**: the first-pass model is trained on everything; the
//!   second pass reads what a first pass said about each word elsewhere in the
//!   document, and for training those first-pass labels come from models that did not
//!   see the document (k-fold), since labels of a model on its own training data are
//!   nearly perfect and would teach the second pass to trust them blindly.
//! - **Cost-augmented perceptron**: during training a wrong tag gets a head start of
//!   `cost`, so updates continue until the gold path wins by a margin.
//! - Documents and sentences are visited in a seeded shuffle: a run is reproducible
//!   bit for bit (folds train on threads, each with its own seed).
// Tag-indexed arrays ([f32; NT]) read more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]
use std::collections::HashMap;
use std::io::{self, Write};

use super::clusters::Clusters;
use super::features::{self, DocInfo, Gazetteer};
use super::model::{average, tag_index, Model, Rows, Trainer, Weights};
use super::{prior_from, Buffers, ConllDoc};

/// What the first pass said about each capitalised word of one document.
type Prior = super::features::WordMap<[u16; 5]>;

/// Called with the epoch number and the model file as it would be written then.
pub type Report = Box<dyn FnMut(usize, &[u8])>;

pub struct Options {
    pub epochs: usize,
    /// Folds for the jack-knifed gazetteer.
    pub folds: usize,
    /// Folds for the second pass's first-pass labels; 0 trains a single pass.
    pub stack_folds: usize,
    pub seed: u64,
    pub prune: f32,
    pub cost: f32,
    /// Models trained with different shuffles and averaged, per pass.
    pub seeds: usize,
    /// Word clusters (learned beforehand from unlabeled text; empty for none).
    pub clusters: Clusters,
    /// Called after each epoch of the final pass with the epoch number and the
    /// model file as it would be written then.
    pub report: Option<Report>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 12,
            folds: 10,
            stack_folds: 5,
            seed: 0x5eed_2003,
            prune: 0.05,
            cost: 1.0,
            seeds: 1,
            clusters: Clusters::default(),
            report: None,
        }
    }
}

/// Entity strings with type counts, from gold tags.
fn entity_counts(docs: &[&ConllDoc]) -> HashMap<Vec<String>, [u32; 4]> {
    let mut m: HashMap<Vec<String>, [u32; 4]> = HashMap::new();
    for d in docs {
        for s in d.iter() {
            let tags: Vec<&str> = s.iter().map(|x| x.1.as_str()).collect();
            for (a, b, ty) in super::chunks(&tags) {
                let k = match ty.as_str() {
                    "PER" => 0,
                    "ORG" => 1,
                    "LOC" => 2,
                    _ => 3,
                };
                let key: Vec<String> = s[a..b].iter().map(|x| x.0.to_lowercase()).collect();
                m.entry(key).or_default()[k] += 1;
            }
        }
    }
    m
}

/// The full-data gazetteer the shipped model uses.
pub fn gazetteer(docs: &[ConllDoc]) -> Gazetteer {
    let all: Vec<&ConllDoc> = docs.iter().collect();
    Gazetteer::build(&entity_counts(&all))
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

fn shuffle<T>(v: &mut [T], rng: &mut u64) {
    for i in (1..v.len()).rev() {
        let j = (xorshift(rng) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

struct Data<'a> {
    docs: Vec<Vec<Vec<&'a str>>>,
    golds: Vec<Vec<Vec<usize>>>,
    fold_gaz: Vec<Gazetteer>,
    clusters: &'a Clusters,
}

impl Data<'_> {
    fn gaz(&self, di: usize) -> &Gazetteer {
        &self.fold_gaz[di % self.fold_gaz.len()]
    }
}

/// Perceptron epochs over the documents `idx`; `priors` (per document) turns on the
/// second-pass features.
fn run_epochs(
    data: &Data,
    idx: &[usize],
    priors: Option<&[Prior]>,
    epochs: usize,
    seed: u64,
    cost: f32,
    mut each: impl FnMut(usize, &Trainer),
) -> Trainer {
    let mut trainer = Trainer::new();
    trainer.cost = cost;
    let mut order = idx.to_vec();
    let mut rng = seed | 1;
    let mut buf = Buffers::default();
    for epoch in 1..=epochs {
        shuffle(&mut order, &mut rng);
        let (mut wrong, mut total) = (0usize, 0usize);
        for &di in &order {
            let doc = &data.docs[di];
            let mut info = DocInfo::new(doc);
            if let Some(p) = priors {
                info.prior = p[di].clone();
            }
            let mut sents: Vec<usize> = (0..doc.len()).collect();
            shuffle(&mut sents, &mut rng);
            for si in sents {
                features::sentence_features(
                    doc,
                    &info,
                    si,
                    data.gaz(di),
                    data.clusters,
                    &mut buf.scratch,
                    &mut buf.feats,
                    &mut buf.offsets,
                );
                wrong += trainer.learn(&buf.feats, &buf.offsets, &data.golds[di][si]);
                total += doc[si].len();
            }
        }
        eprintln!(
            "  epoch {epoch}: {wrong} of {total} training tokens mistagged ({:.2}%)",
            100.0 * wrong as f64 / total.max(1) as f64
        );
        each(epoch, &trainer);
    }
    trainer
}

/// First-pass labels of the documents `idx` by `w`, as second-pass evidence.
fn first_pass_priors(data: &Data, w: &Weights, idx: &[usize]) -> Vec<(usize, Prior)> {
    let mut buf = Buffers::default();
    idx.iter()
        .map(|&di| {
            let doc = &data.docs[di];
            let info = DocInfo::new(doc);
            let mut tags = Vec::with_capacity(doc.len());
            for si in 0..doc.len() {
                features::sentence_features(
                    doc,
                    &info,
                    si,
                    data.gaz(di),
                    data.clusters,
                    &mut buf.scratch,
                    &mut buf.feats,
                    &mut buf.offsets,
                );
                w.decode(&buf.feats, &buf.offsets, &mut buf.tags);
                tags.push(buf.tags.clone());
            }
            (di, prior_from(doc, &tags))
        })
        .collect()
}

/// Trains on `docs` and writes the model file to `out`; returns the number of weight
/// rows kept.
pub fn train(docs: &[ConllDoc], mut opts: Options, out: impl Write) -> io::Result<usize> {
    let folds = opts.folds.max(2);
    let fold_gaz: Vec<Gazetteer> = (0..folds)
        .map(|f| {
            let others: Vec<&ConllDoc> = docs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds != f)
                .map(|(_, d)| d)
                .collect();
            Gazetteer::build(&entity_counts(&others))
        })
        .collect();
    let full = gazetteer(docs);
    let data = Data {
        docs: docs
            .iter()
            .map(|d| {
                d.iter()
                    .map(|s| s.iter().map(|x| x.0.as_str()).collect())
                    .collect()
            })
            .collect(),
        golds: docs
            .iter()
            .map(|d| {
                d.iter()
                    .map(|s| s.iter().map(|x| tag_index(&x.1)).collect())
                    .collect()
            })
            .collect(),
        fold_gaz,
        clusters: &opts.clusters,
    };
    let all: Vec<usize> = (0..docs.len()).collect();
    let single = opts.stack_folds < 2;
    let mut report = opts.report.take();
    let save = |first: &Rows, second: Option<&Rows>, out: &mut dyn Write| {
        Model::save(
            first,
            second,
            &full,
            &opts.clusters,
            features::FEATURE_VERSION,
            out,
        )
    };
    let seeds = opts.seeds.max(1);
    let mut firsts: Vec<Rows> = Vec::new();
    for n in 0..seeds {
        eprintln!("first pass, all documents (seed {})", n + 1);
        let last = n + 1 == seeds;
        let t = run_epochs(
            &data,
            &all,
            None,
            opts.epochs,
            opts.seed ^ ((n as u64) << 32),
            opts.cost,
            |e, t| {
                if let (true, true, Some(r)) = (single, last, report.as_mut()) {
                    let mut bytes = Vec::new();
                    let mut done: Vec<Rows> = firsts.iter().map(Rows::clone).collect();
                    done.push(t.export(opts.prune));
                    if save(&average(&done, opts.prune), None, &mut bytes).is_ok() {
                        r(e, &bytes);
                    }
                }
            },
        );
        firsts.push(t.export(opts.prune));
    }
    let first = average(&firsts, opts.prune);
    if single {
        save(&first, None, &mut { out })?;
        return Ok(first.rows.len());
    }
    // First-pass labels for every document from a model that did not train on it.
    let k = opts.stack_folds;
    let mut priors: Vec<Prior> = vec![Prior::default(); docs.len()];
    let results: Vec<Vec<(usize, Prior)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..k)
            .map(|f| {
                let data = &data;
                let (epochs, seed, cost, prune) = (opts.epochs, opts.seed, opts.cost, opts.prune);
                s.spawn(move || {
                    let train_idx: Vec<usize> =
                        (0..data.docs.len()).filter(|d| d % k != f).collect();
                    let held: Vec<usize> = (0..data.docs.len()).filter(|d| d % k == f).collect();
                    let t = run_epochs(
                        data,
                        &train_idx,
                        None,
                        epochs,
                        seed ^ ((f as u64 + 1) * 0x9e37),
                        cost,
                        |_, _| {},
                    );
                    first_pass_priors(data, &Weights::from_rows(&t.export(prune)), &held)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (di, p) in results.into_iter().flatten() {
        priors[di] = p;
    }
    let mut seconds: Vec<Rows> = Vec::new();
    for n in 0..seeds {
        eprintln!(
            "second pass, with first-pass labels from {k} folds (seed {})",
            n + 1
        );
        let last = n + 1 == seeds;
        let t = run_epochs(
            &data,
            &all,
            Some(&priors),
            opts.epochs,
            opts.seed ^ 0x2 ^ ((n as u64) << 32),
            opts.cost,
            |e, t| {
                if let (true, Some(r)) = (last, report.as_mut()) {
                    let mut bytes = Vec::new();
                    let mut done: Vec<Rows> = seconds.iter().map(Rows::clone).collect();
                    done.push(t.export(opts.prune));
                    if save(&first, Some(&average(&done, opts.prune)), &mut bytes).is_ok() {
                        r(e, &bytes);
                    }
                }
            },
        );
        seconds.push(t.export(opts.prune));
    }
    let second = average(&seconds, opts.prune);
    save(&first, Some(&second), &mut { out })?;
    Ok(first.rows.len() + second.rows.len())
}
