//! Quotes and their speakers: direct quotes in quotation marks, indirect (reported)
//! speech, and mixed reports that embed a quoted fragment, each with its cue ("said",
//! "told reporters", "according to"), its source as written, and the speaker it
//! resolves to.
//!
//! Two finders share the quotation-mark pairing and the speaker resolution below:
//!
//! - **The tagger** ([`tagger`], trained on PolNeAR train by [`train`] and
//!   `examples/train_quotes.rs`; the default): a statistical sequence labeller that
//!   marks every token of a paragraph as source, cue or content, then links each
//!   content to its cue and source. It covers what PolNeAR counts as attribution:
//!   several reports in one sentence, subjects shared by two verbs, "according to",
//!   indirect and mixed speech, interview transcripts, thoughts and findings ("the
//!   poll shows"), at about twice the recall of the rules and six times their speed.
//!   Spans follow PolNeAR (cue "said", "has called for", "according to"; source the
//!   noun phrase with its appositive; content the reported clause with a leading
//!   "that"), except that a direct quote's content is the words between the marks.
//! - **The rules** ([`find_by_rules`]), used when the model file is missing; described
//!   next.
//!
//! The rules work in three passes:
//! 1. Direct quotes: quotation-mark pairs in every common style (“…”, "…", ‘…’, '…',
//!    «…», „…“, ‹…›). A single-quote mark opens only after whitespace or opening
//!    punctuation and closes only before whitespace or punctuation, so apostrophes
//!    ("don't", "the passengers' luggage") are not taken for marks. A quote that runs over
//!    several paragraphs (an opening mark at each paragraph start, no closing mark until
//!    the last) is one quote.
//! 2. Attribution of each direct quote from the words right after it (`"…," Okafor
//!    said`, `"…," said Maria Okafor, chief executive of …`, `"…" the spokesperson
//!    added`) or right before it (`Okafor said: "…"`, `According to Rees, "…"`, a
//!    "Okafor continued:" paragraph before a quote paragraph).
//! 3. Indirect speech: `SOURCE CUE (that) CLAUSE`, `CLAUSE, SOURCE CUE.`, `CLAUSE, CUE
//!    SOURCE.`, `according to SOURCE, CLAUSE` and `CLAUSE, according to SOURCE.`. A
//!    report whose clause contains a quoted fragment is `Mixed` and absorbs that
//!    fragment's direct quote.
//!
//! Span conventions (PolNeAR-like, with one deliberate difference):
//! - `content` of a direct quote is the text between the marks, *without* the marks
//!   (the core data model says so, and the compare stage diffs the words); PolNeAR's
//!   gold content includes the marks, so exact-match scoring should allow for that.
//!   A multi-paragraph quote's content runs from after the first opening mark to before
//!   the final closing mark (the inner paragraph marks stay inside).
//! - A split quote (`"…," she said, "…."`) gives two `Quote`s sharing the same cue and
//!   source span, because a `Quote` has one contiguous content span (PolNeAR makes it
//!   one discontinuous content).
//! - Indirect content is the reported clause including a leading "that" (as PolNeAR),
//!   without the sentence's final punctuation.
//! - `cue` is the verb group ("said", "has said", "told reporters", "according to");
//!   `source` is the noun phrase as written, with an appositive when it follows the
//!   name ("Maria Okafor, chief executive of the Harbour Authority").
//!
//! Speakers: the canonical name of the entity in the source span; "he" or "she"
//! resolves to the most recent speaker, unless the pronoun's sentence or the one before
//! it in the paragraph names other people and not them (then the first of those, the
//! subject as a rule: "Lind's deputy, Petra Oyelaran, struck a softer tone. “…,” she
//! said."), or, with no speaker yet, the nearest preceding person; people named inside
//! a quotation or in the possessive don't count, nor people whose honorific ("Mr.",
//! "Ms.") disagrees with the pronoun. "It" and "they" resolve the same way to an
//! organisation, never to a person; "we" stays unresolved. A nominal ("the chief
//! executive") resolves to the person an earlier mention of that title introduced,
//! next to the name ("Maria Okafor, chief executive of …", "chief executive Maria
//! Okafor"); "a spokesperson for X" resolves to the organisation X; a qualified role
//! ("the Republican nominee") resolves to the person an earlier "Republican
//! presidential nominee NAME" introduced; an ORG or LOC source ("the Kremlin") is its
//! own speaker. Without an entity, a capitalised source that reads as a name is the
//! speaker, a bare surname mapped to the fuller name seen earlier; a group or a figure
//! ("Few people", "46 percent") is none. A quote with no source takes the person named
//! right after its closing mark ("“…,” Mayor Oskar Lind fumed", a cue the finder
//! missed), or else continues the previous paragraph's speaker (newspaper convention),
//! but not when someone else is named beside it. Anything unclear stays `None`: a wrong
//! speaker misleads a reader more than a missing one.

pub mod tagger;
pub mod train;

use std::sync::OnceLock;

use parallax_core::{Entity, EntityKind, Quote, QuoteKind, Sentence, Span};
use regex::Regex;

use crate::entities::looks_like_name;
use crate::ner::clusters::Clusters;
use crate::ner::Model;

/// Cue verbs in every inflection (base, -s, -ed/past, -ing, participle), then the
/// commonest attitude and stance verbs in the forms news uses ("called for", "wants",
/// "criticized", "shows"): PolNeAR-style attribution covers thoughts and findings too.
const CUE_VERBS: &str = r"(?:say|says|said|saying|tell|tells|told|telling|add|adds|added|adding|note|notes|noted|noting|stress|stresses|stressed|stressing|warn|warns|warned|warning|insist|insists|insisted|insisting|claim|claims|claimed|claiming|argue|argues|argued|arguing|explain|explains|explained|explaining|announce|announces|announced|announcing|confirm|confirms|confirmed|confirming|deny|denies|denied|denying|acknowledge|acknowledges|acknowledged|acknowledging|admit|admits|admitted|admitting|reply|replies|replied|replying|write|writes|wrote|written|writing|ask|asks|asked|asking|urge|urges|urged|urging|predict|predicts|predicted|predicting|estimate|estimates|estimated|estimating|suggest|suggests|suggested|suggesting|state|states|stated|stating|declare|declares|declared|declaring|describe|describes|described|describing|caution|cautions|cautioned|cautioning|recall|recalls|recalled|recalling|concede|concedes|conceded|conceding|emphasi[sz]e|emphasi[sz]es|emphasi[sz]ed|emphasi[sz]ing|continue|continues|continued|tweet|tweets|tweeted|tweeting|report|reports|reported|reporting|respond|responds|responded|responding|allege|alleges|alleged|alleging|contend|contends|contended|contending|maintain|maintains|maintained|maintaining|believe|believes|believed|think|thinks|thought|promise|promises|promised|promising|vow|vows|vowed|vowing|assert|asserts|asserted|asserting|observe|observes|observed|remark|remarks|remarked|complain|complains|complained|complaining|joke|jokes|joked|quip|quips|quipped|reveal|reveals|revealed|revealing|indicate|indicates|indicated|indicating|agree|agrees|agreed|mention|mentions|mentioned|point out|points out|pointed out|pointing out|called for|calls for|calling for|called on|calls on|cited|cites|citing|pledged|pledges|criticized|criticised|criticizes|blasted|slammed|praised|questioned|condemned|accused|accuses|accusing|proposed|proposes|wants|hopes|hoped|fears|feared|worries|worried|expects|expected|shows|showed)";

/// Verbs whose object is the audience, not the content ("told reporters").
const AUDIENCE: &str = r"(?:reporters|journalists|the press|the media|lawmakers|supporters|the crowd|the audience|an audience|a crowd|the committee|parliament|the court|the jury|me|us|them|him|her)";

/// Plural nouns for groups that speak or publish ("officials said", "polls show"): a
/// bare plural with up to three modifiers is a source without a determiner.
const GROUPS: &str = r"(?:officials|sources|lawmakers|legislators|members|experts|analysts|critics|aides|advisers|advisors|people|voters|supporters|opponents|observers|economists|strategists|researchers|residents|witnesses|investigators|prosecutors|authorities|scientists|leaders|executives|spokesmen|spokeswomen|representatives|staffers|senators|officers|police|democrats|republicans|conservatives|liberals|activists|advocates|donors|insiders|operatives|allies|organizers|organisers|historians|scholars|doctors|lawyers|attorneys|protesters|reporters|journalists|polls|surveys|studies|documents|records|emails|filings)";

const TITLE: &str =
    r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Capt|Sgt|Lt|Pres|Sir|Dame|Lord|Lady)\.?\s+";

/// Words that start a capitalised run but are not part of a name.
const NOT_NAME: &[&str] = &[
    "On",
    "In",
    "At",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "The",
    "A",
    "An",
    "Then",
    "Now",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "As",
    "If",
    "Meanwhile",
    "However",
    "Earlier",
    "Later",
    "Still",
    "Also",
    "Speaking",
    "Asked",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Yesterday",
    "Today",
    "This",
    "That",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "Last",
    "Next",
    "Both",
    "Instead",
    "Separately",
    "Previously",
    "Finally",
];

