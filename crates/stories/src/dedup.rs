//! Near-duplicate detection: wire stories republished verbatim or lightly edited (a new
//! headline, a trimmed ending, an added credit line).
//!
//! Bodies are reduced to sets of word shingles (5 consecutive words of the lower-cased,
//! punctuation-stripped text). A [`MinHasher`] turns a set into a [`Signature`] of
//! [`NUM_HASHES`] minima, from which the Jaccard similarity of two sets is estimated as
//! the fraction of equal minima (standard error about `sqrt(J(1-J)/128)`, ≈ 0.044 at
//! J = 0.5). A [`NearDuplicateIndex`] finds candidates with LSH banding and then checks
//! them against the signatures.
//!
//! ## One permutation
//!
//! Classic MinHash hashes every shingle 128 times (128 × ~230 hash evaluations for an
//! ordinary article, most of the clusterer's time). The signature here is one-permutation
//! MinHash (Li, Owen & Zhang 2012): each shingle is hashed once, the hash picks one of
//! the 128 bins and the rest of it competes for that bin's minimum. Bins left empty (a
//! short body) are filled by optimal densification (Shrivastava 2017): an empty bin
//! copies the minimum of the first non-empty bin along its own fixed pseudo-random
//! probe sequence. Two bodies agree on a bin with probability equal to their Jaccard
//! similarity, as with 128 independent permutations, at 1/128th of the hashing.
//!
//! Everything is deterministic: hashes are FNV-1a over the words followed by fixed
//! SplitMix64 mixes with fixed seeds, so the same text gives the same signature in every
//! process and on every machine (signatures may be stored and compared later).
//!
//! ## Banding
//!
//! 128 minima are split into 32 bands of 4 rows. Two bodies with Jaccard `s` share at
//! least one band with probability `1 - (1 - s^4)^32`: 0.23 at s = 0.3, 0.87 at 0.5,
//! 0.99 at 0.6, 1.0 from 0.7. The S-curve's midpoint `(1/32)^(1/4)` ≈ 0.42 sits just
//! under the 0.5 Jaccard that [`DupRule`] asks for, so true copies are nearly always
//! retrieved while unrelated articles (J < 0.1 even on the same event) almost never
//! collide.
//!
//! ## Containment
//!
//! A copy with its last paragraphs cut has a lower Jaccard than its share of the
//! original suggests. The signature carries its set size, so the intersection can be
//! estimated as `J (|A| + |B|) / (1 + J)` and the containment of the smaller set in the
//! larger as that over `min(|A|, |B|)`. A pair counts as a copy when either figure is
//! high enough (see [`DupRule`]).

use std::collections::VecDeque;

use crate::hash::{fnv_start, mix, MixedKeyMap};
use crate::text;

/// Number of minima (bins) in a signature.
pub const NUM_HASHES: usize = 128;
/// LSH bands (× [`ROWS`] rows = [`NUM_HASHES`]).
pub const BANDS: usize = 32;
/// Rows per LSH band.
pub const ROWS: usize = NUM_HASHES / BANDS;
/// Words per shingle. Five words rarely repeat across independent reports of one event
/// (which share names and phrases but not whole clauses), yet survive light edits:
/// one changed word only breaks the five shingles that cover it.
pub const SHINGLE_WORDS: usize = 5;

const BIN_SEED: u64 = 0x6f6e_6570_6572_6d31;
const DENSIFY_SEED: u64 = 0x6465_6e73_6966_7921;

/// `x` mapped onto `0..n` (Lemire's multiply-shift: no division).
#[inline]
fn fast_range(x: u32, n: usize) -> usize {
    ((x as u64 * n as u64) >> 32) as usize
}

/// The words shingles are made of: lower-cased runs of letters and digits, apostrophes
/// dropped. Punctuation and case differences between outlets' copies vanish here.
pub fn shingle_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    text::scan(text, &mut words);
    words
        .iter()
        .map(|w| {
            w.text(text)
                .chars()
                .filter(|&c| c != '\'' && c != '\u{2019}')
                .flat_map(char::to_lowercase)
                .collect()
        })
        .collect()
}

/// A MinHash signature of one body, with the number of distinct shingles it was made
/// from (needed to estimate containment).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    pub mins: Vec<u32>,
    /// Distinct shingles in the body (0 for an empty body: such a signature matches
    /// nothing).
    pub shingles: usize,
}

/// How alike two signed bodies are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resemblance {
    /// Estimated Jaccard similarity of the shingle sets.
    pub jaccard: f64,
    /// Estimated share of the smaller set found in the larger.
    pub containment: f64,
}

