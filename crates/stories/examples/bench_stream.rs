//! Stream benchmark for the clusterer: generates a realistic news stream and reports
//! clustering throughput (articles/s on one thread), peak memory (VmHWM) and the cost per
//! article as the index grows.
//!
//! ```text
//! cargo run --release -p parallax-stories --example bench_stream -- 10000 100000 [1000000]
//! ```
//!
//! Each size is one run from an empty clusterer (the sizes run in sequence in one
//! process, so VmHWM is the peak up to and including that run); checkpoints every tenth
//! of a run print the cost per article over the last tenth (the summary adds the last
//! fifth, which at 10k holds one pass as a longer stream's last tenth does; a last line
//! gives the largest run's last tenth against the smallest size's last fifth, the median
//! over that size's runs). Costs are
//! given as this thread's CPU time (the cost on one core, robust to a shared machine)
//! and as wall time; articles are generated in chunks outside the timed loop. After the
//! timings, the run's B-cubed precision, recall and F1 against the generated events are printed.
//! `PARALLAX_BENCH_ASSIGNMENTS=PREFIX` also writes each run's assignments to
//! `PREFIX-N.tsv`, to check that a speed change leaves every cluster as it was.
//!
//! The stream: events are started at random and reported by 1–12 outlets over about
//! three days (3,000 articles a day, so 1M articles span about a year). Each event is
//! a rewrite of a development article read at run time from
//! `../shared/data/stories/ecbplus-dev.jsonl` (`PARALLAX_BENCH_SEED` or `PARALLAX_SHARED_DATA` overrides; never
//! committed), with every capitalised word replaced by an invented name, every number by
//! another and a third of the longer lower-case words by invented words, consistently
//! within the event; each report keeps a random 70% of the sentences and drops one in
//! six of the lower-case words, and about one in ten is a verbatim syndicated copy of
//! an earlier report. The quality line counts the articles placed as copies, and those
//! placed as copies of another event's report, so that the generator's realism can be
//! checked: about a tenth should be copies, and almost none of another event.
//! Without the file, invented template sentences are used.

use std::time::Instant;

/// The allocator of the `parallax` binary, so that the figures are the shipped ones.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{DateTime, FixedOffset, TimeZone};
use parallax_core::{Analysis, AnalyzedArticle, Article, ArticleId, Outlet};
use parallax_stories::{ClusterConfig, Clusterer};

const ARTICLES_PER_DAY: f64 = 3000.0;
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "vin", "sa", "dor", "el", "ta", "bri", "quo", "ren", "mu", "zel", "or",
    "pa", "tis", "ghan", "ul", "ve", "ros", "nik", "am", "bel", "cor",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 1_000_000) as f64 / 1_000_000.0 < p
    }
}

fn invented_name(h: u64) -> String {
    let mut x = Rng(h | 1);
    let n = 2 + x.below(2);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(SYLLABLES[x.below(SYLLABLES.len())]);
    }
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

fn fnv(s: &str, seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Rewrites `text` for event `ev`: capitalised words (not sentence starts) become
/// invented names, numbers other numbers, and about a third of the longer lower-case
/// words invented words, the same way throughout the event. Without the last, two
/// events rewritten from one seed share most of their word shingles and the dedup
/// index rightly takes them for copies of each other, which real look-alike events
/// are not (and copies are cheap to place, so the throughput would be flattered).
fn rewrite(text: &str, ev: u64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut sentence_start = true;
    for (k, tok) in text.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let core: &str = tok.trim_matches(|c: char| !c.is_alphanumeric());
        let first = core.chars().next();
        let replaced = if core.is_empty() {
            None
        } else if core.bytes().all(|b| b.is_ascii_digit()) {
            let v = fnv(core, ev) % 10u64.pow(core.len().min(4) as u32);
            Some(v.to_string())
        } else if first.is_some_and(char::is_uppercase) && !sentence_start {
            Some(invented_name(fnv(core, ev)))
        } else if core.len() >= 5
            && core.bytes().all(|b| b.is_ascii_lowercase())
            && fnv(core, ev ^ 0x5bd1_e995).is_multiple_of(3)
        {
            Some(invented_name(fnv(core, ev)).to_lowercase())
        } else {
            None
        };
        match replaced {
            Some(r) => out.push_str(&tok.replacen(core, &r, 1)),
            None => out.push_str(tok),
        }
        sentence_start = tok.ends_with(['.', '!', '?', '\n']);
    }
    out
}

