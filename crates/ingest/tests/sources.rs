//! Sources beyond plain files: feeds, WARC, and fetching over HTTP from a server
//! started in the test on 127.0.0.1 (no other address is ever contacted). All inputs
//! are built here from invented articles.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parallax_ingest::{
    read_paths, read_sources, FetchConfig, FetchErrorKind, Fetcher, ReadOptions, SkipKind,
    SourceItem,
};

// ---------------------------------------------------------------- test inputs

/// An invented news page with enough text for the extractor.
fn page(title: &str, topic: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
<body><nav><a href=\"/\">Home</a> <a href=\"/local\">Local</a></nav><article><h1>{title}</h1>\
<p>The harbour board in Eastmere met on Monday evening to discuss {topic}, after weeks of complaints from fishing crews and ferry operators about the state of the old quay.</p>\
<p>Board chair Ana Ruiz said the work would start in the spring and would be paid for from the port's own reserves rather than from higher berth fees, which crews had feared.</p>\
<p>\"We have listened to the people who use the quay every day,\" Ruiz said. \"The plan we agreed tonight keeps the harbour open while the repairs are carried out.\"</p>\
<p>The ferry company welcomed the decision but said it would watch closely how the timetable changes during the works, which are expected to last four months.</p>\
</article><footer>Copyright Eastmere Echo</footer></body></html>"
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn long_text(words: usize) -> String {
    let sentence = "The council agreed the new ferry timetable after a long meeting with residents and crews. ";
    let per = sentence.split_whitespace().count();
    sentence.repeat(words / per + 1)
}

/// One WARC record; `block_len` overrides the true Content-Length (to make it lie).
fn warc_record(
    kind: &str,
    uri: &str,
    ctype: &str,
    block: &[u8],
    block_len: Option<usize>,
) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2026-11-15T08:12:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\nWARC-Target-URI: {uri}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        block_len.unwrap_or(block.len())
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(status: &str, ctype: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn response_record(uri: &str, html: &str) -> Vec<u8> {
    warc_record(
        "response",
        uri,
        "application/http; msgtype=response",
        &http_response("200 OK", "text/html; charset=utf-8", html.as_bytes()),
        None,
    )
}

fn request_record(uri: &str) -> Vec<u8> {
    let block = format!("GET / HTTP/1.1\r\nHost: {uri}\r\nUser-Agent: test\r\n\r\n");
    warc_record(
        "request",
        uri,
        "application/http; msgtype=request",
        block.as_bytes(),
        None,
    )
}

fn metadata_record(uri: &str) -> Vec<u8> {
    warc_record(
        "metadata",
        uri,
        "application/warc-fields",
        b"fetchTimeMs: 120\r\n",
        None,
    )
}

fn warcinfo() -> Vec<u8> {
    let block = b"software: parallax-test\r\nformat: WARC File Format 1.0\r\n";
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2026-11-15T08:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A CC-NEWS-style WARC.gz: every record its own gzip member.
fn per_record_gzip(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gzip(r)).collect()
}

fn items(paths: &[PathBuf], opts: &ReadOptions) -> Vec<SourceItem> {
    let sources: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    read_sources(&sources, opts).collect()
}

fn articles(items: &[SourceItem]) -> Vec<&parallax_core::Article> {
    items
        .iter()
        .filter_map(|i| match i {
            SourceItem::Article(a) => Some(a),
            _ => None,
        })
        .collect()
}

fn errors(items: &[SourceItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            SourceItem::Error(e) => Some(e.to_string()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------- feeds

#[test]
fn rss_full_content_and_link_only_items() {
    let dir = tempfile::tempdir().unwrap();
    let rss = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>The Harbour Times</title>
<link>https://harbour-times.example/</link>
<language>en-gb</language>
<item>
  <title>Ferry timetable agreed</title>
  <link>https://harbour-times.example/transport/ferry-timetable</link>
  <dc:creator>Ana Ruiz</dc:creator>
  <pubDate>Sun, 15 Nov 2026 08:12:00 GMT</pubDate>
  <description>The council agreed a timetable.</description>
  <content:encoded><![CDATA[<p>{}</p><p>Residents said they were pleased &amp; relieved.</p>]]></content:encoded>
</item>
<item>
  <title>Lido to reopen in spring</title>
  <link>https://harbour-times.example/local/lido</link>
  <description>The lido will reopen after repairs. Read more on our site.</description>
</item>
</channel>
</rss>"#,
        long_text(80)
    );
    let p = dir.path().join("feed.rss");
    std::fs::write(&p, &rss).unwrap();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    assert_eq!(got.len(), 2, "{got:?}");
    let SourceItem::Article(a) = &got[0] else {
        panic!("{:?}", got[0])
    };
    assert_eq!(a.title, "Ferry timetable agreed");
    assert_eq!(a.source, format!("{}#item-1", p.display()));
    assert_eq!(
        a.url.as_deref(),
        Some("https://harbour-times.example/transport/ferry-timetable")
    );
    assert_eq!(a.outlet.name, "The Harbour Times");
    assert_eq!(a.outlet.domain.as_deref(), Some("harbour-times.example"));
    assert_eq!(a.byline, vec!["Ana Ruiz"]);
    assert_eq!(
        a.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-15T08:12:00+00:00")
    );
    assert!(a.body.contains("pleased & relieved"), "{}", a.body);
    let SourceItem::Skipped(s) = &got[1] else {
        panic!("{:?}", got[1])
    };
    assert_eq!(s.kind, SkipKind::LinkOnly);
    assert!(s.detail.contains("--follow"), "{s}");
    assert!(s.to_string().contains("feed.rss#item-2"), "{s}");

    // The old API takes feeds too, without the skips; `.xml` and sniffing work.
    let x = dir.path().join("feed.xml");
    std::fs::write(&x, &rss).unwrap();
    let y = dir.path().join("feed-without-extension");
    std::fs::write(&y, &rss).unwrap();
    let r: Vec<_> = read_paths(&[x, y]).collect();
    assert_eq!(r.len(), 2);
    assert!(r
        .iter()
        .all(|r| r.as_ref().unwrap().title == "Ferry timetable agreed"));
}

#[test]
fn atom_and_json_feed() {
    let dir = tempfile::tempdir().unwrap();
    let atom = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Eastmere Echo</title>
  <link href="https://eastmere-echo.example/"/>
  <id>urn:test:echo</id>
  <updated>2026-11-16T10:00:00Z</updated>
  <entry>
    <title type="html">Quay repairs &lt;b&gt;approved&lt;/b&gt;</title>
    <link rel="alternate" href="/quay-repairs"/>
    <id>urn:test:quay</id>
    <published>2026-11-16T09:30:00+01:00</published>
    <author><name>Tom Okafor</name></author>
    <content type="html">&lt;p&gt;{}&lt;/p&gt;</content>
  </entry>
</feed>"#,
        long_text(60)
    );
    let p = dir.path().join("echo.atom");
    std::fs::write(&p, atom).unwrap();
    let got = items(&[p], &ReadOptions::default());
    let a = articles(&got);
    assert_eq!(a.len(), 1, "{got:?}");
    assert_eq!(a[0].title, "Quay repairs approved");
    assert_eq!(a[0].byline, vec!["Tom Okafor"]);
    assert_eq!(a[0].outlet.name, "Eastmere Echo");
    // A relative item link, resolved against the feed's home link.
    assert_eq!(
        a[0].url.as_deref(),
        Some("https://eastmere-echo.example/quay-repairs")
    );
    assert_eq!(
        a[0].published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-16T08:30:00+00:00")
    );

    let json = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Porthaven Post",
        "home_page_url": "https://porthaven-post.example/",
        "items": [
            {"id": "1", "url": "https://porthaven-post.example/a", "title": "Night ferry cancelled",
             "content_text": long_text(50), "date_published": "2026-11-15T07:00:00Z",
             "authors": [{"name": "Lena Park"}]},
            {"id": "2", "url": "https://porthaven-post.example/b", "title": "Short one",
             "summary": "Just a teaser."},
            {"id": "3", "title": "No link, no text"}
        ]
    })
    .to_string();
    // Named .json: sniffed as a feed, not as a JSON article.
    let p = dir.path().join("post.json");
    std::fs::write(&p, json).unwrap();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    assert_eq!(got.len(), 3, "{got:?}");
    let a = articles(&got);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].title, "Night ferry cancelled");
    assert_eq!(a[0].byline, vec!["Lena Park"]);
    assert!(matches!(&got[1], SourceItem::Skipped(s) if s.kind == SkipKind::LinkOnly));
    let e = errors(&got);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("post.json#item-3"), "{e:?}");

    // A broken feed is one error, not a panic.
    let p = dir.path().join("broken.rss");
    std::fs::write(&p, "<rss version=\"2.0\"><channel><item><title>Cut off").unwrap();
    let got = items(&[p], &ReadOptions::default());
    assert!(!got.is_empty());
    assert!(
        got.iter().all(|i| !matches!(i, SourceItem::Article(_))),
        "{got:?}"
    );
}

