//! Quality gate for time expressions on the TempEval-3 training documents (issue 5):
//! TimeBank and AQUAINT together, each document with its creation time, scored with the
//! official TempEval-3 measures (see `parallax_eval::time`).
//!
//! `PARALLAX_TIME_ERRORS=1` prints every miss, spurious expression and wrong value.

use parallax_eval::time::score_engine_time;

#[test]
fn time_expressions_on_tempeval3_train() {
    let Some(dir) = parallax_eval::dataset_or_skip("time/tempeval3/train") else {
        return;
    };
    let show = std::env::var_os("PARALLAX_TIME_ERRORS").is_some();
    let s = score_engine_time(&dir, show).expect("scoring runs");
    for e in &s.errors {
        println!(
            "{:8} {:28} {:?} gold {:?} sys {:?}",
            e.error, e.doc, e.text, e.gold, e.system
        );
    }
    for (g, x) in s
        .by_group
        .iter()
        .map(|(g, x)| (g.as_str(), x))
        .chain([("all", &s.all)])
    {
        eprintln!(
            "{g:9} strict P {:.3} R {:.3} F1 {:.3} | relaxed P {:.3} R {:.3} F1 {:.3} | value F1 {:.3} acc {:.3} | type F1 {:.3}",
            x.strict.precision, x.strict.recall, x.strict.f1,
            x.relaxed.precision, x.relaxed.recall, x.relaxed.f1,
            x.value.f1, x.value_accuracy, x.kind.f1
        );
    }
    eprintln!("{:.0} tokens/s", s.tokens_per_second);
    // Measured (TimeBank + AQUAINT): strict F1 0.897, relaxed F1 0.954, value F1 0.851
    // (TimeBank 0.912 / 0.957 / 0.875, AQUAINT 0.866 / 0.949 / 0.800).
    assert_eq!(s.documents, 256);
    assert!(s.all.strict.f1 >= 0.896, "strict F1 {:.3}", s.all.strict.f1);
    assert!(
        s.all.relaxed.f1 >= 0.953,
        "relaxed F1 {:.3}",
        s.all.relaxed.f1
    );
    assert!(s.all.value.f1 >= 0.849, "value F1 {:.3}", s.all.value.f1);
}