impl Signature {
    /// Estimated Jaccard similarity and containment with `other`.
    pub fn resemblance(&self, other: &Signature) -> Resemblance {
        resemblance(&self.mins, self.shingles, &other.mins, other.shingles)
    }

    /// Estimated Jaccard similarity with `other`.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        self.resemblance(other).jaccard
    }
}

/// [`Signature::resemblance`] of two signatures given as their minima and shingle
/// counts.
fn resemblance(
    a_mins: &[u32],
    a_shingles: usize,
    b_mins: &[u32],
    b_shingles: usize,
) -> Resemblance {
    if a_shingles == 0 || b_shingles == 0 || a_mins.len() != b_mins.len() {
        return Resemblance {
            jaccard: 0.0,
            containment: 0.0,
        };
    }
    let same = a_mins.iter().zip(b_mins).filter(|(a, b)| a == b).count();
    let j = same as f64 / a_mins.len() as f64;
    let (a, b) = (a_shingles as f64, b_shingles as f64);
    let inter = j * (a + b) / (1.0 + j);
    let containment = (inter / a.min(b)).min(1.0);
    Resemblance {
        jaccard: j,
        containment,
    }
}

/// Makes [`Signature`]s. Cheap to create.
#[derive(Debug, Clone)]
pub struct MinHasher {
    bins: usize,
    shingle_words: usize,
}

impl Default for MinHasher {
    fn default() -> Self {
        MinHasher::new(NUM_HASHES, SHINGLE_WORDS)
    }
}

impl MinHasher {
    /// `num_hashes` bins over shingles of `shingle_words` words. Seeds are fixed, never
    /// random.
    pub fn new(num_hashes: usize, shingle_words: usize) -> Self {
        MinHasher {
            bins: num_hashes.max(1),
            shingle_words: shingle_words.max(1),
        }
    }

    /// Hashes of the distinct shingles of `text`, sorted. A text shorter than one
    /// shingle yields one shingle of all its words.
    pub fn shingles(&self, text: &str) -> Vec<u64> {
        let mut words = Vec::new();
        text::shingle_words(text, &mut Default::default(), &mut words);
        let mut out = Vec::new();
        self.shingles_of_words(&words, &mut Vec::new(), &mut out);
        out.sort_unstable();
        out
    }

    /// Shingle hashes (distinct, in order of first appearance) from the per-word hashes
    /// of a text, into `out`; `seen` is a scratch table kept by the caller (empty at
    /// first, and left empty by each call).
    ///
    /// Duplicates are dropped with a small open-addressing table rather than by sorting:
    /// the signature is a minimum per bin, blind to order, and only the count of
    /// distinct shingles needs them distinct; sorting a few hundred hashes per article
    /// cost about three times as much.
    pub(crate) fn shingles_of_words(&self, words: &[u64], seen: &mut Vec<u64>, out: &mut Vec<u64>) {
        out.clear();
        if words.is_empty() {
            return;
        }
        let k = self.shingle_words.min(words.len());
        let n = words.len() + 1 - k;
        // At most half full, so probes stay short; 0 marks an empty slot, and a shingle
        // hashing to 0 itself is tracked apart.
        // The table is all empty between calls (see the end), so it is only grown, never
        // cleared whole: a larger table than needed finds the same distinct shingles.
        let cap = (2 * n).next_power_of_two().max(16);
        if seen.len() < cap {
            seen.clear();
            seen.resize(cap, 0);
        }
        let mask = seen.len() - 1;
        let mut zero_seen = false;
        // Word keys are already well mixed: each is rotated by its position in the
        // window (so word order counts) and the combination is mixed once. The
        // combination rolls: XOR and rotation commute, so dropping the first word and
        // rotating back one position gives the next window's, less its new last word
        // (the same value as combining each window afresh, at a fraction of the work).
        let last = (13 * (k - 1) % 64) as u32;
        let mut rolled = 0u64;
        for (p, x) in words[..k - 1].iter().enumerate() {
            rolled ^= x.rotate_left((13 * p % 64) as u32);
        }
        for i in 0..n {
            rolled ^= words[i + k - 1].rotate_left(last);
            let h = mix(rolled);
            rolled = (rolled ^ words[i]).rotate_right(13);
            if h == 0 {
                if !zero_seen {
                    zero_seen = true;
                    out.push(h);
                }
                continue;
            }
            let mut j = h as usize & mask;
            loop {
                let slot = seen[j];
                if slot == h {
                    break;
                }
                if slot == 0 {
                    seen[j] = h;
                    out.push(h);
                    break;
                }
                j = (j + 1) & mask;
            }
        }
        // Empty the table for the next text by clearing just the slots used, newest
        // first: each shingle's probe path was filled before it was placed, so the path
        // is still intact when its turn to be cleared comes.
        for &h in out.iter().rev() {
            if h == 0 {
                continue;
            }
            let mut j = h as usize & mask;
            while seen[j] != h {
                j = (j + 1) & mask;
            }
            seen[j] = 0;
        }
    }