// ---------------------------------------------------------------- WARC

#[test]
fn cc_news_style_warc_gz() {
    let dir = tempfile::tempdir().unwrap();
    let records = vec![
        warcinfo(),
        request_record("https://eastmere-echo.example/quay"),
        response_record(
            "https://eastmere-echo.example/quay",
            &page("Quay rules agreed", "the quay"),
        ),
        metadata_record("https://eastmere-echo.example/quay"),
        warc_record(
            "response",
            "https://eastmere-echo.example/logo.png",
            "application/http; msgtype=response",
            &http_response("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0"),
            None,
        ),
        warc_record(
            "response",
            "https://eastmere-echo.example/old",
            "application/http; msgtype=response",
            &http_response("301 Moved Permanently", "text/html", b""),
            None,
        ),
        response_record(
            "https://harbour-times.example/lido",
            &page("Lido reopens after repairs", "the lido"),
        ),
    ];
    let p = dir.path().join("CC-NEWS-20261115.warc.gz");
    std::fs::write(&p, per_record_gzip(&records)).unwrap();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    let a = articles(&got);
    assert_eq!(a.len(), 2, "{got:?}");
    assert_eq!(a[0].title, "Quay rules agreed");
    assert_eq!(
        a[0].url.as_deref(),
        Some("https://eastmere-echo.example/quay")
    );
    assert_eq!(a[0].source, format!("{}#record-3", p.display()));
    assert_eq!(a[0].outlet.domain.as_deref(), Some("eastmere-echo.example"));
    assert_eq!(
        a[0].published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-15T08:12:00+00:00")
    );
    assert_eq!(a[1].source, format!("{}#record-7", p.display()));
    let skips: Vec<SkipKind> = got
        .iter()
        .filter_map(|i| match i {
            SourceItem::Skipped(s) => Some(s.kind),
            _ => None,
        })
        .collect();
    assert_eq!(skips, vec![SkipKind::NotHtml, SkipKind::HttpStatus]);
    assert!(errors(&got).is_empty(), "{got:?}");

    // Plain WARC, sniffed without the extension, through the old API.
    let plain: Vec<u8> = records.concat();
    let q = dir.path().join("crawl.dat");
    std::fs::write(&q, &plain).unwrap();
    let r: Vec<_> = read_paths(&[q]).collect();
    assert_eq!(r.len(), 2, "{r:?}");
    assert!(r.iter().all(|r| r.is_ok()));
}

