//! GitHub-flavoured Markdown. Article text is escaped so it cannot open markup: HTML
//! specials become entities (many Markdown viewers pass raw HTML through) and Markdown
//! specials get a backslash.

use std::fmt::Write;

use parallax_core::{Comparison, DiffOp, QuoteGroup};

use super::*;

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

/// Escapes text for Markdown: `& < >` as entities, Markdown punctuation with `\`,
/// newlines as spaces (cells and list items are one line).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

fn header(out: &mut String, c: &Comparison) {
    let title = if c.title.is_empty() {
        "Untitled story"
    } else {
        &c.title
    };
    let _ = writeln!(out, "# {}\n", esc(title));
    let _ = writeln!(out, "**Outlets:** {}\n", esc(&outlets(c).join(", ")));
    let _ = writeln!(out, "**Same story:** {}\n", esc(&verdict(c)));
    if !c.syndication.is_empty() {
        out.push_str("## Syndication\n\n");
        for s in &c.syndication {
            let _ = writeln!(out, "- {}", esc(&syndication_line(c, s)));
        }
        out.push('\n');
    }
}

fn facts(out: &mut String, c: &Comparison) {
    if c.facts.is_empty() {
        return;
    }
    out.push_str("## Facts\n\n");
    for (heading, facts) in fact_sections(c) {
        let _ = writeln!(out, "### {}\n", esc(&heading));
        for f in facts {
            let who = if f.consensus {
                format!(" — *{}*", esc(&f.outlets.join(", ")))
            } else {
                String::new()
            };
            let _ = writeln!(out, "- {}{who}", esc(&f.text));
        }
        out.push('\n');
    }
}

fn quotes(out: &mut String, c: &Comparison) {
    if c.quotes.is_empty() {
        return;
    }
    out.push_str("## Quotes\n\n");
    for g in &c.quotes {
        quote_group(out, g);
    }
}

fn quote_group(out: &mut String, g: &QuoteGroup) {
    let _ = writeln!(
        out,
        "### {}\n",
        esc(g.speaker.as_deref().unwrap_or("Unknown speaker"))
    );
    let _ = writeln!(out, "> {}\n", esc(&g.canonical));
    out.push_str("| Outlet | Wording | Note |\n|---|---|---|\n");
    for r in &g.renderings {
        let wording = if r.verbatim {
            "verbatim".to_string()
        } else {
            inline_diff(&r.diff, |op| match op {
                DiffOp::Equal(t) => esc(t),
                DiffOp::Insert(t) => format!("**{}**", esc(t)),
                DiffOp::Delete(t) => format!("~~{}~~", esc(t)),
            })
        };
        let note = if r.changes_meaning {
            "⚠ changes meaning"
        } else {
            ""
        };
        let _ = writeln!(out, "| {} | {wording} | {note} |", esc(&r.citation.outlet));
    }
    out.push('\n');
}

fn credits(out: &mut String, c: &Comparison) {
    if c.credits.is_empty() {
        return;
    }
    out.push_str("## Credits\n\n");
    for e in &c.credits {
        let _ = writeln!(out, "- {}: “{}”", esc(&credit_line(e)), esc(&e.text));
    }
    out.push('\n');
}

fn headlines(out: &mut String, c: &Comparison) {
    out.push_str("## Headlines\n\n");
    out.push_str(
        "| Outlet | Headline | Agent | Action | Loaded terms | Hedges | Sensationalism |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for h in &c.headlines {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.2} |",
            esc(&h.outlet),
            esc(&h.headline),
            esc(h.agent.as_deref().unwrap_or("–")),
            esc(h.action.as_deref().unwrap_or("–")),
            esc(&headline_signals(&h.loaded_terms)),
            esc(&headline_signals(&h.hedges)),
            h.sensationalism
        );
    }
    out.push('\n');
}

fn timeline(out: &mut String, c: &Comparison) {
    if c.timeline.is_empty() {
        return;
    }
    out.push_str("## Timeline\n\n| Date | Event | Sources |\n|---|---|---|\n");
    for t in &c.timeline {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            esc(&t.value),
            esc(&t.event),
            esc(&entry_sources(t))
        );
    }
    out.push('\n');
}

fn brief(out: &mut String, c: &Comparison) {
    if c.brief.sentences.is_empty() {
        return;
    }
    out.push_str("## Brief\n\n");
    let numbered = number_citations(c);
    for (i, (s, nums)) in c
        .brief
        .sentences
        .iter()
        .zip(&numbered.per_sentence)
        .enumerate()
    {
        let refs: String = nums.iter().map(|n| format!("\\[{n}\\]")).collect();
        let _ = writeln!(out, "{}. {} {refs}", i + 1, esc(&s.text));
    }
    out.push_str("\n### Citations\n\n");
    for (i, cit) in numbered.list.iter().enumerate() {
        let _ = writeln!(out, "{}\\. {}  ", i + 1, esc(&citation_line(cit)));
    }
}
