//! HTML tokenization (the HTML standard's section 13.2.5) feeding html5ever's tree
//! builder.
//!
//! Why not html5ever's own tokenizer: it was half of all extraction time. It walks
//! the page one character at a time through a queue of buffers, emits every newline
//! as a token of its own (which the tree sink then copies back together), copies
//! every attribute of every element, and tokenizes the bodies of scripts and styles
//! that extraction never reads. This one scans bytes (delimiters are ASCII, so UTF-8
//! stays intact), finds runs of text with `memchr`, hands text to the tree builder as
//! slices of one shared buffer, keeps only the attributes the extractor reads, and
//! skips what no extraction reads: comments, the bodies of scripts (JSON-LD kept),
//! styles, inline SVG and other raw-text fallbacks.
//!
//! What makes a tree out of broken markup is the tree builder, and that stays
//! html5ever's: implied end tags (`p`, `li`, `td`, `tr`, `option`), misnested
//! formatting (the adoption agency), foster parenting out of tables, quirks mode from
//! the doctype. The tokenizer's part of error handling is small and follows the
//! standard state by state: unquoted and unterminated attribute values, duplicate
//! attributes, `<` that opens no tag, `</>`, bogus comments, character references
//! with and without `;` (the attribute exception included), NUL, CR LF, EOF inside
//! a tag (the tag is dropped), the script-data escape states (`<!--<script>` inside
//! a script), and CDATA only in foreign content. `dom.rs` has a test that parses every
//! page of the evaluation set both ways and compares the trees.
//!
//! It also counts open tags as it goes, so that a page nested deeper than the tree
//! builder can handle (its cost is quadratic in depth) is refused as soon as that is
//! known, without a separate pass over the page.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

/// The page nests more open tags than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep;

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b' ')
}

/// Bytes that end a tag name in an end tag of raw text ("appropriate end tag").
fn ends_tag_name(b: u8) -> bool {
    is_ws(b) || b == b'/' || b == b'>'
}

/// Attributes kept on elements: what extraction and metadata read, and what the
/// tree builder itself looks at (`type` of `<input>`, `encoding` of
/// `<annotation-xml>`, `color`/`face`/`size` of `<font>` in foreign content). The
/// rest (`src`, `srcset`, `data-*`, event handlers, ...) is most of a page's
/// attribute bytes and is never read.
pub(crate) fn kept_attribute(name: &[u8]) -> Option<LocalName> {
    Some(match name {
        b"class" => local_name!("class"),
        b"id" => local_name!("id"),
        b"style" => local_name!("style"),
        b"hidden" => local_name!("hidden"),
        b"aria-hidden" => local_name!("aria-hidden"),
        b"role" => local_name!("role"),
        b"itemprop" => local_name!("itemprop"),
        b"type" => local_name!("type"),
        b"rel" => local_name!("rel"),
        b"href" => local_name!("href"),
        b"content" => local_name!("content"),
        b"name" => local_name!("name"),
        b"property" => local_name!("property"),
        b"datetime" => local_name!("datetime"),
        b"lang" => local_name!("lang"),
        b"xml:lang" => local_name!("xml:lang"),
        b"encoding" => local_name!("encoding"),
        b"color" => local_name!("color"),
        b"face" => local_name!("face"),
        b"size" => local_name!("size"),
        b"pubdate" => LocalName::from("pubdate"),
        _ => return None,
    })
}

/// The interned name of a tag: a direct match for common tags (no hashing), the
/// atom table for the rest.
fn tag_atom(name: &str) -> LocalName {
    match name {
        "a" => local_name!("a"),
        "p" => local_name!("p"),
        "div" => local_name!("div"),
        "span" => local_name!("span"),
        "li" => local_name!("li"),
        "ul" => local_name!("ul"),
        "img" => local_name!("img"),
        "br" => local_name!("br"),
        "meta" => local_name!("meta"),
        "link" => local_name!("link"),
        "script" => local_name!("script"),
        "style" => local_name!("style"),
        "td" => local_name!("td"),
        "tr" => local_name!("tr"),
        "i" => local_name!("i"),
        "b" => local_name!("b"),
        "strong" => local_name!("strong"),
        "em" => local_name!("em"),
        "h1" => local_name!("h1"),
        "h2" => local_name!("h2"),
        "h3" => local_name!("h3"),
        "h4" => local_name!("h4"),
        "section" => local_name!("section"),
        "article" => local_name!("article"),
        "header" => local_name!("header"),
        "footer" => local_name!("footer"),
        "nav" => local_name!("nav"),
        "button" => local_name!("button"),
        "input" => local_name!("input"),
        "option" => local_name!("option"),
        "source" => local_name!("source"),
        "picture" => local_name!("picture"),
        "figure" => local_name!("figure"),
        "path" => local_name!("path"),
        "svg" => local_name!("svg"),
        "time" => local_name!("time"),
        "noscript" => local_name!("noscript"),
        "iframe" => local_name!("iframe"),
        "form" => local_name!("form"),
        "label" => local_name!("label"),
        "table" => local_name!("table"),
        "tbody" => local_name!("tbody"),
        "html" => local_name!("html"),
        "head" => local_name!("head"),
        "body" => local_name!("body"),
        "title" => local_name!("title"),
        _ => LocalName::from(name),
    }
}

