//! The embedded store: one data directory holding a SQLite database, the system of
//! record for articles, their analyses, and the stories they were grouped into.
//!
//! Writes go through [`Store::commit`], one transaction per batch, so an ingest that is
//! interrupted at any point keeps every batch it acknowledged and nothing half-written.
//! Re-ingesting an article is a no-op: rows are keyed by the article's stable id.
//! The database runs in WAL mode so readers (`stories`, `show`, a server) never block an
//! ingest.

use std::path::{Path, PathBuf};

use chrono::Utc;
use parallax_core::{AnalyzedArticle, ArticleId, Story, StoryId};
use rusqlite::{params, Connection, OptionalExtension};

/// The database file inside the data directory.
pub const DB_FILE: &str = "parallax.sqlite3";
const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create data directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source} (is this a Parallax data directory? remove it or pass another --data-dir)")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: stored record {id} is unreadable: {source}")]
    Corrupt {
        path: PathBuf,
        id: String,
        source: serde_json::Error,
    },
    #[error("{path}: schema version {found} is newer than this parallax understands ({SCHEMA_VERSION}); upgrade parallax")]
    NewerSchema { path: PathBuf, found: i64 },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Where the clusterer put an article, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub story: StoryId,
    /// The article this one is a syndicated copy of, with the similarity seen.
    pub copy_of: Option<(ArticleId, f64)>,
}

