//! parallax-nlp (being built).
