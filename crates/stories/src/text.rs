//! Turning an article into the terms and names the clusterer compares.
//!
//! Terms: lower-cased words without stop words, lightly stemmed (plural and possessive
//! endings), so "derailment"/"derailments" and "council's"/"council" meet.
//!
//! Names: what tells look-alike events apart is who and where ("near Kessling" vs "near
//! Orvanto"). The entity tagger's output is used when there is any; on top of it, and as
//! the only source while the tagger finds nothing, capitalised words inside a sentence
//! (not at its start, not stop words, not months or weekdays) are taken as name tokens.
//! Both end up as the same lower-cased single-token keys, so the signal is the same
//! whichever source found them and improves as the tagger does.
//!
//! Speed: an article is scanned once into word ranges, and every signal (terms, title
//! terms, names, years, the words the shingles are made of) is read off that scan into
//! buffers the caller keeps between articles. Words are named by 64-bit keys
//! ([`crate::hash::key64`]), never allocated one by one.

use parallax_core::{AnalyzedArticle, EntityKind};
use std::sync::OnceLock;

use crate::hash::{key64, mix, FastMap, FastSet, MixedKeyMap};

#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "ago", "all", "almost", "also",
    "although", "am", "among", "an", "and", "another", "any", "are", "around", "as", "at",
    "be", "became", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "during",
    "each", "either", "else", "even", "ever", "every", "few", "for", "from", "further",
    "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "last", "later", "least", "less", "like", "made", "make", "many",
    "may", "me", "might", "more", "most", "much", "must", "my", "near", "never", "new",
    "next", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or",
    "other", "others", "our", "ours", "out", "over", "own", "per", "put", "rather", "s",
    "said", "same", "say", "says", "saying", "see", "seen", "several", "she", "should",
    "since", "so", "some", "still", "such", "than", "that", "the", "their", "theirs",
    "them", "themselves", "then", "there", "these", "they", "this", "those", "though",
    "through", "thus", "to", "told", "too", "took", "toward", "towards", "under", "until",
    "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "yet", "you", "your", "yours", "according", "added", "report",
    "reported", "reports", "reporting", "reuters", "ap", "afp", "news", "statement", "told",
    "year", "years", "today", "yesterday", "tomorrow", "week", "day", "days", "time",
    "people", "including", "first", "two", "three", "don't", "didn't", "it's", "he's",
    "she's", "we're", "they're", "i'm", "t", "d", "ll", "re", "ve", "m",
];

#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "mr", "mrs", "ms", "dr", "sir", "lord", "st", "president",
    "minister", "prime", "police", "government", "city", "state", "county", "north",
    "south", "east", "west", "northern", "southern", "eastern", "western", "english",
    "american", "british", "european", "photo", "video", "update", "updated", "breaking",
    "read", "more", "click", "copyright", "getty", "images", "image",
];

fn stopword_set() -> &'static FastSet<&'static str> {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
}

fn not_name_set() -> &'static FastSet<&'static str> {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().chain(NOT_NAMES).copied().collect())
}

fn short(w: &str) -> bool {
    if w.is_ascii() {
        w.len() < 2
    } else {
        w.chars().count() < 2
    }
}

pub(crate) fn is_stopword(w: &str) -> bool {
    short(w) || stopword_set().contains(w)
}

fn is_not_name(w: &str) -> bool {
    short(w) || not_name_set().contains(w)
}

/// Light, deterministic stemming: possessives and plural endings only. Anything
/// heavier merges words that should stay apart ("news"/"new", "police"/"policy").
#[cfg(test)]
pub(crate) fn stem(w: &str) -> String {
    let mut out = String::new();
    stem_into(w, &mut out);
    out
}

/// [`stem`] into a reused buffer.
fn stem_into(w: &str, out: &mut String) {
    out.clear();
    let w = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w);
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        out.push_str(&w[..n - 3]);
        out.push('y');
    } else if n > 4 && (w.ends_with("sses") || w.ends_with("ches") || w.ends_with("shes")) {
        out.push_str(&w[..n - 2]);
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        out.push_str(&w[..n - 1]);
    } else {
        out.push_str(w);
    }
}

