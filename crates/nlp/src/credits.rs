//! Credits: outlets named as a source of the report.
//!
//! Two jobs:
//! - [`CreditFinder::split_credit_lines`] (extract stage) takes standalone credit lines
//!   out of the body: "Reuters contributed to this report.", "This post appeared first
//!   on X", "(Reporting by …; Editing by …)", "— With agencies", "Additional reporting by
//!   Reuters". They are data about the article, not its content.
//! - [`CreditFinder::find_in_text`] (analyze stage) finds credits inside the text, with
//!   spans: "The Coastline Post reported", "according to Axios", "according to a
//!   translation by X", wire datelines ("MOSCOW (Reuters) -", "(AP) —") and "— AFP"
//!   sign-offs.
//!
//! Only news outlets are credits: "the Kremlin said" or "according to the ministry" is
//! attribution to a source, handled by the quote finder, not a credit. A name is an
//! outlet when it is (1) in the curated list `data/outlets.tsv` (see `data/README.md`),
//! or (2) shaped like a publication: two or more capitalised words ending (or, for
//! Radio/TV/Daily, starting) with an outlet head word (Times, Post, News, Herald, …), or
//! (3) in a structural position only an outlet takes: the parentheses of a wire dateline,
//! or "This post appeared first on X".
use std::collections::HashMap;
use std::sync::OnceLock;

use parallax_core::{Credit, CreditKind, Entity, Sentence, Span};
use regex::Regex;

/// The curated outlet list, embedded so the crate needs no files at run time.
const OUTLETS_TSV: &str = include_str!("../data/outlets.tsv");

/// Last words that make a capitalised name a publication ("Northgate News").
const HEAD_LAST: &[&str] = &[
    "times",
    "post",
    "news",
    "daily",
    "courier",
    "herald",
    "tribune",
    "journal",
    "gazette",
    "press",
    "chronicle",
    "telegraph",
    "observer",
    "monitor",
    "wire",
    "radio",
    "tv",
    "television",
    "broadcasting",
    "magazine",
    "review",
    "newspaper",
    "dispatch",
    "inquirer",
    "examiner",
    "sentinel",
    "bulletin",
    "mail",
    "standard",
    "register",
    "globe",
    "star",
    "mercury",
    "newswire",
    "newsroom",
    "today",
    "weekly",
    "digest",
    "ledger",
    "express",
];

/// First words that make a name a publication ("Radio Valdoria", "Daily Harbour").
const HEAD_FIRST: &[&str] = &["radio", "tv", "television", "daily"];

/// "Agency" and "Network" name many non-outlets (the International Energy Agency, the
/// Tax Justice Network); they count only after a media word ("Meridian News Agency").
const MEDIA_BEFORE: &[&str] = &[
    "news",
    "press",
    "media",
    "broadcasting",
    "television",
    "information",
];

/// Words that are never part of an outlet name at its start when scanning backwards
/// from a cue ("Meanwhile Axios reported").
const CONNECTORS: &[&str] = &["of", "and", "&", "the", "de", "la", "el", "al"];

#[derive(Debug, Clone)]
struct OutletEntry {
    name: String,
    kind: String,
}

impl OutletEntry {
    /// A wire service or news agency: an outlet whose copy others run, so a line
    /// naming it says who supplied the report.
    fn is_agency(&self) -> bool {
        matches!(self.kind.as_str(), "wire" | "agency")
    }
}

/// Cheap reject for [`CreditFinder::product_credit`]: normalised titles are compared
/// only when the key of the headline is one of these lengths.
const MAX_PRODUCT_KEY: usize = 200;

pub struct CreditFinder {
    /// Normalised key (see [`key`]) of every name and alias → entry.
    by_key: HashMap<String, usize>,
    /// Domain → entry.
    by_domain: HashMap<String, usize>,
    entries: Vec<OutletEntry>,
    /// Normalised title (see [`key`]) of a recurring product of a wire → entry: the
    /// fifth column of the outlet list ("10 Things to Know for Today" is AP's).
    products: HashMap<String, usize>,
    dateline: Regex,
    reporting_signoff: Regex,
    additional: Regex,
    contributed: Regex,
    with_agencies: Regex,
    source_label: Regex,
    first_appeared: Regex,
    dash_signoff: Regex,
    reported_cue: Regex,
    according_to: Regex,
    citing: Regex,
}

/// A lookup key: lower case, no leading "the", letters and digits only, so "The
/// Associated Press", "associated press" and "ASSOCIATED PRESS" are one outlet.
fn key(name: &str) -> String {
    let n = name.trim().to_lowercase();
    let n = n.strip_prefix("the ").unwrap_or(&n);
    n.chars().filter(|c| c.is_alphanumeric()).collect()
}

