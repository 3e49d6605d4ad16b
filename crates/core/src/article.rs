use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::analysis::Credit;

/// Stable article id: 16 hex digits of SHA-256 over the canonical URL when the article
/// has one, else over outlet, title and body. Ingesting the same article twice yields
/// the same id, which is what makes ingest idempotent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    pub fn from_url(url: &str) -> Self {
        ArticleId::digest(&["url", &canonical_url(url)])
    }

    pub fn from_content(outlet: &str, title: &str, body: &str) -> Self {
        ArticleId::digest(&["content", outlet, title, body])
    }

    fn digest(parts: &[&str]) -> Self {
        let mut h = Sha256::new();
        for p in parts {
            h.update(p.as_bytes());
            h.update([0u8]);
        }
        let out = h.finalize();
        ArticleId(out[..8].iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL as it identifies an article: scheme and host lower-cased, fragment and
/// tracking parameters (`utm_*`, `fbclid`, `gclid`) dropped, no trailing slash.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = host.to_ascii_lowercase();
            let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
            format!(
                "{}://{}{}",
                scheme.to_ascii_lowercase(),
                host,
                path.trim_end_matches('/')
            )
        }
        None => base.trim_end_matches('/').to_string(),
    };
    let kept: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| {
            !p.is_empty()
                && !p.starts_with("utm_")
                && !p.starts_with("fbclid=")
                && !p.starts_with("gclid=")
        })
        .collect();
    if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// A news outlet: the publication an article appeared in, or one credited by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Outlet {
    pub name: String,
    /// Registrable domain without `www.`, when known (`example-news.com`).
    pub domain: Option<String>,
}

impl Outlet {
    pub fn new(name: impl Into<String>, domain: Option<String>) -> Self {
        Outlet {
            name: name.into(),
            domain,
        }
    }

    /// A key that treats "The Harbour Times" and "harbour times" as one outlet, and a
    /// wire agency as itself whether credited with or without "Agency" ("Meridian Press"
    /// in a dateline, "Meridian Press Agency" on its own site).
    pub fn key(&self) -> String {
        outlet_key(&self.name)
    }
}

/// [`Outlet::key`] for a bare name, as credits carry it.
pub fn outlet_key(name: &str) -> String {
    let n = name.trim().to_lowercase();
    let n = n.strip_prefix("the ").unwrap_or(&n);
    let n = n.strip_suffix(" news agency").unwrap_or(n);
    let n = n.strip_suffix(" agency").unwrap_or(n);
    n.chars().filter(|c| c.is_alphanumeric()).collect()
}

impl Outlet {
    /// Whether `name` (as a credit gives it) names this outlet.
    pub fn is_named(&self, name: &str) -> bool {
        let k = outlet_key(name);
        !k.is_empty() && k == self.key()
    }
}

/// One article as extracted from its source: the content, its metadata, and the credits
/// taken out of the body (a trailing "Reuters contributed to this report." is data, not
/// content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    /// Where it came from: a path, `path:line` for JSONL, a URL or a WARC record.
    pub source: String,
    pub url: Option<String>,
    pub outlet: Outlet,
    pub title: String,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    /// ISO 639-1 code when detected.
    pub language: Option<String>,
    /// Main text, paragraphs separated by a blank line ("\n\n").
    pub body: String,
    /// Credits found while extracting. Those removed from the body (credit lines) have
    /// no span; those inside the body text ("Axios reported") keep their span.
    pub credits: Vec<Credit>,
}

impl Article {
    /// The id this article should have: from its URL when it has one, else its content.
    pub fn derive_id(url: Option<&str>, outlet: &Outlet, title: &str, body: &str) -> ArticleId {
        match url {
            Some(u) if !u.trim().is_empty() => ArticleId::from_url(u),
            _ => ArticleId::from_content(&outlet.key(), title.trim(), body.trim()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_drops_tracking_and_case() {
        assert_eq!(
            canonical_url("HTTPS://WWW.Example.com/a/b/?utm_source=x&id=3#top"),
            "https://example.com/a/b?id=3"
        );
        assert_eq!(
            ArticleId::from_url("https://example.com/a"),
            ArticleId::from_url("https://www.example.com/a/?utm_medium=rss")
        );
    }

    #[test]
    fn content_id_is_stable_and_distinct() {
        let o = Outlet::new("The Harbour Times", None);
        let a = Article::derive_id(None, &o, "T", "body");
        let b = Article::derive_id(None, &Outlet::new("harbour times", None), "T", " body ");
        assert_eq!(a, b);
        assert_ne!(a, Article::derive_id(None, &o, "T", "other"));
        let wire = Outlet::new("Meridian Press Agency", None);
        assert!(wire.is_named("Meridian Press") && wire.is_named("MERIDIAN PRESS AGENCY"));
        assert!(!wire.is_named("Meridian Post"));
        assert_eq!(a.0.len(), 16);
    }
}