struct Patterns {
    /// Source then cue, right after a closing mark: `," Okafor said`.
    after_src_cue: Regex,
    /// Cue then source, right after a closing mark: `," said Maria Okafor, …`.
    after_cue_src: Regex,
    /// A dash and a name right after a closing mark, ending the line or clause:
    /// `" ― Maria Okafor`, `"  - Okafor.`, `" —Maria Okafor (@mokafor)`.
    after_dash: Regex,
    /// Source and cue ending right before an opening mark: `Okafor said: "`.
    before: Regex,
    /// `According to Rees, "`.
    before_according: Regex,
    /// `…, saying (that) CLAUSE`: a participle reporting what the subject said.
    participle: Regex,
    /// The subject at a clause start, the participle's source.
    subject: Regex,
    /// `SOURCE CUE (that) …` in running text.
    indirect: Regex,
    /// `…, SOURCE CUE.` / `…, CUE SOURCE.` at a clause end.
    trailing: Regex,
    trailing_inv: Regex,
    according: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // A name may carry a short parenthetical: "Gov. Mike Pence (R-Ind.)".
        let name = format!(r"(?:{TITLE})?\p{{Lu}}[\p{{L}}'’.-]*(?:\s+(?:(?:de|van|von|der|al|bin|da|di|la|le)\s+)?\p{{Lu}}[\p{{L}}'’.-]*){{0,3}}(?:\s+\([^()\n]{{1,20}}\))?");
        let nominal = format!(
            r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\p{{L}}-]+\s+){{0,3}}[\p{{L}}-]+(?:\s+(?:for|of|at|with|from|to)\s+(?:the\s+)?{name})?"
        );
        let pron = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)";
        let group = format!(r"(?:[\p{{L}}-]+\s+){{0,3}}(?i:{GROUPS})");
        let source = format!(r"(?:{pron}|{nominal}|{name}|{group})");
        let appos = r"(?:,\s+[^,“”«»„\x22\n]{2,90}?,)?";
        let aux = r"(?:(?:also|later|previously|then|again|once|has|had|have|would|will|had\s+previously|has\s+long|\p{Ll}+ly)\s+)*";
        let cue = format!(r"(?:{aux}{CUE_VERBS}(?:\s+{AUDIENCE})?)");
        let r = |s: String| Regex::new(&s).expect("quote pattern compiles");
        Patterns {
            after_src_cue: r(format!(r"^[\s,]*(?:—\s*)?({source}{appos})\s+({cue})\b")),
            after_cue_src: r(format!(
                r"^[\s,]*({cue})\s+((?:{name}|{nominal})(?:,\s+[^,.;“”«»„\x22\n]{{2,90}})?)"
            )),
            participle: r(r",\s+(saying|adding|arguing|noting|claiming|insisting|warning|suggesting|explaining|acknowledging|predicting|stressing|telling\s+(?:reporters|journalists|supporters|the crowd|the audience|an audience))\s+(?:that\s+)?".to_string()),
            subject: r(format!(r"^\s*(?:(?:But|And|Yet|Meanwhile|However|Still|Later|Earlier|On\s+\p{{Lu}}\p{{Ll}}+day),?\s+)?({source})(?:,\s+[^,\n]{{2,90}}?,)?\s+\p{{Ll}}")),
            after_dash: r(format!(
                r"^[^\S\n]*(―|—|–|--|-)[^\S\n]*({name})[^\S\n]*(?:[.,(]|$|\n|[“”\x22])"
            )),
            before: r(format!(
                r"({source}{appos})\s+({cue})(?:\s+(?:on|in|at|during|to|after|before|via|through)\s+[^,:;“”«»„\x22\n]{{1,60}}?)?\s*[:,]?\s*$"
            )),
            before_according: r(format!(r"(?i:(according\s+to))\s+({source}{appos})\s*,?\s*$")),
            indirect: r(format!(r"\b({source}{appos})\s+({cue})\b\s*,?\s*")),
            trailing: r(format!(r",\s+({source}{appos})\s+({cue})(?:\s+(?:on|in|at|during)\s+[^,.;“”\x22\n]{{1,40}})?\s*[.!?]?\s*$")),
            trailing_inv: r(format!(r",\s+({cue})\s+({name}|{nominal})(?:,\s+[^.;“”\x22\n]{{2,90}})?\s*[.!?]?\s*$")),
            according: r(format!(
                r"(?i:\b(according\s+to))\s+((?-i:{nominal}|{name}|{group})(?:,\s+(?:the\s+)?\p{{Ll}}[^,.;“”\x22\n]{{1,60}},)?)"
            )),
        }
    })
}

/// A direct quote's marks: content between, and the outer span with the marks.
#[derive(Debug, Clone, Copy)]
struct Marked {
    content: Span,
    outer: Span,
}

/// Direct, indirect and mixed quotes with cue, source and resolved speaker: by the
/// trained tagger, or by the rules when its model is not there.
pub fn find(body: &str, sentences: &[Sentence], entities: &[Entity]) -> Vec<Quote> {
    match tagger::shared() {
        // The tagger reads sentences; a caller without them gets them split here.
        Some(m) if sentences.is_empty() && !body.trim().is_empty() => {
            find_with(m, body, &crate::sentences::split(body), entities)
        }
        Some(m) => find_with(m, body, sentences, entities),
        None => find_by_rules(body, sentences, entities),
    }
}

/// The word clusters the tagger's features read: the NER model's.
fn clusters() -> &'static Clusters {
    static EMPTY: OnceLock<Clusters> = OnceLock::new();
    match crate::ner::shared() {
        Some(m) => &m.clusters,
        None => EMPTY.get_or_init(Clusters::default),
    }
}

/// The tagging units of `body`: paragraphs of tokens with entity and quotation-mark
/// information, as training and tagging both see them.
fn token_paragraphs(body: &str, sentences: &[Sentence], entities: &[Entity]) -> Vec<tagger::Para> {
    tagger::paragraphs(body, sentences, entities, &quote_marks(body))
}

/// Every paragraph of `body` with the tags `model` gives its tokens.
fn tag_paragraphs(
    model: &Model,
    body: &str,
    marks: &[Marked],
    sentences: &[Sentence],
    entities: &[Entity],
) -> Vec<(tagger::Para, Vec<usize>)> {
    let clusters = clusters();
    let mut sc = tagger::Scratch::default();
    let (mut feats, mut offsets) = (Vec::new(), Vec::new());
    let (mut f2, mut o2) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    for para in tagger::paragraphs(body, sentences, entities, marks) {
        let mut tags = Vec::new();
        tagger::features(
            body,
            &para,
            clusters,
            &model.gaz,
            &mut sc,
            &mut feats,
            &mut offsets,
        );
        model.first.decode(&feats, &offsets, &mut tags);
        // A paragraph the first pass leaves wholly untagged keeps those tags: the second
        // pass reads the first pass's chunks and almost never finds one there (dev
        // overlap F1 within 0.0005), and skipping it saves 6-8% of the quote stage.
        let untagged = tags.iter().all(|&t| t == tagger::O);
        if let (Some(second), false) = (&model.second, untagged) {
            tagger::stack_features(&para, &tags, &feats, &offsets, &mut sc, &mut f2, &mut o2);
            second.decode(&f2, &o2, &mut tags);
        }
        out.push((para, tags));
    }
    out
}

/// Every paragraph of `body` with the tags `model` gives its tokens (both passes), for
/// looking at the tagger's errors (the `qdebug` example).
pub fn paragraph_tags(
    model: &Model,
    body: &str,
    sentences: &[Sentence],
    entities: &[Entity],
) -> Vec<(tagger::Para, Vec<usize>)> {
    tag_paragraphs(model, body, &quote_marks(body), sentences, entities)
}

/// The tagger's spans before they are put together into quotes: (role, span) with
/// role 1 source, 2 cue, 3 content. For inspecting the model.
pub fn tagged_spans(
    model: &Model,
    body: &str,
    sentences: &[Sentence],
    entities: &[Entity],
) -> Vec<(usize, Span)> {
    let marks = quote_marks(body);
    let mut out = Vec::new();
    for (para, tags) in tag_paragraphs(model, body, &marks, sentences, entities) {
        for (a, b, r) in tagger::chunks(&tags) {
            out.push((
                r,
                Span::new(para.toks[a].span.start, para.toks[b - 1].span.end),
            ));
        }
    }
    out
}

/// Quotes found by the tagger `model` (the embedded one, or one being trained).
pub fn find_with(
    model: &Model,
    body: &str,
    sentences: &[Sentence],
    entities: &[Entity],
) -> Vec<Quote> {
    let marks = quote_marks(body);
    // (content, cue, source) in byte spans.
    let mut found: Vec<(Span, Option<Span>, Option<Span>)> = Vec::new();
    // A cue ending the paragraph before with a colon, its source, and whether it
    // found no content there (then a paragraph without content is what it announced).
    let mut announced: Option<(Option<Span>, Option<Span>, bool)> = None;
    for (para, tags) in tag_paragraphs(model, body, &marks, sentences, entities) {
        let para = &para;
        let span =
            |(a, b): (usize, usize)| Span::new(para.toks[a].span.start, para.toks[b - 1].span.end);
        let (mut triples, pending) = tagger::decode(body, para, &tags);
        if let Some((cue, source, alone)) = announced.take() {
            // The first content left without a cue takes the announcing cue; with no
            // content and no cue of its own, the whole paragraph is what was announced.
            let own_cue = triples.iter().any(|t| t.cue.is_some());
            match triples.iter().position(|t| t.cue.is_none()) {
                Some(k) => {
                    let t = triples.remove(k);
                    found.push((span(t.content), cue, source));
                }
                None if !own_cue && alone => {
                    found.push((span((0, para.toks.len())), cue, source));
                }
                None => {}
            }
        }
        announced = pending.map(|t| {
            let alone = t.content.0 >= t.content.1;
            (t.cue.map(span), t.source.map(span), alone)
        });
        for t in triples {
            found.push((span(t.content), t.cue.map(span), t.source.map(span)));
        }
    }
    let mut out: Vec<(Quote, Span)> = Vec::new();
    for (mut content, mut cue, mut source) in found {
        // Content within one pair of quotation marks is a direct quote, and its
        // content is the words between the marks (the tagger may or may not take the
        // marks in); content that runs past a pair of marks it holds is mixed.
        let kind = match marks.iter().find(|m| m.outer.contains(content)) {
            Some(m) => {
                content = Span::new(
                    content.start.max(m.content.start),
                    content.end.min(m.content.end),
                );
                // A dash and a name after the closing mark say who said it, whatever
                // cue the tagger linked: the tagger seldom saw one in training (11
                // times in PolNeAR train) and takes the name for a cue or links the
                // quote to a cue nearby.
                if let Some((c, s)) = dash_attribution(body, m.outer.end, body.len()) {
                    (cue, source) = (Some(c), Some(s));
                }
                QuoteKind::Direct
            }
            None if marks.iter().any(|m| content.overlaps(m.outer)) => QuoteKind::Mixed,
            None => QuoteKind::Indirect,
        };
        if content.is_empty() {
            continue;
        }
        let whole = [Some(content), cue, source]
            .into_iter()
            .flatten()
            .fold(content, |a, b| {
                Span::new(a.start.min(b.start), a.end.max(b.end))
            });
        out.push((
            Quote {
                content,
                cue,
                source,
                speaker: None,
                kind,
            },
            whole,
        ));
    }
    out.sort_by_key(|(q, _)| q.content.start);
    resolve_speakers(body, sentences, entities, &mut out);
    out.into_iter().map(|(q, _)| q).collect()
}

/// A dash and a name right after a quote's closing mark (`body[at..end]` starts at the
/// mark's end): the dash is the cue and the name the source (PolNeAR marks them so),
/// as under a reader's letter, a pull quote or an epigraph. (cue, source).
fn dash_attribution(body: &str, at: usize, end: usize) -> Option<(Span, Span)> {
    let c = patterns().after_dash.captures(&body[at..end])?;
    let (q, s) = (c.get(1)?, c.get(2)?);
    plausible_source(s.as_str()).then(|| {
        (
            Span::new(q.start(), q.end()).offset(at),
            trim_span(body, Span::new(s.start(), s.end()).offset(at)),
        )
    })
}