/// One outlet's wording of an event: drops about one in six of the lower-case words, so
/// that independent reports share the event's vocabulary but few word runs (a
/// syndicated copy is made separately, verbatim).
fn vary(text: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    for tok in text.split(' ') {
        if tok.bytes().all(|b| b.is_ascii_lowercase()) && rng.chance(1.0 / 6.0) {
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        out.push_str(tok);
    }
    out
}

struct Event {
    id: u64,
    seed: usize,
    start: f64,
    left: usize,
    reports: Vec<(String, String)>,
}

struct Stream {
    rng: Rng,
    seeds: Vec<(String, Vec<String>)>,
    active: Vec<Event>,
    next_event: u64,
    n: usize,
    outlets: Vec<Outlet>,
}

impl Stream {
    fn new(seeds: Vec<(String, Vec<String>)>) -> Self {
        let outlets = (0..300)
            .map(|i| Outlet::new(format!("{} Herald", invented_name(i * 7919 + 1)), None))
            .collect();
        Stream {
            rng: Rng(0x2545_f491_4f6c_dd1d),
            seeds,
            active: Vec::new(),
            next_event: 0,
            n: 0,
            outlets,
        }
    }

    /// The next article and the event it reports.
    fn next(&mut self) -> (AnalyzedArticle, u64) {
        let now = self.n as f64 / ARTICLES_PER_DAY * 86_400.0;
        self.active
            .retain(|e| e.left > 0 && now - e.start < 3.0 * 86_400.0);
        if self.active.is_empty() || self.rng.chance(0.2) {
            let seed = self.rng.below(self.seeds.len());
            let left = 1 + self.rng.below(12);
            self.active.push(Event {
                id: self.next_event,
                seed,
                start: now,
                left,
                reports: Vec::new(),
            });
            self.next_event += 1;
        }
        let k = self.rng.below(self.active.len());
        let copy = !self.active[k].reports.is_empty() && self.rng.chance(0.1);
        let e = &mut self.active[k];
        e.left -= 1;
        let (title, body) = if copy {
            let r = self.rng.below(e.reports.len());
            e.reports[r].clone()
        } else {
            let (t, sents) = &self.seeds[e.seed];
            let mut body = String::new();
            for s in sents {
                if self.rng.chance(0.7) {
                    body.push_str(s);
                    body.push('\n');
                }
            }
            let title = rewrite(t, e.id);
            let body = vary(&rewrite(&body, e.id), &mut self.rng);
            e.reports.push((title.clone(), body.clone()));
            (title, body)
        };
        let t = e.start + self.rng.below(6 * 3600) as f64 + (now - e.start) * 0.5;
        let published: DateTime<FixedOffset> = FixedOffset::east_opt(0)
            .unwrap()
            .timestamp_opt(1_700_000_000 + t as i64, 0)
            .unwrap();
        let outlet = self.outlets[self.rng.below(self.outlets.len())].clone();
        self.n += 1;
        let event = e.id;
        let doc = AnalyzedArticle {
            article: Article {
                id: ArticleId(format!("a{}", self.n)),
                source: String::new(),
                url: None,
                outlet,
                title,
                byline: vec![],
                published: Some(published),
                language: Some("en".into()),
                body,
                credits: vec![],
            },
            analysis: Analysis::default(),
        };
        (doc, event)
    }
}

/// B-cubed precision, recall and F1 of predicted labels against gold ones.
fn bcubed(pred: &[u32], gold: &[u64]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let mut joint: HashMap<(u32, u64), f64> = HashMap::new();
    let mut ps: HashMap<u32, f64> = HashMap::new();
    let mut gs: HashMap<u64, f64> = HashMap::new();
    for (&p, &g) in pred.iter().zip(gold) {
        *joint.entry((p, g)).or_default() += 1.0;
        *ps.entry(p).or_default() += 1.0;
        *gs.entry(g).or_default() += 1.0;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (&(pc, gc), &c) in &joint {
        p += c * c / ps[&pc];
        r += c * c / gs[&gc];
    }
    let n = pred.len().max(1) as f64;
    let (p, r) = (p / n, r / n);
    (p, r, 2.0 * p * r / (p + r).max(1e-12))
}

fn load_seeds() -> Vec<(String, Vec<String>)> {
    // The seed file, else the shared data folder the gates read (`PARALLAX_SHARED_DATA`,
    // which a git worktree needs: `../shared` is not beside it), else `../shared/data`.
    let path = std::env::var("PARALLAX_BENCH_SEED").unwrap_or_else(|_| {
        match std::env::var("PARALLAX_SHARED_DATA") {
            Ok(dir) => format!("{dir}/stories/ecbplus-dev.jsonl"),
            Err(_) => concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/data/stories/ecbplus-dev.jsonl"
            )
            .to_string(),
        }
    });
    let mut out = Vec::new();
    if let Ok(text) = std::fs::read_to_string(&path) {
        for line in text.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let title = v["title"].as_str().unwrap_or("").to_string();
            let sents: Vec<String> = v["text"]
                .as_str()
                .unwrap_or("")
                .lines()
                .skip(1)
                .map(str::to_string)
                .collect();
            if sents.len() >= 3 {
                out.push((title, sents));
            }
        }
    }
    if out.is_empty() {
        eprintln!(
            "note: {path} not found; using invented templates (set PARALLAX_BENCH_SEED or PARALLAX_SHARED_DATA for the ECB+ stream the README quotes)"
        );
        let s = |x: &str| x.to_string();
        out.push((
            s("Freight train derails near Kessling"),
            vec![
                s("A freight train operated by Northway Rail derailed near Kessling on Monday."),
                s("Eleven wagons carrying timber left the track east of Kessling station."),
                s("Investigator Helena Marsk said a cracked rail was being examined."),
                s("The line between Kessling and Dunmere will stay closed until Wednesday."),
            ],
        ));
        out.push((
            s("Council closes Quaymouth ferry terminal"),
            vec![
                s("The council of Brindlemoor voted on Tuesday to close the terminal at Quaymouth."),
                s("Councillor Ida Venholt said a temporary landing stage would open in six weeks."),
                s("Ferry operator Lantern Lines will run a reduced timetable until then."),
                s("The terminal opened in 1962 and was last repaired eleven years ago."),
            ],
        ));
    }
    out
}