/// Tags that never nest or that the parser closes on its own: left out of the count
/// of open tags.
fn never_nests(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "optgroup"
            | "colgroup"
            | "caption"
            | "image"
            | "frame"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "html"
            | "head"
            | "body"
    )
}

/// Text waiting to be handed to the tree builder: a slice of the page while it has
/// no character references, else an owned buffer.
enum Pending {
    None,
    Slice(usize, usize),
    Owned(StrTendril),
}

/// What a tag's attribute value is collected into (only for kept attributes).
struct Value {
    text: String,
}

pub(crate) struct Tokenizer<'a, S: TokenSink> {
    src: &'a str,
    bytes: &'a [u8],
    /// The page as one shared buffer: text without references is handed on as
    /// slices of it, without a copy.
    buffer: StrTendril,
    pos: usize,
    sink: &'a S,
    text: Pending,
    name: String,
    open: usize,
    max_open: usize,
}

/// Tokenizes `html` into `sink` (html5ever's tree builder), end of file included.
/// Refuses, part way, a page with more than `max_open` tags open at once.
pub(crate) fn tokenize<S: TokenSink>(html: &str, sink: &S, max_open: usize) -> Result<(), TooDeep> {
    // Newlines are normalised first (CR LF and CR become LF), as the standard's input
    // stream preprocessing does; most pages have no CR and are not copied.
    let normalised;
    let src = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalised = html.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        html
    };
    let mut t = Tokenizer {
        src,
        bytes: src.as_bytes(),
        buffer: StrTendril::from_slice(src),
        pos: 0,
        sink,
        text: Pending::None,
        name: String::new(),
        open: 0,
        max_open,
    };
    let r = t.data();
    t.flush();
    let _ = sink.process_token(Token::EOFToken, 1);
    sink.end();
    r
}

impl<'a, S: TokenSink> Tokenizer<'a, S> {
    fn emit(&self, token: Token) -> TokenSinkResult<S::Handle> {
        self.sink.process_token(token, 1)
    }

    fn push_slice(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        match &mut self.text {
            Pending::None => self.text = Pending::Slice(from, to),
            Pending::Slice(_, end) if *end == from => *end = to,
            Pending::Slice(start, end) => {
                let mut t = StrTendril::from_slice(&self.src[*start..*end]);
                t.push_slice(&self.src[from..to]);
                self.text = Pending::Owned(t);
            }
            Pending::Owned(t) => t.push_slice(&self.src[from..to]),
        }
    }

    fn push_char(&mut self, c: char) {
        match &mut self.text {
            Pending::Owned(t) => t.push_char(c),
            Pending::None => self.text = Pending::Owned(StrTendril::from_char(c)),
            Pending::Slice(start, end) => {
                let mut t = StrTendril::from_slice(&self.src[*start..*end]);
                t.push_char(c);
                self.text = Pending::Owned(t);
            }
        }
    }

    /// Hands the pending text to the tree builder.
    fn flush(&mut self) {
        let t = match std::mem::replace(&mut self.text, Pending::None) {
            Pending::None => return,
            Pending::Slice(s, e) => self.buffer.subtendril(s as u32, (e - s) as u32),
            Pending::Owned(t) => t,
        };
        let _ = self.emit(Token::CharacterTokens(t));
    }

    /// The data state: text, character references and tags until the end.
    fn data(&mut self) -> Result<(), TooDeep> {
        let b = self.bytes;
        while self.pos < b.len() {
            let Some(off) = memchr::memchr3(b'<', b'&', 0, &b[self.pos..]) else {
                self.push_slice(self.pos, b.len());
                self.pos = b.len();
                break;
            };
            let at = self.pos + off;
            self.push_slice(self.pos, at);
            match b[at] {
                b'&' => {
                    self.pos = at + 1;
                    match char_ref(self.src, at, false) {
                        Some((chars, len)) => {
                            chars.into_iter().flatten().for_each(|c| self.push_char(c));
                            self.pos = at + len;
                        }
                        None => self.push_slice(at, at + 1),
                    }
                }
                0 => {
                    self.flush();
                    let _ = self.emit(Token::NullCharacterToken);
                    self.pos = at + 1;
                }
                _ => self.tag_open(at)?,
            }
        }
        Ok(())
    }

