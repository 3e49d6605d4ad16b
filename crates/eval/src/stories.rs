//! Story clustering scored on ECB+ (B-cubed, ARI, NMI, look-alike mixing) and on the
//! MStream News title streams (NMI) (issue 6).
//!
//! Both datasets are clustered with the engine's own online clusterer through the same
//! JSONL reading as `parallax cluster --input` ([`parallax_stories::jsonl`]), so what is
//! scored here is what that command prints. The engine never sees the gold fields
//! (`event`, `topic`, `cluster`).
//!
//! ECB+ is sorted by event, which is the easiest possible order for an online
//! clusterer; figures are therefore also given on shuffled input (several seeds, mean
//! and standard deviation). MStream is scored in the published stream orders
//! (`news.jsonl`, `news-t.jsonl`), as in the MStream paper.

use crate::metrics::f1;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use anyhow::{Context, Result};
use parallax_stories::jsonl::{EmbedFn, JsonDoc};
use parallax_stories::{ClusterConfig, Clusterer};
use serde::Serialize;

/// A document with its gold story label (and ECB+ topic).
#[derive(Debug, Clone)]
pub struct LabeledDoc {
    pub doc: JsonDoc,
    pub label: String,
    pub topic: Option<String>,
}

fn read_lines(path: &Path) -> Result<Vec<serde_json::Value>> {
    let f = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}: invalid JSON", path.display(), n + 1))?;
        out.push(v);
    }
    Ok(out)
}

fn field(v: &serde_json::Value, k: &str) -> String {
    match &v[k] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Reads a labelled JSONL file: ECB+ (`event`, `topic`) or MStream (`cluster`).
pub fn load(path: &Path) -> Result<Vec<LabeledDoc>> {
    let mut out = Vec::new();
    for v in read_lines(path)? {
        let doc: JsonDoc = serde_json::from_value(v.clone())?;
        let (label, topic) = if v.get("event").is_some() {
            (field(&v, "event"), Some(field(&v, "topic")))
        } else {
            (field(&v, "cluster"), None)
        };
        out.push(LabeledDoc { doc, label, topic });
    }
    Ok(out)
}

/// Scores of one clustering against gold labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub bcubed_p: f64,
    pub bcubed_r: f64,
    pub bcubed_f1: f64,
    pub ari: f64,
    pub nmi: f64,
    /// Predicted stories (gold count in the report).
    pub stories: usize,
    /// ECB+ only: topics in which some story holds at least two documents of each of
    /// the topic's two look-alike events (a stray document does not count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookalike_mixed: Option<usize>,
    /// ECB+ only: documents in a story whose majority is the other event of their topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookalike_strays: Option<usize>,
    /// Clustering throughput on this run (articles per second, one thread).
    pub docs_per_sec: f64,
}

