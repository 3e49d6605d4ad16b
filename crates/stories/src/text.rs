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

use parallax_core::{AnalyzedArticle, EntityKind};
use std::collections::HashSet;
use std::sync::OnceLock;

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

fn stopword_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
}

pub(crate) fn is_stopword(w: &str) -> bool {
    w.chars().count() < 2 || stopword_set().contains(w)
}

fn is_not_name(w: &str) -> bool {
    is_stopword(w) || NOT_NAMES.contains(&w)
}

/// Light, deterministic stemming: possessives and plural endings only. Anything
/// heavier merges words that should stay apart ("news"/"new", "police"/"policy").
pub(crate) fn stem(w: &str) -> String {
    let w = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix("\u{2019}s"))
        .unwrap_or(w);
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if n > 4 && (w.ends_with("sses") || w.ends_with("ches") || w.ends_with("shes")) {
        return w[..n - 2].to_string();
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// A word of the text with where it stands.
struct Word<'a> {
    text: &'a str,
    /// First word of a sentence (after `.`, `!`, `?`, `:`, a line break or an opening
    /// quote that follows one of those).
    sentence_start: bool,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut sentence_start = true;
    let mut pending_start = true;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || ((c == '\'' || c == '\u{2019}') && start.is_some());
        if in_word {
            if start.is_none() {
                start = Some(i);
                sentence_start = pending_start;
                pending_start = false;
            }
        } else {
            if let Some(s) = start.take() {
                let t = text[s..i].trim_end_matches(['\'', '\u{2019}']);
                out.push(Word {
                    text: t,
                    sentence_start,
                });
            }
            // Dashes count too: datelines and headline fragments ("KESSLING - Train
            // derails") open with capitals that are not names. A hyphen only when it
            // stands alone, not inside "six-year".
            match c {
                '.' | '!' | '?' | ':' | '\n' | ';' | '|' | '\u{2014}' | '\u{2013}' => {
                    pending_start = true
                }
                '-' if text[i..].starts_with("- ") => pending_start = true,
                _ => {}
            }
        }
    }
    if let Some(s) = start {
        out.push(Word {
            text: text[s..].trim_end_matches(['\'', '\u{2019}']),
            sentence_start,
        });
    }
    out
}

/// Content terms of `text`, stemmed, with stop words and bare punctuation removed.
pub(crate) fn terms(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter_map(|w| {
            let lw = w.text.to_lowercase();
            if is_stopword(&lw) {
                return None;
            }
            let s = stem(&lw);
            (!is_stopword(&s)).then_some(s)
        })
        .collect()
}

fn is_capitalised(w: &str) -> bool {
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => w.chars().any(|c| c.is_alphabetic()),
        _ => false,
    }
}

fn name_key(w: &str) -> Option<String> {
    let lw = w.to_lowercase();
    let lw = lw
        .strip_suffix("'s")
        .or_else(|| lw.strip_suffix("\u{2019}s"))
        .unwrap_or(&lw)
        .to_string();
    if is_not_name(&lw) || lw.chars().all(|c| c.is_numeric()) {
        None
    } else {
        Some(lw)
    }
}

/// Name tokens of an article with their counts: tagged entities (people and places
/// count double: they are what separates look-alike events) plus capitalised words in
/// the body that do not open a sentence. A capitalised word that opens a sentence counts
/// only if the same word also appears capitalised mid-sentence.
pub(crate) fn names(doc: &AnalyzedArticle) -> Vec<(String, f32)> {
    let mut out: std::collections::BTreeMap<String, f32> = Default::default();
    for e in &doc.analysis.entities {
        let w = match e.kind {
            EntityKind::Person | EntityKind::Loc => 2.0,
            EntityKind::Org | EntityKind::Misc => 1.0,
        };
        let name = if e.canonical.trim().is_empty() {
            &e.text
        } else {
            &e.canonical
        };
        for tok in words(name) {
            if let Some(k) = name_key(tok.text) {
                *out.entry(k).or_default() += w;
            }
        }
    }
    let ws = words(&doc.article.body);
    let mid: std::collections::BTreeSet<&str> = ws
        .iter()
        .filter(|w| !w.sentence_start && is_capitalised(w.text))
        .map(|w| w.text)
        .collect();
    for w in &ws {
        if !is_capitalised(w.text) || (w.sentence_start && !mid.contains(w.text)) {
            continue;
        }
        // ALL-CAPS words longer than 5 letters are usually shouting, not acronyms.
        if w.text.len() > 5 && w.text.chars().all(|c| !c.is_lowercase()) {
            continue;
        }
        if let Some(k) = name_key(w.text) {
            *out.entry(k).or_default() += 1.0;
        }
    }
    out.into_iter().collect()
}

const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Years mentioned in a text (four-digit numbers 1900–2039 standing alone), with weights:
/// 2 when part of a full date ("June 13, 2013", "13 June 2013", "2013-06-13"), else 1.
/// Sorted by year.
pub(crate) fn years(text: &str) -> Vec<(u16, f32)> {
    let ws: Vec<&str> = words(text).into_iter().map(|w| w.text).collect();
    let mut out: std::collections::BTreeMap<u16, f32> = Default::default();
    let is_month = |w: &str| MONTHS.contains(&w.to_lowercase().as_str());
    for (i, w) in ws.iter().enumerate() {
        if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(y) = w.parse::<u16>() else { continue };
        if !(1900..=2039).contains(&y) {
            continue;
        }
        let prev = |k: usize| i.checked_sub(k).map(|j| ws[j]);
        let full = prev(1).is_some_and(is_month)
            || (prev(1)
                .is_some_and(|p| p.len() <= 4 && p.starts_with(|c: char| c.is_ascii_digit()))
                && prev(2).is_some_and(is_month))
            || (prev(2).is_some_and(is_month) && prev(1).is_some_and(|p| p.len() <= 2));
        *out.entry(y).or_default() += if full { 2.0 } else { 1.0 };
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_weigh_full_dates_double() {
        let y = years("First Published: June 13, 2013. The 1999 film; 250 people; 2013");
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
    fn names_skip_sentence_starts() {
        let doc = AnalyzedArticle {
            article: parallax_core::Article {
                id: parallax_core::ArticleId("x".into()),
                source: String::new(),
                url: None,
                outlet: Default::default(),
                title: String::new(),
                byline: vec![],
                published: None,
                language: None,
                body: "Rescuers reached the train near Kessling on Monday. Officials said \
                       Mara Quill led the effort."
                    .into(),
                credits: vec![],
            },
            analysis: Default::default(),
        };
        let n: Vec<String> = names(&doc).into_iter().map(|(k, _)| k).collect();
        assert_eq!(n, vec!["kessling", "mara", "quill"]);
    }
}
