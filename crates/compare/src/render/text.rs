//! Plain text for a terminal, wrapped at [`WIDTH`] columns.

use std::fmt::Write;

use parallax_core::{Comparison, DiffOp, QuoteGroup};

use super::*;

pub const WIDTH: usize = 96;

pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    header(&mut out, c);
    facts(&mut out, c);
    quotes(&mut out, c);
    credits(&mut out, c);
    headlines(&mut out, c);
    timeline(&mut out, c);
    brief(&mut out, c);
    out
}

/// Word-wraps `text` at [`WIDTH`], the first line after `first`, the others indented
/// by `indent` spaces.
fn wrap(first: &str, text: &str, indent: usize) -> String {
    let mut out = first.to_string();
    let mut col = first.chars().count();
    let mut line_empty = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !line_empty && col + 1 + w > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            col = indent;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += w;
        line_empty = false;
    }
    out.push('\n');
    out
}

fn section(out: &mut String, title: &str) {
    let _ = write!(out, "\n{title}\n{}\n", "-".repeat(title.chars().count()));
}

fn header(out: &mut String, c: &Comparison) {
    let title = if c.title.is_empty() {
        "(untitled story)"
    } else {
        &c.title
    };
    out.push_str(&wrap("", title, 0));
    out.push_str(&"=".repeat(title.chars().count().min(WIDTH)));
    out.push('\n');
    out.push_str(&wrap("Outlets: ", &outlets(c).join(", "), 9));
    out.push_str(&wrap("Same story: ", &verdict(c), 12));
    if !c.syndication.is_empty() {
        section(out, "Syndication");
        for s in &c.syndication {
            out.push_str(&wrap("  ", &syndication_line(c, s), 4));
        }
    }
}

fn facts(out: &mut String, c: &Comparison) {
    for (heading, facts) in fact_sections(c) {
        section(out, &heading);
        for f in facts {
            out.push_str(&wrap("  • ", &f.text, 4));
            if f.consensus {
                out.push_str(&wrap("    — ", &f.outlets.join(", "), 6));
            }
        }
    }
}

fn quotes(out: &mut String, c: &Comparison) {
    if c.quotes.is_empty() {
        return;
    }
    section(out, "Quotes");
    for g in &c.quotes {
        quote_group(out, g);
    }
}

fn quote_group(out: &mut String, g: &QuoteGroup) {
    let speaker = g.speaker.as_deref().unwrap_or("Unknown speaker");
    out.push_str(&wrap("  ", &format!("{speaker}: “{}”", g.canonical), 4));
    for r in &g.renderings {
        let label = format!("    {}: ", r.citation.outlet);
        let body = if r.verbatim {
            "(verbatim)".to_string()
        } else {
            inline_diff(&r.diff, |op| match op {
                DiffOp::Equal(t) => t.clone(),
                DiffOp::Insert(t) => format!("{{+{t}+}}"),
                DiffOp::Delete(t) => format!("[-{t}-]"),
            })
        };
        let flag = if r.changes_meaning {
            "  ⚠ changes meaning"
        } else {
            ""
        };
        out.push_str(&wrap(&label, &format!("{body}{flag}"), 8));
    }
}

fn credits(out: &mut String, c: &Comparison) {
    if c.credits.is_empty() {
        return;
    }
    section(out, "Credits");
    for e in &c.credits {
        out.push_str(&wrap("  ", &format!("{}: “{}”", credit_line(e), e.text), 4));
    }
}

fn headlines(out: &mut String, c: &Comparison) {
    section(out, "Headlines (sensationalism 0–1)");
    let width = c
        .headlines
        .iter()
        .map(|h| h.outlet.chars().count())
        .max()
        .unwrap_or(0);
    for h in &c.headlines {
        let first = format!("  {:.2}  {:<width$}  ", h.sensationalism, h.outlet);
        let indent = first.chars().count();
        out.push_str(&wrap(&first, &h.headline, indent));
        let detail = format!(
            "agent: {}; action: {}; loaded: {}; hedges: {}",
            h.agent.as_deref().unwrap_or("–"),
            h.action.as_deref().unwrap_or("–"),
            headline_signals(&h.loaded_terms),
            headline_signals(&h.hedges)
        );
        out.push_str(&wrap(&" ".repeat(indent), &detail, indent));
    }
}

fn timeline(out: &mut String, c: &Comparison) {
    if c.timeline.is_empty() {
        return;
    }
    section(out, "Timeline");
    let width = c.timeline.iter().map(|t| t.value.len()).max().unwrap_or(0) + 2;
    for t in &c.timeline {
        let first = format!("  {:<width$}", t.value);
        let line = format!("{} ({})", t.event, entry_sources(t));
        out.push_str(&wrap(&first, &line, width + 2));
    }
}

fn brief(out: &mut String, c: &Comparison) {
    if c.brief.sentences.is_empty() {
        return;
    }
    section(out, "Brief");
    let numbered = number_citations(c);
    for (s, nums) in c.brief.sentences.iter().zip(&numbered.per_sentence) {
        let refs: String = nums.iter().map(|n| format!("[{n}]")).collect();
        out.push_str(&wrap("  ", &format!("{} {refs}", s.text), 2));
    }
    section(out, "Citations");
    for (i, cit) in numbered.list.iter().enumerate() {
        out.push_str(&wrap(&format!("  [{}] ", i + 1), &citation_line(cit), 6));
    }
}
