//! Time-expression errors on TempEval-3 grouped by pattern, to see which classes of
//! error are worth a rule: every wrong value, missed span and spurious span, keyed by
//! the error kind and the shape of the text (digits → `N`, weekdays → `WEEKDAY`, months
//! → `MONTH`, number words → `NUM`) and, for values, the shapes of the gold and system
//! values (digits → `9`). Groups are printed largest first, each with a few examples;
//! `--by-value` groups by the value shapes alone, `--spans` adds the errors of extent
//! only (right value, other extent), which cost strict F1 but not value F1;
//! `--by-system` lists each shape of system expression with how many of its uses have a
//! right value (a shape right in fewer than about F1 / 2 of its uses costs value F1);
//! `--dump` prints one tab-separated line per gold and per system expression (document,
//! `gold` or `sys`, offsets, text, value, whether it is right, the words around it) for
//! reading every use of a pattern, not just the first four errors.
//!
//! ```text
//! cargo run --release -p parallax-eval --example diag_time -- [DATA_DIR] [--by-value] [--spans] [--by-system] [--dump] [--min N]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use parallax_eval::time::{engine_timexes, load_time_docs, score_docs, TimeDoc, Timex};

fn word_shape(w: &str) -> String {
    const NUMS: [&str; 20] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "several",
    ];
    let l = w.to_lowercase();
    let bare = l.trim_matches(|c: char| c == ',' || c == '\'');
    // chrono reads full names and three-letter abbreviations ("jan.", "sept." too,
    // once the point and a fourth letter are off).
    let name = bare.trim_end_matches('.');
    if name.len() >= 3 && name.parse::<chrono::Weekday>().is_ok() {
        return "WEEKDAY".into();
    }
    if name.len() >= 3 && (name.parse::<chrono::Month>().is_ok() || name == "sept") {
        return "MONTH".into();
    }
    if NUMS.contains(&bare) {
        return "NUM".into();
    }
    let mut out = String::new();
    for c in l.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn text_shape(t: &str) -> String {
    t.split_whitespace()
        .map(word_shape)
        .collect::<Vec<_>>()
        .join(" ")
}

fn value_shape(v: Option<&str>) -> String {
    match v {
        None => "-".into(),
        Some(v) => v
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect(),
    }
}

/// One error: its class, the expression's text and the gold / system values.
struct Error {
    class: &'static str,
    doc: String,
    text: String,
    gold: Option<String>,
    system: Option<String>,
}

/// Every error of one document, classed as value F1 sees it: `value` (the gold
/// expression's best overlapping system one has another value; `span+value` when the
/// extents differ too), `missed` (no system expression overlaps the gold one),
/// `spurious` (no gold expression overlaps the system one) and `span` (the extents
/// differ, the value is right: a strict error only).
fn classify(doc: &TimeDoc, sys: &[Timex], out: &mut Vec<Error>) {
    let text = |t: &Timex| doc.text.get(t.start..t.end).unwrap_or("").to_string();
    let mut push = |class, t: &Timex, g: Option<&Timex>, s: Option<&Timex>| {
        out.push(Error {
            class,
            doc: doc.name.clone(),
            text: text(t),
            gold: g.map(|g| g.value.clone()),
            system: s.map(|s| s.value.clone()),
        })
    };
    for g in &doc.gold {
        let shared = |s: &Timex| s.end.min(g.end).saturating_sub(s.start.max(g.start));
        let best = sys
            .iter()
            .filter(|s| s.overlaps(g))
            .max_by_key(|s| (shared(s), std::cmp::Reverse(s.start)));
        match best {
            None => push("missed", g, Some(g), None),
            Some(s) => {
                let exact = s.start == g.start && s.end == g.end;
                match (exact, s.value == g.value) {
                    (true, true) => {}
                    (true, false) => push("value", g, Some(g), Some(s)),
                    (false, true) => push("span", g, Some(g), Some(s)),
                    (false, false) => push("span+value", g, Some(g), Some(s)),
                }
            }
        }
    }
    for s in sys {
        if !doc.gold.iter().any(|g| s.overlaps(g)) {
            push("spurious", s, None, Some(s));
        }
    }
}

/// Per system expression: whether it is the best overlapping match of a gold one with
/// the same value (what value F1 counts as correct).
fn system_correct(doc: &TimeDoc, sys: &[Timex]) -> Vec<bool> {
    let mut ok = vec![false; sys.len()];
    for g in &doc.gold {
        let shared = |s: &Timex| s.end.min(g.end).saturating_sub(s.start.max(g.start));
        let best = sys
            .iter()
            .enumerate()
            .filter(|(_, s)| s.overlaps(g))
            .max_by_key(|(_, s)| (shared(s), std::cmp::Reverse(s.start)));
        if let Some((i, s)) = best {
            ok[i] |= s.value == g.value;
        }
    }
    ok
}

