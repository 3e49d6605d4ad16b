//! The statistical attribution tagger: every token of a paragraph gets one of source,
//! cue, content or nothing (BIO), by the NER module's averaged structured perceptron
//! (hashed features, Viterbi under the BIO constraint, two stacked passes), trained on
//! PolNeAR train (`examples/train_quotes.rs`). [`decode`] turns the tags into
//! attributions: each content with the cue nearest to it and that cue's source (or,
//! with none, a speaker label's colon and name: "PENCE: …").
//!
//! The NER machinery is reused as it is: its nine tags are read as O plus B/I of four
//! types, of which this tagger uses three (PER → source, ORG → cue, LOC → content;
//! MISC never occurs in training, so its weights only ever push it down), and its file
//! format carries the two passes (with an empty gazetteer and no clusters: the features
//! here read the NER model's clusters).
//!
//! The sequence is a paragraph, not a sentence: a quotation of several sentences is one
//! content, and a cue in one sentence often governs the quotation in the next. What the
//! features look at, beyond the words themselves:
//! - where the token stands relative to quotation marks (inside, opening, closing),
//!   paired as the rule finder pairs them;
//! - the entity tags of the NER model (a source is mostly a name or a pronoun);
//! - the nearest reporting verb to the left and to the right in the sentence (a fixed
//!   list of forms), how far away it is, and whether a comma or a quotation mark lies
//!   between: "X said that …" and "…, X said." put content and source on opposite
//!   sides of the cue;
//! - the cue words learned from the training data (`train::cue_words`), graded by how
//!   often the word, and its stem, is part of a cue, and the nearest one either side;
//! - in the second pass, the same distances to the cues, sources and contents the first
//!   pass found, so the cue lexicon the first pass learned from the training data
//!   (attitude verbs, "according to", nouns like "statement") reaches the context
//!   features too. For training, the first-pass tags come from models that did not see
//!   the article (k-fold), as in the NER module.
// Tag-indexed arrays read more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]
use std::collections::HashSet;
use std::sync::OnceLock;

use parallax_core::{Entity, EntityKind, Sentence, Span};

use super::Marked;
use crate::ner::clusters::Clusters;
use crate::ner::features::{f1, f2, f3, fnum, norm, shape, Gazetteer};
use crate::ner::Model;

/// Template ids; bump with any change to the features (the model file records it).
pub const FEATURE_VERSION: u32 = 9;

pub const O: usize = 0;
pub const B_SOURCE: usize = 1;
pub const B_CUE: usize = 3;
pub const B_CONTENT: usize = 5;

/// Role of a tag index: 0 none, 1 source, 2 cue, 3 content (4, unused, reads as none).
pub fn role(t: usize) -> usize {
    match t.div_ceil(2) {
        r @ 1..=3 => r,
        _ => 0,
    }
}

/// The model trained by `examples/train_quotes.rs` (see `crates/nlp/data/README.md`).
static EMBEDDED: &[u8] = include_bytes!("../../data/quotes-polnear.bin.gz");

/// The embedded model, loaded on first use; `None` when the file is missing or corrupt,
/// and the rule-based finder takes over.
pub fn shared() -> Option<&'static Model> {
    static M: OnceLock<Option<Model>> = OnceLock::new();
    M.get_or_init(|| {
        Model::load(EMBEDDED)
            .ok()
            .filter(|m| m.feature_version == FEATURE_VERSION)
    })
    .as_ref()
}

/// One token of a paragraph, with what the features read besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Tok {
    pub span: Span,
    /// Index of its sentence within the paragraph.
    pub sent: u16,
    /// First token of its sentence.
    pub first: bool,
    /// NER tag index (0 = O, then B/I of PER, ORG, LOC, MISC).
    pub ner: u8,
    /// 0 outside quotation marks, 1 inside, 2 the opening mark, 3 the closing mark.
    pub quote: u8,
}

/// The tokens of one paragraph (the tagging unit).
#[derive(Debug, Clone, Default)]
pub struct Para {
    pub toks: Vec<Tok>,
    /// The paragraph before ends with a colon ("Okafor added:"): this one is often
    /// what it announces.
    pub after_colon: bool,
}

/// Paragraphs of `body` as token sequences, with entity tags and quotation marks.
pub(super) fn paragraphs(
    body: &str,
    sentences: &[Sentence],
    entities: &[Entity],
    marks: &[Marked],
) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut last_para = usize::MAX;
    let mut sent_in_para = 0u16;
    let mut ents: Vec<&Entity> = entities.iter().collect();
    ents.sort_by_key(|e| e.span.start);
    let (mut ei, mut mi) = (0usize, 0usize);
    for s in sentences {
        if !s.span.fits(body) {
            continue;
        }
        if s.paragraph != last_para || out.is_empty() {
            out.push(Para::default());
            last_para = s.paragraph;
            sent_in_para = 0;
        } else {
            sent_in_para = sent_in_para.saturating_add(1);
        }
        let para = out.last_mut().expect("pushed above");
        let base = s.span.start;
        for (k, (a, b)) in crate::ner::tokenize(&body[s.span.start..s.span.end])
            .into_iter()
            .enumerate()
        {
            let span = Span::new(base + a, base + b);
            while ei < ents.len() && ents[ei].span.end <= span.start {
                ei += 1;
            }
            let ner = match ents.get(ei) {
                Some(e) if e.span.start < span.end => {
                    let ty = match e.kind {
                        EntityKind::Person => 1,
                        EntityKind::Org => 3,
                        EntityKind::Loc => 5,
                        EntityKind::Misc => 7,
                    };
                    if span.start <= e.span.start {
                        ty
                    } else {
                        ty + 1
                    }
                }
                _ => 0,
            };
            while mi < marks.len() && marks[mi].outer.end <= span.start {
                mi += 1;
            }
            let quote = match marks.get(mi) {
                Some(m) if m.outer.start < span.end => {
                    if span.start <= m.outer.start {
                        2
                    } else if span.end >= m.outer.end {
                        3
                    } else {
                        1
                    }
                }
                _ => 0,
            };
            para.toks.push(Tok {
                span,
                sent: sent_in_para,
                first: k == 0,
                ner,
                quote,
            });
        }
    }
    out.retain(|p| !p.toks.is_empty());
    for k in 1..out.len() {
        let last = out[k - 1]
            .toks
            .last()
            .map(|t| &body[t.span.start..t.span.end]);
        out[k].after_colon = last == Some(":");
    }
    out
}

/// Reporting-verb forms for the context features: the rule finder's list, one word
/// each ("point out" → "point"), plus "according".
fn lexicon() -> &'static HashSet<String> {
    static L: OnceLock<HashSet<String>> = OnceLock::new();
    L.get_or_init(|| {
        let inner = super::CUE_VERBS
            .trim_start_matches("(?:")
            .trim_end_matches(')');
        let mut set = HashSet::new();
        for alt in inner.split('|') {
            let w = alt.split_whitespace().next().unwrap_or("");
            if w.contains("[sz]") {
                set.insert(w.replace("[sz]", "s"));
                set.insert(w.replace("[sz]", "z"));
            } else if !w.is_empty() {
                set.insert(w.to_string());
            }
        }
        set.insert("according".into());
        set
    })
}

/// The normalised word with typographic variants folded: every dash ("―", "—", "–",
/// "--") reads as "—", curly quotes and apostrophes as straight ones, so "n’t" and
/// "n't" share weights whatever the typesetting.
pub(crate) fn canon(w: &str) -> String {
    let nw = norm(w);
    if !nw.is_empty() && nw.chars().all(|c| matches!(c, '―' | '—' | '–' | '-' | '‒')) {
        return "—".into();
    }
    if nw.chars().any(|c| matches!(c, '’' | '‘' | '“' | '”' | '„')) {
        return nw
            .chars()
            .map(|c| match c {
                '’' | '‘' => '\'',
                '“' | '”' | '„' => '"',
                c => c,
            })
            .collect();
    }
    nw
}

