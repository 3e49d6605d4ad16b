//! Word clusters learned from unlabeled news text, a stand-in for Brown clusters: words
//! that occur between the same neighbours ("said Okafor", "Okafor told") fall in one
//! cluster, so a name the labelled data never saw shares weights with names it did.
//!
//! Each word is a vector of its left and right neighbours (among the most frequent
//! words), weighted by positive PMI, L2-normalised; spherical k-means groups them into
//! `k` fine clusters, and k-means over those centroids gives two coarser levels, so
//! every word has three ids like prefixes of a Brown bit string. Initial centroids are
//! words spread evenly over the frequency ranking and ties break by index, so the
//! result is the same on every run.
use std::collections::HashMap;

/// Cluster ids at three granularities (fine, middle, coarse).
#[derive(Default, Clone)]
pub struct Clusters {
    map: HashMap<String, [u16; 3]>,
}

impl Clusters {
    #[inline]
    pub fn get(&self, w: &str) -> Option<[u16; 3]> {
        self.map.get(w).copied()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn insert(&mut self, w: String, ids: [u16; 3]) {
        self.map.insert(w, ids);
    }

    /// Entries sorted by word, for a deterministic file.
    pub fn sorted(&self) -> Vec<(&str, [u16; 3])> {
        let mut v: Vec<(&str, [u16; 3])> = self.map.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        v.sort_unstable();
        v
    }
}

type Sparse = Vec<(u32, f32)>;

fn dot(a: &Sparse, c: &[f32]) -> f32 {
    a.iter().map(|&(i, x)| x * c[i as usize]).sum()
}

fn normalise(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        for x in v.iter_mut() {
            *x /= n;
        }
    }
}

/// Spherical k-means over dense-or-sparse points; returns each point's cluster.
fn kmeans(points: &[Sparse], dim: usize, k: usize, iters: usize) -> (Vec<u16>, Vec<Vec<f32>>) {
    let n = points.len();
    let k = k.min(n).max(1);
    let mut cents: Vec<Vec<f32>> = (0..k)
        .map(|j| {
            let mut c = vec![0f32; dim];
            for &(i, x) in &points[j * n / k] {
                c[i as usize] = x;
            }
            c
        })
        .collect();
    let mut assign = vec![0u16; n];
    for _ in 0..iters {
        let mut changed = 0;
        for (p, a) in points.iter().zip(assign.iter_mut()) {
            let mut best = 0;
            let mut bs = f32::MIN;
            for (j, c) in cents.iter().enumerate() {
                let s = dot(p, c);
                if s > bs {
                    bs = s;
                    best = j;
                }
            }
            if *a != best as u16 {
                changed += 1;
                *a = best as u16;
            }
        }
        let mut sums = vec![vec![0f32; dim]; k];
        let mut counts = vec![0usize; k];
        for (p, &a) in points.iter().zip(&assign) {
            counts[a as usize] += 1;
            for &(i, x) in p {
                sums[a as usize][i as usize] += x;
            }
        }
        for j in 0..k {
            if counts[j] > 0 {
                normalise(&mut sums[j]);
                cents[j] = std::mem::take(&mut sums[j]);
            }
        }
        if changed == 0 {
            break;
        }
    }
    (assign, cents)
}

/// Learns clusters from tokenised sentences. `ks` are the three granularities, fine
/// first; words seen fewer than `min_count` times get none.
pub fn learn(
    sentences: &[Vec<String>],
    ks: [usize; 3],
    min_count: usize,
    iters: usize,
) -> Clusters {
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for s in sentences {
        for w in s {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = freq.iter().map(|(w, c)| (*w, *c)).collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    const CONTEXTS: usize = 600;
    const MAX_WORDS: usize = 40_000;
    let ctx: HashMap<&str, u32> = ranked
        .iter()
        .take(CONTEXTS)
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    let words: Vec<&str> = ranked
        .iter()
        .take_while(|(_, c)| *c >= min_count)
        .take(MAX_WORDS)
        .map(|(w, _)| *w)
        .collect();
    let index: HashMap<&str, usize> = words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    // Context ids: left neighbour c, right neighbour CONTEXTS+1+c; CONTEXTS is "other"
    // or a sentence boundary.
    let dim = 2 * (CONTEXTS + 1);
    let mut counts: Vec<HashMap<u32, u32>> = vec![HashMap::new(); words.len()];
    for s in sentences {
        for (i, w) in s.iter().enumerate() {
            let Some(&wi) = index.get(w.as_str()) else {
                continue;
            };
            let l = i
                .checked_sub(1)
                .and_then(|j| ctx.get(s[j].as_str()).copied())
                .unwrap_or(CONTEXTS as u32);
            let r = s
                .get(i + 1)
                .and_then(|x| ctx.get(x.as_str()).copied())
                .unwrap_or(CONTEXTS as u32);
            *counts[wi].entry(l).or_default() += 1;
            *counts[wi].entry(CONTEXTS as u32 + 1 + r).or_default() += 1;
        }
    }
    // Positive pointwise mutual information: a context says more the rarer it is, so
    // "said _" outweighs "the _".
    let mut ctx_total = vec![0f64; dim];
    let mut word_total = vec![0f64; counts.len()];
    let mut all = 0f64;
    for (wi, m) in counts.iter().enumerate() {
        for (&i, &c) in m {
            ctx_total[i as usize] += c as f64;
            word_total[wi] += c as f64;
            all += c as f64;
        }
    }
    let points: Vec<Sparse> = counts
        .into_iter()
        .enumerate()
        .map(|(wi, m)| {
            let mut v: Sparse = m
                .into_iter()
                .map(|(i, c)| {
                    let pmi =
                        (c as f64 * all / (word_total[wi] * ctx_total[i as usize]).max(1.0)).ln();
                    (i, pmi.max(0.0) as f32)
                })
                .filter(|x| x.1 > 0.0)
                .collect();
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(64);
            let n = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
            for x in v.iter_mut() {
                x.1 /= n;
            }
            v
        })
        .collect();
    let (fine, cents) = kmeans(&points, dim, ks[0], iters);
    let as_sparse = |cs: &[Vec<f32>]| -> Vec<Sparse> {
        cs.iter()
            .map(|c| {
                c.iter()
                    .enumerate()
                    .filter(|(_, x)| **x != 0.0)
                    .map(|(i, x)| (i as u32, *x))
                    .collect()
            })
            .collect()
    };
    let (mid, mid_cents) = kmeans(&as_sparse(&cents), dim, ks[1], iters * 2);
    let (coarse, _) = kmeans(&as_sparse(&mid_cents), dim, ks[2], iters * 2);
    let mut out = Clusters::default();
    for (w, &f) in words.iter().zip(&fine) {
        let m = mid.get(f as usize).copied().unwrap_or(0);
        let c = coarse.get(m as usize).copied().unwrap_or(0);
        out.map.insert((*w).to_string(), [f, m, c]);
    }
    out
}
