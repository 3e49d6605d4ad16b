//! Sentence splitting for news text.
//!
//! A body is split into paragraphs at blank lines, each paragraph into line segments
//! (bullet lines and short headline-like lines stand alone; hard-wrapped lines are
//! joined), and each segment into sentences at `.`, `!`, `?` and `…`.
//!
//! News text is full of periods that do not end sentences, so a period is a boundary
//! only when it is followed by whitespace and the next word does not start in lower
//! case, and the word before it is not:
//! - a title or fixed abbreviation that never ends a sentence (`Mr.`, `Gen.`, `St.`,
//!   `vs.`, `e.g.`) or an initial (`J. R. Smith`);
//! - an abbreviation that *may* end one (`U.S.`, `Inc.`, `Sept.`, `a.m.`, any dotted
//!   acronym): these split only when the next word is a common sentence opener
//!   ("The", "He", "But", …) or an opening quote, so "the U.S. Navy" stays whole while
//!   "moved to the U.S. The next day" splits.
//!
//! Closing quotes and brackets right after the terminator belong to the sentence that
//! ends (`"… now." Then …` splits after the quote mark; `"…," she said.` and
//! `"…?" she asked.` do not split, since a lower-case word follows, and neither does
//! `"…?" Okafor asked.`: a bare attribution closes the quoted sentence). Quotes are not
//! balanced across sentences: a quotation of several sentences is split like any text.
//! Datelines ("MOSCOW (Reuters) - …", "WASHINGTON, D.C. (AP) — …") have no terminator,
//! so they stay with the first sentence.
//!
//! The scan is a single pass over the bytes of each segment; no regular expressions.
use parallax_core::{Sentence, Span};

/// Splits `body` into sentences; paragraphs are blank-line separated.
///
/// `Sentence::paragraph` counts the non-empty paragraphs from 0. Spans exclude
/// surrounding whitespace and always fall on char boundaries.
pub fn split(body: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut para = 0;
    for lines in paragraphs(body) {
        let before = out.len();
        for (s, e) in segments(body, &lines) {
            split_segment(body, s, e, para, &mut out);
        }
        if out.len() > before {
            para += 1;
        }
    }
    out
}

/// Paragraphs as lists of their lines' byte ranges (line terminators excluded).
fn paragraphs(body: &str) -> Vec<Vec<(usize, usize)>> {
    let mut paras = Vec::new();
    let mut cur: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let bytes = body.as_bytes();
    loop {
        let end = memchr_nl(bytes, start).unwrap_or(bytes.len());
        let mut line_end = end;
        if line_end > start && bytes[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let line = &body[start..line_end];
        if line.trim().is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push((start, line_end));
        }
        if end >= bytes.len() {
            break;
        }
        start = end + 1;
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

fn memchr_nl(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| p + from)
}

/// Whether a line is a list item ("- x", "• x", "1. x", "2) x").
fn is_bullet(line: &str) -> bool {
    let t = line.trim_start();
    for marker in ["- ", "* ", "• ", "· ", "– ", "— ", "▪ ", "◦ ", "‣ "] {
        if t.starts_with(marker) {
            return true;
        }
    }
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = &t.as_bytes()[digits..];
        return rest.len() >= 2 && (rest[0] == b'.' || rest[0] == b')') && rest[1] == b' ';
    }
    false
}

/// Groups a paragraph's lines into segments that are split into sentences on their own.
///
/// A line break ends a segment when either line is a bullet, when the line ends with a
/// colon, or when the line is clearly shorter than the paragraph's longest line (a
/// headline or label above text, not a hard wrap). In a paragraph of only short lines
/// (under 40 chars), every line is its own segment: nothing wraps that narrow.
fn segments(body: &str, lines: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let len = |&(s, e): &(usize, usize)| body[s..e].trim().chars().count();
    let max = lines.iter().map(len).max().unwrap_or(0);
    let mut out = Vec::new();
    let mut seg_start = lines[0].0;
    for (i, l) in lines.iter().enumerate() {
        let last = i + 1 == lines.len();
        let brk = if last {
            true
        } else {
            let text = body[l.0..l.1].trim_end();
            let next = &body[lines[i + 1].0..lines[i + 1].1];
            let n = len(l);
            is_bullet(text)
                || is_bullet(next)
                || text.ends_with(':')
                || max < 40
                || (n * 10 < max * 6 && !text.ends_with([',', '-', ';', '(']))
        };
        if brk {
            out.push((seg_start, l.1));
            if !last {
                seg_start = lines[i + 1].0;
            }
        }
    }
    out
}