/// Per token of a paragraph: 1 part of a speaker label opening it ("PENCE:",
/// "Mr. Okafor:", after an optional quotation mark), 2 the label's colon, 3 what
/// follows the label, 0 anything else.
fn speaker_label(body: &str, toks: &[Tok], out: &mut Vec<u8>) {
    out.clear();
    out.resize(toks.len(), 0);
    let w = |i: usize| &body[toks[i].span.start..toks[i].span.end];
    let mut s = 0;
    while s < toks.len() && toks[s].quote == 2 {
        s += 1;
    }
    let Some(c) = (s + 1..toks.len().min(s + 5)).find(|&i| w(i) == ":") else {
        return;
    };
    let caps =
        (s..c).all(|i| w(i).chars().next().is_some_and(|ch| ch.is_uppercase()) || w(i) == ".");
    if !caps || c + 1 >= toks.len() {
        return;
    }
    for (i, x) in out.iter_mut().enumerate().skip(s) {
        *x = match i.cmp(&c) {
            std::cmp::Ordering::Less => 1,
            std::cmp::Ordering::Equal => 2,
            std::cmp::Ordering::Greater => 3,
        };
    }
}

/// Token distance in coarse steps.
fn bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=5 => "4",
        6..=8 => "6",
        9..=14 => "9",
        15..=24 => "15",
        _ => "25",
    }
}

const Q: [&str; 4] = ["out", "in", "open", "close"];
const NER: [&str; 9] = ["O", "BP", "IP", "BO", "IO", "BL", "IL", "BM", "IM"];
const ROLE: [&str; 4] = ["O", "S", "C", "K"];
const GRADE: [&str; 5] = ["g0", "g1", "g2", "g3", "g4"];

/// Per-paragraph scratch, reused.
#[derive(Default)]
pub struct Scratch {
    norms: Vec<String>,
    shapes: Vec<String>,
    clus: Vec<Option<[u16; 3]>>,
    lex: Vec<bool>,
    label: Vec<u8>,
    /// Second pass: nearest first-pass chunk edges (see `stack_features`).
    edge_l: Vec<Option<usize>>,
    edge_r: Vec<Option<usize>>,
    edge_l2: Vec<Option<usize>>,
    edge_r2: Vec<Option<usize>>,
    /// Per token: a cue word learned from the training data (`train::cue_words`), and
    /// the nearest one before it in the sentence, after it.
    learned: Vec<bool>,
    /// Per token: the cue grade of its word and of its stem (`train::cue_words`).
    grade: Vec<u8>,
    sgrade: Vec<u8>,
    key: String,
    learned_l: Vec<Option<usize>>,
    learned_r: Vec<Option<usize>>,
    /// Per token: the nearest lexicon word before it in the sentence (index), after it.
    left: Vec<Option<usize>>,
    right: Vec<Option<usize>>,
    /// Running counts of quotation marks and commas up to each token, so what lies
    /// between two tokens is a subtraction.
    marks: Vec<(u32, u32)>,
    /// Per token: its part-of-speech tag (`crate::pos`), and buffers for tagging.
    pos: Vec<u8>,
    pos_sent: Vec<u8>,
    pos_sc: crate::pos::Scratch,
}

/// First-pass features of every token of `para`, into `feats`, `offsets` (`len + 1`
/// entries; token i's features are `feats[offsets[i]..offsets[i + 1]]`).
pub fn features(
    body: &str,
    para: &Para,
    clusters: &Clusters,
    cue_words: &Gazetteer,
    sc: &mut Scratch,
    feats: &mut Vec<u32>,
    offsets: &mut Vec<usize>,
) {
    let toks = &para.toks;
    let n = toks.len();
    feats.clear();
    offsets.clear();
    sc.norms.clear();
    sc.shapes.clear();
    sc.clus.clear();
    sc.lex.clear();
    sc.learned.clear();
    sc.grade.clear();
    sc.sgrade.clear();
    let lex = lexicon();
    for t in toks {
        let w = &body[t.span.start..t.span.end];
        let nw = canon(w);
        sc.lex.push(lex.contains(&nw));
        // Its cue grade (`train::cue_words`) and its stem's: a cue word is one of
        // grade 1 or 2 (in a cue at least 30% of the time), as a word or by its stem.
        let g = cue_words.word_type(&nw).unwrap_or(0);
        sc.key.clear();
        sc.key.push('~');
        sc.key.push_str(stem(&nw));
        let sg = cue_words.word_type(&sc.key).unwrap_or(0);
        sc.learned.push(matches!(g, 1 | 2) || matches!(sg, 1 | 2));
        sc.grade.push(g);
        sc.sgrade.push(sg);
        sc.norms.push(nw);
        sc.shapes.push(shape(w));
        sc.clus.push(clusters.get(w));
    }
    nearest(toks, &sc.lex, &mut sc.left, &mut sc.right);
    nearest(toks, &sc.learned, &mut sc.learned_l, &mut sc.learned_r);
    speaker_label(body, toks, &mut sc.label);
    sc.marks.clear();
    let (mut nq, mut nc) = (0u32, 0u32);
    for (t, w) in toks.iter().zip(&sc.norms) {
        if t.quote >= 2 {
            nq += 1;
        }
        if w == "," {
            nc += 1;
        }
        sc.marks.push((nq, nc));
    }
    let para_quote = toks.first().is_some_and(|t| t.quote == 2);
    let mut sent_has_lex = vec![false; toks.last().map_or(0, |t| t.sent as usize + 1)];
    for (t, &l) in toks.iter().zip(&sc.lex) {
        if l {
            sent_has_lex[t.sent as usize] = true;
        }
    }
    let mut sent_has_learned = vec![false; sent_has_lex.len()];
    for (t, &l) in toks.iter().zip(&sc.learned) {
        if l {
            sent_has_learned[t.sent as usize] = true;
        }
    }
    part_of_speech(body, toks, &sent_has_learned, sc);
    let word = |i: isize| -> &str {
        if i < 0 {
            "<p>"
        } else if i as usize >= n {
            "</p>"
        } else {
            &sc.norms[i as usize]
        }
    };
    let shp = |i: isize| -> &str {
        if i < 0 || i as usize >= n {
            "-"
        } else {
            &sc.shapes[i as usize]
        }
    };
    for i in 0..n {
        offsets.push(feats.len());
        let ii = i as isize;
        let t = &toks[i];
        let n0 = word(ii);
        let s0 = shp(ii);
        let q = Q[t.quote as usize];
        feats.push(f1(0, ""));
        feats.push(f1(1, n0));
        feats.push(f1(2, word(ii - 1)));
        feats.push(f1(3, word(ii + 1)));
        feats.push(f1(4, word(ii - 2)));
        feats.push(f1(5, word(ii + 2)));
        feats.push(f2(6, word(ii - 1), n0));
        feats.push(f2(7, n0, word(ii + 1)));
        feats.push(f1(8, s0));
        feats.push(f2(9, shp(ii - 1), s0));
        feats.push(f2(10, s0, shp(ii + 1)));
        let suf = suffix(n0, 3);
        feats.push(f1(11, suf));
        if let Some(c) = sc.clus[i] {
            for (k, &id) in c.iter().enumerate() {
                feats.push(fnum(12 + k as u8, id as u32));
            }
        }
        for (tpl, j) in [(15u8, ii - 1), (16, ii + 1)] {
            if j >= 0 && (j as usize) < n {
                if let Some(c) = sc.clus[j as usize] {
                    feats.push(fnum(tpl, c[1] as u32));
                }
            }
        }
        let ner = |j: isize| -> &str {
            if j < 0 || j as usize >= n {
                "-"
            } else {
                NER[toks[j as usize].ner as usize % 9]
            }
        };
        feats.push(f1(17, ner(ii)));
        feats.push(f2(18, ner(ii - 1), ner(ii)));
        feats.push(f2(19, ner(ii), ner(ii + 1)));
        let qp = if i > 0 {
            Q[toks[i - 1].quote as usize]
        } else {
            "-"
        };
        feats.push(f1(20, q));
        feats.push(f2(21, q, s0));
        feats.push(f2(22, qp, q));
        let pos = if t.first {
            "first"
        } else if toks.get(i + 1).is_none_or(|x| x.first) {
            "last"
        } else {
            "mid"
        };
        feats.push(f2(23, pos, q));
        feats.push(f1(24, ["s0", "s1", "s2", "s3"][(t.sent as usize).min(3)]));
        if sc.lex[i] {
            feats.push(f2(25, "lex", q));
        }
        let (lb, lw, lsep) = match sc.left[i] {
            Some(j) => (
                bucket(i - j),
                sc.norms[j].as_str(),
                between(&sc.marks, j, i),
            ),
            None => ("-", "-", "-"),
        };
        let (rb, rw, rsep) = match sc.right[i] {
            Some(j) => (
                bucket(j - i),
                sc.norms[j].as_str(),
                between(&sc.marks, i, j),
            ),
            None => ("-", "-", "-"),
        };
        feats.push(f2(26, lb, lsep));
        feats.push(f3(27, lb, lw, lsep));
        feats.push(f2(28, rb, rsep));
        feats.push(f3(29, rb, rw, rsep));
        feats.push(f3(30, lb, rb, q));
        feats.push(f3(33, lb, lsep, q));
        feats.push(f3(34, rb, rsep, q));
        // "said that …": the content starts after the complementiser.
        if let Some(j) = sc.left[i] {
            if j + 1 < i && sc.norms[j + 1] == "that" {
                feats.push(f2(31, "that", bucket(i - j)));
            }
        }
        feats.push(f2(35, if para_quote { "pq" } else { "-" }, q));
        feats.push(f2(
            36,
            if sent_has_lex[t.sent as usize] {
                "lex"
            } else {
                "-"
            },
            q,
        ));
        feats.push(f2(39, ner(ii), rb));
        feats.push(f2(40, n0, rb));
        feats.push(f2(41, n0, lb));
        feats.push(f3(42, s0, rb, rsep));
        // A subject right before (a name or a pronoun), and what follows: a cue is a
        // verb between the two.
        let subj = (1..=3)
            .find(|&k| i >= k && is_subject(toks[i - k].ner, &sc.norms[i - k]))
            .map_or("-", |k| ["", "1", "2", "3"][k]);
        let next = match sc.norms.get(i + 1).map(String::as_str) {
            Some("that") => "that",
            Some(":") => "colon",
            Some(",") => "comma",
            Some("to") => "to",
            Some(_) if toks[i + 1].quote == 2 => "quote",
            Some(_) => "w",
            None => "end",
        };
        feats.push(f2(43, subj, next));
        feats.push(f3(44, subj, next, n0));
        feats.push(f3(45, subj, suf, q));
        // The verb's stem, so "calls", "called" and "calling" share what one of them
        // taught.
        let st = stem(n0);
        feats.push(f1(46, st));
        feats.push(f2(47, st, next));
        feats.push(f2(48, subj, st));
        // How often the word, and its stem, is part of a cue in the training data
        // (graded), the stems either side, and whether the sentence has a cue word.
        let g = |j: isize, v: &[u8]| -> &str {
            if j < 0 || j as usize >= n {
                "-"
            } else {
                GRADE[v[j as usize] as usize % 5]
            }
        };
        feats.push(f2(76, g(ii, &sc.grade), q));
        feats.push(f2(77, g(ii, &sc.sgrade), q));
        feats.push(f3(78, g(ii, &sc.sgrade), subj, next));
        feats.push(f2(79, g(ii - 1, &sc.sgrade), g(ii + 1, &sc.sgrade)));
        let has = if sent_has_learned[t.sent as usize] {
            "l"
        } else {
            "-"
        };
        feats.push(f3(80, has, q, pos));
        // A speaker label opening the paragraph ("PENCE: …", a transcript), and a
        // paragraph announced by a colon ending the one before.
        // The nearest cue words learned from the data (attitudes, plans and findings
        // as well as speech: "endorsed", "hopes", "found"), as for the fixed list.
        if sc.learned[i] {
            feats.push(f2(72, "learned", q));
        }
        let near = |x: Option<usize>, a: usize, b: usize| {
            x.map_or(("-", "-"), |_| (bucket(b - a), between(&sc.marks, a, b)))
        };
        let (llb, llsep) = near(sc.learned_l[i], sc.learned_l[i].unwrap_or(i), i);
        let (lrb, lrsep) = near(sc.learned_r[i], i, sc.learned_r[i].unwrap_or(i));
        feats.push(f2(73, llb, llsep));
        feats.push(f2(74, lrb, lrsep));
        feats.push(f3(75, llb, lrb, q));
        if sc.label[i] != 0 {
            let l = ["", "lab", "colon", "after"][sc.label[i] as usize];
            feats.push(f2(63, l, q));
            feats.push(f2(64, l, s0));
        }
        if para.after_colon {
            feats.push(f2(65, q, pos));
        }
        pos_features(i, q, sc, toks, feats);
    }
    offsets.push(feats.len());
}

