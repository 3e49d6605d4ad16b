//! HTTP payload helpers shared by the fetcher and the WARC reader: media types and
//! charsets from `Content-Type`, `Content-Encoding` and chunked transfer coding. All
//! decoding is capped, so a compression bomb stops at the cap instead of filling memory.

use std::io::Read;

use encoding_rs::Encoding;

use crate::Format;

/// `text/html; charset=utf-8` → `text/html`.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `text/html; charset="ISO-8859-1"` → `ISO-8859-1`.
pub(crate) fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// Whether a media type is an HTML page.
pub(crate) fn is_html_type(media: &str) -> bool {
    matches!(media, "text/html" | "application/xhtml+xml")
}

/// The format a `Content-Type` announces; `None` leaves it to sniffing.
pub(crate) fn format_from_media_type(media: &str) -> Option<Format> {
    match media {
        m if is_html_type(m) => Some(Format::Html),
        "application/rss+xml"
        | "application/atom+xml"
        | "application/feed+json"
        | "application/rdf+xml"
        | "application/xml"
        | "text/xml" => Some(Format::Feed),
        "text/plain" | "text/markdown" => Some(Format::Text),
        "application/x-ndjson" | "application/jsonl" | "application/jsonlines" => {
            Some(Format::Jsonl)
        }
        "application/json" => Some(Format::Json),
        _ => None,
    }
}

/// Re-encodes a body to UTF-8 when its `Content-Type` names another charset and the
/// bytes are not already UTF-8. The HTTP header is the publisher's declaration; without
/// it the page's own `<meta charset>` (handled by `decode`) decides.
pub(crate) fn transcode(bytes: Vec<u8>, charset: Option<&str>) -> Vec<u8> {
    let Some(enc) = charset.and_then(|c| Encoding::for_label(c.trim().as_bytes())) else {
        return bytes;
    };
    if Encoding::for_bom(&bytes).is_some() || std::str::from_utf8(&bytes).is_ok() {
        return bytes;
    }
    // UTF-16 labels on ASCII-compatible bytes are wrong; leave those to sniffing.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return bytes;
    }
    let (text, _, _) = enc.decode(&bytes);
    text.into_owned().into_bytes()
}

/// Reads at most `cap` bytes; more is an error rather than a silent cut.
fn read_limited(r: impl Read, cap: u64, what: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("corrupt {what} body: {e}"))?;
    if out.len() as u64 > cap {
        return Err(format!(
            "{what} body decompresses to over {} MiB",
            cap / (1024 * 1024)
        ));
    }
    Ok(out)
}

/// Undoes a `Content-Encoding` (gzip, deflate, br; identity passes through).
pub(crate) fn decode_content_encoding(
    body: Vec<u8>,
    encoding: &str,
    cap: u64,
) -> Result<Vec<u8>, String> {
    match encoding.trim().to_ascii_lowercase().as_str() {
        "" | "identity" | "none" => Ok(body),
        "gzip" | "x-gzip" => {
            read_limited(flate2::read::MultiGzDecoder::new(&body[..]), cap, "gzip")
        }
        // "deflate" is zlib-wrapped by the standard, raw deflate by some servers.
        "deflate" => read_limited(flate2::read::ZlibDecoder::new(&body[..]), cap, "deflate")
            .or_else(|_| {
                read_limited(flate2::read::DeflateDecoder::new(&body[..]), cap, "deflate")
            }),
        "br" => read_limited(
            brotli_decompressor::Decompressor::new(&body[..], 4096),
            cap,
            "brotli",
        ),
        other => Err(format!("unsupported Content-Encoding {other:?}")),
    }
}

/// Undoes `Transfer-Encoding: chunked` as raw crawl payloads sometimes keep it. Best
/// effort: a cut-off last chunk keeps what arrived.
pub(crate) fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    while let Some(eol) = rest.iter().position(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(&rest[..eol]);
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size {size_hex:?} in a chunked body"))?;
        rest = &rest[eol + 1..];
        if size == 0 {
            break;
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        // The CRLF after each chunk.
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
        if take < size {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parts() {
        assert_eq!(media_type("Text/HTML; charset=UTF-8"), "text/html");
        assert_eq!(
            charset("text/html; Charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(charset("text/html"), None);
    }

    #[test]
    fn chunked_and_transcoded() {
        assert_eq!(
            dechunk(b"5\r\nHello\r\n7;x=y\r\n, world\r\n0\r\n\r\n").unwrap(),
            b"Hello, world"
        );
        assert_eq!(dechunk(b"5\r\nHel").unwrap(), b"Hel");
        assert!(dechunk(b"zz\r\nHello").is_err());
        assert_eq!(
            transcode(b"Caf\xE9".to_vec(), Some("iso-8859-1")),
            "Café".as_bytes()
        );
        assert_eq!(transcode(b"plain".to_vec(), Some("nonsense")), b"plain");
    }

    #[test]
    fn decompression_is_capped() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![b'a'; 100_000]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(
            decode_content_encoding(gz.clone(), "gzip", 200_000)
                .unwrap()
                .len(),
            100_000
        );
        assert!(decode_content_encoding(gz, "gzip", 1000).is_err());
        assert!(decode_content_encoding(b"x".to_vec(), "zstd", 10).is_err());
    }
}
