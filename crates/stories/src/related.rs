//! The last step of [`Clusterer::finish`]: stories of headlines that tell one event in
//! different words are merged through the words that occur with theirs.
//!
//! Two headlines of one event share a word or two, and a large event told in headlines
//! often ends up as two or more stories whose vocabularies barely touch: "scottish
//! independence white paper" and "independent scotland currency union" are one story
//! to a reader, but their centroids' cosine is low. What ties such stories together is
//! the context their words keep: "independence" and "independent" both occur with
//! "salmond", "snp" and "vote". So each word is seen as the words it occurs with in the
//! open stories' headlines (positive pointwise mutual information, PPMI, a classic of
//! distributional semantics), a story's centroid is spread over those contexts, and
//! stories whose spread centroids have a cosine of at least [`RELATED_MERGE`] are
//! merged, best pair first, each pair judged again as earlier merges left it.
//!
//! Only stories of short texts take part (mean evidence at most [`SHORT_EVIDENCE`],
//! see [`crate::evidence`]) with at least [`RELATED_MIN_MEMBERS`] members: a full
//! article shares enough words with another report of its event for the pass's links to
//! judge, and a word's contexts would blur the look-alike events an article stream
//! must keep apart (the name, year and figure gates do that, and are not consulted
//! here). The co-occurrences are counted over the stories' pass samples (at most
//! `PASS_MEMBERS` members each), so the step's work is bounded by the
//! open stories, not by the stream.
//!
//! Why by hand: this is a few sparse sums over the clusterer's own term ids; a
//! distributional-semantics library would want a corpus and a vocabulary of its own.

use crate::hash::FastMap;
use crate::{sparse, Clusterer};

/// Spread-centroid cosine at which two stories of headlines merge. MStream NMI, News /
/// News-T: stream order 0.9018 → 0.9062 / 0.9001 → 0.9034; shuffled seeds 1–5
/// 0.9038 → 0.9083 / 0.9053 → 0.9095, 6–10 0.8997 → 0.9055 / 0.9019 → 0.9077, 11–15
/// 0.8991 → 0.9034 / 0.9012 → 0.9046. ECB+ clusters are unchanged (its stories are of
/// full articles). 0.5 gains a little less (seeds 1–5 0.9077 / 0.9087), 0.4 merges
/// stories of neighbouring events (0.9061 / 0.9083). Counting a context from three
/// shared occurrences rather than two loses 0.003–0.005; stories of two members or
/// more, or spreads of 80 or 300 terms, stay within 0.001.
const RELATED_MERGE: f64 = 0.45;
/// Stories of up to this mean evidence take part (a headline is about 0.3).
const SHORT_EVIDENCE: f64 = 0.5;
/// Smallest story that takes part: one or two headlines are placed by the fragment
/// rule, and a pair's words say too little about its event.
const RELATED_MIN_MEMBERS: usize = 3;
/// Times two words must occur together before one counts as the other's context.
const MIN_COOCCURRENCE: u32 = 2;
/// Terms of a member counted (its heaviest): all of a headline's.
const MEMBER_TERMS: usize = 16;
/// Entries kept of a spread centroid (its heaviest).
const SPREAD_TERMS: usize = 150;
/// Heaviest terms of a spread centroid under which stories are listed to find pairs.
const PAIR_TERMS: usize = 20;
/// Stories listed under one spread term (the first ones): a term common to more is
/// too common to tell a story's partners by. On MStream about 200 stories take part
/// in all.
const MAX_PAIR_LIST: usize = 256;
/// Stories each story is compared with: those sharing the most heaviest spread terms
/// with it.
const PAIR_CANDIDATES: usize = 16;

/// Each word's contexts: its PPMI row (unit length, the word itself weighted as its
/// strongest context), by term id.
struct Contexts {
    rows: FastMap<u32, Vec<(u32, f32)>>,
}