/// Abbreviations (lower-cased, without the final period) that never end a sentence.
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "gens", "sen", "sens", "rep", "reps", "gov",
    "govs", "lt", "col", "capt", "cpt", "sgt", "cpl", "pvt", "adm", "cmdr", "cdr", "maj", "brig",
    "st", "ste", "mt", "ft", "rev", "hon", "pres", "supt", "det", "insp", "vs", "v", "e.g", "i.e",
    "cf", "fig", "figs", "approx", "dept", "nos", "ph.d", "sr", "jr", "gov't", "atty", "rt", "fr",
    "sr", "cllr", "cmdr", "ald", "assn", "ave", "blvd",
];

/// Abbreviations that may end a sentence; they split only before a common opener.
const MAYBE_FINAL: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc",
    "corp", "ltd", "co", "etc", "bros", "llc", "plc", "no", "al", "min", "mins", "hr", "hrs", "yr",
    "yrs", "est", "ca",
];

/// Words that commonly open a sentence, used after an ambiguous abbreviation.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "For",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "Some",
    "Many",
    "Most",
    "No",
    "Not",
    "Officials",
    "Police",
    "Meanwhile",
    "However",
    "Still",
    "Then",
    "Now",
    "Earlier",
    "Later",
    "According",
    "Last",
    "Next",
    "One",
    "Two",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Both",
    "All",
    "Each",
    "Other",
    "Such",
    "With",
    "Without",
    "Under",
    "Since",
    "Until",
    "During",
    "Although",
    "Though",
    "Because",
];

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '›')
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'' | '«' | '‹')
}

/// Splits `body[s..e]` into sentences and appends them.
fn split_segment(body: &str, s: usize, e: usize, para: usize, out: &mut Vec<Sentence>) {
    let seg = &body[s..e];
    let bytes = seg.as_bytes();
    let mut sent_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // '…' is E2 80 A6 in UTF-8; comparing bytes keeps the scan off char boundaries.
        let is_term = matches!(b, b'.' | b'!' | b'?') || bytes[i..].starts_with("…".as_bytes());
        if !is_term {
            i += 1;
            continue;
        }
        // The run of terminators ("?!", "...", "…").
        let run_start = i;
        let mut j = i;
        let mut periods_only = true;
        while j < bytes.len() {
            let c = seg[j..].chars().next().unwrap_or(' ');
            if matches!(c, '.' | '!' | '?' | '…') {
                if c != '.' {
                    periods_only = false;
                }
                j += c.len_utf8();
            } else {
                break;
            }
        }
        let single_period = periods_only && j - run_start == 1;
        // Closing quotes and brackets belong to the sentence that ends.
        let mut k = j;
        let mut closed = false;
        while k < bytes.len() {
            let c = seg[k..].chars().next().unwrap_or(' ');
            if is_closer(c) {
                k += c.len_utf8();
                closed = true;
            } else {
                break;
            }
        }
        i = k.max(run_start + 1);
        // Must be followed by whitespace (or the end of the segment).
        let rest = &seg[k..];
        let Some(first) = rest.chars().next() else {
            break; // end of segment: it ends there anyway
        };
        if !first.is_whitespace() {
            continue;
        }
        let next_start = k + (rest.len() - rest.trim_start().len());
        let next_text = &seg[next_start..];
        let Some(next) = next_text.chars().next() else {
            break;
        };
        if next.is_lowercase() {
            continue;
        }
        if single_period && !closed && !period_ends(seg, sent_start, run_start, next_text) {
            continue;
        }
        // `"Is this the end?" Okafor asked.`: the attribution closes the quoted sentence.
        if closed && attribution_follows(next_text) {
            continue;
        }
        push(body, s + sent_start, s + k, para, out);
        sent_start = next_start;
        i = next_start;
    }
    push(body, s + sent_start, e, para, out);
}

/// Whether a period at `dot` (followed by whitespace and `next`, not lower case) ends
/// the sentence, judging by the word before it.
fn period_ends(seg: &str, sent_start: usize, dot: usize, next: &str) -> bool {
    let before = &seg[sent_start..dot];
    // The whitespace may be multi-byte (a no-break space), so step over the whole char.
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map(|(p, c)| p + c.len_utf8())
        .unwrap_or(0);
    let word = before[word_start..].trim_start_matches(|c: char| {
        is_opening_quote(c) || matches!(c, '(' | '[' | '—' | '–' | '-')
    });
    if word.is_empty() {
        return true;
    }
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    // An initial: "J. R. Smith".
    if first.is_uppercase() && chars.next().is_none() {
        return false;
    }
    let lower = word.to_lowercase();
    if NEVER_FINAL.contains(&lower.as_str()) {
        return false;
    }
    let dotted = word.contains('.') && word.chars().any(|c| c.is_alphabetic());
    if dotted || MAYBE_FINAL.contains(&lower.as_str()) {
        return opens_sentence(next);
    }
    true
}

