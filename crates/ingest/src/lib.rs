//! Parallax ingest: turns what researchers have on disk (HTML pages, text pasted from
//! web pages, JSONL dumps, whole directories of them, gzip-compressed or not, or
//! stdin) into [`Article`]s: main text without page chrome, and the metadata the
//! later stages compare on (title, outlet, byline, publication date, language, URL).
//!
//! Sources beyond files: RSS/Atom/JSON Feed (`feed`), WARC and WARC.gz as CC-NEWS
//! publishes them (`warc`, streamed record by record) and URLs fetched over HTTP(S)
//! (`fetch`: robots.txt, rate limit, retries, caps). [`read_sources`] takes them all,
//! with [`ReadOptions`], and reports skipped items with their reasons.
//!
//! Extraction is a pure function of the input ([`extract_html`], [`extract_text`]);
//! [`read_paths`] and [`read_file`] add the file handling. Nothing here panics on bad
//! input: every problem comes back as an [`IngestError`] naming the file, the line
//! where there is one, and what is wrong, and the other articles carry on.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use parallax_core::Article;

mod content;
mod decode;
mod dom;
mod feed;
mod fetch;
mod html;
mod jsonl;
mod meta;
mod payload;
mod sources;
mod text;
mod tokenize;
mod warc;

pub use decode::decode_html;
pub use fetch::{
    FetchConfig, FetchError, FetchErrorKind, Fetched, Fetcher, DEFAULT_USER_AGENT, ROBOTS_AGENT,
};
pub use html::extract_html;
pub use meta::{parse_byline, parse_date};
pub use sources::{read_sources, ReadOptions, SkipKind, Skipped, SourceItem};
pub use text::extract_text;

/// Largest input, after decompression, that is read into memory. News pages are a
/// few hundred KiB; past this a file is a dump that should be split, and refusing it
/// keeps memory bounded however many workers run.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A problem with one input item, naming the file (and line or record) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// Path, URL or `-` for stdin.
    pub source: String,
    /// 1-based line for JSONL.
    pub line: Option<usize>,
    pub problem: String,
}

impl IngestError {
    fn new(source: impl Into<String>, problem: impl Into<String>) -> Self {
        IngestError {
            source: source.into(),
            line: None,
            problem: problem.into(),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.source, l, self.problem),
            None => write!(f, "{}: {}", self.source, self.problem),
        }
    }
}

impl std::error::Error for IngestError {}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Text,
    Jsonl,
    /// `.json`: one object, an array of objects, or (often, despite the name) JSONL.
    Json,
    /// RSS, Atom or JSON Feed (`.rss`, `.atom`; sniffed otherwise).
    Feed,
    /// `.warc` (streamed; sniffed by its `WARC/1.` start otherwise).
    Warc,
}

/// The format named by a file's extension (after any `.gz`), and whether it is gzip.
fn format_from_name(path: &Path) -> (Option<Format>, bool) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (name, gz) = match name.strip_suffix(".gz") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let format = match ext {
        "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
        "txt" | "text" | "md" => Some(Format::Text),
        "jsonl" | "ndjson" | "json-lines" | "jsonlines" => Some(Format::Jsonl),
        "json" => Some(Format::Json),
        // `.xml` is left to sniffing: it may be a feed or some other XML page.
        "rss" | "atom" => Some(Format::Feed),
        "warc" => Some(Format::Warc),
        _ => None,
    };
    (format, gz)
}

/// Content sniffing for files whose name does not tell.
fn sniff_format(text: &str) -> Format {
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return Format::Html;
    }
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    if head.contains("<html") || head.contains("<body") {
        return Format::Html;
    }
    if trimmed.starts_with('{') {
        return Format::Jsonl;
    }
    Format::Text
}

/// Reads at most [`MAX_FILE_BYTES`] from `r`, decompressing gzip when asked.
fn read_capped(r: impl Read, gz: bool, source: &str) -> Result<Vec<u8>, IngestError> {
    if gz {
        // Multi-member: `cat a.gz b.gz` is valid gzip and common for log-style dumps.
        read_to_cap(MultiGzDecoder::new(r), true, source)
    } else {
        read_to_cap(r, false, source)
    }
}

/// Reads at most [`MAX_FILE_BYTES`] from `r`; `gz` says it is decompressing, for the
/// wording of errors.
fn read_to_cap(r: impl Read, gz: bool, source: &str) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    let limit = MAX_FILE_BYTES + 1;
    let res = r.take(limit).read_to_end(&mut buf);
    if let Err(e) = res {
        return Err(IngestError::new(
            source,
            if gz {
                format!("truncated or corrupt gzip: {e}")
            } else {
                format!("cannot read: {e}")
            },
        ));
    }
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::new(
            source,
            format!(
                "too large (over {} MiB{}); split it",
                MAX_FILE_BYTES / (1024 * 1024),
                if gz { " decompressed" } else { "" }
            ),
        ));
    }
    Ok(buf)
}

