//! `parallax cluster --input docs.jsonl`: the clusterer driven from a plain JSONL file,
//! so that any scorer (ours in `parallax-eval`, or a Python one) can run it.
//!
//! Input, one object per line: `{"id", "title"?, "text", "published"?, "outlet"?}`
//! (`published` a date as [`parallax_core::date::parse_date`] reads it: RFC 3339,
//! `YYYY-MM-DD`, "November 15, 2026", …; `outlet` a name or `{"name", "domain"}`;
//! `embedding`, an array of numbers, a sentence embedding computed elsewhere, one length
//! for the whole file; other fields are ignored). Output, one line per input line in
//! the same order:
//! `{"id", "story"}`, plus `"copy_of"` when the article is a syndicated copy.
//!
//! The text is taken as it comes: no analysis runs (entities are taken from capitalised
//! words, see the crate docs), so the command is as fast as the clusterer itself.

use std::io::{BufRead, Write};

use parallax_core::date::parse_date;
use parallax_core::{Analysis, AnalyzedArticle, Article, ArticleId, Outlet};
use serde::Deserialize;

use crate::{ClusterConfig, Clusterer};

/// One input record.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JsonDoc {
    #[serde(default, deserialize_with = "any_string")]
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    /// Kept as JSON: a value that is not a date string is ignored, not an error.
    #[serde(default)]
    pub published: Option<serde_json::Value>,
    #[serde(default)]
    pub outlet: Option<serde_json::Value>,
    /// A sentence embedding computed elsewhere (any encoder, one length for the whole
    /// file): used as [`Clusterer::add_embedded`]'s vector when no encoder is given.
    #[serde(default)]
    pub embedding: Option<Vec<f32>>,
}

/// Ids may be numbers in some files: accept both.
fn any_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

impl JsonDoc {
    /// The article the clusterer sees. A text that repeats the title as its first line
    /// (as ECB+ does) has it removed, so the headline is not counted twice.
    pub fn to_article(&self) -> AnalyzedArticle {
        let title = self.title.clone().unwrap_or_default().trim().to_string();
        let text = self.text.clone().unwrap_or_default();
        let body = if !title.is_empty() {
            text.trim_start()
                .strip_prefix(title.as_str())
                .unwrap_or(&text)
                .trim()
                .to_string()
        } else {
            text.trim().to_string()
        };
        let outlet = match &self.outlet {
            Some(serde_json::Value::String(s)) => Outlet::new(s.clone(), None),
            Some(serde_json::Value::Object(o)) => Outlet::new(
                o.get("name").and_then(|v| v.as_str()).unwrap_or(""),
                o.get("domain").and_then(|v| v.as_str()).map(str::to_string),
            ),
            _ => Outlet::default(),
        };
        AnalyzedArticle {
            article: Article {
                id: ArticleId(self.id.clone()),
                source: String::new(),
                url: None,
                outlet,
                title,
                byline: vec![],
                published: self
                    .published
                    .as_ref()
                    .and_then(|v| v.as_str())
                    .and_then(parse_date),
                language: None,
                body,
                credits: vec![],
            },
            analysis: Analysis::default(),
        }
    }
}

#[derive(serde::Serialize)]
struct OutLine<'a> {
    id: &'a str,
    story: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    copy_of: Option<&'a str>,
}

/// Clusters a JSONL stream in line order with the default configuration and writes one
/// `{"id","story"}` line per article. The stories are the clusterer's final ones (after
/// its periodic merge passes), so an early article whose story was later merged is
/// printed with the surviving story. Blank lines are skipped; a line that is not a JSON
/// object, or has no id, is an error naming its line number. A repeated id is clustered
/// once and printed each time. Odd input the run goes past (unreadable dates, repeated
/// ids) is counted in the returned [`JsonlReport`], for the caller to warn about.
pub fn cluster_jsonl(input: impl BufRead, output: impl Write) -> anyhow::Result<JsonlReport> {
    cluster_jsonl_with(input, output, ClusterConfig::default(), None)
}

/// Texts in, one sentence embedding per text out (same order): how a caller lends the
/// clusterer an encoder without this crate depending on one.
pub type EmbedFn<'a> = dyn FnMut(&[String]) -> anyhow::Result<Vec<Vec<f32>>> + 'a;

/// Articles read before their texts are embedded in one call of the [`EmbedFn`].
const EMBED_CHUNK: usize = 256;

/// What a run read that the caller should hear about: input it accepted but could not
/// use as given (the run goes on, since one odd field should not stop a million-line
/// job, but silently clustering without dates would be worse).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonlReport {
    /// Articles read.
    pub articles: usize,
    /// Lines whose `published` is present but not a date this module reads, and the
    /// first of them: those articles are clustered as undated (no time window).
    pub unreadable_dates: usize,
    pub first_unreadable_date: Option<usize>,
    /// Lines repeating an earlier line's id, and the first of them: each such article
    /// is clustered once, as its first line.
    pub repeated_ids: usize,
    pub first_repeated_id: Option<usize>,
}

impl JsonlReport {
    /// One warning line per problem seen, for the user.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if let Some(line) = self.first_unreadable_date {
            w.push(format!(
                "{} line(s) have a \"published\" value that is not a date (such as RFC 3339, \
                 YYYY-MM-DD or \"November 15, 2026\"), first at line {line}: those articles \
                 were clustered without a date, so no time window applied to them",
                self.unreadable_dates
            ));
        }
        if let Some(line) = self.first_repeated_id {
            w.push(format!(
                "{} line(s) repeat an earlier line's id, first at line {line}: each id was \
                 clustered once, as its first line",
                self.repeated_ids
            ));
        }
        w
    }
}