impl CreditFinder {
    pub fn new() -> Self {
        let mut entries = Vec::new();
        let mut by_key = HashMap::new();
        let mut by_domain = HashMap::new();
        let mut product_keys = HashMap::new();
        for line in OUTLETS_TSV.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut f = line.split('\t');
            let name = f.next().unwrap_or("").trim();
            let aliases = f.next().unwrap_or("");
            let domain = f.next().unwrap_or("").trim();
            let kind = f.next().unwrap_or("").trim();
            let products = f.next().unwrap_or("");
            if name.is_empty() {
                continue;
            }
            let idx = entries.len();
            for title in products.split('|') {
                let k = key(title);
                if !k.is_empty() && k.len() <= MAX_PRODUCT_KEY {
                    product_keys.entry(k).or_insert(idx);
                }
            }
            entries.push(OutletEntry {
                name: name.to_string(),
                kind: kind.to_string(),
            });
            for n in std::iter::once(name).chain(aliases.split('|')) {
                let k = key(n);
                if !k.is_empty() {
                    by_key.entry(k).or_insert(idx);
                }
            }
            if !domain.is_empty() {
                by_domain.entry(domain.to_lowercase()).or_insert(idx);
            }
        }
        let re = |p: &str| Regex::new(p).expect("credit pattern compiles");
        CreditFinder {
            by_key,
            by_domain,
            entries,
            products: product_keys,
            // Place (upper-case or title-case words, commas, an optional date) then the
            // outlet in parentheses then a dash: "HEMPSTEAD, N.Y., Sept. 26 (UPI) —".
            dateline: re(
                r"^(?:[\p{Lu}\d][\p{L}\p{M}\d'’.\-/]*[ ,]*){0,8}?\((?P<o>[\p{Lu}][^()\n]{0,40}?)\)\s*(?:[-—–]{1,2}|:)\s",
            ),
            reporting_signoff: re(
                r"(?i)^\(\s*(?:additional\s+)?(?:reporting|writing)\s+by\b[^()]*\)\s*\.?$",
            ),
            additional: re(
                r"(?i)^\(?\s*additional\s+reporting\s+(?:by|from)\s+(?P<w>[^()]+?)\s*\)?\s*\.?$",
            ),
            contributed: re(
                r"(?i)^(?P<w>[^.!?]{2,200}?)\s+(?:also\s+)?contributed(?:\s+(?:reporting|research|writing))?(?:\s+(?:to|for)\s+(?:this|the)\s+(?:report|story|article|piece))?\s*\.?$",
            ),
            with_agencies: re(r"(?i)^[-—–]*\s*\(?with\s+(?P<w>[^()]{2,80}?)\)?\s*\.?$"),
            source_label: re(
                r"(?i)^(?:sources?|quellen?|fuentes?|[źz]r[óo]d[łl]o)\s*:\s*(?P<w>[^\n]{2,100}?)\s*\.?$",
            ),
            first_appeared: re(
                r"(?i)^(?:(?:this|the)\s+(?:post|article|story|piece|report|content|item)\s+(?:was\s+|has\s+)?(?:first\s+|originally\s+)?(?:appeared|published|ran|posted)|(?:first|originally)\s+(?:appeared|published|posted))\s+(?:first\s+|originally\s+)?(?:on|in|at|by|with)\s+(?P<o>[^\n]{2,120}?)\s*\.?$",
            ),
            dash_signoff: re(r"(?:^|\s)[-—–]{1,2}\s*(?P<o>[\p{Lu}][\p{L}.\- ]{1,40}?)\s*\.?$"),
            reported_cue: re(
                r"\b(?:(?:first|also|earlier|previously|later|had|has|have|was|were|exclusively)\s+)?(?:reported|reports|reporting|said\s+in\s+an?\s+(?:report|article|story|dispatch))\b",
            ),
            according_to: re(
                r"(?i)\baccording\s+to\s+(?:(?P<tr>an?\s+(?:English\s+)?translation\s+(?:by|from)\s+)|(?:an?\s+|the\s+)?(?:report|reports|reporting|story|article|dispatch|investigation|analysis)\s+(?:by|in|from|on)\s+)?",
            ),
            citing: re(r"\b(?:citing|cited\s+by|reported\s+by|first\s+reported\s+by)\s+"),
        }
    }

    /// Removes standalone credit lines ("Reuters contributed to this report.", "This post
    /// appeared first on X", "(Reporting by …; Editing by …)") from `body` and returns the
    /// cleaned body with those credits (span `None`).
    ///
    /// A paragraph (or a line of one) goes only when all of it is a credit line that
    /// names an outlet; a line crediting only people ("Ada Brook contributed to this
    /// report.") stays, since a credit must name an outlet. Kept paragraphs keep their
    /// text and the separators between them.
    pub fn split_credit_lines(&self, body: &str) -> (String, Vec<Credit>) {
        let mut credits = Vec::new();
        let paras = paragraph_ranges(body);
        // Kept pieces: for each paragraph, its kept lines.
        let mut kept: Vec<(usize, String)> = Vec::new();
        let mut changed = false;
        for (pi, &(ps, pe)) in paras.iter().enumerate() {
            let para = &body[ps..pe];
            if let Some(mut cs) = self.credit_line(para.trim()) {
                for c in &mut cs {
                    c.span = None;
                }
                credits.extend(cs);
                changed = true;
                continue;
            }
            // Line by line: a credit line at the end of a paragraph without a blank
            // line before it ("…said.\n(Reporting by …)").
            let lines: Vec<&str> = para.split('\n').collect();
            if lines.len() > 1 {
                let mut keep = Vec::new();
                for l in &lines {
                    match self.credit_line(l.trim()) {
                        Some(mut cs) => {
                            for c in &mut cs {
                                c.span = None;
                            }
                            credits.extend(cs);
                            changed = true;
                        }
                        None => keep.push(*l),
                    }
                }
                if keep.len() != lines.len() {
                    if !keep.is_empty() {
                        kept.push((pi, keep.join("\n")));
                    }
                    continue;
                }
            }
            kept.push((pi, para.to_string()));
        }
        if !changed {
            return (body.to_string(), credits);
        }
        let mut out = String::with_capacity(body.len());
        if let Some(&(first, _)) = kept.first() {
            if first == 0 {
                out.push_str(&body[..paras[0].0]);
            }
        }
        for (n, (pi, text)) in kept.iter().enumerate() {
            if n > 0 {
                let prev = kept[n - 1].0;
                if prev + 1 == *pi {
                    out.push_str(&body[paras[prev].1..paras[*pi].0]);
                } else {
                    out.push_str("\n\n");
                }
            }
            out.push_str(text);
        }
        (out, credits)
    }

    /// Credits inside the body text ("Axios reported", "according to X", a wire
    /// dateline), with spans.
    pub fn find_in_text(
        &self,
        body: &str,
        sentences: &[Sentence],
        _entities: &[Entity],
    ) -> Vec<Credit> {
        let mut out: Vec<Credit> = Vec::new();
        let paras = paragraph_ranges(body);
        // Wire datelines open one of the first paragraphs (after a headline or kicker).
        for &(ps, pe) in paras.iter().take(4) {
            let para = &body[ps..pe];
            if let Some(c) = self.dateline.captures(para) {
                let o = c.name("o").expect("group o");
                if let Some(name) = self.structural_outlet(o.as_str()) {
                    let all = c.get(0).expect("match");
                    let text = para[..all.end()].trim_end();
                    out.push(Credit {
                        outlet: name,
                        kind: CreditKind::Wire,
                        text: text.to_string(),
                        span: Some(Span::new(ps, ps + text.len())),
                    });
                    break;
                }
            }
        }
        // Credit lines that are still in the body, and "— AFP" sign-offs.
        for &(ps, pe) in &paras {
            let para = &body[ps..pe];
            let mut off = 0;
            for line in para.split('\n') {
                let t = line.trim();
                let lead = line.len() - line.trim_start().len();
                let span = Span::new(ps + off + lead, ps + off + lead + t.len());
                off += line.len() + 1;
                if let Some(cs) = self.credit_line(t) {
                    for mut c in cs {
                        c.span = Some(span);
                        out.push(c);
                    }
                }
            }
        }
        if let Some(&(ps, pe)) = paras.last() {
            let para = &body[ps..pe];
            if let Some(c) = self.dash_signoff.captures(para) {
                let o = c.name("o").expect("group o");
                if let Some(i) = self.lookup(o.as_str()) {
                    let e = &self.entries[i];
                    let all = c.get(0).expect("match");
                    let text = all.as_str().trim_start();
                    let start = ps + all.end() - text.len();
                    let whole = self.credit_line(para.trim()).is_some();
                    if !whole && e.is_agency() {
                        out.push(Credit {
                            outlet: e.name.clone(),
                            kind: CreditKind::Wire,
                            text: text.to_string(),
                            span: Some(Span::new(start, ps + all.end())),
                        });
                    }
                }
            }
        }
        // Reported-by and translation credits, sentence by sentence.
        for s in sentences {
            if !s.span.fits(body) {
                continue;
            }
            let text = &body[s.span.start..s.span.end];
            self.sentence_credits(text, s.span.start, &mut out);
        }
        out.sort_by_key(|c| c.span.map(|s| (s.start, s.end)));
        out.dedup_by(|a, b| a.span == b.span && a.outlet == b.outlet);
        out
    }

    /// The display name of a known news outlet, if `name` is one.
    pub fn outlet(&self, name: &str) -> Option<String> {
        let name = name
            .trim()
            .trim_end_matches(['.', ',', ';', ':'])
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .trim();
        if name.is_empty() {
            return None;
        }
        if let Some(i) = self.lookup(name) {
            return Some(self.entries[i].name.clone());
        }
        if looks_like_outlet(name) {
            return Some(display(name));
        }
        None
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        let k = key(name);
        if k.is_empty() {
            return None;
        }
        if let Some(&i) = self.by_key.get(&k) {
            return Some(i);
        }
        let d = name.trim().to_lowercase();
        let d = d.strip_prefix("www.").unwrap_or(&d);
        self.by_domain.get(d).copied()
    }

    /// An outlet named where only an outlet can stand (a dateline's parentheses, "This
    /// post appeared first on X"): any plausible name counts, listed or not.
    fn structural_outlet(&self, raw: &str) -> Option<String> {
        let name = raw
            .trim()
            .trim_end_matches(['.', ',', ';', ':', '!'])
            .trim_end_matches("'s website")
            .trim_end_matches("’s website")
            .trim();
        if name.is_empty() || name.chars().count() > 60 || name.split_whitespace().count() > 7 {
            return None;
        }
        if let Some(i) = self.lookup(name) {
            return Some(self.entries[i].name.clone());
        }
        // "Meridian Press via Northgate" and the like: only names, no clauses.
        if !name.chars().any(|c| c.is_alphabetic()) || name.contains(['(', ')', '"', '“']) {
            return None;
        }
        Some(display(name))
    }

    /// If `line` (trimmed) is entirely a credit line, the credits it carries (spans not
    /// set). `None` when it is not a credit line or names no outlet.
    pub fn credit_line(&self, line: &str) -> Option<Vec<Credit>> {
        if line.is_empty() || line.len() > 400 {
            return None;
        }
        let credit = |outlet: String, kind| Credit {
            outlet,
            kind,
            text: line.to_string(),
            span: None,
        };
        if self.reporting_signoff.is_match(line) {
            let lower = line.to_lowercase();
            // "(Reporting by …; Editing by …)" is Reuters' sign-off; a named outlet in
            // it ("Reporting by Reuters staff") wins.
            let mut cs: Vec<Credit> = self
                .outlets_in_list(line.trim_start_matches('(').trim_end_matches([')', '.']))
                .into_iter()
                .map(|o| credit(o, CreditKind::ContributedTo))
                .collect();
            if lower.contains("editing by") || lower.contains(';') || cs.is_empty() {
                cs.insert(0, credit("Reuters".to_string(), CreditKind::Wire));
            }
            return Some(cs);
        }
        if let Some(c) = self.additional.captures(line) {
            let cs: Vec<Credit> = self
                .outlets_in_list(&c["w"])
                .into_iter()
                .map(|o| credit(o, CreditKind::ContributedTo))
                .collect();
            return (!cs.is_empty()).then_some(cs);
        }
        if let Some(c) = self.first_appeared.captures(line) {
            return self
                .structural_outlet(&c["o"])
                .map(|o| vec![credit(o, CreditKind::FirstAppearedOn)]);
        }
        if let Some(c) = self.contributed.captures(line) {
            let cs: Vec<Credit> = self
                .outlets_in_list(&c["w"])
                .into_iter()
                .map(|o| credit(o, CreditKind::ContributedTo))
                .collect();
            return (!cs.is_empty()).then_some(cs);
        }
        if let Some(c) = self.with_agencies.captures(line) {
            let w = &c["w"];
            let parts = split_list(w);
            let mut cs = Vec::new();
            for p in &parts {
                let pl = p.to_lowercase();
                if matches!(
                    pl.as_str(),
                    "agencies" | "agency reports" | "wires" | "wire services" | "news agencies"
                ) {
                    cs.push(credit("agencies".to_string(), CreditKind::ContributedTo));
                } else if let Some(i) = self.lookup(p) {
                    cs.push(credit(
                        self.entries[i].name.clone(),
                        CreditKind::ContributedTo,
                    ));
                } else {
                    // "With love" or "With the support of …": every part must be an outlet.
                    return None;
                }
            }
            return (!cs.is_empty()).then_some(cs);
        }
        // "Source: AFP", "Quelle: dpa": the report came from the outlets named. Only
        // listed outlets count, since the same label names a table's or a chart's data
        // ("Source: Harbour Statistics Office").
        if let Some(c) = self.source_label.captures(line) {
            let mut cs = Vec::new();
            for p in split_list(&c["w"]) {
                let p = p.trim();
                let Some(i) = self
                    .lookup(p)
                    .or_else(|| p.split_once(['-', '/']).and_then(|(a, _)| self.lookup(a)))
                else {
                    continue;
                };
                let e = &self.entries[i];
                let kind = if e.is_agency() {
                    CreditKind::Wire
                } else {
                    CreditKind::ReportedBy
                };
                cs.push(credit(e.name.clone(), kind));
            }
            return (!cs.is_empty()).then_some(cs);
        }
        // A bare "— AFP" line.
        if line.starts_with(['-', '—', '–']) {
            let o = line
                .trim_start_matches(['-', '—', '–', ' '])
                .trim_end_matches('.');
            if let Some(i) = self.lookup(o) {
                if self.entries[i].is_agency() {
                    return Some(vec![credit(self.entries[i].name.clone(), CreditKind::Wire)]);
                }
            }
        }
        None
    }

    /// Outlets named in a list of contributors: "Reuters and AFP", "Associated Press
    /// writers Ada Brook and Tom Vell", "The Harbour Times staff".
    fn outlets_in_list(&self, w: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let w = w.trim();
        let wl = w.to_lowercase();
        if wl == "agencies" || wl == "news agencies" || wl == "wire services" {
            return vec!["agencies".to_string()];
        }
        let strip_role = |p: &str| -> String {
            let words: Vec<&str> = p.split_whitespace().collect();
            // Cut at the first role word: "Associated Press writer Ada Brook in Paris".
            let role = words.iter().position(|x| {
                matches!(
                    x.to_lowercase().trim_end_matches([',', ';']),
                    "staff"
                        | "writer"
                        | "writers"
                        | "reporter"
                        | "reporters"
                        | "correspondent"
                        | "correspondents"
                        | "journalist"
                        | "journalists"
                        | "photographer"
                        | "photographers"
                        | "videojournalist"
                        | "researcher"
                        | "researchers"
                        | "editor"
                        | "editors"
                )
            });
            match role {
                Some(r) if r > 0 => words[..r].join(" "),
                _ => p.to_string(),
            }
        };
        for part in split_list(w) {
            // "Ada Brook of the Harbour Times" / "Ada Brook for Reuters".
            let mut cands = vec![strip_role(&part)];
            for sep in [" of ", " for ", " from ", " at "] {
                if let Some((_, after)) = part.split_once(sep) {
                    cands.push(strip_role(after));
                }
            }
            for c in cands {
                let c = c.trim().trim_start_matches("the ").trim();
                if let Some(i) = self.lookup(c) {
                    push_unique(&mut out, self.entries[i].name.clone());
                    break;
                }
                if looks_like_outlet(c) {
                    push_unique(&mut out, display(c));
                    break;
                }
            }
        }
        out
    }

    /// Reported-by / translation-by credits in one sentence starting at `base`.
    fn sentence_credits(&self, text: &str, base: usize, out: &mut Vec<Credit>) {
        // "X reported", "X said in a report".
        for m in self.reported_cue.find_iter(text) {
            // Skip "told X" and "reported by X" (handled below), and nominal cues.
            let before = &text[..m.start()];
            if let Some((start, name)) = self.outlet_before(before) {
                // "…, the newspaper reported" has no name; require a direct adjacency
                // (only spaces, a comma or a possessive between name and cue).
                let between = &before[start + name.1..];
                if !between.trim().is_empty() && between.trim() != "," {
                    continue;
                }
                out.push(Credit {
                    outlet: name.0,
                    kind: CreditKind::ReportedBy,
                    text: text[start..m.end()].to_string(),
                    span: Some(Span::new(base + start, base + m.end())),
                });
            }
        }
        // "according to X", "according to a translation by X".
        for c in self.according_to.captures_iter(text) {
            let all = c.get(0).expect("match");
            let kind = if c.name("tr").is_some() {
                CreditKind::TranslationBy
            } else {
                CreditKind::ReportedBy
            };
            if let Some((len, name)) = self.outlet_after(&text[all.end()..]) {
                let end = all.end() + len;
                out.push(Credit {
                    outlet: name,
                    kind,
                    text: text[all.start()..end].to_string(),
                    span: Some(Span::new(base + all.start(), base + end)),
                });
            }
        }
        // "citing X", "reported by X".
        for m in self.citing.find_iter(text) {
            if let Some((len, name)) = self.outlet_after(&text[m.end()..]) {
                let end = m.end() + len;
                out.push(Credit {
                    outlet: name,
                    kind: CreditKind::ReportedBy,
                    text: text[m.start()..end].to_string(),
                    span: Some(Span::new(base + m.start(), base + end)),
                });
            }
        }
    }

    /// The outlet name that ends `before` (just before a cue): the longest run of
    /// capitalised words that is an outlet, preceded optionally by "the". Returns the
    /// byte start in `before` (including a lower-case "the") and (display, length of the
    /// name from that start).
    fn outlet_before(&self, before: &str) -> Option<(usize, (String, usize))> {
        let trimmed = before.trim_end();
        let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
        let words = word_spans(trimmed);
        // Walk back over the name's words.
        let mut first = words.len();
        while first > 0 {
            let (s, e) = words[first - 1];
            let w = &trimmed[s..e];
            let cap = w
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            let conn = CONNECTORS.contains(&w.to_lowercase().as_str()) && first < words.len();
            if cap || conn {
                first -= 1;
            } else {
                break;
            }
            if words.len() - first > 8 {
                break;
            }
        }
        // Longest suffix that is an outlet.
        for i in first..words.len() {
            let (s, _) = words[i];
            let w = &trimmed[s..words[i].1];
            if CONNECTORS.contains(&w.to_lowercase().as_str()) && !w.starts_with("The") {
                continue;
            }
            let cand = &trimmed[s..];
            let cand = strip_possessive(cand);
            if let Some(name) = self.outlet(cand) {
                // Include a lower-case "the" right before in the span.
                let mut start = s;
                if i > 0 && &trimmed[words[i - 1].0..words[i - 1].1] == "the" {
                    start = words[i - 1].0;
                }
                return Some((start, (name, trimmed.len() - start)));
            }
        }
        None
    }

    /// The outlet name that starts `after` (after "according to"): optional "the",
    /// then the longest run of capitalised words that is an outlet. Returns (byte length
    /// covered, display name).
    fn outlet_after(&self, after: &str) -> Option<(usize, String)> {
        let words = word_spans(after);
        let mut i = 0;
        if let Some(&(s, e)) = words.first() {
            if &after[s..e] == "the" {
                i = 1;
            }
        }
        let mut last = i;
        while last < words.len() && last - i < 8 {
            let w = &after[words[last].0..words[last].1];
            let cap = w
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            let conn = CONNECTORS.contains(&w.to_lowercase().as_str()) && last > i;
            if !(cap || conn) {
                break;
            }
            last += 1;
            // A name does not run over punctuation: "according to Axios, which…".
            if after[words[last - 1].1..].starts_with([',', ';', ':', '.', ')']) {
                break;
            }
        }
        let start = words.get(i)?.0;
        for j in (i + 1..=last).rev() {
            let end = words[j - 1].1;
            let cand = strip_possessive(&after[start..end]);
            if let Some(name) = self.outlet(cand) {
                return Some((end, name));
            }
        }
        None
    }
}

