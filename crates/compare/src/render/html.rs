//! One self-contained HTML page: inline CSS, no scripts, no external assets. Every
//! string that comes from an article goes through [`esc`].

use std::fmt::Write;

use parallax_core::{Comparison, DiffOp, HeadlineFrame, QuoteGroup};

use super::*;

const CSS: &str = "body{font:16px/1.5 Georgia,serif;margin:0;background:#fafaf7;color:#222}\
main{max-width:1100px;margin:auto;padding:1rem 2rem}h1{font-size:1.8rem}\
h2{border-bottom:1px solid #ccc;margin-top:2rem}section p,li{max-width:75ch}\
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:1rem}\
.col{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem}\
.col h3{margin:0 0 .4rem;font-size:1rem;color:#555}.headline{font-weight:bold}\
.meter{height:6px;background:#eee;border-radius:3px}.meter span{display:block;height:6px;background:#c0392b;border-radius:3px}\
.outlets{color:#666;font-size:.9rem}del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}\
.warn{color:#b00;font-weight:bold}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #e5e5e5;padding:.3rem .5rem;text-align:left;vertical-align:top}\
blockquote{margin:.5rem 0;padding-left:1rem;border-left:3px solid #999}sup a{text-decoration:none}";

pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let title = if c.title.is_empty() {
        "Untitled story"
    } else {
        &c.title
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{CSS}</style></head><body><main>\n",
        esc(title)
    );
    header(&mut out, c, title);
    headlines(&mut out, c);
    facts(&mut out, c);
    quotes(&mut out, c);
    credits(&mut out, c);
    timeline(&mut out, c);
    brief(&mut out, c);
    out.push_str("</main></body></html>\n");
    out
}

/// Escapes the five HTML specials; safe in text and in quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn header(out: &mut String, c: &Comparison, title: &str) {
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    let _ = writeln!(
        out,
        "<p class=\"outlets\">{}</p>",
        esc(&outlets(c).join(" · "))
    );
    let _ = writeln!(
        out,
        "<p><strong>Same story:</strong> {}</p>",
        esc(&verdict(c))
    );
    if c.syndication.is_empty() {
        return;
    }
    out.push_str("<section><h2>Syndication</h2><ul>");
    for s in &c.syndication {
        let _ = write!(out, "<li>{}</li>", esc(&syndication_line(c, s)));
    }
    out.push_str("</ul></section>\n");
}

fn headlines(out: &mut String, c: &Comparison) {
    out.push_str("<section><h2>Headlines</h2><div class=\"cols\">\n");
    for h in &c.headlines {
        headline_column(out, h);
    }
    out.push_str("</div></section>\n");
}

fn headline_column(out: &mut String, h: &HeadlineFrame) {
    let pct = (h.sensationalism * 100.0).round();
    let _ = writeln!(
        out,
        "<div class=\"col\"><h3>{}</h3><p class=\"headline\">{}</p>\
         <div class=\"meter\" title=\"sensationalism {:.2}\"><span style=\"width:{pct}%\"></span></div>\
         <p>Sensationalism {:.2}<br>Agent: {}<br>Action: {}<br>Loaded: {}<br>Hedges: {}</p></div>",
        esc(&h.outlet),
        esc(&h.headline),
        h.sensationalism,
        h.sensationalism,
        esc(h.agent.as_deref().unwrap_or("–")),
        esc(h.action.as_deref().unwrap_or("–")),
        esc(&headline_signals(&h.loaded_terms)),
        esc(&headline_signals(&h.hedges))
    );
}

fn facts(out: &mut String, c: &Comparison) {
    if c.facts.is_empty() {
        return;
    }
    out.push_str("<section><h2>Facts</h2>\n");
    for (heading, facts) in fact_sections(c) {
        let _ = write!(out, "<h3>{}</h3><ul>", esc(&heading));
        for f in facts {
            let who = if f.consensus {
                format!(
                    " <span class=\"outlets\">— {}</span>",
                    esc(&f.outlets.join(", "))
                )
            } else {
                String::new()
            };
            let _ = write!(out, "<li>{}{who}</li>", esc(&f.text));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn quotes(out: &mut String, c: &Comparison) {
    if c.quotes.is_empty() {
        return;
    }
    out.push_str("<section><h2>Quotes</h2>\n");
    for g in &c.quotes {
        quote_group(out, g);
    }
    out.push_str("</section>\n");
}

fn quote_group(out: &mut String, g: &QuoteGroup) {
    let speaker = g.speaker.as_deref().unwrap_or("Unknown speaker");
    let _ = write!(
        out,
        "<h3>{}</h3><blockquote>{}</blockquote><table>",
        esc(speaker),
        esc(&g.canonical)
    );
    for r in &g.renderings {
        let wording = if r.verbatim {
            "<em>verbatim</em>".to_string()
        } else {
            inline_diff(&r.diff, |op| match op {
                DiffOp::Equal(t) => esc(t),
                DiffOp::Insert(t) => format!("<ins>{}</ins>", esc(t)),
                DiffOp::Delete(t) => format!("<del>{}</del>", esc(t)),
            })
        };
        let flag = if r.changes_meaning {
            "<span class=\"warn\">⚠ changes meaning</span>"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<tr><th>{}</th><td>{wording}</td><td>{flag}</td></tr>",
            esc(&r.citation.outlet)
        );
    }
    out.push_str("</table>\n");
}

fn credits(out: &mut String, c: &Comparison) {
    if c.credits.is_empty() {
        return;
    }
    out.push_str("<section><h2>Credits</h2><ul>");
    for e in &c.credits {
        let _ = write!(out, "<li>{}: “{}”</li>", esc(&credit_line(e)), esc(&e.text));
    }
    out.push_str("</ul></section>\n");
}

fn timeline(out: &mut String, c: &Comparison) {
    if c.timeline.is_empty() {
        return;
    }
    out.push_str(
        "<section><h2>Timeline</h2><table><tr><th>Date</th><th>Event</th><th>Sources</th></tr>",
    );
    for t in &c.timeline {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.value),
            esc(&t.event),
            esc(&entry_sources(t))
        );
    }
    out.push_str("</table></section>\n");
}

fn brief(out: &mut String, c: &Comparison) {
    if c.brief.sentences.is_empty() {
        return;
    }
    out.push_str("<section><h2>Brief</h2><p>");
    let numbered = number_citations(c);
    for (s, nums) in c.brief.sentences.iter().zip(&numbered.per_sentence) {
        let refs: String = nums
            .iter()
            .map(|n| format!("<sup><a href=\"#c{n}\">[{n}]</a></sup>"))
            .collect();
        let _ = write!(out, "{}{refs} ", esc(&s.text));
    }
    out.push_str("</p><h3>Citations</h3><ol>");
    for (i, cit) in numbered.list.iter().enumerate() {
        let _ = write!(
            out,
            "<li id=\"c{}\">{}</li>",
            i + 1,
            esc(&citation_line(cit))
        );
    }
    out.push_str("</ol></section>\n");
}
