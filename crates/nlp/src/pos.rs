//! A small part-of-speech tagger (Penn Treebank tags), for the attribution tagger's
//! features (`quotes/tagger.rs`): greedy left to right, an averaged perceptron over
//! hashed features (the word and its neighbours ±2, affixes, shape, the NER model's
//! word clusters, the two previous tags), with a tag dictionary for frequent words that
//! always carry the same tag. Trained on the POS column of CoNLL-2003 train
//! (`examples/train_pos.rs`, see `crates/nlp/data/README.md`); the model file is
//! embedded (`data/pos-conll2003.bin.gz`).
//!
//! The input is what the quote tagger already has per token: the raw word, its
//! normalised form (`ner::features::norm`, lower case, digits as `0`) and its clusters.
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::sync::OnceLock;

use crate::ner::clusters::Clusters;
use crate::ner::features::{f1, f2, fnum, shape_into};
use crate::ner::model::IdMap;

/// The model trained by `examples/train_pos.rs` (see `crates/nlp/data/README.md`).
static EMBEDDED: &[u8] = include_bytes!("../data/pos-conll2003.bin.gz");

const MAGIC: &[u8; 8] = b"PXPOS01\n";

/// The embedded tagger, loaded on first use; `None` if the file does not load (the
/// quote tagger then sees every token as tag 0).
pub fn shared() -> Option<&'static Tagger> {
    static T: OnceLock<Option<Tagger>> = OnceLock::new();
    T.get_or_init(|| Tagger::load(EMBEDDED).ok()).as_ref()
}

/// A trained tagger: tag names, the tag dictionary and sparse weight rows.
pub struct Tagger {
    pub tags: Vec<String>,
    dict: IdMap<u32, u8>,
    /// Feature hash → range into `entries`.
    rows: IdMap<u32, (u32, u32)>,
    entries: Vec<(u8, f32)>,
}

/// One token as the tagger reads it.
#[derive(Clone, Copy)]
pub struct Word<'a> {
    pub raw: &'a str,
    pub norm: &'a str,
    pub clus: Option<[u16; 3]>,
}

/// Reused buffers.
#[derive(Default)]
pub struct Scratch {
    feats: Vec<u32>,
    shape: String,
    scores: Vec<f32>,
}

fn suffix(w: &str, k: usize) -> &str {
    match w.char_indices().rev().nth(k - 1) {
        Some((b, _)) => &w[b..],
        None => w,
    }
}

fn prefix(w: &str) -> &str {
    match w.char_indices().nth(1) {
        Some((b, _)) => &w[..b],
        None => w,
    }
}

/// The dictionary key of a word.
fn dict_key(norm: &str) -> u32 {
    f1(200, norm)
}

/// Features of token `i` of `words`, given the tags of the two tokens before it
/// (`p1`, `p2`; `u8::MAX` before the sentence).
fn features(words: &[Word], i: usize, p1: u8, p2: u8, sc: &mut Scratch) {
    let n = words.len();
    let w = |j: isize| -> &str {
        if j < 0 {
            "<s>"
        } else if j as usize >= n {
            "</s>"
        } else {
            words[j as usize].norm
        }
    };
    let ii = i as isize;
    let w0 = words[i].norm;
    let f = &mut sc.feats;
    f.clear();
    f.push(f1(0, ""));
    f.push(f1(1, w0));
    f.push(f1(2, w(ii - 1)));
    f.push(f1(3, w(ii + 1)));
    f.push(f1(4, w(ii - 2)));
    f.push(f1(5, w(ii + 2)));
    f.push(f1(6, suffix(w0, 1)));
    f.push(f1(7, suffix(w0, 2)));
    f.push(f1(8, suffix(w0, 3)));
    f.push(f1(9, prefix(w0)));
    shape_into(words[i].raw, &mut sc.shape);
    f.push(f2(10, &sc.shape, if i == 0 { "first" } else { "-" }));
    if let Some(c) = words[i].clus {
        for (k, &id) in c.iter().enumerate() {
            f.push(fnum(11 + k as u8, id as u32));
        }
    }
    if let Some(c) = words.get(i + 1).and_then(|x| x.clus) {
        f.push(fnum(14, c[1] as u32));
    }
    if let Some(c) = i.checked_sub(1).and_then(|j| words[j].clus) {
        f.push(fnum(15, c[1] as u32));
    }
    f.push(fnum(16, p1 as u32));
    f.push(fnum(17, (p1 as u32) << 8 | p2 as u32));
    f.push(crate::ner::features::fnum2(18, p1 as u32, w0));
    f.push(f2(19, w0, w(ii + 1)));
    f.push(f2(20, suffix(w(ii - 1), 2), w0));
}

