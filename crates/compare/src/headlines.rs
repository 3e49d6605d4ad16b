//! Headline framing: who the headline makes the actor, what it says they did, which
//! words are loaded, how it hedges, and a sensationalism score.
//!
//! Headlines are not in the body, so there is no analysis of them; simple heuristics
//! on the title string do the work:
//! - action: the first word (after the first) that is a known headline verb (nouns that
//!   double as verbs, like "back" or "plan", are left out) or looks like one in sentence
//!   case (a lowercase "-s"/"-ed" word that is no stopword), with up to [`ACTION_TAIL`]
//!   following words, stopping at punctuation;
//! - agent: an entity of the article's analysis written before that verb, else the
//!   words before it in its clause (after "as", "after", "but", …), else the first
//!   entity the title names;
//! - loaded terms: words of [`LOADED`] (matched on their stem, case-insensitive);
//! - hedges: words of [`HEDGES`] and a question mark.
//!
//! Sensationalism = 1 − exp(−(0.4·loaded + 0.3·shouted + 0.3·exclamations)), where
//! `shouted` counts ALL-CAPS words of 4+ letters that are not known acronyms (at most
//! 3) and exclamation marks count up to 3. So a neutral headline scores 0, one loaded
//! word 0.33, and "INFERNO AT SEA! Terror as ferry blaze sparks CHAOS" about 0.9.

use parallax_core::HeadlineFrame;

use crate::docs::Doc;
use crate::words::{self, Token};

/// Loaded or sensational words, in base form; inflections match through the stemmer.
#[rustfmt::skip]
pub const LOADED: &[&str] = &[
    "inferno",
    "terror",
    "terrifying",
    "chaos",
    "chaotic",
    "slam",
    "blast",
    "horror",
    "horrific",
    "horrifying",
    "shock",
    "shocking",
    "panic",
    "panicked",
    "fury",
    "furious",
    "carnage",
    "nightmare",
    "destroy",
    "rip",
    "devastating",
    "devastated",
    "outrage",
    "outrageous",
    "meltdown",
    "scandal",
    "bombshell",
    "slaughter",
    "massacre",
    "rampage",
    "frenzy",
    "catastrophe",
    "catastrophic",
    "mayhem",
    "agony",
    "savage",
    "brutal",
    "explosive",
    "stunning",
    "hellish",
    "hell",
    "doom",
    "doomed",
    "disgrace",
    "humiliating",
    "humiliation",
    "insane",
    "miracle",
    "epic",
    "crushing",
    "blasted",
];

/// Words that hedge a claim; "?" counts too.
#[rustfmt::skip]
pub const HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "reportedly",
    "allegedly",
    "alleged",
    "appears",
    "appear",
    "apparently",
    "suggests",
    "suggest",
    "possibly",
    "possible",
    "likely",
    "unconfirmed",
    "believed",
    "feared",
    "claims",
];

/// Common headline verbs (base forms; matched through the stemmer).
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "say", "warn", "deny", "slam", "blast", "rip", "call", "urge", "reject", "accept",
    "announce", "launch", "investigate", "probe", "kill", "hit", "strike", "rescue", "flee",
    "evacuate", "sink", "catch", "burn", "blame", "vow", "confirm", "seek", "force", "spark",
    "tear", "destroy", "erupt", "break", "leave", "injure", "die", "win", "lose", "claim",
    "admit", "reveal", "insist", "defend", "agree", "escape", "sue", "ban", "raise",
    "arrest", "check", "enter", "name", "pick", "convict", "resign",
];

/// Acronyms that are written in capitals and are not shouting.
#[rustfmt::skip]
const ACRONYMS: &[&str] = &[
    "NATO", "NASA", "FIFA", "UEFA", "OPEC", "UNICEF", "UNESCO", "AIDS", "COVID", "EU", "USA",
    "NHS", "ISIS", "NYPD", "OECD", "ASEAN", "IMF", "WHO", "CEO",
];

const ACTION_TAIL: usize = 3;

