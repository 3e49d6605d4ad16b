//! Feature extraction for the tagger: every feature is a 32-bit hash of a template id
//! and one or more strings, so the model needs no feature dictionary at run time and
//! extraction allocates only the per-sentence scratch vectors.
//!
//! Three kinds of evidence, in order of how much they carry on news text:
//! - the token and its neighbours (normalised words, word shapes, affixes, the
//!   sentence being ALL CAPS as Reuters headlines are);
//! - a gazetteer of entity strings seen in the training annotations (built with
//!   jack-knifing at training time, so the model does not learn to trust it blindly);
//! - the document: how the same word is capitalised elsewhere in it (a sentence-initial
//!   or headline word is a name if it is capitalised mid-sentence elsewhere), the words
//!   around its other occurrences, and the labels a first pass gave those occurrences.
// Tag-indexed arrays ([f32; NT]) read more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::clusters::Clusters;
use super::model::IdMap;

/// FNV-1a for the document's word maps: their keys are short words looked up once per
/// token, where the default SipHash costs more than the look-up.
#[derive(Default)]
pub struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        self.0 = fnv(h, bytes);
    }
}

/// A map keyed by words (normalised tokens).
pub type WordMap<V> = HashMap<String, V, BuildHasherDefault<FnvHasher>>;

/// Template ids; changing any of them changes every feature hash, so bump
/// [`FEATURE_VERSION`] with them.
pub const FEATURE_VERSION: u32 = 6;

#[inline]
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    let mut h = h;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

#[inline]
fn start(tpl: u8) -> u64 {
    fnv(0xcbf2_9ce4_8422_2325, &[tpl, 0x9e])
}

#[inline]
fn finish(h: u64) -> u32 {
    let h = (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let x = (h ^ (h >> 32)) as u32;
    // 0 marks an empty slot in the weight table.
    x.max(1)
}

#[inline]
pub fn f1(tpl: u8, a: &str) -> u32 {
    finish(fnv(start(tpl), a.as_bytes()))
}

#[inline]
pub fn f2(tpl: u8, a: &str, b: &str) -> u32 {
    let h = fnv(start(tpl), a.as_bytes());
    finish(fnv(fnv(h, &[0xff]), b.as_bytes()))
}

#[inline]
pub fn f3(tpl: u8, a: &str, b: &str, c: &str) -> u32 {
    let h = fnv(start(tpl), a.as_bytes());
    let h = fnv(fnv(h, &[0xff]), b.as_bytes());
    finish(fnv(fnv(h, &[0xff]), c.as_bytes()))
}

#[inline]
pub fn fnum(tpl: u8, n: u32) -> u32 {
    finish(fnv(start(tpl), &n.to_le_bytes()))
}

#[inline]
pub fn fnum2(tpl: u8, n: u32, b: &str) -> u32 {
    let h = fnv(start(tpl), &n.to_le_bytes());
    finish(fnv(h, b.as_bytes()))
}

/// Lower case with digits folded to `0`, so "1996" and "2001" share weights.
pub fn norm(w: &str) -> String {
    let mut s = String::with_capacity(w.len());
    norm_into(w, &mut s);
    s
}

/// [`norm`] into a reused buffer.
pub fn norm_into(w: &str, s: &mut String) {
    s.clear();
    for c in w.chars() {
        if c.is_ascii_digit() {
            s.push('0');
        } else if c.is_ascii() {
            s.push(c.to_ascii_lowercase());
        } else {
            s.extend(c.to_lowercase());
        }
    }
}

/// Short word shape: character classes with repeats collapsed ("Xx", "X.X.", "d,d").
pub fn shape(w: &str) -> String {
    let mut s = String::with_capacity(8);
    shape_into(w, &mut s);
    s
}

/// [`shape`] into a reused buffer.
pub fn shape_into(w: &str, s: &mut String) {
    s.clear();
    let mut last = '\0';
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if k != last {
            s.push(k);
            last = k;
        }
        if s.len() > 12 {
            break;
        }
    }
}

pub fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn has_lower(w: &str) -> bool {
    w.chars().any(char::is_lowercase)
}