fn key(e: &Error, by_value: bool) -> String {
    let vals = format!(
        "{} → {}",
        value_shape(e.gold.as_deref()),
        value_shape(e.system.as_deref())
    );
    if by_value {
        format!("{:10} {vals}", e.class)
    } else {
        format!("{:10} {:32} {vals}", e.class, text_shape(&e.text))
    }
}

fn main() -> anyhow::Result<()> {
    let mut dir = PathBuf::from("/work/shared/data/time/tempeval3/train");
    let (mut by_value, mut min, mut spans, mut by_system) = (false, 2usize, false, false);
    let mut dump = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--by-value" => by_value = true,
            "--spans" => spans = true,
            "--by-system" => by_system = true,
            "--dump" => dump = true,
            "--min" => min = args.next().and_then(|n| n.parse().ok()).unwrap_or(2),
            _ => dir = PathBuf::from(a),
        }
    }
    let docs = load_time_docs(&dir)?;
    if dump {
        for d in &docs {
            let sys = engine_timexes(&d.text, d.dct);
            let ok = system_correct(d, &sys);
            let around = |t: &Timex| {
                let mut from = t.start.saturating_sub(100);
                while !d.text.is_char_boundary(from) {
                    from -= 1;
                }
                let mut to = (t.end + 60).min(d.text.len());
                while !d.text.is_char_boundary(to) {
                    to += 1;
                }
                let (a, b, c) = (
                    &d.text[from..t.start],
                    &d.text[t.start..t.end],
                    &d.text[t.end..to],
                );
                format!("{a}[{b}]{c}").replace(['\n', '\t'], " ")
            };
            for g in &d.gold {
                let s = sys.iter().find(|s| s.overlaps(g));
                println!(
                    "{}\tgold\t{}\t{}\t{}\t{}\t{}\t{}",
                    d.name,
                    g.start,
                    g.end,
                    &d.text[g.start..g.end],
                    g.value,
                    s.map_or("-".to_string(), |s| s.value.clone()),
                    around(g)
                );
            }
            for (s, ok) in sys.iter().zip(ok) {
                let g = d.gold.iter().find(|g| s.overlaps(g));
                println!(
                    "{}\tsys\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    d.name,
                    s.start,
                    s.end,
                    &d.text[s.start..s.end],
                    s.value,
                    g.map_or("-".to_string(), |g| g.value.clone()),
                    ok,
                    around(s)
                );
            }
        }
        return Ok(());
    }
    if by_system {
        // Each system text shape with its expressions and how many have a right value:
        // a shape right in fewer than about F1 / 2 of its uses costs value F1.
        let mut shapes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for d in &docs {
            let sys = engine_timexes(&d.text, d.dct);
            for (t, ok) in sys.iter().zip(system_correct(d, &sys)) {
                let e = shapes
                    .entry(text_shape(d.text.get(t.start..t.end).unwrap_or("")))
                    .or_default();
                e.0 += 1;
                e.1 += usize::from(ok);
            }
        }
        let mut v: Vec<_> = shapes.into_iter().filter(|(_, c)| c.0 >= min).collect();
        v.sort_by_key(|(_, (n, ok))| (*ok as f64 / *n as f64 * 1000.0) as i64);
        for (k, (n, ok)) in v {
            println!("{ok:4} / {n:4} right  {k}");
        }
        return Ok(());
    }
    let mut errors = Vec::new();
    for d in &docs {
        classify(d, &engine_timexes(&d.text, d.dct), &mut errors);
    }
    let mut totals: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &errors {
        *totals.entry(e.class).or_default() += 1;
    }
    let mut groups: BTreeMap<String, Vec<&Error>> = BTreeMap::new();
    for e in errors.iter().filter(|e| spans || e.class != "span") {
        groups.entry(key(e, by_value)).or_default().push(e);
    }
    let mut sorted: Vec<_> = groups.into_iter().collect();
    sorted.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let mut rest = (0, 0);
    for (k, es) in &sorted {
        if es.len() < min {
            rest.0 += 1;
            rest.1 += es.len();
            continue;
        }
        println!("{:4}  {k}", es.len());
        for e in es.iter().take(4) {
            println!(
                "        {:26} {:?} gold {:?} sys {:?}",
                e.doc, e.text, e.gold, e.system
            );
        }
    }
    println!("{} smaller groups, {} errors", rest.0, rest.1);
    println!("errors by class: {totals:?} (span errors listed with --spans)");
    let s = score_docs(&docs, false, engine_timexes);
    let c = &s.all.counts;
    println!(
        "value F1 {:.3}: {} correct of {} matched, {} gold, {} system",
        s.all.value.f1, c.value_correct, c.matched, c.gold, c.system
    );
    Ok(())
}
