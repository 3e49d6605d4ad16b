//! Bad input gets one clear line naming the file (and line) and the problem, a non-zero
//! exit, no panic, and leaves the store as it was.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn parallax(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parallax"))
        .args(args)
        .env("PARALLAX_DATA", data)
        .output()
        .expect("parallax runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = "THE TARROW LEDGER\n\nTarrow bridge reopens after three-month repair\n\n\
By Ines Calder\n\nThe Tarrow river bridge reopened to traffic on Monday after a three-month \
repair of its eastern span, the county roads office said.\n\n\"The bridge is safe and it is \
open,\" said county engineer Petra Lindqvist.\n";

/// Store state we can compare before and after: the article count and story list.
fn store_state(data: &Path) -> String {
    let o = parallax(&["stories", "--format", "json"], data);
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn each_bad_input_names_the_file_and_problem_and_keeps_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = dir.path().join("good.txt");
    std::fs::write(&good, GOOD).unwrap();
    let o = parallax(&["ingest", good.to_str().unwrap()], &data);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = store_state(&data);
    assert!(before.contains("Tarrow"), "{before}");

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let junk = dir.path().join("junk.txt");
    std::fs::write(
        &junk,
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 0, 7, 8],
    )
    .unwrap();
    let truncated = dir.path().join("cut.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(GOOD.repeat(20).as_bytes()).unwrap();
    let bytes = gz.finish().unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let jsonl = dir.path().join("feed.jsonl");
    std::fs::write(
        &jsonl,
        "{\"title\":\"Ferry timetable changes\",\"outlet\":\"Tarrow Ledger\",\"text\":\"The winter timetable starts on Sunday, the operator said.\"}\n{\"title\": broken\n",
    )
    .unwrap();
    let missing = dir.path().join("nope.html");

    let cases: [(&Path, &str); 5] = [
        (&empty, "empty"),
        (&junk, "binary"),
        (&truncated, "gzip"),
        (&jsonl, ":2:"),
        (&missing, "no such file"),
    ];
    for (path, problem) in cases {
        for cmd in ["extract", "ingest"] {
            let o = parallax(&[cmd, path.to_str().unwrap()], &data);
            let err = stderr(&o);
            assert!(!o.status.success(), "{cmd} {path:?} should fail");
            assert!(!err.contains("panicked"), "{cmd} {path:?} panicked: {err}");
            let line = err
                .lines()
                .find(|l| l.contains(path.file_name().unwrap().to_str().unwrap()))
                .unwrap_or_else(|| panic!("{cmd} {path:?}: no line names the file: {err}"));
            assert!(
                line.to_lowercase().contains(problem),
                "{cmd} {path:?}: {line:?} should say {problem:?}"
            );
        }
    }
    // The invalid JSONL line is rejected, the good line before it still ingests (one
    // new article), and nothing else changed.
    let after = store_state(&data);
    assert!(after.contains("Tarrow bridge"), "{after}");
    assert!(after.contains("timetable"), "{after}");
    assert_eq!(after.lines().count(), before.lines().count() + 1, "{after}");
}

#[test]
fn compare_with_one_article_explains_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, GOOD).unwrap();
    let o = parallax(&["compare", good.to_str().unwrap()], dir.path());
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("at least two articles"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn show_and_stories_without_a_store_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let o = parallax(&["stories"], &dir.path().join("none"));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("parallax ingest"), "{}", stderr(&o));
}
