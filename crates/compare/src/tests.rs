//! End-to-end tests of `compare` and the renderers on the hand-built ferry-fire story.

use parallax_core::{Comparison, CreditKind, QuoteGroup};

use crate::fixture::{self, edits, STATEMENT};
use crate::{compare, render};

fn story() -> Comparison {
    compare(&fixture::story())
}

fn statement(c: &Comparison) -> &QuoteGroup {
    c.quotes
        .iter()
        .find(|g| g.canonical == STATEMENT)
        .expect("the statement is grouped")
}

#[test]
fn verbatim_copy_is_syndication() {
    let c = story();
    assert_eq!(c.syndication.len(), 1, "{:?}", c.syndication);
    assert_eq!(c.syndication[0].copy.0, "valley");
    assert_eq!(c.syndication[0].original.0, "meridian");
    assert_eq!(
        c.articles[1].copy_of.as_ref().map(|i| i.0.as_str()),
        Some("meridian")
    );
    assert!(c
        .articles
        .iter()
        .filter(|a| a.id.0 != "valley")
        .all(|a| a.copy_of.is_none()));
}

#[test]
fn same_story_has_every_pair_and_every_article() {
    let c = story();
    assert_eq!(c.same_story.similarity.len(), 6);
    let mut ids: Vec<&str> = c
        .same_story
        .groups
        .iter()
        .flatten()
        .map(|i| i.0.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, ["coastline", "harbour", "meridian", "valley"]);
    assert!(c
        .same_story
        .groups
        .windows(2)
        .all(|w| w[0].len() >= w[1].len()));
    assert_eq!(c.same_story.verdict, c.same_story.groups.len() == 1);
}

#[test]
fn statement_renderings_diff_exactly_the_edits() {
    let c = story();
    let g = statement(&c);
    assert_eq!(g.speaker.as_deref(), Some("Lena Ortiz"));
    let by: Vec<&str> = g
        .renderings
        .iter()
        .map(|r| r.citation.article.0.as_str())
        .collect();
    assert_eq!(by, ["meridian", "valley", "harbour", "coastline"]);
    let r = &g.renderings;
    assert!(r[0].verbatim && r[1].verbatim && !r[2].verbatim && !r[3].verbatim);
    assert_eq!(edits(&r[2].diff), ["-the", "-:", "+;", "-favour", "+favor"]);
    assert_eq!(edits(&r[3].diff), ["-not"]);
    let flagged: Vec<bool> = r.iter().map(|r| r.changes_meaning).collect();
    assert_eq!(flagged, [false, false, false, true]);
}

#[test]
fn quote_groups_keep_single_outlet_quotes_after_shared_ones() {
    let c = story();
    assert_eq!(c.quotes.len(), 3);
    assert_eq!(c.quotes[0].canonical, STATEMENT);
    let speakers: Vec<_> = c.quotes[1..]
        .iter()
        .map(|g| g.speaker.clone().unwrap())
        .collect();
    assert_eq!(speakers, ["Sam Reyes", "Dana Kim"]);
    assert!(c.quotes[1..]
        .iter()
        .all(|g| g.renderings.len() == 1 && g.renderings[0].verbatim));
}

#[test]
fn quote_citations_slice_the_body() {
    let docs = fixture::story();
    let c = compare(&docs);
    for r in c.quotes.iter().flat_map(|g| &g.renderings) {
        assert_cites(&docs, &r.citation);
    }
}

fn fact_with<'a>(c: &'a Comparison, needle: &str) -> &'a parallax_core::Fact {
    c.facts
        .iter()
        .find(|f| f.citations.iter().any(|x| x.text.contains(needle)))
        .unwrap_or_else(|| panic!("no fact cites {needle:?}"))
}

#[test]
fn consensus_and_unique_facts() {
    let c = story();
    let fire = fact_with(&c, "A fire broke out");
    assert!(fire.consensus);
    assert_eq!(
        fire.outlets,
        [
            "Meridian Press Agency",
            "The Harbour Times",
            "Coastline Daily"
        ]
    );
    assert_eq!(fire.citations.len(), 4);
    let evacuated = fact_with(&c, "All 212 passengers and 18 crew were evacuated");
    assert_eq!(evacuated.outlets.len(), 3);
    assert!(evacuated
        .citations
        .iter()
        .any(|x| x.text.contains("Every one of the 212")));
    let towed = fact_with(&c, "towed back");
    assert_eq!(
        towed.outlets,
        ["Meridian Press Agency", "The Harbour Times"]
    );
    // Only the wire and its verbatim copy report the build year: no consensus.
    let built = fact_with(&c, "built in 2009");
    assert!(!built.consensus);
    assert_eq!(built.outlets, ["Meridian Press Agency"]);
    assert_eq!(built.citations.len(), 2);
    assert_eq!(fact_with(&c, "café owner").outlets, ["The Harbour Times"]);
    assert_eq!(fact_with(&c, "Dana Kim").outlets, ["Coastline Daily"]);
}