/// The rule-based finder (used when the tagger's model is missing).
pub fn find_by_rules(body: &str, sentences: &[Sentence], entities: &[Entity]) -> Vec<Quote> {
    let p = patterns();
    let marked = quote_marks(body);
    let mut out: Vec<(Quote, Span)> = Vec::new(); // quote, span of the whole attribution
    let mut attributed = vec![false; marked.len()];

    // Pass 2: attribute each direct quote.
    let mut i = 0;
    while i < marked.len() {
        let m = marked[i];
        let sent = context(body, sentences, m.outer.start);
        // A quote of several sentences: its attribution lies in the sentence that holds
        // the closing mark (or the one right after it), not the opening one's.
        let close_sent = context(body, sentences, m.content.end).end;
        let after_sent = if m.outer.end < body.len() {
            context(body, sentences, m.outer.end).end
        } else {
            m.outer.end
        };
        let sent_end = sent
            .end
            .max(close_sent)
            .max(after_sent)
            .max(m.outer.end)
            .min(body.len());
        // After the quote, up to the end of its clause (or the next quote).
        let next_open = marked
            .get(i + 1)
            .map(|n| n.outer.start)
            .unwrap_or(body.len());
        let after_end = clause_end(body, m.outer.end, sent_end.max(m.outer.end)).min(next_open);
        let after = &body[m.outer.end..after_end.max(m.outer.end)];
        let mut found: Option<(Span, Span)> = None; // cue, source
        let mut via_before = false;
        if let Some(c) = p.after_src_cue.captures(after) {
            let (s, q) = (c.get(1).unwrap(), c.get(2).unwrap());
            if plausible_source(s.as_str()) {
                found = Some((
                    Span::new(q.start(), q.end()).offset(m.outer.end),
                    Span::new(s.start(), s.end()).offset(m.outer.end),
                ));
            }
        }
        if found.is_none() {
            found = dash_attribution(body, m.outer.end, m.outer.end + after.len());
        }
        if found.is_none() {
            if let Some(c) = p.after_cue_src.captures(after) {
                let (q, s) = (c.get(1).unwrap(), c.get(2).unwrap());
                let s_text = s.as_str().trim_end_matches([',', ' ']);
                if plausible_source(s_text) {
                    found = Some((
                        Span::new(q.start(), q.end()).offset(m.outer.end),
                        Span::new(s.start(), s.start() + s_text.len()).offset(m.outer.end),
                    ));
                }
            }
        }
        if found.is_none() {
            // Before the quote: from the sentence start (or the previous quote) on.
            let prev_end = if i > 0 { marked[i - 1].outer.end } else { 0 };
            let mut from = sent.start.max(prev_end).min(m.outer.start);
            // A quote paragraph after a "Okafor continued:" paragraph.
            if from == m.outer.start || body[from..m.outer.start].trim().is_empty() {
                let para_start = body[..m.outer.start].trim_end();
                if para_start.ends_with(':') {
                    from = body[..para_start.len()]
                        .rfind("\n\n")
                        .map(|x| x + 2)
                        .unwrap_or(0)
                        .max(prev_end)
                        .min(m.outer.start);
                }
            }
            let before = &body[from..m.outer.start];
            if let Some(c) = p.before_according.captures(before) {
                let (q, s) = (c.get(1).unwrap(), c.get(2).unwrap());
                found = Some((
                    Span::new(q.start(), q.end()).offset(from),
                    trim_span(body, Span::new(s.start(), s.end()).offset(from)),
                ));
            } else if let Some(c) = p.before.captures(before) {
                let (s, q) = (c.get(1).unwrap(), c.get(2).unwrap());
                if plausible_source(s.as_str()) {
                    via_before = true;
                    found = Some((
                        Span::new(q.start(), q.end()).offset(from),
                        trim_span(body, Span::new(s.start(), s.end()).offset(from)),
                    ));
                }
            }
        }
        if let Some((cue, source)) = found {
            let source = strip_leading_non_name(body, source);
            // `Okafor said "fully insured" vessels were exempt`: the clause goes on after
            // the closing mark, so the report is mixed and its content is the clause.
            let rest = &body[m.outer.end..after_end.max(m.outer.end)];
            let rest_t = rest.trim_end().trim_end_matches(['.', '!', '?', ';']);
            let mixed = via_before
                && rest_t.chars().any(|c| c.is_alphanumeric())
                && !rest_t.trim_start().starts_with(',')
                && !body[cue.end..m.outer.start].contains(':');
            let (content, kind) = if mixed {
                let lead = body[cue.end..m.outer.start].len()
                    - body[cue.end..m.outer.start]
                        .trim_start_matches([' ', ','])
                        .len();
                (
                    Span::new(cue.end + lead, m.outer.end + rest_t.trim_end().len()),
                    QuoteKind::Mixed,
                )
            } else {
                (m.content, QuoteKind::Direct)
            };
            out.push((
                Quote {
                    content,
                    cue: Some(cue),
                    source: Some(source),
                    speaker: None,
                    kind,
                },
                Span::new(m.outer.start.min(cue.start), m.outer.end.max(cue.end)),
            ));
            attributed[i] = true;
            // Split quote: `"…," she said, "…"` — the next quote opens right after.
            if let Some(n) = marked.get(i + 1) {
                let tail_from = cue.end.max(source.end);
                if tail_from <= n.outer.start
                    && body[tail_from..n.outer.start]
                        .trim_matches(|c: char| {
                            c.is_whitespace() || c == ',' || c == ':' || c == '.'
                        })
                        .is_empty()
                    && !body[tail_from..n.outer.start].contains("\n\n")
                    && !has_own_attribution(body, n, p)
                {
                    out.push((
                        Quote {
                            content: n.content,
                            cue: Some(cue),
                            source: Some(source),
                            speaker: None,
                            kind: QuoteKind::Direct,
                        },
                        n.outer,
                    ));
                    attributed[i + 1] = true;
                    i += 1;
                }
            }
        }
        i += 1;
    }

    // Unattributed quotes: long speech-like ones standing as a whole paragraph continue
    // the previous speaker (newspaper convention); short ones are scare quotes or
    // titles, unless a report (pass 3) takes them in as a mixed quote.
    let direct_spans: Vec<Span> = out.iter().map(|(_, s)| *s).collect();

    // Pass 3: indirect speech, sentence by sentence (clauses within the stub's
    // paragraph-sized "sentences").
    let mut indirect: Vec<(Quote, Span)> = Vec::new();
    for cl in clauses(body, sentences) {
        let text = &body[cl.start..cl.end];
        let mut found: Vec<Quote> = find_indirect(body, cl, text, p).into_iter().collect();
        if let Some(mut q) = participial(body, cl, text, p) {
            // "Okafor said …, adding …": the participle shares the report's source.
            if let Some(f) = found
                .first()
                .filter(|f| f.cue.is_some_and(|c| c.end <= q.content.start))
            {
                q.source = f.source;
            }
            if !found
                .iter()
                .any(|f| f.cue.zip(q.cue).is_some_and(|(a, b)| a.overlaps(b)))
            {
                found.push(q);
            }
        }
        for q in found {
            let whole = Span::new(
                q.content
                    .start
                    .min(q.cue.map(|c| c.start).unwrap_or(usize::MAX)),
                q.content.end.max(q.cue.map(|c| c.end).unwrap_or(0)),
            );
            // The cue must not sit inside a direct quote or be a direct quote's cue.
            let cue = q.cue.unwrap_or(q.content);
            if marked.iter().any(|m| m.outer.contains(cue))
                || out
                    .iter()
                    .any(|(d, _)| d.cue.is_some_and(|c| c.overlaps(cue)))
            {
                continue;
            }
            indirect.push((q, whole));
        }
    }
    for (q, whole) in indirect {
        // A report whose clause holds a quoted fragment is mixed; the fragment's own
        // (unattributed) direct quote folds into it. One that overlaps an attributed
        // direct quote is dropped: the direct reading is the surer one.
        if direct_spans.iter().any(|d| d.overlaps(q.content)) {
            continue;
        }
        let mut q = q;
        if marked
            .iter()
            .enumerate()
            .any(|(k, m)| !attributed[k] && q.content.contains(m.outer))
        {
            q.kind = QuoteKind::Mixed;
            for (k, m) in marked.iter().enumerate() {
                if q.content.contains(m.outer) {
                    attributed[k] = true;
                }
            }
        }
        out.push((q, whole));
    }

    // Whole-paragraph quotes with no attribution: keep them (speaker resolved below
    // from the preceding quote) when they read as speech, not as a title.
    for (k, m) in marked.iter().enumerate() {
        if attributed[k] {
            continue;
        }
        let words = body[m.content.start..m.content.end]
            .split_whitespace()
            .count();
        let para = paragraph_of(body, m.outer.start);
        let whole_para = body[para.start..para.end].trim()
            == body[m.outer.start..m.outer.end].trim()
            || m.outer.end >= para.end
            || body[m.outer.end..para.end].trim().len() <= 1;
        let starts_para = body[para.start..m.outer.start].trim().is_empty();
        if words >= 6 && whole_para && starts_para {
            out.push((
                Quote {
                    content: m.content,
                    cue: None,
                    source: None,
                    speaker: None,
                    kind: QuoteKind::Direct,
                },
                m.outer,
            ));
        }
    }

    out.sort_by_key(|(q, _)| q.content.start);
    resolve_speakers(body, sentences, entities, &mut out);
    out.into_iter().map(|(q, _)| q).collect()
}

/// Whether the words right after a quote attribute it (`"…," Burman said`).
fn has_own_attribution(body: &str, m: &Marked, p: &Patterns) -> bool {
    let end = clause_end(body, m.outer.end, body.len());
    let after = &body[m.outer.end..end.max(m.outer.end)];
    p.after_src_cue
        .captures(after)
        .and_then(|c| c.get(1))
        .is_some_and(|s| plausible_source(s.as_str()))
        || p.after_cue_src.captures(after).is_some()
}

/// Whether a captured source reads like a speaker and not like part of a clause.
fn plausible_source(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 140 {
        return false;
    }
    let first = s.split_whitespace().next().unwrap_or("");
    // "the statement said" / "the report found" is attribution too (PolNeAR keeps it);
    // exclude only what cannot be a speaker.
    !matches!(
        first.to_ascii_lowercase().as_str(),
        "this" | "that" | "which" | "who" | "what" | "there" | "here"
    ) && !s.contains('\n')
}

fn trim_span(body: &str, s: Span) -> Span {
    let t = &body[s.start..s.end];
    let lead = t.len() - t.trim_start().len();
    let trimmed = t.trim().trim_end_matches([',', '.']);
    Span::new(s.start + lead, s.start + lead + trimmed.trim_end().len())
}