/// B-cubed precision, recall and F1 (per item, averaged).
pub fn bcubed(pred: &[usize], gold: &[usize]) -> (f64, f64, f64) {
    let n = pred.len();
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut ps: HashMap<usize, f64> = HashMap::new();
    let mut gs: HashMap<usize, f64> = HashMap::new();
    for (&p, &g) in pred.iter().zip(gold) {
        *joint.entry((p, g)).or_default() += 1.0;
        *ps.entry(p).or_default() += 1.0;
        *gs.entry(g).or_default() += 1.0;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (&(pc, gc), &c) in &joint {
        // Each of the c items in this cell sees c items of its predicted cluster with its
        // own gold label.
        p += c * c / ps[&pc];
        r += c * c / gs[&gc];
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, f1(p, r))
}

fn comb2(x: f64) -> f64 {
    x * (x - 1.0) / 2.0
}

/// Adjusted Rand index.
pub fn ari(pred: &[usize], gold: &[usize]) -> f64 {
    let n = pred.len() as f64;
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut ps: HashMap<usize, f64> = HashMap::new();
    let mut gs: HashMap<usize, f64> = HashMap::new();
    for (&p, &g) in pred.iter().zip(gold) {
        *joint.entry((p, g)).or_default() += 1.0;
        *ps.entry(p).or_default() += 1.0;
        *gs.entry(g).or_default() += 1.0;
    }
    let index: f64 = joint.values().map(|&c| comb2(c)).sum();
    let a: f64 = ps.values().map(|&c| comb2(c)).sum();
    let b: f64 = gs.values().map(|&c| comb2(c)).sum();
    let expected = a * b / comb2(n).max(1.0);
    let max = 0.5 * (a + b);
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Normalised mutual information, geometric-mean normalisation (MStream paper, eq. 6).
pub fn nmi(pred: &[usize], gold: &[usize]) -> f64 {
    let n = pred.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    let mut joint: HashMap<(usize, usize), f64> = HashMap::new();
    let mut ps: HashMap<usize, f64> = HashMap::new();
    let mut gs: HashMap<usize, f64> = HashMap::new();
    for (&p, &g) in pred.iter().zip(gold) {
        *joint.entry((p, g)).or_default() += 1.0;
        *ps.entry(p).or_default() += 1.0;
        *gs.entry(g).or_default() += 1.0;
    }
    let mi: f64 = joint
        .iter()
        .map(|(&(p, g), &c)| c / n * ((n * c) / (ps[&p] * gs[&g])).ln())
        .sum();
    let h = |m: &HashMap<usize, f64>| -> f64 { m.values().map(|&c| -(c / n) * (c / n).ln()).sum() };
    let (hp, hg) = (h(&ps), h(&gs));
    if hp == 0.0 && hg == 0.0 {
        return 1.0;
    }
    if hp == 0.0 || hg == 0.0 {
        return 0.0;
    }
    mi / (hp * hg).sqrt()
}

/// Look-alike mixing per ECB+ topic: `(mixed topics, stray documents)`.
pub fn lookalike(pred: &[usize], gold: &[usize], topic: &[usize]) -> (usize, usize) {
    // story -> topic -> gold -> count
    let mut cells: BTreeMap<(usize, usize), BTreeMap<usize, usize>> = BTreeMap::new();
    for i in 0..pred.len() {
        *cells
            .entry((pred[i], topic[i]))
            .or_default()
            .entry(gold[i])
            .or_default() += 1;
    }
    let mut mixed_topics = std::collections::BTreeSet::new();
    let mut strays = 0;
    for (&(_, t), counts) in &cells {
        if counts.len() < 2 {
            continue;
        }
        let mut c: Vec<usize> = counts.values().copied().collect();
        c.sort_unstable_by(|a, b| b.cmp(a));
        strays += c[1..].iter().sum::<usize>();
        if c[1] >= 2 {
            mixed_topics.insert(t);
        }
    }
    (mixed_topics.len(), strays)
}

/// Dense ids for string labels, in order of first appearance.
fn ids(labels: impl Iterator<Item = String>) -> Vec<usize> {
    let mut map: HashMap<String, usize> = HashMap::new();
    labels
        .map(|l| {
            let k = map.len();
            *map.entry(l).or_insert(k)
        })
        .collect()
}

/// Clusters `docs` in the order `order` (indices into `docs`); returns the predicted
/// story of each document (indexed like `docs`) and the seconds it took.
pub fn cluster(docs: &[LabeledDoc], order: &[usize]) -> (Vec<String>, f64) {
    cluster_with(docs, order, &Options::default())
}

/// How a run clusters: the configuration, and sentence embeddings when given (one per
/// document, indexed like `docs`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub config: ClusterConfig,
    pub embeddings: Option<Vec<Vec<f32>>>,
}

/// [`cluster`] with a configuration and optional embeddings.
pub fn cluster_with(docs: &[LabeledDoc], order: &[usize], opts: &Options) -> (Vec<String>, f64) {
    let articles: Vec<_> = order.iter().map(|&i| docs[i].doc.to_article()).collect();
    let t0 = std::time::Instant::now();
    let mut c = Clusterer::new(opts.config.clone());
    for (&i, a) in order.iter().zip(&articles) {
        let v = opts.embeddings.as_ref().map(|e| e[i].clone());
        c.add_embedded(a, v);
    }
    c.finish();
    let secs = t0.elapsed().as_secs_f64();
    let mut pred = vec![String::new(); docs.len()];
    for (&i, a) in order.iter().zip(&articles) {
        pred[i] = c
            .assignment(&a.article.id)
            .map(|x| x.story.0)
            .unwrap_or_default();
    }
    (pred, secs)
}

/// Scores one run of the clusterer in the given order.
pub fn run(docs: &[LabeledDoc], order: &[usize]) -> Scores {
    run_with(docs, order, &Options::default())
}

/// [`run`] with a configuration and optional embeddings.
pub fn run_with(docs: &[LabeledDoc], order: &[usize], opts: &Options) -> Scores {
    let (pred, secs) = cluster_with(docs, order, opts);
    let p = ids(pred.into_iter());
    let g = ids(docs.iter().map(|d| d.label.clone()));
    let (bp, br, bf) = bcubed(&p, &g);
    let mut s = Scores {
        bcubed_p: bp,
        bcubed_r: br,
        bcubed_f1: bf,
        ari: ari(&p, &g),
        nmi: nmi(&p, &g),
        stories: p.iter().max().map_or(0, |m| m + 1),
        docs_per_sec: docs.len() as f64 / secs.max(1e-9),
        ..Default::default()
    };
    if docs.iter().all(|d| d.topic.is_some()) {
        let t = ids(docs.iter().map(|d| d.topic.clone().unwrap_or_default()));
        let (m, st) = lookalike(&p, &g, &t);
        s.lookalike_mixed = Some(m);
        s.lookalike_strays = Some(st);
    }
    s
}

/// A deterministic permutation of `0..n` (xorshift Fisher–Yates).
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

/// Mean and sample standard deviation of each figure over shuffled runs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Spread {
    pub mean: Scores,
    pub sd: Scores,
    pub min_bcubed_f1: f64,
    pub max_lookalike_mixed: Option<usize>,
}

