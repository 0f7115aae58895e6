//! The workspace file: one SQLite database that is also a GeoPackage. Its `incidents` table is
//! a point layer (WGS 84) holding the incidents as corrected, so QGIS and `ogrinfo` open it as
//! it is; beside it, in tables of our own (`incident_map_*`), the sources it was built from,
//! the articles, the machine's incidents and the analyst's corrections as their own records.
//!
//! Every change is one transaction: a correction and the layer rows it changes are written
//! together, so a crash or a kill loses at most the edit in flight.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Source;
use super::annotations::Annotation;
use super::corrections::{Anchor, Change, Correction};
use crate::articles::{feeds, web};
use crate::exchange::geopackage;
use crate::store::{Article, Incident, SCHEMA as STORE_SCHEMA, Store};

/// This build's layout of our own tables.
pub const SCHEMA: &str = "incident-map-workspace/1";

/// The extension workspace files get by default.
pub const EXTENSION: &str = "gpkg";

/// Our tables; the GeoPackage core comes from [`geopackage::initialise`].
const CREATE: &str = r#"
CREATE TABLE incidents (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    geom POINT,
    incident_id TEXT NOT NULL UNIQUE,
    event_date TEXT, date_precision TEXT,
    event_type TEXT NOT NULL, sub_event_type TEXT NOT NULL,
    actors TEXT, fatalities INTEGER,
    place TEXT, country TEXT, admin1 TEXT, location_precision TEXT,
    summary TEXT, articles TEXT,
    status TEXT NOT NULL, edited TEXT, rejected_reason TEXT);
CREATE INDEX incidents_date ON incidents (event_date);
CREATE INDEX incidents_type ON incidents (event_type);
CREATE TABLE incident_map_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE incident_map_sources (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL UNIQUE,
    added TEXT NOT NULL);
CREATE TABLE incident_map_articles (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,
    source TEXT,
    title TEXT, publisher TEXT, published TEXT, url TEXT, text TEXT NOT NULL,
    boilerplate TEXT);
CREATE TABLE incident_map_machine (
    position INTEGER PRIMARY KEY, incident_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE incident_map_corrections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    author TEXT NOT NULL, at TEXT NOT NULL,
    article TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    span_text TEXT NOT NULL, incident_id TEXT NOT NULL,
    kind TEXT NOT NULL, body TEXT NOT NULL, why TEXT,
    undone_at TEXT);
"#;

const FEED_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS incident_map_feeds (
    url TEXT PRIMARY KEY, title TEXT, etag TEXT, last_modified TEXT,
    added TEXT NOT NULL, checked TEXT);
CREATE TABLE IF NOT EXISTS incident_map_feed_items (
    feed TEXT NOT NULL, key TEXT NOT NULL, link TEXT NOT NULL, article TEXT,
    taken TEXT NOT NULL, PRIMARY KEY (feed, key));
"#;

/// The analyst's marks on the map (a table added after the first layout: created where
/// missing, so an older workspace gains it when opened).
const ANNOTATION_TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS incident_map_annotations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author TEXT NOT NULL, at TEXT NOT NULL,
    kind TEXT NOT NULL, body TEXT NOT NULL, text TEXT NOT NULL);
"#;

fn feeds_validators(etag: Option<String>, last_modified: Option<String>) -> web::Validators {
    web::Validators {
        etag,
        last_modified,
    }
}

/// Where an article came from: read by the machine from article files, or carried by an
/// incident file (an ACLED row's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Extracted,
    Imported,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Self::Extracted => "extracted",
            Self::Imported => "imported",
        }
    }
}

/// The machine's side of a workspace: its articles (each with where it came from) and
/// incidents, as last ingested.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    pub store: Store,
    /// Ids of the articles that came with incident files; the rest were extracted.
    pub imported: std::collections::HashSet<String>,
    /// The source each article was read from, by article id.
    pub origins: HashMap<String, PathBuf>,
    /// Boilerplate byte ranges of articles read from web pages (their captions, teasers and
    /// title), which their text alone no longer shows, by article id.
    pub held_boilerplate: HashMap<String, Vec<std::ops::Range<usize>>>,
}