/// Whether the sentence is set in capitals (a headline), where capitalisation says
/// nothing about names.
pub fn all_caps(sent: &[&str]) -> bool {
    let mut letters = 0;
    let mut upper = 0;
    for w in sent {
        if w.chars().any(char::is_alphabetic) {
            letters += 1;
            if !has_lower(w) {
                upper += 1;
            }
        }
    }
    letters >= 2 && upper * 10 >= letters * 8
}

/// Entity strings from training annotations, keyed by the lower-cased token sequence.
#[derive(Default, Clone)]
pub struct Gazetteer {
    /// Hash of the lower-cased tokens → the most frequent type (1..=4) and whether
    /// the string was seen with more than one type.
    map: IdMap<u64, (u8, bool)>,
    pub max_len: usize,
}

fn seq_hash<'a>(words: impl Iterator<Item = &'a str>) -> u64 {
    let mut h = 0x84222325cbf29ce4u64;
    for w in words {
        for c in w.chars() {
            for l in c.to_lowercase() {
                let mut b = [0u8; 4];
                h = fnv(h, l.encode_utf8(&mut b).as_bytes());
            }
        }
        h = fnv(h, &[0x1f]);
    }
    h
}

impl Gazetteer {
    /// From (tokens, type 1..=4) pairs with their counts.
    pub fn build(entries: &HashMap<Vec<String>, [u32; 4]>) -> Gazetteer {
        let mut g = Gazetteer::default();
        for (toks, counts) in entries {
            let (best, n) = counts
                .iter()
                .enumerate()
                .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
                .map(|(i, c)| (i, *c))
                .unwrap_or((0, 0));
            if n == 0 || toks.is_empty() || toks.len() > 8 {
                continue;
            }
            let ambiguous = counts.iter().filter(|c| **c * 4 >= n).count() > 1;
            g.map.insert(
                seq_hash(toks.iter().map(String::as_str)),
                (best as u8 + 1, ambiguous),
            );
            g.max_len = g.max_len.max(toks.len());
        }
        g
    }

    pub fn insert_raw(&mut self, key: u64, ty: u8, ambiguous: bool, len: usize) {
        self.map.insert(key, (ty, ambiguous));
        self.max_len = self.max_len.max(len);
    }

    /// Whether the one-token string `w` (any case) is an entry, of any type.
    pub fn has_word(&self, w: &str) -> bool {
        self.map.contains_key(&seq_hash(std::iter::once(w)))
    }

    /// The type (1..=4) of the one-token string `w` (any case), when it is an entry.
    pub fn word_type(&self, w: &str) -> Option<u8> {
        self.map.get(&seq_hash(std::iter::once(w))).map(|e| e.0)
    }

    pub fn entries(&self) -> impl Iterator<Item = (u64, u8, bool)> + '_ {
        self.map.iter().map(|(k, (t, a))| (*k, *t, *a))
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every gazetteer span in the sentence, as (start, end, type, ambiguous).
    fn matches(&self, sent: &[&str], out: &mut Vec<(usize, usize, u8, bool)>) {
        out.clear();
        for i in 0..sent.len() {
            if !sent[i].chars().any(char::is_alphanumeric) {
                continue;
            }
            let mut h = 0x84222325cbf29ce4u64;
            for j in i..sent.len().min(i + self.max_len) {
                for c in sent[j].chars() {
                    for l in c.to_lowercase() {
                        let mut b = [0u8; 4];
                        h = fnv(h, l.encode_utf8(&mut b).as_bytes());
                    }
                }
                h = fnv(h, &[0x1f]);
                if let Some(&(t, a)) = self.map.get(&h) {
                    out.push((i, j + 1, t, a));
                }
            }
        }
    }
}

const TYPES: [&str; 5] = ["O", "PER", "ORG", "LOC", "MISC"];

/// One capitalised occurrence: where, and the features of its neighbours there.
#[derive(Clone, Copy)]
struct Occ {
    sent: u32,
    tok: u32,
    prev: u32,
    next: u32,
}

/// What the document says about each word, gathered before tagging its sentences.
#[derive(Default)]
pub struct DocInfo {
    /// norm → (capitalised mid-sentence, lower-case mid-sentence) counts.
    caps: WordMap<(u32, u32)>,
    /// norm → positions (sentence, token) of its capitalised occurrences.
    occ: WordMap<Vec<Occ>>,
    /// norm of a capitalised token → entity-type counts from a first tagging pass
    /// (index 0 = O); by norm so a headline's "GERMANY" meets the body's "Germany".
    pub prior: WordMap<[u16; 5]>,
}

