//! RSS 2.0 (and 0.9x/1.0), Atom and JSON Feed, parsed with `feed-rs`. An item that
//! carries the article (RSS `content:encoded`, Atom `content`, JSON Feed
//! `content_html`/`content_text`, or a long `description`) becomes an article; an item
//! with only a link and a teaser is fetched when following links was asked for
//! (`--follow`), and otherwise reported as skipped with the reason.

use std::sync::Arc;

use feed_rs::model::{Entry, Feed, Text};
use parallax_core::{Article, Outlet};

use crate::meta::domain_of;
use crate::sources::{Ctx, SkipKind, Skipped, SourceItem};
use crate::text::body_from_text;
use crate::{decode, extract_html, payload, IngestError};

/// Words of item content that count as the article. Publishers that put a teaser in
/// `content:encoded` rarely exceed a paragraph.
const MIN_CONTENT_WORDS: usize = 40;
/// Words of a `description`/`summary` that count as the article: descriptions are
/// usually teasers, so only a long one is the full text.
const MIN_SUMMARY_WORDS: usize = 150;

/// Whether bytes look like a feed: an `<rss>`, `<feed>` or `<rdf:RDF>` root near the
/// start, or a JSON Feed version marker.
pub(crate) fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return t.contains("jsonfeed.org/version");
    }
    if !t.starts_with('<') || t.contains("<html") {
        return false;
    }
    t.contains("<rss") || t.contains("<feed") || t.contains("<rdf:rdf")
}

/// Stack for the parser thread: generous, so that a deeply nested hostile document
/// cannot overflow the caller's stack (reserved address space, not memory used).
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Parses on its own thread so that a panic inside the parser becomes an error for
/// this one feed.
fn parse_isolated(bytes: &[u8]) -> Result<Feed, String> {
    let parse = || feed_rs::parser::parse(bytes).map_err(|e| e.to_string());
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("parallax-feed".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, parse)
        {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| Err("the feed parser failed on this input".to_string())),
            Err(_) => parse(),
        }
    })
}

/// What every item of a feed shares.
struct FeedMeta {
    file: String,
    /// What relative item links are resolved against: where the feed was fetched
    /// from, else the feed's own home link.
    base: Option<url::Url>,
    outlet: Option<String>,
    domain: Option<String>,
    language: Option<String>,
}

/// The items of a feed, read lazily so that followed links are fetched one at a time.
pub(crate) fn read_feed(
    bytes: &[u8],
    source: &str,
    fetched_from: Option<&str>,
    ctx: Arc<Ctx>,
) -> Box<dyn Iterator<Item = SourceItem>> {
    let feed = match parse_isolated(bytes) {
        Ok(f) => f,
        Err(e) => {
            return Box::new(std::iter::once(SourceItem::Error(IngestError::new(
                source,
                format!("not a readable RSS, Atom or JSON Feed: {e}"),
            ))))
        }
    };
    if feed.entries.is_empty() {
        return Box::new(std::iter::once(SourceItem::Error(IngestError::new(
            source,
            "feed has no items",
        ))));
    }
    let base = fetched_from
        .into_iter()
        .chain(feed.links.iter().map(|l| l.href.as_str()))
        .find_map(|u| url::Url::parse(u.trim()).ok());
    let meta = FeedMeta {
        file: source.to_string(),
        base,
        outlet: feed.title.as_ref().map(text_of).filter(|t| !t.is_empty()),
        domain: feed.links.iter().find_map(|l| domain_of(&l.href)),
        language: feed.language.as_deref().and_then(lang_code),
    };
    Box::new(
        feed.entries
            .into_iter()
            .enumerate()
            .map(move |(i, e)| entry_item(e, i + 1, &meta, &ctx)),
    )
}

/// `en-GB` → `en`.
fn lang_code(l: &str) -> Option<String> {
    let c = l.split(['-', '_']).next()?.trim().to_lowercase();
    (c.len() == 2 || c.len() == 3).then_some(c)
}

