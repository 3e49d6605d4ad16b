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
//! of a run print the cost per article over the last tenth.
//!
//! The stream: events are started at random and reported by 1–12 outlets over about
//! three days (3,000 articles a day, so 1M articles span about a year). Each event is
//! a rewrite of a development article read at run time from
//! `../shared/data/stories/ecbplus-dev.jsonl` (`PARALLAX_BENCH_SEED` overrides; never
//! committed), with every capitalised word replaced by an invented name and every number by
//! another, consistently within the event; each report keeps a random 70% of the
//! sentences and about one in ten is a verbatim syndicated copy of an earlier report.
//! Without the file, invented template sentences are used.

use std::time::Instant;

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
/// invented names and numbers other numbers, the same way throughout the event.
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

    fn next(&mut self) -> AnalyzedArticle {
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
            let body = rewrite(&body, e.id);
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
        AnalyzedArticle {
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
        }
    }
}

fn load_seeds() -> Vec<(String, Vec<String>)> {
    let path = std::env::var("PARALLAX_BENCH_SEED").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/stories/ecbplus-dev.jsonl"
        )
        .to_string()
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
        eprintln!("note: {path} not found; using invented templates");
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
    for &n in &sizes {
        let mut stream = Stream::new(seeds.clone());
        let mut c = Clusterer::new(ClusterConfig::default());
        let step = (n / 10).max(1);
        let (mut busy, mut window_busy) = (0.0f64, 0.0f64);
        let mut bytes = 0usize;
        let mut last_tenth = 0.0;
        for i in 1..=n {
            let doc = stream.next();
            bytes += doc.article.body.len();
            let t0 = Instant::now();
            c.add(&doc);
            let dt = t0.elapsed().as_secs_f64();
            busy += dt;
            window_busy += dt;
            if i % step == 0 {
                last_tenth = window_busy / step as f64;
                eprintln!(
                    "  n={n} at {i}: {:.1} µs/article over the last tenth, {} stories, VmHWM {:.0} MB",
                    last_tenth * 1e6,
                    c.stories().len(),
                    vm_hwm_mb()
                );
                window_busy = 0.0;
            }
        }
        let t0 = Instant::now();
        c.finish();
        busy += t0.elapsed().as_secs_f64();
        println!(
            "{{\"articles\": {n}, \"articles_per_sec\": {:.0}, \"us_per_article\": {:.1}, \"us_per_article_last_tenth\": {:.1}, \"vm_hwm_mb\": {:.0}, \"mean_body_bytes\": {:.0}, \"events\": {}, \"stories\": {}}}",
            n as f64 / busy,
            busy / n as f64 * 1e6,
            last_tenth * 1e6,
            vm_hwm_mb(),
            bytes as f64 / n as f64,
            stream.next_event,
            c.stories().len()
        );
    }
}