/// Drops leading capitalised words that start a sentence but aren't names ("But
/// Okafor" → "Okafor", "On Tuesday Okafor" → "Okafor").
fn strip_leading_non_name(body: &str, s: Span) -> Span {
    let mut start = s.start;
    loop {
        let t = &body[start..s.end];
        let w_end = t.find(char::is_whitespace).unwrap_or(t.len());
        let w = t[..w_end].trim_end_matches(',');
        let lower_stop = matches!(
            w,
            "and"
                | "but"
                | "or"
                | "nor"
                | "that"
                | "which"
                | "who"
                | "as"
                | "when"
                | "while"
                | "if"
                | "because"
                | "so"
                | "of"
                | "in"
                | "on"
                | "at"
                | "to"
                | "for"
                | "with"
                | "by"
                | "from"
                | "than"
                | "what"
                | "where"
                | "whom"
                | "whose"
                | "also"
                | "even"
        );
        if w_end < t.len()
            && (lower_stop || NOT_NAME.contains(&w) && w != "The" && w != "A" && w != "An")
        {
            let rest = &t[w_end..];
            start += w_end + (rest.len() - rest.trim_start().len());
        } else {
            break;
        }
    }
    Span::new(start, s.end)
}

/// Finds quotation-mark pairs. Double-style marks first; single-style marks only
/// outside them (inside they are nested quotes, part of the outer content).
fn quote_marks(body: &str) -> Vec<Marked> {
    // Doubled apostrophes (`''…''`, a typewriter double mark some outlets use) read as
    // one double mark: `"` plus a NUL on the side away from the quoted text, so byte
    // offsets stay the same; the NUL is kept out of the content afterwards.
    if body.contains("''") {
        let b = body.as_bytes();
        let mut norm = Vec::with_capacity(b.len());
        let mut k = 0;
        while k < b.len() {
            if b[k] == b'\'' && b.get(k + 1) == Some(&b'\'') && b.get(k + 2) != Some(&b'\'') {
                let next_text = b.get(k + 2).is_some_and(|c| !c.is_ascii_whitespace());
                let prev_space =
                    k == 0 || b[k - 1].is_ascii_whitespace() || b"([{:;,-".contains(&b[k - 1]);
                if prev_space && next_text {
                    norm.extend_from_slice(b"\"\0");
                } else {
                    norm.extend_from_slice(b"\0\"");
                }
                k += 2;
            } else {
                norm.push(b[k]);
                k += 1;
            }
        }
        if let Ok(norm) = String::from_utf8(norm) {
            return quote_marks_in(&norm)
                .into_iter()
                .map(|mut m| {
                    let t = &norm[m.content.start..m.content.end];
                    let lead = t.len() - t.trim_start_matches('\0').len();
                    let trail = t.len() - t.trim_end_matches('\0').len();
                    if lead + trail < t.len() {
                        m.content = Span::new(m.content.start + lead, m.content.end - trail);
                    }
                    m
                })
                .collect();
        }
    }
    quote_marks_in(body)
}

fn quote_marks_in(body: &str) -> Vec<Marked> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let n = chars.len();
    let prev = |k: usize| if k == 0 { None } else { Some(chars[k - 1].1) };
    let next = |k: usize| chars.get(k + 1).map(|c| c.1);
    let is_open_ctx = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || "([{—–-:;,/".contains(c) || c == '\u{2014}')
    };
    let is_close_ctx = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || ".,;:!?)]}—–-…".contains(c) || "”’\"'»".contains(c))
    };
    let mut covered: Vec<Span> = Vec::new();
    for single in [false, true] {
        let mut k = 0;
        while k < n {
            let (pos, c) = chars[k];
            if covered.iter().any(|s| s.start <= pos && pos < s.end) {
                k += 1;
                continue;
            }
            let closers: &[char] = match (single, c) {
                (false, '“') => &['”', '“'],
                (false, '"') => &['"', '”'],
                (false, '«') => &['»'],
                (false, '„') => &['“', '”'],
                // A closing mark opening a line, before a word, is an opening one typed
                // the wrong way round (web text has them: `”Fear. I am afraid…”`).
                (false, '”')
                    if prev(k).is_none_or(|p| p == '\n')
                        && next(k).is_some_and(|c| !c.is_whitespace()) =>
                {
                    &['”', '"']
                }
                (true, '‘') => &['’'],
                (true, '\'') => &['\''],
                (true, '‹') => &['›'],
                _ => {
                    k += 1;
                    continue;
                }
            };
            let straight = c == '"' || c == '\'';
            // Straight and single marks must look like openers: after a space or
            // opening punctuation, before a non-space.
            if (straight || single)
                && !(is_open_ctx(prev(k)) && next(k).is_some_and(|c| !c.is_whitespace()))
            {
                k += 1;
                continue;
            }
            // Same-style ("“…“") closing only counts for „ which closes with “.
            let mut j = k + 1;
            let mut end: Option<usize> = None;
            while j < n {
                let (jp, jc) = chars[j];
                // A paragraph break ends the quote unless the next paragraph reopens it.
                if jc == '\n' && next(j) == Some('\n') {
                    let mut t = j + 1;
                    while t < n && chars[t].1.is_whitespace() {
                        t += 1;
                    }
                    if t < n && chars[t].1 == c && !single {
                        j = t + 1;
                        continue;
                    }
                    break;
                }
                if closers.contains(&jc) && !(c == '“' && jc == '“') {
                    let ok = if straight || single {
                        prev(j).is_some_and(|p| !p.is_whitespace()) && is_close_ctx(next(j))
                    } else {
                        true
                    };
                    if ok {
                        end = Some(j);
                        break;
                    }
                }
                // Single quotes stay short and inside a sentence or two.
                if single && jp - pos > 400 {
                    break;
                }
                j += 1;
            }
            // A single-quote pair must not straddle a double-quoted span.
            let end = end.filter(|&j| {
                let sp = Span::new(pos, chars[j].0);
                !covered.iter().any(|c| c.overlaps(sp))
            });
            if let Some(j) = end {
                let cstart = pos + c.len_utf8();
                let cend = chars[j].0;
                let close_end = cend + chars[j].1.len_utf8();
                if cend > cstart {
                    out.push(Marked {
                        content: Span::new(cstart, cend),
                        outer: Span::new(pos, close_end),
                    });
                    covered.push(Span::new(pos, close_end));
                }
                k = j + 1;
            } else {
                // Unclosed (a stray mark, or a quote whose closer is missing): skip it
                // rather than guess where the quote ends.
                k += 1;
            }
        }
    }
    out.sort_by_key(|m| m.outer.start);
    out
}

/// The sentence holding byte `pos`, or its paragraph when sentences don't cover it.
fn context(body: &str, sentences: &[Sentence], pos: usize) -> Span {
    let i = sentences.partition_point(|s| s.span.end <= pos);
    if let Some(s) = sentences.get(i) {
        if s.span.start <= pos && pos < s.span.end && s.span.end <= body.len() {
            return s.span;
        }
    }
    paragraph_of(body, pos)
}

fn paragraph_of(body: &str, pos: usize) -> Span {
    let pos = pos.min(body.len());
    let start = body[..pos].rfind("\n\n").map(|i| i + 2).unwrap_or(0);
    let end = body[pos..]
        .find("\n\n")
        .map(|i| pos + i)
        .unwrap_or(body.len());
    Span::new(start, end)
}

/// First sentence end (`.`, `?`, `!` before whitespace and a capital, a quote mark or
/// the end) at or after `from`, not past `limit`; abbreviations ("Mr.", "U.S.", "Nov.")
/// don't end a clause.
fn clause_end(body: &str, from: usize, limit: usize) -> usize {
    let limit = limit.min(body.len());
    if from >= limit {
        return limit;
    }
    let t = &body[from..limit];
    let bytes = t.as_bytes();
    for (i, ch) in t.char_indices() {
        if ch == '\n' && bytes.get(i + 1) == Some(&b'\n') {
            return from + i;
        }
        if !matches!(ch, '.' | '?' | '!') {
            continue;
        }
        let rest = &t[i + 1..];
        let after = rest.trim_start_matches(['”', '"', '’', '\'', ')']);
        let spaced = after.starts_with(char::is_whitespace) || after.is_empty();
        let next_word = after.trim_start().chars().next();
        if !spaced {
            continue;
        }
        if ch == '.' {
            let word: String = t[..i]
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '.')
                .collect();
            let word: String = word.chars().rev().collect();
            if word.len() <= 3 && word.chars().next().is_some_and(|c| c.is_uppercase())
                || word.contains('.')
                || matches!(
                    word.as_str(),
                    "Mr" | "Mrs"
                        | "Ms"
                        | "Dr"
                        | "Gov"
                        | "Sen"
                        | "Rep"
                        | "Gen"
                        | "Prof"
                        | "St"
                        | "Jr"
                        | "Sr"
                        | "Sept"
                        | "Capt"
                        | "vs"
                        | "No"
                )
            {
                continue;
            }
        }
        if next_word.is_none_or(|c| c.is_uppercase() || "“\"‘'(".contains(c) || c.is_ascii_digit())
        {
            return from + i + ch.len_utf8();
        }
    }
    limit
}

/// Sentences cut further at sentence ends (the stub splitter gives whole paragraphs).
fn clauses(body: &str, sentences: &[Sentence]) -> Vec<Span> {
    let base: Vec<Span> = if sentences.is_empty() {
        let mut v = Vec::new();
        let mut pos = 0;
        for para in body.split("\n\n") {
            v.push(Span::new(pos, pos + para.len()));
            pos += para.len() + 2;
        }
        v
    } else {
        sentences
            .iter()
            .map(|s| s.span)
            .filter(|s| s.fits(body))
            .collect()
    };
    let mut out = Vec::new();
    for s in base {
        let mut from = s.start;
        while from < s.end {
            let e = clause_end(body, from, s.end).max(from + 1).min(s.end);
            let e = (e..=s.end)
                .find(|&x| body.is_char_boundary(x))
                .unwrap_or(s.end);
            let piece = trim_span(body, Span::new(from, e));
            if !piece.is_empty() {
                out.push(piece);
            }
            from = e;
        }
    }
    out
}