impl Tagger {
    /// Tags one sentence into `out` (tag indices into `self.tags`).
    pub fn tag(&self, words: &[Word], sc: &mut Scratch, out: &mut Vec<u8>) {
        out.clear();
        let nt = self.tags.len();
        let (mut p1, mut p2) = (u8::MAX, u8::MAX);
        for i in 0..words.len() {
            let t = match self.dict.get(&dict_key(words[i].norm)) {
                Some(&t) => t,
                None => {
                    features(words, i, p1, p2, sc);
                    sc.scores.clear();
                    sc.scores.resize(nt, 0.0);
                    for k in &sc.feats {
                        if let Some(&(a, b)) = self.rows.get(k) {
                            for &(t, w) in &self.entries[a as usize..b as usize] {
                                sc.scores[t as usize] += w;
                            }
                        }
                    }
                    argmax(&sc.scores)
                }
            };
            out.push(t);
            p2 = p1;
            p1 = t;
        }
    }

    /// Index of tag `name`, if the model has it.
    pub fn index(&self, name: &str) -> Option<u8> {
        self.tags.iter().position(|t| t == name).map(|i| i as u8)
    }

    /// Reads the gzip'd model file.
    pub fn load(gz: &[u8]) -> io::Result<Tagger> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut raw)?;
        let mut p = 0usize;
        let mut take = |k: usize| -> io::Result<&[u8]> {
            let s = raw
                .get(p..p + k)
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "truncated"))?;
            p += k;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a POS model",
            ));
        }
        let nt = take(1)?[0] as usize;
        let mut tags = Vec::with_capacity(nt);
        for _ in 0..nt {
            let len = take(1)?[0] as usize;
            tags.push(String::from_utf8_lossy(take(len)?).into_owned());
        }
        let u32_ = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let nd = u32_(take(4)?) as usize;
        let mut dict = IdMap::default();
        for _ in 0..nd {
            let k = u32_(take(4)?);
            dict.insert(k, take(1)?[0]);
        }
        let scale = f32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
        let nr = u32_(take(4)?) as usize;
        let mut rows = IdMap::default();
        rows.reserve(nr);
        let mut entries = Vec::new();
        for _ in 0..nr {
            let k = u32_(take(4)?);
            let len = take(1)?[0] as usize;
            let a = entries.len() as u32;
            for _ in 0..len {
                let e = take(3)?;
                entries.push((e[0], i16::from_le_bytes([e[1], e[2]]) as f32 * scale));
            }
            rows.insert(k, (a, entries.len() as u32));
        }
        Ok(Tagger {
            tags,
            dict,
            rows,
            entries,
        })
    }
}

fn argmax(s: &[f32]) -> u8 {
    let mut best = 0;
    for (i, &x) in s.iter().enumerate() {
        if x > s[best] {
            best = i;
        }
    }
    best as u8
}

/// A tagged sentence for training: words and gold tag names.
pub struct Sentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads the CoNLL-2003 column format (word POS chunk NER) into sentences with their
/// part-of-speech tags, with the NER module's reader.
pub fn read_conll(text: &str) -> Vec<Sentence> {
    crate::ner::read_conll_column(text, 1)
        .into_iter()
        .flatten()
        .map(|sent| {
            let (words, tags) = sent.into_iter().unzip();
            Sentence { words, tags }
        })
        .collect()
}

/// Training options.
pub struct Options {
    pub epochs: usize,
    /// Averaged weights below this (absolute) are dropped.
    pub prune: f32,
    /// Dictionary: words seen at least this often ...
    pub dict_min: usize,
    /// ... with one tag at least this share of the time.
    pub dict_share: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            epochs: 6,
            prune: 1.0,
            dict_min: 5,
            dict_share: 0.97,
        }
    }
}

