//! The optional dense signal: a sentence embedding per article (from `parallax-embed`,
//! or any encoder: this crate only sees the numbers), compared by cosine.
//!
//! When both sides of a comparison have a vector, the body signal becomes
//! `(1 - w) * body + w * dense`, `w` being [`crate::ClusterConfig::embedding_weight`];
//! everything else (names, years, figures, time, the thresholds) is unchanged. A story's
//! dense similarity mirrors its body one: the mean of the cosine with the sum of its
//! members' vectors (its centroid) and with the best of its recent members. Without
//! vectors nothing here runs and the clusters are exactly those of the lexical signals.
//!
//! A sentence encoder's cosine is not a probability: all-MiniLM-L6-v2 gives two
//! paraphrased sentences about 0.7 and unrelated ones about 0 (the embed crate's
//! test), and reports on one subject sit in between, so the cosine is rescaled from
//! [`crate::ClusterConfig::embedding_floor`] (0) to 1 (1) before it is mixed in.

use parallax_core::AnalyzedArticle;

/// The text an article is embedded from: its headline and body, one per line (an
/// encoder reads the first few hundred tokens, so the headline and lead count most).
pub fn embedding_text(doc: &AnalyzedArticle) -> String {
    let (t, b) = (doc.article.title.trim(), doc.article.body.trim());
    match (t.is_empty(), b.is_empty()) {
        (false, false) => format!("{t}\n{b}"),
        (false, true) => t.to_string(),
        _ => b.to_string(),
    }
}

/// `v` scaled to unit length; `None` for an empty, zero or non-finite vector.
pub(crate) fn unit(mut v: Vec<f32>) -> Option<Vec<f32>> {
    let n = v.iter().map(|x| (x * x) as f64).sum::<f64>().sqrt();
    if !(n.is_finite() && n > 0.0) {
        return None;
    }
    v.iter_mut().for_each(|x| *x = (*x as f64 / n) as f32);
    Some(v)
}

pub(crate) fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x * y) as f64).sum()
}

/// `sum += v` (a story's centroid is the plain sum of its members' unit vectors).
pub(crate) fn add(sum: &mut Vec<f32>, v: &[f32]) {
    if sum.is_empty() {
        sum.extend_from_slice(v);
    } else {
        sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
    }
}

pub(crate) fn norm(v: &[f32]) -> f32 {
    v.iter().map(|x| x * x).sum::<f32>().sqrt()
}

/// A cosine rescaled to 0..1 from `floor` up.
pub(crate) fn rescale(cos: f64, floor: f64) -> f64 {
    ((cos - floor) / (1.0 - floor).max(1e-9)).clamp(0.0, 1.0)
}
