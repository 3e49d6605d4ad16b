//! The periodic pass: merges stories that turn out to be one and splits chained ones.
//!
//! An online clusterer decides each article once, against the stories as they stood
//! then. Two kinds of error follow: a story's first reports may be too different from
//! each other to join (the event is split in two), and an article that sits between two
//! look-alike events can pull the second into the first's story (chaining). Every
//! `pass_every` articles, and at [`Clusterer::finish`], the stories touched since the
//! last pass are revisited with the document frequencies as they are now:
//!
//! 1. Split: the members of a touched story are re-grouped by average linkage over
//!    their pairwise scores; groups of two or more that link to the rest below
//!    `split_threshold` become stories of their own.
//! 2. Merge: each touched story is scored against its candidate stories by average
//!    linkage (the mean pairwise score over sampled members); pairs at or above
//!    `merge_threshold` are merged, best first.
//!
//! The work is bounded: only touched stories are visited, each keeps the features of at
//! most [`PASS_MEMBERS`] members, and stories that went quiet (beyond the time window)
//! drop their sample and are left as they are; after two windows they drop their
//! vectors too (dated streams only). Everything runs in index order, so the
//! result is deterministic for a given input order.

use std::collections::BTreeMap;

use parallax_core::StoryId;

use crate::{sparse, Clusterer, Feat, Features, StoryState};

/// Members per story whose features are kept for the pass.
pub(crate) const PASS_MEMBERS: usize = 48;
/// Smallest part a split may leave: a single outlier is not a second event.
const MIN_SPLIT_PART: usize = 2;
/// A split needs the two parts' mutual link below this share of their inner cohesion.
const SPLIT_RATIO: f64 = 0.6;
/// Centroid cosine below which two stories are not considered for a merge.
const MERGE_PREFILTER: f64 = 0.2;
/// Candidate stories linked per touched story in a merge round.
const MERGE_CANDIDATES: usize = 8;
/// Rounds of merging per pass.
const MERGE_ROUNDS: usize = 3;
/// Members per side compared when linking two stories (the first ones kept).
const LINK_MEMBERS: usize = 12;

impl Clusterer {
    /// Follows merges: the story that `s` now lives in.
    pub(crate) fn find(&self, mut s: u32) -> u32 {
        while self.alias[s as usize] != s {
            s = self.alias[s as usize];
        }
        s
    }

    /// Runs the split-and-merge pass over the stories touched since the last one.
    pub(crate) fn pass(&mut self) {
        self.since_pass = 0;
        let mut dirty: Vec<u32> = std::mem::take(&mut self.dirty);
        dirty.sort_unstable();
        dirty.dedup();
        for s in &dirty {
            self.stories[*s as usize].dirty = false;
        }
        self.forget_quiet();
        let mut touched = Vec::new();
        for &s in &dirty {
            let s = self.find(s);
            if !self.stories[s as usize].members.is_empty() {
                touched.push(s);
                touched.extend(self.split(s));
            }
        }
        touched.sort_unstable();
        touched.dedup();
        // Merging can make two merged stories similar enough to merge again: repeat on
        // the stories that changed, a few rounds at most.
        for _ in 0..MERGE_ROUNDS {
            if !self.merge(&touched) {
                break;
            }
            touched = std::mem::take(&mut self.dirty);
            touched.sort_unstable();
            touched.dedup();
            for &s in &touched {
                self.stories[s as usize].dirty = false;
            }
        }
    }

