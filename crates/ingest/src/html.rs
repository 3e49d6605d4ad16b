//! HTML pages: main content by our own scorer (`content.rs`; why hand-written is said
//! there, how it was chosen in EXTRACTORS.md), metadata from JSON-LD, OpenGraph and
//! plain meta tags, and the news specific clean-up of the text (captions, share
//! bars, prompts, credit lines).
//!
//! The page is parsed once (`dom.rs`, html5ever), and metadata and content are read
//! off that same tree.

use chrono::{DateTime, FixedOffset};
use parallax_core::{Article, Outlet};
use serde_json::Value;

use crate::dom::{Dom, NodeId, Tag, MAX_OPEN_TAGS};
use crate::meta::{date_from_url, domain_of, parse_byline, parse_date};
use crate::text::{clean_body_lines, finish_body};
use crate::IngestError;

/// Metadata found in the page head and markup.
#[derive(Debug, Default)]
struct PageMeta {
    title: Option<String>,
    og_title: Option<String>,
    html_title: Option<String>,
    site_name: Option<String>,
    publisher: Option<String>,
    authors: Vec<String>,
    published: Option<DateTime<FixedOffset>>,
    modified: Option<DateTime<FixedOffset>>,
    canonical: Option<String>,
    og_url: Option<String>,
    ld_url: Option<String>,
    lang: Option<String>,
}

fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn attr(doc: &Dom, id: NodeId, name: &str) -> Option<String> {
    doc.attr(id, name).and_then(clean)
}

/// JSON-LD types that describe the article itself.
fn is_article_type(v: &Value) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "Report" | "LiveBlogPosting" | "WebPage" | "ReportageNewsArticle"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

fn ld_names(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => parse_byline(s, false),
        Value::Object(o) => o
            .get("name")
            .and_then(Value::as_str)
            .map(|s| parse_byline(s, false))
            .unwrap_or_default(),
        Value::Array(a) => a.iter().flat_map(ld_names).collect(),
        _ => Vec::new(),
    }
}