#[test]
fn facts_are_ordered_and_skip_credit_lines() {
    let c = story();
    let first_unique = c.facts.iter().position(|f| !f.consensus).unwrap();
    assert!(c.facts[first_unique..].iter().all(|f| !f.consensus));
    assert!(c.facts[..first_unique]
        .windows(2)
        .all(|w| w[0].outlets.len() >= w[1].outlets.len()));
    let unique_outlets: Vec<&str> = c.facts[first_unique..]
        .iter()
        .map(|f| f.outlets[0].as_str())
        .collect();
    assert_eq!(
        unique_outlets,
        [
            "Meridian Press Agency",
            "The Harbour Times",
            "Coastline Daily"
        ]
    );
    assert!(c
        .facts
        .iter()
        .all(|f| !f.text.contains("contributed to this report")));
    assert!(c.facts.iter().all(|f| f.text == f.citations[0].text));
}

#[test]
fn credit_edges_skip_self_credits() {
    let c = story();
    let edges: Vec<(&str, &str, CreditKind)> = c
        .credits
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "Valley Courier",
                "Meridian Press Agency",
                CreditKind::FirstAppearedOn
            ),
            (
                "The Harbour Times",
                "Meridian Press Agency",
                CreditKind::ReportedBy
            ),
        ]
    );
}

#[test]
fn headlines_rank_sensational_above_neutral() {
    let c = story();
    let score = |id: &str| c.headlines.iter().find(|h| h.article.0 == id).unwrap();
    let (tabloid, wire) = (score("coastline"), score("meridian"));
    assert!(tabloid.sensationalism > 0.5, "{tabloid:?}");
    assert_eq!(wire.sensationalism, 0.0);
    assert!(tabloid.sensationalism > score("harbour").sensationalism);
    assert_eq!(tabloid.loaded_terms, ["inferno", "terror", "chaos"]);
    assert_eq!(wire.action.as_deref(), Some("forces 212 passengers into"));
    assert_eq!(wire.agent.as_deref(), Some("Fire on ferry Northern Star"));
    assert_eq!(score("harbour").agent.as_deref(), Some("Ferry operator"));
    assert_ne!(
        c.title, tabloid.headline,
        "a neutral headline titles the story"
    );
    assert!(c.headlines.iter().any(|h| h.headline == c.title));
}

#[test]
fn timeline_is_chronological_and_cited() {
    let docs = fixture::story();
    let c = compare(&docs);
    let values: Vec<&str> = c.timeline.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(values, ["2009", "2026-01", "2026-03-14", "2026-03-15"]);
    let fire = &c.timeline[2];
    assert_eq!(fire.citations.len(), 4);
    assert!(fire.event.starts_with("A fire broke out"), "{}", fire.event);
    for cit in c.timeline.iter().flat_map(|t| &t.citations) {
        assert_cites(&docs, cit);
    }
}

#[test]
fn brief_sentences_slice_their_bodies() {
    let docs = fixture::story();
    let c = compare(&docs);
    let n = c.brief.sentences.len();
    assert!((5..=8).contains(&n), "{n} sentences");
    for s in &c.brief.sentences {
        assert!(!s.citations.is_empty());
        assert_eq!(s.text, slice(&docs, &s.citations[0]));
        for cit in &s.citations {
            assert_cites(&docs, cit);
        }
    }
    assert!(
        c.brief.sentences[0].citations.len() >= 3,
        "consensus comes first"
    );
}

/// The body text a citation's code-point span covers.
fn slice(docs: &[parallax_core::AnalyzedArticle], cit: &parallax_core::Citation) -> String {
    let doc = docs
        .iter()
        .find(|d| d.article.id == cit.article)
        .expect("cited article");
    doc.article
        .body
        .chars()
        .skip(cit.start)
        .take(cit.end - cit.start)
        .collect()
}