    /// Drops the member samples of stories that went quiet: they are no longer split or
    /// merged, and their memory is freed.
    fn forget_quiet(&mut self) {
        let Some(now) = self.newest else { return };
        let window = self.config.window_days * 86_400;
        // Signatures of articles published more than two windows ago (in arrival order,
        // up to the first that is newer or undated): a copy of them arriving now would
        // fall outside every window anyway.
        let mut h = self.dedup_horizon;
        while let Some(d) = self.docs.get(h) {
            match d.published {
                Some(p) if now - p.timestamp() > 2 * window => h += 1,
                _ => break,
            }
        }
        if h > self.dedup_horizon {
            self.dedup_horizon = h;
            self.dups.forget_before(h);
        }
        for st in &mut self.stories {
            if !st.sample.is_empty() && st.last.is_some_and(|l| now - l > window) {
                st.sample = Vec::new();
                st.complete = false;
            }
            // Two windows quiet: no dated article can reach it any more (candidates
            // are filtered by the window), so its vectors go too and only its members
            // and time range stay. This is what bounds memory on an endless stream.
            if !st.recent.is_empty() && st.last.is_some_and(|l| now - l > 2 * window) {
                st.recent = Default::default();
                st.centroid = Default::default();
                st.names = Default::default();
                st.years = Default::default();
                st.indexed = Default::default();
                st.indexed_names = Default::default();
                st.centroid_norm = 0.0;
                st.names_norm = 0.0;
            }
        }
    }

    /// Mean pairwise score between two member lists.
    fn link(&self, a: &[(u32, Feat)], b: &[(u32, Feat)]) -> f64 {
        let (a, b) = (
            &a[..a.len().min(LINK_MEMBERS)],
            &b[..b.len().min(LINK_MEMBERS)],
        );
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let mut dense = std::mem::take(&mut self.scratch.borrow_mut().dense);
        let mut sum = 0.0;
        for (_, fa) in a {
            dense.load(&fa.terms);
            for (_, fb) in b {
                sum += self.pair_link(fa, &dense, fb);
            }
            dense.clear(&fa.terms);
        }
        self.scratch.borrow_mut().dense = dense;
        sum / (a.len() * b.len()) as f64
    }

    /// Splits story `s` by average linkage over its members; returns the new stories.
    fn split(&mut self, s: u32) -> Vec<u32> {
        let st = &mut self.stories[s as usize];
        let n = st.sample.len();
        if !st.complete || n < 4 {
            return Vec::new();
        }
        // A chain needs new members: a story is checked again only once it has grown
        // by a quarter since its last check (every member counts while it is small).
        // This bounds the pass's cost on a long-running story to a constant factor
        // of one check at its final size, instead of one check per pass it is touched in.
        if st.split_checked > 0 && n < st.split_checked + (st.split_checked / 4).max(1) {
            return Vec::new();
        }
        st.split_checked = n;
        // Pairwise scores, then average-linkage agglomeration down to split_threshold.
        let mut sim = vec![vec![0.0f64; n]; n];
        let mut dense = std::mem::take(&mut self.scratch.get_mut().dense);
        let st = &self.stories[s as usize];
        for (i, (_, fi)) in st.sample.iter().enumerate() {
            dense.load(&fi.terms);
            for (j, (_, fj)) in st.sample.iter().enumerate().skip(i + 1) {
                let v = self.pair_link(fi, &dense, fj);
                sim[i][j] = v;
                sim[j][i] = v;
            }
            dense.clear(&fi.terms);
        }
        self.scratch.get_mut().dense = dense;
        // Average linkage down to two groups: the top split of the dendrogram.
        let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
        let avg = |a: &[usize], b: &[usize]| -> f64 {
            let mut t = 0.0;
            for &i in a {
                for &j in b {
                    t += sim[i][j];
                }
            }
            t / (a.len() * b.len()).max(1) as f64
        };
        let intra = |g: &[usize]| -> f64 {
            let mut t = 0.0;
            for (k, &i) in g.iter().enumerate() {
                for &j in &g[k + 1..] {
                    t += sim[i][j];
                }
            }
            t / (g.len() * (g.len() - 1) / 2).max(1) as f64
        };
        while groups.len() > 2 {
            let mut best: Option<(f64, usize, usize)> = None;
            for a in 0..groups.len() {
                for b in a + 1..groups.len() {
                    let l = avg(&groups[a], &groups[b]);
                    if best.is_none_or(|(bl, _, _)| l > bl + 1e-12) {
                        best = Some((l, a, b));
                    }
                }
            }
            let Some((_, a, b)) = best else { break };
            let g = groups.remove(b);
            groups[a].extend(g);
        }
        // Split only two cohesive groups that hang together weakly: a chain. A broad
        // story whose members all link loosely (short headlines on one topic) stays.
        if groups.len() < 2 || groups.iter().any(|g| g.len() < MIN_SPLIT_PART) {
            return Vec::new();
        }
        let cross = avg(&groups[0], &groups[1]);
        let cohesion = intra(&groups[0]).min(intra(&groups[1]));
        if cross >= self.config.split_threshold || cross >= SPLIT_RATIO * cohesion {
            return Vec::new();
        }
        let mut big = groups;
        for g in &mut big {
            g.sort_unstable();
        }
        // The group holding the story's first member keeps the story.
        big.sort_by_key(|g| g[0]);
        let sample = std::mem::take(&mut self.stories[s as usize].sample);
        let old_members = std::mem::take(&mut self.stories[s as usize].members);
        let mut group_of: BTreeMap<u32, usize> = BTreeMap::new();
        for (k, g) in big.iter().enumerate() {
            for &i in g {
                group_of.insert(sample[i].0, k);
            }
        }
        let mut targets = vec![s];
        for g in &big[1..] {
            let founder = sample[g[0]].0;
            let id = StoryId::founded_by(&self.docs[founder as usize].id);
            let t = self.new_story(id);
            self.docs[founder as usize].new_story = true;
            targets.push(t);
        }
        // Rebuild every part from its members' features.
        let mut parts: Vec<Vec<(u32, Feat)>> = vec![Vec::new(); big.len()];
        for (doc, f) in sample {
            parts[group_of[&doc]].push((doc, f));
        }
        for (k, part) in parts.into_iter().enumerate() {
            let t = targets[k];
            let id = self.stories[t as usize].id.clone();
            self.stories[t as usize] = StoryState::new(id);
            for (doc, f) in part {
                self.absorb(t, doc, f, true);
            }
        }
        // Members without features are syndicated copies: they follow their original.
        for m in old_members {
            let root = self.root(m);
            let k = group_of
                .get(&root)
                .or_else(|| group_of.get(&m))
                .copied()
                .unwrap_or(0);
            let t = targets[k];
            if self.stories[t as usize].members.binary_search(&m).is_err() {
                let st = &mut self.stories[t as usize];
                let pos = st.members.partition_point(|&x| x < m);
                st.members.insert(pos, m);
                self.docs[m as usize].story = t;
                let p = self.docs[m as usize].published.map(|d| d.timestamp());
                self.stories[t as usize].note_time(p);
            }
        }
        targets[1..].to_vec()
    }

