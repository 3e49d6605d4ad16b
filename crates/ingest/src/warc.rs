//! WARC and WARC.gz files as Common Crawl publishes CC-NEWS: a stream of records
//! (`warcinfo`, then `request`, `response`, `metadata` per page), each record its own
//! gzip member in `.warc.gz`. Every `response` record holding an HTML page becomes an
//! article whose URL is the record's `WARC-Target-URI` and whose publication date falls
//! back to its `WARC-Date`; other records are skipped.
//!
//! Hand-written rather than the `warc` crate (0.4): that reader trusts
//! `Content-Length` when it allocates and reads, reads header and body lines with no
//! length limit, and gives up on the first malformed record. A CC-NEWS file is a
//! gigabyte of other people's bytes, so this reader streams from a `BufRead`, keeps at
//! most one record (capped) in memory, treats a `Content-Length` that does not land on
//! the record boundary as an error for that record, and resynchronises on the next
//! `WARC/1.x` line, so one bad record costs one record.

use std::io::{self, BufRead, Read};

use parallax_core::Article;

use crate::meta::{domain_of, parse_date};
use crate::payload;
use crate::sources::{SkipKind, Skipped, SourceItem};
use crate::{decode, extract_html, IngestError};

/// Largest record block read into memory. News pages are well under a MiB; a bigger
/// record is streamed past.
pub(crate) const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
/// Longest header line, and longest stretch scanned at once while resynchronising.
const MAX_LINE: u64 = 64 * 1024;
/// Largest record header.
const MAX_HEADER_BYTES: usize = 256 * 1024;
/// How far into an HTTP response the end of its header is looked for.
const MAX_HTTP_HEADER: usize = 64 * 1024;