/// Part-of-speech tags of the tokens of the paragraph into `sc.pos`, sentence by
/// sentence, for the sentences `tagged` marks (those with a learned cue word, where
/// nearly every attribution lies); the others get [`UNTAGGED`], as do all when the
/// POS model does not load or no sentence is marked. (In PolNeAR's news most
/// sentences have such a word, so this saves little there.)
fn part_of_speech(body: &str, toks: &[Tok], tagged: &[bool], sc: &mut Scratch) {
    sc.pos.clear();
    let Some(tagger) = crate::pos::shared().filter(|_| tagged.contains(&true)) else {
        sc.pos.resize(toks.len(), UNTAGGED);
        return;
    };
    let words: Vec<crate::pos::Word> = toks
        .iter()
        .zip(&sc.norms)
        .zip(&sc.clus)
        .map(|((t, nw), &clus)| crate::pos::Word {
            raw: &body[t.span.start..t.span.end],
            norm: nw,
            clus,
        })
        .collect();
    let mut a = 0;
    while a < toks.len() {
        let mut b = a + 1;
        while b < toks.len() && !toks[b].first {
            b += 1;
        }
        if tagged[toks[a].sent as usize] {
            tagger.tag(&words[a..b], &mut sc.pos_sc, &mut sc.pos_sent);
            sc.pos.extend_from_slice(&sc.pos_sent);
        } else {
            sc.pos.resize(b, UNTAGGED);
        }
        a = b;
    }
}

/// The tag of a token outside the sentences the POS tagger reads: it has no POS
/// features.
const UNTAGGED: u8 = u8::MAX;

/// Name of a POS tag index ("-" when there is no model).
fn pos_name(t: u8) -> &'static str {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        crate::pos::shared().map_or(Vec::new(), |p| p.tags.iter().map(String::as_str).collect())
    });
    names.get(t as usize).copied().unwrap_or("-")
}

/// The tag class: its first two letters ("VBD" → "VB", "PRP$" → "PR").
fn coarse(t: &str) -> &str {
    t.get(..2).unwrap_or(t)
}

/// The few part-of-speech features of token `i` that pay for their lookups: its tag
/// with its neighbours' and with its cue grades, and for a verb the shape a cue takes
/// beyond the learned words: a subject-like tag or name before it (past adverbs,
/// modals and auxiliaries) and a clause, quotation or tag class after it.
fn pos_features(i: usize, q: &str, sc: &Scratch, toks: &[Tok], feats: &mut Vec<u32>) {
    if sc.pos[i] == UNTAGGED {
        return;
    }
    let n = toks.len();
    let same = |j: usize| j < n && toks[j].sent == toks[i].sent;
    let tag = |j: usize| if same(j) { pos_name(sc.pos[j]) } else { "-" };
    let p0 = pos_name(sc.pos[i]);
    let prev = if i > 0 { tag(i - 1) } else { "-" };
    feats.push(f2(81, p0, q));
    feats.push(f2(82, prev, p0));
    feats.push(f2(83, p0, tag(i + 1)));
    feats.push(f3(
        85,
        p0,
        GRADE[sc.grade[i] as usize % 5],
        GRADE[sc.sgrade[i] as usize % 5],
    ));
    if coarse(p0) == "VB" {
        feats.push(f3(
            86,
            verb_subject(i, sc, toks),
            p0,
            follower(i + 1, i, sc, toks),
        ));
    }
}

