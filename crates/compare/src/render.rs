//! Renderers of a [`parallax_core::Comparison`]: text, Markdown, HTML. (stub)