    /// After a `<` in the data state.
    fn tag_open(&mut self, at: usize) -> Result<(), TooDeep> {
        let b = self.bytes;
        match b.get(at + 1) {
            Some(b'!') => self.markup_declaration(at + 2),
            Some(b'/') => match b.get(at + 2) {
                Some(b'>') => self.pos = at + 3,
                Some(c) if c.is_ascii_alphabetic() => {
                    self.flush();
                    return self.tag(at + 2, TagKind::EndTag);
                }
                Some(_) => self.comment(bogus_comment_end(b, at + 2)),
                None => {
                    self.push_slice(at, b.len());
                    self.pos = b.len();
                }
            },
            Some(c) if c.is_ascii_alphabetic() => {
                self.flush();
                return self.tag(at + 1, TagKind::StartTag);
            }
            Some(b'?') => self.comment(bogus_comment_end(b, at + 1)),
            _ => {
                self.push_slice(at, at + 1);
                self.pos = at + 1;
            }
        }
        Ok(())
    }

    /// A comment that ends at `end`. Its text is dropped, but the tree builder is
    /// told of it: text before a comment is not joined with text after it, and the
    /// tree builder treats the two differently where one is only whitespace (in a
    /// table, whitespace stays in place and other text moves out before the table).
    fn comment(&mut self, end: usize) {
        self.flush();
        let _ = self.emit(Token::CommentToken(StrTendril::new()));
        self.pos = end;
    }

    /// After `<!`: a comment, a doctype, CDATA in foreign content, or a bogus comment.
    /// Comments are dropped: nothing reads them, and they do not change the tree.
    fn markup_declaration(&mut self, i: usize) {
        let b = self.bytes;
        let rest = &b[i..];
        if rest.starts_with(b"--") {
            self.comment(comment_end(b, i + 2));
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            self.flush();
            self.doctype(i + 7);
        } else if rest.starts_with(b"[CDATA[")
            && self
                .sink
                .adjusted_current_node_present_but_not_in_html_namespace()
        {
            let start = i + 7;
            let end = memchr::memmem::find(&b[start..], b"]]>").map_or(b.len(), |e| start + e);
            self.push_text_without_nul(start, end, None);
            self.pos = (end + 3).min(b.len());
        } else {
            self.comment(bogus_comment_end(b, i));
        }
    }

    /// Text of raw and CDATA sections: NUL becomes U+FFFD (or a NUL token, in CDATA,
    /// when `nul` is `None`).
    fn push_text_without_nul(&mut self, from: usize, to: usize, nul: Option<char>) {
        let mut i = from;
        while let Some(off) = memchr::memchr(0, &self.bytes[i..to]) {
            self.push_slice(i, i + off);
            match nul {
                Some(c) => self.push_char(c),
                None => {
                    self.flush();
                    let _ = self.emit(Token::NullCharacterToken);
                }
            }
            i += off + 1;
        }
        self.push_slice(i, to);
    }

    /// A start or end tag whose name starts at `i`; on return `pos` is past it. At
    /// the end of the input inside a tag, the tag is dropped (as the standard says).
    fn tag(&mut self, i: usize, kind: TagKind) -> Result<(), TooDeep> {
        let b = self.bytes;
        let len = b.len();
        let mut i = i;
        self.name.clear();
        let start = i;
        while i < len && !ends_tag_name(b[i]) && b[i] != 0 {
            i += 1;
        }
        if i < len && b[i] == 0 {
            // Rare: names with NUL in them, done character by character.
            i = start;
            while i < len && !ends_tag_name(b[i]) {
                if b[i] == 0 {
                    self.name.push('\u{fffd}');
                    i += 1;
                } else {
                    let n = utf8_len(b[i]);
                    self.name.push_str(&self.src[i..i + n]);
                    i += n;
                }
            }
        } else {
            self.name.push_str(&self.src[start..i]);
        }
        self.name.make_ascii_lowercase();
        let start_tag = kind == TagKind::StartTag;
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut self_closing = false;
        // The states after the tag name: before attribute name (`false`) and
        // self-closing start tag (`true`).
        let mut after_slash = false;
        loop {
            if i >= len {
                self.pos = len;
                return Ok(());
            }
            let c = b[i];
            if after_slash {
                after_slash = false;
                if c == b'>' {
                    self_closing = true;
                    i += 1;
                    break;
                }
                // Reconsumed in the before-attribute-name state.
                continue;
            }
            match c {
                _ if is_ws(c) => i += 1,
                b'/' => {
                    i += 1;
                    after_slash = true;
                }
                b'>' => {
                    i += 1;
                    break;
                }
                _ => {
                    // Attribute name: the first character is taken whatever it is
                    // (even `=`), then up to whitespace, `/`, `>` or `=`.
                    let name_start = i;
                    i += 1;
                    while i < len && !ends_tag_name(b[i]) && b[i] != b'=' {
                        i += 1;
                    }
                    let kept = if start_tag {
                        kept_attribute_named(&b[name_start..i])
                    } else {
                        None
                    };
                    // After the attribute name.
                    while i < len && is_ws(b[i]) {
                        i += 1;
                    }
                    let mut value = Value {
                        text: String::new(),
                    };
                    if i < len && b[i] == b'=' {
                        i += 1;
                        while i < len && is_ws(b[i]) {
                            i += 1;
                        }
                        if i >= len {
                            self.pos = len;
                            return Ok(());
                        }
                        match b[i] {
                            q @ (b'"' | b'\'') => {
                                let from = i + 1;
                                let Some(off) = memchr::memchr(q, &b[from..]) else {
                                    self.pos = len;
                                    return Ok(());
                                };
                                let to = from + off;
                                if kept.is_some() {
                                    self.attribute_value(from, to, &mut value);
                                }
                                i = to + 1;
                                // After a quoted value: whitespace, `/`, `>`, or
                                // anything else reconsumed before an attribute name.
                            }
                            b'>' => {
                                if let Some(n) = kept {
                                    push_attribute(&mut attrs, n, value.text);
                                }
                                i += 1;
                                break;
                            }
                            _ => {
                                let from = i;
                                while i < len && !is_ws(b[i]) && b[i] != b'>' {
                                    i += 1;
                                }
                                if i >= len {
                                    self.pos = len;
                                    return Ok(());
                                }
                                if kept.is_some() {
                                    self.attribute_value(from, i, &mut value);
                                }
                            }
                        }
                    }
                    if let Some(n) = kept {
                        push_attribute(&mut attrs, n, value.text);
                    }
                }
            }
        }
        self.pos = i;
        self.emit_tag(kind, attrs, self_closing)
    }

