//! Statistical named-entity recognition: an averaged structured perceptron over
//! hashed features with Viterbi decoding in IOB2, trained on CoNLL-2003 (PER, ORG,
//! LOC, MISC), with a two-pass document-level step (the labels a first pass gave a
//! word elsewhere in the document are features of the second).
//!
//! Hand-written because no well-kept Rust crate trains a tagger of this kind locally
//! and ships it without downloading external models (the crates.io NER crates are
//! either wrappers around Python/ONNX models fetched at run time or small CRF crates
//! for other languages with JSON string-keyed models). Here the whole model is a few MB
//! of gzip'd weights embedded in the binary, and tagging needs no allocation per
//! feature.
//!
//! - [`features`]: what the tagger looks at;
//! - [`clusters`]: word clusters learned from unlabeled news text;
//! - [`model`]: weights, decoding, training, the file format;
//! - [`train`]: the training procedure (`examples/train_ner.rs` drives it);
//! - this module: the embedded model, document tagging, raw-text tokenisation in the
//!   CoNLL style, and the CoNLL in/out helpers.
pub mod clusters;
pub mod features;
pub mod model;
pub mod train;

use std::io::{self, BufRead, Write};
use std::sync::OnceLock;

use features::{DocInfo, Scratch};
pub use model::{Model, NT, TAGS};

/// The model trained by `examples/train_ner.rs` (see `crates/nlp/data/README.md`).
static EMBEDDED: &[u8] = include_bytes!("../../data/ner-conll2003.bin.gz");

/// The embedded model, loaded on first use; `None` only if the file is corrupt (a
/// build problem the tests catch), so callers can fall back instead of panicking.
pub fn shared() -> Option<&'static Model> {
    static M: OnceLock<Option<Model>> = OnceLock::new();
    M.get_or_init(|| Model::load(EMBEDDED).ok()).as_ref()
}

/// Per-thread scratch buffers so tagging allocates little per sentence.
#[derive(Default)]
pub struct Buffers {
    scratch: Scratch,
    feats: Vec<u32>,
    offsets: Vec<usize>,
    tags: Vec<usize>,
}

/// Counts of entity types per capitalised token, from tags of a whole document: the
/// evidence the second pass reads.
pub fn prior_from(doc: &[Vec<&str>], tags: &[Vec<usize>]) -> features::WordMap<[u16; 5]> {
    let mut prior: features::WordMap<[u16; 5]> = Default::default();
    for (sent, ts) in doc.iter().zip(tags) {
        for (w, &t) in sent.iter().zip(ts) {
            if features::is_cap(w) && w.chars().any(char::is_alphabetic) {
                let e = prior.entry(features::norm(w)).or_default();
                let k = model::tag_type(t);
                e[k] = e[k].saturating_add(1);
            }
        }
    }
    prior
}

impl Model {
    /// Tags every sentence of one document (tag indices into [`TAGS`]).
    pub fn tag_document(&self, doc: &[Vec<&str>]) -> Vec<Vec<usize>> {
        let mut buf = Buffers::default();
        let mut info = DocInfo::new(doc);
        let mut out: Vec<Vec<usize>> = Vec::with_capacity(doc.len());
        // First-pass features are kept: the second pass adds to them.
        let mut base: Vec<(Vec<u32>, Vec<usize>)> = Vec::with_capacity(doc.len());
        for si in 0..doc.len() {
            features::sentence_features(
                doc,
                &info,
                si,
                &self.gaz,
                &self.clusters,
                &mut buf.scratch,
                &mut buf.feats,
                &mut buf.offsets,
            );
            self.first.decode(&buf.feats, &buf.offsets, &mut buf.tags);
            out.push(buf.tags.clone());
            if self.second.is_some() {
                base.push((buf.feats.clone(), buf.offsets.clone()));
            }
        }
        let Some(second) = &self.second else {
            return out;
        };
        info.prior = prior_from(doc, &out);
        for (si, o) in out.iter_mut().enumerate() {
            // Without a capitalised word the second pass has nothing to add.
            if !doc[si].iter().any(|w| features::is_cap(w)) {
                continue;
            }
            let (f, off) = &base[si];
            features::add_prior(&doc[si], &info, f, off, &mut buf.feats, &mut buf.offsets);
            second.decode(&buf.feats, &buf.offsets, &mut buf.tags);
            o.clone_from(&buf.tags);
        }
        out
    }