/// A word of the text (byte range) with where it stands and its key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Word {
    pub start: u32,
    pub end: u32,
    /// First word of a sentence (after `.`, `!`, `?`, `:`, a line break or an opening
    /// quote that follows one of those).
    pub sentence_start: bool,
    /// [`key64`] of the lower-cased word (see [`lower_into`]), computed during the scan.
    pub key: u64,
}

impl Word {
    #[inline]
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start as usize..self.end as usize]
    }
}

/// Byte classes of ASCII for the scanner.
const ALNUM: u8 = 1;
/// Characters after which the next word opens a sentence.
const BOUNDARY: u8 = 2;

const fn ascii_classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ALNUM;
        }
        b += 1;
    }
    t[b'.' as usize] = BOUNDARY;
    t[b'!' as usize] = BOUNDARY;
    t[b'?' as usize] = BOUNDARY;
    t[b':' as usize] = BOUNDARY;
    t[b'\n' as usize] = BOUNDARY;
    t[b';' as usize] = BOUNDARY;
    t[b'|' as usize] = BOUNDARY;
    t
}

static CLASS: [u8; 128] = ascii_classes();

/// For each byte: its lower-cased form if it is an ASCII letter or digit, else 0.
const fn word_bytes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
}

static WORD_BYTE: [u8; 256] = word_bytes();

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline(always)]
fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(FNV_PRIME)
}

/// The words of `text` into `out` (cleared first): runs of letters and digits, with
/// apostrophes inside a word kept ("don't", "council's"), each with the key of its
/// lower-cased form. One pass over the bytes; characters outside ASCII are decoded only
/// where they occur.
pub(crate) fn scan(text: &str, out: &mut Vec<Word>) {
    out.clear();
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut pending_start = true;
    let mut buf = [0u8; 4];
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            let class = CLASS[b as usize];
            if class & ALNUM == 0 {
                // Dashes count too: datelines and headline fragments ("KESSLING - Train
                // derails") open with capitals that are not names. A hyphen only when it
                // stands alone, not inside "six-year".
                if class & BOUNDARY != 0 || (b == b'-' && bytes.get(i + 1) == Some(&b' ')) {
                    pending_start = true;
                }
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if !c.is_alphanumeric() {
                if c == '\u{2014}' || c == '\u{2013}' {
                    pending_start = true;
                }
                i += c.len_utf8();
                continue;
            }
        }
        // A word starts here. `h` runs over the lower-cased bytes; `h_end` and `end`
        // stand after the last letter or digit, so trailing apostrophes are not part of
        // the word.
        let start = i;
        let mut h = crate::hash::fnv_start();
        let (mut h_end, mut end) = (h, i);
        loop {
            // Fast path, where nearly all the bytes go: a run of ASCII letters and
            // digits, one table load per byte (the table gives the lower-cased byte, or
            // 0 for anything else, non-ASCII included).
            let run = i;
            while i < n {
                let l = WORD_BYTE[bytes[i] as usize];
                if l == 0 {
                    break;
                }
                h = fnv_byte(h, l);
                i += 1;
            }
            if i > run {
                h_end = h;
                end = i;
            }
            if i >= n {
                break;
            }
            let b = bytes[i];
            if b == b'\'' {
                h = fnv_byte(h, b);
                i += 1;
            } else if (b == b'.' || b == b',')
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                // A decimal point or thousands separator inside a number: "5.6" (a
                // magnitude) and "2,500" (a toll) are one figure each.
                h = fnv_byte(h, b);
                i += 1;
            } else if b < 0x80 {
                break;
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if c.is_alphanumeric() {
                    for lc in c.to_lowercase() {
                        for &x in lc.encode_utf8(&mut buf).as_bytes() {
                            h = fnv_byte(h, x);
                        }
                    }
                    i += c.len_utf8();
                    h_end = h;
                    end = i;
                } else if c == '\u{2019}' {
                    h = fnv_byte(h, b'\'');
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
        }
        out.push(Word {
            start: start as u32,
            end: end as u32,
            sentence_start: pending_start,
            key: mix(h_end),
        });
        pending_start = false;
    }
}

