//! Quotes (attributions) scored on PolNeAR dev (issue 5): for each role (source, cue,
//! content), precision, recall and F1 of the engine's spans against the hand-annotated
//! ones, with two matches:
//!
//! - **overlap**: a system span counts when it shares a character with a gold span of
//!   the same role, and a gold span when some system span shares a character with it;
//! - **exact**: the same with equal extents. A discontinuous gold span (content often
//!   is) matches when the system span runs from its first start to its last end; both
//!   sides are trimmed of surrounding whitespace and punctuation first.
//!
//! One annotator per article: the first ID in `metadata.tsv`'s `annotators` column, as
//! the dataset's README suggests, so no article counts twice. Gold offsets are code
//! points; the engine's byte spans are converted with [`CharMap`].

use crate::metrics::{f1, ratio};
use crate::read_text;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use parallax_core::CharMap;
use parallax_nlp::quotes::train::Metadata;
use serde::Serialize;

/// Precision, recall and F1 with the counts they come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// System spans that match a gold span.
    pub matched_system: usize,
    /// Gold spans matched by a system span.
    pub matched_gold: usize,
}

impl Prf {
    fn new(matched_system: usize, system: usize, matched_gold: usize, gold: usize) -> Self {
        let precision = ratio(matched_system, system);
        let recall = ratio(matched_gold, gold);
        let f1 = f1(precision, recall);
        Prf {
            precision,
            recall,
            f1,
            matched_system,
            matched_gold,
        }
    }
}

/// One role's scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RoleScores {
    pub overlap: Prf,
    pub exact: Prf,
    /// System spans (distinct extents per article).
    pub system: usize,
    /// Gold spans.
    pub gold: usize,
}

/// Scores per role on the dev split.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteScores {
    pub split: String,
    pub articles: usize,
    pub source: RoleScores,
    pub cue: RoleScores,
    pub content: RoleScores,
    /// The same scores between the dataset's own annotators ([`annotator_agreement`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotator_agreement: Option<Box<QuoteScores>>,
}

/// A gold span: its code-point ranges (several when discontinuous).
type Ranges = Vec<(usize, usize)>;

#[derive(Default)]
struct Counts {
    ov_sys: usize,
    ex_sys: usize,
    system: usize,
    ov_gold: usize,
    ex_gold: usize,
    gold: usize,
}

impl Counts {
    /// Counts one article's spans of one role: `sys` against `gold`.
    fn add(&mut self, chars: &[char], gold: &[Ranges], sys: &[Ranges]) {
        let gold_ext: Vec<_> = gold.iter().filter_map(|g| extent(chars, g)).collect();
        let sys_ext: Vec<_> = sys.iter().filter_map(|p| extent(chars, p)).collect();
        self.system += sys.len();
        self.gold += gold.len();
        self.ov_sys += sys
            .iter()
            .filter(|p| gold.iter().any(|g| overlaps(p, g)))
            .count();
        self.ov_gold += gold
            .iter()
            .filter(|g| sys.iter().any(|p| overlaps(p, g)))
            .count();
        self.ex_sys += sys_ext.iter().filter(|p| gold_ext.contains(p)).count();
        self.ex_gold += gold_ext.iter().filter(|g| sys_ext.contains(g)).count();
    }

    fn scores(&self) -> RoleScores {
        RoleScores {
            overlap: Prf::new(self.ov_sys, self.system, self.ov_gold, self.gold),
            exact: Prf::new(self.ex_sys, self.system, self.ex_gold, self.gold),
            system: self.system,
            gold: self.gold,
        }
    }
}

const ROLES: [&str; 3] = ["source", "cue", "content"];

/// Scores `parallax_nlp::quotes::find` on the dev split of PolNeAR in `data_dir` (the
/// `quotes/polnear` folder: `metadata.tsv`, `dev/text`, `dev/attributions`).
/// With the annotators' agreement beside it, where the articles for it are present.
pub fn score_engine_quotes(data_dir: &Path) -> Result<QuoteScores> {
    let mut scores = score_split(data_dir, "dev")?;
    scores.annotator_agreement = annotator_agreement(data_dir)?.map(Box::new);
    Ok(scores)
}

