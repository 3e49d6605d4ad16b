//! JSONL dumps, one article per line: `{"url", "outlet", "title", "published",
//! "text" | "html"}`. Research crawls (CC-NEWS exports, scraper output) come this way.

use parallax_core::{Article, Outlet};
use serde_json::{Map, Value};

use crate::meta::{domain_of, parse_byline, parse_date};
use crate::text::{body_from_text, extract_text};
use crate::{extract_html, IngestError};

fn str_field<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .filter_map(|k| obj.get(*k))
        .filter_map(Value::as_str)
        .map(str::trim)
        .find(|s| !s.is_empty())
}

/// `outlet` as a string or `{"name", "domain"}`.
fn outlet_field(obj: &Map<String, Value>) -> (Option<String>, Option<String>) {
    match obj.get("outlet").or_else(|| obj.get("source")) {
        Some(Value::String(s)) if !s.trim().is_empty() => (Some(s.trim().to_string()), None),
        Some(Value::Object(o)) => (
            str_field(o, &["name"]).map(str::to_string),
            str_field(o, &["domain"]).map(|d| d.trim_start_matches("www.").to_lowercase()),
        ),
        _ => (None, None),
    }
}

fn byline_field(obj: &Map<String, Value>) -> Option<Vec<String>> {
    let v = obj
        .get("byline")
        .or_else(|| obj.get("authors"))
        .or_else(|| obj.get("author"))?;
    let names: Vec<String> = match v {
        Value::String(s) => parse_byline(s, false),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    };
    (!names.is_empty()).then_some(names)
}

/// One record. Errors carry `source` and `line` as given.
fn record(value: Value, source: &str, line: Option<usize>) -> Result<Article, IngestError> {
    let err = |problem: String| IngestError {
        source: source.to_string(),
        line,
        problem,
    };
    let item_source = match line {
        Some(n) => format!("{source}:{n}"),
        None => source.to_string(),
    };
    let Value::Object(obj) = value else {
        return Err(err("expected a JSON object".to_string()));
    };
    let url = str_field(&obj, &["url", "canonical_url"]).map(str::to_string);
    let title = str_field(&obj, &["title", "headline"]);
    let (outlet_name, outlet_domain) = outlet_field(&obj);

    let mut article = if let Some(html) = str_field(&obj, &["html", "raw_html"]) {
        extract_html(html, &item_source, url.as_deref()).map_err(|e| err(e.problem))?
    } else if let Some(text) = str_field(&obj, &["text", "body", "maintext"]) {
        match title {
            // With its own title the text is the body alone: no headline to find.
            Some(_) => {
                let (body, credits) = body_from_text(text);
                Article {
                    id: parallax_core::ArticleId(String::new()),
                    source: item_source.clone(),
                    url: None,
                    outlet: Outlet::default(),
                    title: String::new(),
                    byline: Vec::new(),
                    published: None,
                    language: parallax_nlp::language::detect(&body),
                    body,
                    credits,
                }
            }
            None => extract_text(text, &item_source).map_err(|e| err(e.problem))?,
        }
    } else {
        return Err(err("no \"text\" or \"html\" field".to_string()));
    };

    // The record's own fields are the curated metadata; they win over extraction.
    if let Some(u) = &url {
        article.url = Some(u.clone());
    }
    if let Some(t) = title {
        article.title = t.to_string();
    }
    if let Some(n) = outlet_name {
        article.outlet.name = n;
    }
    if let Some(d) = outlet_domain {
        article.outlet.domain = Some(d);
    }
    if article.outlet.domain.is_none() {
        article.outlet.domain = article.url.as_deref().and_then(domain_of);
    }
    // An unreadable date is dropped rather than the record: the text is what
    // matters, and dumps carry many date styles.
    if let Some(p) = str_field(&obj, &["published", "date_publish", "date"]).and_then(parse_date) {
        article.published = Some(p);
    }
    if let Some(b) = byline_field(&obj) {
        article.byline = b;
    }
    if let Some(l) = str_field(&obj, &["language", "lang"]) {
        article.language = Some(l.split(['-', '_']).next().unwrap_or(l).to_lowercase());
    }
    if article.body.trim().is_empty() {
        return Err(err("no article text".to_string()));
    }
    article.id = Article::derive_id(
        article.url.as_deref(),
        &article.outlet,
        &article.title,
        &article.body,
    );
    Ok(article)
}