/// `w` lower-cased into `buf`, with the typographic apostrophe written as `'` (outlets
/// differ in which they use; the words should not).
#[inline]
fn lower_into(w: &str, buf: &mut String) {
    buf.clear();
    if w.is_ascii() {
        buf.push_str(w);
        buf.make_ascii_lowercase();
    } else {
        for c in w.chars() {
            if c == '\u{2019}' {
                buf.push('\'');
            } else {
                buf.extend(c.to_lowercase());
            }
        }
    }
}

/// "Not a term" / "not a name" in the [`Lexicon`]'s memo table.
const NONE: u32 = u32::MAX;
/// "Not worked out yet" in the [`Lexicon`]'s memo table: a form met so far only as a
/// term has no name answer yet, and the other way round.
const UNSEEN: u32 = u32::MAX - 1;

/// What a lower-cased word form stands for: its term id and its name id (each an id,
/// [`NONE`] or [`UNSEEN`]).
#[derive(Debug, Clone, Copy)]
struct Form {
    term: u32,
    name: u32,
}

/// The vocabularies: content terms and name tokens, each numbered densely in order of
/// first appearance (so ids, and everything sorted by id, depend only on the input
/// order).
///
/// Every lower-cased word form seen is memoised with its term id (or "stop word") and
/// its name id (or "not a name"), so a word costs one hash lookup after its first
/// appearance, even a capitalised one that is looked up as a term and as a name: the
/// form table is the largest the text path touches (every invented name, every number)
/// and a lookup in it is mostly a cache miss, so one table rather than two halves the
/// misses for capitalised words. Each half is still worked out lazily, the first time it
/// is asked for, so ids are handed out in the same order as with separate tables.
/// Stemming and the stop-word test run once per distinct form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// Key of a lower-cased word form → its term and name ids.
    forms: MixedKeyMap<Form>,
    /// Key of a stemmed term → term id.
    terms: FastMap<u64, u32>,
    /// Key of a name (possessive dropped) → name id.
    names: FastMap<u64, u32>,
    /// Scratch for the lower-cased form and its stem (first appearances only).
    lower: String,
    stem: String,
}

impl Lexicon {
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The memo entry of a word form (`key` its [`Word::key`]), created unseen.
    #[inline]
    fn form(&mut self, key: u64) -> &mut Form {
        self.forms.entry(key).or_insert(Form {
            term: UNSEEN,
            name: UNSEEN,
        })
    }

    /// The memo entries of `words` into `out` (both halves [`UNSEEN`] for a form not in
    /// the table), without changing anything.
    ///
    /// Why a separate pass: the lookups are mostly cache misses, and here they do not
    /// depend on one another, so the processor overlaps them; interleaved with the
    /// per-word work (which may insert) they are served one after another. An entry
    /// read here is final wherever it is not [`UNSEEN`] (a half, once worked out, never
    /// changes); an [`UNSEEN`] half is asked for again through [`Self::term`] or
    /// [`Self::name`], which see any insertion made meanwhile.
    fn peek_all(&self, words: &[Word], out: &mut Vec<Form>) {
        const ABSENT: Form = Form {
            term: UNSEEN,
            name: UNSEEN,
        };
        out.clear();
        out.extend(
            words
                .iter()
                .map(|w| self.forms.get(&w.key).copied().unwrap_or(ABSENT)),
        );
    }

    /// [`Self::term`] given the word's entry from [`Self::peek_all`].
    #[inline]
    fn term_peeked(&mut self, peeked: Form, key: u64, word: &str) -> Option<u32> {
        match peeked.term {
            UNSEEN => self.term(key, word),
            NONE => None,
            id => Some(id),
        }
    }

    /// [`Self::name`] given the word's entry from [`Self::peek_all`].
    #[inline]
    fn name_peeked(&mut self, peeked: Form, key: u64, word: &str) -> Option<u32> {
        match peeked.name {
            UNSEEN => self.name(key, word),
            NONE => None,
            id => Some(id),
        }
    }