fn score_split(data_dir: &Path, split: &str) -> Result<QuoteScores> {
    let meta = Metadata::read(data_dir)?;
    let mut first_ann: BTreeMap<String, String> = BTreeMap::new();
    let (c_split, c_file, c_ann) = (
        meta.column("compartment")?,
        meta.column("filename")?,
        meta.column("annotators")?,
    );
    for f in meta.rows() {
        let (Some(s), Some(file), Some(anns)) = (f.get(c_split), f.get(c_file), f.get(c_ann))
        else {
            continue;
        };
        if s == split {
            let ann = anns.split('|').next().unwrap_or("").trim();
            first_ann.insert(file.to_string(), ann.to_string());
        }
    }
    anyhow::ensure!(
        !first_ann.is_empty(),
        "no {split} articles in {}",
        meta.path().display()
    );

    // `PARALLAX_QUOTES_ERRORS=1` prints, for sources and for cues, every span of ours
    // no gold span overlaps, then every gold span none of ours overlaps, and whether
    // one of our contents runs over it.
    let show_misses = std::env::var_os("PARALLAX_QUOTES_ERRORS").is_some();
    let tagger = parallax_nlp::entities::EntityTagger::new();
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut articles = 0;
    for (name, ann) in &first_ann {
        let text_path = data_dir
            .join(split)
            .join("text")
            .join(format!("{name}.txt"));
        let ann_path = data_dir
            .join(split)
            .join("attributions")
            .join(format!("{name}_{ann}.ann"));
        let text = read_text(&text_path)?;
        let gold_text = read_text(&ann_path)?;
        articles += 1;
        let chars: Vec<char> = text.chars().collect();
        let gold = parse_ann(&gold_text);

        let sents = parallax_nlp::sentences::split(&text);
        let ents = tagger.tag(&text, &sents);
        let quotes = parallax_nlp::quotes::find(&text, &sents, &ents);
        let map = CharMap::new(&text);
        let mut sys: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        for q in &quotes {
            sys.entry("content").or_default().push(map.chars(q.content));
            if let Some(c) = q.cue {
                sys.entry("cue").or_default().push(map.chars(c));
            }
            if let Some(s) = q.source {
                sys.entry("source").or_default().push(map.chars(s));
            }
        }
        for role in ROLES {
            let gs: Vec<Ranges> = gold.get(role).cloned().unwrap_or_default();
            let mut ps = sys.remove(role).unwrap_or_default();
            ps.sort_unstable();
            ps.dedup();
            let ps: Vec<Ranges> = ps.into_iter().map(|p| vec![p]).collect();
            counts.entry(role).or_default().add(&chars, &gs, &ps);
            if show_misses && role != "content" {
                for p in ps.iter().filter(|p| !gs.iter().any(|rs| overlaps(p, rs))) {
                    let (t, ctx) = span_in_context(&chars, p);
                    eprintln!("spurious {role}: {t} | {ctx}");
                }
                for rs in gs.iter().filter(|rs| !ps.iter().any(|p| overlaps(p, rs))) {
                    let (t, ctx) = span_in_context(&chars, rs);
                    // Roles are scored source, cue, content: ours are still here.
                    let in_content = sys
                        .get("content")
                        .is_some_and(|cs| cs.iter().any(|&c| overlaps(&vec![c], rs)));
                    eprintln!("missed {role}: {t} | in our content: {in_content} | {ctx}");
                }
            }
        }
    }
    Ok(QuoteScores::from_counts(split, articles, &counts))
}

/// Agreement between PolNeAR's own annotators, scored as the engine is: on the
/// articles that several people annotated (train and dev), every annotator's spans
/// against every other's (each ordered pair once, so precision and recall come out
/// equal). What one careful reader scores against another: a ceiling to read the
/// engine's figures against. `None` when no such article is present.
pub fn annotator_agreement(data_dir: &Path) -> Result<Option<QuoteScores>> {
    let meta = Metadata::read(data_dir)?;
    let (c_split, c_file, c_ann) = (
        meta.column("compartment")?,
        meta.column("filename")?,
        meta.column("annotators")?,
    );
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut articles = 0;
    for f in meta.rows() {
        let (Some(split), Some(name), Some(anns)) = (f.get(c_split), f.get(c_file), f.get(c_ann))
        else {
            continue;
        };
        let anns: Vec<&str> = anns.split('|').map(str::trim).collect();
        if anns.len() < 2 {
            continue;
        }
        let dir = data_dir.join(split);
        // A split that is not there (a copy of the dev split alone) is left out; a file
        // missing from a split that is there is an error.
        if !dir.join("text").is_dir() {
            continue;
        }
        let text = read_text(&dir.join("text").join(format!("{name}.txt")))?;
        let chars: Vec<char> = text.chars().collect();
        let mut golds = Vec::new();
        for ann in &anns {
            let path = dir.join("attributions").join(format!("{name}_{ann}.ann"));
            golds.push(parse_ann(&read_text(&path)?));
        }
        articles += 1;
        for (i, g) in golds.iter().enumerate() {
            for (j, s) in golds.iter().enumerate() {
                if i == j {
                    continue;
                }
                for role in ROLES {
                    let none = Vec::new();
                    let (gs, ss) = (g.get(role).unwrap_or(&none), s.get(role).unwrap_or(&none));
                    counts.entry(role).or_default().add(&chars, gs, ss);
                }
            }
        }
    }
    if articles == 0 {
        return Ok(None);
    }
    Ok(Some(QuoteScores::from_counts(
        "annotator agreement",
        articles,
        &counts,
    )))
}

