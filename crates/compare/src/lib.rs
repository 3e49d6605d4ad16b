//! parallax-compare (being built).