    /// The term id of a word (`key` its [`Word::key`]); `None` for a stop word.
    #[inline]
    fn term(&mut self, key: u64, word: &str) -> Option<u32> {
        let mut id = self.form(key).term;
        if id == UNSEEN {
            id = self.new_term(word);
            self.form(key).term = id;
        }
        (id != NONE).then_some(id)
    }

    /// First appearance of a form as a term: stop-word test and stemming.
    #[cold]
    fn new_term(&mut self, word: &str) -> u32 {
        lower_into(word, &mut self.lower);
        let lower = self.lower.as_str();
        if is_stopword(lower) {
            return NONE;
        }
        stem_into(lower, &mut self.stem);
        if is_stopword(&self.stem) {
            return NONE;
        }
        let next = self.terms.len() as u32;
        *self.terms.entry(key64(&self.stem)).or_insert(next)
    }

    /// The name id of a word (`key` its [`Word::key`]); `None` when the word is not a
    /// name (a stop word, a month, a number).
    #[inline]
    fn name(&mut self, key: u64, word: &str) -> Option<u32> {
        let mut id = self.form(key).name;
        if id == UNSEEN {
            id = self.new_name(word);
            self.form(key).name = id;
        }
        (id != NONE).then_some(id)
    }

    /// First appearance of a form as a possible name.
    #[cold]
    fn new_name(&mut self, word: &str) -> u32 {
        lower_into(word, &mut self.lower);
        let lower = self.lower.as_str();
        let lw = lower.strip_suffix("'s").unwrap_or(lower);
        if is_not_name(lw) || lw.chars().all(|c| c.is_numeric()) {
            return NONE;
        }
        let next = self.names.len() as u32;
        *self.names.entry(key64(lw)).or_insert(next)
    }
}

/// Buffers reused from one article to the next.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    words: Vec<Word>,
    /// Memo entries of `words` (see [`Lexicon::peek_all`]).
    forms: Vec<Form>,
    entity_words: Vec<Word>,
    names: Vec<(u32, f32, NameSource)>,
}

/// Where a name token was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameSource {
    MidSentence,
    SentenceStart,
    Entity,
}

/// An article reduced to numbered words: what the clusterer weighs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// Term ids of the body's content words, one per occurrence.
    pub body_terms: Vec<u32>,
    /// Term ids of the headline's content words, one per occurrence.
    pub title_terms: Vec<u32>,
    /// `(name id, count)`, sorted by id, one entry per name.
    pub names: Vec<(u32, f32)>,
    /// `(year, weight)`, sorted by year.
    pub years: Vec<(u16, f32)>,
    /// Term ids of the figures the body gives (numbers other than years: tolls,
    /// magnitudes, sums, scores), sorted, distinct.
    pub figures: Vec<u32>,
    /// One key per body word (every word, stop words too), in text order: what the
    /// near-duplicate shingles are made of.
    pub shingle_words: Vec<u64>,
}

impl Parsed {
    fn clear(&mut self) {
        self.body_terms.clear();
        self.title_terms.clear();
        self.names.clear();
        self.years.clear();
        self.figures.clear();
        self.shingle_words.clear();
    }
}

/// Shingle-word keys of a text (what [`crate::dedup::MinHasher`] shingles):
/// lower-cased words, so case and quote-style differences between copies vanish.
pub(crate) fn shingle_words(text: &str, scratch: &mut Scratch, out: &mut Vec<u64>) {
    out.clear();
    scan(text, &mut scratch.words);
    out.extend(scratch.words.iter().map(|w| w.key));
}

/// Content-term ids of `text`, in order (stop words removed, stemmed).
pub(crate) fn term_ids(
    text: &str,
    lexicon: &mut Lexicon,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    scan(text, &mut scratch.words);
    for w in &scratch.words {
        if let Some(id) = lexicon.term(w.key, w.text(text)) {
            out.push(id);
        }
    }
}

#[inline]
fn is_capitalised(w: &str) -> bool {
    let b = w.as_bytes()[0];
    if b < 0x80 {
        b.is_ascii_uppercase()
    } else {
        match w.chars().next() {
            Some(c) if c.is_uppercase() => w.chars().any(|c| c.is_alphabetic()),
            _ => false,
        }
    }
}

