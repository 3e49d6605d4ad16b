//! B-cubed check on the ECB+ development set (topics 1–22), read at run time from
//! `shared/data/stories/ecbplus-dev.jsonl` (not part of the repository):
//!
//! ```text
//! cargo test -p parallax-stories --release --test ecbplus -- --ignored --nocapture
//! ```
//!
//! `PARALLAX_ECB` overrides the path; `PARALLAX_THRESHOLD` the join threshold. The full
//! report (ARI, NMI, look-alike mixing, several shuffled seeds) is
//! `cargo test --release -p parallax-eval --test stories -- --ignored --nocapture`.

use std::collections::BTreeMap;

use parallax_core::{Analysis, AnalyzedArticle, Article, ArticleId, Outlet};
use parallax_stories::{ClusterConfig, Clusterer};

fn load() -> Option<Vec<(AnalyzedArticle, String)>> {
    let path = std::env::var("PARALLAX_ECB").unwrap_or_else(|_| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
        root.join("shared/data/stories/ecbplus-dev.jsonl")
            .to_string_lossy()
            .into_owned()
    });
    let text = std::fs::read_to_string(&path).ok()?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let title = s("title");
        // The text repeats the title as its first line; the body is the rest.
        let body = s("text");
        let body = body
            .strip_prefix(&title)
            .unwrap_or(&body)
            .trim()
            .to_string();
        let article = Article {
            id: ArticleId(s("id")),
            source: path.clone(),
            url: None,
            outlet: Outlet::default(),
            title,
            byline: vec![],
            published: None,
            language: Some("en".into()),
            body,
            credits: vec![],
        };
        out.push((
            AnalyzedArticle {
                article,
                analysis: Analysis::default(),
            },
            s("event"),
        ));
    }
    Some(out)
}

/// B-cubed precision, recall, F1 of `pred` against `gold` (labels per item).
fn bcubed(pred: &[String], gold: &[String]) -> (f64, f64, f64) {
    let n = pred.len();
    let (mut p, mut r) = (0.0, 0.0);
    for i in 0..n {
        let same_pred: Vec<usize> = (0..n).filter(|&j| pred[j] == pred[i]).collect();
        let same_gold: Vec<usize> = (0..n).filter(|&j| gold[j] == gold[i]).collect();
        let both = same_pred.iter().filter(|&&j| gold[j] == gold[i]).count() as f64;
        p += both / same_pred.len() as f64;
        r += both / same_gold.len() as f64;
    }
    let (p, r) = (p / n as f64, r / n as f64);
    (p, r, 2.0 * p * r / (p + r))
}

fn run(
    docs: &[(AnalyzedArticle, String)],
    order: &[usize],
    config: &ClusterConfig,
) -> (f64, f64, f64, usize) {
    let mut c = Clusterer::new(config.clone());
    let mut pred = vec![String::new(); docs.len()];
    let debug = std::env::var("PARALLAX_DEBUG").is_ok();
    let mut story_gold: BTreeMap<String, String> = BTreeMap::new();
    for &i in order {
        let before = debug.then(|| c.clone());
        let a = c.add(&docs[i].0);
        if a.new_story {
            story_gold.insert(a.story.0.clone(), docs[i].1.clone());
        } else if debug && story_gold[&a.story.0] != docs[i].1 {
            let parts = before.unwrap().explain(&docs[i].0, &a.story).unwrap();
            println!(
                "WRONG JOIN {} ({}) -> story of {}: {:?}",
                docs[i].0.article.id, docs[i].0.article.title, story_gold[&a.story.0], parts
            );
        }
        pred[i] = a.story.0;
    }
    // The final split-and-merge pass may move articles: read the stories after it.
    c.finish();
    for &i in order {
        if let Some(a) = c.assignment(&docs[i].0.article.id) {
            pred[i] = a.story.0;
        }
    }
    let gold: Vec<String> = docs.iter().map(|d| d.1.clone()).collect();
    let (p, r, f) = bcubed(&pred, &gold);
    (p, r, f, c.stories().len())
}

#[test]
#[ignore = "needs shared/data/stories/ecbplus-dev.jsonl"]
fn ecbplus_bcubed() {
    let Some(docs) = load() else {
        eprintln!("ecbplus-dev.jsonl not found; skipped");
        return;
    };
    let mut config = ClusterConfig::default();
    if let Ok(t) = std::env::var("PARALLAX_THRESHOLD") {
        config.threshold = t.parse().unwrap();
    }
    let file_order: Vec<usize> = (0..docs.len()).collect();
    // A fixed pseudo-random interleaving: stories arrive mixed, as in a real feed.
    let mut shuffled = file_order.clone();
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for i in (1..shuffled.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        shuffled.swap(i, (x % (i as u64 + 1)) as usize);
    }
    for (name, order) in [("file order", &file_order), ("shuffled", &shuffled)] {
        let t0 = std::time::Instant::now();
        let (p, r, f, k) = run(&docs, order, &config);
        println!("  ({} docs in {:?})", docs.len(), t0.elapsed());
        println!(
            "ECB+ dev {name}: threshold {:.2}: B3 P {p:.3} R {r:.3} F1 {f:.3}, {k} stories (gold 40)",
            config.threshold
        );
    }
    // Within-topic: score each topic on its own (separating topics is easy; splitting
    // a topic into its two look-alike events is the hard part).
    let mut topics: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let t = d.1.split('_').next().unwrap().to_string();
        topics.entry(t).or_default().push(i);
    }
    let mut sum = 0.0;
    for idx in topics.values() {
        let sub: Vec<(AnalyzedArticle, String)> = idx.iter().map(|&i| docs[i].clone()).collect();
        let order: Vec<usize> = (0..sub.len()).collect();
        sum += run(&sub, &order, &config).2;
    }
    println!("within-topic mean B3 F1: {:.3}", sum / topics.len() as f64);
}
