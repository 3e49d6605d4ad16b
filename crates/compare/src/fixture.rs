//! Hand-built analysed articles for tests, independent of the nlp crate: an invented
//! ferry fire covered by four invented outlets. Meridian Press Agency is the wire;
//! Valley Courier republishes it verbatim; Harbour Times rewrites it (and renders the
//! operator's statement with "favor", no "the" and ";"); Coastline Daily is a tabloid
//! whose rendering drops "not".

use chrono::DateTime;
use parallax_core::{
    Analysis, AnalyzedArticle, Article, ArticleId, Credit, CreditKind, DiffOp, Entity, EntityKind,
    Outlet, Quote, QuoteKind, Sentence, Span, TimeExpr, TimeKind,
};

pub const STATEMENT: &str = "We are cooperating fully with the coastguard: our crew did not abandon a single passenger, and we favour a full inquiry,";

/// The non-equal ops of a diff as `+word` / `-word`, for asserting exact edits.
pub fn edits(ops: &[DiffOp]) -> Vec<String> {
    ops.iter()
        .filter_map(|op| match op {
            DiffOp::Equal(_) => None,
            DiffOp::Insert(t) => Some(format!("+{t}")),
            DiffOp::Delete(t) => Some(format!("-{t}")),
        })
        .collect()
}

/// The first occurrence of `needle` in `body`.
pub fn span_of(body: &str, needle: &str) -> Span {
    let start = body
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in body"));
    Span::new(start, start + needle.len())
}

/// An article whose sentences are its paragraphs split after ". " before a capital.
pub fn article(
    id: &str,
    outlet: &str,
    title: &str,
    published: &str,
    paras: &[&str],
) -> AnalyzedArticle {
    let body = paras.join("\n\n");
    let mut sentences = Vec::new();
    let mut offset = 0;
    for (p, para) in paras.iter().enumerate() {
        let mut start = 0;
        for (i, _) in para.match_indices(". ") {
            if para[i + 2..].starts_with(|c: char| c.is_uppercase()) {
                sentences.push(Sentence {
                    span: Span::new(offset + start, offset + i + 1),
                    paragraph: p,
                });
                start = i + 2;
            }
        }
        sentences.push(Sentence {
            span: Span::new(offset + start, offset + para.len()),
            paragraph: p,
        });
        offset += para.len() + 2;
    }
    AnalyzedArticle {
        article: Article {
            id: ArticleId(id.to_string()),
            source: format!("{id}.txt"),
            url: Some(format!("https://{id}.example/story")),
            outlet: Outlet::new(outlet, None),
            title: title.to_string(),
            byline: vec![],
            published: DateTime::parse_from_rfc3339(published).ok(),
            language: Some("en".into()),
            body,
            credits: vec![],
        },
        analysis: Analysis {
            sentences,
            ..Default::default()
        },
    }
}

pub fn quote(d: &mut AnalyzedArticle, content: &str, speaker: Option<&str>, kind: QuoteKind) {
    let span = span_of(&d.article.body, content);
    let speaker = speaker.map(String::from);
    d.analysis.quotes.push(Quote {
        content: span,
        cue: None,
        source: None,
        speaker,
        kind,
    });
}

pub fn entity(d: &mut AnalyzedArticle, text: &str, kind: EntityKind) {
    let span = span_of(&d.article.body, text);
    let (text, canonical) = (text.to_string(), text.to_string());
    d.analysis.entities.push(Entity {
        span,
        text,
        kind,
        canonical,
    });
}

pub fn time(d: &mut AnalyzedArticle, text: &str, value: Option<&str>, kind: TimeKind) {
    let span = span_of(&d.article.body, text);
    d.analysis.times.push(TimeExpr {
        span,
        text: text.to_string(),
        kind,
        value: value.map(String::from),
        relative: None,
    });
}

/// A credit in the body text (`in_text`) or a credit line removed at extraction.
pub fn credit(d: &mut AnalyzedArticle, outlet: &str, kind: CreditKind, text: &str, in_text: bool) {
    let span = in_text.then(|| span_of(&d.article.body, text));
    let c = Credit {
        outlet: outlet.to_string(),
        kind,
        text: text.to_string(),
        span,
    };
    if in_text {
        d.analysis.credits.push(c);
    } else {
        d.article.credits.push(c);
    }
}

fn meridian_paras() -> Vec<String> {
    vec![
        "A fire broke out in the engine room of the ferry Northern Star on March 14, shortly after it left Port Ellis.".into(),
        "All 212 passengers and 18 crew were evacuated to lifeboats and no serious injuries were reported.".into(),
        format!("“{STATEMENT}” said Lena Ortiz, a spokeswoman for Ellis Ferries."),
        "The vessel was towed back to harbour on March 15 and investigators from the Marine Safety Board boarded it that afternoon.".into(),
        "The Northern Star was built in 2009 and last passed a safety inspection in January 2026.".into(),
    ]
}

