//! Stories: near-duplicate (syndication) detection and online story clustering.
//!
//! Parallax compares how outlets report *one* event, so before anything can be laid
//! side by side the articles must be grouped: every report of an event in one
//! [`Story`], look-alike events (two derailments in one week, in different towns) in
//! different stories, and wire copies republished by other outlets recognised as
//! copies so that they count once.
//!
//! - [`dedup`]: MinHash signatures of 5-word shingles with LSH banding find verbatim and
//!   lightly edited copies.
//! - [`Clusterer`]: online, single pass. Each article is a syndicated copy (it joins its
//!   original's story), joins the most similar recent story, or starts a new one. Past
//!   decisions are never recomputed, and the work per article is bounded (a fixed
//!   number of query terms, of posting entries read, rarest terms first, and of
//!   candidate stories), so the same code
//!   serves a `parallax compare` on three files and an ingest of millions.
//! - The periodic pass (every [`ClusterConfig::pass_every`] articles and at
//!   [`Clusterer::finish`]): stories touched since the last pass are split where their
//!   members' nearest-neighbour graph comes apart (two look-alike events in one story),
//!   small early fragments move to the story their reports now join, and stories that
//!   link as well as they hold together are merged (an event first reported in two
//!   ways); stories that mention the same years need to link only half as well (one
//!   event followed in two threads, say a star's first clinic and the one a court
//!   approved, dates itself alike; look-alike events are mostly years apart).
//!   At [`Clusterer::finish`] every open story is revisited once more, members
//!   that hardly link to the rest of their story are placed again, and stories of
//!   headlines whose words keep the same company ("independence" and "independent"
//!   both with "salmond" and "vote") are merged (`related.rs`).
//!   [`Clusterer::assignment`] reports the story as it stands after it.
//! - [`similarity`] / [`similarity_matrix`]: the same signals as a pairwise score, for
//!   `compare`'s same-story verdict; [`group`] clusters a set of articles from scratch.
//! - [`jsonl`]: `parallax cluster --input docs.jsonl`, the clusterer over a JSONL file.
//!
//! ## Signals
//!
//! An article is seen as TF-IDF weighted terms (body plus a boosted title; document
//! frequencies kept online), title terms, and *names* (entity tokens from the
//! analysis, plus capitalised mid-sentence words, which keeps the signal alive while
//! the tagger finds little). A story is the sum of its members' vectors (its centroid)
//! and its most recent members. The score against a story mixes body cosine (centroid
//! and best recent member), title overlap, and name overlap, and is damped by the
//! publication-time gap. Names get a large weight because shared vocabulary is exactly
//! what look-alike events have in common and shared people and places is what they do
//! not. Years mentioned in the text (full dates count double) gate the score the same
//! way: look-alike events of one kind are often years apart. So do figures (the
//! numbers other than years: tolls, magnitudes, sums) when both sides give five or
//! more: reports of one event repeat them, look-alike events differ in them. Term and
//! name weights are fixed when an article arrives (idf as it stands then), so every
//! comparison is a dot product of unit vectors.
//!
//! Optionally, an article also carries a dense sentence embedding
//! ([`Clusterer::add_embedded`]; the `parallax` command computes them with
//! `parallax-embed` when built with its `embeddings` feature). Where both sides have
//! one, the body signal is mixed with the embeddings' cosine (see `dense.rs`); without
//! them the clusters are exactly the lexical ones. With all-MiniLM-L6-v2 it helps the
//! headline streams (MStream NMI 0.900 to 0.917) and not ECB+ (0.955 either way): its
//! events come in look-alike pairs that an encoder finds about as similar as two
//! reports of one event, which the name, year and figure gates already tell apart.
//!
//! Headlines alone (no body) carry much less evidence than articles; where that matters
//! (a size prior between candidate stories, the pass's thresholds) it is scaled by
//! its evidence, the share of a full article's distinct terms the text has.
//!
//! Measured on the development sets (`parallax eval stories --data …`, shuffled input,
//! seeds 1–5): ECB+ B-cubed F1 0.955 ± 0.005 (P 0.951, R 0.960; min 0.948), look-alike
//! events mixed in 3 of 20 topics (4 in one seed); MStream News and News-T NMI 0.901
//! and 0.900 (0.895 and 0.890 in the published stream orders; 0.893 and 0.898 on
//! seeds 6-10).
//!
//! ## Speed
//!
//! The clusterer is meant for streams of millions of articles, so the work per article
//! is kept small and bounded:
//!
//! - the text is scanned once, words are keyed on the fly and every distinct word form
//!   is stemmed and numbered once (`text.rs`); vectors are sorted `(id, weight)` arrays
//!   (`sparse.rs`), never maps, and the buffers are reused from one article to the next;
//! - the MinHash signature hashes each shingle once (one-permutation hashing, see
//!   [`dedup`]) and the LSH buckets are chains through the entries, with no allocation
//!   per band; each entry keeps its bucket links and its signature inline, side by
//!   side, so a bucket walk reads one block per entry; an article's 32 buckets are
//!   looked up together (their cache misses overlap) and its signature is inserted
//!   right after, into the buckets just read; a syndicated copy is placed
//!   from its signature alone, before any vector is built for it (copies keep no
//!   vectors);
//! - candidates are found through posting lists of the article's salient terms and
//!   names, rarest first and at most 150 entries per article (the rare words rank the
//!   stories that can win; without the budget the scan grows as the time window fills),
//!   accumulated in a dense array without a branch per posting (a story
//!   outside the time window is dropped when the sums are ranked) and selected on
//!   integer keys; each candidate
//!   first gets an upper bound from its cheapest signals (names, years, figures, time,
//!   with the centroid, best member and headline at their maximum), and the centroid
//!   cosine, the headline overlap and then the member comparisons (with the article's
//!   terms and names spread over dense arrays, one pass per story or member vector)
//!   are computed only while its bound can still win;
//! - at stream scale the time goes to cache misses more than to arithmetic (the
//!   posting lists of rare words, the candidates' states and members are each read
//!   seldom and lie apart): the first read of each is issued before the work that
//!   needs it, all together, so the misses overlap rather than come one by one, and
//!   what every reached story is checked for (its span, whether it has members) is
//!   kept in compact arrays beside the stories;
//! - a posting list keeps only the newest entries a lookup can read, so memory per
//!   term stays bounded on an endless stream;
//! - the periodic pass re-checks a story for a split (or for merge partners) only once
//!   it has grown by a quarter, and finds the stories gone quiet through queues of the
//!   stories it saw touched, not by visiting every story ever made; re-placing a
//!   fragment's member runs up to three searches over the same candidates (at the
//!   threshold, at the lower floor, for the runner-up), which share each candidate's
//!   signals, worked out once; merge probes retrieve only the candidates they link,
//!   and a touched story's members are spread out once to be linked with all of them.
//!
//! Determinism: all iteration that feeds a decision runs over sorted vectors or in
//! insertion order; hash maps are used only for lookups. The same input order gives
//! the same stories, ids and scores.

pub mod dedup;
mod dense;
mod hash;
pub mod jsonl;
mod pass;
mod related;
mod sparse;
mod text;

pub use dense::embedding_text;
pub use jsonl::cluster_jsonl;

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use parallax_core::{AnalyzedArticle, ArticleId, CreditKind, Story, StoryId};

use dedup::{DupMatch, DupRule, MinHasher, NearDuplicateIndex, Signature};
use hash::{FastMap, IdMap};

/// Where the clusterer put an article.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    pub story: StoryId,
    /// This article started the story.
    pub new_story: bool,
    /// The article this one is a syndicated copy of, with the estimated similarity.
    pub copy_of: Option<(ArticleId, f64)>,
}

/// Knobs of the clusterer. The defaults were set on hand-made look-alike events
/// (`tests/clustering.rs`) and chosen on the ECB+ development set and MStream News
/// together (one setting for both; nothing per topic), see `parallax-eval`'s
/// `tests/stories.rs`.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Score (0..1) at or above which an article joins a story. 0.2: with the
    /// periodic pass to split chains, a lower online threshold than the 0.24 used
    /// without it gains recall; the invented look-alike derailments in the tests score
    /// about 0.12 against each other (after the name gate) and reports of one event
    /// 0.55 and up.
    pub threshold: f64,
    /// Stories whose publication range lies further than this from the article's
    /// publication time are not considered (when both are known).
    pub window_days: i64,
    /// Most candidate stories scored in full per article (the best by the idf mass
    /// they share with it). 12: the story an article joins is almost always among the
    /// first few, so ECB+ clusters are the same as with 24 (seeds 1-10) and MStream NMI
    /// moves within its seed spread (News 0.9002 to 0.9007, News-T 0.8997 to 0.8998 on
    /// seeds 1-5), at about 15 % less work per article on the 100k stream.
    pub max_candidates: usize,
    /// Salient terms per article used to index it and to look up candidates.
    pub query_terms: usize,
    /// Recent members kept per story for the best-member comparison. A full article
    /// is compared with the latest 8; a headline with up to all 32: a large story of
    /// short headlines matches a new one through the few members that share its words
    /// (MStream NMI 0.894 with 8, 0.90 with 32).
    pub recent_members: usize,
    /// Terms kept in a story centroid (the heaviest); bounds the work per candidate.
    /// 200: the same clusters as 400 on ECB+ and MStream (NMI within 0.0001), about a
    /// tenth less work per article on the stream benchmark; 100 loses 0.003 ECB+ F1.
    pub centroid_terms: usize,
    /// When two bodies count as syndicated copies.
    pub dup_rule: DupRule,
    /// Articles between two split-and-merge passes (0: only at [`Clusterer::finish`]).
    pub pass_every: usize,
    /// Link at or above which the pass merges two stories (see `pass.rs`: the mean
    /// pairwise score for articles, the centroid cosine for headlines).
    pub merge_threshold: f64,
    /// Normalised cut of a story's nearest-neighbour graph below which the pass may
    /// split it in two (for full articles; less for short texts, see `pass.rs`).
    /// 0.32 rather than 0.3: on ECB+ one shuffle's story of two earthquakes on one
    /// island cut exactly between the events at 0.313 and stayed whole. With 0.32,
    /// B-cubed F1 0.962 → 0.964 (seeds 1–5), 0.964 (6–10, +0.0002), 0.952 → 0.955
    /// (11–15, not looked at when choosing), 0.9555 → 0.9564 (16–25, the same), one topic
    /// fewer mixed in 3 of those 25 shuffles (two shuffles lose 0.005–0.006 where an
    /// event is split); MStream NMI within ±0.0005; the stream benchmark the same (10k
    /// precision +0.001). 0.35 splits one event in the file order (F1 0.952 → 0.946).
    pub split_cut: f64,
    /// Share of the body signal given to the dense embeddings' similarity when both
    /// sides have a vector (see `dense.rs`); no effect without vectors. With
    /// all-MiniLM-L6-v2 and a floor of 0.3: ECB+ B-cubed F1 0.955 (as without),
    /// MStream NMI 0.917 to 0.919 (0.900 without); 0.5 and 0.75 gain a little more on
    /// MStream (0.92 to 0.93) but mix more look-alike events on ECB+ (F1 0.945 at 0.5).
    pub embedding_weight: f64,
    /// Embedding cosine counted as no similarity (rescaled to 0..1 from here up).
    pub embedding_floor: f64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            threshold: 0.2,
            window_days: 7,
            max_candidates: 12,
            query_terms: 16,
            recent_members: 32,
            centroid_terms: 200,
            dup_rule: DupRule::default(),
            pass_every: 2000,
            merge_threshold: 0.15,
            split_cut: 0.32,
            embedding_weight: 0.25,
            embedding_floor: 0.3,
        }
    }
}

