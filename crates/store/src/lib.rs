//! parallax-store (being built).