fn text_of(t: &Text) -> String {
    let s = if t.content_type.subty().as_str().contains("html") || t.content.contains('<') {
        html_to_text(&t.content)
    } else {
        html_escape::decode_html_entities(&t.content).into_owned()
    };
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn entry_item(e: Entry, n: usize, meta: &FeedMeta, ctx: &Ctx) -> SourceItem {
    let source = format!("{}#item-{n}", meta.file);
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(e.links.first())
        .map(|l| l.href.trim())
        .filter(|h| !h.is_empty())
        .map(|h| match &meta.base {
            Some(b) if url::Url::parse(h).is_err() => b
                .join(h)
                .map(String::from)
                .unwrap_or_else(|_| h.to_string()),
            _ => h.to_string(),
        });
    let title = e.title.as_ref().map(text_of).unwrap_or_default();
    let content = e.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(if c.content_type.subty().as_str() == "plain" {
            body.to_string()
        } else {
            html_to_text(body)
        })
    });
    let summary = e.summary.as_ref().map(|s| {
        if s.content_type.subty().as_str() == "plain" && !s.content.contains('<') {
            s.content.clone()
        } else {
            html_to_text(&s.content)
        }
    });
    let text = match (&content, &summary) {
        (Some(c), _) if words(c) >= MIN_CONTENT_WORDS => Some(c.clone()),
        (_, Some(s)) if words(s) >= MIN_SUMMARY_WORDS => Some(s.clone()),
        // Without a link the item's own text is all there is.
        (Some(c), _) if link.is_none() && words(c) > 0 => Some(c.clone()),
        (_, Some(s)) if link.is_none() && words(s) > 0 => Some(s.clone()),
        _ => None,
    };
    let err = |problem: String| SourceItem::Error(IngestError::new(source.clone(), problem));

    let mut article = match (text, link.as_deref()) {
        (Some(text), _) => {
            let (body, credits) = body_from_text(&text);
            if body.is_empty() {
                return err("feed item without article text".to_string());
            }
            Article {
                id: parallax_core::ArticleId(String::new()),
                source: source.clone(),
                url: link.clone(),
                outlet: Outlet::default(),
                title: title.clone(),
                byline: Vec::new(),
                published: None,
                language: parallax_nlp::language::detect(&body),
                body,
                credits,
            }
        }
        (None, None) => return err("feed item with neither article text nor a link".to_string()),
        (None, Some(url)) if !ctx.opts.follow_links => {
            return SourceItem::Skipped(Skipped {
                source,
                kind: SkipKind::LinkOnly,
                detail: format!(
                    "{url}: the item has only a link and a short summary; pass --follow to fetch the page"
                ),
            })
        }
        (None, Some(url)) => match follow(url, &source, ctx) {
            Ok(a) => a,
            Err(item) => return *item,
        },
    };

    // The item's metadata fills what the text or page did not give.
    if article.title.is_empty() {
        article.title = title;
    }
    if article.outlet.name.is_empty() {
        if let Some(o) = &meta.outlet {
            article.outlet.name = o.clone();
        }
    }
    if article.outlet.domain.is_none() {
        article.outlet.domain = article
            .url
            .as_deref()
            .and_then(domain_of)
            .or_else(|| meta.domain.clone());
    }
    if article.byline.is_empty() {
        article.byline = e
            .authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
    }
    if article.published.is_none() {
        article.published = e.published.or(e.updated).map(|d| d.fixed_offset());
    }
    if article.language.is_none() {
        article.language = e
            .language
            .as_deref()
            .and_then(lang_code)
            .or_else(|| meta.language.clone());
    }
    article.id = Article::derive_id(
        article.url.as_deref(),
        &article.outlet,
        &article.title,
        &article.body,
    );
    SourceItem::Article(article)
}

/// Fetches a link-only item's page and extracts it. Robots.txt refusals are skips
/// (the publisher said no), other failures errors.
fn follow(url: &str, source: &str, ctx: &Ctx) -> Result<Article, Box<SourceItem>> {
    let fetched = ctx.fetcher().fetch(url).map_err(|e| {
        if e.kind == crate::FetchErrorKind::RobotsDisallowed {
            Box::new(SourceItem::Skipped(Skipped {
                source: source.to_string(),
                kind: SkipKind::RobotsDisallowed,
                detail: e.to_string(),
            }))
        } else {
            Box::new(SourceItem::Error(IngestError::new(source, e.to_string())))
        }
    })?;
    let ct = fetched.content_type.as_deref().unwrap_or("");
    let media = payload::media_type(ct);
    if !media.is_empty() && !payload::is_html_type(&media) && !media.starts_with("text/") {
        return Err(Box::new(SourceItem::Skipped(Skipped {
            source: source.to_string(),
            kind: SkipKind::NotHtml,
            detail: format!("{}: {media}", fetched.final_url),
        })));
    }
    let bytes = payload::transcode(fetched.body, payload::charset(ct).as_deref());
    let text = decode::decode(&bytes, true).map_err(|_| {
        Box::new(SourceItem::Error(IngestError::new(
            source,
            format!("{}: the page looks binary", fetched.final_url),
        )))
    })?;
    extract_html(&text, source, Some(&fetched.final_url)).map_err(|e| {
        Box::new(SourceItem::Error(IngestError::new(
            source,
            format!("{}: {}", fetched.final_url, e.problem),
        )))
    })
}

/// Text of an HTML fragment as feeds carry it. Feed HTML is a fragment of the
/// article, not a page, so the page extractor (which looks for the main content among
/// chrome) is the wrong tool; the DOM walk it shares with HTML extraction is enough.
pub(crate) fn html_to_text(html: &str) -> String {
    crate::html::fragment_to_text(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_to_paragraphs() {
        let t = html_to_text(
            "<p>First &amp; <b>bold</b>\nline.</p><script>var x = '<p>';</script><p>Second<br/>line &lt;3</p><figure><img src=x><figcaption>Photo: A. Person</figcaption></figure>",
        );
        let paragraphs: Vec<&str> = t
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(paragraphs, ["First & bold line.", "Second\nline <3"]);
        assert_eq!(html_to_text("a < b and c"), "a < b and c");
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
        ));
        assert!(looks_like_feed(
            b"\xEF\xBB\xBF<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(looks_like_feed(
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#
        ));
        assert!(!looks_like_feed(
            b"<html><head><link rel=alternate type=application/rss+xml href=/feed></head>"
        ));
        assert!(!looks_like_feed(br#"{"title":"A","text":"B"}"#));
    }
}