/// Score at or above which [`similarity`] calls two articles one story. Lower than the
/// clusterer's threshold because, on a pair alone, there are no document frequencies
/// to down-weight common words and no story to compare against, so the score of a
/// true pair is spread over more terms.
pub const SAME_STORY_THRESHOLD: f64 = 0.2;

/// Weight of a title term relative to one occurrence in the body: the headline names
/// the event, the body adds background.
const TITLE_BOOST: f32 = 2.0;
/// Distinct names each side needs before name overlap can veto a match: with one or
/// two names, a miss is as likely a tagging gap as a different event.
const MIN_NAMES_TO_GATE: usize = 3;
/// Name cosine at which the name gate is fully open.
pub(crate) const NAME_GATE_FULL: f64 = 0.3;
/// Posting entries scanned per article, over all its query terms, rarest term first
/// and each list newest first. Without a budget the scan grows with how many stories
/// in the window share the article's commoner words: on the stream benchmark from
/// about 180 entries per article at 10k articles (a window not yet full) to 1,200 once
/// a week of stream is indexed, the part of the cost per article that grew most with
/// the stream. The rare terms and names rank the stories that can win: cutting the
/// budget from 600 to 150 leaves ECB+ as it was, moves MStream NMI by 0.0001–0.0008
/// (seeds 1–15), keeps the stream benchmark's B-cubed F1 (its precision gains 0.001–0.002
/// at 100k and 1M) and takes about a sixth off the cost per article at 1M; 100 costs
/// MStream 0.0005–0.0008 (see the README's cluster speed row).
const MAX_ENTRIES_PER_ARTICLE: usize = 150;
/// Posting entries kept per term, newest first: no scan reads further back, and the
/// memory per term stays bounded on an endless stream.
const POSTINGS_KEPT_PER_TERM: usize = MAX_ENTRIES_PER_ARTICLE;
/// Terms indexed per story: a story with thousands of members would otherwise grow its
/// posting footprint without bound.
pub(crate) const MAX_INDEXED_PER_STORY: usize = 256;

/// What one article looks like to the clusterer: ids into the clusterer's vocabularies.
#[derive(Debug, Clone, Default)]
struct Features {
    /// `(term, weight)`, sorted by term, unit length: sublinear body tf plus boosted
    /// title terms, times idf as it stood when the article arrived.
    terms: Vec<(u32, f32)>,
    /// Distinct title terms, sorted.
    title: Vec<u32>,
    /// `(name, weight)`, sorted by name, unit length.
    names: Vec<(u32, f32)>,
    /// `(year, weight)`, sorted: the years the text mentions (full dates weigh more).
    years: Vec<(u16, f32)>,
    /// `(figure, 1)`, sorted: the numbers the text gives (term ids), see `text.rs`.
    figures: Vec<(u32, f32)>,
    published: Option<i64>,
    /// The heaviest terms and names (heaviest first, ties by id): what the article is
    /// indexed under and looks candidates up with.
    query: Vec<u32>,
    query_names: Vec<u32>,
    /// Unit sentence embedding, when the caller gave one.
    embedding: Option<Vec<f32>>,
}

/// Features are shared between a story's recent members and its pass sample.
type Feat = Arc<Features>;

/// One per article ever seen, so kept small: the boxed fields (a title is not
/// appended to, credits and copies are rare) save 40 bytes a record over `String`,
/// `Vec` and an inline `Option`, about 40 MB at 1M articles.
#[derive(Debug, Clone)]
struct DocRecord {
    id: ArticleId,
    title: Box<str>,
    /// The outlet's key by its number in `Clusterer::outlets` ([`NO_OUTLET`] for an
    /// empty key).
    outlet: u32,
    /// Outlets (numbered alike) this article credits as the source of its text.
    credited: Box<[u32]>,
    published: Option<DateTime<FixedOffset>>,
    story: u32,
    new_story: bool,
    copy_of: Option<Box<(ArticleId, f64)>>,
}

#[derive(Debug, Clone)]
struct StoryState {
    id: StoryId,
    members: Vec<u32>,
    /// Sum of the (unit) term vectors of the members that are not copies, sorted by
    /// term, pruned to the heaviest `centroid_terms`.
    centroid: Vec<(u32, f32)>,
    centroid_norm: f32,
    names: Vec<(u32, f32)>,
    names_norm: f32,
    years: Vec<(u16, f32)>,
    /// Sum of the members' figures (pruned like the centroid).
    figures: Vec<(u32, f32)>,
    /// [`figure_norm`] of `figures`, kept in step with it: every candidate scored
    /// would otherwise sum it again.
    figures_norm: f64,
    /// Sum of the members' sentence embeddings (empty when none had one).
    embedding: Vec<f32>,
    embedding_norm: f32,
    recent: VecDeque<Feat>,
    /// Members of `recent` with a headline: the scorer asks whether there is one for
    /// every candidate, and counting here saves reading each member's features (a
    /// cache miss apiece) to find out.
    recent_titled: usize,
    first: Option<i64>,
    last: Option<i64>,
    /// Terms and names this story is listed under in the postings (sorted).
    indexed: Vec<u32>,
    indexed_names: Vec<u32>,
    /// `(doc, features)` of the first non-copy members, for the periodic pass.
    sample: Vec<(u32, Feat)>,
    /// `sample` holds every non-copy member.
    complete: bool,
    /// Sample size when the pass last considered splitting the story (0: never).
    split_checked: usize,
    /// Members when the pass last looked for stories to merge it with (0: never).
    merge_checked: usize,
    /// Touched since the last pass (and listed in `Clusterer::dirty`).
    dirty: bool,
}

impl StoryState {
    fn new(id: StoryId) -> Self {
        StoryState {
            id,
            members: Vec::new(),
            centroid: Vec::new(),
            centroid_norm: 0.0,
            names: Vec::new(),
            names_norm: 0.0,
            years: Vec::new(),
            figures: Vec::new(),
            figures_norm: 0.0,
            embedding: Vec::new(),
            embedding_norm: 0.0,
            recent: VecDeque::new(),
            recent_titled: 0,
            first: None,
            last: None,
            indexed: Vec::new(),
            indexed_names: Vec::new(),
            sample: Vec::new(),
            complete: true,
            split_checked: 0,
            merge_checked: 0,
            dirty: false,
        }
    }

    /// Adds a member's (or a merged story's summed) embedding.
    fn add_embedding(&mut self, v: &[f32]) {
        if !v.is_empty() {
            dense::add(&mut self.embedding, v);
            self.embedding_norm = dense::norm(&self.embedding);
        }
    }

    /// Appends to the recent members, dropping the oldest beyond `cap`.
    fn push_recent(&mut self, f: Feat, cap: usize) {
        self.recent_titled += usize::from(!f.title.is_empty());
        self.recent.push_back(f);
        while self.recent.len() > cap {
            if let Some(old) = self.recent.pop_front() {
                self.recent_titled -= usize::from(!old.title.is_empty());
            }
        }
    }

    fn note_time(&mut self, t: Option<i64>) {
        if let Some(t) = t {
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |l| l.max(t)));
        }
    }

    /// Seconds between `t` and the story's publication range; `None` when unknown.
    fn gap(&self, t: Option<i64>) -> Option<i64> {
        let t = t?;
        let (f, l) = (self.first?, self.last?);
        Some(if t < f {
            f - t
        } else if t > l {
            t - l
        } else {
            0
        })
    }
}

/// The parts of a score, for explanation and tuning.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct ScoreParts {
    /// TF-IDF cosine of the bodies (story: mean of centroid and best recent member).
    pub body: f64,
    /// Weighted overlap of the headline terms.
    pub title: f64,
    /// Cosine of the name vectors; `None` when either side has no names.
    pub names: Option<f64>,
    /// Multiplier for the publication-time gap (1 when unknown or within a day).
    pub time: f64,
    /// Rescaled embedding similarity, mixed into the body signal; `None` unless both
    /// sides have a sentence embedding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dense: Option<f64>,
    /// The combined score in 0..1.
    pub total: f64,
}

/// Buffers reused from one article to the next, so that the steady state allocates
/// little beyond what it keeps.
#[derive(Debug, Clone, Default)]
struct Scratch {
    text: text::Scratch,
    parsed: text::Parsed,
    ids: Vec<u32>,
    /// Occurrences per term id of the article being read (all 0 between articles).
    tf: Vec<u32>,
    shingles: Vec<u64>,
    /// Duplicate filter for the shingles (see [`dedup::MinHasher::shingles_of_words`]).
    shingles_seen: Vec<u64>,
    vec: Vec<(u32, f32)>,
    /// The article being placed (or the fragment's member being re-placed), spread out.
    article: Spread,
    /// The member the pass is linking, spread out.
    member: Spread,
    /// Candidate retrieval: accumulated weight per story, and the stories touched
    /// (a fixed-length buffer, see `candidates_up_to`).
    acc: Vec<f64>,
    touched: Vec<u32>,
    /// Candidate retrieval: the stories in the window as sortable keys.
    ranked: Vec<u128>,
    /// Story search: what was worked out per candidate.
    memo: Vec<Memo>,
}

