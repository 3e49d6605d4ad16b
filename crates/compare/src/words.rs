//! Word-level text handling shared by every comparison: tokenising, a light stemmer,
//! British/American spelling folding, number words, and the small word lists
//! (stopwords, function words, negations) that decide what counts as content.
//!
//! Everything here is deliberately simple and deterministic: the comparisons only need
//! to see that "fires", "fired" and "fire" are one word and that "favour" is "favor",
//! not to parse English.

/// A token of a text: a word (letters/digits with inner apostrophes, or a number with
/// inner `.`/`,`) or a single punctuation character. Whitespace is not a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    /// Byte offset in the tokenised string.
    pub start: usize,
    pub is_word: bool,
}

/// Splits `s` into words and punctuation marks.
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() && continues_word(&chars, j) {
                j += 1;
            }
            let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
            out.push(Token {
                text: &s[start..end],
                start,
                is_word: true,
            });
            i = j;
        } else {
            let end = start + c.len_utf8();
            out.push(Token {
                text: &s[start..end],
                start,
                is_word: false,
            });
            i += 1;
        }
    }
    out
}

/// Whether the char at `j` extends the word before it: letters and digits always;
/// an apostrophe between letters ("didn't"); `.` or `,` between digits ("1,200").
fn continues_word(chars: &[(usize, char)], j: usize) -> bool {
    let c = chars[j].1;
    if c.is_alphanumeric() {
        return true;
    }
    let prev = chars[j - 1].1;
    let next = chars.get(j + 1).map(|p| p.1);
    match c {
        '\'' | '’' => prev.is_alphabetic() && next.is_some_and(char::is_alphabetic),
        '.' | ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
        _ => false,
    }
}

/// The words of `s` (punctuation dropped), as written.
pub fn words(s: &str) -> Vec<&str> {
    tokens(s)
        .into_iter()
        .filter(|t| t.is_word)
        .map(|t| t.text)
        .collect()
}

/// Lowercase with curly apostrophes made straight.
pub fn lower(w: &str) -> String {
    w.to_lowercase().replace('’', "'")
}

#[rustfmt::skip]
const NUMBER_WORDS: &[(&str, &str)] = &[
    ("zero", "0"), ("one", "1"), ("two", "2"), ("three", "3"), ("four", "4"), ("five", "5"),
    ("six", "6"), ("seven", "7"), ("eight", "8"), ("nine", "9"), ("ten", "10"),
    ("eleven", "11"), ("twelve", "12"), ("thirteen", "13"), ("fourteen", "14"),
    ("fifteen", "15"), ("sixteen", "16"), ("seventeen", "17"), ("eighteen", "18"),
    ("nineteen", "19"), ("twenty", "20"), ("thirty", "30"), ("forty", "40"),
    ("fifty", "50"), ("sixty", "60"), ("seventy", "70"), ("eighty", "80"), ("ninety", "90"),
    ("hundred", "100"), ("thousand", "1000"), ("million", "1000000"),
    ("billion", "1000000000"), ("dozen", "12"),
];

/// The digits a number or number word stands for ("Twelve" → "12", "1,200" → "1200"),
/// or `None` for other words.
pub fn number_value(w: &str) -> Option<String> {
    let l = lower(w);
    if l.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(l.chars().filter(|c| *c != ',').collect());
    }
    NUMBER_WORDS
        .iter()
        .find(|(n, _)| *n == l)
        .map(|(_, d)| d.to_string())
}

/// British spellings folded onto American ones, so spelling variants compare equal:
/// -our/-or, -ise/-ize (and -yse/-yze), -tre/-ter, -ogue/-og, -lled/-led.
/// Applied to a lowercase word.
pub fn spelling_key(l: &str) -> String {
    let mut w = l.to_string();
    for (uk, us) in [("ogues", "ogs"), ("ogue", "og")] {
        if replace_suffix(&mut w, uk, us, 3) {
            return w;
        }
    }
    const TAILS: &[&str] = &[
        "", "s", "ed", "ing", "ite", "ites", "able", "ful", "less", "er", "ers", "al",
    ];
    for tail in TAILS {
        if replace_suffix(&mut w, &format!("our{tail}"), &format!("or{tail}"), 2) {
            return w;
        }
    }
    const ISE_TAILS: &[&str] = &["e", "es", "ed", "ing", "er", "ers", "ation", "ations"];
    for tail in ISE_TAILS {
        if replace_suffix(&mut w, &format!("is{tail}"), &format!("iz{tail}"), 3)
            || replace_suffix(&mut w, &format!("ys{tail}"), &format!("yz{tail}"), 3)
        {
            return w;
        }
    }
    for (uk, us) in [
        ("tres", "ters"),
        ("tre", "ter"),
        ("tred", "tered"),
        ("tring", "tering"),
    ] {
        if replace_suffix(&mut w, uk, us, 2) {
            return w;
        }
    }
    fold_double_l(&mut w);
    w
}

/// Replaces suffix `from` by `to` when at least `min_prefix` chars come before it.
fn replace_suffix(w: &mut String, from: &str, to: &str, min_prefix: usize) -> bool {
    match w.strip_suffix(from) {
        Some(p) if p.chars().count() >= min_prefix => {
            *w = format!("{p}{to}");
            true
        }
        _ => false,
    }
}

/// "travelled" → "traveled", "cancelling" → "canceling": only after a longish stem
/// ending in a vowel + l, so "filled" and "killed" stay as they are.
fn fold_double_l(w: &mut String) {
    for tail in ["lled", "lling", "ller", "llers"] {
        if let Some(p) = w.strip_suffix(tail) {
            if p.len() >= 4 && p.ends_with(|c: char| "aeiou".contains(c)) {
                *w = format!("{p}{}", &tail[1..]);
                return;
            }
        }
    }
}

