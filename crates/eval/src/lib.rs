//! Scorers for the public gold datasets Parallax is measured against, and the harness
//! the benchmark examples share.
//!
//! Each scorer takes the stage under test as a closure, so the same code scores the
//! engine's own stage (from the CLI) and the third-party candidates it was chosen from
//! (`examples/compare_extractors.rs`).

pub mod extraction;