/// Verbs of saying that close an attribution after a quotation.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "added",
    "adds",
    "told",
    "tells",
    "wrote",
    "writes",
    "shouted",
    "replied",
    "recalled",
    "explained",
    "insisted",
    "noted",
    "continued",
    "tweeted",
    "declared",
    "warned",
    "argued",
    "answered",
    "joked",
    "conceded",
    "cried",
    "whispered",
];

/// Words that may follow the verb inside a short attribution ("said on Tuesday", "told
/// reporters", "added later").
const ATTRIBUTION_TAIL: &[&str] = &[
    "on",
    "in",
    "at",
    "to",
    "during",
    "after",
    "before",
    "late",
    "early",
    "earlier",
    "later",
    "then",
    "yesterday",
    "today",
    "tonight",
    "this",
    "last",
    "outside",
    "from",
    "via",
    "when",
    "as",
    "while",
    "afterwards",
    "afterward",
    "again",
    "recently",
    "quietly",
    "reporters",
    "journalists",
];

/// After a quotation whose closing mark follows its terminator: whether the text goes
/// on with nothing but the quotation's attribution — a name of up to six words (the
/// first capitalised: "Okafor", "Gov. Maria Lenz", "Union leader Tomas Vell"), a verb
/// of saying, and at most a short adverbial before the clause ends ("said on Tuesday.",
/// "told reporters."). Such an attribution belongs to the quoted sentence, whatever the
/// quotation ended with. "Okafor said the talks were over." says something new: that
/// is a sentence of its own.
fn attribution_follows(next: &str) -> bool {
    let mut words = next.split_whitespace();
    let first_cap = next.chars().next().is_some_and(char::is_uppercase);
    if !first_cap {
        return false;
    }
    for _ in 0..7 {
        let Some(w) = words.next() else {
            return false;
        };
        let core = w.trim_end_matches(['.', ',', ';', '!', '?', ':']);
        if SPEECH_VERBS.contains(&core) {
            if core.len() < w.len() {
                // "Okafor said." / "Okafor said,"
                return true;
            }
            let Some(after) = words.next() else {
                return true;
            };
            let after_core = after.trim_end_matches(['.', ',', ';']);
            if !ATTRIBUTION_TAIL.contains(&after_core) {
                return false;
            }
            // The adverbial is short and ends the clause.
            if after_core.len() < after.len() {
                return true;
            }
            return words
                .take(3)
                .any(|w| w.ends_with(['.', ',', ';', '!', '?']));
        }
        // A comma inside the name is an apposition ("Okafor, who …"): not a short
        // attribution; a period ends the clause unless it closes an abbreviation or an
        // initial ("Gov.", "Jr.", "J."); a quotation mark starts another quotation.
        let abbreviation =
            w.ends_with('.') && w.len() <= 5 && w.chars().next().is_some_and(char::is_uppercase);
        if w.ends_with([',', ';', ':', '!', '?'])
            || (w.ends_with('.') && !abbreviation)
            || w.starts_with(is_opening_quote)
        {
            return false;
        }
    }
    false
}

/// Whether `next` starts like a new sentence after an ambiguous abbreviation.
fn opens_sentence(next: &str) -> bool {
    let c = next.chars().next().unwrap_or(' ');
    if is_opening_quote(c) {
        return true;
    }
    let w: &str = next
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .next()
        .unwrap_or("");
    OPENERS.contains(&w)
}