#[test]
fn lying_lengths_cost_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let good1 = response_record("https://a.example/one", &page("First story here", "berths"));
    let good2 = response_record("https://a.example/two", &page("Second story here", "fees"));
    let good3 = response_record(
        "https://a.example/three",
        &page("Third story here", "moorings"),
    );
    let html = page("Liar story", "lies");
    let block = http_response("200 OK", "text/html", html.as_bytes());
    // Claims 300 bytes more than it has: swallows the start of the next record.
    let over = warc_record(
        "response",
        "https://a.example/over",
        "application/http; msgtype=response",
        &block,
        Some(block.len() + 300),
    );
    // Claims 100 bytes fewer.
    let under = warc_record(
        "response",
        "https://a.example/under",
        "application/http; msgtype=response",
        &block,
        Some(block.len() - 100),
    );
    let file: Vec<u8> = [good1, over, good2.clone(), under, good3].concat();
    let p = dir.path().join("liar.warc");
    std::fs::write(&p, &file).unwrap();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    let titles: Vec<&str> = articles(&got).iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["First story here", "Second story here", "Third story here"],
        "{got:?}"
    );
    let e = errors(&got);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].contains("liar.warc#record-2") && e[0].contains("Content-Length"),
        "{e:?}"
    );
    assert!(e[1].contains("Content-Length"), "{e:?}");

    // A length far past the end of the file: an error, no giant allocation.
    let mut huge = response_record("https://a.example/one", &page("Kept story", "quays"));
    huge.extend_from_slice(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 99999999999\r\n\r\nHTTP/1.1 200 OK\r\n\r\nshort",
    );
    let p = dir.path().join("huge.warc");
    std::fs::write(&p, &huge).unwrap();
    let got = items(&[p], &ReadOptions::default());
    assert_eq!(articles(&got).len(), 1);
    let e = errors(&got);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("runs past the end"), "{e:?}");

    // No Content-Length, junk between records, invalid bytes: errors, then recovery.
    let mut junk = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n\xff\xfe garbage \x00\x01\r\n".to_vec();
    junk.extend_from_slice(b"\x00\x9f binary junk that is not a header\n");
    junk.extend_from_slice(&good2);
    let p = dir.path().join("junk.warc");
    std::fs::write(&p, &junk).unwrap();
    let got = items(&[p], &ReadOptions::default());
    assert_eq!(articles(&got).len(), 1, "{got:?}");
    assert!(!errors(&got).is_empty());
}