/// CPU time this thread has run, in seconds (Linux `schedstat`; 0 elsewhere).
fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn vm_hwm_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    let seeds = load_seeds();
    // Per run: (size, CPU µs per article over its last tenth, over its last fifth).
    let mut runs: Vec<(usize, f64, f64)> = Vec::new();
    for &n in &sizes {
        let mut stream = Stream::new(seeds.clone());
        let mut c = Clusterer::new(ClusterConfig::default());
        let step = (n / 10).max(1);
        // Articles are generated a chunk at a time outside the timed loop; each chunk's
        // `add`s are timed by the wall clock and by this thread's CPU time (the
        // machine may be shared: CPU time is the cost on one core, wall time includes
        // waiting for it).
        let chunk = 1000.min(step);
        let (mut wall, mut cpu) = (0.0f64, 0.0f64);
        let (mut tenth_wall, mut tenth_cpu) = (0.0f64, 0.0f64);
        let (mut last_wall, mut last_cpu) = (0.0f64, 0.0f64);
        // The tenth before the last: the pass runs every 2,000 articles, so at 10k a
        // tenth (1,000) holds a pass every other time, and the last two tenths together
        // are the like-for-like cost to set against a longer stream's last tenth.
        let mut prev_cpu = 0.0f64;
        let mut bytes = 0usize;
        let mut events: Vec<u64> = Vec::with_capacity(n);
        let mut docs = Vec::with_capacity(chunk);
        let mut done = 0;
        while done < n {
            let k = chunk.min(n - done).min(step - done % step);
            docs.clear();
            for _ in 0..k {
                let (doc, event) = stream.next();
                events.push(event);
                bytes += doc.article.body.len();
                docs.push(doc);
            }
            let (t0, c0) = (Instant::now(), thread_cpu_secs());
            for doc in &docs {
                c.add(doc);
            }
            let (dw, dc) = (t0.elapsed().as_secs_f64(), thread_cpu_secs() - c0);
            wall += dw;
            cpu += dc;
            tenth_wall += dw;
            tenth_cpu += dc;
            done += k;
            if done % step == 0 {
                last_wall = tenth_wall / step as f64;
                prev_cpu = last_cpu;
                last_cpu = tenth_cpu / step as f64;
                eprintln!(
                    "  n={n} at {done}: {:.1} µs/article CPU ({:.1} wall) over the last tenth, {} stories, VmHWM {:.0} MB",
                    last_cpu * 1e6,
                    last_wall * 1e6,
                    c.story_count(),
                    vm_hwm_mb()
                );
                tenth_wall = 0.0;
                tenth_cpu = 0.0;
            }
        }
        let (t0, c0) = (Instant::now(), thread_cpu_secs());
        c.finish();
        wall += t0.elapsed().as_secs_f64();
        cpu += thread_cpu_secs() - c0;
        println!(
            "{{\"articles\": {n}, \"articles_per_cpu_sec\": {:.0}, \"articles_per_sec\": {:.0}, \"cpu_us_per_article\": {:.1}, \"cpu_us_per_article_last_tenth\": {:.1}, \"cpu_us_per_article_last_fifth\": {:.1}, \"wall_us_per_article_last_tenth\": {:.1}, \"vm_hwm_mb\": {:.0}, \"mean_body_bytes\": {:.0}, \"events\": {}, \"stories\": {}}}",
            n as f64 / cpu,
            n as f64 / wall,
            cpu / n as f64 * 1e6,
            last_cpu * 1e6,
            (last_cpu + prev_cpu) / 2.0 * 1e6,
            last_wall * 1e6,
            vm_hwm_mb(),
            bytes as f64 / n as f64,
            stream.next_event,
            c.story_count()
        );
        runs.push((n, last_cpu * 1e6, (last_cpu + prev_cpu) / 2.0 * 1e6));
        // Quality at scale: B-cubed against the generated events (after the timings,
        // so the bookkeeping does not count in them).
        let mut story_of: std::collections::HashMap<String, u32> = Default::default();
        let pred: Vec<u32> = (1..=n)
            .map(|i| {
                let a = c.assignment(&ArticleId(format!("a{i}"))).expect("known");
                let k = story_of.len() as u32;
                *story_of.entry(a.story.0).or_insert(k)
            })
            .collect();
        let (p, r, f) = bcubed(&pred, &events);
        let (mut copies, mut cross) = (0usize, 0usize);
        for i in 1..=n {
            let a = c.assignment(&ArticleId(format!("a{i}"))).expect("known");
            if let Some((orig, _)) = a.copy_of {
                copies += 1;
                let j: usize = orig.0[1..].parse().expect("generated id");
                cross += usize::from(events[j - 1] != events[i - 1]);
            }
        }
        // `PARALLAX_BENCH_ASSIGNMENTS=PREFIX` writes `PREFIX-N.tsv` (id, story, copy_of per
        // line): a speed change must leave these files byte-identical.
        if let Ok(prefix) = std::env::var("PARALLAX_BENCH_ASSIGNMENTS") {
            use std::io::Write;
            let path = format!("{prefix}-{n}.tsv");
            let mut w = std::io::BufWriter::new(std::fs::File::create(&path).expect("writable"));
            for i in 1..=n {
                let a = c.assignment(&ArticleId(format!("a{i}"))).expect("known");
                let copy = a
                    .copy_of
                    .map_or(String::new(), |(id, s)| format!("{} {s}", id.0));
                writeln!(w, "a{i}\t{}\t{copy}", a.story.0).expect("write");
            }
        }
        println!(
            "{{\"articles\": {n}, \"bcubed_p\": {p:.3}, \"bcubed_r\": {r:.3}, \"bcubed_f1\": {f:.3}, \"placed_as_copies\": {copies}, \"copies_of_another_event\": {cross}}}"
        );
    }
    print_cost_ratio(&runs);
}