    /// The decoded value of an attribute (references resolved, NUL replaced).
    fn attribute_value(&self, from: usize, to: usize, value: &mut Value) {
        let b = self.bytes;
        let mut i = from;
        while let Some(off) = memchr::memchr2(b'&', 0, &b[i..to]) {
            let at = i + off;
            value.text.push_str(&self.src[i..at]);
            if b[at] == 0 {
                value.text.push('\u{fffd}');
                i = at + 1;
                continue;
            }
            // A reference never runs past the value's end: it takes only letters,
            // digits, `#`, `x` and `;`.
            match char_ref(&self.src[..to], at, true) {
                Some((chars, n)) => {
                    chars.into_iter().flatten().for_each(|c| value.text.push(c));
                    i = at + n;
                }
                None => {
                    value.text.push('&');
                    i = at + 1;
                }
            }
        }
        value.text.push_str(&self.src[i..to]);
    }

    fn emit_tag(
        &mut self,
        kind: TagKind,
        attrs: Vec<Attribute>,
        self_closing: bool,
    ) -> Result<(), TooDeep> {
        if !never_nests(&self.name) {
            if kind == TagKind::EndTag {
                self.open = self.open.saturating_sub(1);
            } else if !self_closing {
                self.open += 1;
                if self.open > self.max_open {
                    return Err(TooDeep);
                }
            }
        }
        let name = tag_atom(&self.name);
        let json_ld = kind == TagKind::StartTag
            && name == local_name!("script")
            && attrs.iter().any(|a| {
                a.name.local == local_name!("type")
                    && a.value.to_ascii_lowercase().contains("ld+json")
            });
        let result = self.emit(Token::TagToken(Tag {
            kind,
            name: name.clone(),
            self_closing,
            attrs,
        }));
        if kind == TagKind::EndTag {
            return Ok(());
        }
        match result {
            TokenSinkResult::RawData(raw) => {
                // Text of raw-text elements: kept for the title (metadata),
                // JSON-LD and `<xmp>`; the bodies of scripts, styles, textareas and
                // fallbacks (noscript, iframe, noembed, noframes) are never read.
                let keep = json_ld || name == local_name!("title") || name == local_name!("xmp");
                self.raw_text(raw, keep)
            }
            TokenSinkResult::Plaintext => {
                let to = self.bytes.len();
                self.push_text_without_nul(self.pos, to, Some('\u{fffd}'));
                self.pos = to;
                Ok(())
            }
            TokenSinkResult::Continue | TokenSinkResult::Script(_) => {
                if name == local_name!("svg") && !self_closing {
                    // Inline SVG: drawing instructions, no article text. Skipped to
                    // its own end tag, which is then tokenized as usual.
                    if let Some(end) = svg_end(self.bytes, self.pos) {
                        self.pos = end;
                    }
                }
                Ok(())
            }
        }
    }

    /// The text of a raw-text element (`<title>`, `<textarea>`, `<style>`,
    /// `<script>`, ...) up to its end tag, which is then tokenized as a tag.
    fn raw_text(&mut self, kind: RawKind, keep: bool) -> Result<(), TooDeep> {
        let b = self.bytes;
        let end = match kind {
            RawKind::ScriptData | RawKind::ScriptDataEscaped(_) => script_end(b, self.pos),
            _ => find_end_tag(b, self.pos, self.name.as_bytes()),
        };
        let to = end.unwrap_or(b.len());
        if keep {
            if kind == RawKind::Rcdata {
                let mut i = self.pos;
                while let Some(off) = memchr::memchr2(b'&', 0, &b[i..to]) {
                    let at = i + off;
                    self.push_slice(i, at);
                    if b[at] == 0 {
                        self.push_char('\u{fffd}');
                        i = at + 1;
                        continue;
                    }
                    match char_ref(&self.src[..to], at, false) {
                        Some((chars, n)) => {
                            chars.into_iter().flatten().for_each(|c| self.push_char(c));
                            i = at + n;
                        }
                        None => {
                            self.push_slice(at, at + 1);
                            i = at + 1;
                        }
                    }
                }
                self.push_slice(i, to);
            } else {
                self.push_text_without_nul(self.pos, to, Some('\u{fffd}'));
            }
            self.flush();
        }
        match end {
            Some(e) => {
                self.pos = e;
                self.tag(e + 2, TagKind::EndTag)
            }
            None => {
                self.pos = b.len();
                Ok(())
            }
        }
    }