/// What precedes verb `i` in its sentence past adverbs, modals and auxiliaries: a
/// noun, pronoun or number tag, "name" for a named entity, else the tag class.
fn verb_subject(i: usize, sc: &Scratch, toks: &[Tok]) -> &'static str {
    let mut j = i;
    while j > 0 && toks[j - 1].sent == toks[i].sent && i - j < 4 {
        j -= 1;
        let t = pos_name(sc.pos[j]);
        match coarse(t) {
            "RB" | "MD" | "VB" => continue,
            "NN" | "PR" | "CD" => return t,
            _ if toks[j].ner != 0 => return "name",
            c => return c,
        }
    }
    "-"
}

/// What token `j` is after token `i` of the same sentence: a complementiser, a
/// quotation, punctuation, or its tag class.
fn follower(j: usize, i: usize, sc: &Scratch, toks: &[Tok]) -> &'static str {
    if j >= toks.len() || toks[j].sent != toks[i].sent {
        return "end";
    }
    match sc.norms[j].as_str() {
        "that" => "that",
        ":" => "colon",
        "," => "comma",
        "to" => "to",
        "of" => "of",
        "\"" => "quote",
        _ if toks[j].quote == 2 => "quote",
        _ => coarse(pos_name(sc.pos[j])),
    }
}

/// A crude stem: "-ing", "-ed", "-es" and "-s" off words of five letters or more.
pub(super) fn stem(w: &str) -> &str {
    if w.len() < 5 {
        return w;
    }
    for suf in ["ing", "ed", "es", "s"] {
        if let Some(s) = w.strip_suffix(suf) {
            return s;
        }
    }
    w
}

/// The last `k` characters of `w`.
fn suffix(w: &str, k: usize) -> &str {
    let cut = w.char_indices().rev().nth(k - 1).map_or(0, |(b, _)| b);
    &w[cut..]
}

/// A token that can be the subject of a report: part of a name, or a pronoun.
fn is_subject(ner: u8, w: &str) -> bool {
    ner != 0
        || matches!(
            w,
            "he" | "she"
                | "they"
                | "it"
                | "we"
                | "i"
                | "officials"
                | "sources"
                | "spokesman"
                | "spokeswoman"
                | "spokesperson"
        )
}

/// For each token, the nearest flagged token before it (after it) in the same sentence.
fn nearest(
    toks: &[Tok],
    flag: &[bool],
    left: &mut Vec<Option<usize>>,
    right: &mut Vec<Option<usize>>,
) {
    let n = toks.len();
    left.clear();
    right.clear();
    left.resize(n, None);
    right.resize(n, None);
    let mut last: Option<usize> = None;
    for i in 0..n {
        if toks[i].first {
            last = None;
        }
        left[i] = last;
        if flag[i] {
            last = Some(i);
        }
    }
    let mut next: Option<usize> = None;
    for i in (0..n).rev() {
        right[i] = next;
        if toks[i].first {
            next = None;
        } else if flag[i] {
            next = Some(i);
        }
    }
}

/// What separates tokens `a < b` (from the running counts): "q" a quotation mark,
/// "c" a comma, "-" nothing.
fn between(marks: &[(u32, u32)], a: usize, b: usize) -> &'static str {
    // Tokens a+1 ..= b-1.
    let (q, c) = (marks[b - 1].0 - marks[a].0, marks[b - 1].1 - marks[a].1);
    if q > 0 {
        "q"
    } else if c > 0 {
        "c"
    } else {
        "-"
    }
}

// The buffers are separate arguments so callers can keep the first-pass features.
#[allow(clippy::too_many_arguments)]
/// Second-pass features: the first-pass tags around each token and the distances to
/// the nearest first-pass cue, appended to the first-pass features `base`/`base_off`
/// into `feats`/`offsets`. `sc` must hold what [`features`] left there for `para`.
pub fn stack_features(
    para: &Para,
    first: &[usize],
    base: &[u32],
    base_off: &[usize],
    sc: &mut Scratch,
    feats: &mut Vec<u32>,
    offsets: &mut Vec<usize>,
) {
    let toks = &para.toks;
    let n = toks.len();
    feats.clear();
    offsets.clear();
    let r = |j: isize| -> &str {
        if j < 0 || j as usize >= n {
            "-"
        } else {
            ROLE[role(first[j as usize])]
        }
    };
    // Nearest first-pass cue (its first token) either side within the sentence.
    let cue_start: Vec<bool> = (0..n)
        .map(|i| role(first[i]) == 2 && (i == 0 || role(first[i - 1]) != 2 || first[i] == B_CUE))
        .collect();
    nearest(toks, &cue_start, &mut sc.left, &mut sc.right);
    // Nearest cue anywhere earlier in the paragraph, and whether this sentence has one.
    let mut sent_cue = vec![false; toks.last().map_or(0, |t| t.sent as usize + 1)];
    for i in 0..n {
        if cue_start[i] {
            sent_cue[toks[i].sent as usize] = true;
        }
    }
    // Where the first pass put sources and contents around each token in its sentence:
    // a cue sits between a source that ends and a content that starts ("Okafor said
    // the pier …") or the other way round ("…, Okafor said").
    let edge = |want: usize, start: bool| -> Vec<bool> {
        (0..n)
            .map(|i| {
                let r = role(first[i]);
                if r != want {
                    return false;
                }
                let b = first[i] % 2 == 1;
                if start {
                    b
                } else {
                    i + 1 == n || role(first[i + 1]) != want || first[i + 1] % 2 == 1
                }
            })
            .collect()
    };
    let mut tmp_l = Vec::new();
    let mut tmp_r = Vec::new();
    nearest(toks, &edge(1, false), &mut sc.edge_l, &mut tmp_r);
    nearest(toks, &edge(3, true), &mut tmp_l, &mut sc.edge_r);
    nearest(toks, &edge(3, false), &mut sc.edge_l2, &mut tmp_r);
    nearest(toks, &edge(1, true), &mut tmp_l, &mut sc.edge_r2);
    let dist = |x: Option<usize>, i: usize| x.map_or("-", |j| bucket(j.abs_diff(i)));
    let mut prev_cue: Option<usize> = None;
    for i in 0..n {
        offsets.push(feats.len());
        feats.extend_from_slice(&base[base_off[i]..base_off[i + 1]]);
        let ii = i as isize;
        let q = Q[toks[i].quote as usize];
        let w = sc.norms[i].as_str();
        feats.push(f1(50, r(ii)));
        feats.push(f2(51, r(ii - 1), r(ii)));
        feats.push(f2(52, r(ii), r(ii + 1)));
        feats.push(f3(53, r(ii - 1), r(ii), r(ii + 1)));
        feats.push(f2(54, r(ii), w));
        let (lb, lsep) = match sc.left[i] {
            Some(j) => (bucket(i - j), between(&sc.marks, j, i)),
            None => ("-", "-"),
        };
        let (rb, rsep) = match sc.right[i] {
            Some(j) => (bucket(j - i), between(&sc.marks, i, j)),
            None => ("-", "-"),
        };
        feats.push(f3(55, lb, lsep, q));
        feats.push(f3(56, rb, rsep, q));
        feats.push(f3(57, lb, rb, r(ii)));
        if let Some(j) = sc.left[i] {
            feats.push(f3(58, lb, &sc.norms[j], lsep));
        }
        if let Some(j) = sc.right[i] {
            feats.push(f3(59, rb, &sc.norms[j], rsep));
        }
        let here = sent_cue[toks[i].sent as usize];
        let before = prev_cue.map(|j| toks[i].sent - toks[j].sent);
        let rel = match (here, before) {
            (true, _) => "here",
            (false, Some(0)) => "here",
            (false, Some(1)) => "prev1",
            (false, Some(_)) => "prev2",
            (false, None) => "none",
        };
        feats.push(f2(60, rel, q));
        feats.push(f3(61, rel, q, r(ii)));
        feats.push(f3(62, rel, lb, rb));
        let (sl, cr) = (dist(sc.edge_l[i], i), dist(sc.edge_r[i], i));
        let (cl, sr) = (dist(sc.edge_l2[i], i), dist(sc.edge_r2[i], i));
        feats.push(f3(68, sl, cr, q));
        feats.push(f3(69, cl, sr, q));
        feats.push(f2(70, w, sl));
        feats.push(f2(71, w, sr));
        if cue_start[i] {
            prev_cue = Some(i);
        }
    }
    offsets.push(feats.len());
}

