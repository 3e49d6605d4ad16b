//! Sparse vectors as sorted `(id, weight)` slices: what articles and stories are made
//! of. Sorted vectors rather than maps: a dot product is one merge pass over two
//! contiguous arrays, adding an article to a story is one merge into a reused buffer,
//! and nothing is allocated per entry.

use std::cmp::Ordering;

/// Dot product of two sorted sparse vectors, summed in f64 in id order, so the result
/// does not depend on which side is which (pair scores are symmetric).
#[inline]
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() * 4 <= long.len() {
        return dot_search(short, long);
    }
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                s += a[i].1 as f64 * b[j].1 as f64;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// [`dot`] of a short vector with a much longer one: each of the short one's ids is
/// looked up by binary search in what is left of the long one, rather than stepping
/// through every entry of both. The same products, added in the same (id) order.
fn dot_search(short: &[(u32, f32)], long: &[(u32, f32)]) -> f64 {
    let (mut rest, mut s) = (long, 0.0f64);
    for &(t, w) in short {
        match rest.binary_search_by_key(&t, |x| x.0) {
            Ok(k) => {
                s += w as f64 * rest[k].1 as f64;
                rest = &rest[k + 1..];
            }
            Err(k) => rest = &rest[k..],
        }
        if rest.is_empty() {
            break;
        }
    }
    s
}

/// One sparse vector spread out over a dense array indexed by id, so that its dot
/// product with any other is a single pass over the other's entries: no merging, no
/// branches on ids. Loaded for the article being placed (or the member being linked)
/// and compared with many vectors, then cleared entry by entry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dense {
    w: Vec<f32>,
}

impl Dense {
    pub fn load(&mut self, v: &[(u32, f32)]) {
        if let Some(&(last, _)) = v.last() {
            if self.w.len() <= last as usize {
                self.w.resize(last as usize + 1, 0.0);
            }
        }
        for &(t, w) in v {
            self.w[t as usize] = w;
        }
    }

    pub fn clear(&mut self, v: &[(u32, f32)]) {
        for &(t, _) in v {
            if let Some(x) = self.w.get_mut(t as usize) {
                *x = 0.0;
            }
        }
    }

    /// Dot product with a sorted sparse vector: the same sum as [`dot`] (the same
    /// products, added in id order; the missing ones add 0), so results do not depend
    /// on which side was loaded.
    #[inline]
    pub fn dot(&self, b: &[(u32, f32)]) -> f64 {
        let mut s = 0.0f64;
        for &(t, w) in b {
            let a = self.w.get(t as usize).copied().unwrap_or(0.0);
            s += a as f64 * w as f64;
        }
        s
    }
}

/// Euclidean norm.
pub(crate) fn norm(v: &[(u32, f32)]) -> f32 {
    v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
}

/// Scales a sparse vector to unit length (an all-zero vector stays as it is).
pub(crate) fn normalise(v: &mut [(u32, f32)]) {
    let n = norm(v);
    if n > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= n;
        }
    }
}

/// `dst += scale * src`, both sorted; `tmp` is a reused buffer.
pub(crate) fn add_scaled(
    dst: &mut Vec<(u32, f32)>,
    src: &[(u32, f32)],
    scale: f32,
    tmp: &mut Vec<(u32, f32)>,
) {
    tmp.clear();
    tmp.reserve(dst.len() + src.len());
    let (mut i, mut j) = (0, 0);
    while i < dst.len() && j < src.len() {
        match dst[i].0.cmp(&src[j].0) {
            Ordering::Less => {
                tmp.push(dst[i]);
                i += 1;
            }
            Ordering::Greater => {
                tmp.push((src[j].0, src[j].1 * scale));
                j += 1;
            }
            Ordering::Equal => {
                tmp.push((dst[i].0, dst[i].1 + src[j].1 * scale));
                i += 1;
                j += 1;
            }
        }
    }
    tmp.extend_from_slice(&dst[i..]);
    tmp.extend(src[j..].iter().map(|&(t, w)| (t, w * scale)));
    std::mem::swap(dst, tmp);
}