/// The normalised form the tagger reads (as the quote tagger computes it).
pub fn norm(w: &str) -> String {
    crate::quotes::tagger::canon(w)
}

/// Trains on `sents` and writes the model file to `out`; `report(epoch, tagger)` is
/// called after every epoch with the averaged model so far.
pub fn train(
    sents: &[Sentence],
    clusters: &Clusters,
    opts: &Options,
    out: impl Write,
    mut report: impl FnMut(usize, &Tagger),
) -> io::Result<()> {
    // Tag set, in order of first appearance sorted by name (deterministic).
    let mut names: Vec<String> = sents.iter().flat_map(|s| s.tags.iter().cloned()).collect();
    names.sort();
    names.dedup();
    let tix: HashMap<&str, u8> = names
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u8))
        .collect();
    let nt = names.len();
    // Per sentence: raw words, normalised words, clusters, gold tags.
    type Prepared = (Vec<String>, Vec<String>, Vec<Option<[u16; 3]>>, Vec<u8>);
    let data: Vec<Prepared> = sents
        .iter()
        .map(|s| {
            (
                s.words.clone(),
                s.words.iter().map(|w| norm(w)).collect(),
                s.words.iter().map(|w| clusters.get(w)).collect(),
                s.tags.iter().map(|t| tix[t.as_str()]).collect(),
            )
        })
        .collect();
    // Tag dictionary.
    let mut counts: HashMap<&str, Vec<usize>> = HashMap::new();
    for (_, norms, _, tags) in &data {
        for (w, &t) in norms.iter().zip(tags) {
            counts.entry(w.as_str()).or_insert_with(|| vec![0; nt])[t as usize] += 1;
        }
    }
    let mut dict: Vec<(u32, u8)> = Vec::new();
    for (w, c) in &counts {
        let total: usize = c.iter().sum();
        let (best, &m) = c
            .iter()
            .enumerate()
            .max_by_key(|x| (x.1, usize::MAX - x.0))
            .expect("tags");
        if total >= opts.dict_min && m as f64 / total as f64 >= opts.dict_share {
            dict.push((dict_key(w), best as u8));
        }
    }
    dict.sort_unstable();
    dict.dedup_by_key(|x| x.0);
    // Averaged perceptron: weights, running sums (lazy, by time stamps).
    struct Row {
        w: Vec<f32>,
        total: Vec<f32>,
        stamp: Vec<u64>,
    }
    let mut rows: HashMap<u32, Row> = HashMap::new();
    let mut now: u64 = 0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
    let mut sc = Scratch::default();
    let mut scores = vec![0f32; nt];
    let finish = |rows: &HashMap<u32, Row>, now: u64| -> Vec<(u32, Vec<(u8, f32)>)> {
        let mut out: Vec<(u32, Vec<(u8, f32)>)> = rows
            .iter()
            .map(|(&k, r)| {
                let e: Vec<(u8, f32)> = (0..nt)
                    .map(|t| {
                        let tot = r.total[t] + r.w[t] * (now - r.stamp[t]) as f32;
                        (t as u8, tot / now.max(1) as f32)
                    })
                    .filter(|x| x.1.abs() >= opts.prune)
                    .collect();
                (k, e)
            })
            .filter(|x| !x.1.is_empty())
            .collect();
        out.sort_unstable_by_key(|x| x.0);
        out
    };
    let build = |avg: &[(u32, Vec<(u8, f32)>)]| -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.push(nt as u8);
        for t in &names {
            b.push(t.len() as u8);
            b.extend_from_slice(t.as_bytes());
        }
        b.extend_from_slice(&(dict.len() as u32).to_le_bytes());
        for &(k, t) in &dict {
            b.extend_from_slice(&k.to_le_bytes());
            b.push(t);
        }
        let max = avg
            .iter()
            .flat_map(|r| r.1.iter().map(|e| e.1.abs()))
            .fold(0f32, f32::max);
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        b.extend_from_slice(&scale.to_le_bytes());
        b.extend_from_slice(&(avg.len() as u32).to_le_bytes());
        for (k, e) in avg {
            b.extend_from_slice(&k.to_le_bytes());
            b.push(e.len() as u8);
            for &(t, w) in e {
                b.push(t);
                b.extend_from_slice(&((w / scale).round() as i16).to_le_bytes());
            }
        }
        b
    };
    let gz = |b: &[u8]| -> io::Result<Vec<u8>> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(b)?;
        enc.finish()
    };
    let mut last = Vec::new();
    for epoch in 1..=opts.epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &s in &order {
            let (raw, norms, clus, gold) = &data[s];
            let words: Vec<Word> = (0..raw.len())
                .map(|i| Word {
                    raw: &raw[i],
                    norm: &norms[i],
                    clus: clus[i],
                })
                .collect();
            let (mut p1, mut p2) = (u8::MAX, u8::MAX);
            for i in 0..words.len() {
                now += 1;
                if let Ok(d) = dict.binary_search_by_key(&dict_key(&norms[i]), |x| x.0) {
                    p2 = p1;
                    p1 = dict[d].1;
                    continue;
                }
                features(&words, i, p1, p2, &mut sc);
                scores.iter_mut().for_each(|x| *x = 0.0);
                for k in &sc.feats {
                    if let Some(r) = rows.get(k) {
                        for (s, w) in scores.iter_mut().zip(&r.w) {
                            *s += w;
                        }
                    }
                }
                let guess = argmax(&scores);
                let g = gold[i];
                if guess != g {
                    for &k in &sc.feats {
                        let r = rows.entry(k).or_insert_with(|| Row {
                            w: vec![0.0; nt],
                            total: vec![0.0; nt],
                            stamp: vec![0; nt],
                        });
                        for (t, d) in [(g as usize, 1.0f32), (guess as usize, -1.0)] {
                            r.total[t] += r.w[t] * (now - r.stamp[t]) as f32;
                            r.stamp[t] = now;
                            r.w[t] += d;
                        }
                    }
                }
                // The history is what the tagger guessed, as at run time.
                p2 = p1;
                p1 = guess;
            }
        }
        let avg = finish(&rows, now);
        last = build(&avg);
        let t = Tagger::load(&gz(&last)?)?;
        report(epoch, &t);
    }
    let mut out = out;
    out.write_all(&gz(&last)?)?;
    Ok(())
}

