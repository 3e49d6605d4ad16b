//! Hostile and broken HTML: every case must end in an error or a best-effort article,
//! never a panic, and within bounded time. All pages are built here, programmatically.

use std::time::{Duration, Instant};

use parallax_ingest::{decode_html, extract_html};

/// Generous: the suite runs in the dev profile on a shared machine. The point is
/// "bounded", not a speed figure (crates/eval/examples/bench_extract.rs is that).
const LIMIT: Duration = Duration::from_secs(60);

fn article_paragraphs(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "<p>Paragraph {i}: the harbour board met on Tuesday to discuss the \
                 dredging of the eastern channel, which has silted up since the storm.</p>"
            )
        })
        .collect()
}

/// Runs one hostile page and checks the outcome is an error or valid output, in time.
fn survives(name: &str, html: &str) -> Option<parallax_core::Article> {
    let start = Instant::now();
    let r = extract_html(html, name, Some("https://example.invalid/news/a"));
    let took = start.elapsed();
    assert!(took < LIMIT, "{name}: took {took:?}");
    match r {
        Ok(a) => {
            // Strings are UTF-8 by type; check no NUL or replacement junk leaks in
            // from the markup itself.
            assert!(!a.body.contains('\u{0}'), "{name}: NUL in body");
            Some(a)
        }
        Err(e) => {
            assert!(!e.problem.is_empty(), "{name}: empty error");
            None
        }
    }
}

