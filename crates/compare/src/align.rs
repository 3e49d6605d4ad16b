//! Constrained agglomerative grouping, shared by fact and quote alignment.
//!
//! Items (sentences, quotes) belong to articles. Pairs of items from different articles
//! are merged best-first while their similarity clears a threshold, under two rules:
//! a group holds at most one item per article (so each article's best match wins, since
//! better pairs are merged first), and two groups merge only if their average pairwise
//! similarity clears `link` too, which stops chains of loosely related items.

use std::collections::HashMap;

/// A scored pair of items `(i, j, similarity)`.
pub type Pair = (usize, usize, f64);

/// Groups items; `doc_of[i]` is the article of item `i`. Every item ends in exactly one
/// group; groups come in order of their first item, members in item order.
pub fn group(doc_of: &[usize], mut pairs: Vec<Pair>, threshold: f64, link: f64) -> Vec<Vec<usize>> {
    let sims: HashMap<(usize, usize), f64> = pairs
        .iter()
        .map(|&(i, j, s)| ((i.min(j), i.max(j)), s))
        .collect();
    pairs.retain(|p| p.2 >= threshold && doc_of[p.0] != doc_of[p.1]);
    pairs.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let mut owner: Vec<usize> = (0..doc_of.len()).collect();
    let mut groups: Vec<Vec<usize>> = (0..doc_of.len()).map(|i| vec![i]).collect();
    for (i, j, _) in pairs {
        let (gi, gj) = (owner[i], owner[j]);
        if gi == gj || !can_merge(&groups[gi], &groups[gj], doc_of, &sims, link) {
            continue;
        }
        let moved = std::mem::take(&mut groups[gj]);
        for &m in &moved {
            owner[m] = gi;
        }
        groups[gi].extend(moved);
    }
    let mut out: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    for g in &mut out {
        g.sort_unstable();
    }
    out.sort_by_key(|g| g[0]);
    out
}

fn can_merge(
    a: &[usize],
    b: &[usize],
    doc_of: &[usize],
    sims: &HashMap<(usize, usize), f64>,
    link: f64,
) -> bool {
    if a.iter().any(|&x| b.iter().any(|&y| doc_of[x] == doc_of[y])) {
        return false;
    }
    let total: f64 = a
        .iter()
        .flat_map(|&x| b.iter().map(move |&y| (x.min(y), x.max(y))))
        .map(|k| sims.get(&k).copied().unwrap_or(0.0))
        .sum();
    total / (a.len() * b.len()) as f64 >= link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_item_per_article_and_best_pair_wins() {
        // Items 0,1 from article 0; 2 from article 1. 2 matches 1 better than 0.
        let g = group(&[0, 0, 1], vec![(0, 2, 0.5), (1, 2, 0.9)], 0.3, 0.2);
        assert_eq!(g, vec![vec![0], vec![1, 2]]);
    }

    #[test]
    fn weak_chains_do_not_merge() {
        // 0~1 and 1~2 are strong but 0 and 2 have nothing in common.
        let pairs = vec![(0, 1, 0.5), (1, 2, 0.45)];
        let g = group(&[0, 1, 2], pairs, 0.4, 0.4);
        assert_eq!(g, vec![vec![0, 1], vec![2]]);
    }
}