    /// `<!DOCTYPE` up to its `>`, with the name and identifiers that decide quirks
    /// mode.
    fn doctype(&mut self, i: usize) {
        let b = self.bytes;
        let len = b.len();
        let mut i = i;
        let mut dt = Doctype::default();
        let skip_ws = |i: &mut usize| {
            while *i < len && is_ws(b[*i]) {
                *i += 1;
            }
        };
        let bogus = |i: usize| memchr::memchr(b'>', &b[i..]).map_or(len, |g| i + g + 1);
        skip_ws(&mut i);
        if i >= len || b[i] == b'>' {
            dt.force_quirks = true;
            self.pos = (i + 1).min(len);
            let _ = self.emit(Token::DoctypeToken(dt));
            return;
        }
        let start = i;
        while i < len && !is_ws(b[i]) && b[i] != b'>' {
            i += 1;
        }
        let name = self.src[start..i]
            .replace('\0', "\u{fffd}")
            .to_ascii_lowercase();
        dt.name = Some(StrTendril::from_slice(&name));
        // The rest: PUBLIC "id" "id", SYSTEM "id", or bogus up to `>`.
        let mut public_done = false;
        loop {
            skip_ws(&mut i);
            if i >= len {
                dt.force_quirks = true;
                break;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let rest = &b[i..];
            let keyword = if !public_done
                && rest.len() >= 6
                && rest[..6].eq_ignore_ascii_case(b"public")
            {
                Some(true)
            } else if !public_done && rest.len() >= 6 && rest[..6].eq_ignore_ascii_case(b"system") {
                Some(false)
            } else {
                None
            };
            let public = match keyword {
                Some(p) => {
                    i += 6;
                    skip_ws(&mut i);
                    p
                }
                // After the public identifier, the system identifier may follow
                // without a keyword.
                None if public_done && matches!(b[i], b'"' | b'\'') => false,
                None => {
                    dt.force_quirks = true;
                    i = bogus(i);
                    break;
                }
            };
            if i >= len || !matches!(b[i], b'"' | b'\'') {
                dt.force_quirks = true;
                i = if i < len && b[i] == b'>' {
                    i + 1
                } else {
                    bogus(i)
                };
                break;
            }
            let q = b[i];
            let from = i + 1;
            let close = b[from..].iter().position(|&c| c == q || c == b'>');
            let to = close.map_or(len, |c| from + c);
            let id = StrTendril::from_slice(&self.src[from..to].replace('\0', "\u{fffd}"));
            if public {
                dt.public_id = Some(id);
            } else {
                dt.system_id = Some(id);
            }
            match close {
                Some(_) if b[to] == q => i = to + 1,
                // `>` inside the identifier ends the doctype, in quirks mode.
                Some(_) => {
                    dt.force_quirks = true;
                    i = to + 1;
                    break;
                }
                None => {
                    dt.force_quirks = true;
                    i = len;
                    break;
                }
            }
            if !public {
                // After the system identifier only `>` is expected.
                skip_ws(&mut i);
                if i >= len {
                    dt.force_quirks = true;
                } else if b[i] != b'>' {
                    i = bogus(i);
                } else {
                    i += 1;
                }
                break;
            }
            public_done = true;
        }
        self.pos = i;
        let _ = self.emit(Token::DoctypeToken(dt));
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The kept attribute named `raw` as written (ASCII case-insensitive), if any.
fn kept_attribute_named(raw: &[u8]) -> Option<LocalName> {
    let mut buf = [0u8; 16];
    if raw.len() > buf.len() {
        return None; // longer than any kept name
    }
    for (d, s) in buf.iter_mut().zip(raw) {
        *d = s.to_ascii_lowercase();
    }
    kept_attribute(&buf[..raw.len()])
}

/// Adds an attribute unless the tag already has one of that name (the first wins).
fn push_attribute(attrs: &mut Vec<Attribute>, name: LocalName, value: String) {
    if attrs.iter().any(|a| a.name.local == name) {
        return;
    }
    attrs.push(Attribute {
        name: QualName::new(None, ns!(), name),
        value: StrTendril::from(value),
    });
}

/// Where a comment whose text starts at `i` (after `<!--`) ends: after `-->` or
/// `--!>`, or at once for `<!-->` and `<!--->`; the end of the input if unclosed.
fn comment_end(b: &[u8], i: usize) -> usize {
    let rest = &b[i..];
    if rest.starts_with(b">") {
        return i + 1;
    }
    if rest.starts_with(b"->") {
        return i + 2;
    }
    let mut at = i;
    while let Some(off) = memchr::memmem::find(&b[at..], b"--") {
        let d = at + off;
        // Past the dashes (a run of them may come before the `>`).
        let mut j = d + 2;
        while j < b.len() && b[j] == b'-' {
            j += 1;
        }
        match b.get(j) {
            Some(b'>') => return j + 1,
            Some(b'!') if b.get(j + 1) == Some(&b'>') => return j + 2,
            Some(_) => at = j,
            None => return b.len(),
        }
    }
    b.len()
}

/// Where a bogus comment (`<?xml ...>`, `</ 3>`, `<!x>`) starting at `i` ends: after
/// the next `>`.
fn bogus_comment_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'>', &b[i..]).map_or(b.len(), |g| i + g + 1)
}

/// Whether `b` at `i` holds `</name` (any case) followed by a byte that ends a tag
/// name.
fn end_tag_at(b: &[u8], i: usize, name: &[u8]) -> bool {
    let n = name.len();
    b.len() > i + 2 + n
        && b[i] == b'<'
        && b[i + 1] == b'/'
        && b[i + 2..i + 2 + n].eq_ignore_ascii_case(name)
        && ends_tag_name(b[i + 2 + n])
}

/// The first appropriate end tag `</name` at or after `from`: the end of RCDATA and
/// RAWTEXT.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let at = i + off;
        if end_tag_at(b, at, name) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Where skipping an `<svg>` whose content starts at `from` stops: at the end tag
/// that closes it, or earlier, where the standard's foreign-content rules hand a tag
/// back to HTML: a start tag that breaks out (`<br>`, `<p>`, `<div>`, ...) or an end
/// tag of no element open inside the SVG (`</div>` of an SVG left unclosed). Then
/// tokenizing resumes at the first element skipped that is still open (or at that
/// tag), so the tree builder sees every element it would have to close and closes the
/// SVG as it would have. SVGs nest (icon sprites hold one per icon), and comments and
/// CDATA sections inside may mention tags.
fn svg_end(b: &[u8], from: usize) -> Option<usize> {
    // Elements open inside the SVG: name, and where the start tag begins.
    let mut open: Vec<(&[u8], usize)> = vec![(b"svg", from)];
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let at = i + off;
        let rest = &b[at..];
        // As `Tokenizer::tag_open` reads what follows a `<`.
        let end = rest.get(1) == Some(&b'/');
        let name = tag_name(&rest[1 + usize::from(end)..]);
        if name.is_empty() {
            i = if rest.starts_with(b"<!--") {
                comment_end(b, at + 4)
            } else if rest.starts_with(b"<![CDATA[") {
                memchr::memmem::find(rest, b"]]>").map_or(b.len(), |e| at + e + 3)
            } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                bogus_comment_end(b, at + 1 + usize::from(rest[1] == b'!'))
            } else if rest.starts_with(b"</>") {
                at + 3
            } else if end && rest.len() > 2 {
                bogus_comment_end(b, at + 2)
            } else {
                at + 1
            };
            continue;
        }
        let resume = open.get(1).map_or(at, |o| o.1);
        let (close, self_closing) = tag_end(rest, 1 + usize::from(end) + name.len());
        if end {
            match open.iter().rposition(|n| n.0.eq_ignore_ascii_case(name)) {
                Some(k) if k > 0 => open.truncate(k),
                _ => return Some(resume),
            }
        } else if breaks_out_of_foreign_content(name) {
            return Some(resume);
        } else if is_html_integration_point(name) && !self_closing {
            // What these hold is read as HTML (a `<script>` in one is a script), so
            // only a text-only one is skipped.
            let from = at + close.unwrap_or(rest.len());
            match find_end_tag(b, from, name) {
                Some(e) if memchr::memchr(b'<', &b[from..e]).is_none() => {
                    i = e;
                    open.push((name, at));
                    continue;
                }
                _ => return Some(resume),
            }
        } else if !self_closing {
            open.push((name, at));
        }
        match close {
            Some(c) => i = at + c,
            // EOF inside the tag: the tokenizer drops it.
            None => return Some(resume),
        }
    }
    None
}