/// Token accuracy of `t` on `sents`.
pub fn accuracy(t: &Tagger, sents: &[Sentence], clusters: &Clusters) -> f64 {
    let mut sc = Scratch::default();
    let (mut ok, mut n) = (0usize, 0usize);
    let mut out = Vec::new();
    for s in sents {
        let norms: Vec<String> = s.words.iter().map(|w| norm(w)).collect();
        let words: Vec<Word> = (0..s.words.len())
            .map(|i| Word {
                raw: &s.words[i],
                norm: &norms[i],
                clus: clusters.get(&s.words[i]),
            })
            .collect();
        t.tag(&words, &mut sc, &mut out);
        for (g, &p) in s.tags.iter().zip(&out) {
            n += 1;
            if t.tags[p as usize] == *g {
                ok += 1;
            }
        }
    }
    ok as f64 / n.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(words: &[&str]) -> Vec<String> {
        let t = shared().expect("pos-conll2003.bin.gz loads");
        let clusters = &crate::ner::shared().expect("NER model").clusters;
        let norms: Vec<String> = words.iter().map(|w| norm(w)).collect();
        let ws: Vec<Word> = words
            .iter()
            .zip(&norms)
            .map(|(w, n)| Word {
                raw: w,
                norm: n,
                clus: clusters.get(w),
            })
            .collect();
        let mut out = Vec::new();
        t.tag(&ws, &mut Scratch::default(), &mut out);
        out.iter().map(|&i| t.tags[i as usize].clone()).collect()
    }

    #[test]
    fn the_embedded_tagger_tags_a_report() {
        let tags = tag(&[
            "The", "senator", "said", "the", "plan", "would", "fail", ".",
        ]);
        assert_eq!(tags, ["DT", "NN", "VBD", "DT", "NN", "MD", "VB", "."]);
    }

    #[test]
    fn conll_columns_are_read_without_docstart() {
        let s = read_conll("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words, ["EU", "rejects"]);
        assert_eq!(s[0].tags, ["NNP", "VBZ"]);
    }
}