/// One report of indirect speech in a clause, if any.
fn find_indirect(body: &str, cl: Span, text: &str, p: &Patterns) -> Option<Quote> {
    let strip_end = |s: &str| {
        s.trim_end()
            .trim_end_matches(['.', '!', '?', ';', ','])
            .trim_end()
            .len()
    };
    // "according to X, CLAUSE" / "CLAUSE, according to X."
    if let Some(c) = p.according.captures(text) {
        let (q, s) = (c.get(1).unwrap(), c.get(2).unwrap());
        let src = trim_span(body, Span::new(s.start(), s.end()).offset(cl.start));
        let before = &text[..q.start()];
        let content = if before.trim_end().ends_with(',') && before.trim().len() > 15 {
            let e = before.trim_end().trim_end_matches(',').trim_end().len();
            Span::new(cl.start, cl.start + e)
        } else {
            let after_src = s.end();
            let rest = &text[after_src..];
            let lead = rest.len() - rest.trim_start_matches([',', ' ']).len();
            let cs = after_src + lead;
            Span::new(cl.start + cs, cl.start + cs.max(strip_end(text).max(cs)))
        };
        if content.len() > 3 {
            return Some(Quote {
                content,
                cue: Some(Span::new(q.start(), q.end()).offset(cl.start)),
                source: Some(src),
                speaker: None,
                kind: QuoteKind::Indirect,
            });
        }
    }
    // "CLAUSE, SOURCE CUE." / "CLAUSE, CUE SOURCE." — unless the same cue reads as
    // "SOURCE, appositive, CUE CLAUSE" ("Okafor, chief executive, said the pier …").
    let forward = forward_indirect(body, cl, text, p);
    for (re, src_g, cue_g) in [(&p.trailing, 1, 2), (&p.trailing_inv, 2, 1)] {
        if let Some(c) = re.captures(text) {
            let (s, q) = (c.get(src_g).unwrap(), c.get(cue_g).unwrap());
            if forward
                .as_ref()
                .is_some_and(|f| f.cue == Some(Span::new(q.start(), q.end()).offset(cl.start)))
            {
                break;
            }
            let head = &text[..c.get(0).unwrap().start()];
            if head.split_whitespace().count() >= 3 && plausible_source(s.as_str()) {
                let lead = head.len() - head.trim_start().len();
                let content = Span::new(cl.start + lead, cl.start + head.trim_end().len());
                let src = strip_leading_non_name(
                    body,
                    trim_span(body, Span::new(s.start(), s.end()).offset(cl.start)),
                );
                return Some(Quote {
                    content,
                    cue: Some(Span::new(q.start(), q.end()).offset(cl.start)),
                    source: Some(src),
                    speaker: None,
                    kind: QuoteKind::Indirect,
                });
            }
        }
    }
    forward
}

/// "SUBJECT …, saying (that) CLAUSE": the participle is the cue, the clause after it
/// the content, the clause's subject (when it reads as one) the source.
fn participial(body: &str, cl: Span, text: &str, p: &Patterns) -> Option<Quote> {
    let c = p.participle.captures(text)?;
    let (q, all) = (c.get(1)?, c.get(0)?);
    let rest = &text[all.end()..];
    if rest
        .chars()
        .next()
        .is_none_or(|ch| "“\"‘'«„:.;".contains(ch))
    {
        return None;
    }
    let end = text
        .trim_end()
        .trim_end_matches(['.', '!', '?', ';', ','])
        .trim_end()
        .len();
    if end <= all.end() + 3 {
        return None;
    }
    let source = p
        .subject
        .captures(&text[..q.start()])
        .and_then(|s| s.get(1))
        .filter(|s| plausible_source(s.as_str()))
        .map(|s| {
            strip_leading_non_name(
                body,
                trim_span(body, Span::new(s.start(), s.end()).offset(cl.start)),
            )
        });
    Some(Quote {
        content: Span::new(cl.start + all.end(), cl.start + end),
        cue: Some(Span::new(q.start(), q.end()).offset(cl.start)),
        source,
        speaker: None,
        kind: QuoteKind::Indirect,
    })
}

/// "SOURCE CUE (that) CLAUSE".
fn forward_indirect(body: &str, cl: Span, text: &str, p: &Patterns) -> Option<Quote> {
    let strip_end = |s: &str| {
        s.trim_end()
            .trim_end_matches(['.', '!', '?', ';', ','])
            .trim_end()
            .len()
    };
    for c in p.indirect.captures_iter(text) {
        let (s, q, all) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(0).unwrap());
        if !plausible_source(s.as_str()) {
            continue;
        }
        let rest = &text[all.end()..];
        // Content must follow: not a quote mark (direct quote handled elsewhere), not
        // the end of the clause, not a preposition phrase only.
        let first = rest.chars().next();
        if first.is_none_or(|ch| "“\"‘'«„:.;".contains(ch)) {
            continue;
        }
        let end = strip_end(text);
        if end <= all.end() + 3 {
            continue;
        }
        // "told the inquiry that …": the content starts at "that", after the object.
        let cue_word = q.as_str().rsplit(char::is_whitespace).next().unwrap_or("");
        let mut cstart = all.end();
        if let Some(k) = rest.find(" that ") {
            if k < 60
                && !rest[..k].contains([',', ';'])
                && (cue_word.starts_with("tel") || cue_word == "told")
            {
                cstart = all.end() + k + 1;
            }
        }
        let src = strip_leading_non_name(
            body,
            trim_span(body, Span::new(s.start(), s.end()).offset(cl.start)),
        );
        return Some(Quote {
            content: Span::new(cl.start + cstart, cl.start + end),
            cue: Some(Span::new(q.start(), q.end()).offset(cl.start)),
            source: Some(src),
            speaker: None,
            kind: QuoteKind::Indirect,
        });
    }
    None
}

fn is_pronoun(w: &str) -> Option<&'static str> {
    Some(match w.to_ascii_lowercase().as_str() {
        "he" | "him" => "he",
        "she" | "her" => "she",
        "they" => "they",
        // A bare "we" as a source is mostly the writer or an unnamed group: unresolved.
        "we" => "we",
        "it" => "it",
        "i" => "i",
        _ => return None,
    })
}

/// Fills `speaker` for every quote, in text order, remembering who spoke last.
fn resolve_speakers(
    body: &str,
    sentences: &[Sentence],
    entities: &[Entity],
    quotes: &mut [(Quote, Span)],
) {
    let near = Nearby::new(body, sentences, entities, quotes);
    let mut last_person: Option<String> = None;
    // The last speaker that is not a person: what "it" and "they" stand for.
    let mut last_group: Option<String> = None;
    let mut last_para_speaker: Option<(usize, String)> = None;
    let mut known_names: Vec<String> = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| e.canonical.clone())
        .collect();
    for (q, whole) in quotes.iter_mut() {
        let Some(src) = q.source else {
            let para = paragraph_of(body, whole.start);
            if let Some(sp) = near.named_after(q.content) {
                // "“…,” Mayor Oskar Lind fumed": the name right after the closing mark
                // is the speaker, though no cue was recognised.
                last_person = Some(sp.clone());
                q.speaker = Some(sp);
            } else if near.others_in_paragraph(q.content, last_para_speaker.as_ref().map(|x| &x.1))
            {
                // Someone else is named beside the quote: it may be theirs, so it is
                // left unresolved rather than handed to the previous speaker.
            } else if let Some((pend, sp)) = &last_para_speaker {
                // Unattributed quote: continues the previous paragraph's speaker
                // (newspaper convention), when the previous paragraph had one.
                if para.start >= *pend && body[*pend..para.start].trim().is_empty() {
                    q.speaker = Some(sp.clone());
                }
            }
            if let Some(sp) = &q.speaker {
                last_para_speaker = Some((para.end, sp.clone()));
            }
            continue;
        };
        let text = &body[src.start..src.end];
        let mut speaker: Option<(String, bool)> = None;
        // 1. An entity inside the source span (prefer a person, then the last one:
        //    "a spokesperson for Carrow Link Ferries" → the ORG).
        let inside: Vec<&Entity> = entities.iter().filter(|e| src.contains(e.span)).collect();
        if let Some(e) = inside
            .iter()
            .find(|e| e.kind == EntityKind::Person)
            .or_else(|| inside.iter().rev().find(|e| e.kind != EntityKind::Misc))
        {
            speaker = Some((e.canonical.clone(), e.kind == EntityKind::Person));
        }
        let first = text.split_whitespace().next().unwrap_or("");
        if speaker.is_none() {
            if let Some(pr) = is_pronoun(first).filter(|_| text.split_whitespace().count() == 1) {
                speaker = match pr {
                    "he" | "she" => near
                        .pronoun(pr, src.start, last_person.as_deref())
                        .map(|s| (s, true)),
                    "they" | "it" => near
                        .collective(src.start, last_group.as_deref())
                        .map(|s| (s, false)),
                    _ => None,
                };
            } else if first.chars().next().is_some_and(|c| c.is_lowercase())
                || matches!(
                    first,
                    "The" | "A" | "An" | "His" | "Her" | "Their" | "Its" | "One" | "Another"
                )
            {
                // Nominal: "the chief executive", "a spokesperson for Carrow Link".
                speaker = resolve_nominal(body, text, src.start, &known_names, entities);
            } else if !looks_like_name(name_part(text)) {
                // Capitalised but not a name: a role ("Republican nominee", "GOP
                // candidate") is resolved as a nominal; a group or a figure ("Few
                // people", "46 percent", "Other officials") is no entity.
                let head = name_part(text).split_whitespace().last().unwrap_or("");
                if ROLES.contains(&head) {
                    speaker = resolve_nominal(body, text, src.start, &known_names, entities);
                }
            } else {
                // A capitalised name without an entity: the name itself, a bare surname
                // mapped to the fuller name seen earlier.
                let name = name_part(text);
                // One capitalised word opening a sentence ("Passengers described …",
                // "Both were said …") that the entity tagger did not take for a name
                // is a common word: unresolved, unless an earlier fuller name ends
                // with it.
                let before = body[..src.start].trim_end();
                let opens_sentence = before.is_empty()
                    || before.ends_with(['.', '!', '?'])
                    || body[..src.start].ends_with('\n');
                let lone = !entities.is_empty()
                    && name.split_whitespace().count() == 1
                    && !known_names.iter().any(|k| k.ends_with(name));
                let common_word = opens_sentence && lone;
                if !name.is_empty() && !common_word {
                    let full = known_names
                        .iter()
                        .find(|k| k.len() > name.len() && k.ends_with(&format!(" {name}")))
                        .cloned()
                        .unwrap_or_else(|| name.to_string());
                    speaker = Some((
                        full,
                        name.split_whitespace().count() >= 2
                            || known_names.iter().any(|k| k.ends_with(name)),
                    ));
                }
            }
        }
        if let Some((sp, person)) = speaker {
            if person {
                if !known_names.contains(&sp) {
                    known_names.push(sp.clone());
                }
                last_person = Some(sp.clone());
            } else {
                last_group = Some(sp.clone());
            }
            let para = paragraph_of(body, whole.start);
            last_para_speaker = Some((para.end, sp.clone()));
            q.speaker = Some(sp);
        }
    }
}

/// Singular role nouns that name one person when capitalised words qualify them
/// ("Republican nominee", "GOP candidate", "White House spokesman").
const ROLES: &[&str] = &[
    "nominee",
    "candidate",
    "president",
    "leader",
    "governor",
    "senator",
    "mayor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "chairwoman",
    "secretary",
    "minister",
    "director",
    "ambassador",
    "commissioner",
    "executive",
    "adviser",
    "advisor",
    "aide",
    "manager",
    "attorney",
    "prosecutor",
    "judge",
    "chief",
    "congressman",
    "congresswoman",
    "lawmaker",
    "official",
];

/// The name in a source with an appositive or title: "Dr. Maria Okafor, chief
/// executive" → "Maria Okafor".
fn name_part(text: &str) -> &str {
    let head = text.split(',').next().unwrap_or(text).trim();
    let mut words = head;
    if let Ok(re) = title_re() {
        if let Some(m) = re.find(words) {
            if m.start() == 0 {
                words = &words[m.end()..];
            }
        }
    }
    words.trim()
}