/// Every line of a JSONL file: an article or an error naming the line.
pub(crate) fn read_jsonl(text: &str, source: &str) -> Vec<Result<Article, IngestError>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let n = i + 1;
            match serde_json::from_str::<Value>(l) {
                Ok(v) => record(v, source, Some(n)),
                Err(e) => Err(IngestError {
                    source: source.to_string(),
                    line: Some(n),
                    problem: format!("invalid JSON: {e}"),
                }),
            }
        })
        .collect()
}

/// A `.json` file: one object, an array of objects, or JSONL under another name.
pub(crate) fn read_json(text: &str, source: &str) -> Vec<Result<Article, IngestError>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| record(v, &format!("{source}[{i}]"), None))
            .collect(),
        Ok(v) => vec![record(v, source, None)],
        Err(_) => read_jsonl(text, source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_lines_keep_their_numbers() {
        let text = r#"{"url":"https://harbour-times.example/ferry","outlet":"The Harbour Times","title":"Ferry cancelled","published":"2026-11-15T08:12:00Z","text":"The night ferry was cancelled.\n\nPassengers waited four hours."}

{"title": broken
{"title":"No body here"}
{"outlet":{"name":"Eastmere Echo","domain":"www.eastmere-echo.example"},"title":"Lido reopens","text":"The lido reopened."}
"#;
        let r = read_jsonl(text, "dump.jsonl");
        assert_eq!(r.len(), 4);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.source, "dump.jsonl:1");
        assert_eq!(a.title, "Ferry cancelled");
        assert_eq!(a.outlet.name, "The Harbour Times");
        assert_eq!(a.outlet.domain.as_deref(), Some("harbour-times.example"));
        assert_eq!(
            a.body,
            "The night ferry was cancelled.\n\nPassengers waited four hours."
        );
        assert_eq!(
            a.id,
            Article::derive_id(
                Some("https://harbour-times.example/ferry"),
                &a.outlet,
                "",
                ""
            )
        );
        assert_eq!(
            a.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-11-15T08:12:00+00:00")
        );

        let e = r[1].as_ref().unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.problem.starts_with("invalid JSON: "), "{e}");
        assert!(e.to_string().starts_with("dump.jsonl:3: invalid JSON"));

        let e = r[2].as_ref().unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.problem.contains("no \"text\" or \"html\""));

        let a = r[3].as_ref().unwrap();
        assert_eq!(a.source, "dump.jsonl:5");
        assert_eq!(a.outlet.name, "Eastmere Echo");
        assert_eq!(a.outlet.domain.as_deref(), Some("eastmere-echo.example"));
    }

    #[test]
    fn html_records_take_the_json_metadata() {
        let line = serde_json::json!({
            "title": "Quay rules agreed (JSON title)",
            "html": "<html><head><title>Quay rules agreed | Eastmere Echo</title></head><body><article><h1>Quay rules agreed</h1><p>The harbour board agreed new quay rules on Monday after a long debate about berth fees.</p><p>Fishing crews said the fees were fair.</p></article></body></html>"
        })
        .to_string();
        let r = read_jsonl(&line, "d.jsonl");
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.title, "Quay rules agreed (JSON title)");
        assert_eq!(a.outlet.name, "Eastmere Echo");
        assert!(a.body.contains("berth fees"), "{}", a.body);
        assert_eq!(a.source, "d.jsonl:1");
    }

    #[test]
    fn json_arrays_and_single_objects() {
        let r = read_json(r#"[{"title":"A","text":"One."},{"title":"B"}]"#, "x.json");
        assert!(r[0].is_ok());
        assert_eq!(r[1].as_ref().unwrap_err().source, "x.json[1]");
        let r = read_json(
            "{\n  \"title\": \"A\",\n  \"text\": \"One.\"\n}\n",
            "y.json",
        );
        assert_eq!(r[0].as_ref().unwrap().body, "One.");
    }
}
