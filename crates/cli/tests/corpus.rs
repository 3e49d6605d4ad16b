//! Every command on the bundled sample corpus (`examples/corpus/`, described in
//! `examples/CORPUS.md`), with assertions about content: residue out of the body,
//! credits found, the shared statement aligned across outlets, wire copies detected,
//! look-alike events kept apart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn corpus(file: &str) -> String {
    let p: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "examples",
        "corpus",
        file,
    ]
    .iter()
    .collect();
    p.to_str().unwrap().to_string()
}

fn run(args: &[&str], data: &Path) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(args)
        .env("PARALLAX_DATA", data)
        .output()
        .expect("parallax runs");
    assert!(
        o.status.success(),
        "parallax {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json_lines(o: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn extract(file: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    json_lines(&run(&["extract", &corpus(file)], dir.path()))
}

fn one(file: &str) -> Value {
    let mut v = extract(file);
    assert_eq!(v.len(), 1, "{file}");
    v.remove(0)
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

fn credits(v: &Value) -> Vec<(String, String)> {
    v["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(c, "outlet").to_string(), s(c, "kind").to_string()))
        .collect()
}

/// `text[start..end]` in Unicode code points, as a Python user would slice.
fn slice(text: &str, start: &Value, end: &Value) -> String {
    let (a, b) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    text.chars().skip(a).take(b - a).collect()
}

#[test]
fn pasted_text_loses_its_residue_and_keeps_its_metadata() {
    let a = one("valley-courier-ferry-fire-wire.txt");
    let body = s(&a, "body");
    for residue in [
        "VALLEY COURIER",
        "Home | News",
        "Subscribe | Sign in",
        "• youtube",
        "Advertisement",
        "Topics:",
        "Share this story",
        "All rights reserved",
        "(Photo: Meridian Press)",
        "By Meridian Press",
        "Published November 14",
        "contributed to this report",
    ] {
        assert!(!body.contains(residue), "{residue:?} left in body:\n{body}");
    }
    assert_eq!(
        s(&a, "title"),
        "Fire on Port Elsby ferry forces evacuation of 212 passengers"
    );
    assert!(
        s(&a, "published").starts_with("2026-11-14T22:48"),
        "{}",
        a["published"]
    );
    assert!(
        body.starts_with("PORT ELSBY, Valdoria (Meridian Press) —"),
        "{body}"
    );
    assert!(credits(&a).contains(&("Meridian Press".into(), "contributed_to".into())));

    let flare = one("daily-flare-ferry-inferno.txt");
    let body = s(&flare, "body");
    for residue in [
        "MOST READ",
        "Lottery winner",
        "DAILY FLARE",
        "• tiktok",
        "(Photo:",
    ] {
        assert!(!body.contains(residue), "{residue:?} left in body:\n{body}");
    }
    assert_eq!(flare["byline"], serde_json::json!(["Kayleigh Dunmore"]));
    assert!(s(&flare, "title").starts_with("INFERNO AT SEA"));

    let lumen = one("lumen-daily-ferry-islanders.txt");
    assert!(!s(&lumen, "body").contains("English edition"));
    assert!(
        !s(&lumen, "title").contains("edition"),
        "{}",
        lumen["title"]
    );
    assert_eq!(lumen["byline"], serde_json::json!(["Mirela Sandoval"]));

    let water = one("harbour-times-water-tariffs.txt");
    assert_eq!(water["byline"], serde_json::json!(["Rosalind Achebe"]));
    assert!(!s(&water, "body").contains("Port Elsby’s newspaper since 1871"));
}

#[test]
fn html_pages_give_main_text_and_metadata() {
    let a = one("northgate-news-ferry-fire-wire.html");
    let body = s(&a, "body");
    for residue in ["Share on Facebook", "use cookies", "Reject non-essential"] {
        assert!(!body.contains(residue), "{residue:?} left in body");
    }
    assert_eq!(
        s(&a, "title"),
        "Passengers evacuated as fire breaks out on Carrow ferry"
    );
    assert_eq!(a["outlet"]["name"], "Northgate News");
    assert_eq!(a["outlet"]["domain"], "northgatenews.example");
    assert!(s(&a, "published").starts_with("2026-11-14T21:30"));
    assert!(
        body.starts_with("PORT ELSBY, Valdoria (Meridian Press) —"),
        "{body}"
    );

    let kessling = one("northgate-news-kessling-derailment.html");
    assert!(!s(&kessling, "body").contains("staff contributed"));
    assert!(credits(&kessling).contains(&("Valley Courier".into(), "contributed_to".into())));
}

#[test]
fn jsonl_gives_one_article_per_line_with_credit_lines_as_data() {
    let v = extract("wire-feed.jsonl");
    assert_eq!(v.len(), 5);
    assert!(s(&v[3], "source").ends_with("wire-feed.jsonl:4"));
    assert!(!s(&v[3], "body").contains("appeared first"));
    assert!(credits(&v[3]).contains(&("Northgate News".into(), "first_appeared_on".into())));
    // Line 5 carries a whole HTML page instead of text.
    assert_eq!(v[4]["outlet"]["name"], "The Coastline Post");
    assert!(!s(&v[4], "body").contains("<p>"));
}

#[test]
fn gzip_input_reads_like_the_plain_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("copy.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(corpus("daily-flare-ferry-inferno.txt")).unwrap())
        .unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let zipped = json_lines(&run(&["extract", gz.to_str().unwrap()], dir.path()));
    let plain = one("daily-flare-ferry-inferno.txt");
    assert_eq!(zipped[0]["body"], plain["body"]);
    assert_eq!(zipped[0]["title"], plain["title"]);
}

#[test]
fn analyze_finds_quotes_entities_and_times_with_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &["analyze", &corpus("harbour-times-ferry-fire.html")],
        dir.path(),
    );
    let a = &json_lines(&out)[0];
    let body = s(a, "body");
    for key in ["sentences", "entities", "times"] {
        for item in a[key].as_array().unwrap() {
            assert_eq!(
                slice(body, &item["start"], &item["end"]),
                s(item, "text"),
                "{key}"
            );
        }
    }
    let okafor = a["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| s(&q["content"], "text").starts_with("Our first concern"))
        .expect("the Okafor statement is a quote");
    assert_eq!(okafor["speaker"], "Maria Okafor", "{okafor}");
    assert_eq!(okafor["kind"], "direct");
    let c = &okafor["content"];
    assert_eq!(slice(body, &c["start"], &c["end"]), s(c, "text"));
    assert!(a["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["text"] == "Maria Okafor" && e["kind"] == "person"));
    // Published Sunday 15 November: "on Saturday" (past) is the 14th.
    assert!(a["times"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| s(t, "text").contains("Saturday") && t["value"] == "2026-11-14"));
}

fn ferry_files() -> Vec<String> {
    [
        "wire-feed.jsonl",
        "northgate-news-ferry-fire-wire.html",
        "valley-courier-ferry-fire-wire.txt",
        "harbour-times-ferry-fire.html",
        "coastline-post-ferry-fire.html",
        "daily-flare-ferry-inferno.txt",
        "lumen-daily-ferry-islanders.txt",
    ]
    .iter()
    .map(|f| corpus(f))
    .collect()
}

fn compare_json(files: &[String]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["compare", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    serde_json::from_slice(&run(&args, dir.path()).stdout).unwrap()
}

fn outlet_of<'a>(c: &'a Value, id: &Value) -> &'a str {
    c["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| &a["id"] == id)
        .map(|a| a["outlet"]["name"].as_str().unwrap())
        .unwrap()
}

#[test]
fn compare_aligns_the_statement_detects_copies_and_maps_credits() {
    // The wire feed holds the other stories too: compare must say they differ.
    let c = compare_json(&ferry_files());
    assert_eq!(c["same_story"]["verdict"], false);
    let groups = c["same_story"]["groups"].as_array().unwrap();
    assert_eq!(groups[0].as_array().unwrap().len(), 7, "{groups:?}");

    // Wire copies: Northgate News and Valley Courier republish Meridian Press Agency.
    let mut copies: Vec<(String, String)> = c["syndication"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                outlet_of(&c, &s["copy"]).into(),
                outlet_of(&c, &s["original"]).into(),
            )
        })
        .collect();
    copies.sort();
    assert_eq!(
        copies,
        vec![
            ("Northgate News".into(), "Meridian Press Agency".into()),
            ("Valley Courier".into(), "Meridian Press Agency".into())
        ]
    );

    // The Okafor statement: one group, every outlet's wording, only the dropped "not"
    // flagged as changing the meaning.
    let group = c["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| s(g, "canonical").contains("Our first concern"))
        .expect("statement group");
    assert_eq!(group["speaker"], "Maria Okafor");
    let renderings = group["renderings"].as_array().unwrap();
    let outlets: Vec<&str> = renderings
        .iter()
        .map(|r| s(&r["citation"], "outlet"))
        .collect();
    for o in [
        "The Harbour Times",
        "The Coastline Post",
        "Lumen Daily",
        "Daily Flare",
        "Meridian Press Agency",
    ] {
        assert!(outlets.contains(&o), "{o} missing from {outlets:?}");
    }
    let flagged: Vec<&str> = renderings
        .iter()
        .filter(|r| r["changes_meaning"] == true)
        .map(|r| s(&r["citation"], "outlet"))
        .collect();
    assert_eq!(flagged, vec!["Daily Flare"]);
    let coastline = renderings
        .iter()
        .find(|r| s(&r["citation"], "outlet") == "The Coastline Post")
        .unwrap();
    assert!(
        coastline["diff"]
            .as_array()
            .unwrap()
            .iter()
            .any(|op| op["op"] != "equal" && op["text"] == ":"),
        "{}",
        coastline["diff"]
    );

    let edges: Vec<(String, String, String)> = c["credits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(e, "from").into(), s(e, "to").into(), s(e, "kind").into()))
        .collect();
    for want in [
        ("Daily Flare", "The Coastline Post", "reported_by"),
        ("The Coastline Post", "Lumen Daily", "translation_by"),
        ("Valley Courier", "Meridian Press", "contributed_to"),
        ("Northgate News", "Meridian Press", "wire"),
    ] {
        assert!(
            edges.iter().any(|(f, t, k)| f == want.0
                && parallax_core_key(t) == parallax_core_key(want.1)
                && k == want.2),
            "missing credit {want:?} in {edges:?}"
        );
    }
    assert!(edges
        .iter()
        .any(|(f, t, _)| f == "Lumen Daily" && t.contains("Harbour Times")));
    assert!(!edges
        .iter()
        .any(|(_, t, _)| t.contains("Authority") || t.contains("Coast Guard")));

    // A copy never makes a consensus: no consensus fact rests on the wire and its
    // republishers alone.
    for f in c["facts"].as_array().unwrap() {
        let outlets = f["outlets"].as_array().unwrap();
        if f["consensus"] == true {
            assert!(outlets.len() >= 2);
            assert!(
                !outlets.iter().all(|o| [
                    "Meridian Press Agency",
                    "Northgate News",
                    "Valley Courier"
                ]
                .contains(&o.as_str().unwrap())),
                "consensus from copies only: {f}"
            );
        }
    }
}

fn parallax_core_key(name: &str) -> String {
    parallax_core::outlet_key(name)
}

#[test]
fn headlines_brief_and_timeline_are_checkable() {
    let c = compare_json(&ferry_files());
    let heads = c["headlines"].as_array().unwrap();
    let score = |outlet: &str| {
        heads
            .iter()
            .find(|h| h["outlet"] == outlet)
            .map(|h| h["sensationalism"].as_f64().unwrap())
            .unwrap()
    };
    let flare = score("Daily Flare");
    for h in heads.iter().filter(|h| h["outlet"] != "Daily Flare") {
        assert!(flare > h["sensationalism"].as_f64().unwrap(), "{h}");
    }
    assert!(c["title"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("ferry"));
    assert!(!c["title"].as_str().unwrap().contains("INFERNO"));

    // Every brief sentence cites spans that slice its article's body to the cited text.
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["extract"];
    let files = ferry_files();
    args.extend(files.iter().map(String::as_str));
    let bodies: Vec<Value> = json_lines(&run(&args, dir.path()));
    let body_of = |id: &Value| -> String {
        bodies
            .iter()
            .find(|b| &b["id"] == id)
            .map(|b| s(b, "body").to_string())
            .unwrap()
    };
    let brief = c["brief"]["sentences"].as_array().unwrap();
    assert!(brief.len() >= 4, "{brief:?}");
    for sentence in brief {
        let cites = sentence["citations"].as_array().unwrap();
        assert!(!cites.is_empty());
        assert_eq!(s(&cites[0], "text"), s(sentence, "text"));
        for cite in cites {
            let body = body_of(&cite["article"]);
            assert_eq!(slice(&body, &cite["start"], &cite["end"]), s(cite, "text"));
        }
    }
    let timeline = c["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|t| t["value"] == "2026-11-14"));
    let values: Vec<&str> = timeline.iter().map(|t| s(t, "value")).collect();
    let mut sorted = values.clone();
    sorted.sort();
    assert_eq!(values, sorted, "timeline is chronological");
}

#[test]
fn look_alike_derailments_are_two_stories() {
    let files: Vec<String> = [
        "northgate-news-kessling-derailment.html",
        "valley-courier-kessling-derailment.txt",
        "lumen-daily-orvanto-derailment.html",
        "daily-flare-orvanto-derailment.txt",
    ]
    .iter()
    .map(|f| corpus(f))
    .collect();
    let c = compare_json(&files);
    assert_eq!(c["same_story"]["verdict"], false);
    let groups = c["same_story"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{groups:?}");
    for g in groups {
        let outlets: Vec<&str> = g
            .as_array()
            .unwrap()
            .iter()
            .map(|id| outlet_of(&c, id))
            .collect();
        assert_eq!(outlets.len(), 2, "{outlets:?}");
    }
}

#[test]
fn ingest_groups_the_corpus_into_four_stories_idempotently() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus_dir = corpus("");
    let first = run(&["ingest", &corpus_dir], &data);
    assert!(String::from_utf8_lossy(&first.stderr).contains("ingested 17 new articles"));
    let stories = json_lines(&run(&["stories", "--format", "json"], &data));
    let sizes: Vec<u64> = stories
        .iter()
        .map(|s| s["articles"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, vec![7, 4, 3, 3], "{stories:?}");
    let titles: Vec<&str> = stories.iter().map(|st| s(st, "title")).collect();
    assert!(titles.iter().any(|t| t.contains("Kessling")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("Orvanto")), "{titles:?}");

    let again = run(&["ingest", &corpus_dir], &data);
    let msg = String::from_utf8_lossy(&again.stderr);
    assert!(
        msg.contains("ingested 0 new articles (17 already stored"),
        "{msg}"
    );
    assert_eq!(
        json_lines(&run(&["stories", "--format", "json"], &data)),
        stories
    );

    // `show` takes a unique id prefix and renders every format.
    let id = s(&stories[0], "id");
    let text = String::from_utf8(run(&["show", &id[..8]], &data).stdout).unwrap();
    assert!(
        text.contains("Quotes") && text.contains("Maria Okafor"),
        "{text}"
    );
    let html = String::from_utf8(run(&["show", id, "--format", "html"], &data).stdout).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<del>"),
        "{}",
        &html[..200]
    );
    let md = String::from_utf8(run(&["show", id, "--format", "markdown"], &data).stdout).unwrap();
    assert!(md.starts_with("# "), "{md}");
}

#[test]
fn demo_runs_the_main_job() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["demo"], dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Ingested 17 articles"), "{text}");
    assert!(text.contains("into 4 stories"), "{text}");
    assert!(
        text.contains("Valley Courier republishes Meridian Press Agency"),
        "{text}"
    );
    assert!(text.contains("changes meaning"), "{text}");
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        "extract", "analyze", "ingest", "stories", "show", "compare", "demo",
    ] {
        let o = run(&[cmd, "--help"], dir.path());
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage"),
            "{cmd}"
        );
    }
}