/// Online clusterer: each article is assigned to an existing story or starts one.
#[derive(Clone)]
pub struct Clusterer {
    config: ClusterConfig,
    hasher: MinHasher,
    /// Term and name ids.
    lexicon: text::Lexicon,
    term_df: Vec<u32>,
    name_df: Vec<u32>,
    /// `ln(df + 1)` per term and name, kept in step with the counts so that an idf
    /// costs a subtraction rather than a logarithm (scoring looks up thousands).
    term_ln_df: Vec<f64>,
    name_ln_df: Vec<f64>,
    /// `ln(n_docs + 1) + 1`.
    ln_n: f64,
    /// Articles counted in the document frequencies (syndicated copies are not).
    n_docs: u32,
    /// When set, every idf is 1: used for pairwise scores without a corpus.
    flat_idf: bool,
    /// Length of the first sentence embedding given; others of another length are
    /// ignored.
    embedding_dim: Option<usize>,
    docs: Vec<DocRecord>,
    /// Outlet keys by number: the records keep the number, where a key of its own per
    /// article was about 40 MB at 1M articles.
    outlets: IdMap<String, u32>,
    /// Per article id: its index in `docs`, hashed by [`id_hash`]. The table holds
    /// bare indices and compares ids in `docs`, where each is kept once: keyed by the
    /// ids themselves it held a second copy of each and was 32 bytes a slot, about 70
    /// MB at 1M articles, and an insert missed the cache where this one (8 MB) mostly
    /// finds it in L3.
    by_id: hashbrown::HashTable<u32>,
    stories: Vec<StoryState>,
    story_by_id: IdMap<StoryId, u32>,
    /// Per term (name): the stories listed under it, in the order they were listed.
    postings: Vec<Vec<u32>>,
    name_postings: Vec<Vec<u32>>,
    dups: NearDuplicateIndex<u32>,
    /// Per story: the story it was merged into (itself while it lives).
    alias: Vec<u32>,
    /// Per story: its publication range `(first, last)` as in [`StoryState`]
    /// (`NO_SPAN` while unknown), kept apart so that posting scans, which visit
    /// thousands of stories per article, read 16 bytes per story rather than a
    /// `StoryState` each (a cache miss apiece once there are many).
    spans: Vec<(i64, i64)>,
    /// Per story: it has members (kept with `spans`, for the same reason: ranking
    /// candidates checks it for every story a lookup reaches).
    has_members: Vec<bool>,
    /// Stories touched since the last pass.
    dirty: Vec<u32>,
    /// `(latest publication time, story)` of stories as passes found them touched:
    /// those to check for going quiet (one window) and dormant (two windows).
    quiet: VecDeque<(i64, u32)>,
    dormant: VecDeque<(i64, u32)>,
    since_pass: usize,
    /// Latest publication time seen.
    newest: Option<i64>,
    /// Articles before this one (in arrival order) had their signatures forgotten.
    dedup_horizon: usize,
    scratch: RefCell<Scratch>,
    /// Story cohesions computed in the current merge round (a story's cohesion only
    /// changes when it is merged, which drops its entry).
    cohesion_cache: RefCell<FastMap<u32, Option<f64>>>,
}

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new(ClusterConfig::default())
    }
}