/// The article objects in a JSON-LD block: top level, arrays and `@graph`.
fn ld_articles(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| ld_articles(x, out, depth + 1)),
        Value::Object(o) => {
            if is_article_type(v) {
                out.push(v.clone());
            }
            if let Some(g) = o.get("@graph") {
                ld_articles(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn read_json_ld(doc: &Dom, m: &mut PageMeta) {
    let mut articles = Vec::new();
    let scripts = doc.elements(Dom::ROOT, Tag::Script).filter(|&id| {
        doc.attr(id, "type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    });
    for id in scripts {
        let text = doc.text_content(id);
        // Some sites wrap JSON-LD in CDATA or HTML comments.
        let text = text
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>");
        if let Ok(v) = serde_json::from_str::<Value>(text) {
            ld_articles(&v, &mut articles, 0);
        }
    }
    // A NewsArticle beats a generic WebPage describing the same page.
    articles.sort_by_key(
        |a| !matches!(a.get("@type"), Some(Value::String(s)) if s.ends_with("Article")),
    );
    for a in &articles {
        let s = |k: &str| a.get(k).and_then(Value::as_str).and_then(clean);
        if m.title.is_none() {
            m.title = s("headline").or_else(|| s("name"));
        }
        if m.published.is_none() {
            m.published = s("datePublished").as_deref().and_then(parse_date);
        }
        if m.modified.is_none() {
            m.modified = s("dateModified").as_deref().and_then(parse_date);
        }
        if m.authors.is_empty() {
            m.authors = a.get("author").map(ld_names).unwrap_or_default();
        }
        if m.publisher.is_none() {
            m.publisher = match a.get("publisher") {
                Some(Value::Object(p)) => p.get("name").and_then(Value::as_str).and_then(clean),
                Some(Value::String(p)) => clean(p),
                Some(Value::Array(ps)) => ps
                    .iter()
                    .find_map(|p| p.get("name").and_then(Value::as_str).and_then(clean)),
                _ => None,
            };
        }
        if m.ld_url.is_none() {
            m.ld_url = s("url").or_else(|| match a.get("mainEntityOfPage") {
                Some(Value::String(u)) => clean(u),
                Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str).and_then(clean),
                _ => None,
            });
        }
    }
}

fn read_meta(doc: &Dom) -> PageMeta {
    let mut m = PageMeta::default();
    read_json_ld(doc, &mut m);
    let mut meta_date = None;
    let mut meta_authors: Vec<String> = Vec::new();
    for id in doc.elements(Dom::ROOT, Tag::Meta) {
        let key = doc
            .attr(id, "property")
            .or_else(|| doc.attr(id, "name"))
            .or_else(|| doc.attr(id, "itemprop"))
            .unwrap_or_default()
            .to_lowercase();
        let Some(content) = attr(doc, id, "content") else {
            continue;
        };
        match key.as_str() {
            "og:title" | "twitter:title" => {
                m.og_title.get_or_insert(content);
            }
            "og:site_name" | "application-name" => {
                m.site_name.get_or_insert(content);
            }
            "og:url" => {
                m.og_url.get_or_insert(content);
            }
            "article:published_time" | "datepublished" | "og:published_time"
                if m.published.is_none() =>
            {
                m.published = parse_date(&content);
            }
            "article:modified_time" | "datemodified" | "og:updated_time"
                if m.modified.is_none() =>
            {
                m.modified = parse_date(&content);
            }
            "pubdate" | "publishdate" | "publish-date" | "date" | "dc.date" | "dc.date.issued"
            | "dcterms.date" | "parsely-pub-date" | "sailthru.date" | "article.published"
                if meta_date.is_none() =>
            {
                meta_date = parse_date(&content);
            }
            // article:author is often a profile URL, which parse_byline refuses.
            "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
                if meta_authors.is_empty() =>
            {
                meta_authors = parse_byline(&content, false);
            }
            _ => {}
        }
    }
    if m.authors.is_empty() {
        m.authors = meta_authors;
    }
    if m.authors.is_empty() {
        m.authors = markup_byline(doc);
    }
    if m.published.is_none() {
        m.published = meta_date;
    }
    if m.published.is_none() {
        // <time pubdate> or the first <time datetime> inside the article markup.
        let times: Vec<NodeId> = doc
            .elements(Dom::ROOT, Tag::Time)
            .filter(|&id| doc.attr(id, "datetime").is_some())
            .collect();
        let preferred = times.iter().find(|&&id| {
            doc.attr(id, "pubdate").is_some()
                || doc
                    .attr(id, "itemprop")
                    .is_some_and(|v| v == "datePublished")
        });
        m.published = preferred
            .or(times.first())
            .and_then(|&id| doc.attr(id, "datetime"))
            .and_then(parse_date);
    }
    for id in doc.elements(Dom::ROOT, Tag::Link) {
        if m.canonical.is_none()
            && doc
                .attr(id, "rel")
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("canonical"))
        {
            m.canonical = attr(doc, id, "href");
        }
    }
    if let Some(id) = doc.elements(Dom::ROOT, Tag::Html).next() {
        m.lang = attr(doc, id, "lang")
            .or_else(|| attr(doc, id, "xml:lang"))
            .and_then(|l| {
                let primary = l.split(['-', '_']).next().unwrap_or("").to_lowercase();
                (2..=3).contains(&primary.len()).then_some(primary)
            });
    }
    if let Some(id) = doc.elements(Dom::ROOT, Tag::Title).next() {
        m.html_title = clean(&doc.text_content(id));
    }
    m
}

/// Authors from the byline markup in the page body, for pages without author
/// metadata: `rel=author` links, `itemprop=author` and elements whose class says
/// byline or author name. The first that parses as names wins; "By" and job titles
/// are dropped by [`parse_byline`].
fn markup_byline(doc: &Dom) -> Vec<String> {
    let is_byline = |id: NodeId| {
        doc.attr(id, "itemprop").is_some_and(|v| v == "author")
            || doc.is(id, Tag::A) && doc.attr(id, "rel").is_some_and(|v| v == "author")
            || doc.attr(id, "class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("byline") || c.contains("author-name") || c.contains("authorname")
            })
    };
    let candidates = doc
        .descendants(Dom::ROOT)
        .filter(|&id| doc.tag(id).is_some() && is_byline(id))
        .take(20);
    for id in candidates {
        let text = doc.text_content(id);
        if text.len() > 200 {
            continue;
        }
        let names = parse_byline(&text, false);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// Splits "Headline | Site" / "Headline - Site" into the headline and the site name.
/// Only a short last part counts as a site name: headlines contain dashes too.
fn split_title_suffix(title: &str) -> (String, Option<String>) {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail = tail.trim();
            let head = head.trim();
            if !head.is_empty()
                && !tail.is_empty()
                && tail.split_whitespace().count() <= 5
                && head.len() > tail.len()
            {
                // "Headline | Section | Site": drop the section as well.
                let head = match head.rsplit_once(sep) {
                    Some((h, sec)) if sec.split_whitespace().count() <= 2 && h.len() > 10 => {
                        h.trim()
                    }
                    _ => head,
                };
                return (head.to_string(), Some(tail.to_string()));
            }
        }
    }
    (title.trim().to_string(), None)
}

/// Resolves a possibly relative link against the page URL.
fn absolute(link: &str, base: Option<&str>) -> Option<String> {
    if link.starts_with("http://") || link.starts_with("https://") {
        return Some(link.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if let Some(l) = link.strip_prefix("//") {
        return Some(format!("{scheme}://{l}"));
    }
    if link.starts_with('/') {
        return Some(format!("{scheme}://{host}{link}"));
    }
    None
}

/// A canonical link that names the front page (a common CMS mistake) or another
/// site's page says nothing about this article's identity.
fn plausible_article_url(u: &str) -> bool {
    let Some(rest) = u.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let path = rest.split_once('/').map(|(_, p)| p).unwrap_or("");
    !path.trim_matches('/').is_empty()
}

/// Elements that end a paragraph in the extractor's output HTML.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "th",
    "td",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "main",
    "aside",
    "head",
    "list",
    "item",
    "quote",
    "code",
    "hr",
];

/// Text of an HTML fragment (a feed item's content): paragraphs separated by a blank
/// line, `<br>` a line break, scripts, styles and captions dropped.
pub(crate) fn fragment_to_text(html: &str) -> String {
    let text = html_text(
        html,
        &["script", "style", "noscript", "template", "figcaption"],
    );
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim_matches('\n').to_string()
}

/// Walks parsed HTML into text: a blank line around each block element, a newline
/// for `<br>`, source line breaks inside text as spaces, elements in `skip` dropped.
/// Iterative with an explicit stack, because hostile trees can be very deep.
fn html_text(html: &str, skip: &[&str]) -> String {
    let doc = Dom::parse(html);
    let mut out = String::new();
    // (node, closing): a block element is visited twice, to open and to close its line.
    let mut stack = vec![(Dom::ROOT, false)];
    while let Some((id, closing)) = stack.pop() {
        if closing {
            out.push_str("\n\n");
            continue;
        }
        if let Some(t) = doc.text(id) {
            out.push_str(&t.replace(['\n', '\r', '\t'], " "));
            continue;
        }
        if let Some(tag) = doc.tag(id) {
            let name = doc.tag_name(id);
            if skip.contains(&name) || tag == Tag::Head {
                continue;
            }
            if tag == Tag::Br {
                out.push('\n');
                continue;
            }
            if BLOCK_TAGS.contains(&name) {
                out.push_str("\n\n");
                stack.push((id, true));
            }
        }
        let children: Vec<NodeId> = doc.children(id).collect();
        for c in children.into_iter().rev() {
            stack.push((c, false));
        }
    }
    out
}

/// The extractor's output as paragraphs: chrome and captions removed, and the
/// headline, which extractors keep at the top, taken off.
fn body_paragraphs(lines: &[String], titles: &[&str]) -> Vec<String> {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let titles: Vec<String> = titles
        .iter()
        .map(|t| norm(t))
        .filter(|t| !t.is_empty())
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let mut paras: Vec<String> = clean_body_lines(&refs)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    while paras.first().is_some_and(|p| titles.contains(&norm(p))) {
        paras.remove(0);
    }
    paras
}

fn run_extractor(html: &str) -> Result<(PageMeta, Vec<String>), String> {
    let doc = Dom::parse_page(html)
        .map_err(|_| format!("HTML nested too deeply (over {MAX_OPEN_TAGS} open tags)"))?;
    let meta = read_meta(&doc);
    let found = crate::content::extract(&doc);
    Ok((meta, found.lines))
}

/// Pages are cut to this size before parsing. Real articles are far smaller (the
/// largest page of the trafilatura evaluation set is 1.6 MB); a bigger one is a
/// dump or an attack, and its tree costs several times its size in memory.
/// The article, if any, is near the top, so the cut is best effort.
const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

fn cut_to_limit(html: &str) -> &str {
    if html.len() <= MAX_HTML_BYTES {
        return html;
    }
    let mut end = MAX_HTML_BYTES;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    &html[..end]
}

/// Stack for the extraction thread. The parser and extractor recurse over the tree;
/// a deeply nested page must not overflow the caller's (often 2 MiB) stack, which
/// would abort the process. The size is address space reserved, not memory used.
const EXTRACT_STACK: usize = 256 * 1024 * 1024;

/// Runs the extractor on its own thread so that a panic or deep recursion inside
/// it becomes an error for this one page instead of ending the whole ingest.
fn extract_isolated(html: &str) -> Result<(PageMeta, Vec<String>), String> {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("parallax-extract".into())
            .stack_size(EXTRACT_STACK)
            .spawn_scoped(s, || run_extractor(html));
        match handle {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| Err("the HTML extractor failed on this page".to_string())),
            // No thread to be had: run here and accept the risk.
            Err(_) => run_extractor(html),
        }
    })
}

/// Reads an article from an HTML page: main text without navigation, share bars,
/// captions or credit lines, plus title, outlet, byline, dates, language and URL
/// from the page's metadata. `url` is where the page was fetched from, if known;
/// the page's own canonical link wins over it as the article's URL.
pub fn extract_html(html: &str, source: &str, url: Option<&str>) -> Result<Article, IngestError> {
    let err = |problem: String| IngestError {
        source: source.to_string(),
        line: None,
        problem,
    };
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    let html = cut_to_limit(html);
    if html.trim().is_empty() {
        return Err(err("empty file".to_string()));
    }
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    let (m, lines) = extract_isolated(html).map_err(|e| err(format!("cannot extract: {e}")))?;

    let (title_from_tag, suffix_site) = m
        .html_title
        .as_deref()
        .map(split_title_suffix)
        .unwrap_or_default();
    let titles: Vec<&str> = [
        m.title.as_deref(),
        m.og_title.as_deref(),
        m.html_title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .chain([title_from_tag.as_str()])
    .collect();
    let (body, credits) = finish_body(body_paragraphs(&lines, &titles));
    if body.is_empty() {
        return Err(err("no article text found in the HTML".to_string()));
    }
    let title = m
        .title
        .clone()
        .or_else(|| m.og_title.as_deref().map(|t| split_title_suffix(t).0))
        .or_else(|| (!title_from_tag.is_empty()).then_some(title_from_tag))
        .unwrap_or_default();

    let base = url.or(m.og_url.as_deref());
    let page_url = [
        m.canonical.as_deref(),
        m.og_url.as_deref(),
        m.ld_url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|u| absolute(u, base))
    .find(|u| plausible_article_url(u))
    .or_else(|| url.map(str::to_string));
    let domain = page_url
        .as_deref()
        .and_then(domain_of)
        .or_else(|| url.and_then(domain_of));
    let name = m
        .publisher
        .clone()
        .or_else(|| m.site_name.clone())
        .or(suffix_site)
        .unwrap_or_default();
    let outlet = Outlet::new(name, domain);
    // The page's own dates first; a date in the article's URL path last.
    let published = m
        .published
        .or(m.modified)
        .or_else(|| page_url.as_deref().and_then(date_from_url))
        .or_else(|| url.and_then(date_from_url));
    let language = parallax_nlp::language::detect(&body).or(m.lang.clone());

    Ok(Article {
        id: Article::derive_id(page_url.as_deref(), &outlet, &title, &body),
        source: source.to_string(),
        url: page_url,
        outlet,
        title,
        byline: m.authors,
        published,
        language,
        body,
        credits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<title>Night ferry cancelled after engine fault | The Harbour Times</title>
<link rel="canonical" href="/transport/night-ferry-cancelled">
<meta property="og:title" content="Night ferry to Porthaven cancelled">
<meta property="og:site_name" content="Harbour Times Online">
<meta property="og:url" content="https://www.harbour-times.example/transport/night-ferry-cancelled?utm_source=x">
<meta property="article:published_time" content="2026-11-15T08:12:00+00:00">
<meta name="author" content="Jonas Whitfield">
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"The Harbour Times"},
 {"@type":"NewsArticle","headline":"Night ferry to Porthaven cancelled after engine fault",
  "datePublished":"2026-11-15T09:12:00+01:00","dateModified":"2026-11-15T11:00:00+01:00",
  "author":[{"@type":"Person","name":"Jonas Whitfield"},{"@type":"Person","name":"Ana Ruiz"}],
  "publisher":{"@type":"Organization","name":"The Harbour Times"}}]}
</script>
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li><li><a href="/transport">Transport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div></header>
<main>
<article>
<h1>Night ferry to Porthaven cancelled after engine fault</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a> <a href="#">Email</a></div>
<p class="byline">By Jonas Whitfield and Ana Ruiz</p>
<figure><img src="/quay.jpg" alt=""><figcaption>Passengers on the quay at Eastmere. Photograph: Meridian Press</figcaption></figure>
<p>Passengers waited four hours on the quay at Eastmere before the operator, Bluewater Lines, cancelled the 22:40 sailing to Porthaven on Saturday night.</p>
<p>The company said a replacement vessel would run from Tuesday and that passengers holding tickets would be refunded in full within ten working days.</p>
<p>Local councillor Petra Lind said the island relied on the link for hospital visits and that the third cancellation this month showed the contract had to be reviewed.</p>
<div class="newsletter-signup"><p>Sign up to the Morning Tide newsletter for the day's harbour news.</p></div>
<p>Bluewater Lines said the engine fault had been found during routine checks before departure and that safety came first.</p>
</article>
<aside class="related-stories"><h2>Related stories</h2><ul><li><a href="/a">Harbour dredging to start in spring</a></li><li><a href="/b">Lido reopens after repairs</a></li></ul></aside>
</main>
<footer><p>© 2026 The Harbour Times. All rights reserved.</p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms</a></footer>
</body></html>"##;

    #[test]
    fn metadata_from_json_ld_og_and_head() {
        let a = extract_html(
            PAGE,
            "ferry.html",
            Some("https://harbour-times.example/x?ref=rss"),
        )
        .unwrap();
        assert_eq!(
            a.title,
            "Night ferry to Porthaven cancelled after engine fault"
        );
        assert_eq!(a.outlet.name, "The Harbour Times");
        assert_eq!(a.outlet.domain.as_deref(), Some("harbour-times.example"));
        assert_eq!(a.byline, vec!["Jonas Whitfield", "Ana Ruiz"]);
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-15T09:12:00+01:00")
        );
        assert_eq!(
            a.url.as_deref(),
            Some("https://harbour-times.example/transport/night-ferry-cancelled")
        );
        assert_eq!(a.language.as_deref(), Some("en"));
        assert_eq!(
            a.id,
            Article::derive_id(
                Some("https://www.harbour-times.example/transport/night-ferry-cancelled/"),
                &a.outlet,
                "",
                ""
            )
        );
    }

    #[test]
    fn body_without_chrome() {
        let a = extract_html(PAGE, "ferry.html", None).unwrap();
        let body = &a.body;
        assert!(body.starts_with("Passengers waited four hours"), "{body}");
        assert!(body.contains("safety came first."), "{body}");
        for chrome in [
            "Home",
            "Opinion",
            "cookies",
            "Share on",
            "Photograph",
            "Sign up",
            "Related stories",
            "Lido reopens",
            "All rights reserved",
            "Privacy",
        ] {
            assert!(!body.contains(chrome), "{chrome:?} left in {body}");
        }
        assert_eq!(body.matches("\n\n").count() + 1, body.split("\n\n").count());
        assert!(body.split("\n\n").count() >= 4, "{body}");
    }

    #[test]
    fn fallbacks_og_and_title_suffix() {
        let page = r#"<html><head><title>Lido reopens after repairs - Eastmere Echo</title>
<meta property="og:url" content="https://eastmere-echo.example/news/lido">
</head><body><article><h1>Lido reopens after repairs</h1>
<time datetime="2027-03-03">3 March</time>
<p>The lido on the Eastmere seafront reopened on Saturday after eight months of repairs to its filtration plant and changing rooms.</p>
<p>About 300 swimmers queued before the doors opened at seven, the council said.</p>
</article></body></html>"#;
        let a = extract_html(page, "lido.html", None).unwrap();
        assert_eq!(a.title, "Lido reopens after repairs");
        assert_eq!(a.outlet.name, "Eastmere Echo");
        assert_eq!(a.outlet.domain.as_deref(), Some("eastmere-echo.example"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://eastmere-echo.example/news/lido")
        );
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2027-03-03T00:00:00+00:00")
        );
        assert!(a.byline.is_empty());
        // Without author metadata the byline markup in the body is read.
        let with_byline = page.replace(
            "<time",
            "<p class=\"article-byline\">By Mira Holt, Chief Reporter</p><time",
        );
        let a = extract_html(&with_byline, "lido.html", None).unwrap();
        assert_eq!(a.byline, vec!["Mira Holt"]);
    }

    #[test]
    fn date_from_the_url_path_as_a_last_resort() {
        let page = "<html><body><article><p>The lido on the Eastmere seafront reopened on \
            Saturday after eight months of repairs to its filtration plant.</p>\
            <p>About 300 swimmers queued before the doors opened at seven.</p></article></body></html>";
        let a = extract_html(
            page,
            "lido.html",
            Some("https://eastmere-echo.example/2027/03/03/lido"),
        )
        .unwrap();
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2027-03-03T00:00:00+00:00")
        );
    }

    #[test]
    fn title_suffixes() {
        assert_eq!(
            split_title_suffix("Ferry cancelled | Transport | The Harbour Times"),
            (
                "Ferry cancelled".to_string(),
                Some("The Harbour Times".to_string())
            )
        );
        assert_eq!(
            split_title_suffix("Sea wall - what went wrong at Eastmere, and what happens next"),
            (
                "Sea wall - what went wrong at Eastmere, and what happens next".to_string(),
                None
            )
        );
    }

    #[test]
    fn hostile_pages_do_not_panic() {
        assert!(extract_html("", "e.html", None).is_err());
        assert!(extract_html("<html><body></body></html>", "e.html", None).is_err());
        let deep = format!(
            "{}<p>deep text</p>{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let e = extract_html(&deep, "deep.html", None).unwrap_err();
        assert!(e.problem.contains("nested too deeply"), "{e}");
        let unclosed = "<p>".repeat(50_000);
        let _ = extract_html(&unclosed, "p.html", None);
        let _ = extract_html(
            "<script type='application/ld+json'>{\"@graph\":[[[[[[[]]]]]]]}</script><p>x</p>",
            "j.html",
            None,
        );
        let _ = extract_html(
            "<html><body><p>Καλημέρα \u{0} ü 日本語</p></body></html>",
            "u.html",
            Some("not a url"),
        );
    }
}