/// The comparison form of a word: number words as digits, else lowercase,
/// spelling-folded and lightly stemmed ("Fires" → "fir", "injuries" → "injur").
pub fn norm(w: &str) -> String {
    if let Some(n) = number_value(w) {
        return n;
    }
    stem(&spelling_key(&lower(w)))
}

/// A light suffix stripper: possessives, one of -ies/-ing/-ed/-es/-s/-ly, then a final
/// e/y/i and a doubled consonant. Not Porter, but it maps the usual inflections of one
/// word to one key, which is all alignment needs.
pub fn stem(l: &str) -> String {
    let mut w = l.trim_end_matches("'s").trim_end_matches('\'').to_string();
    for suf in ["ies", "ing", "ed", "es", "ly", "s"] {
        if let Some(p) = w.strip_suffix(suf) {
            let keep_s = suf == "s" && (p.ends_with('s') || p.ends_with('u') || p.ends_with('i'));
            if p.chars().count() >= 3 && !keep_s {
                w = p.to_string();
                break;
            }
        }
    }
    if w.chars().count() > 3 && w.ends_with(['e', 'y', 'i']) {
        w.pop();
    }
    let b = w.as_bytes();
    if b.len() > 3 && b[b.len() - 1] == b[b.len() - 2] && !b"aeiou".contains(&b[b.len() - 1]) {
        w.pop();
    }
    w
}

/// Words that carry no content of their own for fact alignment: function words plus
/// the reporting verbs every news sentence has.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
    "during", "each", "for", "from", "had", "has", "have", "he", "her", "here", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "it's", "just", "may", "me",
    "might", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "said", "say", "says", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "told", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "whom", "why", "will", "with", "would", "you", "your", "according", "every", "nobody",
    "per", "via", "mr", "mrs", "ms", "dr",
];

pub fn is_stopword(l: &str) -> bool {
    STOPWORDS.contains(&l)
}

/// Function words whose loss or gain in a quote is an edit, not a change of meaning:
/// articles, prepositions, conjunctions, "that", and a few fillers. Pronouns and modals
/// are deliberately absent: "we" → "they" or "will" → "may" do change meaning.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "that", "and", "or", "but", "to", "in", "on", "at", "for",
    "with", "by", "from", "as", "so", "then", "this", "these", "those", "which", "just",
    "also", "very", "really", "into", "onto", "upon", "about", "there", "well", "oh", "um",
    "uh",
];

pub fn is_function_word(l: &str) -> bool {
    FUNCTION_WORDS.contains(&l)
}

/// Negations: adding or dropping one of these flips a statement.
pub fn is_negation(l: &str) -> bool {
    #[rustfmt::skip]
    const NEG: &[&str] = &[
        "not", "no", "never", "without", "nor", "none", "nobody", "nothing", "neither",
        "cannot", "n't",
    ];
    NEG.contains(&l) || l.ends_with("n't")
}

/// Content words of `s` in comparison form, in order (stopwords and one-letter words
/// dropped, numbers kept).
pub fn content_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .filter(|w| {
            let l = lower(w);
            !is_stopword(&l) && (l.chars().count() > 1 || number_value(w).is_some())
        })
        .map(norm)
        .collect()
}

/// Whether a space goes between two adjacent pieces of text when words and punctuation
/// are joined back together: none before closing punctuation, none after an opening one.
pub fn needs_space(prev: &str, next: &str) -> bool {
    const CLOSING: &str = ",.;:!?)]}”’%…";
    const OPENING: &str = "([{“‘$£€";
    let closes = next.chars().next().is_some_and(|c| CLOSING.contains(c));
    let opens = prev.chars().last().is_some_and(|c| OPENING.contains(c));
    !prev.is_empty() && !closes && !opens
}

/// Joins tokens back into text with [`needs_space`] spacing.
pub fn join<S: AsRef<str>>(parts: &[S]) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.as_ref();
        if needs_space(&out, p) {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_words_and_punctuation() {
        let t: Vec<&str> = tokens("We didn’t; 1,200 left: “ok”.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            ["We", "didn’t", ";", "1,200", "left", ":", "“", "ok", "”", "."]
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        for group in [
            &["fire", "fires", "fired", "firing"][..],
            &["injury", "injuries", "injured"],
            &["seriously", "serious"],
            &["ferry", "ferries"],
            &["stopped", "stop"],
        ] {
            let keys: Vec<String> = group.iter().map(|w| norm(w)).collect();
            assert!(keys.iter().all(|k| *k == keys[0]), "{group:?} → {keys:?}");
        }
    }

    #[test]
    fn spelling_variants_fold() {
        for (uk, us) in [
            ("favour", "favor"),
            ("colours", "colors"),
            ("organise", "organize"),
            ("organisation", "organization"),
            ("centre", "center"),
            ("catalogue", "catalog"),
            ("travelled", "traveled"),
            ("analysed", "analyzed"),
            ("harbour", "harbor"),
        ] {
            assert_eq!(spelling_key(uk), spelling_key(us), "{uk} / {us}");
        }
        for (a, b) in [("filled", "filed"), ("hour", "hor"), ("rise", "rose")] {
            assert_ne!(spelling_key(a), spelling_key(b));
        }
    }

    #[test]
    fn numbers_and_negations() {
        assert_eq!(number_value("Twelve").as_deref(), Some("12"));
        assert_eq!(number_value("1,200").as_deref(), Some("1200"));
        assert!(is_negation("didn't") && is_negation("never") && !is_negation("note"));
    }
}