impl Default for CreditFinder {
    fn default() -> Self {
        Self::new()
    }
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Splits "Reuters, AFP and the Harbour Times" or "A; B" into its parts.
fn split_list(w: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for a in w.split([';', ',']) {
        for b in a.split(" and ") {
            for c in b.split(" & ") {
                let c = c.trim();
                let c = c.strip_prefix("and ").unwrap_or(c).trim();
                if !c.is_empty() {
                    parts.push(c.to_string());
                }
            }
        }
    }
    parts
}

/// Byte ranges of whitespace-separated words, with surrounding punctuation trimmed off
/// (a trailing possessive is kept, so "Post's" stays one word).
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                let w = &s[st..i];
                let lead = w.len() - w.trim_start_matches(is_edge_punct).len();
                let w2 = w.trim_matches(is_edge_punct);
                if !w2.is_empty() {
                    out.push((st + lead, st + lead + w2.len()));
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

fn is_edge_punct(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '.' | '"' | '“' | '”' | '‘' | '(' | ')' | '[' | ']' | '!' | '?'
    ) || c == '\''
}

/// Shaped like a publication name: two to seven capitalised words (inner "of", "and",
/// "&", "the" allowed) with an outlet head word last (or Radio/TV/Daily first).
fn looks_like_outlet(name: &str) -> bool {
    let name = name.trim();
    let name = name.strip_prefix("the ").unwrap_or(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 || words.len() > 7 {
        return false;
    }
    for (i, w) in words.iter().enumerate() {
        let lw = w.to_lowercase();
        let cap = w
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let conn = i > 0 && i + 1 < words.len() && CONNECTORS.contains(&lw.as_str());
        if !cap && !conn {
            return false;
        }
    }
    let last = words[words.len() - 1].to_lowercase();
    let first = words[0].to_lowercase();
    let prev = words[words.len() - 2].to_lowercase();
    if matches!(last.as_str(), "agency" | "network" | "service") {
        return MEDIA_BEFORE.contains(&prev.as_str());
    }
    // "The Times" alone is a name; "Times" needs a word before it, which len ≥ 2 gives.
    let first_is_the = first == "the" && words.len() == 2;
    if first_is_the {
        return false;
    }
    HEAD_LAST.contains(&last.as_str()) || HEAD_FIRST.contains(&first.as_str())
}

/// Display form of an outlet name: ALL-CAPS words are title-cased ("NORTHGATE NEWS" →
/// "Northgate News") except short acronyms ("AP", "BBC") and vowel-less call signs
/// ("WKRG"). Mixed-case names are kept as written; a lower-case leading "the" goes.
fn display(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_prefix("the ").unwrap_or(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    let all_caps =
        name.chars().any(|c| c.is_alphabetic()) && !name.chars().any(|c| c.is_lowercase());
    if !all_caps {
        return words.join(" ");
    }
    let single = words.len() == 1;
    words
        .iter()
        .map(|w| {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            let vowels = w.chars().any(|c| "AEIOUY".contains(c));
            let keep = if single {
                letters <= 5
            } else {
                letters <= 3 || !vowels
            };
            if keep {
                w.to_string()
            } else {
                title_word(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_word(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'' && c != '’';
    }
    out
}

/// Byte ranges of the blank-line separated paragraphs, trimmed of surrounding
/// whitespace.
fn paragraph_ranges(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut para: Option<(usize, usize)> = None;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(p) = para.take() {
                out.push(p);
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            let end = pos + content.trim_end().len();
            match &mut para {
                Some(p) => p.1 = end,
                None => para = Some((pos + lead, end)),
            }
        }
        pos += line.len();
    }
    if let Some(p) = para {
        out.push(p);
    }
    out
}

impl CreditFinder {
    /// The one finder of the process, built on first use: the outlet list is parsed
    /// once however many stages ask.
    pub fn shared() -> &'static CreditFinder {
        static SHARED: OnceLock<CreditFinder> = OnceLock::new();
        SHARED.get_or_init(CreditFinder::new)
    }
}

impl CreditFinder {
    /// The wire services (kind `wire` in the outlet list) the article is credited to as
    /// its wire: a dateline "(UPI) —", a Reuters sign-off, a "— AFP" line, or a credit
    /// line naming a wire ("The Associated Press contributed to this report"). Credit
    /// lines are looked for both before and after they would be split off, so this works
    /// on raw article text.
    pub fn wires(&self, body: &str) -> Vec<String> {
        let (clean, removed) = self.split_credit_lines(body);
        let sents = crate::sentences::split(&clean);
        let found = self.find_in_text(&clean, &sents, &[]);
        // Raw text opens with its headline.
        let headline = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let product = self.product_credit(headline);
        let mut out: Vec<String> = Vec::new();
        for c in removed.iter().chain(&found).chain(&product) {
            if !matches!(c.kind, CreditKind::Wire | CreditKind::ContributedTo) {
                continue;
            }
            let is_wire = self
                .lookup(&c.outlet)
                .is_some_and(|i| self.entries[i].kind == "wire");
            if is_wire {
                push_unique(&mut out, c.outlet.clone());
            }
        }
        out
    }
}

impl CreditFinder {
    /// A headline that is the title of a wire's recurring product ("10 Things to Know
    /// for Today" is AP's daily digest, syndicated under that title): the wire made the
    /// whole piece. Listed in the fifth column of the outlet list; the whole headline
    /// must be the title (case, punctuation and a leading "The" aside), so an article
    /// that only mentions the product is no such credit.
    pub fn product_credit(&self, headline: &str) -> Option<Credit> {
        let k = key(headline);
        if k.is_empty() || k.len() > MAX_PRODUCT_KEY {
            return None;
        }
        let &i = self.products.get(&k)?;
        Some(Credit {
            outlet: self.entries[i].name.clone(),
            kind: CreditKind::Wire,
            text: headline.trim().to_string(),
            span: None,
        })
    }
}

/// [`CreditFinder::split_credit_lines`] with the shared finder, for the extract stage.
pub fn split_credit_lines(body: &str) -> (String, Vec<Credit>) {
    CreditFinder::shared().split_credit_lines(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences;

    fn find(body: &str) -> Vec<Credit> {
        let f = CreditFinder::new();
        f.find_in_text(body, &sentences::split(body), &[])
    }

    #[test]
    fn wires_of_an_article() {
        let f = CreditFinder::new();
        assert_eq!(
            f.wires("Ferry strike ends\n\nPORT ELSBY, Valdoria, Sept. 26 (UPI) -- Dockers in Port Elsby voted to return.\n\nTalks resume Monday."),
            vec!["UPI".to_string()]
        );
        assert_eq!(
            f.wires("Dockers voted to return.\n\n(Reporting by Ada Brook; Editing by Tom Vell)"),
            vec!["Reuters".to_string()]
        );
        // Citing a wire is not being one.
        assert!(f
            .wires("Dockers voted to return, the Associated Press reported.")
            .is_empty());
    }

    #[test]
    fn outlet_names_known_and_by_pattern() {
        let f = CreditFinder::new();
        assert_eq!(
            f.outlet("the Associated Press").as_deref(),
            Some("Associated Press")
        );
        assert_eq!(f.outlet("AP").as_deref(), Some("Associated Press"));
        assert_eq!(f.outlet("Agence France-Presse").as_deref(), Some("AFP"));
        assert_eq!(
            f.outlet("nytimes.com").as_deref(),
            Some("The New York Times")
        );
        assert_eq!(
            f.outlet("NORTHGATE NEWS").as_deref(),
            Some("Northgate News")
        );
        assert_eq!(
            f.outlet("The Coastline Post").as_deref(),
            Some("The Coastline Post")
        );
        assert_eq!(
            f.outlet("Meridian News Agency").as_deref(),
            Some("Meridian News Agency")
        );
        assert_eq!(
            f.outlet("Radio Valdoria").as_deref(),
            Some("Radio Valdoria")
        );
        assert_eq!(f.outlet("Harbour Authority"), None);
        assert_eq!(f.outlet("the Kremlin"), None);
        assert_eq!(f.outlet("International Energy Agency"), None);
        assert_eq!(f.outlet("Posts"), None);
        assert_eq!(f.outlet(""), None);
    }

    #[test]
    fn reported_by_and_according_to() {
        let body = "The Coastline Post reported on Sunday that the ferry had sunk. \
                    According to Axios, talks stalled. The Harbour Authority said the port \
                    was closed, and the ministry reported no injuries. The minister told \
                    Northgate News she would resign, according to a translation by the \
                    Valdoria Daily Courier.";
        let cs = find(body);
        let got: Vec<(&str, CreditKind, &str)> = cs
            .iter()
            .map(|c| (c.outlet.as_str(), c.kind, c.span.unwrap().text(body)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "The Coastline Post",
                    CreditKind::ReportedBy,
                    "The Coastline Post reported"
                ),
                ("Axios", CreditKind::ReportedBy, "According to Axios"),
                (
                    "Valdoria Daily Courier",
                    CreditKind::TranslationBy,
                    "according to a translation by the Valdoria Daily Courier"
                ),
            ]
        );
    }

    #[test]
    fn wire_products_by_headline() {
        let f = CreditFinder::new();
        let digest = "10 Things to Know for Today.\n\nYour daily look at the stories of the day:\n\n1. FERRY STRIKE ENDS IN VALDOR.\n\nCrews return to the docks.";
        assert_eq!(f.wires(digest), ["Associated Press"]);
        let c = f
            .product_credit("10 THINGS TO KNOW FOR TODAY")
            .expect("a product title");
        assert_eq!(
            (c.outlet.as_str(), c.kind),
            ("Associated Press", CreditKind::Wire)
        );
        // Mentioning the product is not being it.
        let story = "Harbour Times readers loved it.\n\nThe Brisk Gazette ran its own 10 Things to Know for Today list.";
        assert!(f.wires(story).is_empty());
        assert!(f
            .product_credit("10 Things to Know for Today about the ferry strike")
            .is_none());
    }

    #[test]
    fn wire_datelines() {
        let cases = [
            (
                "MOSCOW (Reuters) - Ministers met on Monday.",
                "Reuters",
                "MOSCOW (Reuters) -",
            ),
            (
                "PORT ELSBY, Valdoria (Meridian Press) \u{2014} The ferry sank.",
                "Meridian Press",
                "PORT ELSBY, Valdoria (Meridian Press) \u{2014}",
            ),
            (
                "HEMPSTEAD, N.Y., Sept. 26 (UPI) \u{2014} A storm hit.",
                "UPI",
                "HEMPSTEAD, N.Y., Sept. 26 (UPI) \u{2014}",
            ),
            (
                "(AP) \u{2014} A storm hit.",
                "Associated Press",
                "(AP) \u{2014}",
            ),
            (
                "Ferry sinks\n\nNew York (AFP) \u{2013} A storm hit.",
                "AFP",
                "New York (AFP) \u{2013}",
            ),
        ];
        for (body, outlet, text) in cases {
            let cs = find(body);
            assert_eq!(cs.len(), 1, "{body}: {cs:?}");
            assert_eq!(cs[0].outlet, outlet);
            assert_eq!(cs[0].kind, CreditKind::Wire);
            assert_eq!(cs[0].span.unwrap().text(body), text);
        }
        // A parenthesis mid-text is not a dateline.
        assert!(find("The senator (R-Valdoria) - who was absent - voted no.").is_empty());
    }

    #[test]
    fn split_credit_lines_removes_only_credit_paragraphs() {
        let f = CreditFinder::new();
        let body = "The ferry sank on Sunday, the Coastline Post reported.\n\n\
                    Rescuers found nine people.\n\n\
                    Reuters and the Harbour Times contributed to this report.\n\n\
                    This post appeared first on NORTHGATE NEWS.";
        let (clean, cs) = f.split_credit_lines(body);
        assert_eq!(
            clean,
            "The ferry sank on Sunday, the Coastline Post reported.\n\nRescuers found nine people."
        );
        let got: Vec<(&str, CreditKind)> = cs.iter().map(|c| (c.outlet.as_str(), c.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("Reuters", CreditKind::ContributedTo),
                ("Harbour Times", CreditKind::ContributedTo),
                ("Northgate News", CreditKind::FirstAppearedOn),
            ]
        );
        assert!(cs.iter().all(|c| c.span.is_none()));
    }

    #[test]
    fn split_signoffs_and_agencies() {
        let f = CreditFinder::new();
        let body = "Talks resumed.\n\n(Reporting by Ada Brook; Editing by Tom Vell)\n\n\u{2014} With agencies";
        let (clean, cs) = f.split_credit_lines(body);
        assert_eq!(clean, "Talks resumed.");
        assert_eq!(cs[0].outlet, "Reuters");
        assert_eq!(cs[0].kind, CreditKind::Wire);
        assert_eq!(cs[1].outlet, "agencies");
        assert_eq!(cs[1].kind, CreditKind::ContributedTo);

        let body = "Talks resumed.\nAdditional reporting by Agence France-Presse";
        let (clean, cs) = f.split_credit_lines(body);
        assert_eq!(clean, "Talks resumed.");
        assert_eq!(cs[0].outlet, "AFP");

        let body = "Associated Press writer Ada Brook in Port Elsby contributed to this report.";
        let (_, cs) = f.split_credit_lines(body);
        assert_eq!(cs[0].outlet, "Associated Press");

        let body = "Originally published by The Valdoria Herald.";
        let (clean, cs) = f.split_credit_lines(body);
        assert_eq!(clean, "");
        assert_eq!(cs[0].kind, CreditKind::FirstAppearedOn);
        assert_eq!(cs[0].outlet, "The Valdoria Herald");
    }

    #[test]
    fn source_lines_credit_listed_outlets_only() {
        let (body, credits) =
            split_credit_lines("Dockers voted to return.\n\nSource: Reuters, Meridian Press");
        assert_eq!(body.trim(), "Dockers voted to return.");
        let got: Vec<_> = credits
            .iter()
            .map(|c| (c.outlet.as_str(), c.kind))
            .collect();
        assert_eq!(got, [("Reuters", CreditKind::Wire)]);
        // A chart's data source is no outlet: the line stays.
        let (body, credits) =
            split_credit_lines("Exports fell.\n\nSource: Harbour Statistics Office");
        assert!(credits.is_empty() && body.contains("Statistics Office"));
    }

    #[test]
    fn split_keeps_normal_sentences_and_people_credits() {
        let f = CreditFinder::new();
        let body = "Reuters reported the sinking.\n\n\n\nAda Brook contributed to this report.\n\n\
                    With love from the harbour.";
        let (clean, cs) = f.split_credit_lines(body);
        assert_eq!(clean, body);
        assert!(cs.is_empty());
    }

    #[test]
    fn dash_signoff_in_text() {
        let body = "The port reopened on Monday, officials said. \u{2014} AFP";
        let cs = find(body);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].outlet, "AFP");
        assert_eq!(cs[0].kind, CreditKind::Wire);
        assert_eq!(cs[0].span.unwrap().text(body), "\u{2014} AFP");
    }

    #[test]
    fn never_panics() {
        let f = CreditFinder::new();
        for body in [
            "",
            "()",
            "(é) — ",
            "— ",
            "\n\n\n",
            "according to",
            "é reported",
            "“The Post’s” reported",
        ] {
            let _ = f.split_credit_lines(body);
            let cs = find(body);
            for c in cs {
                let s = c.span.unwrap();
                assert!(body.is_char_boundary(s.start) && body.is_char_boundary(s.end));
            }
        }
    }
}
