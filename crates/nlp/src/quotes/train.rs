//! Training the attribution tagger on PolNeAR (`examples/train_quotes.rs` drives it).
//!
//! - One annotator per article: the first ID in `metadata.tsv`'s `annotators` column,
//!   as the dataset's README suggests, so no article counts twice.
//! - A token takes the role of the gold span that holds its middle; B marks the first
//!   token of each span piece (a discontinuous content is several pieces).
//! - Two stacked passes, as in the NER module: the second pass reads the first pass's
//!   tags, and for training those come from models that did not see the article
//!   (k-fold), so the second pass learns how far to trust them.
//! - Articles are visited in a seeded shuffle and folds train on threads with their
//!   own seeds: a run is reproducible bit for bit.
// Tag-indexed arrays read more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]
use std::collections::HashMap;
use std::io;
use std::path::Path;

use parallax_core::Span;

use super::tagger::{self, Para, Scratch, B_CONTENT, B_CUE, B_SOURCE};
use crate::ner::clusters::Clusters;
use crate::ner::features::Gazetteer;
use crate::ner::model::{average, Model, Rows, Trainer, Weights};

/// One annotated article: its text and the gold spans (byte ranges) by role
/// (1 source, 2 cue, 3 content), each span as its pieces.
pub struct Article {
    pub name: String,
    pub text: String,
    pub spans: Vec<(usize, Vec<Span>)>,
    /// The other annotators' spans, for the few articles several people annotated.
    pub others: Vec<Vec<(usize, Vec<Span>)>>,
}

