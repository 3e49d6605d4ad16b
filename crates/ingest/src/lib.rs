//! Sources and extraction. (stub: being built)
use std::fmt;

/// A problem with one input item, naming the file (and line or record) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// Path, URL or `-` for stdin.
    pub source: String,
    /// 1-based line for JSONL.
    pub line: Option<usize>,
    pub problem: String,
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