impl DocInfo {
    pub fn new(doc: &[Vec<&str>]) -> DocInfo {
        let mut d = DocInfo::default();
        // One buffer for the word's norm, another for its neighbours': a key is
        // allocated only when a word is first seen.
        let (mut key, mut near) = (String::new(), String::new());
        for (si, sent) in doc.iter().enumerate() {
            let shout = all_caps(sent);
            let mut first = true;
            for (ti, w) in sent.iter().enumerate() {
                if !w.chars().any(char::is_alphabetic) {
                    continue;
                }
                norm_into(w, &mut key);
                if !shout && !first {
                    let e = match d.caps.get_mut(key.as_str()) {
                        Some(e) => e,
                        None => d.caps.entry(key.clone()).or_default(),
                    };
                    if is_cap(w) {
                        e.0 += 1;
                    } else {
                        e.1 += 1;
                    }
                }
                first = false;
                if is_cap(w) {
                    let v = match d.occ.get_mut(key.as_str()) {
                        Some(v) => v,
                        None => d.occ.entry(key.clone()).or_default(),
                    };
                    if v.len() < 8 {
                        let prev = if ti > 0 {
                            norm_into(sent[ti - 1], &mut near);
                            f1(32, &near)
                        } else {
                            f1(32, PAD)
                        };
                        let next = match sent.get(ti + 1) {
                            Some(x) => {
                                norm_into(x, &mut near);
                                f1(33, &near)
                            }
                            None => f1(33, PAD_END),
                        };
                        v.push(Occ {
                            sent: si as u32,
                            tok: ti as u32,
                            prev,
                            next,
                        });
                    }
                }
            }
        }
        d
    }
}

/// Per-sentence scratch, reused across sentences.
#[derive(Default)]
pub struct Scratch {
    norms: Vec<String>,
    shapes: Vec<String>,
    gaz: Vec<(usize, usize, u8, bool)>,
    gaz_tok: Vec<Vec<u32>>,
    clus: Vec<Option<[u16; 3]>>,
}

const PAD: &str = "<s>";
const PAD_END: &str = "</s>";