/// A `BufRead` that can be handed bytes back, for resynchronising after a record
/// whose length ran into the next one.
struct Pushback<R> {
    pending: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: BufRead> Pushback<R> {
    fn unread(&mut self, bytes: &[u8]) {
        let mut v = Vec::with_capacity(bytes.len() + self.pending.len() - self.pos);
        v.extend_from_slice(bytes);
        v.extend_from_slice(&self.pending[self.pos..]);
        self.pending = v;
        self.pos = 0;
    }
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos < self.pending.len() {
            return Ok(&self.pending[self.pos..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.pos < self.pending.len() {
            self.pos = (self.pos + n).min(self.pending.len());
            if self.pos == self.pending.len() {
                self.pending = Vec::new();
                self.pos = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }
}

/// What reading one record gave.
#[allow(clippy::large_enum_variant)] // One lives at a time, on the stack.
enum Step {
    Eof,
    /// Not an article and not worth reporting (request, metadata, warcinfo records).
    Quiet,
    Item(SourceItem),
}

/// The articles (and per-record errors and skips) of one WARC stream, read lazily.
pub(crate) struct WarcRecords<R> {
    input: Pushback<R>,
    file: String,
    gz: bool,
    /// Records begun so far; the current record's 1-based number.
    n: usize,
    done: bool,
    block: Vec<u8>,
}

impl<R: BufRead> WarcRecords<R> {
    /// `file` names the stream in sources and errors; `gz` only words read errors.
    pub(crate) fn new(input: R, file: String, gz: bool) -> Self {
        WarcRecords {
            input: Pushback {
                pending: Vec::new(),
                pos: 0,
                inner: input,
            },
            file,
            gz,
            n: 0,
            done: false,
            block: Vec::new(),
        }
    }

    fn record_source(&self) -> String {
        format!("{}#record-{}", self.file, self.n.max(1))
    }

    fn error(&self, problem: impl Into<String>) -> SourceItem {
        SourceItem::Error(IngestError::new(self.record_source(), problem))
    }

    /// A read failure ends the file: after a broken gzip member there is no telling
    /// where the next one starts.
    fn fatal(&self, e: io::Error) -> SourceItem {
        let at = if self.n == 0 {
            "at the start".to_string()
        } else {
            format!("in or after record {}", self.n)
        };
        self.error(if self.gz {
            format!("truncated or corrupt gzip {at}: {e}; the rest of the file is not read")
        } else {
            format!("cannot read {at}: {e}; the rest of the file is not read")
        })
    }

    fn read_line(&mut self, line: &mut Vec<u8>) -> io::Result<usize> {
        line.clear();
        (&mut self.input).take(MAX_LINE).read_until(b'\n', line)
    }

    /// Skips forward to the next line starting `WARC/1.` and leaves it unread.
    /// `at_line_start` says whether the current position starts a line.
    fn resync(&mut self, mut at_line_start: bool) -> io::Result<bool> {
        let mut line = Vec::new();
        loop {
            if self.read_line(&mut line)? == 0 {
                return Ok(false);
            }
            if at_line_start && line.starts_with(b"WARC/1.") {
                self.input.unread(&line);
                return Ok(true);
            }
            at_line_start = line.ends_with(b"\n");
        }
    }

    /// Consumes the blank line pair closing a record. Lenient about bare LF and about a
    /// last record without it; anything else means the length was wrong. Returns
    /// whether it matched and the bytes consumed.
    fn read_trailer(&mut self) -> io::Result<(bool, Vec<u8>)> {
        let mut taken = Vec::new();
        for _ in 0..2 {
            let buf = self.input.fill_buf()?;
            match buf.first() {
                None => return Ok((true, taken)),
                Some(b'\n') => {
                    self.input.consume(1);
                    taken.push(b'\n');
                }
                Some(b'\r') => {
                    self.input.consume(1);
                    taken.push(b'\r');
                    let buf = self.input.fill_buf()?;
                    if buf.first() != Some(&b'\n') {
                        return Ok((false, taken));
                    }
                    self.input.consume(1);
                    taken.push(b'\n');
                }
                Some(_) => return Ok((false, taken)),
            }
        }
        Ok((true, taken))
    }

    /// After a block whose length did not fit: a longer-than-true length swallowed the
    /// next record's header into `block`, so look there first; else scan on.
    fn resync_after_block(&mut self, trailer: &[u8]) -> io::Result<bool> {
        for pat in [&b"\r\n\r\nWARC/1."[..], &b"\n\nWARC/1."[..]] {
            if let Some(p) = find(&self.block, pat) {
                let mut rest = self.block[p + pat.len() - "WARC/1.".len()..].to_vec();
                rest.extend_from_slice(trailer);
                self.input.unread(&rest);
                return Ok(true);
            }
        }
        self.input.unread(trailer);
        self.resync(false)
    }

    fn read_record(&mut self) -> io::Result<Step> {
        let mut line = Vec::new();
        loop {
            if self.read_line(&mut line)? == 0 {
                return Ok(Step::Eof);
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        self.n += 1;
        if !line.starts_with(b"WARC/1.") {
            let preview: String = String::from_utf8_lossy(&line[..line.len().min(40)])
                .trim()
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            let found = self.resync(line.ends_with(b"\n"))?;
            return Ok(Step::Item(self.error(format!(
                "expected a WARC/1.x record header, found {preview:?}; {}",
                resumed(found)
            ))));
        }

        let mut headers: Vec<(String, String)> = Vec::new();
        let mut total = line.len();
        loop {
            let n = self.read_line(&mut line)?;
            if n == 0 {
                self.done = true;
                return Ok(Step::Item(
                    self.error("the file ends inside a record header (truncated file)"),
                ));
            }
            total += n;
            if !line.ends_with(b"\n") && (n as u64) < MAX_LINE {
                self.done = true;
                return Ok(Step::Item(
                    self.error("the file ends inside a record header (truncated file)"),
                ));
            }
            if total > MAX_HEADER_BYTES || !line.ends_with(b"\n") {
                let found = self.resync(line.ends_with(b"\n"))?;
                return Ok(Step::Item(self.error(format!(
                    "record header over {} KiB (not a WARC header?); {}",
                    MAX_HEADER_BYTES / 1024,
                    resumed(found)
                ))));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t']) {
                // A folded continuation of the previous header.
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
            } else if let Some((k, v)) = text.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
            // Other lines are malformed but harmless; the named fields decide.
        }
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(len) = get("content-length").and_then(|v| v.trim().parse::<u64>().ok()) else {
            let found = self.resync(true)?;
            return Ok(Step::Item(self.error(format!(
                "record without a valid Content-Length; {}",
                resumed(found)
            ))));
        };
        let wtype = get("warc-type").unwrap_or("").to_ascii_lowercase();
        let warc_ct = get("content-type").unwrap_or("").to_string();
        let wanted = match wtype.as_str() {
            "response" => true,
            // Some tools (wget --warc-file, webrecorder) store pages as resources.
            "resource" => payload::is_html_type(&payload::media_type(&warc_ct)),
            _ => false,
        };
        // Early WARC writers put angle brackets around the URI.
        let uri = get("warc-target-uri")
            .map(|u| {
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|u| !u.is_empty());
        let warc_date = get("warc-date").map(str::to_string);
        // Common Crawl's own sniffed type, for responses that sent no Content-Type.
        let identified = get("warc-identified-payload-type").map(str::to_string);

        if len > MAX_RECORD_BYTES {
            let skipped = io::copy(&mut (&mut self.input).take(len), &mut io::sink())?;
            if skipped < len {
                self.done = true;
                return Ok(Step::Item(self.error(format!(
                    "Content-Length {len} runs past the end of the file ({skipped} bytes left): a truncated file or a lying length; records after it are lost"
                ))));
            }
            let (ok, trailer) = self.read_trailer()?;
            if !ok {
                self.block.clear();
                let found = self.resync_after_block(&trailer)?;
                return Ok(Step::Item(self.error(format!(
                    "Content-Length {len} does not end at the record boundary; {}",
                    resumed(found)
                ))));
            }
            if !wanted {
                return Ok(Step::Quiet);
            }
            return Ok(Step::Item(SourceItem::Skipped(Skipped {
                source: self.record_source(),
                kind: SkipKind::TooLarge,
                detail: format!(
                    "{}: record over {} MiB",
                    uri.as_deref().unwrap_or("?"),
                    MAX_RECORD_BYTES / (1024 * 1024)
                ),
            })));
        }

        self.block.clear();
        let got = (&mut self.input).take(len).read_to_end(&mut self.block)? as u64;
        let (ok, trailer) = if got < len {
            (false, Vec::new())
        } else {
            self.read_trailer()?
        };
        if !ok {
            let found = self.resync_after_block(&trailer)?;
            let what = if got < len {
                format!("Content-Length says {len} bytes but only {got} follow")
            } else {
                format!("Content-Length {len} does not end at the record boundary")
            };
            return Ok(Step::Item(self.error(format!(
                "{what} (a lying length or a truncated file); record skipped, {}",
                resumed(found)
            ))));
        }
        if !wanted {
            return Ok(Step::Quiet);
        }
        Ok(Step::Item(self.page(
            &wtype,
            &warc_ct,
            identified.as_deref(),
            uri,
            warc_date,
        )))
    }

    /// The article in the current record's block.
    fn page(
        &self,
        wtype: &str,
        warc_ct: &str,
        identified: Option<&str>,
        uri: Option<String>,
        warc_date: Option<String>,
    ) -> SourceItem {
        let source = self.record_source();
        let at = uri.as_deref().unwrap_or("(no WARC-Target-URI)");
        let skipped = |kind, detail: String| {
            SourceItem::Skipped(Skipped {
                source: source.clone(),
                kind,
                detail: format!("{at}: {detail}"),
            })
        };
        let block = &self.block[..];
        let (content_type, payload) = if wtype == "resource" {
            (warc_ct.to_string(), block.to_vec())
        } else {
            if !payload::media_type(warc_ct).contains("http") {
                return skipped(
                    SkipKind::NotHtml,
                    format!("not an HTTP response ({warc_ct})"),
                );
            }
            let head = &block[..block.len().min(MAX_HTTP_HEADER)];
            let Some((end, sep)) = find(head, b"\r\n\r\n")
                .map(|p| (p, 4))
                .or_else(|| find(head, b"\n\n").map(|p| (p, 2)))
            else {
                return self.error(format!("{at}: HTTP response without an end of header"));
            };
            let head = String::from_utf8_lossy(&block[..end]);
            let mut lines = head.lines();
            let status = lines
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u16>().ok());
            let Some(status) = status else {
                return self.error(format!("{at}: HTTP response without a status line"));
            };
            if !(200..300).contains(&status) {
                return skipped(SkipKind::HttpStatus, format!("HTTP {status}"));
            }
            let http: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            let get = |name: &str| {
                http.iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let mut body = block[end + sep..].to_vec();
            if get("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
            {
                match payload::dechunk(&body) {
                    Ok(b) => body = b,
                    Err(e) => return self.error(format!("{at}: {e}")),
                }
            }
            if let Some(enc) = get("content-encoding") {
                match payload::decode_content_encoding(body, enc, MAX_RECORD_BYTES) {
                    Ok(b) => body = b,
                    Err(e) => return self.error(format!("{at}: {e}")),
                }
            }
            let ct = get("content-type")
                .filter(|c| !c.trim().is_empty())
                .or(identified)
                .unwrap_or("");
            (ct.to_string(), body)
        };
        let media = payload::media_type(&content_type);
        let html = if media.is_empty() {
            let head = String::from_utf8_lossy(&payload[..payload.len().min(1024)]).to_lowercase();
            head.contains("<html") || head.contains("<!doctype html")
        } else {
            payload::is_html_type(&media)
        };
        if !html {
            let what = if media.is_empty() {
                "no Content-Type and not HTML".to_string()
            } else {
                media
            };
            return skipped(SkipKind::NotHtml, what);
        }
        let payload = payload::transcode(payload, payload::charset(&content_type).as_deref());
        let text = match decode::decode(&payload, true) {
            Ok(t) => t,
            Err(decode::DecodeFailure::Binary) => {
                return self.error(format!("{at}: HTML response that looks binary"))
            }
        };
        match extract_html(&text, &source, uri.as_deref()) {
            Ok(mut a) => {
                finish_article(&mut a, uri, warc_date.as_deref());
                SourceItem::Article(a)
            }
            Err(e) => self.error(format!("{at}: {}", e.problem)),
        }
    }
}

/// The record's own metadata wins, as JSONL fields do: the crawler saw where the page
/// came from and when.
fn finish_article(a: &mut Article, uri: Option<String>, warc_date: Option<&str>) {
    if let Some(u) = uri {
        a.url = Some(u);
    }
    if a.published.is_none() {
        a.published = warc_date.and_then(parse_date);
    }
    if a.outlet.domain.is_none() {
        a.outlet.domain = a.url.as_deref().and_then(domain_of);
    }
    a.id = Article::derive_id(a.url.as_deref(), &a.outlet, &a.title, &a.body);
}

fn resumed(found: bool) -> &'static str {
    if found {
        "reading resumes at the next record"
    } else {
        "no further record found"
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

impl<R: BufRead> Iterator for WarcRecords<R> {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        while !self.done {
            match self.read_record() {
                Ok(Step::Eof) => self.done = true,
                Ok(Step::Quiet) => {}
                Ok(Step::Item(item)) => return Some(item),
                Err(e) => {
                    self.done = true;
                    return Some(self.fatal(e));
                }
            }
        }
        None
    }
}

/// Whether a stream's first bytes are a WARC record header.
pub(crate) fn is_warc(prefix: &[u8]) -> bool {
    prefix.starts_with(b"WARC/1.")
}