fn title_re() -> Result<&'static Regex, ()> {
    static R: OnceLock<Regex> = OnceLock::new();
    Ok(R.get_or_init(|| Regex::new(&format!("^{TITLE}")).expect("title pattern compiles")))
}

/// Who is named around a quote, for resolving its speaker: the people mentioned
/// outside every quotation (a name inside a quote is someone spoken about), with
/// the gender their honorifics give ("Mr. Lind", "Ms. Masse").
struct Nearby<'a> {
    body: &'a str,
    sentences: &'a [Sentence],
    /// Person mentions outside quoted content, in text order; possessives ("Lind's
    /// deputy") are left out, since the sentence is about someone else.
    people: Vec<&'a Entity>,
    /// Organisation mentions, filtered as `people` are.
    groups: Vec<&'a Entity>,
    /// Canonical name to "he" or "she", from honorifics.
    gender: Vec<(&'a str, &'static str)>,
}

impl<'a> Nearby<'a> {
    fn new(
        body: &'a str,
        sentences: &'a [Sentence],
        entities: &'a [Entity],
        quotes: &[(Quote, Span)],
    ) -> Self {
        let named = |kind: EntityKind| -> Vec<&Entity> {
            entities
                .iter()
                .filter(|e| e.kind == kind)
                .filter(|e| !quotes.iter().any(|(q, _)| q.content.contains(e.span)))
                .filter(|e| {
                    let after = &body[e.span.end..];
                    !(after.starts_with("'s") || after.starts_with("\u{2019}s"))
                })
                .collect()
        };
        let (people, groups) = (named(EntityKind::Person), named(EntityKind::Org));
        let mut gender: Vec<(&str, &'static str)> = Vec::new();
        for e in entities.iter().filter(|e| e.kind == EntityKind::Person) {
            let before = body[..e.span.start].trim_end();
            let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            let title = e.text.split_whitespace().next().unwrap_or("");
            let g = match (word, title) {
                ("Mr." | "Mr", _) | (_, "Mr." | "Mr") => "he",
                ("Ms." | "Ms" | "Mrs." | "Mrs" | "Miss", _)
                | (_, "Ms." | "Ms" | "Mrs." | "Mrs") => "she",
                _ => continue,
            };
            if !gender.iter().any(|(n, _)| *n == e.canonical) {
                gender.push((e.canonical.as_str(), g));
            }
        }
        Nearby {
            body,
            sentences,
            people,
            groups,
            gender,
        }
    }

    /// Whether `name` can be "he" or "she" (`pronoun`): yes unless an honorific says
    /// otherwise.
    fn agrees(&self, name: &str, pronoun: &str) -> bool {
        self.gender
            .iter()
            .find(|(n, _)| *n == name)
            .is_none_or(|(_, g)| *g == pronoun)
    }

    /// The person "he" or "she" at `pos` stands for. The last speaker, unless the
    /// pronoun's own sentence or the one before it (same paragraph) names other
    /// people and not them: then the first of those named in the nearer sentence,
    /// the subject as a rule ("Lind's deputy, Petra Oyelaran, struck a softer tone.
    /// “…,” she said." is Oyelaran even when Ingrid Masse spoke last).
    fn pronoun(&self, pronoun: &str, pos: usize, last: Option<&str>) -> Option<String> {
        let last = last.filter(|l| self.agrees(l, pronoun));
        let local = self.named_before(pos, pronoun);
        match (last, local) {
            (Some(l), Some(names)) if names.contains(&l) => Some(l.to_string()),
            (_, Some(names)) => names.first().map(|n| n.to_string()),
            (Some(l), None) => Some(l.to_string()),
            (None, None) => self
                .people
                .iter()
                .filter(|e| e.span.end <= pos && pos - e.span.end < 600)
                .filter(|e| self.agrees(&e.canonical, pronoun))
                .max_by_key(|e| e.span.end)
                .map(|e| e.canonical.clone()),
        }
    }

    /// The people (agreeing with `pronoun`) named before `pos` in its sentence, or
    /// else in the sentence before it in the same paragraph.
    fn named_before(&self, pos: usize, pronoun: &str) -> Option<Vec<&'a str>> {
        self.mentioned_before(pos, &self.people, |name| self.agrees(name, pronoun))
    }

    /// "It" or "they" at `pos`: an organisation named before it in its sentence
    /// or the one before (the last speaker among them if they are), else the last
    /// speaker that was not a person. Never a person: "it said" is not Ms. Masse.
    fn collective(&self, pos: usize, last: Option<&str>) -> Option<String> {
        match (last, self.mentioned_before(pos, &self.groups, |_| true)) {
            (Some(l), Some(names)) if names.contains(&l) => Some(l.to_string()),
            (_, Some(names)) => names.first().map(|n| n.to_string()),
            (last, None) => last.map(str::to_string),
        }
    }

    /// The canonical names among `mentions` (those `keep` accepts) before `pos` in
    /// its sentence, or else in the sentence before it in the same paragraph.
    fn mentioned_before(
        &self,
        pos: usize,
        mentions: &[&'a Entity],
        keep: impl Fn(&str) -> bool,
    ) -> Option<Vec<&'a str>> {
        let k = self
            .sentences
            .iter()
            .position(|s| s.span.start <= pos && pos < s.span.end.max(s.span.start + 1))?;
        let here = &self.sentences[k];
        let mut spans = vec![Span::new(here.span.start, pos)];
        if let Some(prev) = k.checked_sub(1).map(|j| &self.sentences[j]) {
            if prev.paragraph == here.paragraph {
                spans.push(prev.span);
            }
        }
        spans.into_iter().find_map(|span| {
            let names: Vec<&str> = mentions
                .iter()
                .filter(|e| span.contains(e.span) && keep(&e.canonical))
                .map(|e| e.canonical.as_str())
                .collect();
            (!names.is_empty()).then_some(names)
        })
    }

    /// A person named right after the quote `content` closes, in the same sentence,
    /// with at most a comma, a dash and a title or two in between ("“…,” Mayor
    /// Oskar Lind fumed").
    fn named_after(&self, content: Span) -> Option<String> {
        let e = self.people.iter().find(|e| e.span.start >= content.end)?;
        let gap = &self.body[content.end..e.span.start];
        let words = gap
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split_whitespace()
            .count();
        let closes = gap.chars().next().is_some_and(|c| {
            matches!(
                c,
                '"' | '\''
                    | '\u{201d}'
                    | '\u{2019}'
                    | '\u{bb}'
                    | '\u{201c}'
                    | ','
                    | '.'
                    | '?'
                    | '!'
                    | '-'
                    | '\u{2014}'
                    | '\u{2013}'
            )
        });
        let gap_words_are_titles = gap
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        // A quote that ends its sentence ("“We are ready.” Lind arrived later.") is
        // not attributed by the name after it.
        let ends_sentence = self.body[content.start..content.end]
            .trim_end()
            .ends_with('.')
            || gap.contains('.');
        (closes
            && !ends_sentence
            && words <= 2
            && gap_words_are_titles
            && !gap.contains('\n')
            && gap.len() < 40)
            .then(|| e.canonical.clone())
    }

    /// Whether the paragraph holding `content` names a person, outside every quote,
    /// other than `speaker`.
    fn others_in_paragraph(&self, content: Span, speaker: Option<&String>) -> bool {
        let para = paragraph_of(self.body, content.start);
        self.people
            .iter()
            .any(|e| para.contains(e.span) && speaker.is_none_or(|s| *s != e.canonical))
    }
}

/// "the chief executive" → the person an earlier sentence called "chief executive"
/// ("Maria Okafor, chief executive of …" or "chief executive Maria Okafor"); "a
/// spokesperson for X" → X when X is an organisation entity or a capitalised name.
fn resolve_nominal(
    body: &str,
    text: &str,
    pos: usize,
    known: &[String],
    entities: &[Entity],
) -> Option<(String, bool)> {
    let lower = text.to_lowercase();
    let rest = lower.split_once(' ').map(|x| x.1).unwrap_or("");
    // "a spokesperson for Carrow Link Ferries": the organisation speaks.
    for prep in [" for ", " of ", " at ", " from "] {
        if let Some(k) = text.find(prep) {
            let org = text[k + prep.len()..]
                .trim()
                .trim_start_matches("the ")
                .trim();
            if org.chars().next().is_some_and(|c| c.is_uppercase()) {
                let org = org.split(',').next().unwrap_or(org).trim();
                let canon = entities
                    .iter()
                    .find(|e| e.text == org || e.canonical == org)
                    .map(|e| e.canonical.clone())
                    .unwrap_or_else(|| org.to_string());
                return Some((canon, false));
            }
        }
    }
    // "the Kremlin"-style: a determiner before a capitalised name ("the Republican
    // nominee" is a role, below).
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() >= 2 && looks_like_name(&words[1..].join(" ")) {
        return Some((words[1..].join(" "), false));
    }
    let title = rest.trim();
    if title.len() < 4 {
        return None;
    }
    let before = &body[..pos];
    if let Some(found) = person_near_title(before, title, &[], known, entities) {
        return Some(found);
    }
    // "the Republican nominee" after "Republican presidential nominee Donald Trump":
    // the role word next to a name, its qualifiers among the words before it.
    let role: Vec<&str> = title.split_whitespace().collect();
    match role.split_last() {
        Some((head, qualifiers)) if !qualifiers.is_empty() && ROLES.contains(head) => {
            person_near_title(before, head, qualifiers, known, entities)
        }
        _ => None,
    }
}