#[test]
fn truncated_warc_gz_keeps_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let records = vec![
        warcinfo(),
        response_record("https://a.example/one", &page("First story here", "berths")),
        response_record("https://a.example/two", &page("Second story here", "fees")),
    ];
    let gz = per_record_gzip(&records);
    let p = dir.path().join("cut.warc.gz");
    std::fs::write(&p, &gz[..gz.len() - 200]).unwrap();
    let got = items(&[p], &ReadOptions::default());
    assert_eq!(articles(&got).len(), 1, "{got:?}");
    let e = errors(&got);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("truncated or corrupt gzip"), "{e:?}");

    // Random bytes after a valid gzip header: an error, never a panic.
    let mut bad = gzip(&records[0]);
    bad.extend_from_slice(b"\x1f\x8b\x08\x00\xde\xad\xbe\xef not deflate at all");
    let p = dir.path().join("bad.warc.gz");
    std::fs::write(&p, bad).unwrap();
    let got = items(&[p], &ReadOptions::default());
    assert_eq!(errors(&got).len(), 1, "{got:?}");
}

// ---------------------------------------------------------------- HTTP

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn reply(status: u16, ctype: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".into(), ctype.into())],
        body: body.into(),
    }
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers at most `max` requests
/// within 20 seconds, then stops by itself. `route(path, n)` answers the n-th
/// (1-based) request for a path. Returns the base URL and the paths it was asked for.
fn serve(
    max: usize,
    route: impl Fn(&str, usize) -> Reply + Send + 'static,
) -> (String, Arc<Mutex<Vec<String>>>, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let handle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut hits: HashMap<String, usize> = HashMap::new();
        let mut served = 0;
        while served < max && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    served += 1;
                    if let Some(path) = answer(stream, &mut hits, &route) {
                        log.lock().unwrap().push(path);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => break,
            }
        }
    });
    (base, seen, handle)
}

fn answer(
    mut stream: TcpStream,
    hits: &mut HashMap<String, usize>,
    route: &impl Fn(&str, usize) -> Reply,
) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let path = head.split_whitespace().nth(1)?.to_string();
    let n = hits.entry(path.clone()).or_default();
    *n += 1;
    let r = route(&path, *n);
    let mut out = format!(
        "HTTP/1.1 {} Test\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        r.body.len()
    );
    for (k, v) in &r.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&r.body);
    stream.write_all(&bytes).ok()?;
    stream.flush().ok()?;
    Some(path)
}