/// PolNeAR's `metadata.tsv`: a header, then one tab-separated row per article;
/// columns are found by name. Read by the trainer, the scorers and the benchmarks.
pub struct Metadata {
    path: std::path::PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Metadata {
    /// Reads `dir/metadata.tsv`; an error names the file.
    pub fn read(dir: &Path) -> io::Result<Metadata> {
        let path = dir.join("metadata.tsv");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("reading {}: {e}", path.display())))?;
        let mut lines = text.lines();
        let split = |l: &str| l.split('\t').map(str::to_string).collect::<Vec<_>>();
        let header = split(lines.next().unwrap_or(""));
        let rows = lines.filter(|l| !l.trim().is_empty()).map(split).collect();
        Ok(Metadata { path, header, rows })
    }

    /// The index of column `name` in every row; an error names the file when it has
    /// no such column.
    pub fn column(&self, name: &str) -> io::Result<usize> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            io::Error::other(format!("{} has no {name} column", self.path.display()))
        })
    }

    /// The rows (fields in header order; a short row has fewer).
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The articles of `split` ("train" or "dev") of the PolNeAR folder `dir`, each with
/// its first annotator's spans.
pub fn read_polnear(dir: &Path, split: &str) -> io::Result<Vec<Article>> {
    let meta = Metadata::read(dir)?;
    let (c_split, c_file, c_ann) = (
        meta.column("compartment")?,
        meta.column("filename")?,
        meta.column("annotators")?,
    );
    let mut out = Vec::new();
    for f in meta.rows() {
        let (Some(s), Some(name), Some(anns)) = (f.get(c_split), f.get(c_file), f.get(c_ann))
        else {
            continue;
        };
        if s != split {
            continue;
        }
        let text =
            std::fs::read_to_string(dir.join(split).join("text").join(format!("{name}.txt")))?;
        let mut sets = Vec::new();
        for ann in anns.split('|').map(str::trim).filter(|a| !a.is_empty()) {
            let gold = std::fs::read_to_string(
                dir.join(split)
                    .join("attributions")
                    .join(format!("{name}_{ann}.ann")),
            )?;
            sets.push(parse_ann(&text, &gold));
        }
        if sets.is_empty() {
            continue;
        }
        let spans = sets.remove(0);
        out.push(Article {
            name: name.to_string(),
            text,
            spans,
            others: sets,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// `Source`, `Cue` and `Content` spans of a brat standoff file, code points turned
/// into byte offsets of `text`.
fn parse_ann(text: &str, ann: &str) -> Vec<(usize, Vec<Span>)> {
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let at = |c: usize| bytes.get(c).copied();
    let mut out = Vec::new();
    for line in ann.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 2 || !f[0].starts_with('T') {
            continue;
        }
        let (ty, ranges) = f[1].split_once(' ').unwrap_or(("", ""));
        let role = match ty {
            "Source" => 1,
            "Cue" => 2,
            "Content" => 3,
            _ => continue,
        };
        let pieces: Vec<Span> = ranges
            .split(';')
            .filter_map(|r| {
                let (a, b) = r.trim().split_once(' ')?;
                let (a, b) = (at(a.trim().parse().ok()?)?, at(b.trim().parse().ok()?)?);
                (a < b).then(|| Span::new(a, b))
            })
            .collect();
        if !pieces.is_empty() {
            out.push((role, pieces));
        }
    }
    out
}

/// Gold tags of one paragraph's tokens.
pub fn labels(para: &Para, spans: &[(usize, Vec<Span>)]) -> Vec<usize> {
    let mut tags = vec![0usize; para.toks.len()];
    // (span index, piece index) of the previous token's label, for B vs I.
    let mut prev: Option<(usize, usize)> = None;
    for (i, t) in para.toks.iter().enumerate() {
        let mid = (t.span.start + t.span.end) / 2;
        let hit = spans.iter().enumerate().find_map(|(si, (role, pieces))| {
            pieces
                .iter()
                .position(|p| p.start <= mid && mid < p.end)
                .map(|pi| (si, pi, *role))
        });
        match hit {
            Some((si, pi, role)) => {
                let b = [0, B_SOURCE, B_CUE, B_CONTENT][role];
                tags[i] = if prev == Some((si, pi)) { b + 1 } else { b };
                prev = Some((si, pi));
            }
            None => prev = None,
        }
    }
    tags
}

pub struct Options {
    pub epochs: usize,
    /// Folds for the second pass's first-pass tags; 0 trains a single pass.
    pub stack_folds: usize,
    pub seed: u64,
    pub prune: f32,
    pub cost: f32,
    /// Taken from the O tag's bias weight in the last pass: a little recall for
    /// precision, since a missed attribution costs recall on all three roles.
    pub o_bias: f32,
    /// Other O biases to report the finished model with (for choosing `o_bias`).
    pub tune_o_bias: Vec<f32>,
    /// Also train on the other annotators' versions of the articles several people
    /// annotated (same text, their spans).
    pub all_annotators: bool,
    /// Models averaged per pass, each trained on its own shuffle (1: no averaging).
    pub seeds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 12,
            stack_folds: 4,
            seed: 0x5eed_9a2c,
            // Weights grow in whole perceptron steps; below 8 the rows multiply eightfold
            // (11 MB) for no gain on dev.
            prune: 8.0,
            cost: 1.0,
            o_bias: 0.0,
            tune_o_bias: Vec::new(),
            all_annotators: false,
            seeds: 1,
        }
    }
}

/// One paragraph ready for training: its first-pass features and gold tags.
struct Example {
    doc: usize,
    para: Para,
    feats: Vec<u32>,
    offsets: Vec<usize>,
    gold: Vec<usize>,
}

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

fn shuffle<T>(v: &mut [T], rng: &mut u64) {
    for i in (1..v.len()).rev() {
        let j = (xorshift(rng) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

/// Perceptron epochs over the examples `idx`, each with its features from `feats`.
fn run_epochs<'a>(
    examples: &[Example],
    idx: &[usize],
    feats: &dyn Fn(usize) -> (&'a [u32], &'a [usize]),
    opts: &Options,
    seed: u64,
    mut each: impl FnMut(usize, &Trainer),
) -> Trainer {
    let mut trainer = Trainer::new();
    trainer.cost = opts.cost;
    let mut order = idx.to_vec();
    let mut rng = seed | 1;
    for epoch in 1..=opts.epochs {
        shuffle(&mut order, &mut rng);
        let (mut wrong, mut total) = (0usize, 0usize);
        for &k in &order {
            let (f, off) = feats(k);
            wrong += trainer.learn(f, off, &examples[k].gold);
            total += examples[k].gold.len();
        }
        eprintln!(
            "  epoch {epoch}: {wrong} of {total} tokens mistagged ({:.2}%)",
            100.0 * wrong as f64 / total.max(1) as f64
        );
        each(epoch, &trainer);
    }
    trainer
}

/// The mean of `opts.seeds` models trained on `idx`, each on its own shuffle (on
/// threads), pruned after averaging.
fn averaged<'a, F>(
    examples: &[Example],
    idx: &[usize],
    feats: &F,
    opts: &Options,
    seed: u64,
) -> Rows
where
    F: Fn(usize) -> (&'a [u32], &'a [usize]) + Sync,
{
    let models: Vec<Rows> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..opts.seeds)
            .map(|n| {
                let seed = seed ^ (n as u64 * 0x5851_f42d);
                s.spawn(move || run_epochs(examples, idx, feats, opts, seed, |_, _| {}).export(0.0))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a training thread finishes"))
            .collect()
    });
    average(&models, opts.prune)
}

/// Called with what is being reported ("epoch 3") and the model file as it would be
/// written then.
pub type Report<'a> = Box<dyn FnMut(&str, &[u8]) + 'a>;

/// The words (canonical forms, letters only) that are part of a gold cue at least 3
/// times, graded by the share of their occurrences in `paras` (text, paragraph, gold
/// tags) that are in a cue: 1 at least 60%, 2 at least 30%, 3 at least 10%. Reporting
/// verbs, but also the attitudes, plans and findings PolNeAR counts ("endorsed",
/// "hopes", "found"). Stems (`tagger::stem`, keyed "~" and the stem: "~urg") are graded
/// the same way on their words' pooled counts, so "urged", "urges" and "urging" count
/// together. Kept in the model file as a one-word gazetteer, the grade as the type.
pub fn cue_words<'a>(paras: impl Iterator<Item = (&'a str, &'a Para, &'a [usize])>) -> Gazetteer {
    let mut seen: HashMap<String, (u32, u32)> = HashMap::new();
    for (text, para, gold) in paras {
        for (t, &g) in para.toks.iter().zip(gold) {
            let w = &text[t.span.start..t.span.end];
            if !w.chars().all(char::is_alphabetic) {
                continue;
            }
            let e = seen.entry(tagger::canon(w)).or_default();
            e.0 += 1;
            if tagger::role(g) == 2 {
                e.1 += 1;
            }
        }
    }
    // Grades: 1 at least 60% of the word's occurrences are in a cue, 2 at least 30%,
    // 3 at least 10%; the stems ("~" and the word's stem) pool their words' counts.
    let mut stems: HashMap<String, (u32, u32)> = HashMap::new();
    for (w, (all, cue)) in &seen {
        let e = stems.entry(format!("~{}", tagger::stem(w))).or_default();
        e.0 += all;
        e.1 += cue;
    }
    let grade = |all: u32, cue: u32| -> Option<usize> {
        if cue < 3 {
            None
        } else if cue * 10 >= all * 6 {
            Some(0)
        } else if cue * 10 >= all * 3 {
            Some(1)
        } else if cue * 10 >= all {
            Some(2)
        } else {
            None
        }
    };
    let words: HashMap<Vec<String>, [u32; 4]> = seen
        .into_iter()
        .chain(stems)
        .filter_map(|(w, (all, cue))| {
            let g = grade(all, cue)?;
            let mut c = [0u32; 4];
            c[g] = 1;
            Some((vec![w], c))
        })
        .collect();
    Gazetteer::build(&words)
}

