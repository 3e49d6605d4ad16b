//! Sources as a user names them on the command line: files, directories, `-` for
//! stdin, and `http(s)://` URLs, with the options that go with them (follow feed
//! links, how to fetch). [`read_sources`] yields every article, every item skipped on
//! purpose (with the reason) and every error, each naming its file, URL, line, item
//! or record, lazily: one file, one WARC record or one fetched page at a time.

use std::fmt;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use flate2::read::MultiGzDecoder;
use parallax_core::Article;

use crate::fetch::{FetchConfig, Fetcher};
use crate::{payload, warc, Format, IngestError, MAX_FILE_BYTES};

/// How sources are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// Fetch the pages of feed items that carry only a link (`--follow`).
    pub follow_links: bool,
    /// How URLs (given as sources, or followed from feeds) are fetched.
    pub fetch: FetchConfig,
}

/// Why an item was passed over on purpose. Not an error: the input was fine, it just
/// holds no article we can take (the CLI summarises these by kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipKind {
    /// A feed item with only a link and a teaser, read without `--follow`.
    LinkOnly,
    /// Not an HTML page (a PDF, an image, a DNS record in a WARC file).
    NotHtml,
    /// An archived response that is not a 2xx (a redirect, a 404).
    HttpStatus,
    /// A record over the size cap for one page.
    TooLarge,
    /// A followed link that the site's robots.txt disallows.
    RobotsDisallowed,
}

impl SkipKind {
    /// A short label for summaries ("12 link-only feed items").
    pub fn label(self) -> &'static str {
        match self {
            SkipKind::LinkOnly => "link-only feed item (use --follow)",
            SkipKind::NotHtml => "not an HTML page",
            SkipKind::HttpStatus => "archived non-2xx response",
            SkipKind::TooLarge => "too large",
            SkipKind::RobotsDisallowed => "disallowed by robots.txt",
        }
    }
}

/// An item passed over on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, item or record, as errors name them (`feed.xml#item-3`,
    /// `crawl.warc.gz#record-12`).
    pub source: String,
    pub kind: SkipKind,
    /// Details for people, usually starting with the URL concerned.
    pub detail: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: skipped ({}): {}",
            self.source,
            self.kind.label(),
            self.detail
        )
    }
}

/// One thing read from a source.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // Articles are the common case; boxing them buys nothing.
pub enum SourceItem {
    Article(Article),
    Skipped(Skipped),
    Error(IngestError),
}

impl SourceItem {
    /// The article or error; `None` for a skip. What [`crate::read_paths`] yields.
    pub fn into_result(self) -> Option<Result<Article, IngestError>> {
        match self {
            SourceItem::Article(a) => Some(Ok(a)),
            SourceItem::Error(e) => Some(Err(e)),
            SourceItem::Skipped(_) => None,
        }
    }

    /// The file, URL, line, item or record it came from.
    pub fn source(&self) -> &str {
        match self {
            SourceItem::Article(a) => &a.source,
            SourceItem::Skipped(s) => &s.source,
            SourceItem::Error(e) => &e.source,
        }
    }
}

impl From<Result<Article, IngestError>> for SourceItem {
    fn from(r: Result<Article, IngestError>) -> Self {
        match r {
            Ok(a) => SourceItem::Article(a),
            Err(e) => SourceItem::Error(e),
        }
    }
}

/// Options plus the fetcher, built on first use so that reading files never sets up
/// an HTTP client.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    pub(crate) opts: ReadOptions,
    fetcher: OnceLock<Fetcher>,
}

impl Ctx {
    pub(crate) fn new(opts: ReadOptions) -> Self {
        Ctx {
            opts,
            fetcher: OnceLock::new(),
        }
    }

    pub(crate) fn fetcher(&self) -> &Fetcher {
        self.fetcher
            .get_or_init(|| Fetcher::new(self.opts.fetch.clone()))
    }
}

/// Whether a source argument is a URL to fetch rather than a path.
pub(crate) fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    let starts = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("http://") || starts("https://")
}

/// Every article, skip and error from the given sources: paths (files; directories
/// read recursively in sorted order, hidden entries skipped), `-` for stdin, and
/// `http://`/`https://` URLs (fetched politely, see [`FetchConfig`]). Feeds (RSS,
/// Atom, JSON Feed) give one item per entry; WARC files one per HTML response record,
/// streamed. Errors in one item never stop the others.
#[allow(clippy::unnecessary_to_owned)] // The iterator owns its copy of the sources.
pub fn read_sources(sources: &[String], opts: &ReadOptions) -> impl Iterator<Item = SourceItem> {
    let ctx = Arc::new(Ctx::new(opts.clone()));
    sources.to_vec().into_iter().flat_map(move |s| {
        let ctx = ctx.clone();
        if is_url(&s) {
            url_items(s.trim(), &ctx)
        } else {
            path_items(PathBuf::from(s), ctx)
        }
    })
}