impl Clusterer {
    pub fn new(config: ClusterConfig) -> Self {
        Clusterer {
            dups: NearDuplicateIndex::new(config.dup_rule),
            config,
            hasher: MinHasher::default(),
            lexicon: text::Lexicon::default(),
            term_df: Vec::new(),
            name_df: Vec::new(),
            term_ln_df: Vec::new(),
            name_ln_df: Vec::new(),
            ln_n: 1.0,
            n_docs: 0,
            flat_idf: false,
            embedding_dim: None,
            docs: Vec::new(),
            outlets: IdMap::default(),
            by_id: hashbrown::HashTable::new(),
            stories: Vec::new(),
            story_by_id: IdMap::default(),
            postings: Vec::new(),
            name_postings: Vec::new(),
            alias: Vec::new(),
            spans: Vec::new(),
            has_members: Vec::new(),
            dirty: Vec::new(),
            quiet: VecDeque::new(),
            dormant: VecDeque::new(),
            since_pass: 0,
            newest: None,
            dedup_horizon: 0,
            scratch: RefCell::default(),
            cohesion_cache: RefCell::default(),
        }
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Articles seen so far (added or restored).
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Index in `docs` of the article `id`.
    fn doc_index(&self, id: &ArticleId) -> Option<u32> {
        self.by_id
            .find(id_hash(id), |&i| self.docs[i as usize].id == *id)
            .copied()
    }

    /// The assignment of an article seen earlier (its `copy_of` as known now).
    pub fn assignment(&self, id: &ArticleId) -> Option<Assignment> {
        let d = &self.docs[self.doc_index(id)? as usize];
        Some(Assignment {
            story: self.stories[d.story as usize].id.clone(),
            new_story: d.new_story,
            copy_of: d.copy_of.as_deref().cloned(),
        })
    }

    /// Assigns `doc` to a story (deterministic for a given input order). Adding an
    /// article already seen changes nothing and returns its assignment.
    pub fn add(&mut self, doc: &AnalyzedArticle) -> Assignment {
        self.add_embedded(doc, None)
    }

    /// [`Clusterer::add`] with the article's sentence embedding (any length, the same
    /// for every article; it is normalised here), used as an extra similarity signal
    /// against the stories whose members have one too. A vector of another length than
    /// the first one given is ignored, as is a zero one.
    pub fn add_embedded(
        &mut self,
        doc: &AnalyzedArticle,
        embedding: Option<Vec<f32>>,
    ) -> Assignment {
        if let Some(a) = self.assignment(&doc.article.id) {
            return a;
        }
        let embedding = embedding
            .and_then(dense::unit)
            .filter(|v| *self.embedding_dim.get_or_insert(v.len()) == v.len());
        let a = self.add_new(doc, embedding);
        self.since_pass += 1;
        if self.config.pass_every > 0 && self.since_pass >= self.config.pass_every {
            self.pass();
        }
        a
    }

    fn add_new(&mut self, doc: &AnalyzedArticle, embedding: Option<Vec<f32>>) -> Assignment {
        let idx = self.docs.len() as u32;
        let sig = self.parse_and_sign(doc);
        let record = self.record(doc);

        // 1. A syndicated copy joins its original's story. The signature goes into the
        // duplicate index at once, while the buckets it was looked up in are at hand.
        let matches = self.dups.candidates_then_insert(idx, &sig);
        drop(sig);
        if let Some((orig, sim)) = self.find_original(matches) {
            let story = self.docs[orig as usize].story;
            let orig_id = self.docs[orig as usize].id.clone();
            let (assignment, features) = if self.precedes(&record, &self.docs[orig as usize]) {
                // The newcomer is the earlier publication: the one already stored is
                // the copy. The stored article's earlier assignment could not know.
                self.docs[orig as usize].copy_of = Some(Box::new((record.id.clone(), sim)));
                let mut features = self.weigh(doc);
                features.embedding = embedding;
                (None, features)
            } else {
                // A copy's features are not kept (copies add no weight and no
                // document frequency): only its time counts.
                let features = Features {
                    published: doc.article.published.map(|d| d.timestamp()),
                    ..Features::default()
                };
                (Some((orig_id, sim)), features)
            };
            let assignment = Assignment {
                story: self.stories[story as usize].id.clone(),
                new_story: false,
                copy_of: assignment,
            };
            self.insert(
                idx,
                record,
                features,
                story,
                false,
                assignment.copy_of.clone(),
            );
            return assignment;
        }

        // 2. The best-scoring candidate story, if it clears the threshold. Candidates
        // come best-retrieved first; ties keep the earlier one. A candidate whose score
        // cannot reach the threshold or beat the best so far (its upper bound, from the
        // cheap signals) is not scored in full: same result, a fraction of the work.
        let mut features = self.weigh(doc);
        features.embedding = embedding;
        let candidates = self.candidates(&features);
        let mut spread = std::mem::take(&mut self.scratch.get_mut().article);
        spread.load(&features);
        let best = self.best_story(&features, &spread, &candidates);
        spread.clear(&features);
        self.scratch.get_mut().article = spread;
        let (story, new_story) = match best {
            Some((s, _)) => (s, false),
            None => (self.new_story(StoryId::founded_by(&doc.article.id)), true),
        };
        let assignment = Assignment {
            story: self.stories[story as usize].id.clone(),
            new_story,
            copy_of: None,
        };
        self.insert(idx, record, features, story, new_story, None);
        assignment
    }

    /// Puts back an article whose assignment was stored earlier, without re-deciding
    /// it: the article joins `assignment.story` (created if needed) and feeds the
    /// document frequencies, indexes and duplicate index exactly as if `add` had
    /// placed it there, so later `add`s continue where the stored state left off.
    pub fn restore(&mut self, doc: &AnalyzedArticle, assignment: &Assignment) {
        if self.doc_index(&doc.article.id).is_some() {
            return;
        }
        let idx = self.docs.len() as u32;
        let (features, sig) = self.features_and_signature(doc);
        let record = self.record(doc);
        let story = match self.story_by_id.get(&assignment.story) {
            Some(&s) => s,
            None => self.new_story(assignment.story.clone()),
        };
        self.dups.insert(idx, sig);
        self.insert(
            idx,
            record,
            features,
            story,
            assignment.new_story,
            assignment.copy_of.clone(),
        );
    }

    /// The end-of-stream pass: runs the periodic merge pass once more so that stories
    /// found to be one since the last pass are merged, then once over every story still
    /// open (not yet quiet for a window). A fragment (a story of one or two reports)
    /// is looked at by the first pass after it is made, before the reports that came
    /// later were placed; at the end of the input, every story it could belong to is
    /// there, so it gets a second look, and every open story looks for merge partners
    /// again (by the plain centroid cosine, see `PassRules::SECOND_LOOK` in `pass.rs`).
    /// Last, the members that hardly link to the rest of their story are taken out and
    /// placed again by the same rule (most go back, some join the story that formed
    /// after them). These passes judge fragments with a smaller margin
    /// (`FRAGMENT_MARGIN_AT_END`). Finally, open stories of headlines whose words keep
    /// the same company are merged (`related.rs`). The scoring is in proportion to the
    /// open stories, not to all stories ever made. Calling it is optional.
    pub fn finish(&mut self) {
        self.pass_with(pass::PassRules::END);
        self.mark_open_dirty();
        self.pass_with(pass::PassRules::SECOND_LOOK);
        let mut peeled = Vec::new();
        for s in 0..self.stories.len() as u32 {
            if self.find(s) == s && !self.stories[s as usize].members.is_empty() {
                peeled.extend(self.peel_outliers(s));
            }
        }
        if !peeled.is_empty() {
            for s in peeled {
                self.touch(s);
            }
            self.pass_with(pass::PassRules::END);
        }
        self.merge_related();
    }

    /// Marks every story still open (not yet quiet for a window) as touched, for the
    /// next pass to look at, merge partners and all.
    fn mark_open_dirty(&mut self) {
        for s in 0..self.stories.len() as u32 {
            if !self.is_open(s) {
                continue;
            }
            self.stories[s as usize].merge_checked = 0;
            if !self.stories[s as usize].members.is_empty() {
                self.touch(s);
            }
        }
    }

    /// Story `s` is still open: not quiet for a window before the newest article (an
    /// undated stream's stories always are).
    pub(crate) fn is_open(&self, s: u32) -> bool {
        let window = self.config.window_days * 86_400;
        self.stories[s as usize]
            .gap(self.newest)
            .is_none_or(|g| g <= window)
    }

    /// Notes story `s` as touched since the last pass (once).
    pub(crate) fn touch(&mut self, s: u32) {
        let st = &mut self.stories[s as usize];
        if !st.dirty {
            st.dirty = true;
            self.dirty.push(s);
        }
    }

    /// One story by id (an id merged away resolves to the story it joined), built
    /// without touching the others: what an ingest batch needs to store what it changed.
    pub fn story_by_id(&self, id: &StoryId) -> Option<Story> {
        let s = &self.stories[*self.story_by_id.get(id)? as usize];
        (!s.members.is_empty()).then(|| self.story(s))
    }

    /// Number of stories so far (what `stories().len()` gives, without building them).
    pub fn story_count(&self) -> usize {
        self.stories
            .iter()
            .filter(|s| !s.members.is_empty())
            .count()
    }

    /// The stories so far, largest first, then by id.
    pub fn stories(&self) -> Vec<Story> {
        let mut out: Vec<Story> = self
            .stories
            .iter()
            .filter(|s| !s.members.is_empty())
            .map(|s| self.story(s))
            .collect();
        out.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    /// How `doc` scores against the story `story`, with the parts, using the current
    /// document frequencies. `None` when the story is unknown.
    pub fn explain(&mut self, doc: &AnalyzedArticle, story: &StoryId) -> Option<ScoreParts> {
        let s = *self.story_by_id.get(story)?;
        let f = self.features(doc);
        Some(self.score(&f, &self.stories[s as usize]))
    }

    fn story(&self, s: &StoryState) -> Story {
        let members: Vec<&DocRecord> = s.members.iter().map(|&i| &self.docs[i as usize]).collect();
        let mut syndicated = Vec::new();
        for &i in &s.members {
            let root = self.root(i);
            if root != i {
                syndicated.push((
                    self.docs[i as usize].id.clone(),
                    self.docs[root as usize].id.clone(),
                ));
            }
        }
        let first = members.iter().filter_map(|d| d.published).min();
        let last = members.iter().filter_map(|d| d.published).max();
        let titles: Vec<&str> = members.iter().map(|d| &*d.title).collect();
        Story {
            id: s.id.clone(),
            title: choose_title(&titles),
            articles: members.iter().map(|d| d.id.clone()).collect(),
            syndicated,
            first_published: first,
            last_published: last,
        }
    }

    fn new_story(&mut self, id: StoryId) -> u32 {
        let s = self.stories.len() as u32;
        self.story_by_id.insert(id.clone(), s);
        self.stories.push(StoryState::new(id));
        self.alias.push(s);
        self.spans.push(NO_SPAN);
        self.has_members.push(false);
        s
    }

    /// Copies story `s`'s publication range into `spans`, and whether it has members
    /// into `has_members` (after every change to it).
    pub(crate) fn sync_span(&mut self, s: u32) {
        let st = &self.stories[s as usize];
        self.has_members[s as usize] = !st.members.is_empty();
        self.spans[s as usize] = match (st.first, st.last) {
            (Some(f), Some(l)) => (f, l),
            _ => NO_SPAN,
        };
    }

    fn record(&mut self, doc: &AnalyzedArticle) -> DocRecord {
        let mut credited: Vec<u32> = doc
            .all_credits()
            .into_iter()
            .filter(|c| {
                matches!(
                    c.kind,
                    CreditKind::Wire | CreditKind::ContributedTo | CreditKind::FirstAppearedOn
                )
            })
            .map(|c| self.outlet(parallax_core::outlet_key(&c.outlet)))
            .collect();
        credited.sort_unstable();
        credited.dedup();
        DocRecord {
            id: doc.article.id.clone(),
            title: doc.article.title.as_str().into(),
            outlet: self.outlet(doc.article.outlet.key()),
            credited: credited.into_boxed_slice(),
            published: doc.article.published,
            story: 0,
            new_story: false,
            copy_of: None,
        }
    }

    /// The number of outlet key `key` in `outlets`.
    fn outlet(&mut self, key: String) -> u32 {
        if key.is_empty() {
            return NO_OUTLET;
        }
        let n = self.outlets.len() as u32;
        *self.outlets.entry(key).or_insert(n)
    }

    /// `a` is the original rather than `b`: published earlier; on a tie (or unknown
    /// times) the one from the wire outlet that the other credits; then arrival order
    /// (`b` is already stored, so it arrived first).
    fn precedes(&self, a: &DocRecord, b: &DocRecord) -> bool {
        if let (Some(ta), Some(tb)) = (a.published, b.published) {
            if ta != tb {
                return ta < tb;
            }
        }
        let b_credits_a = a.outlet != NO_OUTLET && b.credited.contains(&a.outlet);
        let a_credits_b = b.outlet != NO_OUTLET && a.credited.contains(&b.outlet);
        b_credits_a && !a_credits_b
    }

    /// The first publication a copy descends from: copies of copies all hang off it,
    /// including after a later-arriving original turned an earlier one into a copy.
    fn root(&self, mut i: u32) -> u32 {
        for _ in 0..8 {
            match self.docs[i as usize]
                .copy_of
                .as_deref()
                .and_then(|(orig, _)| self.doc_index(orig))
            {
                Some(o) if o != i => i = o,
                _ => break,
            }
        }
        i
    }

    /// The stored article that the new one copies (or is copied by), from its
    /// duplicate-index `matches`: the one that precedes the others, resolved to its own
    /// original.
    fn find_original(&self, matches: Vec<DupMatch<u32>>) -> Option<(u32, f64)> {
        let mut best: Option<(u32, f64)> = None;
        for m in matches {
            let i = self.root(m.key);
            let sim = m.resemblance.jaccard;
            best = match best {
                Some((b, bs)) => {
                    if b == i {
                        Some((b, bs.max(sim)))
                    } else if self.precedes(&self.docs[i as usize], &self.docs[b as usize]) {
                        Some((i, sim))
                    } else {
                        Some((b, bs))
                    }
                }
                None => Some((i, sim)),
            };
        }
        best
    }

    #[allow(clippy::too_many_arguments)]
    fn insert(
        &mut self,
        idx: u32,
        mut record: DocRecord,
        features: Features,
        story: u32,
        new_story: bool,
        copy_of: Option<(ArticleId, f64)>,
    ) {
        let is_copy = copy_of.is_some();
        record.story = story;
        record.new_story = new_story;
        record.copy_of = copy_of.map(Box::new);
        let hash = id_hash(&record.id);
        self.docs.push(record);
        let docs = &self.docs;
        self.by_id
            .insert_unique(hash, idx, |&i| id_hash(&docs[i as usize].id));

        if let Some(t) = features.published {
            self.newest = Some(self.newest.map_or(t, |n| n.max(t)));
        }
        let st = &mut self.stories[story as usize];
        st.members.push(idx);
        st.note_time(features.published);
        self.touch(story);
        self.sync_span(story);
        if is_copy {
            // Copies count once: they add no weight to the centroid and no document
            // frequency (a wire story in 200 papers must not make its own words common).
            return;
        }
        self.count(&features);
        let features = Arc::new(features);
        self.absorb(story, idx, features, false);
    }

    /// Adds a non-copy member's features to story `t`: its vectors, the postings, the
    /// recent members and the pass sample. `rebuild`: the member is being put back
    /// after a split (its doc already counted in `members` order).
    fn absorb(&mut self, t: u32, doc: u32, f: Feat, rebuild: bool) {
        let mut scratch = self.scratch.borrow_mut();
        let cap = self.config.centroid_terms;
        let recent_cap = self.config.recent_members.max(1);
        if rebuild {
            self.docs[doc as usize].story = t;
        }
        let st = &mut self.stories[t as usize];
        if rebuild {
            let pos = st.members.partition_point(|&x| x < doc);
            st.members.insert(pos, doc);
            st.note_time(f.published);
        }
        pass::add_vectors(st, &f, cap, &mut scratch.vec);
        if let Some(v) = &f.embedding {
            st.add_embedding(v);
        }
        drop(scratch);
        if rebuild {
            self.sync_span(t);
        }
        let st = &mut self.stories[t as usize];
        for &term in &f.query {
            if st.indexed.len() < MAX_INDEXED_PER_STORY
                && sparse::insert_sorted(&mut st.indexed, term)
            {
                post(&mut self.postings[term as usize], t);
            }
        }
        for &n in &f.query_names {
            if st.indexed_names.len() < MAX_INDEXED_PER_STORY
                && sparse::insert_sorted(&mut st.indexed_names, n)
            {
                post(&mut self.name_postings[n as usize], t);
            }
        }
        st.push_recent(f.clone(), recent_cap);
        if rebuild || st.sample.len() < pass::PASS_MEMBERS {
            st.sample.push((doc, f));
            if rebuild {
                st.complete = true;
            }
        } else {
            st.complete = false;
        }
    }

    /// The article's features and the MinHash signature of its body, from one scan of
    /// its text.
    fn features_and_signature(&mut self, doc: &AnalyzedArticle) -> (Features, Signature) {
        let sig = self.parse_and_sign(doc);
        (self.weigh(doc), sig)
    }

    /// The MinHash signature of the article's body, its text parsed into the scratch
    /// buffers on the way, for [`Self::weigh`] to build its features from (a syndicated
    /// copy, whose features are not kept, needs only the signature).
    fn parse_and_sign(&mut self, doc: &AnalyzedArticle) -> Signature {
        self.parse(doc);
        let mut scratch = self.scratch.take();
        self.hasher.shingles_of_words(
            &scratch.parsed.shingle_words,
            &mut scratch.shingles_seen,
            &mut scratch.shingles,
        );
        let sig = self.hasher.sign_shingles(&scratch.shingles);
        self.scratch.replace(scratch);
        sig
    }

    fn features(&mut self, doc: &AnalyzedArticle) -> Features {
        self.parse(doc);
        self.weigh(doc)
    }

    /// Reads the article's text into the scratch buffers (new word forms get their
    /// ids here).
    fn parse(&mut self, doc: &AnalyzedArticle) {
        let scratch = self.scratch.get_mut();
        text::parse(
            doc,
            &mut self.lexicon,
            &mut scratch.text,
            &mut scratch.parsed,
        );
        let (nt, nn) = (self.lexicon.term_count(), self.lexicon.name_count());
        if self.term_df.len() < nt {
            self.term_df.resize(nt, 0);
            self.term_ln_df.resize(nt, 0.0);
            self.postings.resize_with(nt, Vec::new);
        }
        if self.name_df.len() < nn {
            self.name_df.resize(nn, 0);
            self.name_ln_df.resize(nn, 0.0);
            self.name_postings.resize_with(nn, Vec::new);
        }
    }

    /// The features of the article last parsed ([`Self::parse`]).
    fn weigh(&mut self, doc: &AnalyzedArticle) -> Features {
        let nt = self.lexicon.term_count();
        let mut scratch = self.scratch.take();
        let Scratch {
            parsed,
            ids,
            tf,
            vec,
            ..
        } = &mut scratch;
        // Term frequencies: counted per id in a table (the distinct ids noted as they
        // first appear), then the distinct ids sorted: fewer to sort than one per
        // occurrence.
        if tf.len() < nt {
            tf.resize(nt, 0);
        }
        ids.clear();
        for &t in &parsed.body_terms {
            let c = &mut tf[t as usize];
            if *c == 0 {
                ids.push(t);
            }
            *c += 1;
        }
        ids.sort_unstable();
        let mut terms: Vec<(u32, f32)> = Vec::with_capacity(ids.len() + 8);
        let ln = ln_table_f32();
        for &t in ids.iter() {
            let n = std::mem::take(&mut tf[t as usize]);
            // Sublinear tf: the tenth "train" says little more than the third.
            let ln_n = match ln.get(n as usize) {
                Some(&x) => x,
                None => (n as f32).ln(),
            };
            terms.push((t, 1.0 + ln_n));
        }
        let mut title: Vec<u32> = parsed.title_terms.clone();
        title.sort_unstable();
        title.dedup();
        if !title.is_empty() {
            let boost: Vec<(u32, f32)> = title.iter().map(|&t| (t, TITLE_BOOST)).collect();
            sparse::add_scaled(&mut terms, &boost, 1.0, vec);
        }
        let mut names: Vec<(u32, f32)> = parsed
            .names
            .iter()
            .map(|&(id, w)| (id, 1.0 + w.ln()))
            .collect();
        // Weights are fixed here, with the document frequencies as they stand when the
        // article arrives (as in TDT-style streaming clusterers): every later comparison
        // is then a plain dot product of unit vectors, with no idf to look up and no
        // norm to recompute, which is what keeps the cost per candidate low.
        for (t, w) in &mut terms {
            *w *= self.term_idf(*t) as f32;
        }
        sparse::normalise(&mut terms);
        for (n, w) in &mut names {
            *w *= self.name_idf(*n) as f32;
        }
        sparse::normalise(&mut names);
        let years = parsed.years.clone();
        let figures = parsed.figures.iter().map(|&t| (t, 1.0)).collect();
        let k = self.config.query_terms;
        let query = sparse::top_ids(&terms, k);
        let query_names = sparse::top_ids(&names, k);
        self.scratch.replace(scratch);
        Features {
            terms,
            title,
            names,
            years,
            figures,
            published: doc.article.published.map(|d| d.timestamp()),
            query,
            query_names,
            embedding: None,
        }
    }

    /// Counts an article in the document frequencies.
    fn count(&mut self, f: &Features) {
        let ln = ln_table();
        let ln_df = |df: u32| match ln.get(df as usize) {
            Some(&x) => x,
            None => (df as f64 + 1.0).ln(),
        };
        for &(t, _) in &f.terms {
            let t = t as usize;
            self.term_df[t] += 1;
            self.term_ln_df[t] = ln_df(self.term_df[t]);
        }
        for &(n, _) in &f.names {
            let n = n as usize;
            self.name_df[n] += 1;
            self.name_ln_df[n] = ln_df(self.name_df[n]);
        }
        self.n_docs += 1;
        self.ln_n = (self.n_docs as f64 + 1.0).ln() + 1.0;
    }

    /// Smoothed idf: `ln((N + 1) / (df + 1)) + 1`.
    fn term_idf(&self, t: u32) -> f64 {
        if self.flat_idf {
            return 1.0;
        }
        self.ln_n - self.term_ln_df.get(t as usize).copied().unwrap_or(0.0)
    }

    fn name_idf(&self, n: u32) -> f64 {
        if self.flat_idf {
            return 1.0;
        }
        self.ln_n - self.name_ln_df.get(n as usize).copied().unwrap_or(0.0)
    }

    /// Too common to retrieve with: in more than a fifth of the articles (once there
    /// are enough to tell).
    fn too_common(&self, df: u32) -> bool {
        self.n_docs > 50 && df as f64 > 0.2 * self.n_docs as f64
    }

    /// Candidate stories for `f`: those sharing salient terms or names, within the time
    /// window, ranked by the idf mass they share.
    fn candidates(&self, f: &Features) -> Vec<u32> {
        self.candidates_up_to(f, self.config.max_candidates)
    }

    /// [`Self::candidates`], the best `k` of them: the first `k` of the longer list
    /// (the ranking is a strict order), found with a higher cut-off as the list grows.
    fn candidates_up_to(&self, f: &Features, k: usize) -> Vec<u32> {
        let window = self.config.window_days * 86_400;
        let mut guard = self.scratch.borrow_mut();
        let Scratch {
            acc,
            touched,
            ranked,
            ..
        } = &mut *guard;
        if acc.len() < self.stories.len() {
            acc.resize(self.stories.len(), 0.0);
        }
        let mut budget = MAX_ENTRIES_PER_ARTICLE;
        // Every story the scan reaches is noted once in `touched`, written at `n` and
        // kept by moving `n` on when it is new: no branch on whether it was seen (which
        // the processor cannot predict), and the buffer never grows (a story per entry
        // at most, and at most `MAX_ENTRIES_PER_ARTICLE` entries).
        if touched.len() < MAX_ENTRIES_PER_ARTICLE {
            touched.resize(MAX_ENTRIES_PER_ARTICLE, 0);
        }
        let mut n = 0usize;
        let mut visit = |list: &[u32], df: u32, w: f64| {
            if self.too_common(df) {
                return;
            }
            // Every idf is at least 1, so a story's sum is positive once counted: 0 is
            // "not seen yet". Stories outside the window are summed like the others and
            // dropped when the sums are ranked (each one's sum is the same either way):
            // checking each at its first posting cost a branch per entry that the
            // processor mispredicts about as often as it gets it right.
            debug_assert!(w > 0.0);
            for &s in list.iter().rev().take(budget) {
                budget -= 1;
                // Entries are appended in arrival order: once one belongs to a story
                // quiet for two windows, the rest are older still. Stopping there keeps
                // the scan proportional to the recent stream, not to the index (a story
                // active all along is found through the terms it indexed recently).
                debug_assert_eq!(
                    span_gap(self.spans[s as usize], Some(0)),
                    self.stories[s as usize].gap(Some(0))
                );
                if let Some(t) = f.published {
                    let l = self.spans[s as usize].1;
                    if l != NO_SPAN.1 && t - l > 2 * window {
                        break;
                    }
                }
                let s = self.find(s);
                let a = &mut acc[s as usize];
                touched[n] = s;
                n += usize::from(*a == 0.0);
                *a += w;
            }
        };
        // The lists are gathered first and the newest entry of each read at once: the
        // lists of salient (rare) words are short and seldom read, so each one's first
        // read misses the cache; issued together, those misses overlap rather than
        // wait one after another as the scan reaches each list.
        let mut lists: Vec<(&[u32], u32, f64)> = f
            .query
            .iter()
            .map(|&t| {
                (
                    self.postings[t as usize].as_slice(),
                    self.term_df[t as usize],
                    self.term_idf(t),
                )
            })
            .chain(f.query_names.iter().map(|&n| {
                (
                    self.name_postings[n as usize].as_slice(),
                    self.name_df[n as usize],
                    self.name_idf(n),
                )
            }))
            .collect();
        // Rarest first, for the budget to go to the terms that tell events apart.
        // Stable, so equal weights keep the query's order.
        lists.sort_by(|a, b| b.2.total_cmp(&a.2));
        std::hint::black_box(
            lists
                .iter()
                .fold(0u32, |x, (l, _, _)| x ^ l.last().copied().unwrap_or(0)),
        );
        for &(list, df, w) in &lists {
            visit(list, df, w);
        }
        // Ranked by the shared idf mass, then by id: each story becomes one integer that
        // sorts that way (a positive f64's bits order as the number does), so selecting
        // the best compares integers rather than a float and then an id.
        // Whenever the list grows long, it is cut to its best `k`: a story whose sum is
        // below the `k`-th of those has `k` better ones and is not looked at further.
        let mut floor = 0.0f64;
        ranked.clear();
        for &s in &touched[..n] {
            let a = std::mem::take(&mut acc[s as usize]);
            debug_assert_eq!(
                self.has_members[s as usize],
                !self.stories[s as usize].members.is_empty()
            );
            if a < floor
                || !self.has_members[s as usize]
                || span_gap(self.spans[s as usize], f.published).is_some_and(|g| g > window)
            {
                continue;
            }
            ranked.push((((u64::MAX - a.to_bits()) as u128) << 32) | s as u128);
            if k > 0 && ranked.len() >= 4 * k.max(16) {
                ranked.select_nth_unstable(k - 1);
                ranked.truncate(k);
                floor = f64::from_bits(u64::MAX - (ranked[k - 1] >> 32) as u64);
            }
        }
        if ranked.len() > k && k > 0 {
            ranked.select_nth_unstable(k - 1);
        }
        ranked.truncate(k);
        ranked.sort_unstable();
        ranked.iter().map(|&x| x as u32).collect()
    }

    /// Cosine of two sorted unit vectors.
    fn cosine(&self, a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
        sparse::dot(a, b).clamp(0.0, 1.0)
    }

    /// idf-weighted Dice overlap of two sorted title-term lists.
    fn title_overlap(&self, a: &[u32], b: &[u32]) -> f64 {
        self.title_overlap_weighted(a, self.title_weight(a), b)
    }

    /// Total idf of a title's terms.
    fn title_weight(&self, a: &[u32]) -> f64 {
        a.iter().map(|&t| self.term_idf(t)).sum()
    }

    /// [`Self::title_overlap`] with `a`'s total idf given. Most headlines a candidate's
    /// members carry share no word with the article's: those are 0 without reading
    /// the idf of each of their words for `b`'s total.
    fn title_overlap_weighted(&self, a: &[u32], sa: f64, b: &[u32]) -> f64 {
        let common = self.title_common(a, b);
        if common == 0.0 {
            return 0.0;
        }
        self.title_dice(common, sa, self.title_weight(b))
    }

    /// [`Self::title_overlap`] with both total idfs given.
    fn title_overlap_both(&self, a: &[u32], sa: f64, b: &[u32], sb: f64) -> f64 {
        self.title_dice(self.title_common(a, b), sa, sb)
    }

    /// Total idf of the terms two sorted title-term lists share.
    fn title_common(&self, a: &[u32], b: &[u32]) -> f64 {
        let (mut i, mut j, mut common) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += self.term_idf(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        common
    }

    /// The Dice overlap from the shared idf and the two totals.
    fn title_dice(&self, common: f64, sa: f64, sb: f64) -> f64 {
        if sa == 0.0 || sb == 0.0 {
            return 0.0;
        }
        2.0 * common / (sa + sb)
    }

    fn score(&self, f: &Features, s: &StoryState) -> ScoreParts {
        let mut spread = Spread::default();
        spread.load(f);
        self.partial_score(f, &spread, s)
            .complete(self, f, &spread, s)
    }

    /// The candidate with the highest score at or above the threshold (times the size
    /// prior; ties: the one retrieved first), with its score.
    ///
    /// Every candidate first gets the cheap part of its score (names, years, time,
    /// centroid) and from it an upper bound (best member and headline at their maximum
    /// of 1). Candidates are then completed in order of that bound, and the search
    /// stops when no bound left can beat the best score found: the same answer as
    /// scoring all of them, with the costly member comparisons run for one or two.
    fn best_story(&self, f: &Features, spread: &Spread, candidates: &[u32]) -> Option<(u32, f64)> {
        self.best_story_at(f, spread, candidates, self.config.threshold)
    }

    /// [`Self::best_story`] with the score floor given.
    fn best_story_at(
        &self,
        f: &Features,
        spread: &Spread,
        candidates: &[u32],
        threshold: f64,
    ) -> Option<(u32, f64)> {
        // Every article runs this search, so its memo is a reused buffer.
        let mut memo = std::mem::take(&mut self.scratch.borrow_mut().memo);
        memo.clear();
        memo.resize(candidates.len(), Memo::default());
        let best = self.best_story_memo(f, spread, candidates, threshold, &mut memo, None);
        self.scratch.borrow_mut().memo = memo;
        best.map(|(rank, total)| (candidates[rank], total))
    }

    /// [`Self::best_story_at`] returning the winner's rank, with the signals of each
    /// candidate (by rank) kept in `memo` and taken from it when there: the searches
    /// that re-place a fragment's member (at the threshold, at a lower floor, for the
    /// runner-up) score the same candidates for the same article, so each signal is
    /// worked out once (the same values, so the same answers). `skip`: a rank left
    /// out (the others keep their ranks, so ties break as over the shorter list).
    fn best_story_memo(
        &self,
        f: &Features,
        spread: &Spread,
        candidates: &[u32],
        threshold: f64,
        memo: &mut [Memo],
        skip: Option<usize>,
    ) -> Option<(usize, f64)> {
        // A story's size as a prior, weighing in as the text carries less evidence:
        // between stories that a headline matches about equally, the large one is the
        // likelier (the Dirichlet-multinomial view of short-text clustering, where the
        // prior is fixed and the likelihood grows with the text's length). A full
        // article is judged on its words alone.
        let exponent = SIZE_PRIOR * (1.0 - evidence(f));
        let prior = |s: u32| -> f64 {
            if exponent == 0.0 {
                1.0
            } else {
                (self.stories[s as usize].members.len() as f64).powf(exponent)
            }
        };
        // The article's headline weight, the same for every candidate.
        let title_weight = self.title_weight(&f.title);
        // Each candidate's state and vectors are read at once first: they are apart in
        // memory, and the cache misses overlap rather than come one candidate at a time.
        std::hint::black_box(candidates.iter().fold(0.0f32, |x, &s| {
            let st = &self.stories[s as usize];
            let first = |v: &[(u32, f32)]| v.first().map_or(0.0, |e| e.1);
            x + first(&st.names) + first(&st.figures) + st.years.first().map_or(0.0, |e| e.1)
        }));
        // The first bound takes the centroid at its maximum too: the centroid cosine (a
        // pass over up to `centroid_terms` entries) is computed only for the candidates
        // that can still win when their turn comes.
        let mut partial: Vec<(f64, usize)> = candidates
            .iter()
            .enumerate()
            .filter(|&(rank, _)| skip != Some(rank))
            .filter_map(|(rank, &s)| {
                let (_, bound) = *memo[rank].cheap.get_or_insert_with(|| {
                    let p = self.cheap_partial(f, &spread.names, &self.stories[s as usize]);
                    (p, p.bound(self))
                });
                (bound >= threshold).then_some((bound * prior(s), rank))
            })
            .collect();
        partial.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(f64, usize, f64)> = None;
        for (bound, rank) in partial {
            if let Some((b, brank, _)) = best {
                if bound < b || (bound == b && rank > brank) {
                    break;
                }
            }
            let s = &self.stories[candidates[rank] as usize];
            let prior_s = prior(candidates[rank]);
            // A bound that cannot clear the threshold or beat the best so far.
            let hopeless = |bound: f64, best: Option<(f64, usize, f64)>| {
                bound < threshold
                    || best.is_some_and(|(b, brank, _)| {
                        let key = bound * prior_s;
                        key < b || (key == b && rank > brank)
                    })
            };
            let m = &mut memo[rank];
            let mut p = m.cheap.expect("worked out above").0;
            if m.centroid.is_none() {
                // The members the headline and body comparisons will read are apart in
                // memory: their first reads are issued now, to overlap with the
                // centroid's cosine (and each other) rather than come one by one.
                std::hint::black_box(p.reached(s).fold(0.0f32, |x, m| {
                    x + m.terms.first().map_or(0.0, |e| e.1) + m.title.len() as f32
                }));
            }
            p.centroid = *m
                .centroid
                .get_or_insert_with(|| self.centroid_cosine(&spread.terms, s));
            if hopeless(p.bound(self), best) {
                continue;
            }
            // The headline overlap first (a merge of two short lists), then the bound
            // with the best member at 1: a candidate that cannot clear the threshold or
            // beat the best so far even then is not compared member by member (the
            // costly part). The score only grows with each signal, so this skips
            // exactly the candidates the full score would have rejected.
            let title = *m
                .title
                .get_or_insert_with(|| p.title(self, f, title_weight, s));
            if hopeless(self.combine(p.signals(1.0, title)).total, best) {
                continue;
            }
            let member = *m.member.get_or_insert_with(|| p.member(&spread.terms, s));
            let total = self.combine(p.signals(member, title)).total;
            if total < threshold {
                continue;
            }
            let key = total * prior_s;
            let better = match best {
                None => true,
                Some((b, brank, _)) => key > b || (key == b && rank < brank),
            };
            if better {
                best = Some((key, rank, total));
            }
        }
        best.map(|(_, rank, total)| (rank, total))
    }

    /// The cheap part of the score of `f` (its terms loaded in `dense`) against story
    /// `s`.
    fn partial_score(&self, f: &Features, spread: &Spread, s: &StoryState) -> Partial {
        let mut p = self.cheap_partial(f, &spread.names, s);
        p.centroid = self.centroid_cosine(&spread.terms, s);
        p
    }

    /// Centroid cosine of story `s` with the article whose terms are loaded in `dense`.
    fn centroid_cosine(&self, dense: &sparse::Dense, s: &StoryState) -> f64 {
        if s.centroid_norm > 0.0 {
            (dense.dot(&s.centroid) / s.centroid_norm as f64).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// [`Self::partial_score`] with the centroid cosine at its maximum of 1 (an upper
    /// bound on every score, like the member and headline ones). `names`: `f`'s names
    /// spread out (the name cosine is then one pass over the story's names, with the
    /// same sum as a merge of the two).
    fn cheap_partial(&self, f: &Features, names: &sparse::Dense, s: &StoryState) -> Partial {
        let names = if f.names.is_empty() || s.names.is_empty() {
            None
        } else if s.names_norm <= 0.0 {
            Some(0.0)
        } else {
            Some((names.dot(&s.names) / s.names_norm as f64).clamp(0.0, 1.0))
        };
        let reach = if evidence(f) < 1.0 {
            self.config.recent_members
        } else {
            RECENT_FOR_ARTICLES
        };
        Partial {
            reach,
            dense: self.dense_story(f, s, reach),
            centroid: 1.0,
            names,
            has_title: !f.title.is_empty() && s.recent_titled > 0,
            gate_names: f.names.len() >= MIN_NAMES_TO_GATE && s.names.len() >= MIN_NAMES_TO_GATE,
            years: year_cosine(&f.years, &s.years),
            figures: figure_cosine_normed(&f.figures, &s.figures, s.figures_norm),
            gap: s.gap(f.published),
        }
    }

    /// Rescaled embedding similarity of `f` with story `s` (the mean of the cosine with
    /// its centroid and with the best of its `reach` latest members that have a
    /// vector); `None` unless both have embeddings.
    fn dense_story(&self, f: &Features, s: &StoryState, reach: usize) -> Option<f64> {
        let v = f.embedding.as_deref()?;
        if s.embedding_norm <= 0.0 {
            return None;
        }
        let centroid = dense::dot(v, &s.embedding) / s.embedding_norm as f64;
        let k = s.recent.len() - s.recent.len().min(reach);
        let member = s
            .recent
            .range(k..)
            .filter_map(|m| m.embedding.as_deref().map(|e| dense::dot(v, e)))
            .fold(f64::MIN, f64::max);
        let cos = if member > f64::MIN {
            0.5 * centroid + 0.5 * member
        } else {
            centroid
        };
        Some(dense::rescale(cos, self.config.embedding_floor))
    }

    /// The score of two single articles: what [`Self::score`] gives for one article
    /// against a story holding only the other, computed without building that story
    /// (the periodic pass scores thousands of pairs).
    fn pair_score(&self, fa: &Features, fb: &Features) -> f64 {
        self.pair_score_with(fa, None, None, fb)
    }

    /// [`Self::pair_score`] with `fa`'s terms and names spread out in `spread` when
    /// given, and the headlines' total idfs ([`Self::title_weight`]) when given.
    fn pair_score_with(
        &self,
        fa: &Features,
        spread: Option<&Spread>,
        title_weights: Option<(f64, f64)>,
        fb: &Features,
    ) -> f64 {
        let body = match spread {
            Some(d) => d.terms.dot(&fb.terms).clamp(0.0, 1.0),
            None => self.cosine(&fa.terms, &fb.terms),
        };
        let title = (!fa.title.is_empty() && !fb.title.is_empty()).then(|| match title_weights {
            Some((sa, sb)) => self.title_overlap_both(&fa.title, sa, &fb.title, sb),
            None => self.title_overlap(&fa.title, &fb.title),
        });
        let names = (!fa.names.is_empty() && !fb.names.is_empty()).then(|| match spread {
            Some(d) => d.names.dot(&fb.names).clamp(0.0, 1.0),
            None => self.cosine(&fa.names, &fb.names),
        });
        let gap = match (fa.published, fb.published) {
            (Some(x), Some(y)) => Some((x - y).abs()),
            _ => None,
        };
        let dense = match (&fa.embedding, &fb.embedding) {
            (Some(a), Some(b)) => Some(dense::rescale(
                dense::dot(a, b),
                self.config.embedding_floor,
            )),
            _ => None,
        };
        self.combine(Signals {
            body,
            dense,
            title,
            names,
            gate_names: fa.names.len() >= MIN_NAMES_TO_GATE && fb.names.len() >= MIN_NAMES_TO_GATE,
            gap,
            years: year_cosine(&fa.years, &fb.years),
            figures: figure_cosine(&fa.figures, &fb.figures),
        })
        .total
    }

    fn combine(&self, x: Signals) -> ScoreParts {
        let time = match x.gap {
            // Within a day: no penalty; then down to 0.7 at the window's edge.
            Some(g) if g > 86_400 => {
                let w = (self.config.window_days.max(1) * 86_400) as f64;
                1.0 - 0.3 * (g as f64 / w).min(1.0)
            }
            _ => 1.0,
        };
        // The sentence embeddings, when both sides have one, share the body's weight.
        let body = match x.dense {
            Some(d) => {
                let w = self.config.embedding_weight;
                (1.0 - w) * x.body + w * d
            }
            None => x.body,
        };
        // Weighted mean over the signals present.
        let mut num = 0.5 * body;
        let mut den = 0.5;
        if let Some(t) = x.title {
            num += 0.15 * t;
            den += 0.15;
        }
        if let Some(n) = x.names {
            num += 0.35 * n;
            den += 0.35;
        }
        // Names as a gate, not only a term: two reports of one event name the same
        // people and places; look-alike events share the vocabulary of the event kind
        // ("derailed", "wagons", "investigator") but not who and where. When both sides
        // name enough to judge, a low name overlap scales the score down (to half at
        // no overlap); the text signals alone cannot tell these apart.
        let name_gate = gate(x.names.filter(|_| x.gate_names), 0.5, NAME_GATE_FULL);
        // Years as a second gate: look-alike events of one kind are often years apart
        // (two Oscar ceremonies, two earthquakes in one region), and reports of an
        // event date it ("on June 13, 2013") or recall the same background years.
        let year_gate = gate(x.years, YEAR_GATE_FLOOR, YEAR_GATE_FULL);
        // Figures as a third gate: look-alike events of one kind differ in how many
        // died, how strong the quake was, how much was offered; reports of one event
        // repeat those numbers. Only when both sides give enough of them.
        let figure_gate = gate(x.figures, FIGURE_GATE_FLOOR, FIGURE_GATE_FULL);
        ScoreParts {
            body: x.body,
            title: x.title.unwrap_or(0.0),
            names: x.names,
            time,
            dense: x.dense,
            total: (num / den) * name_gate * year_gate * figure_gate * time,
        }
    }

    /// The pairwise score the periodic pass links members with (`fa` spread out in
    /// `spread`; `sa`, `sb` the headlines' [`Self::title_weight`]s, which the pass
    /// works out once per member rather than once per pair).
    fn pair_link(&self, fa: &Features, sa: f64, spread: &Spread, fb: &Features, sb: f64) -> f64 {
        self.pair_score_with(fa, Some(spread), Some((sa, sb)), fb)
    }

    /// [`Self::title_weight`] of each member's headline.
    fn title_weights(&self, members: &[(u32, Feat)]) -> Vec<f64> {
        members
            .iter()
            .map(|(_, f)| self.title_weight(&f.title))
            .collect()
    }
}

/// A member's terms and names spread out over dense arrays ([`sparse::Dense`]), for
/// the pass, which scores each member against many others: the name cosine becomes a
/// pass over the other's names, not a merge of two lists whose branches the processor
/// cannot predict (the same sums, see [`sparse::Dense::dot`]).
#[derive(Debug, Clone, Default)]
struct Spread {
    terms: sparse::Dense,
    names: sparse::Dense,
}

impl Spread {
    fn load(&mut self, f: &Features) {
        self.terms.load(&f.terms);
        self.names.load(&f.names);
    }

    fn clear(&mut self, f: &Features) {
        self.terms.clear(&f.terms);
        self.names.clear(&f.names);
    }
}

/// What [`Clusterer::best_story_memo`] worked out for one candidate: the cheap
/// signals with their bound, then the centroid cosine, the headline overlap and the
/// best member's cosine as each is needed.
#[derive(Debug, Clone, Copy, Default)]
struct Memo {
    cheap: Option<(Partial, f64)>,
    centroid: Option<f64>,
    title: Option<f64>,
    member: Option<f64>,
}

/// The signals of a story score that are cheap to compute.
#[derive(Debug, Clone, Copy)]
struct Partial {
    /// Recent members compared (the latest ones).
    reach: usize,
    /// Rescaled embedding similarity (fixed per story, like the centroid).
    dense: Option<f64>,
    centroid: f64,
    names: Option<f64>,
    has_title: bool,
    gate_names: bool,
    years: Option<f64>,
    figures: Option<f64>,
    gap: Option<i64>,
}

impl Partial {
    fn signals(&self, member: f64, title: f64) -> Signals {
        Signals {
            // The centroid keeps a story on its topic; the best member lets an article
            // that follows one thread of a broad story still join it.
            body: 0.5 * self.centroid + 0.5 * member,
            dense: self.dense,
            title: self.has_title.then_some(title),
            names: self.names,
            gate_names: self.gate_names,
            gap: self.gap,
            years: self.years,
            figures: self.figures,
        }
    }

    /// The score with the best member and the headline at their maximum: no
    /// completion can exceed it (the combination only grows with each signal).
    fn bound(&self, c: &Clusterer) -> f64 {
        c.combine(self.signals(1.0, 1.0)).total
    }

    /// The full score: best recent member and best headline overlap added.
    fn complete(&self, c: &Clusterer, f: &Features, spread: &Spread, s: &StoryState) -> ScoreParts {
        let title = self.title(c, f, c.title_weight(&f.title), s);
        c.combine(self.signals(self.member(&spread.terms, s), title))
    }

    /// The recent members compared: an article finds its match among a story's latest
    /// few members; a headline shares words with fewer of them, so it looks further
    /// back.
    fn reached<'a>(&self, s: &'a StoryState) -> std::collections::vec_deque::Iter<'a, Feat> {
        let k = s.recent.len() - s.recent.len().min(self.reach);
        s.recent.range(k..)
    }

    /// Body cosine with the best of the recent members (`f`'s terms in `dense`).
    fn member(&self, dense: &sparse::Dense, s: &StoryState) -> f64 {
        self.reached(s)
            .map(|m| dense.dot(&m.terms).clamp(0.0, 1.0))
            .fold(0.0, f64::max)
    }

    /// Best headline overlap with the recent members (0 without headlines); `sa` is
    /// [`Clusterer::title_weight`] of `f`'s headline.
    fn title(&self, c: &Clusterer, f: &Features, sa: f64, s: &StoryState) -> f64 {
        if self.has_title {
            self.reached(s)
                .map(|m| c.title_overlap_weighted(&f.title, sa, &m.title))
                .fold(0.0, f64::max)
        } else {
            0.0
        }
    }
}

/// `ln(df + 1)` for the document frequencies below its length: the same values
/// `f64::ln` gives, looked up rather than computed for every term of every article.
fn ln_table() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..4096u32).map(|d| (d as f64 + 1.0).ln()).collect())
}