fn is_month(w: &str) -> bool {
    w.len() <= 9 && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(w))
}

/// Reads everything the clusterer needs off one article, into `out`.
///
/// Names: tagged entities (people and places count double: they are what separates
/// look-alike events) plus capitalised words in the body that do not open a sentence. A
/// capitalised word that opens a sentence counts only if the same name also appears
/// capitalised mid-sentence.
///
/// Years: four-digit numbers 1900–2039 standing alone, weighing 2 when part of a full
/// date ("June 13, 2013", "13 June 2013", "2013-06-13"), else 1.
pub(crate) fn parse(
    doc: &AnalyzedArticle,
    lexicon: &mut Lexicon,
    scratch: &mut Scratch,
    out: &mut Parsed,
) {
    out.clear();
    let Scratch {
        words,
        forms,
        entity_words,
        names,
    } = scratch;
    names.clear();
    let body = doc.article.body.as_str();
    scan(body, words);
    lexicon.peek_all(words, forms);
    for (i, (w, &form)) in words.iter().zip(forms.iter()).enumerate() {
        let text = w.text(body);
        let key = w.key;
        out.shingle_words.push(key);
        let term = lexicon.term_peeked(form, key, text);
        if let Some(id) = term {
            out.body_terms.push(id);
        }
        let first = text.as_bytes()[0];
        if first.is_ascii_digit() {
            let mut year = false;
            if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
                let y: u16 = text.parse().unwrap_or(0);
                if (1900..=2039).contains(&y) {
                    let prev = |k: usize| i.checked_sub(k).map(|j| words[j].text(body));
                    let full = prev(1).is_some_and(is_month)
                        || (prev(1).is_some_and(|p| {
                            p.len() <= 4 && p.starts_with(|c: char| c.is_ascii_digit())
                        }) && prev(2).is_some_and(is_month))
                        || (prev(2).is_some_and(is_month) && prev(1).is_some_and(|p| p.len() <= 2));
                    out.years.push((y, if full { 2.0 } else { 1.0 }));
                    year = true;
                }
            }
            if let (false, Some(id)) = (year, term) {
                out.figures.push(id);
            }
            continue;
        }
        if !is_capitalised(text) {
            continue;
        }
        // ALL-CAPS words longer than 5 letters are usually shouting, not acronyms.
        if text.len() > 5 && text.chars().all(|c| !c.is_lowercase()) {
            continue;
        }
        if let Some(id) = lexicon.name_peeked(form, key, text) {
            let source = if w.sentence_start {
                NameSource::SentenceStart
            } else {
                NameSource::MidSentence
            };
            names.push((id, 1.0, source));
        }
    }
    for e in &doc.analysis.entities {
        let wgt = match e.kind {
            EntityKind::Person | EntityKind::Loc => 2.0,
            EntityKind::Org | EntityKind::Misc => 1.0,
        };
        let name = if e.canonical.trim().is_empty() {
            &e.text
        } else {
            &e.canonical
        };
        scan(name, entity_words);
        for tok in entity_words.iter() {
            if let Some(id) = lexicon.name(tok.key, tok.text(name)) {
                names.push((id, wgt, NameSource::Entity));
            }
        }
    }
    // A sentence-initial capital counts only if the name also occurs mid-sentence.
    names.sort_unstable_by_key(|n| n.0);
    for group in names.chunk_by(|a, b| a.0 == b.0) {
        let mid = group.iter().any(|n| n.2 == NameSource::MidSentence);
        let w: f32 = group
            .iter()
            .filter(|n| mid || n.2 != NameSource::SentenceStart)
            .map(|n| n.1)
            .sum();
        if w > 0.0 {
            out.names.push((group[0].0, w));
        }
    }
    out.figures.sort_unstable();
    out.figures.dedup();
    if out.years.len() > 1 {
        out.years.sort_unstable_by_key(|y| y.0);
        let mut k = 0;
        for j in 1..out.years.len() {
            if out.years[j].0 == out.years[k].0 {
                out.years[k].1 += out.years[j].1;
            } else {
                k += 1;
                out.years[k] = out.years[j];
            }
        }
        out.years.truncate(k + 1);
    }
    let title = doc.article.title.as_str();
    if !title.is_empty() {
        term_ids(title, lexicon, scratch, &mut out.title_terms);
    }
}