fn push(body: &str, s: usize, e: usize, para: usize, out: &mut Vec<Sentence>) {
    let text = &body[s..e];
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = s + lead;
    out.push(Sentence {
        span: Span::new(start, start + trimmed.len()),
        paragraph: para,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        split(body).iter().map(|s| s.span.text(body)).collect()
    }

    #[test]
    fn abbreviations_initials_and_decimals() {
        let body = "Sen. Ada Brook met Gen. Tomas Vell in the U.S. capital on Sept. 26. \
                    Growth was 3.5 percent, J. R. Quill of Harbor Co. said. The talks ended.";
        assert_eq!(
            texts(body),
            vec![
                "Sen. Ada Brook met Gen. Tomas Vell in the U.S. capital on Sept. 26.",
                "Growth was 3.5 percent, J. R. Quill of Harbor Co. said.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn ambiguous_abbreviation_before_an_opener_splits() {
        let body = "The firm moved to the U.S. The move cost $2 million, e.g. in fees.";
        assert_eq!(
            texts(body),
            vec![
                "The firm moved to the U.S.",
                "The move cost $2 million, e.g. in fees."
            ]
        );
    }

    #[test]
    fn quotes_end_after_the_closing_mark() {
        let body = "\u{201c}We are ready,\u{201d} she said. \"It starts now.\" Then the gates \
                    opened. \"Why?\" he asked. \"Because. We can.\"";
        assert_eq!(
            texts(body),
            vec![
                "\u{201c}We are ready,\u{201d} she said.",
                "\"It starts now.\"",
                "Then the gates opened.",
                "\"Why?\" he asked.",
                "\"Because.",
                "We can.\""
            ]
        );
    }

    #[test]
    fn dateline_stays_with_first_sentence() {
        let body = "PORT ELSBY, Valdoria (Meridian Press) \u{2014} The ferry sank. Nine were saved.\n\n\
                    HEMPSTEAD, N.Y., Sept. 26 (UPI) \u{2014} A storm hit. WASHINGTON, D.C. (AP) \u{2014} X.";
        let t = texts(body);
        assert_eq!(
            t[0],
            "PORT ELSBY, Valdoria (Meridian Press) \u{2014} The ferry sank."
        );
        assert_eq!(
            t[2],
            "HEMPSTEAD, N.Y., Sept. 26 (UPI) \u{2014} A storm hit."
        );
        assert_eq!(t[3], "WASHINGTON, D.C. (AP) \u{2014} X.");
    }

    #[test]
    fn paragraphs_bullets_and_headlines() {
        let body = "Ferry strike ends\n\n  First paragraph here. Second one!  \n\n\n\
                    Key points:\n- Talks resumed\n- Fares frozen.\n\nA wrapped line of text that goes on \
                    and on for a while\nand continues here to finish.";
        let s = split(body);
        let t: Vec<&str> = s.iter().map(|s| s.span.text(body)).collect();
        assert_eq!(
            t,
            vec![
                "Ferry strike ends",
                "First paragraph here.",
                "Second one!",
                "Key points:",
                "- Talks resumed",
                "- Fares frozen.",
                "A wrapped line of text that goes on and on for a while\nand continues here to finish."
            ]
        );
        let paras: Vec<usize> = s.iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, vec![0, 1, 1, 2, 2, 2, 3]);
    }

    #[test]
    fn headline_line_above_text() {
        let body = "BREAKING\nThe council voted tonight to close the old harbour bridge for good.";
        assert_eq!(texts(body).len(), 2);
    }

    #[test]
    fn never_panics_and_spans_are_char_boundaries() {
        let inputs = [
            "",
            "\n\n\n",
            "...",
            "é. É. …",
            "“.”",
            "a.\u{a0}B",
            "Gov.\u{a0}Ada Brook. Mr.\u{a0}X",
            "Mr.",
            "1) x\r\n2) y\r\n",
            "?!?! ‘’ ”",
            "Ü. ß… Œ? \"",
        ];
        for body in inputs {
            for s in split(body) {
                assert!(body.is_char_boundary(s.span.start) && body.is_char_boundary(s.span.end));
                assert!(s.span.start < s.span.end);
                let t = s.span.text(body);
                assert_eq!(t, t.trim());
            }
        }
    }

    #[test]
    fn attribution_after_a_closed_quotation_stays() {
        let body = "\"Is this the end?\" Okafor asked. \"No. It's a start…\" Gov. Maria Lenz \
                    said on Tuesday. \"We won.\" Union leader Tomas Vell told reporters. \
                    \"We won.\" Vell said the strike was over. \"Go!\" Crowds cheered.";
        assert_eq!(
            texts(body),
            vec![
                "\"Is this the end?\" Okafor asked.",
                "\"No. It's a start…\" Gov. Maria Lenz said on Tuesday.",
                "\"We won.\" Union leader Tomas Vell told reporters.",
                "\"We won.\"",
                "Vell said the strike was over.",
                "\"Go!\"",
                "Crowds cheered."
            ]
        );
    }

    #[test]
    fn ellipsis_and_lowercase_continuation() {
        let body = "He paused... Then he spoke. It was 5 p.m. on the dot? yes.";
        assert_eq!(
            texts(body),
            vec![
                "He paused...",
                "Then he spoke.",
                "It was 5 p.m. on the dot? yes."
            ]
        );
    }
}