/// The person the last mention of `title` (lower case) in `before` introduces, next
/// to their name, looking further back until one is found; with `qualifiers`, only a
/// mention with every one of them among the three words before it counts
/// ("Republican presidential nominee Donald Trump" for "nominee", ["republican"]).
fn person_near_title(
    before: &str,
    title: &str,
    qualifiers: &[&str],
    known: &[String],
    entities: &[Entity],
) -> Option<(String, bool)> {
    let lb = before.to_lowercase();
    let mut search_end = lb.len();
    while let Some(k) = lb[..search_end].rfind(title) {
        search_end = k;
        // Offsets of `lb` used on `before` only where lower-casing kept the length.
        if lb.len() != before.len() || !before.is_char_boundary(k) {
            return None;
        }
        let qualified = qualifiers.is_empty() || {
            let lo = floor_boundary(before, k.saturating_sub(40));
            let words: Vec<&str> = lb
                .get(lo..k)
                .unwrap_or("")
                .split_whitespace()
                .rev()
                .take(3)
                .collect();
            qualifiers.iter().all(|q| words.contains(q))
        };
        if !qualified {
            continue;
        }
        let end = (k + title.len()).min(before.len());
        // The title must introduce the name, next to it: "chief executive Maria
        // Okafor", "Maria Okafor, the chief executive", not merely stand near one
        // ("the Democratic candidate's call came after rival NAME").
        let introduces = |start: usize, stop: usize| {
            if stop <= k {
                before.get(stop..k).is_some_and(|gap| {
                    let gap = gap.trim_matches(|c: char| c == ',' || c.is_whitespace());
                    gap.len() <= 12
                        && gap.split(|c: char| c == ',' || c.is_whitespace()).all(|w| {
                            w.is_empty()
                                || matches!(w, "the" | "a" | "an")
                                || w.chars().all(|c| c.is_ascii_digit())
                        })
                })
            } else {
                start >= end
                    && before.get(end..start).is_some_and(|gap| {
                        gap.len() <= 3 && gap.chars().all(|c| c == ',' || c.is_whitespace())
                    })
            }
        };
        if let Some(e) = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person && introduces(e.span.start, e.span.end))
            .min_by_key(|e| e.span.start.abs_diff(k))
        {
            return Some((e.canonical.clone(), true));
        }
        let lo = floor_boundary(before, k.saturating_sub(60));
        let hi = floor_boundary(before, end.saturating_add(60).min(before.len()));
        if let Some(n) = known
            .iter()
            .filter_map(|n| {
                let at = lo + before[lo..hi].find(n.as_str())?;
                introduces(at, at + n.len()).then_some((at, n))
            })
            .min_by_key(|(at, _)| at.abs_diff(k))
        {
            return Some((n.1.clone(), true));
        }
    }
    None
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::Span;

    fn q<'a>(body: &'a str, qs: &'a [Quote], needle: &str) -> &'a Quote {
        qs.iter()
            .find(|q| body[q.content.start..q.content.end].contains(needle))
            .unwrap_or_else(|| panic!("no quote with {needle:?} in {qs:#?}"))
    }
    fn t(body: &str, s: Option<Span>) -> &str {
        s.map(|s| &body[s.start..s.end]).unwrap_or("")
    }
    fn ent(body: &str, text: &str, canonical: &str, kind: EntityKind) -> Vec<Entity> {
        body.match_indices(text)
            .map(|(i, _)| Entity {
                span: Span::new(i, i + text.len()),
                text: text.into(),
                kind,
                canonical: canonical.into(),
            })
            .collect()
    }

    #[test]
    fn multi_sentence_doubled_apostrophe_and_dash_quotes() {
        let body = "\u{201c}The pier is closed. It will reopen in May,\u{201d} Okafor said.\n\n''The fares stay the same,'' said Tomas Brandt, the operator. ''Nobody pays more,'' Ms. Rees said.\n\n\u{201c}The crossing felt safe to me.\u{201d} \u{2015} Jana Novak\n\n\u{201c}We need the ferry back,\u{201d} Rep. Ann Lowe (D-Md.) said Friday.";
        let qs = find_by_rules(body, &[], &[]);
        let a = q(body, &qs, "reopen in May");
        assert_eq!(t(body, a.source), "Okafor");
        let b = q(body, &qs, "fares stay");
        assert_eq!(t(body, Some(b.content)), "The fares stay the same,");
        assert_eq!(t(body, b.source), "Tomas Brandt, the operator");
        let c = q(body, &qs, "Nobody pays");
        assert_eq!(t(body, c.source), "Ms. Rees");
        let d = q(body, &qs, "felt safe");
        assert_eq!(t(body, d.cue), "\u{2015}");
        assert_eq!(t(body, d.source), "Jana Novak");
        let e = q(body, &qs, "ferry back");
        assert_eq!(t(body, e.source), "Rep. Ann Lowe (D-Md.)");
    }

    #[test]
    fn group_sources_and_participles() {
        let body = "Several harbour officials said the pier would reopen in May. The inquiry was delayed, sources said. The mayor said the pier was safe, adding that repairs would start soon.";
        let qs = find_by_rules(body, &crate::sentences::split(body), &[]);
        let a = q(body, &qs, "reopen in May");
        assert_eq!(t(body, a.source), "Several harbour officials");
        let b = q(body, &qs, "inquiry was delayed");
        assert_eq!(t(body, b.source), "sources");
        let c = qs
            .iter()
            .find(|x| t(body, x.cue) == "adding")
            .expect("participle report");
        assert_eq!(t(body, Some(c.content)), "repairs would start soon");
        assert_eq!(t(body, c.cue), "adding");
        assert_eq!(t(body, c.source), "The mayor");
    }

    #[test]
    fn odd_input_does_not_panic() {
        for body in [
            "''",
            "'' ''",
            "\u{201c}",
            "a, saying",
            "\u{2015} X",
            "x ''\u{e9}'' y",
            "(R-",
            "said",
        ] {
            let sents = crate::sentences::split(body);
            let _ = find_by_rules(body, &sents, &[]);
        }
    }

    #[test]
    fn direct_after_and_before() {
        let body = "\u{201c}The ferry is fully insured,\u{201d} Okafor said.\n\n\"We will rebuild the pier,\" said Maria Okafor, chief executive of the Harbour Authority.\n\nTomas Brandt said: \"Nobody was hurt.\"";
        let qs = find_by_rules(body, &[], &[]);
        let a = q(body, &qs, "fully insured");
        assert_eq!(t(body, Some(a.content)), "The ferry is fully insured,");
        assert_eq!(t(body, a.cue), "said");
        assert_eq!(t(body, a.source), "Okafor");
        assert_eq!(a.kind, QuoteKind::Direct);
        let b = q(body, &qs, "rebuild");
        assert_eq!(
            t(body, b.source),
            "Maria Okafor, chief executive of the Harbour Authority"
        );
        assert_eq!(b.speaker.as_deref(), Some("Maria Okafor"));
        // The bare surname of the first quote maps to the fuller name only when seen
        // before; here it came first, so it stays "Okafor".
        assert_eq!(a.speaker.as_deref(), Some("Okafor"));
        let c = q(body, &qs, "Nobody");
        assert_eq!(t(body, Some(c.content)), "Nobody was hurt.");
        assert_eq!(t(body, c.source), "Tomas Brandt");
        assert_eq!(c.speaker.as_deref(), Some("Tomas Brandt"));
    }

    #[test]
    fn pronoun_and_split_quotes() {
        let body = "Maria Okafor, chief executive of the Harbour Authority, said the pier would reopen.\n\n\u{201c}It was a long night,\u{201d} she told reporters, \u{201c}but the crews were superb.\u{201d}\n\n\u{201c}We owe them,\u{201d} the chief executive added.";
        let ents = ent(body, "Maria Okafor", "Maria Okafor", EntityKind::Person);
        let qs = find_by_rules(body, &[], &ents);
        let ind = q(body, &qs, "pier would reopen");
        assert_eq!(ind.kind, QuoteKind::Indirect);
        assert_eq!(t(body, Some(ind.content)), "the pier would reopen");
        assert_eq!(ind.speaker.as_deref(), Some("Maria Okafor"));
        let a = q(body, &qs, "long night");
        let b = q(body, &qs, "crews were superb");
        assert_eq!(t(body, a.cue), "told reporters");
        assert_eq!(a.cue, b.cue);
        assert_eq!(t(body, a.source), "she");
        assert_eq!(a.speaker.as_deref(), Some("Maria Okafor"));
        assert_eq!(b.speaker.as_deref(), Some("Maria Okafor"));
        let c = q(body, &qs, "owe them");
        assert_eq!(t(body, c.source), "the chief executive");
        assert_eq!(c.speaker.as_deref(), Some("Maria Okafor"));
    }

    fn people(body: &str, names: &[&str]) -> Vec<Entity> {
        let mut e: Vec<Entity> = names
            .iter()
            .flat_map(|n| ent(body, n, n, EntityKind::Person))
            .collect();
        e.sort_by_key(|e| e.span.start);
        e
    }

    #[test]
    fn pronoun_takes_the_person_just_named_over_the_last_speaker() {
        let body = "\"We will appeal,\" said Ingrid Masse, a spokeswoman for the company.\n\nThe mayor's deputy, Petra Oyelaran, struck a softer tone. \"We need the jobs,\" she said.\n\n\"The port is our future,\" she added.";
        let ents = people(body, &["Ingrid Masse", "Petra Oyelaran"]);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        assert_eq!(
            q(body, &qs, "appeal").speaker.as_deref(),
            Some("Ingrid Masse")
        );
        assert_eq!(
            q(body, &qs, "the jobs").speaker.as_deref(),
            Some("Petra Oyelaran")
        );
        // Nobody new is named: the pronoun stays with the last speaker.
        assert_eq!(
            q(body, &qs, "our future").speaker.as_deref(),
            Some("Petra Oyelaran")
        );
    }

    #[test]
    fn pronoun_keeps_the_last_speaker_when_named_beside_others_or_gender_disagrees() {
        let body = "\"The fine is unfair,\" said Ms. Masse.\n\nMasse said Mr. Lind had never visited the basin. \"He should come and see it,\" she said.";
        let ents = people(body, &["Masse", "Lind"]);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        assert_eq!(
            q(body, &qs, "come and see").speaker.as_deref(),
            Some("Masse")
        );
        let body = "\"The fine is unfair,\" said Ms. Masse.\n\nMr. Lind did not reply. \"It stands,\" she said.";
        let ents = people(body, &["Masse", "Lind"]);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        assert_eq!(q(body, &qs, "It stands").speaker.as_deref(), Some("Masse"));
    }

    #[test]
    fn it_is_an_organisation_never_a_person() {
        let body = "\"We will appeal,\" said Ingrid Masse.\n\nThe Port Alder Harbour Authority rejected the appeal on Friday. \"The fine stands,\" it said.\n\n\"The fine is unfair,\" said Ingrid Masse. \"We will see about that,\" it added.";
        let mut ents = people(body, &["Ingrid Masse"]);
        ents.extend(ent(
            body,
            "Port Alder Harbour Authority",
            "Port Alder Harbour Authority",
            EntityKind::Org,
        ));
        ents.sort_by_key(|e| e.span.start);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        let authority = Some("Port Alder Harbour Authority");
        assert_eq!(q(body, &qs, "fine stands").speaker.as_deref(), authority);
        assert_eq!(q(body, &qs, "see about that").speaker.as_deref(), authority);
        let body = "\"We will appeal,\" said Ingrid Masse. \"The decision is final,\" it said.";
        let ents = people(body, &["Ingrid Masse"]);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        assert_eq!(q(body, &qs, "is final").speaker, None);
    }

    #[test]
    fn a_qualified_role_is_the_person_it_introduced_and_a_group_is_no_speaker() {
        let body = "Republican presidential nominee Oskar Lind toured Dunmere on Friday, and Democratic nominee Ada Voss stayed in Port Elsby.\n\n\"We will win this valley,\" the Republican nominee said.\n\nSeveral residents said the dam must go.";
        let ents = people(body, &["Oskar Lind", "Ada Voss"]);
        let qs = find_by_rules(body, &crate::sentences::split(body), &ents);
        assert_eq!(
            q(body, &qs, "win this valley").speaker.as_deref(),
            Some("Oskar Lind")
        );
        let g = q(body, &qs, "dam must go");
        assert_eq!(t(body, g.source), "Several residents");
        assert_eq!(g.speaker, None);
    }

    #[test]
    fn unattributed_quote_is_not_handed_to_the_previous_speaker() {
        // A cue the tagger does not take ("fumed"), but the name after the closing
        // mark is the speaker; and the paragraph after continues that speaker.
        let body = "\"We will appeal,\" said Ingrid Masse.\n\n\"This is a scandal for the harbour,\" Mayor Oskar Lind fumed.\n\n\"Nobody in this town will forget what happened to the basin this autumn.\"";
        let ents = people(body, &["Ingrid Masse", "Oskar Lind"]);
        let qs = find(body, &crate::sentences::split(body), &ents);
        assert_eq!(
            q(body, &qs, "scandal").speaker.as_deref(),
            Some("Oskar Lind")
        );
        assert_eq!(
            q(body, &qs, "Nobody in this town").speaker.as_deref(),
            Some("Oskar Lind")
        );
        // A quote that ends its sentence is not attributed by the name after it, and
        // with another person named beside it, it is left unresolved.
        let body = "\"We will appeal,\" said Ingrid Masse.\n\n\"The harbour will recover from this spill in time for the summer season.\" Oskar Lind arrived an hour later.";
        let ents = people(body, &["Ingrid Masse", "Oskar Lind"]);
        let qs = find(body, &crate::sentences::split(body), &ents);
        assert_eq!(q(body, &qs, "recover").speaker, None);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        let body = "The passengers' luggage wasn't lost, and the crew's 'quick thinking' helped. She said 'we don't give up' at the pier.";
        let qs = find_by_rules(body, &[], &[]);
        assert!(qs
            .iter()
            .all(|q| !t(body, Some(q.content)).contains("luggage wasn")));
        let m = q(body, &qs, "give up");
        assert_eq!(m.kind, QuoteKind::Mixed);
    }

    #[test]
    fn indirect_forms_and_mixed() {
        let body = "Okafor said the ferry was \u{201c}fully insured\u{201d} and would sail again.\n\nThe council warned that fares could rise. The repairs will take a month, according to Tomas Brandt. According to the harbour master, the tide was unusually high.";
        let qs = find_by_rules(body, &[], &[]);
        let m = q(body, &qs, "fully insured");
        assert_eq!(m.kind, QuoteKind::Mixed);
        assert_eq!(
            t(body, Some(m.content)),
            "the ferry was \u{201c}fully insured\u{201d} and would sail again"
        );
        assert_eq!(m.speaker.as_deref(), Some("Okafor"));
        let w = q(body, &qs, "fares could rise");
        assert_eq!(t(body, Some(w.content)), "that fares could rise");
        assert_eq!(t(body, w.cue), "warned");
        assert_eq!(t(body, w.source), "The council");
        let a = q(body, &qs, "repairs will take");
        assert_eq!(t(body, Some(a.content)), "The repairs will take a month");
        assert_eq!(t(body, a.cue), "according to");
        assert_eq!(a.speaker.as_deref(), Some("Tomas Brandt"));
        let b = q(body, &qs, "tide was");
        assert_eq!(t(body, Some(b.content)), "the tide was unusually high");
        assert_eq!(t(body, b.source), "the harbour master");
        assert_eq!(b.speaker, None);
    }

    #[test]
    fn multi_paragraph_and_org_speaker() {
        let body = "A spokesperson for Carrow Link Ferries said: \u{201c}The vessel left on time.\n\n\u{201c}The crew followed every procedure we have.\u{201d}\n\n\u{201c}Fares stay the same,\u{201d} the Kremlin said.";
        let ents = ent(
            body,
            "Carrow Link Ferries",
            "Carrow Link Ferries",
            EntityKind::Org,
        );
        let qs = find_by_rules(body, &[], &ents);
        let a = q(body, &qs, "left on time");
        assert!(t(body, Some(a.content)).ends_with("every procedure we have."));
        assert_eq!(a.speaker.as_deref(), Some("Carrow Link Ferries"));
        let k = q(body, &qs, "Fares stay");
        assert_eq!(k.speaker.as_deref(), Some("Kremlin"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for body in [
            "\"",
            "“",
            "'",
            "„x",
            "said",
            "\"a\" said",
            "é\u{201d} she said \u{201c}",
            "according to",
            ", said X.",
            "\n\n\"\n\n\"",
        ] {
            let _ = find_by_rules(body, &[], &[]);
            let sents = [Sentence {
                span: Span::new(0, body.len()),
                paragraph: 0,
            }];
            let _ = find_by_rules(body, &sents, &[]);
        }
    }
}

#[cfg(test)]
mod fuzz {
    /// Pseudo-random strings of quote marks, apostrophes, cue words, names and
    /// multi-byte characters: neither finder may panic or return a span off a char
    /// boundary.
    #[test]
    fn random_text_never_panics() {
        let atoms = [
            "\u{201c}",
            "\u{201d}",
            "\"",
            "'",
            "\u{2018}",
            "\u{2019}",
            "\u{ab}",
            "\u{bb}",
            "\u{201e}",
            " said ",
            " she ",
            "Okafor",
            " according to ",
            ", ",
            ". ",
            "\n\n",
            ":",
            "\u{e9}t\u{e9}",
            " on Saturday",
            " 8 a.m.",
            " last week",
            " three days ago",
            " the ",
            "Nov. 14",
            " told reporters that ",
        ];
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(x % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(atoms[(x % atoms.len() as u64) as usize]);
            }
            let sents = crate::sentences::split(&s);
            for q in super::find(&s, &sents, &[]) {
                for sp in [Some(q.content), q.cue, q.source].into_iter().flatten() {
                    assert!(
                        sp.start <= sp.end && s.get(sp.start..sp.end).is_some(),
                        "{s:?}"
                    );
                }
            }
            for t in crate::times::find(&s, &sents, chrono::NaiveDate::from_ymd_opt(2026, 11, 14)) {
                assert!(s.get(t.span.start..t.span.end).is_some(), "{s:?}");
            }
        }
    }
}