fn quick() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
        retry_backoff: Duration::from_millis(10),
        per_host_interval: Duration::ZERO,
        ..FetchConfig::default()
    }
}

#[test]
fn fetch_page_robots_and_rate_limit() {
    let (base, seen, server) = serve(6, |path, _| match path {
        "/robots.txt" => reply(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/news/quay" => reply(
            200,
            "text/html; charset=utf-8",
            page("Quay rules agreed", "the quay"),
        ),
        "/news/lido" => reply(
            200,
            "text/html",
            page("Lido reopens after repairs", "the lido"),
        ),
        _ => reply(200, "text/html", page("Private page", "secrets")),
    });
    let opts = ReadOptions {
        fetch: FetchConfig {
            per_host_interval: Duration::from_millis(150),
            ..quick()
        },
        ..ReadOptions::default()
    };
    let start = Instant::now();
    let sources = vec![
        format!("{base}/news/quay"),
        format!("{base}/private/files"),
        format!("{base}/news/lido"),
    ];
    let got: Vec<SourceItem> = read_sources(&sources, &opts).collect();
    let elapsed = start.elapsed();
    let a = articles(&got);
    assert_eq!(a.len(), 2, "{got:?}");
    assert_eq!(a[0].title, "Quay rules agreed");
    assert_eq!(
        a[0].url.as_deref(),
        Some(format!("{base}/news/quay").as_str())
    );
    assert_eq!(a[0].source, format!("{base}/news/quay"));
    let e = errors(&got);
    assert_eq!(e.len(), 1);
    assert!(
        e[0].contains("/private/files") && e[0].contains("robots.txt"),
        "{e:?}"
    );
    // robots.txt + two pages, 150 ms apart.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    drop(got);
    let _ = std::net::TcpStream::connect(base.trim_start_matches("http://"));
    let _ = std::net::TcpStream::connect(base.trim_start_matches("http://"));
    let _ = std::net::TcpStream::connect(base.trim_start_matches("http://"));
    server.join().unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, vec!["/robots.txt", "/news/quay", "/news/lido"]);
}

#[test]
fn redirects_retries_caps_and_gzip() {
    let html = page("Ferry timetable agreed", "the ferry");
    let gz_html = gzip(html.as_bytes());
    let bomb = gzip(&vec![b' '; 2 * 1024 * 1024]);
    let (base, _seen, server) = serve(40, move |path, n| {
        if let Some(i) = path.strip_prefix("/hop/") {
            let i: u32 = i.parse().unwrap();
            let next = if i == 0 {
                "/final".to_string()
            } else {
                format!("/hop/{}", i - 1)
            };
            return Reply {
                status: 302,
                headers: vec![("Location".into(), next)],
                body: Vec::new(),
            };
        }
        match path {
            "/robots.txt" => reply(404, "text/plain", "not here"),
            "/final" => reply(200, "text/html", html.clone()),
            "/flaky" if n == 1 => reply(503, "text/plain", "busy"),
            "/flaky" => reply(200, "text/html", html.clone()),
            "/down" => reply(503, "text/plain", "busy"),
            "/big" => reply(200, "text/html", vec![b'x'; 200 * 1024]),
            "/gz" | "/bomb" => Reply {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), "text/html".into()),
                    ("Content-Encoding".into(), "gzip".into()),
                ],
                body: if path == "/gz" {
                    gz_html.clone()
                } else {
                    bomb.clone()
                },
            },
            _ => reply(404, "text/plain", "no"),
        }
    });
    let f = Fetcher::new(FetchConfig {
        max_redirects: 3,
        retries: 2,
        max_bytes: 64 * 1024,
        ..quick()
    });

    // Three hops are allowed and the final URL is reported; four are not.
    let ok = f.fetch(&format!("{base}/hop/2")).unwrap();
    assert_eq!(ok.final_url, format!("{base}/final"));
    assert_eq!(ok.requested, format!("{base}/hop/2"));
    let e = f.fetch(&format!("{base}/hop/5")).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::TooManyRedirects, "{e}");

    // 503 then 200: retried.
    let ok = f.fetch(&format!("{base}/flaky")).unwrap();
    assert_eq!((ok.status, ok.attempts), (200, 2));
    let e = f.fetch(&format!("{base}/down")).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Status(503));
    assert!(e.message.contains("3 attempts"), "{e}");

    // Size cap, before and after decompression.
    let e = f.fetch(&format!("{base}/big")).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::TooLarge, "{e}");
    let e = f.fetch(&format!("{base}/bomb")).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::TooLarge, "{e}");

    // gzip-encoded page, decoded and extracted.
    let ok = f.fetch(&format!("{base}/gz")).unwrap();
    assert!(String::from_utf8_lossy(&ok.body).contains("Ferry timetable agreed"));
    let got: Vec<SourceItem> = read_sources(
        &[format!("{base}/gz")],
        &ReadOptions {
            fetch: quick(),
            ..ReadOptions::default()
        },
    )
    .collect();
    assert_eq!(articles(&got).len(), 1, "{got:?}");
    assert_eq!(articles(&got)[0].title, "Ferry timetable agreed");

    // Not a URL we fetch.
    let e = f.fetch("ftp://127.0.0.1/x").unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::BadUrl);
    drop(f);
    for _ in 0..40 {
        if server.is_finished() {
            break;
        }
        let _ = std::net::TcpStream::connect(base.trim_start_matches("http://"));
    }
    server.join().unwrap();
}