/// A tagged attribution: token ranges (start, end) within one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triple {
    pub content: (usize, usize),
    pub cue: Option<(usize, usize)>,
    pub source: Option<(usize, usize)>,
}

/// Role chunks of a tag sequence: (start, end, role 1..=3).
pub fn chunks(tags: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let r = role(t);
        let cont = r != 0 && t % 2 == 0 && cur.is_some_and(|(_, c)| c == r);
        if !cont {
            if let Some((s, c)) = cur.take() {
                out.push((s, i, c));
            }
            if r != 0 {
                cur = Some((i, r));
            }
        }
    }
    if let Some((s, c)) = cur {
        out.push((s, tags.len(), c));
    }
    out
}

/// Attributions from one paragraph's tags: every content with the cue nearest to it
/// (the same sentence first, then the paragraph) and the source nearest to that cue in
/// the cue's sentence. A content with no cue in its paragraph stays unattributed. Spans
/// are narrowed past punctuation at their ends.
///
/// The source is then corrected where the clause shows who speaks: a passive cue takes
/// the agent after "by" or none, a relative pronoun whose clause closes before the cue
/// (a comma or a dash) gives way to its antecedent, an inverted reporting verb ("…,”
/// said the minister") left without a source takes the phrase after it, a participle
/// clause (", telling CBS that …") takes no source after it but one before, a cue of
/// "seem" or "appear" alone takes none before it, and a lone relative "that" is none.
///
/// A paragraph opened by a speaker label ("PENCE: …", after a quotation mark, paired or
/// not): a content left without a cue takes the label's colon as cue and the label as
/// source, and starts after the colon.
///
/// Also returned: a cue (with its source) that ends the paragraph before a colon
/// ("The governor added:") and found no content in it (content empty); what it
/// announces is the next paragraph. Or one whose content in it runs up to that colon
/// ("… issued the following statement:"; content those words): it announces the next
/// paragraph's first content left without a cue.
pub fn decode(body: &str, para: &Para, tags: &[usize]) -> (Vec<Triple>, Option<Triple>) {
    let ch = chunks(tags);
    let of = |r: usize| ch.iter().filter(move |c| c.2 == r).map(|c| (c.0, c.1));
    let cues: Vec<(usize, usize)> = of(2).collect();
    let sources: Vec<(usize, usize)> = of(1).collect();
    let sent = |i: usize| para.toks[i].sent;
    let gap = |a: (usize, usize), b: (usize, usize)| -> usize {
        if a.1 <= b.0 {
            b.0 - a.1
        } else {
            a.0.saturating_sub(b.1)
        }
    };
    // A content running from a sentence with a cue into another sentence with a cue of
    // its own ("Tully said …. 'People need …,' he said.") is two contents: cut it where
    // that sentence starts. ("'…. …,' he said." stays one: its first sentence has none.)
    let mut contents: Vec<(usize, usize)> = Vec::new();
    for (a, b) in of(3) {
        let mut from = a;
        for i in a + 1..b {
            let starts = para.toks[i].first;
            let cue_in = |x: u16| cues.iter().any(|k| sent(k.0) == x);
            if starts && cue_in(sent(from)) && cue_in(sent(i)) {
                contents.push((from, i));
                from = i;
            }
        }
        contents.push((from, b));
    }
    let mut out = Vec::new();
    let mut pending = None;
    for c in contents {
        let near =
            |k: &(usize, usize)| sent(k.0).abs_diff(sent(c.0)) <= 1 || sent(k.0) <= sent(c.1 - 1);
        let cue = cues.iter().copied().filter(near).min_by_key(|&k| {
            let same = sent(k.0) >= sent(c.0) && sent(k.0) <= sent(c.1 - 1);
            // A cue in another sentence governs the content more often when it comes
            // first ("He added: …" then the quotation).
            let later = k.0 >= c.1 && !same;
            (!same, later, gap(c, k))
        });
        let source = cue.and_then(|k| {
            sources
                .iter()
                .copied()
                .filter(|&s| sent(s.0) == sent(k.0))
                .min_by_key(|&s| gap(s, k))
        });
        out.push(Triple {
            content: c,
            cue,
            source,
        });
    }
    // A cue the tagger found without a content ("…, Okafor said" with the clause left
    // untagged): the clause it governs is the rest of its sentence after it, or, when
    // it ends the sentence, the sentence before its source.
    for &k in &cues {
        if out.iter().any(|t| t.cue == Some(k)) {
            continue;
        }
        let source = sources
            .iter()
            .copied()
            .filter(|&s| sent(s.0) == sent(k.0))
            .min_by_key(|&s| gap(s, k));
        let s_start = (0..=k.0).rev().find(|&i| para.toks[i].first).unwrap_or(0);
        let s_end = (k.1..para.toks.len())
            .find(|&i| para.toks[i].first)
            .unwrap_or(para.toks.len());
        let head = source.map_or(k.0, |s| s.0.min(k.0));
        let tail = source.map_or(k.1, |s| s.1.max(k.1));
        let n = para.toks.len();
        let colon_end = n >= 2
            && tail + 1 >= n
            && &body[para.toks[n - 1].span.start..para.toks[n - 1].span.end] == ":";
        let content = if colon_end {
            pending = Some(Triple {
                content: (n, n),
                cue: Some(k),
                source,
            });
            continue;
        } else if s_end > tail + 2 {
            (tail, s_end - 1)
        } else if head > s_start + 2 {
            (s_start, head - 1)
        } else {
            continue;
        };
        out.push(Triple {
            content,
            cue: Some(k),
            source,
        });
    }
    correct_sources(body, para, &mut out, &sources);
    // A speaker label opening the paragraph (a transcript's "PENCE: …", a headline's
    // "Okafor: …"): content after it that the tagger left without a cue takes the
    // label's colon as its cue and the label as its source.
    if let Some((from, colon)) = label_of(body, para) {
        // (The tagger often runs such a content over the label itself.)
        for t in out
            .iter_mut()
            .filter(|t| t.cue.is_none() && t.content.1 > colon + 1)
        {
            t.content.0 = t.content.0.max(colon + 1);
            t.cue = Some((colon, colon + 1));
            t.source = t.source.or(Some((from, colon)));
        }
    }
    // A cue whose own content runs to a colon that ends the paragraph ("Okafor called
    // them on it:", "… issued the following statement:") announces the next
    // paragraph's first content too, if that has no cue (its content here marks it:
    // the next paragraph is never taken whole for it).
    let n = para.toks.len();
    if pending.is_none() && n >= 2 && lower(body, para, n - 1) == ":" {
        pending = out
            .iter()
            .rev()
            .find(|t| t.cue.is_some() && t.content.1 + 1 >= n)
            .cloned();
    }
    let pending = pending.map(|t| Triple {
        content: t.content,
        cue: t.cue.map(|c| trim(body, para, c).unwrap_or(c)),
        source: t.source.and_then(|s| trim(body, para, s)),
    });
    let out = out
        .into_iter()
        .filter_map(|t| {
            Some(Triple {
                content: trim(body, para, t.content)?,
                // A cue of punctuation only (the dash before a letter writer's name)
                // stays as it is.
                cue: t.cue.map(|c| trim(body, para, c).unwrap_or(c)),
                source: t.source.and_then(|s| trim(body, para, s)),
            })
        })
        .collect();
    (out, pending)
}