impl QuoteScores {
    /// The three roles' scores, named, in the order the scorer reports them.
    pub fn roles(&self) -> [(&'static str, &RoleScores); 3] {
        [
            ("source", &self.source),
            ("cue", &self.cue),
            ("content", &self.content),
        ]
    }

    fn from_counts(split: &str, articles: usize, counts: &BTreeMap<&str, Counts>) -> Self {
        let get = |r: &str| counts.get(r).map(Counts::scores).unwrap_or_default();
        QuoteScores {
            split: split.to_string(),
            articles,
            source: get("source"),
            cue: get("cue"),
            content: get("content"),
            annotator_agreement: None,
        }
    }
}

/// A span shares a character with another (either may be discontinuous).
fn overlaps(a: &Ranges, b: &Ranges) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.0 < y.1 && y.0 < x.1))
}

/// A span's words (its parts joined by " … ", lower-cased) and the text around it on
/// one line, for the error listing.
fn span_in_context(chars: &[char], rs: &Ranges) -> (String, String) {
    let slice = |a: usize, b: usize| -> String {
        chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect()
    };
    let words = rs
        .iter()
        .map(|r| slice(r.0, r.1))
        .collect::<Vec<_>>()
        .join(" … ")
        .to_lowercase();
    let context = slice(rs[0].0.saturating_sub(120), rs[0].1 + 60).replace('\n', " ");
    (words, context)
}

/// A span's extent, first start to last end, trimmed: what exact match compares.
fn extent(chars: &[char], rs: &Ranges) -> Option<(usize, usize)> {
    let a = rs.iter().map(|r| r.0).min()?;
    let b = rs.iter().map(|r| r.1).max()?;
    Some(trim(chars, (a, b)))
}

/// Narrows a code-point range past whitespace and punctuation at either end.
fn trim(chars: &[char], (mut a, mut b): (usize, usize)) -> (usize, usize) {
    let b_max = chars.len();
    b = b.min(b_max);
    let skip = |c: char| {
        c.is_whitespace()
            || (c.is_ascii_punctuation() && c != '%' && c != '$')
            || matches!(c, '“' | '”' | '‘' | '’' | '—' | '–')
    };
    while a < b && skip(chars[a]) {
        a += 1;
    }
    while b > a && skip(chars[b - 1]) {
        b -= 1;
    }
    (a, b)
}

/// The `Source`, `Cue` and `Content` spans of a brat standoff file, by role.
fn parse_ann(text: &str) -> BTreeMap<&'static str, Vec<Ranges>> {
    let mut g: BTreeMap<&'static str, Vec<Ranges>> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 2 || !f[0].starts_with('T') {
            continue;
        }
        let (ty, ranges) = f[1].split_once(' ').unwrap_or(("", ""));
        let role = match ty {
            "Source" => "source",
            "Cue" => "cue",
            "Content" => "content",
            _ => continue,
        };
        let rs: Ranges = ranges
            .split(';')
            .filter_map(|r| {
                let (a, b) = r.trim().split_once(' ')?;
                Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
            })
            .collect();
        if !rs.is_empty() {
            g.entry(role).or_default().push(rs);
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_discontinuous_spans() {
        let g = parse_ann("T1\tContent 0 5;9 14\tabcde fghij\nT2\tCue 6 8\tsaid\nR1\tx\n");
        assert_eq!(g["content"], vec![vec![(0, 5), (9, 14)]]);
        assert_eq!(g["cue"], vec![vec![(6, 8)]]);
    }

    /// Discontinuous spans on both sides overlap when any of their pieces do, and
    /// match exactly when their trimmed extents are equal.
    #[test]
    fn counts_discontinuous_spans_on_both_sides() {
        let chars: Vec<char> = "ab cd ef gh ij".chars().collect();
        let gold = vec![vec![(0, 2), (6, 8)], vec![(12, 14)]];
        let sys = vec![vec![(0, 2), (6, 8)], vec![(3, 5)], vec![(9, 11), (12, 13)]];
        let mut c = Counts::default();
        c.add(&chars, &gold, &sys);
        assert_eq!((c.system, c.gold), (3, 2));
        assert_eq!((c.ov_sys, c.ov_gold), (2, 2));
        assert_eq!((c.ex_sys, c.ex_gold), (1, 1));
    }

    #[test]
    fn trims_quotes_and_spaces() {
        let c: Vec<char> = " “Hi.” ".chars().collect();
        assert_eq!(trim(&c, (0, c.len())), (2, 4));
        assert_eq!(trim(&c, (0, 99)), (2, 4));
    }
}