#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
    "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
    "nov", "november", "dec", "december",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> AnalyzedArticle {
        AnalyzedArticle {
            article: parallax_core::Article {
                id: parallax_core::ArticleId("x".into()),
                source: String::new(),
                url: None,
                outlet: Default::default(),
                title: String::new(),
                byline: vec![],
                published: None,
                language: None,
                body: body.into(),
                credits: vec![],
            },
            analysis: Default::default(),
        }
    }

    fn parsed(body: &str) -> (Parsed, Lexicon) {
        let mut p = Parsed::default();
        let mut lex = Lexicon::default();
        parse(&doc(body), &mut lex, &mut Scratch::default(), &mut p);
        (p, lex)
    }

    #[test]
    fn figures_are_numbers_other_than_years() {
        let (p, mut lex) =
            parsed("A 5.6 magnitude quake on June 13, 2013 killed 12 of 2,500 villagers, 12 said");
        let mut want: Vec<u32> = ["5.6", "13", "12", "2,500"]
            .iter()
            .map(|w| {
                let mut ids = Vec::new();
                term_ids(w, &mut lex, &mut Scratch::default(), &mut ids);
                ids[0]
            })
            .collect();
        want.sort_unstable();
        assert_eq!(p.figures, want);
    }

    #[test]
    fn years_weigh_full_dates_double() {
        let y = parsed("First Published: June 13, 2013. The 1999 film; 250 people; 2013")
            .0
            .years;
        assert_eq!(y, vec![(1999, 1.0), (2013, 3.0)]);
    }

    #[test]
    fn stems() {
        assert_eq!(stem("derailments"), "derailment");
        assert_eq!(stem("council's"), "council");
        assert_eq!(stem("ferries"), "ferry");
        assert_eq!(stem("crashes"), "crash");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("crisis"), "crisis");
    }

    #[test]
    fn terms_are_stemmed_content_words() {
        let (p, lex) = parsed("The council's ferries were the Councils' derailments");
        assert_eq!(p.body_terms, vec![0, 1, 0, 2]);
        assert_eq!(lex.term_count(), 3);
    }

    #[test]
    fn names_skip_sentence_starts() {
        let (p, lex) = parsed(
            "Rescuers reached the train near Kessling on Monday. Officials said \
             Mara Quill led the effort. Quill's team",
        );
        // Rescuers (0) and Officials (2) open sentences only; Quill's is Quill.
        assert_eq!(p.names, vec![(1, 1.0), (3, 1.0), (4, 2.0)]);
        assert_eq!(lex.name_count(), 5);
    }

    #[test]
    fn scan_keys_are_keys_of_the_lower_cased_words() {
        let text = "Don\u{2019}t  ÉCOLE's students' \u{2019}quoted\u{2019} x-ray - U.S. Çà";
        let mut words = Vec::new();
        scan(text, &mut words);
        let got: Vec<(&str, bool)> = words
            .iter()
            .map(|w| (w.text(text), w.sentence_start))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Don\u{2019}t", true),
                ("ÉCOLE's", false),
                ("students", false),
                ("quoted", false),
                ("x", false),
                ("ray", false),
                ("U", true),
                ("S", true),
                ("Çà", true)
            ]
        );
        let mut lower = String::new();
        for w in &words {
            lower_into(w.text(text), &mut lower);
            assert_eq!(w.key, key64(&lower), "{lower}");
        }
    }

    #[test]
    fn shingle_words_ignore_case_and_quote_style() {
        let (a, b) = (
            parsed("Don't STOP now").0,
            parsed("don\u{2019}t stop NOW").0,
        );
        assert_eq!(a.shingle_words, b.shingle_words);
        assert_eq!(a.shingle_words.len(), 3);
    }
}