/// The source of each attribution corrected where the clause shows who speaks (see
/// `decode`), in order: a joined verb phrase's subject, a participle clause's, a
/// relative pronoun's antecedent, no lone "that", the phrase after an inverted verb,
/// the agent of a passive, none before a raising verb.
fn correct_sources(body: &str, para: &Para, out: &mut [Triple], sources: &[(usize, usize)]) {
    let sent = |i: usize| para.toks[i].sent;
    let word = |i: usize| lower(body, para, i);
    // A cue the tagger gave no source in its sentence, in a verb phrase that shares the
    // sentence's subject ("Cruz knocked Rubio on trade and called him …", "…, saying"):
    // that subject, when it is a name or a personal pronoun.
    for t in out.iter_mut() {
        if let (Some(k), None) = (t.cue, t.source) {
            let joined = k.0 > 0 && matches!(word(k.0 - 1).as_str(), "," | "and" | "also" | "then");
            if joined || word(k.0).ends_with("ing") {
                t.source = subject_of(body, para, k, t.content);
            }
        }
    }
    // A participle clause after a comma ("…, saying …", "…, telling CBS that …")
    // shares its sentence's subject, which comes before it: a source after the cue is
    // its object or lies in what it reports, and gives way to the nearest source
    // before the cue, else the sentence's subject.
    for t in out.iter_mut() {
        let Some(k) = t.cue else { continue };
        if participle_clause(body, para, k) && t.source.is_some_and(|s| s.0 >= k.1) {
            let before = sources
                .iter()
                .copied()
                .filter(|&s| sent(s.0) == sent(k.0) && s.1 <= k.0)
                .max_by_key(|&s| s.1);
            t.source = before.or_else(|| subject_of(body, para, k, t.content));
        }
    }
    // A relative pronoun taken as the source of a cue past the end of its clause ("Mr.
    // Scott, who has called the comments toxic, portrayed …"): the cue is the main
    // verb, and its source is the pronoun's antecedent.
    for t in out.iter_mut() {
        if let (Some(k), Some(s)) = (t.cue, t.source) {
            if let Some(a) = antecedent(body, para, s, k, sources) {
                t.source = Some(a);
            }
        }
    }
    // A lone relative "that" as the source ("a report that says …"): PolNeAR names
    // the noun phrase it restricts, which the tagger left untagged; none beats it.
    for t in out.iter_mut() {
        if t.source
            .is_some_and(|s| s.1 == s.0 + 1 && word(s.0) == "that" && !para.toks[s.0].first)
        {
            t.source = None;
        }
    }
    // An inverted report ("…,” said Trump in his speech", "…, says the minister"): a
    // cue the tagger gave no source takes the noun phrase right after it.
    for t in out.iter_mut() {
        if let (Some(k), None) = (t.cue, t.source) {
            t.source = postposed_source(body, para, k);
        }
    }
    // A passive cue ("has been endorsed by", "was called … by"): its subject is what
    // the report is about, not who made it; the source is the agent after "by", or
    // none.
    for t in out.iter_mut() {
        let Some(k) = t.cue else { continue };
        if !passive(body, para, k) {
            continue;
        }
        let tagged_after = sources
            .iter()
            .copied()
            .filter(|&s| sent(s.0) == sent(k.0) && s.0 >= k.1)
            .min_by_key(|&s| s.0);
        t.source = tagged_after
            .or_else(|| agent_of(body, para, k))
            .or(t.source.filter(|s| s.0 >= k.1));
    }
    // A cue that is only a raising verb ("Okafor seemed to be …", "the plan appears
    // doomed"): its subject belongs to what is reported (the impression given), and
    // nobody is quoted; a source before it goes. ("Okafor seemed to mock …" has a verb of
    // its own and keeps its subject.)
    for t in out.iter_mut() {
        let Some(k) = t.cue else { continue };
        if raising(body, para, k) && t.source.is_some_and(|s| s.1 <= k.0) {
            t.source = None;
        }
    }
}

/// Token `i` of the paragraph, lower-cased: what the decoder's word tests compare.
fn lower(body: &str, para: &Para, i: usize) -> String {
    let t = &para.toks[i];
    body[t.span.start..t.span.end].to_ascii_lowercase()
}

/// A cue in the passive voice: a form of "be" followed, inside the cue, by a
/// participle ("is supported", "has been called", "was told"), not a progressive ("is
/// demanding"), a report of the subject's own words ("was quoted as saying", "was
/// prompted to say") nor a psychological verb, whose subject holds the attitude ("are
/// concerned about", "was not impressed by").
fn passive(body: &str, para: &Para, k: (usize, usize)) -> bool {
    let w = |i: usize| lower(body, para, i);
    let Some(be) = (k.0..k.1).find(|&i| {
        matches!(
            w(i).as_str(),
            "is" | "are" | "was" | "were" | "be" | "been" | "being"
        )
    }) else {
        return false;
    };
    let Some(p) = (be + 1..k.1).find(|&i| participle(&w(i))) else {
        return false;
    };
    let attitude = matches!(
        w(p).as_str(),
        "concerned"
            | "worried"
            | "satisfied"
            | "dissatisfied"
            | "inclined"
            | "focused"
            | "impressed"
            | "unimpressed"
            | "convinced"
            | "unconvinced"
            | "pleased"
            | "disappointed"
            | "interested"
            | "opposed"
            | "committed"
            | "determined"
            | "prepared"
            | "scared"
            | "frightened"
            | "alarmed"
            | "excited"
            | "troubled"
            | "confused"
            | "frustrated"
            | "annoyed"
            | "angered"
            | "outraged"
            | "offended"
            | "surprised"
            | "shocked"
            | "encouraged"
            | "disturbed"
            | "disgusted"
            | "dismayed"
            | "embarrassed"
            | "amazed"
            | "delighted"
            | "thrilled"
            | "obsessed"
            | "devoted"
            | "persuaded"
            | "prompted"
            | "poised"
            | "supposed"
    );
    let lex = lexicon();
    let own_words = (p + 1..k.1).any(|i| {
        let x = w(i);
        x.ends_with("ing") || lex.contains(&x)
    }) || w(p) == "quoted";
    !attitude && !own_words
}

/// A past participle: a regular "-ed" form, or a common irregular one.
fn participle(x: &str) -> bool {
    (x.len() > 3 && x.ends_with("ed"))
        || matches!(
            x,
            "taken"
                | "given"
                | "seen"
                | "written"
                | "spoken"
                | "chosen"
                | "driven"
                | "shown"
                | "known"
                | "drawn"
                | "thrown"
                | "forgotten"
                | "beaten"
                | "broken"
                | "hidden"
                | "sworn"
                | "proven"
                | "shaken"
                | "forbidden"
                | "told"
                | "said"
                | "thought"
                | "taught"
                | "made"
                | "heard"
                | "held"
                | "sent"
                | "kept"
                | "found"
                | "led"
                | "meant"
                | "understood"
                | "brought"
                | "caught"
                | "sought"
                | "won"
                | "hit"
        )
}

/// A cue opening a participle clause after a comma ("…, saying", "…, pointing out"):
/// its subject is the subject of the sentence. ("…, according to the poll" is no
/// clause: its source follows it.)
fn participle_clause(body: &str, para: &Para, k: (usize, usize)) -> bool {
    let w = lower(body, para, k.0);
    k.0 > 0
        && w.len() > 4
        && w.ends_with("ing")
        && w != "according"
        && lower(body, para, k.0 - 1) == ","
}

/// A cue made of "seem" or "appear" and nothing that reports: besides the verb, only
/// "to", "be", "have", "like", "not" and the like ("seemed", "does not seem to be").
fn raising(body: &str, para: &Para, k: (usize, usize)) -> bool {
    let words: Vec<String> = (k.0..k.1).map(|i| lower(body, para, i)).collect();
    let verb = |w: &str| {
        matches!(
            w,
            "seem" | "seems" | "seemed" | "appear" | "appears" | "appeared"
        )
    };
    let filler = |w: &str| {
        matches!(
            w,
            "to" | "be"
                | "been"
                | "have"
                | "like"
                | "as"
                | "not"
                | "n't"
                | "does"
                | "do"
                | "did"
                | "doesn't"
                | "don't"
                | "didn't"
                | "also"
                | "now"
                | "still"
                | "would"
                | "may"
                | "might"
        ) || !w.chars().any(char::is_alphanumeric)
    };
    words.iter().any(|w| verb(w)) && words.iter().all(|w| verb(w) || filler(w))
}