/// `ln(n)` as `f32::ln` gives it, for the term counts below its length.
fn ln_table_f32() -> &'static [f32] {
    static TABLE: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| (0..256u32).map(|n| (n as f32).ln()).collect())
}

/// `Clusterer::spans` entry of a story with no dated member.
const NO_SPAN: (i64, i64) = (i64::MAX, i64::MIN);

/// [`StoryState::gap`] from a `Clusterer::spans` entry.
fn span_gap((f, l): (i64, i64), t: Option<i64>) -> Option<i64> {
    let t = t?;
    if (f, l) == NO_SPAN {
        return None;
    }
    Some(if t < f {
        f - t
    } else if t > l {
        t - l
    } else {
        0
    })
}

/// `DocRecord::outlet` of an article whose outlet has an empty key.
const NO_OUTLET: u32 = u32::MAX;

/// Hash of an article id for `Clusterer::by_id`.
fn id_hash(id: &ArticleId) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<hash::IdHasher>::default().hash_one(id)
}

/// Appends story `s` to a posting list. Lookups read only the newest
/// [`POSTINGS_KEPT_PER_TERM`] entries, so older ones are dropped (a half at a time, so the
/// cost per entry stays constant): memory per term is bounded on an endless stream.
fn post(list: &mut Vec<u32>, s: u32) {
    list.push(s);
    if list.len() >= 2 * POSTINGS_KEPT_PER_TERM {
        list.drain(..list.len() - POSTINGS_KEPT_PER_TERM);
    }
}