#[test]
fn follow_links_from_a_feed() {
    let (base, seen, server) = serve(4, |path, _| match path {
        "/robots.txt" => reply(
            200,
            "text/plain",
            "User-agent: parallax\nDisallow: /members/\n",
        ),
        "/local/lido" => reply(
            200,
            "text/html",
            page("Lido reopens after repairs", "the lido"),
        ),
        _ => reply(404, "text/plain", "no"),
    });
    let rss = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Eastmere Echo</title>
<item><title>Lido to reopen</title><link>{base}/local/lido</link><description>Teaser.</description><pubDate>Mon, 16 Nov 2026 09:00:00 GMT</pubDate></item>
<item><title>Members only</title><link>{base}/members/only</link><description>Teaser.</description></item>
</channel></rss>"#
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("echo.rss");
    std::fs::write(&p, rss).unwrap();
    let opts = ReadOptions {
        follow_links: true,
        fetch: quick(),
    };
    let got = items(std::slice::from_ref(&p), &opts);
    let a = articles(&got);
    assert_eq!(a.len(), 1, "{got:?}");
    assert_eq!(a[0].title, "Lido reopens after repairs");
    assert_eq!(a[0].source, format!("{}#item-1", p.display()));
    assert_eq!(
        a[0].url.as_deref(),
        Some(format!("{base}/local/lido").as_str())
    );
    assert_eq!(a[0].outlet.name, "Eastmere Echo");
    assert_eq!(
        a[0].published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-16T09:00:00+00:00")
    );
    assert!(
        matches!(&got[1], SourceItem::Skipped(s) if s.kind == SkipKind::RobotsDisallowed),
        "{got:?}"
    );
    for _ in 0..4 {
        if server.is_finished() {
            break;
        }
        let _ = std::net::TcpStream::connect(base.trim_start_matches("http://"));
    }
    server.join().unwrap();
    assert_eq!(
        seen.lock().unwrap().clone(),
        vec!["/robots.txt", "/local/lido"]
    );
}

#[test]
fn https_goes_through_rustls_without_panicking() {
    // A "server" that hangs up at once: the TLS handshake fails, as an error.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        if let Ok((s, _)) = listener.accept() {
            drop(s);
        }
    });
    let f = Fetcher::new(FetchConfig {
        retries: 0,
        respect_robots: false,
        ..quick()
    });
    let e = f.fetch(&format!("https://{addr}/page")).unwrap_err();
    assert_eq!(e.kind, FetchErrorKind::Network, "{e}");
    server.join().unwrap();
}

