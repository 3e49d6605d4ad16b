//! Bytes to text. Pages and pasted text arrive in whatever encoding their publisher
//! used; everything downstream works on valid UTF-8 only.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Why bytes could not be read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeFailure {
    Binary,
}

/// How far into a page to look for `<meta charset>`: the HTML standard asks
/// browsers to find it in the first 1024 bytes; real pages sometimes put it later.
const CHARSET_SNIFF: usize = 4096;

/// Control characters other than whitespace are rare in any text encoding but
/// common in binary formats, so they (and NUL) are the binary signal. A threshold
/// above zero tolerates a stray form feed or escape in old text files.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.is_empty() {
        return false;
    }
    let mut control = 0usize;
    for &b in sample {
        if b == 0 {
            return true;
        }
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f {
            control += 1;
        }
    }
    control * 100 > sample.len() * 2
}

/// The encoding named by a `charset=` in the first bytes of an HTML page.
fn sniff_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(CHARSET_SNIFF)];
    // ASCII-compatible view: charset declarations are ASCII by definition.
    let head: String = head
        .iter()
        .map(|&b| {
            if b.is_ascii() {
                (b as char).to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let mut from = 0;
    while let Some(pos) = head[from..].find("charset") {
        let start = from + pos + "charset".len();
        from = start;
        let rest = head[start..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches(['"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        if let Some(enc) = Encoding::for_label(label.as_bytes()) {
            // A page that declares UTF-16 but reached us as ASCII-compatible bytes
            // is lying; browsers treat that as UTF-8 too.
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(UTF_8);
            }
            return Some(enc);
        }
    }
    None
}

/// How much of an undeclared text the encoding detector reads: enough for a
/// confident guess, bounded for 50 MB inputs.
const DETECT_SAMPLE: usize = 64 * 1024;

/// The legacy encoding that undeclared bytes most likely use, by `chardetng` (the
/// detector Firefox uses for pages without a declaration): windows-1252 for Western
/// European text, windows-1251 or KOI8-R for Cyrillic, Shift_JIS, GBK, EUC-KR and
/// the rest by their byte statistics.
fn detect_legacy(bytes: &[u8]) -> &'static Encoding {
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == bytes.len());
    let enc = detector.guess(None, false);
    // UTF-8 was ruled out before detection; a guess of it means "no idea".
    if enc == UTF_8 {
        WINDOWS_1252
    } else {
        enc
    }
}

/// Decodes bytes to UTF-8 text: a byte-order mark wins; valid UTF-8 is taken as is;
/// otherwise an HTML page's declared charset (the HTTP header's was applied before,
/// see `payload::transcode`), else the encoding the bytes themselves suggest.
/// Malformed sequences become U+FFFD: the result is always valid UTF-8.
pub(crate) fn decode(bytes: &[u8], html: bool) -> Result<String, DecodeFailure> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    if looks_binary(bytes) {
        return Err(DecodeFailure::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let declared = if html {
        sniff_meta_charset(bytes)
    } else {
        None
    };
    let enc = declared.unwrap_or_else(|| detect_legacy(bytes));
    let (text, _, _) = enc.decode(bytes);
    Ok(text.into_owned())
}

/// Decodes an HTML page's bytes the way ingest does (BOM, UTF-8, `<meta charset>`,
/// detection), never failing: binary-looking bytes are decoded lossily. For
/// harnesses that need the same text ingest would see.
pub fn decode_html(bytes: &[u8]) -> String {
    match decode(bytes, true) {
        Ok(s) => s,
        Err(DecodeFailure::Binary) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBFHello", false).unwrap(), "Hello");
    }

    #[test]
    fn windows_1252_fallback_for_text() {
        // "Café – déjà" in windows-1252: é=E9, en dash=96, à=E0.
        let bytes = b"Caf\xE9 \x96 d\xE9j\xE0";
        assert_eq!(decode(bytes, false).unwrap(), "Café – déjà");
    }

    #[test]
    fn meta_charset_is_honoured_for_html() {
        let mut page = b"<html><head><meta charset=\"iso-8859-7\"></head><body>".to_vec();
        page.extend_from_slice(b"\xC1\xE8\xDE\xED\xE1"); // "Αθήνα" in ISO-8859-7
        page.extend_from_slice(b"</body></html>");
        assert!(decode(&page, true).unwrap().contains("Αθήνα"));
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>\xCC\xEE\xF0\xE5";
        assert!(decode(page, true).unwrap().ends_with("Море"));
    }

    #[test]
    fn undeclared_legacy_encodings_are_detected() {
        // Cyrillic in windows-1251 with no declaration: "Паром отменён из-за шторма"
        // and more of the same story, as a Russian-language outlet would serve it.
        let text = "Паромное сообщение между островом и материком отменено до понедельника \
            из-за шторма, сообщила береговая охрана. Пассажиры, купившие билеты, получат \
            полный возврат в течение десяти рабочих дней.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let page = [b"<html><body><p>".as_slice(), &bytes, b"</p></body></html>"].concat();
        assert!(decode(&page, true).unwrap().contains("береговая охрана"));
        // Japanese in Shift_JIS: "港のフェリーは月曜日まで運休します。"
        let text = "港のフェリーは月曜日まで運休します。乗客には全額が返金されます。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(decode(&bytes, false).unwrap().contains("フェリー"));
        // Western European text still reads as windows-1252.
        assert_eq!(
            decode(b"Die F\xE4hre f\xE4hrt erst am Montag wieder.", false).unwrap(),
            "Die Fähre fährt erst am Montag wieder."
        );
    }

    #[test]
    fn binary_is_refused() {
        let junk: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(decode(&junk, false), Err(DecodeFailure::Binary));
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00", false),
            Err(DecodeFailure::Binary)
        );
    }
}