/// Recent members an article is compared with (a text with less than a full article's
/// evidence, with all [`ClusterConfig::recent_members`]).
const RECENT_FOR_ARTICLES: usize = 8;

/// Exponent of the story-size prior for a text with no evidence (see `best_story`).
const SIZE_PRIOR: f64 = 0.15;
/// Distinct terms from which a text counts as a full article (see [`evidence`]).
const FULL_EVIDENCE_TERMS: f64 = 20.0;

/// How much lexical evidence an article's text carries, 0..1: 1 for an article (20
/// distinct content terms or more), about 0.3 for a bare headline. Two headlines of
/// one story share one or two words, so their scores are lower and noisier than two
/// articles' are; the pass's thresholds and the size prior scale with this.
pub(crate) fn evidence(f: &Features) -> f64 {
    (f.terms.len() as f64 / FULL_EVIDENCE_TERMS).min(1.0)
}

/// The raw signals of a score, before they are combined.
struct Signals {
    body: f64,
    /// Rescaled embedding similarity; `None` unless both sides have a vector.
    dense: Option<f64>,
    /// `None` when either side has no headline.
    title: Option<f64>,
    names: Option<f64>,
    /// Both sides name enough for the name gate to judge.
    gate_names: bool,
    gap: Option<i64>,
    years: Option<f64>,
    figures: Option<f64>,
}