/// gzip streams start with these two bytes, whatever the file is called.
fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Articles from bytes whose origin is `source`; `format` from the name (or the
/// `Content-Type`), if any; `url` where they were fetched from, if they were.
fn read_bytes(
    bytes: Vec<u8>,
    format: Option<Format>,
    source: &str,
    url: Option<&str>,
    ctx: Arc<sources::Ctx>,
) -> Box<dyn Iterator<Item = SourceItem>> {
    let one = |r: Result<Article, IngestError>| -> Box<dyn Iterator<Item = SourceItem>> {
        Box::new(std::iter::once(SourceItem::from(r)))
    };
    let bytes = if is_gzip(&bytes) {
        match read_capped(bytes.as_slice(), true, source) {
            Ok(b) => b,
            Err(e) => return one(Err(e)),
        }
    } else {
        bytes
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return one(Err(IngestError::new(source, "empty file")));
    }
    // Feeds go to the feed parser as bytes: it honours the XML encoding declaration.
    let feed_hint = matches!(format, None | Some(Format::Json) | Some(Format::Feed));
    if format == Some(Format::Feed) || feed_hint && feed::looks_like_feed(&bytes) {
        return feed::read_feed(&bytes, source, url, ctx);
    }
    let html_hint = match format {
        Some(f) => f == Format::Html,
        None => {
            sniff_format(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)])) == Format::Html
        }
    };
    let text = match decode::decode(&bytes, html_hint) {
        Ok(t) => t,
        Err(decode::DecodeFailure::Binary) => {
            return one(Err(IngestError::new(
                source,
                "not a text, HTML or JSONL file (looks binary)",
            )))
        }
    };
    drop(bytes);
    if text.trim().is_empty() {
        return one(Err(IngestError::new(source, "empty file")));
    }
    let many = |v: Vec<Result<Article, IngestError>>| -> Box<dyn Iterator<Item = SourceItem>> {
        Box::new(v.into_iter().map(SourceItem::from))
    };
    match format.unwrap_or_else(|| sniff_format(&text)) {
        Format::Html => one(extract_html(&text, source, url)),
        Format::Text => one(extract_text(&text, source)),
        Format::Jsonl => many(jsonl::read_jsonl(&text, source)),
        Format::Json => many(jsonl::read_json(&text, source)),
        // Feeds are handled above and WARC streams by the caller (`stream_items`).
        Format::Feed | Format::Warc => one(Err(IngestError::new(
            source,
            "named as a feed or WARC file but is neither",
        ))),
    }
}

/// All articles in one file (JSONL, feeds and WARC give many; per-item errors are
/// returned in place, others continue). `-` reads stdin. Feed items that are only a
/// link are left out (see [`read_sources`] for following them and for the skips).
/// A WARC file is collected whole here; [`read_paths`] streams it.
pub fn read_file(path: &Path) -> Vec<Result<Article, IngestError>> {
    sources::file_items(path, Arc::new(sources::Ctx::default()))
        .filter_map(SourceItem::into_result)
        .collect()
}

/// Extensions never holding articles, skipped inside directories so that a crawl
/// folder with images next to its pages reads cleanly. Named explicitly, such a file
/// is still read (and reported as binary).
const SKIP_IN_DIRS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "pdf", "zip",
    "tar", "tgz", "bz2", "xz", "zst", "7z", "mp3", "mp4", "webm", "mov", "wav", "woff", "woff2",
    "ttf", "otf", "css", "js", "db", "sqlite", "exe", "so", "dll", "bin", "pyc",
];

fn skipped_in_dir(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| SKIP_IN_DIRS.contains(&ext))
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

/// The files a path stands for: itself, or a directory's files in sorted order.
fn expand(path: PathBuf) -> Box<dyn Iterator<Item = Result<PathBuf, IngestError>>> {
    if path.as_os_str() == "-" || !path.is_dir() {
        return Box::new(std::iter::once(Ok(path)));
    }
    let walk = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_hidden(e))
        .filter_map(|entry| match entry {
            Ok(e) if e.file_type().is_file() && !skipped_in_dir(e.path()) => {
                Some(Ok(e.into_path()))
            }
            Ok(_) => None,
            Err(e) => {
                let source = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "?".to_string());
                Some(Err(IngestError::new(
                    source,
                    format!("cannot read directory: {e}"),
                )))
            }
        });
    Box::new(walk)
}