// The buffers are separate arguments so callers can keep the features of a pass.
#[allow(clippy::too_many_arguments)]
/// Features of every token in `doc[si]`, appended to `feats`; `offsets[i]..offsets[i+1]`
/// are token i's. `offsets` gets `len + 1` entries.
pub fn sentence_features(
    doc: &[Vec<&str>],
    info: &DocInfo,
    si: usize,
    gaz: &Gazetteer,
    clusters: &Clusters,
    scratch: &mut Scratch,
    feats: &mut Vec<u32>,
    offsets: &mut Vec<usize>,
) {
    let sent = &doc[si];
    let n = sent.len();
    feats.clear();
    offsets.clear();
    scratch.clus.clear();
    // The strings are reused from sentence to sentence: no allocation per token.
    if scratch.norms.len() < n {
        scratch.norms.resize_with(n, String::new);
        scratch.shapes.resize_with(n, String::new);
    }
    for (i, w) in sent.iter().enumerate() {
        norm_into(w, &mut scratch.norms[i]);
        shape_into(w, &mut scratch.shapes[i]);
        scratch.clus.push(clusters.get(w));
    }
    let clus = &scratch.clus;
    let norms = &scratch.norms;
    let shapes = &scratch.shapes;
    let nw = |i: isize| -> &str {
        if i < 0 {
            PAD
        } else if i as usize >= n {
            PAD_END
        } else {
            &norms[i as usize]
        }
    };
    let sw = |i: isize| -> &str {
        if i < 0 {
            PAD
        } else if i as usize >= n {
            PAD_END
        } else {
            &shapes[i as usize]
        }
    };
    let shout = all_caps(sent);
    let short = n <= 3;
    // Gazetteer spans → per-token features (type and position, BIES).
    gaz.matches(sent, &mut scratch.gaz);
    scratch
        .gaz_tok
        .resize_with(n.max(scratch.gaz_tok.len()), Vec::new);
    for v in scratch.gaz_tok.iter_mut() {
        v.clear();
    }
    for &(s, e, t, amb) in &scratch.gaz {
        let ty = TYPES[t as usize];
        let tag = if amb { "a" } else { "u" };
        for k in s..e {
            let pos = if e - s == 1 {
                "S"
            } else if k == s {
                "B"
            } else if k + 1 == e {
                "E"
            } else {
                "I"
            };
            let len = if e - s > 3 {
                "4"
            } else {
                ["", "1", "2", "3"][e - s]
            };
            let g = &mut scratch.gaz_tok[k];
            g.push(f3(40, ty, pos, tag));
            g.push(f2(41, ty, len));
            g.push(f1(42, ty));
        }
    }
    for i in 0..n {
        offsets.push(feats.len());
        let w = sent[i];
        let ii = i as isize;
        let n0 = nw(ii);
        let s0 = sw(ii);
        feats.push(f1(0, ""));
        feats.push(f1(1, w));
        feats.push(f1(2, n0));
        feats.push(f1(3, nw(ii - 1)));
        feats.push(f1(4, nw(ii + 1)));
        feats.push(f1(5, nw(ii - 2)));
        feats.push(f1(6, nw(ii + 2)));
        feats.push(f2(7, nw(ii - 1), n0));
        feats.push(f2(8, n0, nw(ii + 1)));
        feats.push(f1(9, s0));
        feats.push(f1(10, sw(ii - 1)));
        feats.push(f1(11, sw(ii + 1)));
        feats.push(f2(12, sw(ii - 1), s0));
        feats.push(f2(13, s0, sw(ii + 1)));
        feats.push(f3(14, sw(ii - 1), s0, sw(ii + 1)));
        feats.push(f2(15, nw(ii - 1), s0));
        feats.push(f2(16, s0, nw(ii + 1)));
        // Affixes on the original case: "-ese", "-ian", "Mc-", "-berg".
        for (k, (p, _)) in w
            .char_indices()
            .skip(1)
            .chain([(w.len(), ' ')])
            .take(4)
            .enumerate()
        {
            feats.push(f1(17 + k as u8, &w[..p]));
        }
        for (k, (p, _)) in w.char_indices().rev().take(4).enumerate() {
            feats.push(f1(21 + k as u8, &w[p..]));
        }
        if i == 0 {
            feats.push(f1(25, s0));
        }
        if shout {
            feats.push(f1(26, n0));
            feats.push(f1(27, s0));
        }
        if short {
            feats.push(f2(28, s0, ["0", "1", "2", "3"][n]));
        }
        let len = match w.chars().count() {
            0..=2 => "s",
            3..=5 => "m",
            _ => "l",
        };
        feats.push(f2(29, len, s0));
        feats.push(f2(36, nw(ii - 1), nw(ii + 1)));
        // Word clusters of the token and its neighbours.
        let cl = |k: isize| -> Option<[u16; 3]> {
            if k < 0 {
                None
            } else {
                clus.get(k as usize).copied().flatten()
            }
        };
        match cl(ii) {
            Some(c) => {
                for (lvl, &id) in c.iter().enumerate() {
                    feats.push(fnum(50 + lvl as u8, id as u32));
                }
                feats.push(fnum2(53, c[1] as u32, s0));
            }
            None => feats.push(f1(54, s0)),
        }
        for (tpl, k) in [(55u8, ii - 1), (57, ii + 1)] {
            match cl(k) {
                Some(c) => {
                    feats.push(fnum(tpl, c[0] as u32));
                    feats.push(fnum(tpl + 1, c[1] as u32));
                }
                None => feats.push(fnum(tpl, u32::MAX)),
            }
        }
        if i == 0 {
            feats.push(f1(37, n0));
        }
        // Position inside a run of capitalised words (boundaries of multi-word names).
        if !shout && is_cap(w) {
            let mut a = i;
            while a > 0 && is_cap(sent[a - 1]) {
                a -= 1;
            }
            let mut b = i + 1;
            while b < n && is_cap(sent[b]) {
                b += 1;
            }
            let pos = if b - a == 1 {
                "S"
            } else if i == a {
                "B"
            } else if i + 1 == b {
                "E"
            } else {
                "I"
            };
            let run = if b - a > 3 {
                "4"
            } else {
                ["", "1", "2", "3"][b - a]
            };
            feats.push(f2(38, pos, run));
        }
        // Gazetteer: this token and its neighbours.
        feats.extend_from_slice(&scratch.gaz_tok[i]);
        if i > 0 {
            for &g in &scratch.gaz_tok[i - 1] {
                feats.push(g ^ 0x5bd1_e995);
            }
        }
        if i + 1 < n {
            for &g in &scratch.gaz_tok[i + 1] {
                feats.push(g ^ 0x1b87_3593);
            }
        }
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        // Document: capitalisation of this word elsewhere (mid-sentence, not shouted).
        let cap_here = is_cap(w);
        if cap_here || shout {
            let c = match info.caps.get(n0) {
                Some(&(c, l)) if c > 0 && l == 0 => "C",
                Some(&(c, l)) if c == 0 && l > 0 => "L",
                Some(_) => "B",
                None => "N",
            };
            let pos = if shout {
                "shout"
            } else if i == 0 {
                "first"
            } else {
                "mid"
            };
            feats.push(f2(30, c, pos));
            feats.push(f3(31, c, pos, s0));
        }
        if cap_here {
            // Context of the word's other occurrences in the document.
            if let Some(occ) = info.occ.get(n0) {
                let mut seen = 0;
                for o in occ {
                    if o.sent as usize == si && o.tok as usize == i {
                        continue;
                    }
                    feats.push(o.prev);
                    feats.push(o.next);
                    seen += 1;
                    if seen >= 6 {
                        break;
                    }
                }
            }
        }
    }
    offsets.push(feats.len());
    if !info.prior.is_empty() {
        let base = std::mem::take(feats);
        let base_offsets = std::mem::take(offsets);
        add_prior(sent, info, &base, &base_offsets, feats, offsets);
    }
}