    /// Tags as strings ("B-PER", …) for every sentence of one document.
    pub fn tag_document_str(&self, doc: &[Vec<&str>]) -> Vec<Vec<&'static str>> {
        self.tag_document(doc)
            .into_iter()
            .map(|s| s.into_iter().map(|t| TAGS[t]).collect())
            .collect()
    }
}

/// Entity chunks of an IOB2 tag sequence as (start, end, type 1..=4); a stray I-X
/// starts a chunk, as conlleval reads it.
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (bio, ty) = match t.split_once('-') {
            Some((b, ty)) => (b, ty),
            None => ("O", ""),
        };
        let continues = bio == "I" && cur.as_ref().is_some_and(|(_, c)| c == ty);
        if !continues {
            if let Some((s, c)) = cur.take() {
                out.push((s, i, c));
            }
            if bio == "B" || bio == "I" {
                cur = Some((i, ty.to_string()));
            }
        }
    }
    if let Some((s, c)) = cur {
        out.push((s, tags.len(), c));
    }
    out
}

/// A CoNLL file read into documents of sentences of (token, last-column tag).
pub type ConllDoc = Vec<Vec<(String, String)>>;

/// Reads CoNLL lines: token first, tag last (a single-column line has tag "O"),
/// blank lines between sentences, `-DOCSTART-` between documents.
pub fn read_conll(text: &str) -> Vec<ConllDoc> {
    read_conll_column(text, usize::MAX)
}

/// [`read_conll`] with the tag taken from column `col` (0 is the token; past the
/// last column, the last one): CoNLL-2003's part-of-speech tags are column 1.
pub fn read_conll_column(text: &str, col: usize) -> Vec<ConllDoc> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut doc: ConllDoc = Vec::new();
    let mut sent: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
            if !doc.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        let Some(&tok) = cols.first() else {
            if !sent.is_empty() {
                doc.push(std::mem::take(&mut sent));
            }
            continue;
        };
        let tag = match cols.len() {
            1 => "O",
            n => cols[col.min(n - 1)],
        };
        sent.push((tok.to_string(), tag.to_string()));
    }
    if !sent.is_empty() {
        doc.push(sent);
    }
    if !doc.is_empty() {
        docs.push(doc);
    }
    docs
}

/// `parallax ner`: reads CoNLL lines (token in the first column; blank lines between
/// sentences; `-DOCSTART-` lines between documents, passed through unchanged) and
/// writes each line with the predicted IOB2 tag appended after a space. Documents are
/// tagged whole, since the tagger uses document-level evidence.
pub fn tag_conll(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let model = shared().ok_or_else(|| io::Error::other("the embedded NER model is corrupt"))?;
    let mut pending: Vec<String> = Vec::new();
    let flush = |pending: &mut Vec<String>, output: &mut dyn Write| -> io::Result<()> {
        // Sentences are runs of non-blank lines.
        let mut sents: Vec<Vec<&str>> = Vec::new();
        let mut cur: Vec<&str> = Vec::new();
        for l in pending.iter() {
            match l.split_whitespace().next() {
                Some(tok) => cur.push(tok),
                None => {
                    if !cur.is_empty() {
                        sents.push(std::mem::take(&mut cur));
                    }
                }
            }
        }
        if !cur.is_empty() {
            sents.push(cur);
        }
        let tags = model.tag_document(&sents);
        let mut flat = tags.iter().flatten();
        for l in pending.iter() {
            if l.trim().is_empty() {
                writeln!(output, "{l}")?;
            } else {
                let t = flat.next().map(|&t| TAGS[t]).unwrap_or("O");
                writeln!(output, "{l} {t}")?;
            }
        }
        pending.clear();
        Ok(())
    };
    for line in input.lines() {
        let line = line?;
        let line = line.trim_end_matches('\r').to_string();
        if line.starts_with("-DOCSTART-") {
            flush(&mut pending, &mut output)?;
            writeln!(output, "{line}")?;
        } else {
            pending.push(line);
        }
    }
    flush(&mut pending, &mut output)?;
    output.flush()
}