/// Trains on `articles` and returns the model file.
pub fn train(
    articles: &[Article],
    opts: &Options,
    mut report: Option<Report>,
) -> io::Result<Vec<u8>> {
    let clusters = super::clusters();
    let entities = crate::entities::EntityTagger::new();
    let mut sc = Scratch::default();
    // Every paragraph with its gold tags (first annotator, then the others' when asked).
    let mut paras: Vec<(usize, Para, Vec<Vec<usize>>)> = Vec::new();
    for (d, a) in articles.iter().enumerate() {
        let sents = crate::sentences::split(&a.text);
        let ents = entities.tag(&a.text, &sents);
        let sets = if opts.all_annotators {
            1 + a.others.len()
        } else {
            1
        };
        for para in super::token_paragraphs(&a.text, &sents, &ents) {
            let golds = (0..sets)
                .map(|k| labels(&para, if k == 0 { &a.spans } else { &a.others[k - 1] }))
                .collect();
            paras.push((d, para, golds));
        }
    }
    let cues = cue_words(
        paras
            .iter()
            .map(|(d, p, g)| (articles[*d].text.as_str(), p, g[0].as_slice())),
    );
    eprintln!("{} cue words learned", cues.len());
    let mut examples: Vec<Example> = Vec::new();
    for (d, para, golds) in paras {
        let (mut feats, mut offsets) = (Vec::new(), Vec::new());
        let text = &articles[d].text;
        tagger::features(
            text,
            &para,
            clusters,
            &cues,
            &mut sc,
            &mut feats,
            &mut offsets,
        );
        for gold in golds {
            examples.push(Example {
                doc: d,
                para: para.clone(),
                feats: feats.clone(),
                offsets: offsets.clone(),
                gold,
            });
        }
    }
    let tokens: usize = examples.iter().map(|e| e.gold.len()).sum();
    eprintln!(
        "{} articles, {} paragraphs, {tokens} tokens",
        articles.len(),
        examples.len()
    );
    let bias_key = crate::ner::features::f1(0, "");
    let shift = |rows: &Rows, bias: f32| -> Rows {
        let mut rows = rows.clone();
        if let Some(r) = rows.rows.iter_mut().find(|r| r.0 == bias_key) {
            r.1[0] -= bias;
        }
        rows
    };
    let save_with = |first: &Rows, second: Option<&Rows>, bias: f32| -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        // Only the last pass: the second pass learned from unshifted first-pass tags.
        let first = if second.is_some() {
            first.clone()
        } else {
            shift(first, bias)
        };
        Model::save(
            &first,
            second.map(|s| shift(s, bias)).as_ref(),
            &cues,
            &Clusters::default(),
            tagger::FEATURE_VERSION,
            &mut bytes,
        )?;
        Ok(bytes)
    };
    let save = |first: &Rows, second: Option<&Rows>| save_with(first, second, opts.o_bias);
    let all: Vec<usize> = (0..examples.len()).collect();
    let base = |k: usize| -> (&[u32], &[usize]) { (&examples[k].feats, &examples[k].offsets) };
    let single = opts.stack_folds < 2;
    eprintln!("first pass, all articles");
    let first = if opts.seeds > 1 {
        averaged(&examples, &all, &base, opts, opts.seed)
    } else {
        run_epochs(&examples, &all, &base, opts, opts.seed, |e, t| {
            if let (true, Some(r)) = (single, report.as_mut()) {
                if let Ok(b) = save(&t.export(opts.prune), None) {
                    r(&format!("epoch {e}"), &b);
                }
            }
        })
        .export(opts.prune)
    };
    if single {
        return save(&first, None);
    }
    // First-pass tags for every paragraph from a model that did not train on its
    // article.
    let k = opts.stack_folds;
    eprintln!("first-pass tags from {k} folds");
    let held: Vec<Vec<(usize, Vec<usize>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..k)
            .map(|f| {
                let (examples, base) = (&examples, &base);
                s.spawn(move || {
                    let train: Vec<usize> = (0..examples.len())
                        .filter(|&x| examples[x].doc % k != f)
                        .collect();
                    let seed = opts.seed ^ ((f as u64 + 1) * 0x9e37);
                    let t = run_epochs(examples, &train, base, opts, seed, |_, _| {});
                    let w = Weights::from_rows(&t.export(opts.prune));
                    let mut tags = Vec::new();
                    (0..examples.len())
                        .filter(|&x| examples[x].doc % k == f)
                        .map(|x| {
                            w.decode(&examples[x].feats, &examples[x].offsets, &mut tags);
                            (x, tags.clone())
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut first_tags: Vec<Vec<usize>> = vec![Vec::new(); examples.len()];
    for (x, t) in held.into_iter().flatten() {
        first_tags[x] = t;
    }
    let stacked: Vec<(Vec<u32>, Vec<usize>)> = examples
        .iter()
        .zip(&first_tags)
        .map(|(e, t)| {
            let (mut f, mut o) = (Vec::new(), Vec::new());
            let text = &articles[e.doc].text;
            // Refills the scratch with this paragraph's words, as tagging does.
            tagger::features(text, &e.para, clusters, &cues, &mut sc, &mut f, &mut o);
            tagger::stack_features(&e.para, t, &e.feats, &e.offsets, &mut sc, &mut f, &mut o);
            (f, o)
        })
        .collect();
    eprintln!("second pass, with first-pass tags");
    let two = |k: usize| -> (&[u32], &[usize]) { (&stacked[k].0, &stacked[k].1) };
    let second = if opts.seeds > 1 {
        let rows = averaged(&examples, &all, &two, opts, opts.seed ^ 0x2);
        if let Some(r) = report.as_mut() {
            if let Ok(b) = save(&first, Some(&rows)) {
                r(&format!("epoch {}", opts.epochs), &b);
            }
        }
        rows
    } else {
        run_epochs(&examples, &all, &two, opts, opts.seed ^ 0x2, |e, t| {
            if let Some(r) = report.as_mut() {
                let rows = t.export(opts.prune);
                if let Ok(b) = save(&first, Some(&rows)) {
                    r(&format!("epoch {e}"), &b);
                }
                if e == opts.epochs {
                    for &bias in &opts.tune_o_bias {
                        if let Ok(b) = save_with(&first, Some(&rows), bias) {
                            r(&format!("O bias {bias}"), &b);
                        }
                    }
                }
            }
        })
        .export(opts.prune)
    };
    for x in [0.05f32, 1.0, 2.0, 5.0, 10.0, 20.0] {
        let n = |r: &Rows| {
            r.rows
                .iter()
                .filter(|w| w.1.iter().any(|v| v.abs() >= x))
                .count()
        };
        eprintln!("weight rows at prune {x}: {} + {}", n(&first), n(&second));
    }
    save(&first, Some(&second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_become_bytes_and_tokens_get_bio() {
        let text = "“Ça va,” Okafor said.";
        let spans = parse_ann(
            text,
            "T1\tContent 0 8\t“Ça va,”\nT2\tSource 9 15\tOkafor\nT3\tCue 16 20\tsaid\n",
        );
        assert_eq!(&text[spans[0].1[0].start..spans[0].1[0].end], "“Ça va,”");
        assert_eq!(&text[spans[2].1[0].start..spans[2].1[0].end], "said");
        let sents = crate::sentences::split(text);
        let paras = super::super::token_paragraphs(text, &sents, &[]);
        let tags = labels(&paras[0], &spans);
        // “ Ça va , ” Okafor said .
        assert_eq!(tags, vec![5, 6, 6, 6, 6, 1, 3, 0]);
    }

    #[test]
    fn cue_words_are_frequent_cues() {
        let text = "Ana said no. Ben said yes. Cy said maybe. Dee noted it. Eve noted it too. \
                    The plan works. The plan fails. The plan stalls. Ana plans more. \
                    Fay urged calm. Gil urged care. Hal urges patience.";
        let sents = crate::sentences::split(text);
        let paras = super::super::token_paragraphs(text, &sents, &[]);
        // Cues: every "said", "noted", "urged" and "urges", one "plans" (never "plan").
        let golds: Vec<Vec<usize>> = paras
            .iter()
            .map(|p| {
                p.toks
                    .iter()
                    .map(|t| match &text[t.span.start..t.span.end] {
                        "said" | "noted" | "plans" | "urged" | "urges" => B_CUE,
                        _ => 0,
                    })
                    .collect()
            })
            .collect();
        let g = cue_words(
            paras
                .iter()
                .zip(&golds)
                .map(|(p, g)| (text, p, g.as_slice())),
        );
        assert!(g.has_word("said") && g.has_word("Said"));
        assert!(!g.has_word("noted"), "twice is too rare");
        assert!(!g.has_word("plans") && !g.has_word("plan") && !g.has_word("Ana"));
        assert_eq!(g.word_type("said"), Some(1), "always a cue: the top grade");
        // "urged" twice and "urges" once: too rare as words, but their stem pools them.
        assert!(!g.has_word("urged") && !g.has_word("urges"));
        assert_eq!(g.word_type("~urg"), Some(1));
        assert_eq!(g.word_type("~plan"), None, "one cue in four");
    }
}