/// An open workspace file.
pub struct WorkspaceFile {
    /// Behind a lock only so that a workspace can be shared with threads that read its
    /// incidents (a briefing's shape lookup); the file is used from one thread at a time.
    conn: std::sync::Mutex<Connection>,
    path: PathBuf,
}

impl std::fmt::Debug for WorkspaceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WorkspaceFile({})", self.path.display())
    }
}

fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// Whether `path` names a workspace file by its extension.
pub fn is_workspace_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION))
}

impl WorkspaceFile {
    /// Creates an empty workspace at `path`, which must not exist: it is built in a temporary
    /// file beside it and renamed into place, so no half-made workspace is ever left there.
    pub fn create(path: &Path) -> Result<Self, String> {
        if path.exists() || path.is_symlink() {
            return Err(format!(
                "{}: already exists; a new workspace needs a new file",
                path.display()
            ));
        }
        let dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(format!("{}: no such folder", dir.display()));
        }
        let temp = tempfile::Builder::new()
            .prefix(".incident-map-new.")
            .suffix(".gpkg.tmp")
            .tempfile_in(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        {
            let conn = Connection::open(temp.path()).map_err(sql_error(path))?;
            initialise(&conn).map_err(sql_error(path))?;
        }
        temp.persist_noclobber(path)
            .map_err(|e| format!("{}: {}", path.display(), e.error))?;
        Self::open(path)
    }

