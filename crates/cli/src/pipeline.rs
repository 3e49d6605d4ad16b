//! The full pipeline composed from the stage crates: source → extract → analyze →
//! cluster → store. Analysis is pure and runs in parallel; clustering and storing are
//! sequential so the result is deterministic for a given input order.

use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use parallax_core::{AnalyzedArticle, Article, ArticleId};
use parallax_ingest::{IngestError, ReadOptions, SkipKind, SourceItem};
use parallax_nlp::Analyzer;
use parallax_store::{Membership, Store};
use parallax_stories::{Assignment, Clusterer};
use rayon::prelude::*;

/// Articles analysed and committed together: one transaction, one acknowledgement.
const BATCH: usize = 256;

#[derive(Debug, Default)]
pub struct IngestReport {
    pub ingested: usize,
    pub duplicates: usize,
    pub skipped: BTreeMap<SkipKind, usize>,
    pub errors: Vec<IngestError>,
    pub stories_touched: usize,
}

/// Analyses articles in parallel, keeping their order.
pub fn analyze_all(articles: Vec<Article>) -> Vec<AnalyzedArticle> {
    let analyzer = Analyzer::shared();
    articles
        .into_par_iter()
        .map(|a| analyzer.analyze_article(a))
        .collect()
}

/// What reading the sources gave: articles, items passed over on purpose (by kind),
/// and errors, each naming its file, line, item, record or URL.
#[derive(Debug, Default)]
pub struct Read {
    pub articles: Vec<Article>,
    pub skipped: BTreeMap<SkipKind, usize>,
    pub errors: Vec<IngestError>,
}

/// Reads every article from `sources` (files, directories, `-`, URLs).
pub fn read_all(sources: &[String], opts: &ReadOptions) -> Read {
    let mut read = Read::default();
    for item in parallax_ingest::read_sources(sources, opts) {
        match item {
            SourceItem::Article(a) => read.articles.push(a),
            SourceItem::Skipped(s) => *read.skipped.entry(s.kind).or_default() += 1,
            SourceItem::Error(e) => read.errors.push(e),
        }
    }
    read
}

/// "12 skipped: link-only feed item (use --follow) ×10, not an HTML page ×2".
pub fn skipped_summary(skipped: &BTreeMap<SkipKind, usize>) -> Option<String> {
    let total: usize = skipped.values().sum();
    (total > 0).then(|| {
        let parts: Vec<String> = skipped
            .iter()
            .map(|(k, n)| format!("{} ×{n}", k.label()))
            .collect();
        format!("{total} skipped: {}", parts.join(", "))
    })
}

fn progress() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} {pos} articles ({per_sec}) {wide_msg}",
        )
        .expect("static template"),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// A bar over the bytes of an input file on a terminal (hidden otherwise): clustering a
/// million-line JSONL file takes minutes.
pub(crate) fn file_progress(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ({eta} left)",
        )
        .expect("static template"),
    );
    pb
}

/// Restores the clusterer from the store so this ingest continues the last one.
fn restore(store: &Store) -> Result<Clusterer> {
    let mut clusterer = Clusterer::new(Default::default());
    for (doc, m) in store.memberships_in_order()? {
        let assignment = Assignment {
            story: m.story,
            new_story: false,
            copy_of: m.copy_of,
        };
        clusterer.restore(&doc, &assignment);
    }
    Ok(clusterer)
}

/// `parallax ingest`: new articles are analysed, clustered and committed batch by batch;
/// a bad item is reported and skipped, never half-stored.
pub fn ingest(data_dir: &Path, sources: &[String], opts: &ReadOptions) -> Result<IngestReport> {
    let mut store = Store::open(data_dir)
        .with_context(|| format!("cannot open the store in {}", data_dir.display()))?;
    let mut clusterer = restore(&store)?;
    let pb = progress();
    let mut report = IngestReport::default();
    let mut seen: HashSet<ArticleId> = HashSet::new();
    let mut pending: Vec<Article> = Vec::new();
    let mut touched = HashSet::new();

    let mut flush = |pending: &mut Vec<Article>,
                     clusterer: &mut Clusterer,
                     store: &mut Store,
                     report: &mut IngestReport|
     -> Result<()> {
        let docs = analyze_all(std::mem::take(pending));
        let mut batch = Vec::with_capacity(docs.len());
        let mut batch_stories = HashSet::new();
        for doc in docs {
            let a = clusterer.add(&doc);
            batch_stories.insert(a.story.clone());
            let m = Membership {
                story: a.story,
                copy_of: a.copy_of,
            };
            batch.push((doc, m));
        }
        // Only the stories this batch touched: building all of them per batch would
        // make a long ingest quadratic.
        let mut stories: Vec<_> = batch_stories
            .iter()
            .filter_map(|id| clusterer.story_by_id(id))
            .collect();
        stories.sort_by(|a, b| a.id.cmp(&b.id));
        stories.dedup_by(|a, b| a.id == b.id);
        report.ingested += store.commit(&batch, &stories)?;
        touched.extend(batch_stories);
        Ok(())
    };

    for item in parallax_ingest::read_sources(sources, opts) {
        pb.inc(1);
        match item {
            SourceItem::Error(e) => {
                pb.println(format!("parallax: {e}"));
                report.errors.push(e);
            }
            SourceItem::Skipped(s) => *report.skipped.entry(s.kind).or_default() += 1,
            SourceItem::Article(a) => {
                if !seen.insert(a.id.clone()) || store.contains(&a.id)? {
                    report.duplicates += 1;
                    continue;
                }
                pending.push(a);
                if pending.len() >= BATCH {
                    flush(&mut pending, &mut clusterer, &mut store, &mut report)?;
                }
            }
        }
        pb.set_message(format!(
            "{} new, {} already stored, {} skipped, {} errors",
            report.ingested + pending.len(),
            report.duplicates,
            report.skipped.values().sum::<usize>(),
            report.errors.len()
        ));
    }
    if !pending.is_empty() {
        flush(&mut pending, &mut clusterer, &mut store, &mut report)?;
    }
    if report.ingested > 0 {
        // The end-of-stream pass may merge or split stories, moving stored articles.
        clusterer.finish();
        store.reconcile(&clusterer.stories())?;
    }
    pb.finish_and_clear();
    report.stories_touched = touched.len();
    Ok(report)
}