/// The end of the tag whose name ends at `from` in `rest` (just past its `>`, `None`
/// at EOF) and whether it is self-closing, reading attribute values as the
/// tokenizer does, so a `>` or `<` inside quotes is not taken for markup.
fn tag_end(rest: &[u8], from: usize) -> (Option<usize>, bool) {
    let mut i = from;
    let mut slash = false;
    while i < rest.len() {
        match rest[i] {
            b'>' => return (Some(i + 1), slash),
            b'/' => {
                slash = true;
                i += 1;
            }
            c if is_ws(c) => i += 1,
            _ => {
                slash = false;
                // An attribute name, then an optional value.
                i += 1;
                while i < rest.len() && !matches!(rest[i], b'=' | b'>' | b'/') && !is_ws(rest[i]) {
                    i += 1;
                }
                while i < rest.len() && is_ws(rest[i]) {
                    i += 1;
                }
                if rest.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < rest.len() && is_ws(rest[i]) {
                    i += 1;
                }
                match rest.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i = memchr::memchr(q, &rest[i + 1..]).map_or(rest.len(), |e| i + 1 + e + 1);
                    }
                    _ => {
                        while i < rest.len() && rest[i] != b'>' && !is_ws(rest[i]) {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
    (None, slash)
}

/// The tag name at the start of `rest` (what follows `<` or `</`): ASCII letters
/// first, then anything up to whitespace, `/` or `>`; empty when it is not a tag.
fn tag_name(rest: &[u8]) -> &[u8] {
    if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
        return &[];
    }
    let n = rest
        .iter()
        .position(|&c| ends_tag_name(c))
        .unwrap_or(rest.len());
    &rest[..n]
}

/// SVG elements whose content is HTML (the standard's HTML integration points).
fn is_html_integration_point(name: &[u8]) -> bool {
    [&b"title"[..], b"desc", b"foreignobject"]
        .iter()
        .any(|t| name.eq_ignore_ascii_case(t))
}

/// Start tags that end foreign content (the HTML standard's list; `<font>` breaks
/// out only with `color`, `face` or `size`, and is counted as breaking out, which at
/// worst tokenizes the rest of an SVG that holds one).
fn breaks_out_of_foreign_content(name: &[u8]) -> bool {
    const BREAKOUT: &[&[u8]] = &[
        b"b",
        b"big",
        b"blockquote",
        b"body",
        b"br",
        b"center",
        b"code",
        b"dd",
        b"div",
        b"dl",
        b"dt",
        b"em",
        b"embed",
        b"h1",
        b"h2",
        b"h3",
        b"h4",
        b"h5",
        b"h6",
        b"head",
        b"hr",
        b"i",
        b"img",
        b"li",
        b"listing",
        b"menu",
        b"meta",
        b"nobr",
        b"ol",
        b"p",
        b"pre",
        b"ruby",
        b"s",
        b"small",
        b"span",
        b"strong",
        b"strike",
        b"sub",
        b"sup",
        b"table",
        b"tt",
        b"u",
        b"ul",
        b"var",
        b"font",
    ];
    BREAKOUT.iter().any(|t| name.eq_ignore_ascii_case(t))
}

/// The end of script data starting at `from`: the first `</script` that is not
/// inside an escaped `<!--<script>...</script>-->` block (the standard's
/// script-data escape states, which old pages use to write scripts from scripts).
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    let first = find_end_tag(b, from, b"script")?;
    if memchr::memmem::find(&b[from..first], b"<!--").is_none() {
        return Some(first);
    }
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Data,
        Escaped,
        EscapedDash,
        EscapedDashDash,
        Double,
        DoubleDash,
        DoubleDashDash,
    }
    use St::*;
    // The letters of a tag name at `i`, and whether a name-ending byte follows
    // (the escape start and end states).
    let letters = |i: usize| {
        let mut j = i;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        (j, j < b.len() && ends_tag_name(b[j]))
    };
    let mut st = Data;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        match st {
            Data => {
                if c == b'<' {
                    if end_tag_at(b, i, b"script") {
                        return Some(i);
                    }
                    if b[i + 1..].starts_with(b"!--") {
                        st = EscapedDashDash;
                        i += 4;
                        continue;
                    }
                }
            }
            Escaped | EscapedDash | EscapedDashDash => match c {
                b'-' => {
                    st = match st {
                        Escaped => EscapedDash,
                        _ => EscapedDashDash,
                    }
                }
                b'>' if st == EscapedDashDash => st = Data,
                b'<' => {
                    if end_tag_at(b, i, b"script") {
                        return Some(i);
                    }
                    st = Escaped;
                    if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                        let (j, ends) = letters(i + 1);
                        if ends {
                            if b[i + 1..j].eq_ignore_ascii_case(b"script") {
                                st = Double;
                            }
                            i = j + 1;
                        } else {
                            i = j;
                        }
                        continue;
                    }
                }
                _ => st = Escaped,
            },
            Double | DoubleDash | DoubleDashDash => match c {
                b'-' => {
                    st = match st {
                        Double => DoubleDash,
                        _ => DoubleDashDash,
                    }
                }
                b'>' if st == DoubleDashDash => st = Data,
                b'<' => {
                    st = Double;
                    if b.get(i + 1) == Some(&b'/') {
                        let (j, ends) = letters(i + 2);
                        if ends {
                            if b[i + 2..j].eq_ignore_ascii_case(b"script") {
                                st = Escaped;
                            }
                            i = j + 1;
                        } else {
                            i = j;
                        }
                        continue;
                    }
                }
                _ => st = Double,
            },
        }
        i += 1;
    }
    None
}