/// Heaviest first, ties by the lower id: the order every truncation uses.
#[inline]
pub(crate) fn heavier(a: &(u32, f32), b: &(u32, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Keeps the `keep` heaviest entries (ties: lower id), still sorted by id.
pub(crate) fn prune(v: &mut Vec<(u32, f32)>, keep: usize) {
    if v.len() <= keep {
        return;
    }
    if keep == 0 {
        v.clear();
        return;
    }
    v.select_nth_unstable_by(keep - 1, heavier);
    v.truncate(keep);
    v.sort_unstable_by_key(|x| x.0);
}

/// The ids of the `k` heaviest entries, heaviest first (ties: lower id).
///
/// Each entry becomes one integer that sorts as [`heavier`] does (the weight's
/// total-order bits, inverted, above the id), so the selection compares integers
/// rather than a float and then an id: the same order, so the same answer.
pub(crate) fn top_ids(v: &[(u32, f32)], k: usize) -> Vec<u32> {
    let mut keys: Vec<u64> = v.iter().map(|&(t, w)| heavier_key(t, w)).collect();
    if keys.len() > k && k > 0 {
        keys.select_nth_unstable(k - 1);
    }
    keys.truncate(k);
    keys.sort_unstable();
    keys.iter().map(|&x| x as u32).collect()
}

/// A key whose ascending order is [`heavier`]'s: `f32::total_cmp`'s bits of the
/// weight (as an unsigned number that grows with the weight), inverted so that the
/// heaviest comes first, then the id.
#[inline]
fn heavier_key(t: u32, w: f32) -> u64 {
    let mut b = w.to_bits() as i32;
    // What `total_cmp` does: negative numbers' magnitude bits flipped, so that the
    // signed integers order as the floats do.
    b ^= (((b >> 31) as u32) >> 1) as i32;
    let ordered = (b as u32) ^ 0x8000_0000;
    ((!ordered as u64) << 32) | t as u64
}

/// Inserts `x` into a sorted set; false when it was there.
pub(crate) fn insert_sorted(v: &mut Vec<u32>, x: u32) -> bool {
    match v.binary_search(&x) {
        Ok(_) => false,
        Err(pos) => {
            v.insert(pos, x);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_add_and_dot() {
        let mut a = vec![(1, 1.0), (3, 2.0)];
        let mut tmp = Vec::new();
        add_scaled(&mut a, &[(2, 1.0), (3, 1.0), (9, 4.0)], 0.5, &mut tmp);
        assert_eq!(a, vec![(1, 1.0), (2, 0.5), (3, 2.5), (9, 2.0)]);
        assert_eq!(dot(&a, &[(3, 2.0), (4, 7.0)]), 5.0);
        prune(&mut a, 2);
        assert_eq!(a, vec![(3, 2.5), (9, 2.0)]);
        assert_eq!(top_ids(&[(5, 1.0), (2, 1.0), (7, 3.0)], 2), vec![7, 2]);
        let odd = [
            0.5,
            -0.0,
            0.0,
            -2.0,
            3.5,
            f32::INFINITY,
            -1.0,
            0.5,
            1e-30,
            -1e-30,
        ];
        let many: Vec<(u32, f32)> = (0..100).map(|i| (i, odd[(i as usize * 7) % 10])).collect();
        let mut all = many.clone();
        all.sort_unstable_by(heavier);
        for k in [0, 1, 5, 16, 100, 200] {
            let want: Vec<u32> = all.iter().take(k).map(|x| x.0).collect();
            assert_eq!(top_ids(&many, k), want, "k={k}");
        }
        let mut d = Dense::default();
        let b = [(3, 2.0), (4, 7.0)];
        d.load(&b);
        assert_eq!(d.dot(&a), dot(&a, &b));
        d.clear(&b);
        assert_eq!(d.dot(&a), 0.0);
    }
}