fn wire(id: &str, outlet: &str, published: &str) -> AnalyzedArticle {
    let paras = meridian_paras();
    let paras: Vec<&str> = paras.iter().map(String::as_str).collect();
    let title = "Fire on ferry Northern Star forces 212 passengers into lifeboats";
    let mut d = article(id, outlet, title, published, &paras);
    quote(&mut d, STATEMENT, Some("Lena Ortiz"), QuoteKind::Direct);
    for e in [
        "Northern Star",
        "Port Ellis",
        "Lena Ortiz",
        "Ellis Ferries",
        "Marine Safety Board",
    ] {
        entity(&mut d, e, EntityKind::Misc);
    }
    time(&mut d, "March 14", Some("2026-03-14"), TimeKind::Date);
    time(&mut d, "March 15", Some("2026-03-15"), TimeKind::Date);
    time(&mut d, "that afternoon", None, TimeKind::Time);
    time(&mut d, "2009", Some("2009"), TimeKind::Date);
    time(&mut d, "January 2026", Some("2026-01"), TimeKind::Date);
    d
}

pub fn meridian() -> AnalyzedArticle {
    wire(
        "meridian",
        "Meridian Press Agency",
        "2026-03-14T09:00:00+00:00",
    )
}

pub fn valley() -> AnalyzedArticle {
    let mut d = wire("valley", "Valley Courier", "2026-03-14T11:30:00+00:00");
    let line = "This story appeared first on Meridian Press Agency.";
    credit(
        &mut d,
        "Meridian Press Agency",
        CreditKind::FirstAppearedOn,
        line,
        false,
    );
    d
}

pub fn harbour() -> AnalyzedArticle {
    let statement = "We are cooperating fully with coastguard; our crew did not abandon a single passenger, and we favor a full inquiry,";
    let paras = [
        "Flames erupted in the engine room of the Northern Star ferry on Saturday, March 14, minutes after it departed Port Ellis, Meridian Press Agency reported.",
        "Every one of the 212 passengers and 18 crew members was evacuated to lifeboats, and nobody was seriously injured.",
        &format!("“{statement}” Lena Ortiz of Ellis Ferries told reporters."),
        "Local café owner Sam Reyes said he watched the smoke rise over the harbour for nearly an hour.",
        "The Marine Safety Board said its investigators would board the vessel once it was back in harbour on March 15.",
        "Harbour Times staff contributed to this report.",
    ];
    let title = "Ferry operator says crew did not abandon passengers after engine-room fire";
    let mut d = article(
        "harbour",
        "The Harbour Times",
        title,
        "2026-03-14T13:00:00+01:00",
        &paras,
    );
    quote(&mut d, statement, Some("Lena Ortiz"), QuoteKind::Direct);
    quote(
        &mut d,
        "he watched the smoke rise over the harbour for nearly an hour",
        Some("Sam Reyes"),
        QuoteKind::Indirect,
    );
    for e in [
        "Northern Star",
        "Port Ellis",
        "Lena Ortiz",
        "Ellis Ferries",
        "Marine Safety Board",
        "Sam Reyes",
    ] {
        entity(&mut d, e, EntityKind::Misc);
    }
    let reported = "Meridian Press Agency reported";
    credit(
        &mut d,
        "Meridian Press Agency",
        CreditKind::ReportedBy,
        reported,
        true,
    );
    let staff = "Harbour Times staff contributed to this report.";
    credit(
        &mut d,
        "Harbour Times",
        CreditKind::ContributedTo,
        staff,
        true,
    );
    time(
        &mut d,
        "Saturday, March 14",
        Some("2026-03-14"),
        TimeKind::Date,
    );
    time(&mut d, "March 15", Some("2026-03-15"), TimeKind::Date);
    time(&mut d, "nearly an hour", Some("PT1H"), TimeKind::Duration);
    d
}

pub fn coastline() -> AnalyzedArticle {
    let statement = "We are cooperating fully with the coastguard: our crew did abandon a single passenger, and we favour a full inquiry,";
    let paras = [
        "Terrified passengers scrambled into lifeboats as a fire tore through the engine room of the ferry Northern Star off Port Ellis on March 14.",
        "All 212 passengers and 18 crew escaped, with no serious injuries reported.",
        &format!("“{statement}” said Lena Ortiz of Ellis Ferries."),
        "One passenger, Dana Kim, said the smoke was so thick she could not see her own hands.",
    ];
    let title = "INFERNO AT SEA! Terror as ferry blaze sparks CHAOS";
    let mut d = article(
        "coastline",
        "Coastline Daily",
        title,
        "2026-03-14T15:00:00+00:00",
        &paras,
    );
    quote(&mut d, statement, Some("Lena Ortiz"), QuoteKind::Direct);
    quote(
        &mut d,
        "the smoke was so thick she could not see her own hands",
        Some("Dana Kim"),
        QuoteKind::Indirect,
    );
    for e in [
        "Northern Star",
        "Port Ellis",
        "Lena Ortiz",
        "Ellis Ferries",
        "Dana Kim",
    ] {
        entity(&mut d, e, EntityKind::Misc);
    }
    time(&mut d, "March 14", Some("2026-03-14"), TimeKind::Date);
    d
}

/// The four articles in arrival order.
pub fn story() -> Vec<AnalyzedArticle> {
    vec![meridian(), valley(), harbour(), coastline()]
}