    /// Opens a workspace file, checking that it is one this build can read.
    pub fn open(path: &Path) -> Result<Self, String> {
        let meta =
            std::fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let real = if meta.file_type().is_symlink() {
            std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?
        } else {
            meta
        };
        if !real.is_file() {
            return Err(format!("{}: not a regular file", path.display()));
        }
        let mut head = [0u8; 16];
        {
            use std::io::Read;
            let mut file =
                std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            file.read_exact(&mut head)
                .map_err(|_| format!("{}: not a workspace file (too short)", path.display()))?;
        }
        if &head != b"SQLite format 3\0" {
            return Err(format!(
                "{}: not a workspace file (not an SQLite database)",
                path.display()
            ));
        }
        let conn = Connection::open(path).map_err(sql_error(path))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql_error(path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql_error(path))?;
        let schema: Option<String> = conn
            .query_row(
                "SELECT value FROM incident_map_meta WHERE key = 'schema'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|_| {
                format!(
                    "{}: a GeoPackage or SQLite file, but not an incident-map workspace",
                    path.display()
                )
            })?;
        match schema.as_deref() {
            Some(SCHEMA) => {}
            Some(other) => {
                return Err(format!(
                    "{}: workspace layout {other:?} is not supported (this build reads {SCHEMA:?})",
                    path.display()
                ));
            }
            None => {
                return Err(format!(
                    "{}: not an incident-map workspace (no schema)",
                    path.display()
                ));
            }
        }
        // Feeds followed, and the items already taken in (tables added after the first
        // layout; created where missing).
        conn.execute_batch(FEED_TABLES).map_err(sql_error(path))?;
        conn.execute_batch(ANNOTATION_TABLES)
            .map_err(sql_error(path))?;
        // Workspaces written before held articles kept their boilerplate lack its column.
        if conn
            .prepare("SELECT boilerplate FROM incident_map_articles LIMIT 0")
            .is_err()
        {
            conn.execute(
                "ALTER TABLE incident_map_articles ADD COLUMN boilerplate TEXT",
                [],
            )
            .map_err(sql_error(path))?;
        }
        Ok(Self {
            conn: std::sync::Mutex::new(conn),
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Follows a feed; following it twice is said.
    pub fn add_feed(&self, url: &str) -> Result<(), String> {
        let conn = self.lock()?;
        let added = conn
            .execute(
                "INSERT INTO incident_map_feeds (url, added) VALUES (?1, ?2)
                 ON CONFLICT (url) DO NOTHING",
                params![url, jiff::Timestamp::now().to_string()],
            )
            .map_err(self.error())?;
        if added == 0 {
            return Err(format!("{url}: already followed"));
        }
        Ok(())
    }

    /// The feeds followed, each with its validators and the items already taken in.
    pub fn feeds(&self) -> Result<Vec<feeds::Feed>, String> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare(
                "SELECT url, title, etag, last_modified FROM incident_map_feeds ORDER BY rowid",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok(feeds::Feed {
                    url: row.get(0)?,
                    title: row.get(1)?,
                    validators: feeds_validators(row.get(2)?, row.get(3)?),
                    seen: Default::default(),
                })
            })
            .map_err(self.error())?;
        let mut list = Vec::new();
        for row in rows {
            list.push(row.map_err(self.error())?);
        }
        let mut items = conn
            .prepare("SELECT key, link FROM incident_map_feed_items WHERE feed = ?1")
            .map_err(self.error())?;
        for feed in &mut list {
            let rows = items
                .query_map(params![feed.url], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(self.error())?;
            for row in rows {
                let (key, link) = row.map_err(self.error())?;
                feed.seen.insert(key);
                feed.seen.insert(link);
            }
        }
        Ok(list)
    }

    /// Records a look at the feeds: their validators and titles, and the items taken in
    /// (with the article each became), in one transaction.
    pub fn record_feeds(
        &self,
        looked: &[feeds::Feed],
        taken: &[(String, feeds::Item, String)],
    ) -> Result<(), String> {
        let mut conn = self.lock()?;
        let now = jiff::Timestamp::now().to_string();
        let tx = conn.transaction().map_err(self.error())?;
        for feed in looked {
            tx.execute(
                "UPDATE incident_map_feeds SET title = ?2, etag = ?3, last_modified = ?4,
                 checked = ?5 WHERE url = ?1",
                params![
                    feed.url,
                    feed.title,
                    feed.validators.etag,
                    feed.validators.last_modified,
                    now
                ],
            )
            .map_err(self.error())?;
        }
        for (feed, item, article) in taken {
            tx.execute(
                "INSERT INTO incident_map_feed_items (feed, key, link, article, taken)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (feed, key) DO NOTHING",
                params![feed, item.key, item.link, article, now],
            )
            .map_err(self.error())?;
        }
        tx.commit().map_err(self.error())
    }

    /// The analyst's marks, in the order made.
    pub fn annotations(&self) -> Result<Vec<Annotation>, String> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare("SELECT id, author, at, body, text FROM incident_map_annotations ORDER BY id")
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .map_err(self.error())?;
        let mut list = Vec::new();
        for row in rows {
            let (id, author, at, body, text) = row.map_err(self.error())?;
            let at = at
                .parse()
                .map_err(|e| format!("{}: annotation {id}: time: {e}", self.path.display()))?;
            list.push(
                Annotation::from_stored(id, &body, text, author, at)
                    .map_err(|e| format!("{}: {e}", self.path.display()))?,
            );
        }
        Ok(list)
    }

    /// Saves an annotation in one statement: a new one (id 0) gets its id; one with an id
    /// replaces the row of that id. Returns the id.
    pub fn save_annotation(&self, annotation: &Annotation) -> Result<i64, String> {
        let conn = self.lock()?;
        let body = annotation.body()?;
        let id = (annotation.id > 0).then_some(annotation.id);
        conn.execute(
            "INSERT INTO incident_map_annotations (id, author, at, kind, body, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET author = ?2, at = ?3, kind = ?4, body = ?5, text = ?6",
            params![
                id,
                annotation.author,
                annotation.at.to_string(),
                annotation.mark.kind(),
                body,
                annotation.text
            ],
        )
        .map_err(self.error())?;
        Ok(id.unwrap_or_else(|| conn.last_insert_rowid()))
    }