/// The antecedent of source `s` when it is a relative pronoun after a comma whose
/// clause closes (a comma) before cue `k`: a tagged source, else a name, ending at
/// that comma.
fn antecedent(
    body: &str,
    para: &Para,
    s: (usize, usize),
    k: (usize, usize),
    sources: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let t = &para.toks;
    let w = |i: usize| lower(body, para, i);
    // A comma or a dash ("Okafor - who ran the port - said") opens and closes the clause.
    let delim = |i: usize| w(i) == "," || canon(&w(i)) == "—";
    let relative = s.1 == s.0 + 1 && matches!(w(s.0).as_str(), "who" | "which" | "that");
    if !relative || s.0 < 2 || s.1 >= k.0 || !delim(s.0 - 1) {
        return None;
    }
    // (A comma right after the pronoun opens an aside inside its clause: "who, on a
    // press call, criticized".)
    if delim(s.1) || !(s.1..k.0).any(delim) || (s.0 - 1..k.0).any(|i| t[i].first) {
        return None;
    }
    let comma = s.0 - 1;
    if let Some(&a) = sources.iter().find(|a| a.1 == comma) {
        return Some(a);
    }
    let mut a = comma;
    while a > 0 && t[a - 1].ner != 0 && !t[a].first {
        a -= 1;
    }
    (a < comma).then_some((a, comma))
}

/// The source after an inverted reporting verb: a cue of one reporting verb after a
/// comma or closing quotation mark, followed by a name or a noun phrase opened by a
/// determiner; the phrase runs to the next punctuation.
fn postposed_source(body: &str, para: &Para, k: (usize, usize)) -> Option<(usize, usize)> {
    let t = &para.toks;
    let w = |i: usize| lower(body, para, i);
    if k.0 == 0 || k.1 >= t.len() || k.1 - k.0 != 1 || t[k.0].first || t[k.1].first {
        return None;
    }
    let before = w(k.0 - 1);
    let inverted = before == "," || t[k.0 - 1].quote == 3;
    // "…, telling CBS that …" is a participle clause sharing the subject, not an
    // inversion.
    let verb = w(k.0);
    if !inverted || verb.ends_with("ing") || !lexicon().contains(&canon(&verb)) {
        return None;
    }
    let opens = (t[k.1].ner % 2 == 1 && t[k.1].ner < 9)
        || matches!(
            w(k.1).as_str(),
            "the" | "a" | "an" | "one" | "two" | "several" | "many" | "some" | "his" | "her"
        );
    if !opens || t[k.1].quote != 0 {
        return None;
    }
    let mut e = k.1 + 1;
    while e < t.len()
        && e < k.1 + 12
        && !t[e].first
        && t[e].quote == 0
        && w(e).chars().any(char::is_alphanumeric)
        && !matches!(
            w(e).as_str(),
            "as" | "while" | "when" | "after" | "before" | "because" | "during"
        )
    {
        e += 1;
    }
    Some((k.1, e))
}

/// The agent of a passive cue: the words after a "by" that ends the cue or follows it
/// within a few words in its sentence, up to punctuation or a preposition.
fn agent_of(body: &str, para: &Para, k: (usize, usize)) -> Option<(usize, usize)> {
    let t = &para.toks;
    let w = |i: usize| lower(body, para, i);
    let stop = |i: usize| {
        i >= t.len() || t[i].first || t[i].quote >= 2 || !w(i).chars().any(char::is_alphanumeric)
    };
    let by_at = (k.1.saturating_sub(1)..(k.1 + 6).min(t.len()))
        .take_while(|&i| i < k.1 || !stop(i))
        .find(|&i| w(i) == "by")?;
    let from = by_at + 1;
    let mut e = from;
    while !stop(e)
        && e < from + 8
        && !matches!(
            w(e).as_str(),
            "for"
                | "in"
                | "on"
                | "at"
                | "after"
                | "before"
                | "during"
                | "over"
                | "to"
                | "that"
                | "because"
                | "when"
                | "who"
                | "which"
                | "since"
                | "as"
                | "about"
        )
    {
        e += 1;
    }
    (e > from).then_some((from, e))
}