pub fn headlines(docs: &[Doc]) -> Vec<HeadlineFrame> {
    docs.iter().map(frame).collect()
}

fn frame(doc: &Doc) -> HeadlineFrame {
    let title = doc.a.article.title.trim();
    let toks = words::tokens(title);
    let verb = main_verb(&toks);
    let loaded = loaded_terms(&toks);
    HeadlineFrame {
        article: doc.id().clone(),
        outlet: doc.outlet().to_string(),
        headline: title.to_string(),
        agent: agent(doc, title, &toks, verb),
        action: verb.map(|v| action(title, &toks, v)),
        hedges: hedges(&toks),
        sensationalism: sensationalism(loaded.len(), shouted(&toks), title.matches('!').count()),
        loaded_terms: loaded,
    }
}

/// The documented score; see the module docs.
pub fn sensationalism(loaded: usize, shouted: usize, exclamations: usize) -> f64 {
    let raw = 0.4 * loaded as f64 + 0.3 * shouted.min(3) as f64 + 0.3 * exclamations.min(3) as f64;
    1.0 - (-raw).exp()
}

fn stems(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| words::norm(w)).collect()
}

fn loaded_terms(toks: &[Token]) -> Vec<String> {
    let lexicon = stems(LOADED);
    let mut out: Vec<String> = Vec::new();
    for t in toks.iter().filter(|t| t.is_word) {
        let l = words::lower(t.text);
        if (LOADED.contains(&l.as_str()) || lexicon.contains(&words::norm(t.text)))
            && !out.contains(&l)
        {
            out.push(l);
        }
    }
    out
}

