//! Story clustering scored on ECB+ (B-cubed, ARI, NMI) and MStream (NMI) (issue 6).
//! (being built)