/// A speaker label opening `para`: one to four capitalised words (or initials' dots)
/// then a colon, after any quotation marks, paired or not (a transcript often opens
/// every turn with one and never closes it). (first token, colon).
fn label_of(body: &str, para: &Para) -> Option<(usize, usize)> {
    let t = &para.toks;
    let w = |i: usize| &body[t[i].span.start..t[i].span.end];
    let quote_like = |x: &str| {
        x.chars()
            .all(|c| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'))
    };
    let from = (0..t.len()).find(|&i| !quote_like(w(i)))?;
    let colon = (from + 1..t.len().min(from + 5)).find(|&i| w(i) == ":")?;
    let caps =
        (from..colon).all(|i| w(i).chars().next().is_some_and(char::is_uppercase) || w(i) == ".");
    (caps && colon + 1 < t.len()).then_some((from, colon))
}

/// The subject opening the sentence of cue `k` when it is a name (a run of entity
/// tokens) or a personal pronoun, before the cue and outside the content and any
/// quotation; an introductory "But", "Then" or "On Monday," is skipped.
fn subject_of(
    body: &str,
    para: &Para,
    k: (usize, usize),
    content: (usize, usize),
) -> Option<(usize, usize)> {
    let t = &para.toks;
    let w = |i: usize| lower(body, para, i);
    let mut i = (0..=k.0).rev().find(|&i| t[i].first)?;
    loop {
        if i >= k.0 {
            return None;
        }
        let x = w(i);
        if matches!(
            x.as_str(),
            "but"
                | "and"
                | "then"
                | "so"
                | "still"
                | "yet"
                | "meanwhile"
                | "however"
                | "later"
                | "earlier"
                | "also"
                | "instead"
                | ","
        ) {
            i += 1;
            continue;
        }
        if matches!(
            x.as_str(),
            "on" | "in" | "at" | "after" | "before" | "during" | "last" | "this"
        ) {
            match (i + 1..k.0.min(i + 6)).find(|&j| w(j) == ",") {
                Some(j) => {
                    i = j + 1;
                    continue;
                }
                None => return None,
            }
        }
        break;
    }
    let inside = |j: usize| (content.0 <= j && j < content.1) || t[j].quote != 0;
    if inside(i) {
        return None;
    }
    if matches!(w(i).as_str(), "he" | "she" | "they" | "we" | "i" | "it") {
        return Some((i, i + 1));
    }
    if t[i].ner == 0 || t[i].ner.is_multiple_of(2) {
        return None;
    }
    let mut e = i + 1;
    while e < k.0 && t[e].ner != 0 && t[e].ner.is_multiple_of(2) && !inside(e) {
        e += 1;
    }
    (e < k.0).then_some((i, e))
}

/// A token range narrowed past punctuation at either end: the colon after "said", the
/// comma closing an appositive, the opening mark of the next quotation. Marks that
/// enclose the range stay. `None` when nothing but punctuation is left.
fn trim(body: &str, para: &Para, (mut a, mut b): (usize, usize)) -> Option<(usize, usize)> {
    let t = &para.toks;
    let punct = |i: usize| {
        !body[t[i].span.start..t[i].span.end]
            .chars()
            .any(char::is_alphanumeric)
    };
    loop {
        if a < b && punct(a) && t[a].quote != 2 {
            a += 1;
        } else if a < b && punct(b - 1) && t[b - 1].quote != 3 {
            b -= 1;
        } else {
            break;
        }
    }
    (a < b).then_some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraphs of `body` and, for each, tags from `roles`: (word, tag) pairs
    /// for the tagged tokens, every other token O.
    fn tagged(body: &str, roles: &[(&str, usize)]) -> Vec<(Para, Vec<usize>)> {
        let sents = crate::sentences::split(body);
        super::super::token_paragraphs(body, &sents, &[])
            .into_iter()
            .map(|p| {
                let tags = p
                    .toks
                    .iter()
                    .map(|t| {
                        let w = &body[t.span.start..t.span.end];
                        roles.iter().find(|r| r.0 == w).map_or(O, |r| r.1)
                    })
                    .collect();
                (p, tags)
            })
            .collect()
    }

    fn text(body: &str, p: &Para, r: Option<(usize, usize)>) -> String {
        r.map_or(String::new(), |(a, b)| {
            body[p.toks[a].span.start..p.toks[b - 1].span.end].to_string()
        })
    }

    #[test]
    fn a_coordinated_cue_takes_the_subject_of_its_sentence() {
        let body = "She toured a depot on Monday and promised new buses for the harbour line.";
        let roles = [
            ("promised", B_CUE),
            ("new", B_CONTENT),
            ("buses", B_CONTENT + 1),
            ("for", B_CONTENT + 1),
            ("the", B_CONTENT + 1),
            ("harbour", B_CONTENT + 1),
            ("line", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, pending) = decode(body, p, tags);
        assert!(pending.is_none());
        assert_eq!(out.len(), 1);
        assert_eq!(text(body, p, out[0].cue), "promised");
        assert_eq!(text(body, p, out[0].source), "She");
        assert_eq!(
            text(body, p, Some(out[0].content)),
            "new buses for the harbour line"
        );
    }

    #[test]
    fn a_passive_cue_takes_the_agent_not_the_subject() {
        let body = "The ferry plan was criticised by harbour pilots for its cost.";
        let roles = [
            ("ferry", B_SOURCE),
            ("plan", B_SOURCE + 1),
            ("was", B_CUE),
            ("criticised", B_CUE + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].source), "harbour pilots");
    }

    #[test]
    fn a_passive_cue_without_an_agent_has_no_source() {
        let body = "Okafor is expected to back the new pier next week.";
        let roles = [
            ("Okafor", B_SOURCE),
            ("is", B_CUE),
            ("expected", B_CUE + 1),
            ("to", B_CONTENT),
            ("back", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].source, None);
    }

    /// The clause closed by a comma, or set between dashes.
    #[test]
    fn a_relative_pronoun_closed_before_the_cue_gives_way_to_its_antecedent() {
        for body in [
            "Okafor, who runs the port, warned that fares would rise.",
            "Okafor - who ran the port for a decade - warned that fares would rise.",
        ] {
            let roles = [
                ("Okafor", B_SOURCE),
                ("who", B_SOURCE),
                ("warned", B_CUE),
                ("fares", B_CONTENT),
                ("would", B_CONTENT + 1),
                ("rise", B_CONTENT + 1),
            ];
            let (p, tags) = &tagged(body, &roles)[0];
            let (out, _) = decode(body, p, tags);
            assert_eq!(out.len(), 1, "{body}: {out:?}");
            assert_eq!(text(body, p, out[0].source), "Okafor", "{body}");
        }
    }

    #[test]
    fn an_inverted_reporting_verb_takes_the_phrase_after_it() {
        let body = "\"We will rebuild,\" said the harbour master after the storm.";
        let roles = [
            ("We", B_CONTENT),
            ("will", B_CONTENT + 1),
            ("rebuild", B_CONTENT + 1),
            ("said", B_CUE),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].source), "the harbour master");
    }

    #[test]
    fn a_participle_clause_takes_the_source_before_it_not_its_object() {
        let body = "Okafor unveiled the budget on Tuesday, telling the council that fares would stay flat.";
        let roles = [
            ("Okafor", B_SOURCE),
            ("telling", B_CUE),
            ("council", B_SOURCE),
            ("fares", B_CONTENT),
            ("would", B_CONTENT + 1),
            ("stay", B_CONTENT + 1),
            ("flat", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].cue), "telling");
        assert_eq!(text(body, p, out[0].source), "Okafor");
    }

    #[test]
    fn a_raising_verb_has_no_source_but_a_reporting_one_keeps_its_subject() {
        let body = "The ferry plan seemed to be in trouble.";
        let roles = [
            ("ferry", B_SOURCE),
            ("plan", B_SOURCE + 1),
            ("seemed", B_CUE),
            ("to", B_CONTENT),
            ("be", B_CONTENT + 1),
            ("in", B_CONTENT + 1),
            ("trouble", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].cue), "seemed");
        assert_eq!(out[0].source, None);

        let body = "Okafor seemed to mock the ferry plan.";
        let roles = [
            ("Okafor", B_SOURCE),
            ("seemed", B_CUE),
            ("to", B_CUE + 1),
            ("mock", B_CUE + 1),
            ("the", B_CONTENT),
            ("ferry", B_CONTENT + 1),
            ("plan", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].source), "Okafor");
    }

    #[test]
    fn a_lone_relative_that_is_no_source() {
        let body = "The council published a survey that shows fares rising.";
        let roles = [
            ("that", B_SOURCE),
            ("shows", B_CUE),
            ("fares", B_CONTENT),
            ("rising", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].cue), "shows");
        assert_eq!(out[0].source, None);
    }

    #[test]
    fn a_speaker_label_gives_its_turn_a_cue_and_a_source() {
        // A transcript turn opened by an unclosed quotation mark, its content tagged
        // over the label and no cue found.
        let body = "\"OKAFOR: The ferry will run again in March. We have the money.";
        let roles = [
            ("\"", B_CONTENT),
            ("OKAFOR", B_CONTENT + 1),
            (":", B_CONTENT + 1),
            ("The", B_CONTENT + 1),
            ("ferry", B_CONTENT + 1),
            ("will", B_CONTENT + 1),
            ("run", B_CONTENT + 1),
            ("again", B_CONTENT + 1),
            ("in", B_CONTENT + 1),
            ("March", B_CONTENT + 1),
        ];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(text(body, p, out[0].cue), ":");
        assert_eq!(text(body, p, out[0].source), "OKAFOR");
        assert_eq!(
            text(body, p, Some(out[0].content)),
            "The ferry will run again in March"
        );
    }

    #[test]
    fn a_colon_after_an_ordinary_sentence_start_is_no_speaker_label() {
        let body = "Two questions remain: who pays, and when.";
        let roles = [("who", B_CONTENT), ("pays", B_CONTENT + 1)];
        let (p, tags) = &tagged(body, &roles)[0];
        let (out, _) = decode(body, p, tags);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].cue, None);
    }

    #[test]
    fn a_cue_whose_content_runs_to_a_closing_colon_announces_the_next_paragraph() {
        let body = "The harbour board issued the following statement:\n\nThe pier stays shut.";
        let roles = [
            ("harbour", B_SOURCE),
            ("board", B_SOURCE + 1),
            ("issued", B_CUE),
            ("following", B_CONTENT),
            ("statement", B_CONTENT + 1),
        ];
        let paras = tagged(body, &roles);
        let (p, tags) = &paras[0];
        let (out, pending) = decode(body, p, tags);
        assert_eq!(out.len(), 1, "{out:?}");
        let pending = pending.expect("the cue also waits for the next paragraph");
        assert_eq!(text(body, p, pending.cue), "issued");
        assert_eq!(text(body, p, pending.source), "harbour board");
        // Its own content marks that the next paragraph is not to be taken whole.
        assert!(pending.content.0 < pending.content.1);
    }

    #[test]
    fn a_cue_ending_a_paragraph_with_a_colon_is_left_pending() {
        let body = "The harbour master added:\n\nThe pier will reopen in May.";
        let roles = [
            ("harbour", B_SOURCE),
            ("master", B_SOURCE + 1),
            ("added", B_CUE),
        ];
        let paras = tagged(body, &roles);
        let (p, tags) = &paras[0];
        let (out, pending) = decode(body, p, tags);
        assert!(out.is_empty(), "{out:?}");
        let pending = pending.expect("the cue waits for the next paragraph");
        assert_eq!(text(body, p, pending.cue), "added");
        assert_eq!(text(body, p, pending.source), "harbour master");
        assert!(paras[1].0.after_colon);
    }
}
