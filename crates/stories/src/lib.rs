//! parallax-stories (being built).
