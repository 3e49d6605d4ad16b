//! The optional dense signal: sentence embeddings given with [`Clusterer::add_embedded`]
//! (vectors made up by hand here; invented articles).

use chrono::DateTime;
use parallax_core::{Analysis, AnalyzedArticle, Article, ArticleId, Outlet};
use parallax_stories::{embedding_text, Assignment, ClusterConfig, Clusterer};

fn art(id: &str, title: &str, body: &str) -> AnalyzedArticle {
    AnalyzedArticle {
        article: Article {
            id: ArticleId(id.into()),
            source: format!("test:{id}"),
            url: None,
            outlet: Outlet::new(format!("Outlet {id}"), None),
            title: title.into(),
            byline: vec![],
            published: Some(DateTime::parse_from_rfc3339("2026-03-03T09:00:00+00:00").unwrap()),
            language: Some("en".into()),
            body: body.into(),
            credits: vec![],
        },
        analysis: Analysis::default(),
    }
}

/// Two reports of one event in different words (few shared terms), and a report of a
/// look-alike event that shares more of their vocabulary.
fn docs() -> Vec<AnalyzedArticle> {
    vec![
        art(
            "a",
            "Storm shuts ferry terminal at Quaymouth",
            "Gales forced the harbour authority to shut the ferry terminal at Quaymouth on \
             Monday. Sailings to the outer islands were cancelled and passengers were told \
             to wait for news on Wednesday. Engineers will inspect the pier and the \
             breakwater once the gales have passed, officials added.",
        ),
        art(
            "b",
            "Island crossings halted as winds batter the coast",
            "No boats left the mainland port yesterday: the wind was too strong for the \
             crossing, the operator said, and travellers bound for the islands stayed \
             ashore until the weather eases. Schools on two islands closed early so that \
             pupils could get home before the last boat was called off.",
        ),
        art(
            "c",
            "Fire shuts ferry terminal at Dunmere",
            "A fire in a ticket office forced the harbour authority to shut the ferry \
             terminal at Dunmere on Monday. Sailings were cancelled while firefighters \
             made the building safe. Engineers will inspect the waiting hall and the \
             roof once the smoke has cleared, officials added.",
        ),
    ]
}

/// The online decisions (no split-and-merge pass: in a world of three articles, the
/// pass's fragment rule moves a lone article to the only other story there is).
fn run(docs: &[AnalyzedArticle], vectors: Option<&[Vec<f32>]>) -> Vec<Assignment> {
    let mut c = Clusterer::new(ClusterConfig {
        pass_every: 0,
        // Half the body signal: three short articles need a strong push.
        embedding_weight: 0.5,
        ..ClusterConfig::default()
    });
    docs.iter()
        .enumerate()
        .map(|(i, d)| c.add_embedded(d, vectors.map(|v| v[i].clone())))
        .collect()
}

#[test]
fn without_vectors_add_embedded_is_add() {
    let docs = docs();
    let mut c = Clusterer::new(ClusterConfig::default());
    let plain: Vec<Assignment> = docs.iter().map(|d| c.add(d)).collect();
    let none: Vec<Assignment> = {
        let mut c = Clusterer::new(ClusterConfig::default());
        docs.iter().map(|d| c.add_embedded(d, None)).collect()
    };
    assert_eq!(plain, none);
}

#[test]
fn embeddings_join_a_paraphrase_and_keep_a_look_alike_apart() {
    let docs = docs();
    let lexical = run(&docs, None);
    // Lexically, the look-alike (c) joins (a), the paraphrase (b) does not.
    assert_ne!(lexical[0].story, lexical[1].story, "{lexical:?}");
    assert_eq!(lexical[0].story, lexical[2].story, "{lexical:?}");
    // The encoder says a and b are the same event, c another one.
    let vectors = vec![
        vec![0.9, 0.1, 0.0, 0.0],
        vec![0.88, 0.15, 0.05, 0.0],
        vec![0.1, 0.1, 0.9, 0.2],
    ];
    let dense = run(&docs, Some(&vectors));
    assert_eq!(dense[0].story, dense[1].story, "{dense:?}");
    assert_ne!(dense[0].story, dense[2].story, "{dense:?}");
}

#[test]
fn vectors_of_another_length_are_ignored() {
    let docs = docs();
    let lexical = run(&docs, None);
    // The first vector fixes the length; the others do not match it, so no pair has
    // two vectors and the clusters are the lexical ones.
    let vectors = vec![vec![1.0, 0.0], vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0]];
    assert_eq!(run(&docs, Some(&vectors)), lexical);
    // A zero vector is no vector.
    let zeros = vec![vec![0.0; 4]; 3];
    assert_eq!(run(&docs, Some(&zeros)), lexical);
}

#[test]
fn the_embedded_text_is_headline_and_body() {
    let d = &docs()[0];
    let t = embedding_text(d);
    assert!(t.starts_with("Storm shuts ferry terminal at Quaymouth\nGales forced"));
    assert_eq!(
        embedding_text(&art("x", "Only a headline", "")),
        "Only a headline"
    );
}