#[cfg(test)]
mod tagged {
    //! The trained tagger (the embedded model) on invented news text.
    use super::*;
    use crate::entities::EntityTagger;

    fn run(body: &str) -> Vec<Quote> {
        let sents = crate::sentences::split(body);
        let ents = EntityTagger::new().tag(body, &sents);
        find(body, &sents, &ents)
    }
    fn t(body: &str, s: Option<Span>) -> &str {
        s.map(|s| &body[s.start..s.end]).unwrap_or("")
    }
    fn q<'a>(body: &str, qs: &'a [Quote], needle: &str) -> &'a Quote {
        qs.iter()
            .find(|q| body[q.content.start..q.content.end].contains(needle))
            .unwrap_or_else(|| panic!("no quote with {needle:?} in {qs:#?}"))
    }

    /// Readers' quotes signed with a dash after the closing mark, as a letters page or
    /// a pull quote prints them; one opens with a closing mark typed the wrong way.
    #[test]
    fn a_dash_and_a_name_after_a_quote_are_its_cue_and_source() {
        let body = "Readers told us what the ferry means to them.\n\n\u{201c}The crossing felt safe to me, and the crew knew every child by name.\u{201d} \u{2015} Jana Novak\n\u{201c}We need the ferry back before the winter storms.\u{201d}- Tomas Brandt.\n\u{201d}Fares must stay low for the islanders.\u{201d} \u{2014} Ida Venholt\n";
        let qs = run(body);
        let novak = q(body, &qs, "crossing felt safe");
        assert_eq!(t(body, novak.cue), "\u{2015}");
        assert_eq!(t(body, novak.source), "Jana Novak");
        let brandt = q(body, &qs, "ferry back");
        assert_eq!(t(body, brandt.cue), "-");
        assert_eq!(t(body, brandt.source), "Tomas Brandt");
        let venholt = q(body, &qs, "Fares must stay low");
        assert_eq!(venholt.kind, QuoteKind::Direct);
        assert_eq!(t(body, venholt.source), "Ida Venholt");
    }

    #[test]
    fn the_embedded_model_loads() {
        assert!(tagger::shared().is_some(), "quotes-polnear.bin.gz loads");
    }

    #[test]
    fn direct_indirect_and_according_to() {
        let body = "Maria Okafor, the chief executive of the Harbour Authority, said on Tuesday that the pier would reopen in May.\n\n\u{201c}We owe the crews a great deal,\u{201d} Okafor told reporters.\n\nThe repairs will cost about $4 million, according to Tomas Brandt, the city engineer.";
        let qs = run(body);
        let a = q(body, &qs, "pier would reopen");
        assert_eq!(a.kind, QuoteKind::Indirect);
        assert_eq!(t(body, a.cue), "said");
        assert!(t(body, a.source).contains("Maria Okafor"), "{a:?}");
        assert_eq!(a.speaker.as_deref(), Some("Maria Okafor"));
        let b = q(body, &qs, "owe the crews");
        assert_eq!(b.kind, QuoteKind::Direct);
        assert_eq!(t(body, Some(b.content)), "We owe the crews a great deal,");
        assert_eq!(t(body, b.source), "Okafor");
        assert_eq!(b.speaker.as_deref(), Some("Maria Okafor"));
        let c = q(body, &qs, "repairs will cost");
        assert_eq!(t(body, c.cue), "according to");
        assert_eq!(c.speaker.as_deref(), Some("Tomas Brandt"));
    }

    #[test]
    fn a_common_word_opening_a_sentence_is_no_speaker() {
        let body = "Commuters said the trains were late again on Monday. Ines Calder, who runs the line, said the signals had failed.";
        let qs = run(body);
        let a = q(body, &qs, "trains were late");
        assert_eq!(t(body, a.source), "Commuters");
        assert_eq!(a.speaker, None);
        let b = q(body, &qs, "signals had failed");
        assert_eq!(b.speaker.as_deref(), Some("Ines Calder"));
    }

    #[test]
    fn pronoun_speakers_and_several_reports() {
        let body = "Governor Ellen Marsh defended the new toll on Monday. She said the money would go to the bridge fund, and she warned that delays would cost more.\n\n\u{201c}Nobody likes a toll,\u{201d} she said. \u{201c}But nobody likes a closed bridge either.\u{201d}";
        let qs = run(body);
        let a = q(body, &qs, "money would go");
        assert_eq!(t(body, a.source), "She");
        assert_eq!(a.speaker.as_deref(), Some("Ellen Marsh"));
        let b = q(body, &qs, "delays would cost");
        assert_eq!(t(body, b.cue), "warned");
        let c = q(body, &qs, "Nobody likes a toll");
        assert_eq!(c.kind, QuoteKind::Direct);
        assert_eq!(c.speaker.as_deref(), Some("Ellen Marsh"));
    }
}