fn assert_cites(docs: &[parallax_core::AnalyzedArticle], cit: &parallax_core::Citation) {
    assert_eq!(slice(docs, cit), cit.text, "{cit:?}");
}

#[test]
fn empty_and_single_inputs_work() {
    let c = compare(&[]);
    assert!(c.articles.is_empty() && c.facts.is_empty() && c.title.is_empty());
    assert!(render::html(&c).contains("</html>"));
    let one = compare(&[fixture::harbour()]);
    assert!(one.facts.iter().all(|f| !f.consensus));
    assert!(one.same_story.verdict);
}

#[test]
fn text_render_has_the_sections() {
    let t = render::text(&story());
    for key in [
        "Fire on ferry Northern Star",
        "Valley Courier republishes Meridian Press Agency (",
        "Reported by all outlets",
        "Only in Coastline Daily",
        "coastguard[-:-]{+;+}",
        "[-favour-] {+favor+}",
        "⚠ changes meaning",
        "The Harbour Times → Meridian Press Agency (reported by)",
        "loaded: inferno,",
        "2026-03-14",
        "[1]",
        "article meridian, chars",
    ] {
        assert!(t.contains(key), "missing {key:?} in\n{t}");
    }
    assert!(t.lines().all(|l| l.chars().count() <= 100), "{t}");
}

#[test]
fn markdown_render_has_tables() {
    let m = render::markdown(&story());
    for key in [
        "# Fire on ferry",
        "## Quotes",
        "| Outlet | Headline |",
        "~~not~~",
        "**favor**",
        "## Brief",
    ] {
        assert!(m.contains(key), "missing {key:?} in\n{m}");
    }
}

#[test]
fn html_is_self_contained_and_escaped() {
    let mut docs = fixture::story();
    let hostile =
        "Officials said <script>alert(\"x\")</script> & more was found aboard the burning ferry.";
    docs[3].article.body.push_str(&format!("\n\n{hostile}"));
    docs[3].article.title = "INFERNO <b>AT</b> SEA!".into();
    let end = docs[3].article.body.len();
    let span = parallax_core::Span::new(end - hostile.len(), end);
    docs[3]
        .analysis
        .sentences
        .push(parallax_core::Sentence { span, paragraph: 4 });
    let h = render::html(&compare(&docs));
    assert!(!h.contains("<script") && !h.contains("<b>AT"), "unescaped");
    assert!(h.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"));
    assert!(h.contains("<del>not</del>") && h.contains("<ins>favor</ins>"));
    assert!(h.contains("<style>") && !h.contains("http://") && !h.contains("src="));
    let md = render::markdown(&compare(&docs));
    assert!(!md.contains("<script"));
}

#[test]
fn a_surname_in_one_outlet_is_the_full_name_given_by_another() {
    use parallax_core::QuoteKind;
    let said = "The pier will reopen in spring once the new decking is laid.";
    let mut a = fixture::article(
        "a",
        "Tarrow Ledger",
        "Tarrow pier to reopen in spring",
        "2026-11-20T08:00:00+00:00",
        &[&format!("\"{said}\" said harbour master Ines Calder.")],
    );
    fixture::quote(&mut a, said, Some("Ines Calder"), QuoteKind::Direct);
    let mut b = fixture::article(
        "b",
        "Valley Courier",
        "Spring reopening for Tarrow pier",
        "2026-11-20T09:00:00+00:00",
        &[&format!("Calder said: \"{said}\"")],
    );
    fixture::quote(&mut b, said, Some("Calder"), QuoteKind::Direct);
    let c = compare(&[a.clone(), b.clone()]);
    let g = c.quotes.iter().find(|g| g.canonical == said).unwrap();
    assert_eq!(g.speaker.as_deref(), Some("Ines Calder"));
    assert_eq!(g.renderings.len(), 2);

    // Two Calders in the story: "Calder" is left as written, not guessed.
    let other = "The council has not yet approved the budget for the decking.";
    let mut d = fixture::article(
        "d",
        "Harbour Times",
        "Pier budget still pending",
        "2026-11-20T10:00:00+00:00",
        &[&format!("\"{other}\" said councillor Rob Calder.")],
    );
    fixture::quote(&mut d, other, Some("Rob Calder"), QuoteKind::Direct);
    let all = [a, b, d];
    let names = crate::names::StoryNames::new(&crate::docs::build(&all, &[]));
    assert_eq!(names.canonical("Calder"), "Calder");
    assert_eq!(names.canonical("Ines Calder"), "Ines Calder");
}