fn hedges(toks: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in toks {
        let l = words::lower(t.text);
        if (HEDGES.contains(&l.as_str()) || l == "?") && !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// ALL-CAPS words of four or more letters that are not acronyms.
fn shouted(toks: &[Token]) -> usize {
    toks.iter()
        .filter(|t| t.is_word && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .filter(|t| !t.text.chars().any(char::is_lowercase) && !ACRONYMS.contains(&t.text))
        .count()
}

/// Index (into `toks`) of the main verb.
fn main_verb(toks: &[Token]) -> Option<usize> {
    let verbs = stems(VERBS);
    let known = |t: &Token| t.is_word && verbs.contains(&words::norm(t.text));
    let looks_like = |t: &Token| {
        let l = t.text;
        t.is_word
            && l.starts_with(char::is_lowercase)
            && !words::is_stopword(l)
            && ((l.ends_with('s')
                && !l.ends_with("ss")
                && !l.ends_with("us")
                && !l.ends_with("is"))
                || l.ends_with("ed"))
    };
    // A word after a hyphen is the tail of a compound ("raven-haired"), not a verb.
    let candidates = || (1..toks.len()).filter(|&i| toks[i - 1].text != "-");
    // Without part-of-speech tags a plural noun ("sailings") looks like a verb, so a
    // known headline verb wins, then an -ed form, then any -s form.
    // A trailing attribution ("…, witnesses say") tags the source, not what happened.
    let tag = |i: usize| {
        matches!(
            toks[i].text.to_lowercase().as_str(),
            "say" | "says" | "said" | "report" | "reports" | "claim" | "claims"
        ) && toks[i.saturating_sub(3)..i].iter().any(|t| t.text == ",")
    };
    candidates()
        .find(|&i| known(&toks[i]) && toks[i - 1].is_word && !tag(i))
        .or_else(|| candidates().find(|&i| looks_like(&toks[i]) && toks[i].text.ends_with("ed")))
        .or_else(|| candidates().find(|&i| looks_like(&toks[i]) && !tag(i)))
        .or_else(|| candidates().find(|&i| tag(i)))
}

/// Where the verb group starts: auxiliaries and modals before the main verb ("may have
/// started", "is to close") belong to the action, not to the agent.
fn verb_group_start(toks: &[Token], verb: usize) -> usize {
    const AUX: &[&str] = &[
        "may", "might", "could", "can", "will", "would", "should", "must", "has", "have", "had",
        "is", "are", "was", "were", "be", "been", "being", "to", "not", "set",
    ];
    let mut start = verb;
    while start > 1
        && toks[start - 1].is_word
        && AUX.contains(&toks[start - 1].text.to_lowercase().as_str())
    {
        start -= 1;
    }
    start
}

/// The verb and up to [`ACTION_TAIL`] following words of its clause, as written.
fn action(title: &str, toks: &[Token], verb: usize) -> String {
    let begin = verb_group_start(toks, verb);
    let mut end = verb;
    while end + 1 < toks.len() && end < verb + ACTION_TAIL && toks[end + 1].is_word {
        end += 1;
    }
    let last = &toks[end];
    title[toks[begin].start..last.start + last.text.len()].to_string()
}

/// See the module docs for the order of preference.
fn agent(doc: &Doc, title: &str, toks: &[Token], verb: Option<usize>) -> Option<String> {
    let entities = || doc.a.analysis.entities.iter().map(|e| e.text.as_str());
    let Some(v) = verb else {
        return entities()
            .filter(|e| title.contains(e))
            .min_by_key(|e| title.find(e))
            .map(String::from);
    };
    let clause_start = (0..v)
        .rev()
        .find(|&i| ends_clause(&toks[i]))
        .map_or(0, |i| i + 1);
    if clause_start >= v {
        return None;
    }
    let v = verb_group_start(toks, v);
    if clause_start >= v {
        return None;
    }
    let (from, to) = (toks[clause_start].start, toks[v].start);
    let prefix = title[from..to].trim();
    // A short noun phrase is the agent as written ("Carrow islanders"); in a long one,
    // the named entity it contains says who acts.
    let short = prefix.split_whitespace().count() <= 5;
    if let Some(e) = entities()
        .filter(|e| prefix.contains(e))
        .max_by_key(|e| e.len())
        .filter(|_| !short)
    {
        return Some(e.to_string());
    }
    let prefix = ["The ", "the ", "A ", "a ", "An ", "an "]
        .iter()
        .find_map(|a| prefix.strip_prefix(a))
        .unwrap_or(prefix);
    (!prefix.is_empty()).then(|| prefix.to_string())
}

fn is_clause_word(w: &str) -> bool {
    matches!(
        words::lower(w).as_str(),
        "as" | "after" | "while" | "when" | "because" | "amid" | "but"
    )
}

/// A token that ends a clause: a word like "as" or "but", or clause punctuation (not a
/// hyphen or quotation mark, which sit inside noun phrases).
fn ends_clause(t: &Token) -> bool {
    if t.is_word {
        is_clause_word(t.text)
    } else {
        ":;,.!?—–|".contains(t.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_monotone_and_bounded() {
        assert_eq!(sensationalism(0, 0, 0), 0.0);
        assert!(sensationalism(1, 0, 0) < sensationalism(2, 1, 1));
        assert!(sensationalism(50, 50, 50) <= 1.0);
    }

    #[test]
    fn signals_are_found() {
        let t = words::tokens("INFERNO AT SEA! Terror as NATO ferry blaze sparks CHAOS?");
        assert_eq!(loaded_terms(&t), ["inferno", "terror", "chaos"]);
        assert_eq!(shouted(&t), 2);
        assert_eq!(hedges(&t), ["?"]);
        let v = main_verb(&t).unwrap();
        assert_eq!(t[v].text, "sparks");
    }

    #[test]
    fn verb_groups_and_attribution_tags() {
        let title = "Ferry fire may have started in lorry, witnesses say";
        let t = words::tokens(title);
        let v = main_verb(&t).unwrap();
        assert_eq!(t[v].text, "started");
        assert!(action(title, &t, v).starts_with("may have started"));
        let t = words::tokens("Tarrow ferries halted after storm");
        assert_eq!(t[main_verb(&t).unwrap()].text, "halted");
    }
}