/// A score multiplier from an overlap (a cosine): `floor` at none, rising to 1 at
/// `full`; 1 when there is nothing to judge by (`None`).
fn gate(overlap: Option<f64>, floor: f64, full: f64) -> f64 {
    overlap.map_or(1.0, |c| floor + (1.0 - floor) * (c / full).min(1.0))
}

/// Figures each side needs before figure overlap can gate a score: a handful of
/// numbers in common (the toll, the magnitude, the sum, the score) is what reports of
/// one event share; with fewer than five, a miss says little.
const MIN_FIGURES_TO_GATE: usize = 5;
/// Score multiplier when two texts' figures have nothing in common.
const FIGURE_GATE_FLOOR: f64 = 0.5;
/// Figure cosine at which the figure gate is fully open.
const FIGURE_GATE_FULL: f64 = 0.2;

/// Cosine of two sorted figure vectors; `None` unless both give enough figures.
fn figure_cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> Option<f64> {
    if a.len() < MIN_FIGURES_TO_GATE || b.len() < MIN_FIGURES_TO_GATE {
        return None;
    }
    figure_cosine_normed(a, b, figure_norm(b))
}

/// Euclidean norm of a figure vector, summed in f64 (what [`figure_cosine`] divides by).
pub(crate) fn figure_norm(v: &[(u32, f32)]) -> f64 {
    v.iter().map(|(_, w)| (w * w) as f64).sum::<f64>().sqrt()
}