    /// Deletes annotation `id`; says so when there is none.
    pub fn delete_annotation(&self, id: i64) -> Result<(), String> {
        let conn = self.lock()?;
        let deleted = conn
            .execute(
                "DELETE FROM incident_map_annotations WHERE id = ?1",
                params![id],
            )
            .map_err(self.error())?;
        if deleted == 0 {
            return Err(format!("{}: no annotation {id}", self.path.display()));
        }
        Ok(())
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> String + '_ {
        sql_error(&self.path)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, String> {
        self.conn
            .lock()
            .map_err(|_| format!("{}: an earlier write failed midway", self.path.display()))
    }

    fn conn_mut(&mut self) -> Result<&mut Connection, String> {
        let path = self.path.display().to_string();
        self.conn
            .get_mut()
            .map_err(|_| format!("{path}: an earlier write failed midway"))
    }

    /// The sources the workspace was built from, in the order added.
    pub fn sources(&self) -> Result<Vec<Source>, String> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare("SELECT kind, location FROM incident_map_sources ORDER BY id")
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(self.error())?;
        let mut sources = Vec::new();
        for row in rows {
            let (kind, location) = row.map_err(self.error())?;
            sources.push(stored_source(&kind, location));
        }
        Ok(sources)
    }

    /// The machine's articles and incidents as last ingested.
    pub fn machine(&self) -> Result<Machine, String> {
        let mut machine = Machine {
            store: Store {
                schema: STORE_SCHEMA.to_owned(),
                ..Store::default()
            },
            ..Machine::default()
        };
        let conn = self.lock()?;
        let mut statement = conn
            .prepare(
                "SELECT id, origin, title, publisher, published, url, text, source, boilerplate
                 FROM incident_map_articles ORDER BY position",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, Option<String>>(7)?,
                    row.get::<_, Option<String>>(8)?,
                ))
            })
            .map_err(self.error())?;
        for row in rows {
            let (id, origin, title, publisher, published, url, text, source, boilerplate) =
                row.map_err(self.error())?;
            if let Some(json) = boilerplate {
                let ranges = held_ranges(&json, &text).map_err(|e| {
                    format!(
                        "{}: article {id}: bad boilerplate ranges: {e}",
                        self.path.display()
                    )
                })?;
                machine.held_boilerplate.insert(id.clone(), ranges);
            }
            if let Some(source) = source {
                machine.origins.insert(id.clone(), PathBuf::from(source));
            }
            let published = match published {
                Some(date) => Some(date.parse().map_err(|e| {
                    format!(
                        "{}: article {id}: bad date {date:?}: {e}",
                        self.path.display()
                    )
                })?),
                None => None,
            };
            if origin == Origin::Imported.as_str() {
                machine.imported.insert(id.clone());
            }
            machine.store.articles.push(Article {
                id,
                title,
                publisher,
                published,
                url,
                text,
            });
        }
        let mut statement = conn
            .prepare("SELECT incident_id, body FROM incident_map_machine ORDER BY position")
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(self.error())?;
        for row in rows {
            let (id, body) = row.map_err(self.error())?;
            let incident: Incident = serde_json::from_str(&body)
                .map_err(|e| format!("{}: machine incident {id}: {e}", self.path.display()))?;
            machine.store.incidents.push(incident);
        }
        Ok(machine)
    }

    /// The corrections in force, in the order they apply, and those undone (most recently
    /// undone last), which redo brings back.
    pub fn corrections(&self) -> Result<(Vec<Correction>, Vec<Correction>), String> {
        let conn = self.lock()?;
        let mut statement = conn
            .prepare(
                "SELECT seq, author, at, article, span_start, span_end, span_text, incident_id,
                        body, why, undone_at
                 FROM incident_map_corrections ORDER BY seq",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, String>(6)?,
                    row.get::<_, String>(7)?,
                    row.get::<_, String>(8)?,
                    row.get::<_, Option<String>>(9)?,
                    row.get::<_, Option<String>>(10)?,
                ))
            })
            .map_err(self.error())?;
        let mut active = Vec::new();
        let mut undone = Vec::new();
        for row in rows {
            let (seq, author, at, article, start, end, text, id, body, why, undone_at) =
                row.map_err(self.error())?;
            let bad = |what: &str, e: &dyn std::fmt::Display| {
                format!("{}: correction {seq}: {what}: {e}", self.path.display())
            };
            let change: Change = serde_json::from_str(&body).map_err(|e| bad("body", &e))?;
            let correction = Correction {
                seq,
                author,
                at: at.parse().map_err(|e| bad("time", &e))?,
                target: Anchor {
                    article,
                    start: usize::try_from(start).unwrap_or(0),
                    end: usize::try_from(end).unwrap_or(0),
                    text,
                    id,
                },
                change,
                why,
            };
            match undone_at {
                Some(when) => undone.push((when, correction)),
                None => active.push(correction),
            }
        }
        undone.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.seq.cmp(&b.1.seq)));
        Ok((active, undone.into_iter().map(|(_, c)| c).collect()))
    }

    /// Replaces the sources, the machine's side and the layer in one transaction (after an
    /// ingest).
    pub fn replace_machine(
        &mut self,
        sources: &[Source],
        machine: &Machine,
        layer: &Store,
    ) -> Result<(), String> {
        let path = self.path.clone();
        let error = sql_error(&path);
        let tx = self.conn_mut()?.transaction().map_err(&error)?;
        write_machine(&tx, sources, machine).map_err(&error)?;
        write_layer(&tx, None, layer).map_err(&error)?;
        tx.commit().map_err(&error)
    }

    /// Records a correction and the layer rows it changes, in one transaction; abandons what
    /// undo had set aside. `rebuild` gets the correction with its sequence number and returns
    /// the incidents as they now are. Returns the correction as recorded.
    pub fn record(
        &mut self,
        mut correction: Correction,
        before: &Store,
        rebuild: impl FnOnce(&Correction) -> Store,
    ) -> Result<(Correction, Store), String> {
        let path = self.path.clone();
        let error = sql_error(&path);
        let tx = self.conn_mut()?.transaction().map_err(&error)?;
        tx.execute(
            "DELETE FROM incident_map_corrections WHERE undone_at IS NOT NULL",
            [],
        )
        .map_err(&error)?;
        let body = serde_json::to_string(&correction.change).map_err(|e| e.to_string())?;
        let target = &correction.target;
        tx.execute(
            "INSERT INTO incident_map_corrections
                 (author, at, article, span_start, span_end, span_text, incident_id, kind, body, why)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                correction.author,
                correction.at.to_string(),
                target.article,
                target.start as i64,
                target.end as i64,
                target.text,
                target.id,
                correction.change.kind(),
                body,
                correction.why,
            ],
        )
        .map_err(&error)?;
        correction.seq = tx.last_insert_rowid();
        let after = rebuild(&correction);
        write_layer(&tx, Some(before), &after).map_err(&error)?;
        tx.commit().map_err(&error)?;
        Ok((correction, after))
    }

    /// Marks correction `seq` undone (`undo`) or in force again; rewrites the changed layer
    /// rows in the same transaction.
    pub fn set_undone(
        &mut self,
        seq: i64,
        undone: bool,
        before: &Store,
        after: &Store,
    ) -> Result<(), String> {
        let path = self.path.clone();
        let error = sql_error(&path);
        let tx = self.conn_mut()?.transaction().map_err(&error)?;
        let when = undone.then(|| jiff::Timestamp::now().to_string());
        tx.execute(
            "UPDATE incident_map_corrections SET undone_at = ?1 WHERE seq = ?2",
            params![when, seq],
        )
        .map_err(&error)?;
        write_layer(&tx, Some(before), after).map_err(&error)?;
        tx.commit().map_err(&error)
    }
}

