//! Quality gates for story clustering on the development sets in `../shared/data`
//! (skipped with a note when they are absent). Thresholds sit just under the measured
//! figures (see `crates/eval/src/stories.rs` and the report test below).
//!
//! The full report (file order, five shuffled seeds, both MStream orders):
//!
//! ```text
//! cargo test --release -p parallax-eval --test stories -- --ignored --nocapture
//! ```

use parallax_eval::dataset_or_skip;
use parallax_eval::stories::{evaluate, evaluate_file, DEFAULT_SEEDS};

#[test]
fn ecbplus_same_story_vs_look_alike() {
    let Some(path) = dataset_or_skip("stories/ecbplus-dev.jsonl") else {
        return;
    };
    let r = evaluate_file(&path, &[1, 2, 3]).unwrap();
    let s = &r.shuffled_summary;
    eprintln!(
        "ECB+ file order F1 {:.3}; shuffled F1 {:.3} ± {:.3} (min {:.3}), ARI {:.3}, NMI {:.3}, mixed topics ≤ {:?}",
        r.file_order.bcubed_f1,
        s.mean.bcubed_f1,
        s.sd.bcubed_f1,
        s.min_bcubed_f1,
        s.mean.ari,
        s.mean.nmi,
        s.max_lookalike_mixed
    );
    // Measured (release and dev profiles give the same clusters): file order 0.952,
    // shuffled seeds 1-3 mean 0.963 (min 0.962), ARI 0.955, NMI 0.984; 3 topics mixed
    // (file order 2). Before the end-of-stream fragment margin of 2: mean 0.958 (min
    // 0.957), ARI 0.950, NMI 0.981. Before the end-of-stream outlier check: mean 0.957 (min 0.955),
    // ARI 0.948; before the end-of-stream second look: mean 0.957, min 0.953.
    // Before the pass's same-years merge: 0.946 (min 0.942), ARI
    // 0.927, NMI 0.976; before the clear-winner fragments and the figure gate: 0.933
    // and 0.934, 4 topics mixed.
    assert!(r.file_order.bcubed_f1 >= 0.95, "{:?}", r.file_order);
    assert!(s.mean.bcubed_f1 >= 0.962, "{s:?}");
    assert!(s.min_bcubed_f1 >= 0.960, "{s:?}");
    assert!(s.mean.ari >= 0.953 && s.mean.nmi >= 0.983, "{s:?}");
    assert!(s.max_lookalike_mixed.unwrap_or(99) <= 3, "{s:?}");
    assert_eq!(r.gold_stories, 40);
}

#[test]
fn mstream_news_nmi() {
    let Some(dir) = dataset_or_skip("stories/mstream-news") else {
        return;
    };
    // Measured: 0.906 (news), 0.903 (news-t) in the published stream orders; shuffled
    // seeds 1-3 mean 0.908 (news), 0.911 (news-t). Before the merge of stories whose
    // words keep the same company (`related.rs`): 0.902, 0.900; 0.904, 0.907. Before the second look's plain
    // centroids: 0.898, 0.894; 0.907, 0.905. Before the end-of-stream outlier
    // check: 0.896, 0.891; 0.903, 0.902. Before the end-of-stream second look at open
    // stories: 0.895, 0.890; 0.902, 0.901.
    for file in ["news.jsonl", "news-t.jsonl"] {
        let r = evaluate_file(&dir.join(file), &[1, 2, 3]).unwrap();
        let s = &r.shuffled_summary;
        eprintln!(
            "MStream {file}: NMI {:.3} in stream order, {:.3} shuffled",
            r.file_order.nmi, s.mean.nmi
        );
        assert!(r.file_order.nmi >= 0.902, "{file}: {:?}", r.file_order);
        assert!(s.mean.nmi >= 0.907, "{file}: {s:?}");
    }
}

#[test]
#[ignore = "report: run with --release --ignored --nocapture"]
fn report() {
    for rel in ["stories/ecbplus-dev.jsonl", "stories/mstream-news"] {
        if let Some(p) = dataset_or_skip(rel) {
            let v = evaluate(&p, DEFAULT_SEEDS).unwrap();
            println!("{}", serde_json::to_string_pretty(&v).unwrap());
        }
    }
}