impl Contexts {
    /// Counts the co-occurrences in the given stories' samples.
    fn count(c: &Clusterer, stories: &[u32]) -> Contexts {
        let mut df: FastMap<u32, u32> = FastMap::default();
        // Every co-occurrence as (lower term, higher term) in one key, counted by
        // sorting: a hash map keyed so would put all pairs of one higher term in the
        // same run of buckets (FxHash's low bits follow the key's).
        let mut pairs: Vec<u64> = Vec::new();
        let mut n = 0u32;
        for &s in stories {
            for (_, f) in &c.stories[s as usize].sample {
                n += 1;
                let terms = sparse::top_ids(&f.terms, MEMBER_TERMS);
                for (i, &a) in terms.iter().enumerate() {
                    *df.entry(a).or_default() += 1;
                    for &b in &terms[i + 1..] {
                        pairs.push((u64::from(a.min(b)) << 32) | u64::from(a.max(b)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        let mut rows: FastMap<u32, Vec<(u32, f32)>> = FastMap::default();
        for run in pairs.chunk_by(|x, y| x == y) {
            let (key, k) = (run[0], run.len() as u32);
            if k < MIN_COOCCURRENCE {
                continue;
            }
            let (a, b) = ((key >> 32) as u32, key as u32);
            let pmi = (k as f64 * n as f64 / (df[&a] as f64 * df[&b] as f64)).ln();
            if pmi > 0.0 {
                rows.entry(a).or_default().push((b, pmi as f32));
                rows.entry(b).or_default().push((a, pmi as f32));
            }
        }
        for (&t, row) in rows.iter_mut() {
            let strongest = row.iter().map(|x| x.1).fold(0.0f32, f32::max);
            row.push((t, strongest));
            row.sort_unstable_by_key(|x| x.0);
            sparse::normalise(row);
        }
        Contexts { rows }
    }

    /// A story's centroid spread over its words' contexts, unit length. A word with no
    /// context stands for itself. `acc` is a reused accumulator by term id, left zero.
    fn spread(&self, centroid: &[(u32, f32)], acc: &mut Vec<f32>) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        // Every weight is positive (centroids sum unit vectors of positive weights,
        // PPMI rows keep positive values), so a zero in `acc` marks a term not yet
        // seen; a contribution that underflows to zero is left out rather than let a
        // term be listed twice.
        let mut add = |t: u32, w: f32| {
            if w <= 0.0 {
                return;
            }
            let t = t as usize;
            if t >= acc.len() {
                acc.resize(t + 1, 0.0);
            }
            if acc[t] == 0.0 {
                out.push((t as u32, 0.0));
            }
            acc[t] += w;
        };
        for &(t, w) in centroid {
            match self.rows.get(&t) {
                Some(row) => row.iter().for_each(|&(u, x)| add(u, x * w)),
                None => add(t, w),
            }
        }
        for e in out.iter_mut() {
            e.1 = std::mem::take(&mut acc[e.0 as usize]);
        }
        out.sort_unstable_by_key(|e| e.0);
        sparse::prune(&mut out, SPREAD_TERMS);
        sparse::normalise(&mut out);
        out
    }
}

impl Clusterer {
    /// Merges open stories of headlines whose words keep the same company (see the
    /// module's doc).
    pub(crate) fn merge_related(&mut self) {
        let stories: Vec<u32> = (0..self.stories.len() as u32)
            .filter(|&s| {
                let st = &self.stories[s as usize];
                self.find(s) == s
                    && st.members.len() >= RELATED_MIN_MEMBERS
                    && !st.sample.is_empty()
                    && self.is_open(s)
                    && self.story_evidence(s) <= SHORT_EVIDENCE
            })
            .collect();
        if stories.len() < 2 {
            return;
        }
        let contexts = Contexts::count(self, &stories);
        let mut acc = Vec::new();
        let mut spread =
            |c: &Clusterer, s: u32| contexts.spread(&c.stories[s as usize].centroid, &mut acc);
        let spreads: Vec<Vec<(u32, f32)>> = stories.iter().map(|&s| spread(self, s)).collect();
        // Each story is compared with the few stories that share the most of its
        // heaviest spread terms (a pair that reaches the bar shares many of them), so
        // the work is linear in the open stories.
        let mut listed: FastMap<u32, Vec<usize>> = FastMap::default();
        let tops: Vec<Vec<u32>> = spreads
            .iter()
            .map(|v| sparse::top_ids(v, PAIR_TERMS))
            .collect();
        for (i, top) in tops.iter().enumerate() {
            for &t in top {
                let list = listed.entry(t).or_default();
                if list.len() < MAX_PAIR_LIST {
                    list.push(i);
                }
            }
        }
        let mut pairs: Vec<(f64, u32, u32)> = Vec::new();
        let mut shared = vec![0u32; stories.len()];
        let mut near: Vec<usize> = Vec::new();
        for (i, top) in tops.iter().enumerate() {
            for t in top {
                for &j in &listed[t] {
                    if j != i {
                        near.push(j);
                        shared[j] += 1;
                    }
                }
            }
            near.sort_unstable();
            near.dedup();
            near.sort_by_key(|&j| (std::cmp::Reverse(shared[j]), j));
            for &j in near.iter().take(PAIR_CANDIDATES) {
                let cos = sparse::dot(&spreads[i], &spreads[j]);
                if cos >= RELATED_MERGE {
                    let (a, b) = (stories[i].min(stories[j]), stories[i].max(stories[j]));
                    pairs.push((cos, a, b));
                }
            }
            for &j in &near {
                shared[j] = 0;
            }
            near.clear();
        }
        crate::pass::best_pairs_first(&mut pairs);
        for (_, a, b) in pairs {
            let (a, b) = (self.find(a), self.find(b));
            if a == b {
                continue;
            }
            // Judged again: earlier merges changed the stories.
            if sparse::dot(&spread(self, a), &spread(self, b)) >= RELATED_MERGE {
                self.merge_into(a.min(b), a.max(b));
            }
        }
    }
}