/// How the cost per article grows with the stream: the largest run's last tenth against
/// the smallest size's last fifth (the median over its runs: a 10k run's last fifth is
/// 2,000 articles, a tenth of a second, and moves by ±10 % from one run to the next, so
/// give the smallest size several times, e.g. `10000 10000 10000 10000 10000 1000000`).
fn print_cost_ratio(runs: &[(usize, f64, f64)]) {
    let (Some(small), Some(large)) = (
        runs.iter().map(|r| r.0).min(),
        runs.iter().map(|r| r.0).max(),
    ) else {
        return;
    };
    if small == large {
        return;
    }
    let fifths: Vec<f64> = runs.iter().filter(|r| r.0 == small).map(|r| r.2).collect();
    let k = fifths.len();
    let median = median(fifths);
    let tenth = runs.iter().rfind(|r| r.0 == large).map_or(0.0, |r| r.1);
    println!(
        "{{\"cost_ratio\": {:.2}, \"largest\": {large}, \"largest_last_tenth_us\": {tenth:.1}, \"smallest\": {small}, \"smallest_runs\": {k}, \"smallest_last_fifth_median_us\": {median:.1}}}",
        tenth / median.max(1e-9)
    );
}

/// The median of a benchmark's runs (the upper one of an even count), as the other
/// benchmarks take it.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