fn spread(runs: &[Scores]) -> Spread {
    let n = runs.len().max(1) as f64;
    let stat = |f: &dyn Fn(&Scores) -> f64| -> (f64, f64) {
        let m = runs.iter().map(f).sum::<f64>() / n;
        let v = runs.iter().map(|s| (f(s) - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (m, v.sqrt())
    };
    let (mut mean, mut sd) = (Scores::default(), Scores::default());
    macro_rules! fill {
        ($($f:ident),*) => {$(
            let (m, s) = stat(&|x: &Scores| x.$f);
            mean.$f = m;
            sd.$f = s;
        )*};
    }
    fill!(bcubed_p, bcubed_r, bcubed_f1, ari, nmi, docs_per_sec);
    mean.stories = (runs.iter().map(|s| s.stories).sum::<usize>() as f64 / n).round() as usize;
    Spread {
        mean,
        sd,
        min_bcubed_f1: runs
            .iter()
            .map(|s| s.bcubed_f1)
            .fold(f64::INFINITY, f64::min),
        max_lookalike_mixed: runs.iter().filter_map(|s| s.lookalike_mixed).max(),
    }
}

/// The report on one labelled file: in file order and over shuffled orders.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub data: String,
    pub docs: usize,
    pub gold_stories: usize,
    pub file_order: Scores,
    pub seeds: Vec<u64>,
    pub shuffled: Vec<Scores>,
    pub shuffled_summary: Spread,
}

/// Scores `path` in file order and on `seeds.len()` shuffled orders.
pub fn evaluate_file(path: &Path, seeds: &[u64]) -> Result<Report> {
    evaluate_file_with(path, seeds, &ClusterConfig::default(), None)
}

/// [`evaluate_file`] with a configuration and, optionally, an encoder: every document's
/// [`parallax_stories::embedding_text`] is embedded once and the vectors serve all runs.
pub fn evaluate_file_with(
    path: &Path,
    seeds: &[u64],
    config: &ClusterConfig,
    embed: Option<&mut EmbedFn<'_>>,
) -> Result<Report> {
    let docs = load(path)?;
    let embeddings = match embed {
        Some(embed) => {
            let texts: Vec<String> = docs
                .iter()
                .map(|d| parallax_stories::embedding_text(&d.doc.to_article()))
                .collect();
            let v = embed(&texts).with_context(|| format!("embedding {}", path.display()))?;
            anyhow::ensure!(
                v.len() == docs.len(),
                "the encoder returned {} vectors for {} texts",
                v.len(),
                docs.len()
            );
            Some(v)
        }
        // Vectors given in the file (`embedding`), when every document has one.
        None => docs
            .iter()
            .map(|d| d.doc.embedding.clone())
            .collect::<Option<Vec<_>>>(),
    };
    let opts = Options {
        config: config.clone(),
        embeddings,
    };
    let gold_stories = docs
        .iter()
        .map(|d| d.label.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let order: Vec<usize> = (0..docs.len()).collect();
    let file_order = run_with(&docs, &order, &opts);
    let shuffled: Vec<Scores> = seeds
        .iter()
        .map(|&s| run_with(&docs, &shuffled(docs.len(), s), &opts))
        .collect();
    Ok(Report {
        data: path.display().to_string(),
        docs: docs.len(),
        gold_stories,
        file_order,
        seeds: seeds.to_vec(),
        shuffled_summary: spread(&shuffled),
        shuffled,
    })
}

/// Seeds of the shuffled runs in reports and gates.
pub const DEFAULT_SEEDS: &[u64] = &[1, 2, 3, 4, 5];

/// `parallax eval stories --data FILE`: a file is scored as it is (ECB+ or MStream,
/// told apart by its fields); a folder (the MStream one) has each of its `*.jsonl`
/// files scored. Prints-ready JSON.
pub fn evaluate(path: &Path, seeds: &[u64]) -> Result<serde_json::Value> {
    evaluate_with(path, seeds, &ClusterConfig::default(), None)
}

/// [`evaluate`] with a configuration and optionally an encoder (see
/// [`evaluate_file_with`]).
pub fn evaluate_with(
    path: &Path,
    seeds: &[u64],
    config: &ClusterConfig,
    mut embed: Option<&mut EmbedFn<'_>>,
) -> Result<serde_json::Value> {
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        if files.is_empty() {
            anyhow::bail!("{}: no .jsonl files", path.display());
        }
        let reports = files
            .iter()
            .map(|f| evaluate_file_with(f, seeds, config, embed.as_deref_mut()))
            .collect::<Result<Vec<_>>>()?;
        Ok(serde_json::to_value(reports)?)
    } else {
        Ok(serde_json::to_value(evaluate_file_with(
            path, seeds, config, embed,
        )?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_lumped() {
        let g = [0, 0, 1, 1, 2];
        assert_eq!(bcubed(&g, &g), (1.0, 1.0, 1.0));
        assert!((ari(&g, &g) - 1.0).abs() < 1e-12);
        assert!((nmi(&g, &g) - 1.0).abs() < 1e-12);
        let one = [0; 5];
        let (p, r, _) = bcubed(&one, &g);
        assert!((p - 9.0 / 25.0).abs() < 1e-12 && r == 1.0);
        assert!(nmi(&one, &g).abs() < 1e-12);
    }

    #[test]
    fn bcubed_by_hand() {
        // pred {a,b,c} {d}; gold {a,b} {c,d}
        let (p, r, _) = bcubed(&[0, 0, 0, 1], &[0, 0, 1, 1]);
        assert!((p - (2.0 / 3.0 * 2.0 + 1.0 / 3.0 + 1.0) / 4.0).abs() < 1e-12);
        assert!((r - (1.0 + 1.0 + 0.5 + 0.5) / 4.0).abs() < 1e-12);
    }

    #[test]
    fn lookalike_counts_mixed_topics_not_strays() {
        // topic 0: story 0 holds 3 of event 0 and 1 of event 1 (a stray);
        // topic 1: story 1 holds 2 + 2 (mixed).
        let pred = [0, 0, 0, 0, 1, 1, 1, 1];
        let gold = [0, 0, 0, 1, 2, 2, 3, 3];
        let topic = [0, 0, 0, 0, 1, 1, 1, 1];
        assert_eq!(lookalike(&pred, &gold, &topic), (1, 3));
    }

    #[test]
    fn shuffles_are_permutations() {
        let mut v = shuffled(100, 3);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }
}
