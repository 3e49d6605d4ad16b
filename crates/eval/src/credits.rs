//! Wire credits recovered from article text, scored on PolNeAR `metadata.tsv` (issue 4).
//! (being built)