/// A character reference at `at` (`src[at] == '&'`): the characters it stands for
/// and its length in bytes, or `None` when the `&` is just a character. Numeric
/// references follow the standard's replacements (C1 controls as windows-1252,
/// NUL, surrogates and out-of-range values as U+FFFD); named ones take the longest
/// match, also without `;` (`&copy2026`), except in attribute values where a
/// letter, digit or `=` follows (`href="?a=1&copy=2"`).
fn char_ref(src: &str, at: usize, in_attribute: bool) -> Option<([Option<char>; 2], usize)> {
    let b = src.as_bytes();
    let j = at + 1;
    let first = *b.get(j)?;
    if first == b'#' {
        let mut k = j + 1;
        let hex = matches!(b.get(k), Some(b'x' | b'X'));
        if hex {
            k += 1;
        }
        let base = if hex { 16 } else { 10 };
        let digits_from = k;
        let mut num: u32 = 0;
        let mut too_big = false;
        while let Some(d) = b.get(k).and_then(|&c| (c as char).to_digit(base)) {
            num = num.wrapping_mul(base);
            if num > 0x10FFFF {
                too_big = true;
            }
            num = num.wrapping_add(d);
            k += 1;
        }
        if k == digits_from {
            return None;
        }
        if b.get(k) == Some(&b';') {
            k += 1;
        }
        let c = match num {
            n if n > 0x10FFFF || too_big => '\u{fffd}',
            0 | 0xD800..=0xDFFF => '\u{fffd}',
            0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(num - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(num).unwrap_or('\u{fffd}')),
            n => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        return Some(([Some(c), None], k - at));
    }
    if !first.is_ascii_alphanumeric() {
        return None;
    }
    // The most common names, without the table lookups.
    for (name, c) in [
        (&b"amp;"[..], '&'),
        (b"nbsp;", '\u{a0}'),
        (b"quot;", '"'),
        (b"lt;", '<'),
        (b"gt;", '>'),
    ] {
        if b[j..].starts_with(name) {
            return Some(([Some(c), None], 1 + name.len()));
        }
    }
    // Longest match: the table holds every prefix of every name.
    let mut best: Option<(usize, (u32, u32))> = None;
    let mut k = j;
    while k < b.len() && b[k].is_ascii() {
        match html5ever::data::NAMED_ENTITIES.get(&src[j..=k]) {
            Some(&m) => {
                if m.0 != 0 {
                    best = Some((k + 1 - j, m));
                }
            }
            None => break,
        }
        k += 1;
    }
    let (len, (c1, c2)) = best?;
    let last = b[j + len - 1];
    let next = b.get(j + len).copied();
    if in_attribute && last != b';' && next.is_some_and(|n| n == b'=' || n.is_ascii_alphanumeric())
    {
        return None;
    }
    let chars = [
        char::from_u32(c1),
        if c2 == 0 { None } else { char::from_u32(c2) },
    ];
    Some((chars, 1 + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references() {
        let r = |s: &str, attr: bool| {
            char_ref(s, 0, attr).map(|(c, n)| (c.into_iter().flatten().collect::<String>(), n))
        };
        assert_eq!(r("&amp;x", false), Some(("&".into(), 5)));
        assert_eq!(r("&copy2026", false), Some(("©".into(), 5)));
        assert_eq!(r("&copy=2", true), None);
        assert_eq!(r("&notit;", false), Some(("¬".into(), 4)));
        assert_eq!(r("&notin;", false), Some(("∉".into(), 7)));
        assert_eq!(r("&#8212;", false), Some(("—".into(), 7)));
        assert_eq!(r("&#x201C", false), Some(("“".into(), 7)));
        assert_eq!(r("&#150;", false), Some(("–".into(), 6)));
        assert_eq!(r("&#0;", false), Some(("\u{fffd}".into(), 4)));
        assert_eq!(r("&#99999999999;", false), Some(("\u{fffd}".into(), 14)));
        assert_eq!(r("&#x;", false), None);
        assert_eq!(r("&nosuch;", false), None);
        assert_eq!(r("& x", false), None);
        assert_eq!(r("&NotEqualTilde;", false), Some(("≂\u{338}".into(), 15)));
    }

    #[test]
    fn comments_and_script_ends() {
        let end = |s: &str| comment_end(s.as_bytes(), 4);
        assert_eq!(end("<!-->x"), 5);
        assert_eq!(end("<!--->x"), 6);
        assert_eq!(end("<!---->x"), 7);
        assert_eq!(end("<!-- a -- b --->x"), 16);
        assert_eq!(end("<!-- a --!>x"), 11);
        assert_eq!(end("<!-- open"), 9);
        let s = |s: &str| script_end(s.as_bytes(), 0);
        assert_eq!(s("a()</script>"), Some(3));
        assert_eq!(s("a()</SCRIPT >"), Some(3));
        assert_eq!(s("a()</scripts></script>"), Some(13));
        assert_eq!(
            s("<!--<script>x</script>-->y</script>"),
            Some(26),
            "escaped block"
        );
        assert_eq!(s("<!-- x --></script>"), Some(10));
        assert_eq!(s("<!--x</script>"), Some(5));
        assert_eq!(s("never closed"), None);
    }
}
