use serde::{Deserialize, Serialize};

/// A byte range `start..end` into an article body. Always on UTF-8 char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers. Panics only if the span does not belong to `body`,
    /// which is a bug in the stage that made it.
    pub fn text<'a>(&self, body: &'a str) -> &'a str {
        &body[self.start..self.end]
    }

    /// Whether the span is a range of `body` on character boundaries: the check for
    /// spans that come from another stage (sentences handed to NER, quotes, credits)
    /// before slicing with [`Span::text`].
    pub fn fits(&self, body: &str) -> bool {
        self.start <= self.end && body.get(self.start..self.end).is_some()
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The same span shifted by `delta` bytes, for spans found in a slice of the body.
    pub fn offset(&self, delta: usize) -> Span {
        Span::new(self.start + delta, self.end + delta)
    }
}

/// Converts byte offsets of one text into Unicode code-point offsets.
///
/// Built once per body (O(n)), then each lookup is a binary search over the positions
/// of multi-byte characters, so pure-ASCII bodies cost nothing per lookup.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// Byte offsets at which a multi-byte character starts, with the number of extra
    /// bytes seen up to and including it.
    wide: Vec<(usize, usize)>,
}

impl CharMap {
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut extra = 0;
        for (i, c) in text.char_indices() {
            let n = c.len_utf8();
            if n > 1 {
                extra += n - 1;
                wide.push((i, extra));
            }
        }
        CharMap { wide }
    }

    /// Code-point offset of byte offset `byte` (which must be a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        // Extra bytes of every wide char that starts strictly before `byte`.
        let idx = self.wide.partition_point(|&(pos, _)| pos < byte);
        let extra = if idx == 0 { 0 } else { self.wide[idx - 1].1 };
        byte - extra
    }

    /// `(start, end)` of a span in code points.
    pub fn chars(&self, span: Span) -> (usize, usize) {
        (self.char_offset(span.start), self.char_offset(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_fits_only_on_character_boundaries_inside_the_body() {
        let body = "Café ok";
        assert!(Span::new(0, 5).fits(body));
        assert!(!Span::new(0, 4).fits(body), "inside the é");
        assert!(
            !Span { start: 3, end: 2 }.fits(body),
            "reversed (read from JSON)"
        );
        assert!(!Span::new(6, 9).fits(body), "past the end");
        assert!(Span::new(8, 8).fits(body));
    }

    #[test]
    fn char_offsets_match_python_slicing() {
        let body = "Café «déjà» vu — ok";
        let map = CharMap::new(body);
        let byte = body.find("vu").unwrap();
        let chars: Vec<char> = body.chars().collect();
        let c = map.char_offset(byte);
        assert_eq!(chars[c..c + 2].iter().collect::<String>(), "vu");
        assert_eq!(map.char_offset(body.len()), chars.len());
        assert_eq!(map.char_offset(0), 0);
    }

    #[test]
    fn ascii_is_identity() {
        let map = CharMap::new("plain text");
        assert_eq!(map.chars(Span::new(3, 7)), (3, 7));
    }
}