/// The kind a source is stored under in `incident_map_sources` (the file's and the server's).
pub(super) fn source_kind(source: &Source) -> &'static str {
    match source {
        Source::Articles(_) => "articles",
        Source::Held(_) => "held",
        Source::Incidents(_) | Source::Workspace(_) | Source::Server(_) => "incidents",
    }
}

/// A source as read back from `incident_map_sources`.
pub(super) fn stored_source(kind: &str, location: String) -> Source {
    match kind {
        "articles" => Source::Articles(PathBuf::from(location)),
        "held" => Source::Held(location),
        _ => Source::Incidents(PathBuf::from(location)),
    }
}

/// A held article's stored boilerplate ranges, kept only where they fall on its text's
/// characters.
pub(super) fn held_ranges(
    json: &str,
    text: &str,
) -> Result<Vec<std::ops::Range<usize>>, serde_json::Error> {
    let ranges: Vec<std::ops::Range<usize>> = serde_json::from_str(json)?;
    Ok(ranges
        .into_iter()
        .filter(|r| {
            r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .collect())
}

fn initialise(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE)?;
    geopackage::initialise(
        conn,
        "incidents",
        "Incidents found in news articles, with analysts' corrections",
    )?;
    conn.execute(
        "INSERT INTO incident_map_meta VALUES ('schema', ?1), ('created', ?2)",
        params![SCHEMA, jiff::Timestamp::now().to_string()],
    )?;
    Ok(())
}

fn write_machine(
    tx: &Transaction<'_>,
    sources: &[Source],
    machine: &Machine,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM incident_map_articles", [])?;
    tx.execute("DELETE FROM incident_map_machine", [])?;
    let now = jiff::Timestamp::now().to_string();
    for source in sources {
        tx.execute(
            "INSERT INTO incident_map_sources (kind, location, added) VALUES (?1, ?2, ?3)
             ON CONFLICT (location) DO NOTHING",
            params![source_kind(source), source.path().to_string_lossy(), now],
        )?;
    }
    {
        let mut insert = tx.prepare(
            "INSERT INTO incident_map_articles
                 (id, origin, title, publisher, published, url, text, source, boilerplate)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for article in &machine.store.articles {
            let origin = if machine.imported.contains(&article.id) {
                Origin::Imported
            } else {
                Origin::Extracted
            };
            insert.execute(params![
                article.id,
                origin.as_str(),
                article.title,
                article.publisher,
                article.published.map(|d| d.to_string()),
                article.url,
                article.text,
                machine
                    .origins
                    .get(&article.id)
                    .map(|p| p.to_string_lossy().into_owned()),
                machine
                    .held_boilerplate
                    .get(&article.id)
                    .and_then(|ranges| serde_json::to_string(ranges).ok()),
            ])?;
        }
    }
    let mut insert =
        tx.prepare("INSERT INTO incident_map_machine (incident_id, body) VALUES (?1, ?2)")?;
    for incident in &machine.store.incidents {
        let body = serde_json::to_string(incident)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        insert.execute(params![incident.id, body])?;
    }
    Ok(())
}

/// An incident as the columns of the `incidents` layer hold it: the file's and the server's
/// layers have the same columns.
pub(super) struct LayerRow<'a> {
    pub lon: f64,
    pub lat: f64,
    pub date_precision: &'static str,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub actors: String,
    pub place: &'a str,
    pub country: Option<&'a str>,
    pub admin1: Option<&'a str>,
    pub location_precision: &'static str,
    /// The ids of the articles it cites, each once, in order.
    pub articles: String,
    pub status: &'static str,
    pub edited: Option<String>,
    pub rejected: Option<&'a str>,
}

impl<'a> LayerRow<'a> {
    pub fn of(incident: &'a Incident) -> Self {
        let loc = &incident.location;
        let mut articles: Vec<&str> = Vec::new();
        for source in &incident.sources {
            if !articles.contains(&source.article.as_str()) {
                articles.push(&source.article);
            }
        }
        let review = &incident.review;
        Self {
            lon: loc.lon,
            lat: loc.lat,
            date_precision: incident.date_precision.as_str(),
            event_type: incident.event_type.as_str(),
            sub_event_type: incident.sub_event_type.as_str(),
            actors: incident.actors.join("; "),
            place: &loc.name,
            country: loc.country.as_deref(),
            admin1: loc.admin1.as_deref(),
            location_precision: loc.precision.as_str(),
            articles: articles.join("; "),
            status: review.status().as_str(),
            edited: (!review.edited.is_empty()).then(|| review.edited.join(", ")),
            rejected: review.rejected.as_deref(),
        }
    }
}

/// Brings the layer from `before` (or from nothing: a full rewrite) to `after`, touching only
/// the rows that differ.
fn write_layer(
    tx: &Transaction<'_>,
    before: Option<&Store>,
    after: &Store,
) -> rusqlite::Result<()> {
    let old: HashMap<&str, &Incident> = match before {
        Some(store) => store.incidents.iter().map(|i| (i.id.as_str(), i)).collect(),
        None => {
            tx.execute("DELETE FROM incidents", [])?;
            HashMap::new()
        }
    };
    let new: HashMap<&str, &Incident> =
        after.incidents.iter().map(|i| (i.id.as_str(), i)).collect();
    {
        let mut delete = tx.prepare("DELETE FROM incidents WHERE incident_id = ?1")?;
        for (id, incident) in &old {
            if new.get(id).is_none_or(|now| now != incident) {
                delete.execute(params![id])?;
            }
        }
    }
    let mut insert = tx.prepare(
        "INSERT INTO incidents (geom, incident_id, event_date, date_precision, event_type,
             sub_event_type, actors, fatalities, place, country, admin1, location_precision,
             summary, articles, status, edited, rejected_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    for incident in &after.incidents {
        if old.get(incident.id.as_str()) == Some(&incident) {
            continue;
        }
        let row = LayerRow::of(incident);
        insert.execute(params![
            geopackage::point_blob(row.lon, row.lat),
            incident.id,
            incident.date.map(|d| d.to_string()),
            row.date_precision,
            row.event_type,
            row.sub_event_type,
            row.actors,
            incident.fatalities,
            row.place,
            row.country,
            row.admin1,
            row.location_precision,
            incident.summary,
            row.articles,
            row.status,
            row.edited,
            row.rejected,
        ])?;
    }
    geopackage::record_change(
        tx,
        "incidents",
        after
            .incidents
            .iter()
            .map(|i| (i.location.lon, i.location.lat)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_is_a_geopackage_and_refuses_to_replace_a_file() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("desk.gpkg");
        let file = WorkspaceFile::create(&path)?;
        let app_id: i32 = file
            .lock()?
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .map_err(|e| e.to_string())?;
        assert_eq!(app_id, 0x4750_4B47, "GeoPackage's application id, \"GPKG\"");
        drop(file);
        let again = WorkspaceFile::create(&path).err().unwrap_or_default();
        assert!(again.contains("already exists"), "{again}");
        assert!(WorkspaceFile::open(&path).is_ok());
        // Only our own temporary file was used, and it is gone.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, ["desk.gpkg"]);
        Ok(())
    }

    #[test]
    fn other_files_are_refused_with_what_they_are() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let text = dir.path().join("notes.gpkg");
        std::fs::write(&text, "just some text, not a database").map_err(|e| e.to_string())?;
        let error = WorkspaceFile::open(&text).err().unwrap_or_default();
        assert!(error.contains("not an SQLite database"), "{error}");
        let other = dir.path().join("other.gpkg");
        Connection::open(&other)
            .and_then(|c| c.execute_batch("CREATE TABLE t (x INTEGER);"))
            .map_err(|e| e.to_string())?;
        let error = WorkspaceFile::open(&other).err().unwrap_or_default();
        assert!(error.contains("not an incident-map workspace"), "{error}");
        Ok(())
    }
}