    pub fn sign(&self, text: &str) -> Signature {
        self.sign_shingles(&self.shingles(text))
    }

    /// Signature of an already computed shingle set (distinct hashes).
    pub fn sign_shingles(&self, shingles: &[u64]) -> Signature {
        let n = self.bins;
        let mut mins = vec![u32::MAX; n];
        for &s in shingles {
            let h = mix(s ^ BIN_SEED);
            let bin = fast_range((h >> 32) as u32, n);
            // A minimum taken without a branch: whether a shingle lowers its bin's is
            // a coin the processor cannot call.
            let m = &mut mins[bin];
            *m = (*m).min(h as u32);
        }
        if !shingles.is_empty() {
            // u32::MAX marks an empty bin (a real minimum of u32::MAX has probability
            // 2^-32 per bin and would only be copied over by an equal value).
            let filled: Vec<bool> = mins.iter().map(|&m| m != u32::MAX).collect();
            // The empty bins, listed without a branch per bin, in order.
            let mut empty = vec![0usize; n];
            let mut k = 0;
            for (i, &f) in filled.iter().enumerate() {
                empty[k] = i;
                k += usize::from(!f);
            }
            for &i in &empty[..k] {
                let mut attempt = 0u64;
                loop {
                    let j = fast_range(mix(DENSIFY_SEED ^ ((i as u64) << 32) ^ attempt) as u32, n);
                    if filled[j] {
                        mins[i] = mins[j];
                        break;
                    }
                    attempt += 1;
                }
            }
        }
        Signature {
            mins,
            shingles: shingles.len(),
        }
    }
}

/// When two bodies count as copies of each other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DupRule {
    /// Estimated Jaccard at or above which two bodies are copies. 0.5 catches a new
    /// headline plus a cut of up to about a third of the text; independent reports of
    /// one event score well under 0.1 on 5-word shingles.
    pub min_jaccard: f64,
    /// Containment of the smaller body in the larger at or above which they are copies
    /// even with a lower Jaccard (a copy cut to its first half).
    pub min_containment: f64,
    /// ... provided the Jaccard is at least this, so a one-paragraph brief quoted inside
    /// a long feature is not called a copy of it.
    pub containment_floor: f64,
    /// Bodies with fewer distinct shingles than this are never copies: a 10-word body
    /// shares too little to tell a copy from a formula ("Police said the road is closed").
    pub min_shingles: usize,
}

impl Default for DupRule {
    fn default() -> Self {
        DupRule {
            min_jaccard: 0.5,
            min_containment: 0.8,
            containment_floor: 0.3,
            min_shingles: 12,
        }
    }
}

impl DupRule {
    pub fn accepts(&self, a: &Signature, b: &Signature, r: &Resemblance) -> bool {
        self.accepts_counts(a.shingles, b.shingles, r)
    }

    /// [`Self::accepts`] given the two bodies' distinct shingle counts.
    fn accepts_counts(&self, a: usize, b: usize, r: &Resemblance) -> bool {
        if a.min(b) < self.min_shingles {
            return false;
        }
        r.jaccard >= self.min_jaccard
            || (r.containment >= self.min_containment && r.jaccard >= self.containment_floor)
    }
}

/// End of a bucket chain.
const NONE: u32 = u32::MAX;

/// LSH index over signatures: `insert` each body once, ask `candidates` for the bodies
/// that look like copies of another.
///
/// Keys are whatever the caller uses to name a body (an [`parallax_core::ArticleId`],
/// an index). Candidate lists come back in insertion order, so results do not depend on
/// hash-map iteration order.
///
/// Buckets are chains through the entries (the bucket's key maps to its newest entry,
/// each entry holds the next older one per band), so inserting costs no allocation per
/// band and forgetting old entries is dropping a prefix.
#[derive(Debug, Clone)]
pub struct NearDuplicateIndex<K> {
    keys: Vec<K>,
    /// The entries from `forgotten` on: per band the next older entry in its bucket,
    /// and the signature, side by side and inline, so that walking a bucket and
    /// comparing what it holds reads one block per entry (not a separately allocated
    /// signature as well: two cache misses apiece once the index is large).
    entries: VecDeque<Entry>,
    /// Bucket (band and band hash) → newest entry in it.
    /// Band keys end in the SplitMix64 finaliser: hashed as they are.
    heads: MixedKeyMap<u32>,
    rule: DupRule,
    /// Entries before this one were forgotten ([`Self::forget_before`]).
    forgotten: usize,
    /// `forgotten` when `heads` was last cleared of forgotten entries.
    purged: usize,
}