/// A path argument: a file, a directory's files, or stdin.
pub(crate) fn path_items(path: PathBuf, ctx: Arc<Ctx>) -> Box<dyn Iterator<Item = SourceItem>> {
    if let Some(s) = path.to_str().filter(|s| is_url(s)) {
        return url_items(s.trim(), &ctx);
    }
    Box::new(crate::expand(path).flat_map(move |p| match p {
        Ok(path) => file_items(&path, ctx.clone()),
        Err(e) => Box::new(std::iter::once(SourceItem::Error(e))),
    }))
}

fn one(item: SourceItem) -> Box<dyn Iterator<Item = SourceItem>> {
    Box::new(std::iter::once(item))
}

fn err(source: &str, problem: impl Into<String>) -> Box<dyn Iterator<Item = SourceItem>> {
    one(SourceItem::Error(IngestError::new(source, problem)))
}

/// One file (or `-`).
pub(crate) fn file_items(path: &Path, ctx: Arc<Ctx>) -> Box<dyn Iterator<Item = SourceItem>> {
    if let Some(s) = path.to_str().filter(|s| is_url(s)) {
        return url_items(s.trim(), &ctx);
    }
    let source = path.display().to_string();
    if path.as_os_str() == "-" {
        return stream_items(Box::new(io::stdin()), None, "-".to_string(), None, ctx);
    }
    let (format, _gz) = crate::format_from_name(path);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return err(&source, "no such file"),
        Err(e) => return err(&source, format!("cannot open: {e}")),
    };
    let meta = match file.metadata() {
        Ok(m) if m.is_dir() => return err(&source, "is a directory (use read_paths)"),
        Ok(m) => Some(m),
        Err(_) => None,
    };
    let mut file = file;
    let prefix = match peek(&mut file) {
        Ok(p) => p,
        Err(e) => return err(&source, format!("cannot read: {e}")),
    };
    // WARC files are streamed whatever their size; anything else is read whole, so an
    // uncompressed one over the cap is refused before reading it.
    let is_warc = format == Some(Format::Warc) || warc::is_warc(&prefix);
    if !is_warc && !crate::is_gzip(&prefix) && meta.is_some_and(|m| m.len() > MAX_FILE_BYTES) {
        return err(
            &source,
            format!(
                "too large (over {} MiB); split it",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        );
    }
    let reader = Box::new(Cursor::new(prefix).chain(file));
    stream_items(reader, format, source, None, ctx)
}

/// Reads up to 16 bytes (fewer only at the end of input), to sniff a stream.
fn peek(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(16);
    r.take(16).read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// Any byte stream: gzip is undone (by its magic bytes, whatever the name), WARC is
/// streamed record by record, anything else read whole (capped) and dispatched on
/// `format` or its content. `url` is where the bytes were fetched from, if they were.
pub(crate) fn stream_items(
    mut r: Box<dyn Read>,
    format: Option<Format>,
    source: String,
    url: Option<String>,
    ctx: Arc<Ctx>,
) -> Box<dyn Iterator<Item = SourceItem>> {
    let prefix = match peek(&mut r) {
        Ok(p) => p,
        Err(e) => return err(&source, format!("cannot read: {e}")),
    };
    let mut r: Box<dyn Read> = Box::new(Cursor::new(prefix.clone()).chain(r));
    let mut prefix = prefix;
    let gz = crate::is_gzip(&prefix);
    if gz {
        // Multi-member: CC-NEWS compresses each WARC record as its own member.
        let mut d: Box<dyn Read> = Box::new(MultiGzDecoder::new(r));
        prefix = match peek(&mut d) {
            Ok(p) => p,
            Err(e) => return err(&source, format!("truncated or corrupt gzip: {e}")),
        };
        r = Box::new(Cursor::new(prefix.clone()).chain(d));
    }
    if prefix.is_empty() {
        return err(&source, "empty file");
    }
    if format == Some(Format::Warc) || warc::is_warc(&prefix) {
        let input = io::BufReader::with_capacity(256 * 1024, r);
        return Box::new(warc::WarcRecords::new(input, source, gz));
    }
    match crate::read_to_cap(r, gz, &source) {
        Ok(bytes) => crate::read_bytes(bytes, format, &source, url.as_deref(), ctx),
        Err(e) => one(SourceItem::Error(e)),
    }
}

/// A URL argument: fetched, then read as whatever it turns out to be (a page, a
/// feed, a WARC file, JSONL).
fn url_items(url: &str, ctx: &Arc<Ctx>) -> Box<dyn Iterator<Item = SourceItem>> {
    let fetched = match ctx.fetcher().fetch(url) {
        Ok(f) => f,
        // Named explicitly, even a URL that robots.txt refuses is an error, not a
        // skip: the user asked for it and did not get it.
        Err(e) => return one(SourceItem::Error(e.into())),
    };
    let ct = fetched.content_type.clone().unwrap_or_default();
    let format = payload::format_from_media_type(&payload::media_type(&ct));
    let body = payload::transcode(fetched.body, payload::charset(&ct).as_deref());
    stream_items(
        Box::new(Cursor::new(body)),
        format,
        url.to_string(),
        Some(fetched.final_url),
        ctx.clone(),
    )
}