/// [`figure_cosine`] with `b`'s [`figure_norm`] given (a story keeps its own).
fn figure_cosine_normed(a: &[(u32, f32)], b: &[(u32, f32)], b_norm: f64) -> Option<f64> {
    if a.len() < MIN_FIGURES_TO_GATE || b.len() < MIN_FIGURES_TO_GATE {
        return None;
    }
    debug_assert_eq!(b_norm.to_bits(), figure_norm(b).to_bits());
    Some((sparse::dot(a, b) / (figure_norm(a) * b_norm).max(1e-12)).clamp(0.0, 1.0))
}

/// Score multiplier when two texts' years have nothing in common.
const YEAR_GATE_FLOOR: f64 = 0.55;
/// Year cosine at which the year gate is fully open.
const YEAR_GATE_FULL: f64 = 0.5;

/// Cosine of two sorted year lists; `None` when either side mentions no year.
fn year_cosine(a: &[(u16, f32)], b: &[(u16, f32)]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let n = |v: &[(u16, f32)]| v.iter().map(|(_, w)| (w * w) as f64).sum::<f64>().sqrt();
    let dot: f64 = a
        .iter()
        .filter_map(|(y, w)| {
            b.binary_search_by_key(y, |x| x.0)
                .ok()
                .map(|k| (w * b[k].1) as f64)
        })
        .sum();
    Some((dot / (n(a) * n(b)).max(1e-12)).clamp(0.0, 1.0))
}

/// Similarity in 0..1 of two articles as the clusterer sees it, without a corpus: every
/// term weighs the same (no document frequencies), and syndicated copies score at least
/// their estimated shingle resemblance. Compare with [`SAME_STORY_THRESHOLD`].
pub fn similarity(a: &AnalyzedArticle, b: &AnalyzedArticle) -> f64 {
    let mut c = Clusterer {
        flat_idf: true,
        ..Clusterer::new(ClusterConfig::default())
    };
    let fa = c.features(a);
    let fb = c.features(b);
    let score = c.pair_score(&fa, &fb);
    score.max(copy_resemblance(&c.hasher, &c.config.dup_rule, a, b))
}

fn copy_resemblance(
    h: &MinHasher,
    rule: &DupRule,
    a: &AnalyzedArticle,
    b: &AnalyzedArticle,
) -> f64 {
    let (sa, sb) = (h.sign(&a.article.body), h.sign(&b.article.body));
    let r = sa.resemblance(&sb);
    if rule.accepts(&sa, &sb, &r) {
        r.jaccard.max(r.containment)
    } else {
        0.0
    }
}

/// Pairwise similarities of a set of articles, with document frequencies taken from the
/// set itself (better than [`similarity`] on each pair once there are four or more
/// articles, because words all of them share stop counting as evidence).
pub fn similarity_matrix(docs: &[AnalyzedArticle]) -> Vec<Vec<f64>> {
    let mut c = Clusterer::new(ClusterConfig::default());
    if docs.len() < 4 {
        c.flat_idf = true;
    }
    // Counted first, then weighed with the set's document frequencies.
    for d in docs {
        let f = c.features(d);
        c.count(&f);
    }
    let feats: Vec<Features> = docs.iter().map(|d| c.features(d)).collect();
    let n = docs.len();
    let mut m = vec![vec![1.0; n]; n];
    for i in 0..n {
        for j in i + 1..n {
            let s = c.pair_score(&feats[i], &feats[j]).max(copy_resemblance(
                &c.hasher,
                &c.config.dup_rule,
                &docs[i],
                &docs[j],
            ));
            m[i][j] = s;
            m[j][i] = s;
        }
    }
    m
}

/// Clusters `docs` from scratch, in the given order, with the default configuration and
/// a final split-and-merge pass: one assignment per article (same order, as it stands
/// after the pass) and the resulting stories.
pub fn group(docs: &[AnalyzedArticle]) -> (Vec<Assignment>, Vec<Story>) {
    let mut c = Clusterer::new(ClusterConfig::default());
    let first: Vec<Assignment> = docs.iter().map(|d| c.add(d)).collect();
    c.finish();
    // After the final pass: an article's story may have been merged or split since.
    let assignments = docs
        .iter()
        .zip(first)
        .map(|(d, a)| c.assignment(&d.article.id).unwrap_or(a))
        .collect();
    (assignments, c.stories())
}

/// Words that make a headline sensational rather than descriptive.
#[rustfmt::skip]
const LOADED: &[&str] = &[
    "terror", "terrifying", "chaos", "chaotic", "slam", "slams", "slammed", "inferno",
    "horror", "horrific", "shock", "shocking", "shocked", "outrage", "outrageous", "fury",
    "furious", "blast", "blasts", "carnage", "nightmare", "disaster", "catastrophe",
    "mayhem", "bloodbath", "massacre", "devastating", "brutal", "explosive", "bombshell",
    "stunning", "stuns", "epic", "insane", "unbelievable", "must", "destroys", "rips",
    "meltdown", "panic", "hell", "savage", "scandal", "sensational", "breaking",
];

/// How neutral a headline reads: 0 is plain, each marker of sensationalism adds.
fn headline_penalty(h: &str) -> f64 {
    let mut p = 0.0;
    let letters: Vec<char> = h.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    if letters.len() >= 8 && upper as f64 > 0.7 * letters.len() as f64 {
        p += 0.6;
    }
    p += 0.3 * h.matches('!').count().min(2) as f64;
    if h.contains('?') {
        p += 0.25;
    }
    let words = dedup::shingle_words(h);
    p += 0.3
        * words
            .iter()
            .filter(|w| LOADED.contains(&w.as_str()))
            .count() as f64;
    if words.len() < 3 {
        p += 0.3;
    } else if words.len() > 22 {
        p += 0.15;
    }
    p
}

/// The most neutral, representative headline: shares the most terms with the other
/// members' headlines, minus a penalty for shouting, exclamation and question marks and
/// loaded words. Ties go to the earliest member.
pub fn choose_title(titles: &[&str]) -> String {
    let cands: Vec<(usize, &str)> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| (i, t.trim()))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    if cands.is_empty() {
        return String::new();
    }
    let (mut lexicon, mut scratch) = Default::default();
    let sets: Vec<HashSet<u32>> = cands
        .iter()
        .map(|(_, t)| {
            let mut ids = Vec::new();
            text::term_ids(t, &mut lexicon, &mut scratch, &mut ids);
            ids.into_iter().collect()
        })
        .collect();
    let mut best: Option<(f64, usize)> = None;
    for (k, (_, t)) in cands.iter().enumerate() {
        let others = sets.len() - 1;
        let rep = if others == 0 || sets[k].is_empty() {
            0.0
        } else {
            sets.iter()
                .enumerate()
                .filter(|&(j, _)| j != k)
                .map(|(_, o)| {
                    let common = sets[k].intersection(o).count() as f64;
                    2.0 * common / (sets[k].len() + o.len()) as f64
                })
                .sum::<f64>()
                / others as f64
        };
        let score = rep - headline_penalty(t);
        if best.is_none_or(|(b, _)| score > b + 1e-12) {
            best = Some((score, k));
        }
    }
    cands[best.map_or(0, |(_, k)| k)].1.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::{Analysis, Article, Outlet};

    fn article(id: &str, title: &str, body: &str) -> AnalyzedArticle {
        AnalyzedArticle {
            article: Article {
                id: ArticleId(id.into()),
                source: String::new(),
                url: None,
                outlet: Outlet::new("Test Gazette", None),
                title: title.into(),
                byline: vec![],
                published: DateTime::parse_from_rfc3339("2026-05-04T10:00:00+00:00").ok(),
                language: Some("en".into()),
                body: body.into(),
                credits: vec![],
            },
            analysis: Analysis::default(),
        }
    }

    /// An invented word of its own for each number.
    fn word(mut n: usize) -> String {
        const SYLLABLES: [&str; 12] = [
            "ka", "lo", "mer", "vin", "sa", "dor", "tis", "bren", "qua", "zel", "ros", "nik",
        ];
        let mut w = String::from("vo");
        for _ in 0..4 {
            w.push_str(SYLLABLES[n % SYLLABLES.len()]);
            n /= SYLLABLES.len();
        }
        w
    }

    /// The scan budget goes to the rarest terms first: an article whose commoner words
    /// each lead to hundreds of stories still finds the one story it shares its rare
    /// words with.
    #[test]
    fn rare_terms_find_their_story_when_common_ones_fill_the_scan_budget() {
        let mut c = Clusterer::default();
        let rare = "quellmoor brantisk ovelund stravenik";
        let first = c.add(&article("t1", "quellmoor brantisk", rare));
        // Ten commoner words, each in a tenth of 1,500 otherwise unrelated articles:
        // not too common to retrieve with, and together far over the budget.
        let common: Vec<String> = (0..10).map(|i| word(20_000 + i)).collect();
        for i in 0..1500 {
            let own: Vec<String> = (0..4).map(|k| word(i * 4 + k)).collect();
            let body = format!("{} {}", own.join(" "), common[i % 10]);
            c.add(&article(&format!("f{i}"), &own[..2].join(" "), &body));
        }
        assert!(c.story_count() > 1400, "the filler articles stay apart");
        let lists: usize = common
            .iter()
            .map(|w| {
                let mut ids = Vec::new();
                text::term_ids(w, &mut c.lexicon, &mut text::Scratch::default(), &mut ids);
                c.postings[ids[0] as usize]
                    .len()
                    .min(POSTINGS_KEPT_PER_TERM)
            })
            .sum();
        assert!(lists > 2 * MAX_ENTRIES_PER_ARTICLE, "{lists}");
        let body = format!("{rare} {}", common.join(" "));
        let second = c.add(&article("t2", "quellmoor brantisk ovelund", &body));
        assert_eq!(second.story, first.story);
    }
}