    /// Merges touched stories with their candidates where the average link is high.
    fn merge(&mut self, touched: &[u32]) -> bool {
        let mut merged = false;
        let mut pairs: Vec<(f64, u32, u32)> = Vec::new();
        for &s in touched {
            let s = self.find(s);
            let st = &self.stories[s as usize];
            if st.members.is_empty() || st.sample.is_empty() {
                continue;
            }
            let probe = self.story_probe(st);
            for c in self.candidates(&probe).into_iter().take(MERGE_CANDIDATES) {
                if c == s || self.stories[c as usize].sample.is_empty() {
                    continue;
                }
                // A cheap first look: stories whose centroids barely touch are not
                // linked member by member.
                let cs = &self.stories[c as usize];
                let centroids = self.cosine_story(&probe.terms, &cs.centroid, cs.centroid_norm)
                    / (st.centroid_norm as f64).max(1e-9);
                if centroids < MERGE_PREFILTER {
                    continue;
                }
                let l = self.link(
                    &self.stories[s as usize].sample,
                    &self.stories[c as usize].sample,
                );
                if l >= self.config.merge_threshold {
                    pairs.push((l, s.min(c), s.max(c)));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        pairs.dedup_by(|a, b| a.1 == b.1 && a.2 == b.2);
        for (_, a, b) in pairs {
            let (a, b) = (self.find(a), self.find(b));
            if a == b {
                continue;
            }
            // Re-check: earlier merges changed the stories.
            let l = self.link(
                &self.stories[a as usize].sample,
                &self.stories[b as usize].sample,
            );
            if l >= self.config.merge_threshold {
                self.merge_into(a.min(b), a.max(b));
                merged = true;
            }
        }
        merged
    }

    /// A story seen as one article, for candidate retrieval: its centroid terms and
    /// names, its time range's end.
    fn story_probe(&self, st: &StoryState) -> Features {
        let k = self.config.query_terms;
        let tmp = &mut Vec::new();
        Features {
            query: sparse::top_ids(&st.centroid, k, tmp),
            query_names: sparse::top_ids(&st.names, k, tmp),
            terms: st.centroid.clone(),
            title: Vec::new(),
            names: st.names.clone(),
            years: Vec::new(),
            published: st.last,
        }
    }

    /// Moves every member of story `b` into story `a`.
    fn merge_into(&mut self, a: u32, b: u32) {
        let bs = std::mem::replace(
            &mut self.stories[b as usize],
            StoryState::new(StoryId(String::new())),
        );
        self.stories[b as usize].id = bs.id.clone();
        // The emptied story keeps its time range: posting scans read it to stop early.
        self.stories[b as usize].first = bs.first;
        self.stories[b as usize].last = bs.last;
        self.alias[b as usize] = a;
        self.story_by_id.insert(bs.id.clone(), a);
        for &m in &bs.members {
            self.docs[m as usize].story = a;
        }
        let cap = self.config.centroid_terms;
        let recent_cap = self.config.recent_members.max(1);
        let tmp = &mut self.scratch.get_mut().vec;
        let st = &mut self.stories[a as usize];
        st.members.extend(bs.members.iter().copied());
        st.members.sort_unstable();
        sparse::add_scaled(&mut st.centroid, &bs.centroid, 1.0, tmp);
        if st.centroid.len() > cap * 3 / 2 {
            sparse::prune(&mut st.centroid, cap);
        }
        sparse::add_scaled(&mut st.names, &bs.names, 1.0, tmp);
        if st.names.len() > cap * 3 / 2 {
            sparse::prune(&mut st.names, cap);
        }
        add_years(&mut st.years, &bs.years);
        st.centroid_norm = sparse::norm(&st.centroid);
        st.names_norm = sparse::norm(&st.names);
        st.note_time(bs.first);
        st.note_time(bs.last);
        st.recent.extend(bs.recent);
        while st.recent.len() > recent_cap {
            st.recent.pop_front();
        }
        st.complete =
            st.complete && bs.complete && st.sample.len() + bs.sample.len() <= PASS_MEMBERS;
        st.sample.extend(bs.sample);
        st.sample.sort_by_key(|x| x.0);
        st.sample.truncate(PASS_MEMBERS);
        for t in bs.indexed {
            sparse::insert_sorted(&mut st.indexed, t);
        }
        for n in bs.indexed_names {
            sparse::insert_sorted(&mut st.indexed_names, n);
        }
        if !st.dirty {
            st.dirty = true;
            self.dirty.push(a);
        }
    }
}

/// Adds an article's length-normalised terms, names and years to a story's vectors.
pub(crate) fn add_vectors(
    st: &mut StoryState,
    f: &Features,
    cap: usize,
    tmp: &mut Vec<(u32, f32)>,
) {
    let norm = f
        .terms
        .iter()
        .map(|(_, w)| (w * w) as f64)
        .sum::<f64>()
        .sqrt()
        .max(1e-9) as f32;
    sparse::add_scaled(&mut st.centroid, &f.terms, 1.0 / norm, tmp);
    if st.centroid.len() > cap * 3 / 2 {
        sparse::prune(&mut st.centroid, cap);
    }
    sparse::add_scaled(&mut st.names, &f.names, 1.0, tmp);
    if st.names.len() > cap * 3 / 2 {
        sparse::prune(&mut st.names, cap);
    }
    add_years(&mut st.years, &f.years);
    st.centroid_norm = sparse::norm(&st.centroid);
    st.names_norm = sparse::norm(&st.names);
}

/// `dst += src` for sorted year weights.
fn add_years(dst: &mut Vec<(u16, f32)>, src: &[(u16, f32)]) {
    for &(y, w) in src {
        match dst.binary_search_by_key(&y, |x| x.0) {
            Ok(k) => dst[k].1 += w,
            Err(k) => dst.insert(k, (y, w)),
        }
    }
}