/// Abbreviations that keep their final period, as in Reuters copy ("Corp.", "St.").
const ABBREV: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "Bros", "Gen", "Gov",
    "Sen", "Rep", "Lt", "Col", "Capt", "Sgt", "Prof", "Rev", "No", "vs", "Ave", "Mt", "Ft", "Jan",
    "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Calif", "Mass", "Fla", "Ill",
    "Pa", "Wash", "etc",
];

/// Splits text into tokens the way CoNLL-2003 is tokenised, as byte ranges: words
/// with their inner hyphens, apostrophes and periods ("U.S.", "al-Rahim", "1,000"),
/// possessive "'s" and "n't" split off, and punctuation and quotes as tokens of their
/// own.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        // Whitespace-delimited chunk.
        let mut e = i;
        for (k, ch) in text[i..].char_indices() {
            if ch.is_whitespace() {
                break;
            }
            e = i + k + ch.len_utf8();
        }
        split_chunk(text, i, e, &mut out);
        i = e;
    }
    let _ = bytes;
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn split_chunk(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let chunk = &text[s..e];
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| if k < n { chars[k].0 } else { chunk.len() };
    // Leading punctuation, one token each.
    let mut a = 0;
    while a < n && !is_word_char(chars[a].1) {
        // "$5" and "-3": the sign or symbol is a token of its own; a run of the same
        // mark ("--", "...") stays together.
        let mut b = a + 1;
        while b < n && chars[b].1 == chars[a].1 && !is_word_char(chars[b].1) {
            b += 1;
        }
        out.push((s + at(a), s + at(b)));
        a = b;
    }
    if a >= n {
        return;
    }
    // Trailing punctuation, collected back to front.
    let mut z = n;
    let mut tail: Vec<(usize, usize)> = Vec::new();
    loop {
        if z <= a {
            break;
        }
        let c = chars[z - 1].1;
        if is_word_char(c) {
            break;
        }
        if c == '.' {
            // Keep the period of "U.S.", "J." and known abbreviations.
            let word = &chunk[at(a)..at(z - 1)];
            let dotted = word.contains('.')
                && !word.contains("..")
                && word.split('.').all(|p| {
                    let n = p.chars().count();
                    (1..=3).contains(&n) && p.chars().all(char::is_alphabetic)
                });
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if (dotted || initial || ABBREV.contains(&word)) && z == n {
                break;
            }
            if (dotted || initial || ABBREV.contains(&word)) && z < n && chars[z].1 != '.' {
                break;
            }
        }
        let mut y = z - 1;
        while y > a && chars[y - 1].1 == c && !is_word_char(c) {
            y -= 1;
        }
        tail.push((s + at(y), s + at(z)));
        z = y;
    }
    if z > a {
        // Inner splits: possessive and contractions, "'s", "n't", "'re" …
        let word = &chunk[at(a)..at(z)];
        let ws = s + at(a);
        let mut cut = word.len();
        let lower = word.to_lowercase();
        for suf in ["n't", "n’t"] {
            if lower.ends_with(suf) && word.len() > suf.len() {
                cut = word.len() - suf.len();
            }
        }
        if cut == word.len() {
            for suf in [
                "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
            ] {
                if lower.ends_with(suf) && word.len() > suf.len() {
                    cut = word.len() - suf.len();
                    break;
                }
            }
        }
        if cut == word.len() && (word.ends_with('\'') || word.ends_with('’')) && word.len() > 3 {
            cut = word.len() - word.chars().last().map_or(1, char::len_utf8);
        }
        if word.is_char_boundary(cut) && cut < word.len() && cut > 0 {
            out.push((ws, ws + cut));
            out.push((ws + cut, ws + word.len()));
        } else {
            out.push((ws, ws + word.len()));
        }
    }
    out.extend(tail.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|(s, e)| &t[s..e]).collect()
    }

    #[test]
    fn tokenises_like_conll() {
        assert_eq!(
            toks("Okafor's \"plan\" (in the U.S.), $5.5 million, isn't done."),
            vec![
                "Okafor", "'s", "\"", "plan", "\"", "(", "in", "the", "U.S.", ")", ",", "$", "5.5",
                "million", ",", "is", "n't", "done", "."
            ]
        );
        assert_eq!(
            toks("Elsby Ferries Corp. said"),
            vec!["Elsby", "Ferries", "Corp.", "said"]
        );
        assert_eq!(toks("in Orra."), vec!["in", "Orra", "."]);
        assert_eq!(
            toks("Sino-Valdorian talks..."),
            vec!["Sino-Valdorian", "talks", "..."]
        );
        for t in [
            "",
            " ",
            "’s",
            "'",
            "...",
            "É.",
            "a'",
            "n't",
            "U.S..",
            "“Okafor’s”",
        ] {
            for (s, e) in tokenize(t) {
                assert!(s < e && e <= t.len(), "{t:?}");
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let model = shared().expect("embedded model loads");
        let long = "Okafor ".repeat(3000);
        let docs: Vec<Vec<Vec<&str>>> = vec![
            vec![],
            vec![vec![]],
            vec![vec!["", " ", "\u{0}"]],
            vec![vec![
                "ÉCOLE",
                "İSTANBUL",
                "ǅ",
                "’s",
                "--",
                "U.S.",
                "1996-08-22",
            ]],
            vec![long.split(' ').collect()],
        ];
        for d in &docs {
            let tags = model.tag_document(d);
            assert_eq!(tags.len(), d.len());
            for (s, t) in d.iter().zip(&tags) {
                assert_eq!(s.len(), t.len());
            }
        }
        for input in [
            "",
            "\n\n\n",
            "-DOCSTART-\n",
            "a\r\n\r\nb c d e\n",
            "\u{feff}x",
        ] {
            let mut out = Vec::new();
            tag_conll(input.as_bytes(), &mut out).unwrap();
        }
        for t in [
            "\u{0}",
            "É'",
            "''s",
            "n'tn't",
            "a.b.c.d.e.f.g.",
            "$$$5",
            "“”’‘",
        ] {
            for (s, e) in tokenize(t) {
                assert!(s < e && e <= t.len() && t.is_char_boundary(s) && t.is_char_boundary(e));
            }
        }
    }

    #[test]
    fn chunks_are_conlleval_chunks() {
        let c = chunks(&["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-MISC"]);
        assert_eq!(
            c,
            vec![
                (0, 2, "PER".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 5, "ORG".to_string()),
                (5, 6, "ORG".to_string()),
                (6, 7, "MISC".to_string())
            ]
        );
    }

    #[test]
    fn tags_conll_lines() {
        let input = "-DOCSTART- -X- -X- O\n\nMaria NNP\nOkafor NNP\nvisited VBD\nPort NNP\nElsby NNP\n. .\n\n";
        let mut out = Vec::new();
        tag_conll(input.as_bytes(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "-DOCSTART- -X- -X- O");
        assert_eq!(lines[1], "");
        assert_eq!(lines[2], "Maria NNP B-PER");
        assert_eq!(lines[3], "Okafor NNP I-PER");
        assert!(lines[4].ends_with(" O"), "{out}");
        assert_eq!(lines[7], ". . O");
        assert_eq!(lines.len(), 9);
    }
}
