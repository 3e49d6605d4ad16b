//! Near-duplicate detection with MinHash. (stub: being built)
