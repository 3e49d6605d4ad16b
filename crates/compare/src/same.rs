//! Are these one story, and which articles are wire copies of which?
//!
//! Both answers come from a fresh `parallax-stories` clusterer run over the docs in
//! input order, so `compare` agrees with how the pipeline groups stories. Syndication
//! has a local fallback (exact word 5-shingle Jaccard ≥ [`COPY_JACCARD`]) for pairs the
//! clusterer leaves unmarked, so a verbatim copy is folded even when the clusterer in
//! use does no near-duplicate detection.

use std::collections::HashSet;

use parallax_core::{AnalyzedArticle, ArticleId, SameStory, Story, StoryId, Syndication};
use parallax_stories::{Assignment, Clusterer};

use crate::words;

/// Shingle Jaccard from which the local fallback calls an article a copy. High on
/// purpose: it only catches what is plainly the same text.
pub const COPY_JACCARD: f64 = 0.8;
const SHINGLE: usize = 5;

/// What the clusterer said about the docs.
pub struct Clustering {
    pub assignments: Vec<Assignment>,
    pub stories: Vec<Story>,
}

pub fn cluster(docs: &[AnalyzedArticle]) -> Clustering {
    let mut c = Clusterer::new(Default::default());
    let assignments = docs.iter().map(|d| c.add(d)).collect();
    Clustering {
        assignments,
        stories: c.stories(),
    }
}

/// Groups (largest first, ties in input order), pairwise similarity, verdict.
pub fn same_story(docs: &[AnalyzedArticle], cl: &Clustering) -> SameStory {
    let groups = groups(docs, cl);
    let mut similarity = Vec::new();
    for (i, a) in docs.iter().enumerate() {
        for b in &docs[i + 1..] {
            let s = parallax_stories::similarity(a, b).clamp(0.0, 1.0);
            similarity.push((a.article.id.clone(), b.article.id.clone(), s));
        }
    }
    SameStory {
        verdict: groups.len() == 1,
        groups,
        similarity,
    }
}

/// The story each doc ended in: its story in `stories()` when listed there (stories
/// can absorb others after an assignment), else the story it was assigned.
fn groups(docs: &[AnalyzedArticle], cl: &Clustering) -> Vec<Vec<ArticleId>> {
    let mut keys: Vec<StoryId> = Vec::new();
    let mut groups: Vec<Vec<ArticleId>> = Vec::new();
    for (d, asg) in docs.iter().zip(&cl.assignments) {
        let id = &d.article.id;
        let story = cl
            .stories
            .iter()
            .find(|s| s.articles.contains(id))
            .map(|s| &s.id);
        let key = story.unwrap_or(&asg.story).clone();
        match keys.iter().position(|k| *k == key) {
            Some(g) if !groups[g].contains(id) => groups[g].push(id.clone()),
            Some(_) => {}
            None => {
                keys.push(key);
                groups.push(vec![id.clone()]);
            }
        }
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups
}

/// Copy → original pairs: the clusterer's stories' `syndicated` pairs (its current
/// view: an `Assignment` returned earlier goes stale when a later-arriving article
/// turns out to be the original), then the local shingle fallback for articles still
/// unmarked.
pub fn syndication(docs: &[AnalyzedArticle], cl: &Clustering) -> Vec<Syndication> {
    let ids: Vec<&ArticleId> = docs.iter().map(|d| &d.article.id).collect();
    let shingles: Vec<HashSet<String>> = docs.iter().map(|d| shingles(&d.article.body)).collect();
    let mut out: Vec<Syndication> = Vec::new();
    let mut add = |copy: &ArticleId, original: &ArticleId, sim: f64| {
        // An article is a copy once, and never of something while it is itself the
        // original of others (that would turn a wire story into its own copy's copy).
        if copy != original && !out.iter().any(|s| s.copy == *copy || s.original == *copy) {
            out.push(Syndication {
                copy: copy.clone(),
                original: original.clone(),
                similarity: sim,
            });
        }
    };
    for (copy, orig) in cl.stories.iter().flat_map(|s| &s.syndicated) {
        if let (Some(c), Some(o)) = (pos(&ids, copy), pos(&ids, orig)) {
            add(copy, orig, jaccard(&shingles[c], &shingles[o]));
        }
    }
    for (c, o, sim) in local_copies(docs, &shingles) {
        add(ids[c], ids[o], sim);
    }
    out
}

fn pos(ids: &[&ArticleId], id: &ArticleId) -> Option<usize> {
    ids.iter().position(|i| *i == id)
}

/// `(copy, original, jaccard)` for near-identical bodies; the original is the one
/// published first, or the earlier in input order.
fn local_copies(docs: &[AnalyzedArticle], sh: &[HashSet<String>]) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::new();
    for c in 0..docs.len() {
        let best = (0..docs.len())
            .filter(|&o| o != c && is_earlier(docs, o, c))
            .map(|o| (o, jaccard(&sh[c], &sh[o])))
            .filter(|&(_, j)| j >= COPY_JACCARD)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((o, j)) = best {
            out.push((c, o, j));
        }
    }
    out
}

/// Whether doc `a` counts as published before doc `b` (ties broken by input order).
fn is_earlier(docs: &[AnalyzedArticle], a: usize, b: usize) -> bool {
    match (docs[a].article.published, docs[b].article.published) {
        (Some(x), Some(y)) if x != y => x < y,
        _ => a < b,
    }
}

fn shingles(body: &str) -> HashSet<String> {
    let w: Vec<String> = words::words(body).into_iter().map(words::lower).collect();
    if w.len() < SHINGLE {
        return std::iter::once(w.join(" ")).collect();
    }
    w.windows(SHINGLE).map(|s| s.join(" ")).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// The title of the story holding most of the docs, if the clusterer named one.
pub fn story_title(docs: &[AnalyzedArticle], cl: &Clustering) -> Option<String> {
    cl.stories
        .iter()
        .map(|s| {
            (
                s,
                docs.iter()
                    .filter(|d| s.articles.contains(&d.article.id))
                    .count(),
            )
        })
        .filter(|(s, n)| *n > 0 && !s.title.trim().is_empty())
        .min_by_key(|(_, n)| std::cmp::Reverse(*n))
        .map(|(s, _)| s.title.clone())
}
