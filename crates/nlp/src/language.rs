//! Language identification. (stub: being built)

/// ISO 639-1 code of the text's language, when it can be told.
pub fn detect(_text: &str) -> Option<String> {
    None
}