/// [`cluster_jsonl`] with a configuration and, optionally, an encoder: each article's
/// [`crate::embedding_text`] is embedded (in chunks of lines) and given to
/// [`Clusterer::add_embedded`].
pub fn cluster_jsonl_with(
    input: impl BufRead,
    mut output: impl Write,
    config: ClusterConfig,
    mut embed: Option<&mut EmbedFn<'_>>,
) -> anyhow::Result<JsonlReport> {
    let mut c = Clusterer::new(config);
    let mut report = JsonlReport::default();
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    let mut pending: Vec<AnalyzedArticle> = Vec::new();
    let mut dim: Option<usize> = None;
    let flush = |c: &mut Clusterer,
                 pending: &mut Vec<AnalyzedArticle>,
                 embed: &mut Option<&mut EmbedFn<'_>>|
     -> anyhow::Result<()> {
        let Some(embed) = embed else {
            return Ok(());
        };
        let texts: Vec<String> = pending.iter().map(crate::embedding_text).collect();
        let vectors = embed(&texts)?;
        anyhow::ensure!(
            vectors.len() == pending.len(),
            "the encoder returned {} vectors for {} texts",
            vectors.len(),
            pending.len()
        );
        for (a, v) in pending.drain(..).zip(vectors) {
            c.add_embedded(&a, Some(v));
        }
        Ok(())
    };
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| anyhow::anyhow!("line {}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: JsonDoc = serde_json::from_str(&line)
            .map_err(|e| anyhow::anyhow!("line {}: invalid JSON: {e}", n + 1))?;
        if doc.id.is_empty() {
            anyhow::bail!("line {}: no \"id\"", n + 1);
        }
        report.articles += 1;
        let article = doc.to_article();
        // A `published` that is there (not null) but gave no date did not parse.
        let absent = matches!(doc.published, None | Some(serde_json::Value::Null));
        if !absent && article.article.published.is_none() {
            report.unreadable_dates += 1;
            report.first_unreadable_date.get_or_insert(n + 1);
        }
        if !seen.insert(doc.id.clone()) {
            report.repeated_ids += 1;
            report.first_repeated_id.get_or_insert(n + 1);
        }
        // The clusterer would pass over a vector of another length; in a file that is
        // a mistake of whoever wrote it, so it is named rather than ignored.
        if let Some(v) = &doc.embedding {
            let first = *dim.get_or_insert(v.len());
            anyhow::ensure!(
                v.len() == first,
                "line {}: \"embedding\" has {} numbers, earlier lines have {first}",
                n + 1,
                v.len()
            );
        }
        if embed.is_some() {
            pending.push(article);
            if pending.len() >= EMBED_CHUNK {
                flush(&mut c, &mut pending, &mut embed)?;
            }
        } else {
            c.add_embedded(&article, doc.embedding.clone());
        }
        ids.push(ArticleId(doc.id));
    }
    flush(&mut c, &mut pending, &mut embed)?;
    c.finish();
    for id in &ids {
        let Some(a) = c.assignment(id) else { continue };
        let line = OutLine {
            id: &id.0,
            story: &a.story.0,
            copy_of: a.copy_of.as_ref().map(|(o, _)| o.0.as_str()),
        };
        serde_json::to_writer(&mut output, &line)?;
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_line_is_an_error_with_its_number() {
        let input = "{\"id\":\"a\",\"text\":\"x\"}\nnot json\n";
        let err = cluster_jsonl(input.as_bytes(), Vec::new()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn embedding_of_another_length_is_an_error_with_its_number() {
        let input = "{\"id\":\"a\",\"text\":\"Dunmere fair opens.\",\"embedding\":[0.6,0.8]}\n\
                     {\"id\":\"b\",\"text\":\"Dunmere fair closes.\",\"embedding\":[1.0,0.0,0.0]}\n";
        let err = cluster_jsonl(input.as_bytes(), Vec::new()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(err.to_string().contains("3 numbers"), "{err}");
    }

    #[test]
    fn one_line_out_per_line_in() {
        let input = "{\"id\":\"a\",\"title\":\"Ferry terminal shut\",\"text\":\"The ferry terminal at Quaymouth was shut.\",\"published\":\"2026-03-03\"}\n\n{\"id\":7,\"text\":\"Unrelated orchard fair opens in Dunmere.\",\"published\":17}\n";
        let mut out = Vec::new();
        cluster_jsonl(input.as_bytes(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("{\"id\":\"a\",\"story\":"));
        assert!(lines[1].starts_with("{\"id\":\"7\",\"story\":"));
    }

    #[test]
    fn unreadable_dates_and_repeated_ids_are_reported() {
        let input = "{\"id\":\"a\",\"text\":\"Dunmere fair opens.\",\"published\":\"2026-03-03\"}\n\
                     {\"id\":\"b\",\"text\":\"Dunmere fair closes.\",\"published\":\"03/04/2026\"}\n\
                     {\"id\":\"a\",\"text\":\"Dunmere fair opens.\",\"published\":null}\n\
                     {\"id\":\"c\",\"text\":\"Quaymouth ferry sails.\",\"published\":17}\n";
        let report = cluster_jsonl(input.as_bytes(), Vec::new()).unwrap();
        assert_eq!(report.articles, 4);
        assert_eq!(
            (report.unreadable_dates, report.first_unreadable_date),
            (2, Some(2))
        );
        assert_eq!(
            (report.repeated_ids, report.first_repeated_id),
            (1, Some(3))
        );
        let w = report.warnings();
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("first at line 2"), "{w:?}");
        let clean = "{\"id\":\"a\",\"text\":\"Dunmere fair opens.\"}\n";
        assert!(cluster_jsonl(clean.as_bytes(), Vec::new())
            .unwrap()
            .warnings()
            .is_empty());
    }
}