#[test]
fn deeply_nested_divs_are_refused_quickly() {
    let html = format!(
        "<html><body>{}<p>deep text</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let start = Instant::now();
    let e = extract_html(&html, "deep.html", None).unwrap_err();
    assert!(e.problem.contains("nested too deeply"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn nesting_just_under_the_limit_is_best_effort() {
    // Deep, but under the refusal threshold: parsed and extracted on the
    // extractor's own large stack, no overflow.
    let html = format!(
        "<html><body>{}{}{}</body></html>",
        "<div><span>".repeat(2_000),
        article_paragraphs(20),
        "</span></div>".repeat(2_000)
    );
    let _ = survives("nested-4000.html", &html);
}

#[test]
fn unclosed_and_misnested_tags() {
    let _ = survives("p.html", &"<p>".repeat(50_000));
    let _ = survives(
        "tables.html",
        &format!(
            "{}{}",
            "<table><tr><td>".repeat(1_000),
            article_paragraphs(5)
        ),
    );
    let _ = survives(
        "misnested.html",
        &format!(
            "<b><i><p>{}</b></i><div><a href='x'>{}",
            article_paragraphs(10),
            "<li><ul>".repeat(2_000)
        ),
    );
    let _ = survives("lt.html", &"<".repeat(100_000));
    let _ = survives("comment.html", "<html><body><!-- never closed <p>text</p>");
}

#[test]
fn huge_attribute_values_and_text() {
    let big = "x".repeat(10 * 1024 * 1024);
    let html = format!(
        "<html><head><meta property='og:title' content='{big}'><title>{}</title></head>\
         <body><div class='{big}' data-x=\"{big}\"><article>{}</article></div></body></html>",
        "t".repeat(100_000),
        article_paragraphs(10)
    );
    let _ = survives("attr.html", &html);
}

#[test]
fn fifty_megabyte_page_is_bounded() {
    // ~50 MB of article-like paragraphs. Pages this big are cut to the size limit
    // before parsing, so time and memory stay bounded.
    let para = article_paragraphs(1);
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        para.repeat(50 * 1024 * 1024 / para.len())
    );
    assert!(html.len() > 50_000_000);
    let a = survives("big.html", &html).expect("a best-effort article");
    assert!(a.body.contains("harbour board"));
    // Peak RSS of the whole test process (other tests run alongside): the page is
    // cut to 8 MiB before parsing, so the parsed trees stay far below this.
    if let Some(kib) = peak_rss_kib() {
        eprintln!("peak RSS {} MiB", kib / 1024);
        assert!(kib < 1536 * 1024, "peak RSS {} MiB", kib / 1024);
    }
}

/// Peak resident set size of this process in KiB (Linux `VmHWM`), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn script_only_and_empty_pages_are_errors() {
    for (name, html) in [
        ("empty.html", String::new()),
        ("blank.html", " \n\t ".to_string()),
        (
            "script.html",
            format!(
                "<html><head><script>{}</script></head><body><script>var a=1;</script></body></html>",
                "document.write('x');".repeat(10_000)
            ),
        ),
        (
            "style.html",
            "<style>p{color:red}</style><noscript></noscript>".to_string(),
        ),
    ] {
        assert!(survives(name, &html).is_none(), "{name} gave an article");
    }
}

#[test]
fn broken_json_ld_and_metadata() {
    let html = format!(
        "<html lang='\u{0}\u{ffff}'><head>\
         <script type='application/ld+json'>{}</script>\
         <script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\"headline\":{{\"x\":1}},\"author\":[[[[1]]]],\"datePublished\":\"99999-99-99\"}}</script>\
         <meta property='article:published_time' content='not a date'>\
         <link rel=canonical href='http://[::1'></head><body>{}</body></html>",
        "[".repeat(100_000),
        article_paragraphs(8)
    );
    let a = survives("jsonld.html", &html).expect("article despite bad metadata");
    assert!(a.published.is_none());
}

#[test]
fn invalid_bytes_decode_to_valid_utf8() {
    let mut bytes = b"<html><head><meta charset='utf-8'></head><body><article>".to_vec();
    for i in 0..20 {
        bytes.extend_from_slice(
            format!("<p>Paragraph {i} about the ferry timetable and the harbour fees ").as_bytes(),
        );
        // Invalid UTF-8: lone continuation bytes, overlong forms, a truncated sequence,
        // surrogate encodings and NUL.
        bytes.extend_from_slice(&[0x80, 0xBF, 0xC0, 0xAF, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0x00]);
        bytes.extend_from_slice(b" which the council set last spring.</p>");
    }
    bytes.extend_from_slice(b"</article></body></html>");
    let text = decode_html(&bytes);
    assert!(std::str::from_utf8(text.as_bytes()).is_ok());
    let _ = survives("bytes.html", &text);

    // A declared charset that does not exist, and random bytes.
    let junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut page = b"<meta charset='x-no-such-charset'>".to_vec();
    page.extend_from_slice(&junk);
    let text = decode_html(&page);
    let _ = survives("junk.html", &text);
}

#[test]
fn script_and_comment_floods_are_bounded() {
    // Megabytes of script, style, SVG and comments around a short article: cut
    // before parsing, they must not cost time or leak into the body; an unclosed
    // comment or script leaves the rest to the parser.
    let js = "var x = '<p>not article text</p>'; ".repeat(100_000);
    let html = format!(
        "<html><head><script>{js}</script><style>{}</style></head><body>\
         <!-- {} --><svg>{}</svg><article>{}</article><script>{js}",
        "p { color: red } ".repeat(50_000),
        "<div>".repeat(50_000),
        "<path d='M0 0'/>".repeat(50_000),
        article_paragraphs(6)
    );
    let a = survives("flood.html", &html).expect("the article survives");
    assert!(a.body.contains("harbour board"), "{}", a.body);
    assert!(!a.body.contains("not article text"));
    let _ = survives(
        "open-comment.html",
        &format!("{}<!-- {}", article_paragraphs(6), "x".repeat(1_000_000)),
    );
}

#[test]
fn undeclared_legacy_encoding_is_detected() {
    // A Cyrillic page in windows-1251 with no charset anywhere.
    let text = "<html><body><article><p>Паромное сообщение между островом и материком \
        отменено до понедельника из-за шторма, сообщила береговая охрана.</p><p>Пассажиры, \
        купившие билеты, получат полный возврат в течение десяти рабочих дней, заявили в \
        компании-перевозчике.</p></article></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let decoded = decode_html(&bytes);
    assert!(decoded.contains("береговая охрана"), "{decoded}");
    let a = survives("cp1251.html", &decoded).expect("an article");
    assert!(a.body.contains("Пассажиры"));
}