/// Deterministic pseudo-random numbers for the mutation test (no extra crate).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn mutated_warc_and_feeds_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let records = vec![
        warcinfo(),
        request_record("https://a.example/one"),
        response_record("https://a.example/one", &page("First story here", "berths")),
        metadata_record("https://a.example/one"),
        response_record("https://a.example/two", &page("Second story here", "fees")),
    ];
    let warc = records.concat();
    let warc_gz = per_record_gzip(&records);
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>A</title><link>https://a.example/a</link><description><![CDATA[<p>{}</p>]]></description></item></channel></rss>",
        long_text(200)
    );
    let mut rng = Lcg(42);
    let inputs: [(&str, &[u8]); 3] = [
        ("m.warc", &warc),
        ("m.warc.gz", &warc_gz),
        ("m.rss", rss.as_bytes()),
    ];
    for round in 0..40 {
        for (name, original) in inputs {
            let mut bytes = original.to_vec();
            match round % 4 {
                // Flip some bytes.
                0 | 1 => {
                    for _ in 0..1 + rng.next(8) {
                        let i = rng.next(bytes.len());
                        bytes[i] = rng.next(256) as u8;
                    }
                }
                // Cut it short.
                2 => bytes.truncate(rng.next(bytes.len())),
                // Splice a chunk of it into itself.
                _ => {
                    let a = rng.next(bytes.len());
                    let b = rng.next(bytes.len());
                    let chunk = bytes[a.min(b)..a.max(b)].to_vec();
                    let at = rng.next(bytes.len());
                    bytes.splice(at..at, chunk);
                }
            }
            let p = dir.path().join(name);
            std::fs::write(&p, &bytes).unwrap();
            // Every item names its source; nothing panics or hangs.
            for item in items(std::slice::from_ref(&p), &ReadOptions::default()) {
                assert!(
                    item.source().starts_with(&p.display().to_string()),
                    "{item:?}"
                );
            }
        }
    }
}

#[test]
fn entity_bombs_in_feeds_stay_small() {
    let dir = tempfile::tempdir().unwrap();
    let mut doctype = String::from("<!DOCTYPE rss [<!ENTITY a0 \"laugh laugh laugh laugh\">");
    for i in 1..10 {
        let prev = format!("&a{};", i - 1).repeat(10);
        doctype.push_str(&format!("<!ENTITY a{i} \"{prev}\">"));
    }
    doctype.push(']');
    doctype.push('>');
    let rss = format!(
        "<?xml version=\"1.0\"?>{doctype}<rss version=\"2.0\"><channel><title>T</title><item><title>&a9;</title><link>https://a.example/x</link><description>&a9;</description></item></channel></rss>"
    );
    let p = dir.path().join("bomb.rss");
    std::fs::write(&p, rss).unwrap();
    let start = Instant::now();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(got.len(), 1, "{got:?}");
    // Whatever the parser made of it, nothing near 10^9 laughs came out.
    let size = match &got[0] {
        SourceItem::Article(a) => a.body.len() + a.title.len(),
        SourceItem::Skipped(s) => s.detail.len(),
        SourceItem::Error(e) => e.problem.len(),
    };
    assert!(size < 1_000_000, "{size}");
}

#[test]
fn oversized_warc_record_is_streamed_past() {
    let dir = tempfile::tempdir().unwrap();
    let big_page = format!("<html><body>{}</body></html>", "x".repeat(17 * 1024 * 1024));
    let records = [
        response_record("https://a.example/huge", &big_page),
        response_record("https://a.example/two", &page("Second story here", "fees")),
    ];
    let p = dir.path().join("big.warc");
    std::fs::write(&p, records.concat()).unwrap();
    let got = items(std::slice::from_ref(&p), &ReadOptions::default());
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        matches!(&got[0], SourceItem::Skipped(s) if s.kind == SkipKind::TooLarge && s.detail.contains("a.example/huge")),
        "{:?}",
        got[0].source()
    );
    assert_eq!(articles(&got)[0].title, "Second story here");
}