/// Second-pass features on top of `base` (the sentence's features without them): what
/// the first pass called each capitalised word and its neighbours elsewhere in the
/// document. Separate so the tagger computes the rest once for both passes.
pub fn add_prior(
    sent: &[&str],
    info: &DocInfo,
    base: &[u32],
    base_offsets: &[usize],
    feats: &mut Vec<u32>,
    offsets: &mut Vec<usize>,
) {
    feats.clear();
    offsets.clear();
    let n = sent.len().min(base_offsets.len().saturating_sub(1));
    let shout = all_caps(sent);
    let priors: Vec<Option<&[u16; 5]>> = sent[..n]
        .iter()
        .map(|w| {
            if is_cap(w) && w.chars().any(char::is_alphabetic) {
                info.prior.get(norm(w).as_str())
            } else {
                None
            }
        })
        .collect();
    // The first pass's majority label of a neighbour: names run together ("Bank of Orra").
    let best: Vec<Option<usize>> = priors
        .iter()
        .map(|p| {
            p.and_then(|p| {
                p.iter()
                    .enumerate()
                    .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
                    .map(|(t, _)| t)
            })
        })
        .collect();
    for i in 0..n {
        offsets.push(feats.len());
        feats.extend_from_slice(&base[base_offsets[i]..base_offsets[i + 1]]);
        if let Some(p) = priors[i] {
            let total: u32 = p.iter().map(|&x| x as u32).sum();
            if total > 0 {
                let (best, &bc) = p
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, c)| (**c, std::cmp::Reverse(*i)))
                    .unwrap_or((0, &0));
                let share = if bc as u32 * 4 >= total * 3 { "m" } else { "s" };
                feats.push(f2(34, TYPES[best], share));
                let pos = if shout {
                    "shout"
                } else if i == 0 {
                    "first"
                } else {
                    "mid"
                };
                feats.push(f3(39, TYPES[best], share, pos));
                for (t, &c) in p.iter().enumerate().skip(1) {
                    if c > 0 {
                        feats.push(f1(35, TYPES[t]));
                    }
                }
            }
        }
        let left = if i > 0 { best[i - 1] } else { None };
        let right = if i + 1 < n { best[i + 1] } else { None };
        if left.is_some() || right.is_some() {
            let s0 = shape(sent[i]);
            if let Some(t) = left {
                feats.push(f2(60, TYPES[t], &s0));
            }
            if let Some(t) = right {
                feats.push(f2(61, TYPES[t], &s0));
            }
        }
    }
    offsets.push(feats.len());
}