impl<K: Clone> Default for NearDuplicateIndex<K> {
    fn default() -> Self {
        NearDuplicateIndex::new(DupRule::default())
    }
}

/// One body in a [`NearDuplicateIndex`]: its bucket links and its signature (the
/// minima left zero for a signature that is not indexed: it is never compared).
#[derive(Debug, Clone)]
struct Entry {
    next: [u32; BANDS],
    shingles: usize,
    mins: [u32; NUM_HASHES],
}

/// A body found to be a copy, with how alike it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DupMatch<K> {
    pub key: K,
    pub resemblance: Resemblance,
}

/// Most entries looked at per band bucket. Boilerplate bodies ("Subscribe to read")
/// can fill a bucket with thousands of entries; the newest are the useful ones and
/// the cap keeps per-article work bounded.
const MAX_BUCKET_SCAN: usize = 256;

impl<K: Clone> NearDuplicateIndex<K> {
    pub fn new(rule: DupRule) -> Self {
        NearDuplicateIndex {
            keys: Vec::new(),
            entries: VecDeque::new(),
            heads: MixedKeyMap::default(),
            rule,
            forgotten: 0,
            purged: 0,
        }
    }

    pub fn rule(&self) -> &DupRule {
        &self.rule
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    fn band_keys(sig: &Signature) -> [u64; BANDS] {
        let mut keys = [0u64; BANDS];
        for (band, rows) in sig.mins.chunks(ROWS).take(BANDS).enumerate() {
            let mut h = fnv_start() ^ band as u64;
            for &r in rows {
                h = mix(h ^ r as u64);
            }
            keys[band] = h;
        }
        keys
    }

    fn indexable(&self, sig: &Signature) -> bool {
        sig.shingles >= self.rule.min_shingles && sig.mins.len() == NUM_HASHES
    }

    /// Adds a body. Signatures too small for [`DupRule::min_shingles`] are kept out of
    /// the buckets: they could never match.
    pub fn insert(&mut self, key: K, sig: Signature) {
        let keys = self.indexable(&sig).then(|| Self::band_keys(&sig));
        self.insert_keyed(key, &sig, keys.as_ref());
    }

    /// [`Self::candidates`] of `sig`, then `sig` inserted under `key`: the band keys
    /// are worked out once, and the buckets the insertion updates were just read.
    pub fn candidates_then_insert(&mut self, key: K, sig: &Signature) -> Vec<DupMatch<K>> {
        if !self.indexable(sig) {
            self.insert_keyed(key, sig, None);
            return Vec::new();
        }
        let keys = Self::band_keys(sig);
        let found = self.candidates_keyed(sig, &keys);
        self.insert_keyed(key, sig, Some(&keys));
        found
    }

    /// [`Self::insert`] with the band keys given (`None`: not indexable).
    fn insert_keyed(&mut self, key: K, sig: &Signature, keys: Option<&[u64; BANDS]>) {
        let idx = self.keys.len() as u32;
        let mut entry = Entry {
            next: [NONE; BANDS],
            shingles: sig.shingles,
            mins: [0; NUM_HASHES],
        };
        if let Some(keys) = keys {
            for (band, &bk) in keys.iter().enumerate() {
                if let Some(older) = self.heads.insert(bk, idx) {
                    entry.next[band] = older;
                }
            }
            entry.mins.copy_from_slice(&sig.mins);
        }
        self.keys.push(key);
        self.entries.push_back(entry);
    }

    /// Forgets the signatures of the entries inserted before the `n`-th: they are no
    /// longer found as originals, and their memory (most of the index's) is freed.
    /// Keys stay, so entry numbers keep their meaning. A stream calls this for articles
    /// too old for a copy of them to still arrive.
    pub fn forget_before(&mut self, n: usize) {
        let n = n.min(self.keys.len());
        if n <= self.forgotten {
            return;
        }
        for _ in self.forgotten..n {
            self.entries.pop_front();
        }
        self.forgotten = n;
        // Buckets whose newest entry is forgotten are dropped once enough have gone
        // (chains stop at the first forgotten entry, so stale heads are only memory).
        let live = self.keys.len() - n;
        if n - self.purged > live.max(1024) {
            let cut = n as u32;
            self.heads.retain(|_, &mut i| i >= cut);
            self.purged = n;
        }
    }

    /// Bodies already inserted that `sig` is a copy of (or that copy it), by the
    /// index's [`DupRule`], in insertion order.
    pub fn candidates(&self, sig: &Signature) -> Vec<DupMatch<K>> {
        if !self.indexable(sig) {
            return Vec::new();
        }
        self.candidates_keyed(sig, &Self::band_keys(sig))
    }

    /// [`Self::candidates`] of an indexable signature with its band keys.
    fn candidates_keyed(&self, sig: &Signature, keys: &[u64; BANDS]) -> Vec<DupMatch<K>> {
        // Every bucket's newest entry is looked up first: the lookups (mostly cache
        // misses in a large table) do not depend on one another, so they overlap,
        // rather than each waiting behind the previous bucket's walk.
        let heads: [u32; BANDS] =
            std::array::from_fn(|band| self.heads.get(&keys[band]).copied().unwrap_or(NONE));
        let mut seen: Vec<u32> = Vec::new();
        for (band, &head) in heads.iter().enumerate() {
            let mut i = head;
            let mut scanned = 0;
            while i != NONE && (i as usize) >= self.forgotten && scanned < MAX_BUCKET_SCAN {
                seen.push(i);
                scanned += 1;
                i = self.entries[i as usize - self.forgotten].next[band];
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.into_iter()
            .filter_map(|i| {
                let other = &self.entries[i as usize - self.forgotten];
                let r = resemblance(&sig.mins, sig.shingles, &other.mins, other.shingles);
                self.rule
                    .accepts_counts(sig.shingles, other.shingles, &r)
                    .then(|| DupMatch {
                        key: self.keys[i as usize].clone(),
                        resemblance: r,
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The regional council of Brindlemoor voted on Tuesday to close the old \
        ferry terminal at Quaymouth after engineers found cracks in the main pier. \
        Councillor Ida Venholt said the decision was painful but necessary, and that a \
        temporary landing stage would open within six weeks. Ferry operator Lantern Lines \
        said it would run a reduced timetable from the northern slipway until then. \
        Residents of the outer islands, who depend on the crossing for supplies and \
        medical visits, asked the council to guarantee at least two sailings a day.";

    #[test]
    fn signatures_are_deterministic() {
        let h = MinHasher::default();
        assert_eq!(h.sign(TEXT), MinHasher::default().sign(TEXT));
        assert_eq!(h.sign(TEXT).mins.len(), NUM_HASHES);
    }

    #[test]
    fn punctuation_and_case_do_not_matter() {
        let h = MinHasher::default();
        let other = TEXT.to_uppercase().replace(',', "");
        assert_eq!(h.sign(TEXT).jaccard(&h.sign(&other)), 1.0);
    }

    #[test]
    fn trimmed_copy_matches_unrelated_text_does_not() {
        let h = MinHasher::default();
        let full = h.sign(TEXT);
        let cut = TEXT.split(". Residents").next().unwrap();
        let cut = h.sign(&format!("{cut}. Reporting by Harbour Wire."));
        let r = full.resemblance(&cut);
        assert!(r.jaccard > 0.5, "{r:?}");
        assert!(r.containment > 0.8, "{r:?}");
        let other = h.sign(
            "Engineers inspecting the Quaymouth pier found cracks, the council of \
             Brindlemoor said, and it will close the terminal. A temporary landing stage \
             is planned. Islanders want two sailings a day guaranteed by the council.",
        );
        let r2 = full.resemblance(&other);
        assert!(r2.jaccard < 0.2, "{r2:?}");

        let mut idx = NearDuplicateIndex::default();
        idx.insert("full", full.clone());
        idx.insert("other", other);
        let found = idx.candidates(&cut);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "full");
    }

    #[test]
    fn forgotten_entries_are_not_found() {
        let h = MinHasher::default();
        let mut idx = NearDuplicateIndex::default();
        idx.insert(0u32, h.sign(TEXT));
        idx.insert(1u32, h.sign(TEXT));
        assert_eq!(idx.candidates(&h.sign(TEXT)).len(), 2);
        idx.forget_before(1);
        idx.forget_before(1);
        let found = idx.candidates(&h.sign(TEXT));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, 1);
        assert_eq!(idx.len(), 2, "keys stay");
        idx.forget_before(99);
        assert!(idx.candidates(&h.sign(TEXT)).is_empty());
    }

    #[test]
    fn tiny_bodies_never_match() {
        let h = MinHasher::default();
        let mut idx = NearDuplicateIndex::default();
        idx.insert(1, h.sign("Road closed."));
        assert!(idx.candidates(&h.sign("Road closed.")).is_empty());
        assert!(idx.candidates(&h.sign("")).is_empty());
    }
}