/// Every article from the given paths: files, directories (recursive, sorted for
/// determinism, skipping hidden files), `.gz` files, feeds, WARC files, `-` for stdin,
/// and `http(s)://` URLs (fetched with the default [`FetchConfig`]). Each item is an
/// article or an error naming the file (and line, item or record) and the problem;
/// skipped items are left out ([`read_sources`] reports them). Lazy: one file, WARC
/// record or page is in memory at a time.
// The iterator owns a copy of the paths so that it can outlive the caller's slice.
#[allow(clippy::unnecessary_to_owned)]
pub fn read_paths(paths: &[PathBuf]) -> impl Iterator<Item = Result<Article, IngestError>> {
    let ctx = Arc::new(sources::Ctx::default());
    paths
        .to_vec()
        .into_iter()
        .flat_map(move |p| sources::path_items(p, ctx.clone()))
        .filter_map(SourceItem::into_result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    const STORY: &str =
        "Eastmere lido reopens after repairs\nBy Ana Ruiz\n\nThe lido reopened on Saturday.\n";

    #[test]
    fn missing_empty_and_binary_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.txt");
        let r = read_file(&missing);
        assert_eq!(r.len(), 1);
        let e = r[0].as_ref().unwrap_err();
        assert_eq!(e.problem, "no such file");
        assert_eq!(
            e.to_string(),
            format!("{}: no such file", missing.display())
        );

        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, " \n\t\n").unwrap();
        assert_eq!(
            read_file(&empty)[0].as_ref().unwrap_err().problem,
            "empty file"
        );

        let junk = dir.path().join("junk.dat");
        let bytes: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        std::fs::write(&junk, bytes).unwrap();
        assert_eq!(
            read_file(&junk)[0].as_ref().unwrap_err().problem,
            "not a text, HTML or JSONL file (looks binary)"
        );
    }

    #[test]
    fn gzip_good_and_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("story.txt.gz");
        let gz = gzip(STORY.as_bytes());
        std::fs::write(&good, &gz).unwrap();
        let a = read_file(&good).pop().unwrap().unwrap();
        assert_eq!(a.title, "Eastmere lido reopens after repairs");

        let cut = dir.path().join("cut.txt.gz");
        std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
        let e = read_file(&cut).pop().unwrap().unwrap_err();
        assert!(e.problem.starts_with("truncated or corrupt gzip: "), "{e}");

        let garbage = dir.path().join("garbage.html.gz");
        std::fs::write(&garbage, b"\x1f\x8b\x08\x00garbage-not-deflate").unwrap();
        let e = read_file(&garbage).pop().unwrap().unwrap_err();
        assert!(e.problem.starts_with("truncated or corrupt gzip: "), "{e}");
    }

    #[test]
    fn windows_1252_text_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("legacy.txt");
        // "Café owners welcome – reluctantly – new quay rules" in windows-1252.
        std::fs::write(
            &p,
            b"Caf\xE9 owners welcome new quay rules\n\nThe rules \x96 agreed on Monday \x96 start in June.\n",
        )
        .unwrap();
        let a = read_file(&p).pop().unwrap().unwrap();
        assert_eq!(a.title, "Café owners welcome new quay rules");
        assert_eq!(a.body, "The rules – agreed on Monday – start in June.");
    }

    #[test]
    fn directories_are_sorted_recursive_and_skip_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/nested")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(
            root.join("b/nested/2.txt"),
            "Second headline here\n\nBody two.",
        )
        .unwrap();
        std::fs::write(root.join("a.txt"), "First headline here\n\nBody one.").unwrap();
        std::fs::write(root.join(".hidden.txt"), "Hidden headline\n\nBody.").unwrap();
        std::fs::write(root.join(".git/config.txt"), "Git headline\n\nBody.").unwrap();
        std::fs::write(root.join("photo.jpg"), [0xff, 0xd8, 0, 0]).unwrap();
        std::fs::write(
            root.join("c.jsonl"),
            "{\"title\":\"Third headline\",\"text\":\"Body three.\"}\n",
        )
        .unwrap();
        let titles: Vec<String> = read_paths(&[root.to_path_buf()])
            .map(|r| r.unwrap().title)
            .collect();
        assert_eq!(
            titles,
            vec![
                "First headline here",
                "Second headline here",
                "Third headline"
            ]
        );

        let empty = tempfile::tempdir().unwrap();
        assert_eq!(read_paths(&[empty.path().to_path_buf()]).count(), 0);
    }

    #[test]
    fn sniffing_unknown_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("page.dat");
        std::fs::write(
            &p,
            "<html><head><title>Quay rules agreed</title></head><body><article><h1>Quay rules agreed</h1><p>The harbour board agreed new quay rules on Monday after a long debate about berth fees and mooring.</p></article></body></html>",
        )
        .unwrap();
        let a = read_file(&p).pop().unwrap().unwrap();
        assert_eq!(a.title, "Quay rules agreed");
        let p = dir.path().join("dump");
        std::fs::write(
            &p,
            "{\"title\":\"A\",\"text\":\"B.\"}\n{\"title\":\"C\",\"text\":\"D.\"}\n",
        )
        .unwrap();
        assert_eq!(read_file(&p).len(), 2);
        // A gzip stream without the .gz name.
        let p = dir.path().join("story.txt");
        std::fs::write(&p, gzip(STORY.as_bytes())).unwrap();
        assert_eq!(
            read_file(&p).pop().unwrap().unwrap().title,
            "Eastmere lido reopens after repairs"
        );
    }
}