/// One row of the story list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StorySummary {
    pub id: StoryId,
    pub title: String,
    pub articles: usize,
    pub outlets: Vec<String>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let store = Store { conn, path };
        store.init()?;
        Ok(store)
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        })
    }

    fn init(&self) -> Result<()> {
        self.sql(self.conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS articles (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE,
                 source TEXT NOT NULL,
                 url TEXT,
                 outlet TEXT NOT NULL,
                 domain TEXT,
                 title TEXT NOT NULL,
                 published TEXT,
                 language TEXT,
                 doc TEXT NOT NULL,
                 ingested_at TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS stories (
                 id TEXT PRIMARY KEY,
                 title TEXT NOT NULL,
                 size INTEGER NOT NULL,
                 first_published TEXT,
                 last_published TEXT,
                 story TEXT NOT NULL,
                 updated_at TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS memberships (
                 article_id TEXT PRIMARY KEY REFERENCES articles(id),
                 story_id TEXT NOT NULL,
                 copy_of TEXT,
                 copy_similarity REAL
             );
             CREATE INDEX IF NOT EXISTS memberships_story ON memberships(story_id);
             CREATE INDEX IF NOT EXISTS articles_published ON articles(published);",
        ))?;
        let found: Option<String> = self.sql(
            self.conn
                .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        match found.and_then(|v| v.parse::<i64>().ok()) {
            Some(v) if v > SCHEMA_VERSION => Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found: v,
            }),
            Some(_) => Ok(()),
            None => {
                self.sql(self.conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION.to_string()],
                ))?;
                Ok(())
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn contains(&self, id: &ArticleId) -> Result<bool> {
        let n: i64 = self.sql(self.conn.query_row(
            "SELECT COUNT(*) FROM articles WHERE id = ?1",
            [&id.0],
            |r| r.get(0),
        ))?;
        Ok(n > 0)
    }

    pub fn article_count(&self) -> Result<usize> {
        let n: i64 = self.sql(
            self.conn
                .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0)),
        )?;
        Ok(n as usize)
    }

    /// Writes a batch of new articles with their memberships and the current state of
    /// the stories they touched, in one transaction: all of it lands or none of it.
    /// Articles already stored are left as they are.
    pub fn commit(
        &mut self,
        articles: &[(AnalyzedArticle, Membership)],
        stories: &[Story],
    ) -> Result<usize> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let now = Utc::now().to_rfc3339();
        let tx = self.conn.transaction().map_err(err)?;
        let mut added = 0;
        {
            let mut put_article = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO articles
                     (id, source, url, outlet, domain, title, published, language, doc, ingested_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(err)?;
            let mut put_member = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO memberships (article_id, story_id, copy_of, copy_similarity)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for (doc, m) in articles {
                let a = &doc.article;
                let json = serde_json::to_string(doc).expect("core types always serialise");
                let n = put_article
                    .execute(params![
                        a.id.0,
                        a.source,
                        a.url,
                        a.outlet.name,
                        a.outlet.domain,
                        a.title,
                        a.published.map(|p| p.to_rfc3339()),
                        a.language,
                        json,
                        now
                    ])
                    .map_err(err)?;
                if n > 0 {
                    put_member
                        .execute(params![
                            a.id.0,
                            m.story.0,
                            m.copy_of.as_ref().map(|c| c.0 .0.clone()),
                            m.copy_of.as_ref().map(|c| c.1)
                        ])
                        .map_err(err)?;
                    added += 1;
                }
            }
        }
        put_stories(&tx, stories, &now).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(added)
    }

    /// Makes the stored stories and memberships those of the clusterer's current state,
    /// in one transaction. Needed because the clusterer's periodic pass merges and splits
    /// stories, which moves articles that earlier batches already stored.
    pub fn reconcile(&mut self, stories: &[Story]) -> Result<()> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let now = Utc::now().to_rfc3339();
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute("DELETE FROM stories", []).map_err(err)?;
        put_stories(&tx, stories, &now).map_err(err)?;
        {
            let mut move_member = tx
                .prepare_cached(
                    "UPDATE memberships SET story_id = ?2,
                         copy_of = ?3,
                         copy_similarity = CASE WHEN ?3 IS NULL THEN NULL
                                                ELSE COALESCE(copy_similarity, 1.0) END
                     WHERE article_id = ?1",
                )
                .map_err(err)?;
            for s in stories {
                for a in &s.articles {
                    let original = s.syndicated.iter().find(|(c, _)| c == a).map(|(_, o)| &o.0);
                    move_member
                        .execute(params![a.0, s.id.0, original])
                        .map_err(err)?;
                }
            }
        }
        tx.commit().map_err(err)
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, id: &str, json: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
            path: self.path.clone(),
            id: id.to_string(),
            source,
        })
    }

    /// Every stored article with its membership, in arrival order: what the clusterer
    /// needs to pick up where the last ingest stopped.
    pub fn memberships_in_order(&self) -> Result<Vec<(AnalyzedArticle, Membership)>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT a.id, a.doc, m.story_id, m.copy_of, m.copy_similarity
             FROM articles a JOIN memberships m ON m.article_id = a.id ORDER BY a.seq",
        ))?;
        let rows = self.sql(
            stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        )?;
        rows.into_iter()
            .map(|(id, doc, story, copy, sim)| {
                Ok((
                    self.decode(&id, &doc)?,
                    Membership {
                        story: StoryId(story),
                        copy_of: copy.map(|c| (ArticleId(c), sim.unwrap_or(1.0))),
                    },
                ))
            })
            .collect()
    }

    pub fn article(&self, id: &ArticleId) -> Result<Option<AnalyzedArticle>> {
        let doc: Option<String> = self.sql(
            self.conn
                .query_row("SELECT doc FROM articles WHERE id = ?1", [&id.0], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        doc.map(|d| self.decode(&id.0, &d)).transpose()
    }

    /// Stories, largest first, then most recent.
    pub fn stories(&self, limit: usize) -> Result<Vec<StorySummary>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT id, story FROM stories
             ORDER BY size DESC, last_published DESC, id LIMIT ?1",
        ))?;
        let rows = self.sql(
            stmt.query_map([limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        )?;
        rows.into_iter()
            .map(|(id, json)| {
                let story: Story = self.decode(&id, &json)?;
                self.summarise(story)
            })
            .collect()
    }

    fn summarise(&self, story: Story) -> Result<StorySummary> {
        let mut outlets: Vec<String> = Vec::new();
        for id in &story.articles {
            let name: Option<String> = self.sql(
                self.conn
                    .query_row("SELECT outlet FROM articles WHERE id = ?1", [&id.0], |r| {
                        r.get(0)
                    })
                    .optional(),
            )?;
            if let Some(n) = name.filter(|n| !n.is_empty()) {
                if !outlets.contains(&n) {
                    outlets.push(n);
                }
            }
        }
        Ok(StorySummary {
            id: story.id,
            title: story.title,
            articles: story.articles.len(),
            outlets,
            first_published: story.first_published.map(|p| p.to_rfc3339()),
            last_published: story.last_published.map(|p| p.to_rfc3339()),
        })
    }

    /// The story with this id, or the only one whose id starts with it (ids are long;
    /// people type prefixes, as with git).
    pub fn story(&self, id_or_prefix: &str) -> Result<Option<Story>> {
        let like = format!("{}%", id_or_prefix.replace(['%', '_'], ""));
        let mut stmt = self.sql(
            self.conn
                .prepare("SELECT id, story FROM stories WHERE id = ?1 OR id LIKE ?2 LIMIT 2"),
        )?;
        let rows = self.sql(
            stmt.query_map(params![id_or_prefix, like], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        )?;
        let exact = rows.iter().find(|(id, _)| id == id_or_prefix);
        match (exact, rows.len()) {
            (Some((id, json)), _) => Ok(Some(self.decode(id, json)?)),
            (None, 1) => Ok(Some(self.decode(&rows[0].0, &rows[0].1)?)),
            _ => Ok(None),
        }
    }

    /// The articles of a story, in arrival order.
    pub fn story_articles(&self, story: &Story) -> Result<Vec<AnalyzedArticle>> {
        let mut out = Vec::with_capacity(story.articles.len());
        for id in &story.articles {
            if let Some(doc) = self.article(id)? {
                out.push(doc);
            }
        }
        Ok(out)
    }
}

/// Writes (or overwrites) story rows inside the caller's transaction.
fn put_stories(tx: &rusqlite::Transaction, stories: &[Story], now: &str) -> rusqlite::Result<()> {
    let mut put = tx.prepare_cached(
        "INSERT OR REPLACE INTO stories
         (id, title, size, first_published, last_published, story, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for s in stories {
        let json = serde_json::to_string(s).expect("core types always serialise");
        put.execute(params![
            s.id.0,
            s.title,
            s.articles.len() as i64,
            s.first_published.map(|p| p.to_rfc3339()),
            s.last_published.map(|p| p.to_rfc3339()),
            json,
            now
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::{Analysis, Article, Outlet};

    fn doc(title: &str, body: &str) -> AnalyzedArticle {
        let outlet = Outlet::new("The Test Gazette", Some("testgazette.example".into()));
        AnalyzedArticle {
            article: Article {
                id: Article::derive_id(None, &outlet, title, body),
                source: "mem".into(),
                url: None,
                outlet,
                title: title.into(),
                byline: vec![],
                published: None,
                language: Some("en".into()),
                body: body.into(),
                credits: vec![],
            },
            analysis: Analysis::default(),
        }
    }

    fn story_of(docs: &[&AnalyzedArticle]) -> Story {
        Story {
            id: StoryId::founded_by(&docs[0].article.id),
            title: docs[0].article.title.clone(),
            articles: docs.iter().map(|d| d.article.id.clone()).collect(),
            syndicated: vec![],
            first_published: None,
            last_published: None,
        }
    }

    #[test]
    fn commit_is_idempotent_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let a = doc("Bridge reopens in Tarrow", "The bridge reopened on Monday.");
        let b = doc(
            "Tarrow bridge open again",
            "Traffic crossed the bridge again.",
        );
        let story = story_of(&[&a, &b]);
        let m = Membership {
            story: story.id.clone(),
            copy_of: None,
        };
        let batch = vec![(a.clone(), m.clone()), (b.clone(), m.clone())];
        assert_eq!(
            store.commit(&batch, std::slice::from_ref(&story)).unwrap(),
            2
        );
        assert_eq!(
            store.commit(&batch, std::slice::from_ref(&story)).unwrap(),
            0
        );
        assert_eq!(store.article_count().unwrap(), 2);

        let reopened = Store::open(dir.path()).unwrap();
        assert_eq!(reopened.article(&a.article.id).unwrap(), Some(a.clone()));
        let prefix = &story.id.0[..6];
        assert_eq!(reopened.story(prefix).unwrap(), Some(story.clone()));
        let list = reopened.stories(10).unwrap();
        assert_eq!(list[0].articles, 2);
        assert_eq!(list[0].outlets, vec!["The Test Gazette".to_string()]);
        let order = reopened.memberships_in_order().unwrap();
        assert_eq!(order[0].0.article.id, a.article.id);
        assert_eq!(order[1].1, m);
    }

    #[test]
    fn reconcile_moves_members_and_drops_merged_stories() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let a = doc("Bridge reopens in Tarrow", "The bridge reopened on Monday.");
        let b = doc(
            "Tarrow bridge open again",
            "Traffic crossed the bridge again.",
        );
        let sa = story_of(&[&a]);
        let sb = story_of(&[&b]);
        let m = |s: &Story| Membership {
            story: s.id.clone(),
            copy_of: None,
        };
        let batch = vec![(a.clone(), m(&sa)), (b.clone(), m(&sb))];
        store.commit(&batch, &[sa.clone(), sb.clone()]).unwrap();
        let mut merged = story_of(&[&a, &b]);
        merged.syndicated = vec![(b.article.id.clone(), a.article.id.clone())];
        store.reconcile(std::slice::from_ref(&merged)).unwrap();
        assert_eq!(store.stories(10).unwrap().len(), 1);
        assert_eq!(store.story(&sb.id.0).unwrap(), None);
        let order = store.memberships_in_order().unwrap();
        assert!(order.iter().all(|(_, m)| m.story == merged.id));
        assert_eq!(order[1].1.copy_of, Some((a.article.id.clone(), 1.0)));
    }

    #[test]
    fn unknown_story_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.story("nope").unwrap(), None);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(DB_FILE),
            b"this is not sqlite at all, just text....",
        )
        .unwrap();
        let err = Store::open(dir.path()).err().expect("must fail");
        assert!(err.to_string().contains(DB_FILE), "{err}");
    }
}
