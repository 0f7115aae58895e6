//! The workspace on a PostgreSQL server with PostGIS: the same tables as the workspace file,
//! shared by a desk of analysts. The incidents are a PostGIS point layer (SRID 4326, GiST
//! index, indexes on date and type) that any GIS reads; corrections are a log every client
//! replays over the machine's incidents.
//!
//! Several analysts at once:
//! - every correction is recorded with the database role that made it and the server's time;
//! - each client remembers the last change it has seen; a correction about an incident that
//!   someone else changed since is refused with their change named ([`RecordError::Stale`]);
//! - each commit notifies the channel `incident_map`, so open viewers take in others' edits;
//! - writers take one advisory lock inside their transaction, so changes are numbered in the
//!   order they commit;
//! - a read-only role (granted SELECT only) opens, views and exports, and every write is
//!   refused by the server itself.
//!
//! Every statement is parameterised. Each change is one transaction: a server that dies in
//! the middle leaves nothing of it, and a client that lost the link mid-commit finds out
//! whether its correction landed by the key it gave it.

pub mod connect;
mod copy;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use jiff::civil::Date;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Transaction};

use super::Source;
use super::annotations::Annotation;
use super::corrections::{Anchor, Change, Correction};
use super::file::{LayerRow, Machine, held_ranges, source_kind, stored_source};
use crate::articles::{feeds, web};
use crate::store::{Article, Incident, SCHEMA as STORE_SCHEMA, Store};
pub use connect::{ServerUrl, is_server_url};

/// The layout this build writes; [`migrate`] brings older ones up to it.
pub const SCHEMA_VERSION: i32 = 3;

/// The channel each commit notifies, with the change number as its payload.
pub const CHANNEL: &str = "incident_map";

/// The advisory lock writers hold inside their transactions ("incident-map" in ASCII).
const WRITE_LOCK: i64 = 0x696e_6369_6465_6e74;

/// How many times a change is tried again after the link to the server dropped.
const RETRIES: u32 = 5;

/// The first layout: the file workspace's tables, the layer in PostGIS.
const MIGRATION_1: &str = r#"
CREATE TABLE incident_map_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE incidents (
    fid bigserial PRIMARY KEY,
    geom geometry(Point, 4326) NOT NULL,
    incident_id text NOT NULL UNIQUE,
    event_date date, date_precision text,
    event_type text NOT NULL, sub_event_type text NOT NULL,
    actors text, fatalities integer,
    place text, country text, admin1 text, location_precision text,
    summary text, articles text,
    status text NOT NULL, edited text, rejected_reason text);
CREATE INDEX incidents_geom ON incidents USING gist (geom);
CREATE INDEX incidents_date ON incidents (event_date);
CREATE INDEX incidents_type ON incidents (event_type);
CREATE TABLE incident_map_sources (
    id bigserial PRIMARY KEY, kind text NOT NULL, location text NOT NULL UNIQUE,
    added timestamptz NOT NULL DEFAULT now());
CREATE TABLE incident_map_articles (
    position bigserial PRIMARY KEY, id text NOT NULL UNIQUE, origin text NOT NULL,
    source text, title text, publisher text, published date, url text, text text NOT NULL,
    boilerplate text);
CREATE TABLE incident_map_machine (
    position bigserial PRIMARY KEY, incident_id text NOT NULL UNIQUE, body text NOT NULL);
CREATE SEQUENCE incident_map_change;
CREATE TABLE incident_map_corrections (
    seq bigserial PRIMARY KEY,
    author text NOT NULL DEFAULT session_user,
    at timestamptz NOT NULL DEFAULT now(),
    article text NOT NULL, span_start bigint NOT NULL, span_end bigint NOT NULL,
    span_text text NOT NULL, incident_id text NOT NULL,
    kind text NOT NULL, body text NOT NULL, why text,
    undone_at timestamptz,
    changed bigint NOT NULL,
    client_key text UNIQUE);
CREATE INDEX incident_map_corrections_changed ON incident_map_corrections (changed);
CREATE TABLE incident_map_feeds (
    url text PRIMARY KEY, title text, etag text, last_modified text,
    added timestamptz NOT NULL DEFAULT now(), checked timestamptz);
CREATE TABLE incident_map_feed_items (
    feed text NOT NULL, key text NOT NULL, link text NOT NULL, article text,
    taken timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (feed, key));
INSERT INTO incident_map_meta VALUES ('generation', '0'), ('created', now()::text);
"#;

/// The analyst's marks on the map; `marks` in the meta table counts their changes, so that
/// others' viewers know when to read them again.
const MIGRATION_2: &str = r#"
CREATE TABLE incident_map_annotations (
    id bigserial PRIMARY KEY,
    author text NOT NULL DEFAULT session_user,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL, body text NOT NULL, text text NOT NULL);
INSERT INTO incident_map_meta VALUES ('marks', '0') ON CONFLICT (key) DO NOTHING;
"#;

/// Counts of incidents per grid cell, month and event type, kept by statement-level triggers
/// as the layer changes (rejected incidents are not counted), so that a zoomed-out map adds up
/// thousands of counts instead of reading millions of incidents. Undated incidents count under
/// the month 'infinity'. The function runs as the workspace's owner: roles granted changes to
/// the layer need no grant on the counts.
const MIGRATION_3: &str = r#"
CREATE TABLE incident_map_counts (
    grid smallint NOT NULL, cx integer NOT NULL, cy integer NOT NULL,
    month date NOT NULL, event_type text NOT NULL,
    n bigint NOT NULL, fatalities bigint NOT NULL,
    sum_lat float8 NOT NULL, sum_lon float8 NOT NULL,
    PRIMARY KEY (grid, month, event_type, cx, cy));
CREATE FUNCTION incident_map_count_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $body$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO incident_map_counts AS c
        SELECT g.grid, floor(ST_X(o.geom) / g.deg)::integer, floor(ST_Y(o.geom) / g.deg)::integer,
               coalesce(date_trunc('month', o.event_date::timestamp)::date, 'infinity'::date), o.event_type,
               -count(*), -coalesce(sum(o.fatalities), 0), -sum(ST_Y(o.geom)), -sum(ST_X(o.geom))
        FROM old_rows o
        CROSS JOIN (VALUES (0::smallint, 1.0::float8), (1::smallint, 0.25::float8)) AS g (grid, deg)
        WHERE o.status <> 'rejected'
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (grid, month, event_type, cx, cy) DO UPDATE
        SET n = c.n + EXCLUDED.n, fatalities = c.fatalities + EXCLUDED.fatalities,
            sum_lat = c.sum_lat + EXCLUDED.sum_lat, sum_lon = c.sum_lon + EXCLUDED.sum_lon;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO incident_map_counts AS c
        SELECT g.grid, floor(ST_X(r.geom) / g.deg)::integer, floor(ST_Y(r.geom) / g.deg)::integer,
               coalesce(date_trunc('month', r.event_date::timestamp)::date, 'infinity'::date), r.event_type,
               count(*), coalesce(sum(r.fatalities), 0), sum(ST_Y(r.geom)), sum(ST_X(r.geom))
        FROM new_rows r
        CROSS JOIN (VALUES (0::smallint, 1.0::float8), (1::smallint, 0.25::float8)) AS g (grid, deg)
        WHERE r.status <> 'rejected'
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (grid, month, event_type, cx, cy) DO UPDATE
        SET n = c.n + EXCLUDED.n, fatalities = c.fatalities + EXCLUDED.fatalities,
            sum_lat = c.sum_lat + EXCLUDED.sum_lat, sum_lon = c.sum_lon + EXCLUDED.sum_lon;
    END IF;
    RETURN NULL;
END
$body$;
CREATE FUNCTION incident_map_count_clear() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $body$
BEGIN
    DELETE FROM incident_map_counts;
    RETURN NULL;
END
$body$;
CREATE TRIGGER incident_map_count_inserts AFTER INSERT ON incidents
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_map_count_changes();
CREATE TRIGGER incident_map_count_updates AFTER UPDATE ON incidents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_map_count_changes();
CREATE TRIGGER incident_map_count_deletes AFTER DELETE ON incidents
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_map_count_changes();
CREATE TRIGGER incident_map_count_truncates AFTER TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION incident_map_count_clear();
INSERT INTO incident_map_counts
SELECT g.grid, floor(ST_X(i.geom) / g.deg)::integer, floor(ST_Y(i.geom) / g.deg)::integer,
       coalesce(date_trunc('month', i.event_date::timestamp)::date, 'infinity'::date), i.event_type,
       count(*), coalesce(sum(i.fatalities), 0), sum(ST_Y(i.geom)), sum(ST_X(i.geom))
FROM incidents i
CROSS JOIN (VALUES (0::smallint, 1.0::float8), (1::smallint, 0.25::float8)) AS g (grid, deg)
WHERE i.status <> 'rejected'
GROUP BY 1, 2, 3, 4, 5;
"#;

/// Migrations in order: index + 1 is the version each brings the layout to.
const MIGRATIONS: &[&str] = &[MIGRATION_1, MIGRATION_2, MIGRATION_3];

/// Why a correction was not recorded.
#[derive(Debug)]
pub enum RecordError {
    /// Someone else changed the same incident after this client last looked.
    Stale(String),
    /// Others changed other things since: take them in and try again.
    Behind,
    Failed(String),
}

impl From<String> for RecordError {
    fn from(error: String) -> Self {
        Self::Failed(error)
    }
}

/// What others changed since this client last looked.
#[derive(Debug, Default)]
pub struct News {
    /// The machine's side, when someone re-ingested.
    pub machine: Option<Machine>,
    /// The corrections now (in force, undone), when any changed.
    pub corrections: Option<(Vec<Correction>, Vec<Correction>)>,
    /// The analyst's marks now, when any was made, changed or deleted.
    pub annotations: Option<Vec<Annotation>>,
}

impl News {
    pub fn is_empty(&self) -> bool {
        self.machine.is_none() && self.corrections.is_none() && self.annotations.is_none()
    }
}

/// An open workspace on a server.
pub struct WorkspaceServer {
    target: connect::Target,
    /// Behind a lock for the same reason as the file's connection: shared with threads that
    /// only read.
    client: Mutex<Option<Client>>,
    /// The last change this client has taken in, and the machine generation it holds.
    seen: Mutex<(i64, i64)>,
    /// The count of changes to the marks this client last read.
    marks_seen: Mutex<i64>,
    read_only: bool,
}

impl std::fmt::Debug for WorkspaceServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WorkspaceServer({})", self.target.url)
    }
}

fn sql(url: &ServerUrl) -> impl Fn(postgres::Error) -> String + '_ {
    move |e| {
        let text = connect::describe(&e);
        if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
            format!("{url}: your database role may read this workspace but not change it ({text})")
        } else {
            format!("{url}: {text}")
        }
    }
}

/// Whether an error means the link to the server is gone (worth connecting again).
fn link_lost(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    if let Some(db) = error.as_db_error() {
        // The server is shutting down or restarting.
        return db.code().code().starts_with("57P");
    }
    // No answer from the server: an I/O error underneath.
    std::error::Error::source(error).is_some_and(|s| s.is::<std::io::Error>())
}

impl WorkspaceServer {
    /// Makes an empty workspace in the database the URL names: its tables are created; a
    /// database that already holds one is refused.
    pub fn create(url: &ServerUrl) -> Result<Self, String> {
        let target = connect::Target::resolve(url, &connect::ProcessEnvironment)?;
        let mut client = target.connect()?;
        let error = sql(url);
        let exists: bool = client
            .query_one("SELECT to_regclass('incident_map_meta') IS NOT NULL", &[])
            .map_err(&error)?
            .get(0);
        if exists {
            return Err(format!(
                "{url}: already holds an incident-map workspace; a new one needs an empty database"
            ));
        }
        drop(client);
        Self::open_target(target, true)
    }

    /// Opens the workspace in the database the URL names, bringing its layout up to date.
    pub fn open(url: &ServerUrl) -> Result<Self, String> {
        let target = connect::Target::resolve(url, &connect::ProcessEnvironment)?;
        Self::open_target(target, false)
    }

    fn open_target(target: connect::Target, create: bool) -> Result<Self, String> {
        let mut client = target.connect()?;
        let url = target.url.clone();
        migrate(&mut client, &url, create)?;
        let error = sql(&url);
        let read_only: bool = !client
            .query_one(
                "SELECT has_table_privilege('incident_map_corrections', 'INSERT')",
                &[],
            )
            .map_err(&error)?
            .get::<_, bool>(0);
        let server = Self {
            target,
            client: Mutex::new(Some(client)),
            seen: Mutex::new((0, 0)),
            marks_seen: Mutex::new(0),
            read_only,
        };
        Ok(server)
    }

    pub fn url(&self) -> &ServerUrl {
        &self.target.url
    }

    /// Whether this role may only read.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Runs `work` with a live connection, connecting again (up to [`RETRIES`] times, waiting
    /// longer each time) when the link was lost. `work` must be safe to run again: each is
    /// one transaction.
    fn with_client<T>(
        &self,
        mut work: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, String> {
        let mut slot = self
            .client
            .lock()
            .map_err(|_| format!("{}: an earlier use failed midway", self.target.url))?;
        let mut attempt = 0;
        loop {
            if slot.as_ref().is_none_or(Client::is_closed) {
                *slot = None;
                match self.target.connect() {
                    Ok(client) => *slot = Some(client),
                    Err(e) if attempt < RETRIES => {
                        log::warn!("{e}; connecting again");
                        attempt += 1;
                        std::thread::sleep(backoff(attempt));
                        continue;
                    }
                    Err(e) => return Err(format!("{e} (tried {} times)", attempt + 1)),
                }
            }
            let Some(client) = slot.as_mut() else {
                continue;
            };
            match work(client) {
                Ok(value) => return Ok(value),
                Err(e) if link_lost(&e) && attempt < RETRIES => {
                    log::warn!(
                        "{}: the link to the server was lost ({}); connecting again",
                        self.target.url,
                        connect::describe(&e)
                    );
                    *slot = None;
                    attempt += 1;
                    std::thread::sleep(backoff(attempt));
                }
                Err(e) => return Err(sql(&self.target.url)(e)),
            }
        }
    }

    fn seen(&self) -> (i64, i64) {
        self.seen.lock().map(|s| *s).unwrap_or((0, 0))
    }

    fn set_seen(&self, change: i64, generation: i64) {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = (change, generation);
        }
    }

    fn marks_seen(&self) -> i64 {
        self.marks_seen.lock().map(|s| *s).unwrap_or(0)
    }

    /// The analyst's marks, in the order made.
    pub fn annotations(&self) -> Result<Vec<Annotation>, String> {
        let url = self.target.url.clone();
        let (rows, marks) = self.with_client(|client| {
            let mut tx = client.build_transaction().read_only(true).start()?;
            let rows = tx.query(
                "SELECT id, author, at, body, text FROM incident_map_annotations ORDER BY id",
                &[],
            )?;
            let marks = marks_change(&mut tx)?;
            tx.commit()?;
            Ok((rows, marks))
        })?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            list.push(
                Annotation::from_stored(row.get(0), row.get(3), row.get(4), row.get(1), row.get(2))
                    .map_err(|e| format!("{url}: {e}"))?,
            );
        }
        if let Ok(mut seen) = self.marks_seen.lock() {
            *seen = marks;
        }
        Ok(list)
    }

    /// Saves a mark in one transaction: a new one (id 0) gets its id; one with an id replaces
    /// that row. The server records the database role and its own clock, unless
    /// `keep_author` (a copy). Returns the mark as saved.
    pub fn save_annotation(
        &self,
        annotation: &Annotation,
        keep_author: bool,
    ) -> Result<Annotation, String> {
        let body = annotation.body()?;
        let kind = annotation.mark.kind();
        let id = (annotation.id > 0).then_some(annotation.id);
        let author = keep_author.then_some(annotation.author.as_str());
        let at = keep_author.then_some(annotation.at);
        let row = self.with_client(|client| {
            let mut tx = client.transaction()?;
            let row = match id {
                None => tx.query_one(
                    "INSERT INTO incident_map_annotations (author, at, kind, body, text)
                     VALUES (coalesce($1, session_user), coalesce($2, now()), $3, $4, $5)
                     RETURNING id, author, at",
                    &[&author, &at, &kind, &body, &annotation.text],
                )?,
                Some(id) => tx.query_one(
                    "INSERT INTO incident_map_annotations (id, author, at, kind, body, text)
                     VALUES ($6, coalesce($1, session_user), coalesce($2, now()), $3, $4, $5)
                     ON CONFLICT (id) DO UPDATE SET author = EXCLUDED.author, at = EXCLUDED.at,
                         kind = EXCLUDED.kind, body = EXCLUDED.body, text = EXCLUDED.text
                     RETURNING id, author, at",
                    &[&author, &at, &kind, &body, &annotation.text, &id],
                )?,
            };
            marks_changed(&mut tx)?;
            tx.commit()?;
            Ok(row)
        })?;
        Ok(Annotation {
            id: row.get(0),
            author: row.get(1),
            at: row.get(2),
            ..annotation.clone()
        })
    }

    /// Deletes mark `id`; says so when there is none.
    pub fn delete_annotation(&self, id: i64) -> Result<(), String> {
        let deleted = self.with_client(|client| {
            let mut tx = client.transaction()?;
            let deleted =
                tx.execute("DELETE FROM incident_map_annotations WHERE id = $1", &[&id])?;
            marks_changed(&mut tx)?;
            tx.commit()?;
            Ok(deleted)
        })?;
        if deleted == 0 {
            return Err(format!("{}: no annotation {id}", self.target.url));
        }
        Ok(())
    }

    /// Follows a feed; following it twice is said.
    pub fn add_feed(&self, url: &str) -> Result<(), String> {
        let added = self.with_client(|client| {
            client.execute(
                "INSERT INTO incident_map_feeds (url) VALUES ($1) ON CONFLICT (url) DO NOTHING",
                &[&url],
            )
        })?;
        if added == 0 {
            return Err(format!("{url}: already followed"));
        }
        Ok(())
    }

    /// The feeds followed, each with its validators and the items already taken in.
    pub fn feeds(&self) -> Result<Vec<feeds::Feed>, String> {
        self.with_client(|client| {
            let mut list = Vec::new();
            for row in client.query(
                "SELECT url, title, etag, last_modified FROM incident_map_feeds ORDER BY added, url",
                &[],
            )? {
                list.push(feeds::Feed {
                    url: row.get(0),
                    title: row.get(1),
                    validators: web::Validators {
                        etag: row.get(2),
                        last_modified: row.get(3),
                    },
                    seen: Default::default(),
                });
            }
            for row in client.query("SELECT feed, key, link FROM incident_map_feed_items", &[])? {
                let feed: String = row.get(0);
                if let Some(followed) = list.iter_mut().find(|f| f.url == feed) {
                    followed.seen.insert(row.get(1));
                    followed.seen.insert(row.get(2));
                }
            }
            Ok(list)
        })
    }

    /// Records a look at the feeds and the items taken in, in one transaction.
    pub fn record_feeds(
        &self,
        looked: &[feeds::Feed],
        taken: &[(String, feeds::Item, String)],
    ) -> Result<(), String> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            for feed in looked {
                tx.execute(
                    "UPDATE incident_map_feeds SET title = $2, etag = $3, last_modified = $4,
                     checked = now() WHERE url = $1",
                    &[
                        &feed.url,
                        &feed.title,
                        &feed.validators.etag,
                        &feed.validators.last_modified,
                    ],
                )?;
            }
            for (feed, item, article) in taken {
                tx.execute(
                    "INSERT INTO incident_map_feed_items (feed, key, link, article)
                     VALUES ($1, $2, $3, $4) ON CONFLICT (feed, key) DO NOTHING",
                    &[feed, &item.key, &item.link, article],
                )?;
            }
            tx.commit()
        })
    }

    /// The sources the workspace was built from, in the order added.
    pub fn sources(&self) -> Result<Vec<Source>, String> {
        let rows = self.with_client(|client| {
            client.query(
                "SELECT kind, location FROM incident_map_sources ORDER BY id",
                &[],
            )
        })?;
        Ok(rows
            .iter()
            .map(|row| stored_source(row.get(0), row.get(1)))
            .collect())
    }

    /// The machine's articles and incidents as last ingested; remembers its generation.
    pub fn machine(&self) -> Result<Machine, String> {
        let url = self.target.url.clone();
        let (machine, generation) = self.with_client(|client| {
            let mut tx = client.build_transaction().read_only(true).start()?;
            let generation = generation(&mut tx)?;
            let machine = read_machine(&mut tx);
            tx.commit()?;
            Ok((machine, generation))
        })?;
        let machine = machine.map_err(|e| format!("{url}: {e}"))?;
        let (change, _) = self.seen();
        self.set_seen(change, generation);
        Ok(machine)
    }

    /// The corrections in force, in the order they apply, and those undone (most recently
    /// undone last); remembers the last change taken in.
    pub fn corrections(&self) -> Result<(Vec<Correction>, Vec<Correction>), String> {
        let url = self.target.url.clone();
        let (read, change) = self.with_client(|client| {
            let mut tx = client.build_transaction().read_only(true).start()?;
            let change = last_change(&mut tx)?;
            let read = read_corrections(&mut tx);
            tx.commit()?;
            Ok((read, change))
        })?;
        let read = read.map_err(|e| format!("{url}: {e}"))?;
        let (_, generation) = self.seen();
        self.set_seen(change, generation);
        Ok(read)
    }

    /// What others changed since this client last looked (nothing read when nothing changed).
    pub fn news(&self) -> Result<News, String> {
        let (change, generation_seen) = self.seen();
        let (now_change, now_generation) = self.with_client(|client| {
            let mut tx = client.build_transaction().read_only(true).start()?;
            let values = (last_change(&mut tx)?, generation(&mut tx)?);
            tx.commit()?;
            Ok(values)
        })?;
        let mut news = News::default();
        if now_generation != generation_seen {
            news.machine = Some(self.machine()?);
        }
        if now_change != change {
            news.corrections = Some(self.corrections()?);
        }
        let marks_now = self.with_client(marks_change)?;
        if marks_now != self.marks_seen() {
            news.annotations = Some(self.annotations()?);
        }
        Ok(news)
    }

    /// Replaces the sources, the machine's side and the layer in one transaction (after an
    /// ingest); the machine's generation goes up so other clients read it again.
    pub fn replace_machine(
        &mut self,
        sources: &[Source],
        machine: &Machine,
        layer: &Store,
    ) -> Result<(), String> {
        let (change, generation) = self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            write_machine(&mut tx, sources, machine)?;
            write_layer(&mut tx, None, layer)?;
            let generation: i64 = tx
                .query_one(
                    "UPDATE incident_map_meta SET value = (value::bigint + 1)::text
                     WHERE key = 'generation' RETURNING value::bigint",
                    &[],
                )?
                .get(0);
            let change = last_change(&mut tx)?;
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &change.to_string()])?;
            tx.commit()?;
            Ok((change, generation))
        })?;
        let (seen_change, _) = self.seen();
        self.set_seen(seen_change.max(change), generation);
        Ok(())
    }

    /// Records a correction and the layer rows it changes, in one transaction. Refused when
    /// someone changed the same incident since this client last looked ([`RecordError::Stale`]),
    /// or put off when others changed anything else ([`RecordError::Behind`]: take in their
    /// changes with [`WorkspaceServer::news`] and call again). The author is the database role
    /// and the time the server's, unless `keep_author` (a copy of another workspace).
    pub fn record(
        &mut self,
        mut correction: Correction,
        before: &Store,
        rebuild: impl Fn(&Correction) -> Store,
        keep_author: bool,
    ) -> Result<(Correction, Store), RecordError> {
        let (seen_change, seen_generation) = self.seen();
        let (author, at) = if keep_author {
            (Some(correction.author.clone()), Some(correction.at))
        } else {
            (None, None)
        };
        let key = client_key();
        let body = serde_json::to_string(&correction.change).map_err(|e| e.to_string())?;
        let url = self.target.url.clone();
        let outcome = self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            // Landed already: the link dropped after the commit, before its answer.
            if let Some(row) = tx.query_opt(
                "SELECT seq, author, at, changed FROM incident_map_corrections
                 WHERE client_key = $1",
                &[&key],
            )? {
                let recorded = (row.get::<_, i64>(0), row.get(1), row.get(2), row.get(3));
                tx.commit()?;
                return Ok(Recorded::Done(recorded));
            }
            if generation(&mut tx)? != seen_generation {
                return Ok(Recorded::Behind);
            }
            let news = read_changed_since(&mut tx, seen_change)?;
            if let Some(theirs) = news
                .iter()
                .filter_map(|c| c.as_ref().ok())
                .find(|theirs| touches(theirs, &correction))
            {
                return Ok(Recorded::Stale(Box::new(theirs.clone())));
            }
            if !news.is_empty() {
                return Ok(Recorded::Behind);
            }
            tx.execute(
                "DELETE FROM incident_map_corrections WHERE undone_at IS NOT NULL",
                &[],
            )?;
            let target = &correction.target;
            let row = tx.query_one(
                "INSERT INTO incident_map_corrections
                     (article, span_start, span_end, span_text, incident_id, kind, body, why,
                      changed, client_key, author, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, nextval('incident_map_change'), $9,
                         coalesce($10, session_user), coalesce($11, now()))
                 RETURNING seq, author, at, changed",
                &[
                    &target.article,
                    &(target.start as i64),
                    &(target.end as i64),
                    &target.text,
                    &target.id,
                    &correction.change.kind(),
                    &body,
                    &correction.why,
                    &key,
                    &author,
                    &at,
                ],
            )?;
            let recorded: (i64, String, jiff::Timestamp, i64) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let mut saved = correction.clone();
            (saved.seq, saved.author, saved.at) = (recorded.0, recorded.1.clone(), recorded.2);
            let after = rebuild(&saved);
            write_layer(&mut tx, Some(before), &after)?;
            tx.execute(
                "SELECT pg_notify($1, $2)",
                &[&CHANNEL, &recorded.3.to_string()],
            )?;
            tx.commit()?;
            Ok(Recorded::Written(recorded, after))
        })?;
        match outcome {
            Recorded::Written((seq, author, at, changed), after) => {
                (correction.seq, correction.author, correction.at) = (seq, author, at);
                self.set_seen(changed, seen_generation);
                Ok((correction, after))
            }
            Recorded::Done((seq, author, at, changed)) => {
                (correction.seq, correction.author, correction.at) = (seq, author, at);
                self.set_seen(changed, seen_generation);
                let after = rebuild(&correction);
                Ok((correction, after))
            }
            Recorded::Behind => Err(RecordError::Behind),
            Recorded::Stale(theirs) => Err(RecordError::Stale(format!(
                "{url}: {} changed this incident at {} ({}) after you opened it; your change was not saved and theirs is now shown",
                theirs.author,
                theirs.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                theirs.change.describe(),
            ))),
        }
    }

    /// Marks correction `seq` undone (`undo`) or in force again, with the changed layer rows,
    /// in one transaction; put off ([`RecordError::Behind`]) when others changed anything since.
    pub fn set_undone(
        &mut self,
        seq: i64,
        undone: bool,
        before: &Store,
        after: &Store,
    ) -> Result<(), RecordError> {
        let (seen_change, seen_generation) = self.seen();
        let outcome = self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            if generation(&mut tx)? != seen_generation || last_change(&mut tx)? != seen_change {
                return Ok(None);
            }
            let changed: i64 = tx
                .query_one(
                    "UPDATE incident_map_corrections
                     SET undone_at = CASE WHEN $2 THEN now() ELSE NULL END,
                         changed = nextval('incident_map_change')
                     WHERE seq = $1 RETURNING changed",
                    &[&seq, &undone],
                )?
                .get(0);
            write_layer(&mut tx, Some(before), after)?;
            tx.execute(
                "SELECT pg_notify($1, $2)",
                &[&CHANNEL, &changed.to_string()],
            )?;
            tx.commit()?;
            Ok(Some(changed))
        })?;
        match outcome {
            Some(changed) => {
                self.set_seen(changed, seen_generation);
                Ok(())
            }
            None => Err(RecordError::Behind),
        }
    }

    /// Lets database role `role` read this workspace (and with `read_only` false, correct and
    /// ingest into it). The role's name goes through the server's own quoting.
    pub fn grant(&self, role: &str, read_only: bool) -> Result<(), String> {
        let tables = if read_only {
            "SELECT"
        } else {
            "SELECT, INSERT, UPDATE, DELETE"
        };
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            let mut statements = vec![
                tx.query_one(
                    "SELECT format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), $1::text)",
                    &[&role],
                )?
                .get::<_, String>(0),
                tx.query_one(
                    "SELECT format('GRANT ' || $2::text || ' ON ALL TABLES IN SCHEMA %I TO %I',
                                   current_schema(), $1::text)",
                    &[&role, &tables],
                )?
                .get::<_, String>(0),
            ];
            // Tables a later layout adds (made by this role) are granted alike.
            statements.push(
                tx.query_one(
                    "SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT ' || $2::text || ' ON TABLES TO %I',
                                   current_schema(), $1::text)",
                    &[&role, &tables],
                )?
                .get::<_, String>(0),
            );
            if !read_only {
                statements.push(
                    tx.query_one(
                        "SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
                                       current_schema(), $1::text)",
                        &[&role],
                    )?
                    .get::<_, String>(0),
                );
                statements.push(
                    tx.query_one(
                        "SELECT format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I',
                                       current_schema(), $1::text)",
                        &[&role],
                    )?
                    .get::<_, String>(0),
                );
            }
            for statement in statements {
                tx.batch_execute(&statement)?;
            }
            tx.commit()
        })
    }

    /// A second connection that listens for others' changes: [`Listener::wait`] returns when
    /// one arrives or the time is up.
    pub fn listen(&self) -> Result<Listener, String> {
        let mut listener = self.listener();
        listener.connect()?;
        Ok(listener)
    }

    /// A listener that connects on its first [`Listener::wait`] (which then says a change may
    /// have been missed), so it can be made without waiting for the server.
    pub fn listener(&self) -> Listener {
        Listener {
            target: self.target.clone(),
            client: None,
        }
    }
}

/// What one view of the map asks a large server workspace for: the incidents in the map's
/// window that pass the filter's dates and types, or, when there are more than `limit`, their
/// counts aggregated on a grid of `cell_deg` degrees, by the database.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowQuery {
    /// West, south, east, north in degrees.
    pub bbox: [f64; 4],
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    /// ACLED event type names; empty for all.
    pub event_types: Vec<String>,
    /// Only incidents naming this actor.
    pub actor: Option<String>,
    /// Words to look for in the summary, place, province, types and actors (any case).
    pub text: Option<String>,
    /// Only incidents from this publisher's articles.
    pub publisher: Option<String>,
    pub limit: usize,
    pub cell_deg: f64,
}

/// Incidents gathered in one grid cell: where their centre is, how many, how many killed.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub lat: f64,
    pub lon: f64,
    pub count: i64,
    pub fatalities: i64,
}

/// The answer to a [`WindowQuery`].
#[derive(Debug, Clone, PartialEq)]
pub enum WindowAnswer {
    /// The incidents themselves (as the layer holds them: without their evidence).
    Incidents(Vec<Incident>),
    /// Too many to list: the cells that hold them.
    Cells(Vec<Cell>),
}

/// The conditions of a window query; its parameters are $1..$10 in every statement.
const WINDOW_WHERE: &str = "geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
    AND ($5::date IS NULL OR event_date >= $5)
    AND ($6::date IS NULL OR event_date <= $6)
    AND (cardinality($7::text[]) = 0 OR event_type = ANY($7))
    AND ($8::text IS NULL OR position('; ' || $8 || '; ' IN '; ' || actors || '; ') > 0)
    AND ($9::text IS NULL OR position(lower($9) IN lower(concat_ws(' ', summary, place, admin1,
        event_type, sub_event_type, actors))) > 0)
    AND ($10::text IS NULL OR EXISTS (
        SELECT 1 FROM incident_map_articles a
        WHERE a.id = ANY(string_to_array(incidents.articles, '; '))
          AND $10 = ANY(SELECT trim(p) FROM unnest(string_to_array(a.publisher, ';')) AS p)))
    AND status <> 'rejected'";

impl WorkspaceServer {
    /// How many incidents the layer holds.
    pub fn layer_count(&self) -> Result<i64, String> {
        self.with_client(|client| {
            Ok(client
                .query_one("SELECT count(*) FROM incidents", &[])?
                .get(0))
        })
    }

    /// Updates the planner's statistics of the layer (after a bulk load).
    pub fn analyze(&self) -> Result<(), String> {
        self.with_client(|client| client.batch_execute("ANALYZE incidents"))
    }

    /// The layer's size on the server with its indexes, in MB.
    pub fn layer_size_mb(&self) -> Result<f64, String> {
        self.relation_size_mb("incidents")
    }

    /// The size of the counts kept for zoomed-out windows, with their index, in MB.
    pub fn counts_size_mb(&self) -> Result<f64, String> {
        self.relation_size_mb("incident_map_counts")
    }

    fn relation_size_mb(&self, table: &str) -> Result<f64, String> {
        self.with_client(|client| {
            let bytes: i64 = client
                .query_one(
                    "SELECT pg_total_relation_size($1::text::regclass)",
                    &[&table],
                )?
                .get(0);
            Ok((bytes as f64 / 1_048_576.0).round())
        })
    }

    /// The incidents one view of the map needs, or their cells when there are too many.
    pub fn window(&self, query: &WindowQuery) -> Result<WindowAnswer, String> {
        self.with_client(|client| query_window(client, query))
    }

    /// A reader of map windows with a connection of its own, for a background job.
    pub fn window_reader(&self) -> WindowReader {
        WindowReader {
            target: self.target.clone(),
            client: None,
        }
    }

    /// Loads incidents straight into the layer by COPY, as an import of millions of rows does
    /// (no machine side, no articles); the generation goes up so open clients read again.
    pub fn load_layer(&self, store: &Store) -> Result<u64, String> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
            let mut rows = copy::Rows::start(&mut tx, "incidents", LAYER_COLUMNS)?;
            for incident in &store.incidents {
                layer_row(&mut rows, incident);
            }
            let count = rows.finish()?;
            tx.execute(
                "UPDATE incident_map_meta SET value = (value::bigint + 1)::text
                 WHERE key = 'generation'",
                &[],
            )?;
            tx.commit()?;
            Ok(count)
        })
    }
}

/// Reads map windows over a connection of its own (made when first used, made again when
/// lost), so a background job can ask while the window goes on drawing.
pub struct WindowReader {
    target: connect::Target,
    client: Option<Client>,
}

impl WindowReader {
    pub fn window(&mut self, query: &WindowQuery) -> Result<WindowAnswer, String> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = Some(self.target.connect()?);
        }
        let Some(client) = self.client.as_mut() else {
            return Err(format!("{}: not connected", self.target.url));
        };
        query_window(client, query).map_err(|e| {
            if link_lost(&e) {
                self.client = None;
            }
            sql(&self.target.url)(e)
        })
    }
}

fn query_window(client: &mut Client, query: &WindowQuery) -> Result<WindowAnswer, postgres::Error> {
    let [west, south, east, north] = query.bbox;
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let mut tx = client.build_transaction().read_only(true).start()?;
    let text = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let params: [&(dyn postgres::types::ToSql + Sync); 10] = [
        &west,
        &south,
        &east,
        &north,
        &query.from,
        &query.to,
        &query.event_types,
        &query.actor,
        &text,
        &query.publisher,
    ];
    // The counts know places, months and types only; an actor, a publisher or words are read
    // from the incidents themselves.
    let counts_answer = query.actor.is_none() && text.is_none() && query.publisher.is_none();
    // When the counts of the cells wholly inside the window already pass the limit, the
    // incidents are not read only to find that there are too many of them.
    let surely_over = counts_answer
        && with_counts(&mut tx, |tx| counted_at_least(tx, query))?
            .is_some_and(|at_least| at_least > limit);
    if !surely_over {
        let mut with_limit: Vec<&(dyn postgres::types::ToSql + Sync)> = params.to_vec();
        with_limit.push(&limit);
        let rows = tx.query(
            &format!(
                "SELECT ST_X(geom), ST_Y(geom), incident_id, event_date, date_precision,
                        sub_event_type, actors, fatalities, place, country, admin1,
                        location_precision, summary, status, edited, rejected_reason
                 FROM incidents WHERE {WINDOW_WHERE} LIMIT $11::bigint + 1"
            ),
            &with_limit,
        )?;
        if rows.len() as i64 <= limit {
            let incidents = rows.iter().filter_map(layer_incident).collect();
            tx.commit()?;
            return Ok(WindowAnswer::Incidents(incidents));
        }
    }
    if let Some(grid) = counted_grid(query.cell_deg).filter(|_| counts_answer)
        && let Some(cells) = with_counts(&mut tx, |tx| counted_cells(tx, query, grid))?
    {
        tx.commit()?;
        return Ok(WindowAnswer::Cells(cells));
    }
    let mut with_cell = params.to_vec();
    with_cell.push(&query.cell_deg);
    let cells = tx
        .query(
            &format!(
                "SELECT avg(ST_Y(geom)), avg(ST_X(geom)), count(*),
                        coalesce(sum(fatalities), 0)::bigint
                 FROM incidents WHERE {WINDOW_WHERE}
                 GROUP BY floor(ST_X(geom) / $11::float8), floor(ST_Y(geom) / $11::float8)"
            ),
            &with_cell,
        )?
        .iter()
        .map(cell_of)
        .collect();
    tx.commit()?;
    Ok(WindowAnswer::Cells(cells))
}

/// The grids the counts are kept on: (number, cell size in degrees), coarsest first.
const COUNT_GRIDS: [(i16, f64); 2] = [(0, 1.0), (1, 0.25)];

/// The counted grid a window's cells can be added up from: the coarsest whose cells fit in
/// the cells asked for (none below the finest: the incidents themselves are read).
fn counted_grid(cell_deg: f64) -> Option<(i16, f64)> {
    COUNT_GRIDS
        .iter()
        .copied()
        .find(|(_, deg)| *deg <= cell_deg + 1e-9)
}

/// A date range cut into whole months, which the counts answer, and the days at either end
/// outside them, which the incidents answer.
#[derive(Debug, Clone, Copy, PartialEq)]
struct MonthCut {
    /// First and last whole month (their first days); `None` is unbounded on that side.
    months: Option<(Option<Date>, Option<Date>)>,
    /// Days read from the incidents: before the first whole month, after the last.
    head: Option<(Date, Date)>,
    tail: Option<(Date, Date)>,
}

fn month_cut(from: Option<Date>, to: Option<Date>) -> MonthCut {
    let first_of = |d: Date| d.first_of_month();
    let first_whole = from.map(|d| {
        if d.day() == 1 {
            d
        } else {
            first_of(d)
                .checked_add(jiff::Span::new().months(1))
                .unwrap_or(d)
        }
    });
    let last_whole = to.map(|d| {
        if d == d.last_of_month() {
            first_of(d)
        } else {
            first_of(d)
                .checked_sub(jiff::Span::new().months(1))
                .unwrap_or(d)
        }
    });
    if let (Some(a), Some(b)) = (first_whole, last_whole)
        && a > b
    {
        // No whole month inside: every day from the incidents.
        return MonthCut {
            months: None,
            head: from.zip(to),
            tail: None,
        };
    }
    let day_before = |d: Date| d.yesterday().unwrap_or(d);
    MonthCut {
        months: Some((first_whole, last_whole)),
        head: from
            .zip(first_whole)
            .filter(|(f, w)| f < w)
            .map(|(f, w)| (f, day_before(w))),
        tail: to.zip(last_whole).and_then(|(t, w)| {
            let after = w.last_of_month().tomorrow().ok()?;
            (after <= t).then_some((after, t))
        }),
    }
}

/// The cells of a window added up from the counts on `grid`, with the days at the ends of the
/// date range that are not whole months read from the incidents.
fn counted_cells(
    tx: &mut Transaction<'_>,
    query: &WindowQuery,
    (grid, deg): (i16, f64),
) -> Result<Vec<Cell>, postgres::Error> {
    let [west, south, east, north] = query.bbox;
    let cut = month_cut(query.from, query.to);
    let months_on = cut.months.is_some();
    let (month_from, month_to) = cut.months.unwrap_or((None, None));
    let any_dates = query.from.is_some() || query.to.is_some();
    let (head_from, head_to) = cut.head.unzip();
    let (tail_from, tail_to) = cut.tail.unzip();
    let rows = tx.query(
        "WITH parts AS (
             SELECT floor((cx + 0.5) * $8::float8 / $6::float8) AS gx,
                    floor((cy + 0.5) * $8 / $6) AS gy, n, fatalities, sum_lat, sum_lon
             FROM incident_map_counts
             WHERE grid = $7::smallint
               AND cx BETWEEN floor($1::float8 / $8)::integer AND floor($3::float8 / $8)::integer
               AND cy BETWEEN floor($2::float8 / $8)::integer AND floor($4::float8 / $8)::integer
               AND $9::boolean AND ($10::date IS NULL OR month >= $10) AND ($11::date IS NULL OR month <= $11)
               AND (NOT $12::boolean OR month <> 'infinity'::date)
               AND (cardinality($5::text[]) = 0 OR event_type = ANY($5))
             UNION ALL
             SELECT floor(ST_X(geom) / $6), floor(ST_Y(geom) / $6), 1, coalesce(fatalities, 0),
                    ST_Y(geom), ST_X(geom)
             FROM incidents
             WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
               AND (event_date BETWEEN $13::date AND $14::date
                    OR event_date BETWEEN $15::date AND $16::date)
               AND (cardinality($5::text[]) = 0 OR event_type = ANY($5))
               AND status <> 'rejected')
         SELECT sum(sum_lat) / sum(n)::float8, sum(sum_lon) / sum(n)::float8, sum(n)::bigint,
                sum(fatalities)::bigint
         FROM parts GROUP BY gx, gy HAVING sum(n) > 0",
        &[
            &west,
            &south,
            &east,
            &north,
            &query.event_types,
            &query.cell_deg,
            &grid,
            &deg,
            &months_on,
            &month_from,
            &month_to,
            &any_dates,
            &head_from,
            &head_to,
            &tail_from,
            &tail_to,
        ],
    )?;
    Ok(rows.iter().map(cell_of).collect())
}

/// Runs a query of the counts in a savepoint: `None` when this role may not read them (a
/// workspace granted before they existed), so the caller reads the incidents instead.
fn with_counts<T>(
    tx: &mut Transaction<'_>,
    query: impl FnOnce(&mut Transaction<'_>) -> Result<T, postgres::Error>,
) -> Result<Option<T>, postgres::Error> {
    let mut attempt = tx.transaction()?;
    match query(&mut attempt) {
        Ok(answer) => {
            attempt.commit()?;
            Ok(Some(answer))
        }
        Err(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => Ok(None),
        Err(e) => Err(e),
    }
}

/// How many incidents the window holds at least: those counted in the finest grid's cells
/// wholly inside it, in the whole months of its date range.
fn counted_at_least(tx: &mut Transaction<'_>, query: &WindowQuery) -> Result<i64, postgres::Error> {
    let [west, south, east, north] = query.bbox;
    let cut = month_cut(query.from, query.to);
    let Some((month_from, month_to)) = cut.months else {
        return Ok(0);
    };
    let any_dates = query.from.is_some() || query.to.is_some();
    let (grid, deg) = COUNT_GRIDS[COUNT_GRIDS.len() - 1];
    Ok(tx
        .query_one(
            "SELECT coalesce(sum(n), 0)::bigint FROM incident_map_counts
             WHERE grid = $6::smallint
               AND cx BETWEEN ceil($1::float8 / $7::float8)::integer
                          AND floor($3::float8 / $7)::integer - 1
               AND cy BETWEEN ceil($2::float8 / $7)::integer
                          AND floor($4::float8 / $7)::integer - 1
               AND ($8::date IS NULL OR month >= $8) AND ($9::date IS NULL OR month <= $9)
               AND (NOT $10::boolean OR month <> 'infinity'::date)
               AND (cardinality($5::text[]) = 0 OR event_type = ANY($5))",
            &[
                &west,
                &south,
                &east,
                &north,
                &query.event_types,
                &grid,
                &deg,
                &month_from,
                &month_to,
                &any_dates,
            ],
        )?
        .get(0))
}

fn cell_of(row: &postgres::Row) -> Cell {
    Cell {
        lat: row.get(0),
        lon: row.get(1),
        count: row.get(2),
        fatalities: row.get(3),
    }
}

/// An incident from a layer row of a window query.
fn layer_incident(row: &postgres::Row) -> Option<Incident> {
    use crate::store::{DatePrecision, Location, LocationPrecision, Review, SubEventType};
    let sub_event_type = SubEventType::parse(row.get(5))?;
    let actors: Option<String> = row.get(6);
    let status: String = row.get(13);
    let edited: Option<String> = row.get(14);
    Some(Incident {
        id: row.get(2),
        date: row.get(3),
        date_precision: row
            .get::<_, Option<&str>>(4)
            .and_then(DatePrecision::parse)
            .unwrap_or(DatePrecision::Unknown),
        event_type: sub_event_type.event_type(),
        sub_event_type,
        actors: actors
            .map(|a| {
                a.split("; ")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        fatalities: row
            .get::<_, Option<i32>>(7)
            .and_then(|f| u32::try_from(f).ok()),
        counts: Default::default(),
        location: Location {
            name: row.get::<_, Option<String>>(8).unwrap_or_default(),
            country: row.get(9),
            admin1: row.get(10),
            admin2: None,
            admin3: None,
            precision: row
                .get::<_, Option<&str>>(11)
                .and_then(LocationPrecision::parse)
                .unwrap_or(LocationPrecision::Point),
            lat: row.get(1),
            lon: row.get(0),
            gazetteer_id: None,
            confidence: None,
        },
        sources: Vec::new(),
        coded: None,
        summary: row.get::<_, Option<String>>(12).unwrap_or_default(),
        review: Review {
            edited: edited
                .map(|e| e.split(", ").map(str::to_owned).collect())
                .unwrap_or_default(),
            reviewed: status == "reviewed",
            rejected: row.get(15),
            ..Review::default()
        },
    })
}

/// A connection listening on [`CHANNEL`].
pub struct Listener {
    target: connect::Target,
    client: Option<Client>,
}

impl Listener {
    fn connect(&mut self) -> Result<(), String> {
        self.client = None;
        let mut client = self.target.connect()?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(sql(&self.target.url))?;
        self.client = Some(client);
        Ok(())
    }

    /// Waits up to `timeout` for a change; true when one (or more) arrived. A lost link is
    /// connected again on the next call.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool, String> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.connect()?;
            // Changes made while the link was down were not heard: say so.
            return Ok(true);
        }
        let Some(client) = self.client.as_mut() else {
            return Ok(false);
        };
        let first = client.notifications().timeout_iter(timeout).next();
        match first {
            Ok(Some(_)) => {
                // Take in the others that came at once without waiting again.
                let mut notifications = client.notifications();
                let mut pending = notifications.iter();
                while let Ok(Some(_)) = pending.next() {}
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => {
                self.client = None;
                Err(sql(&self.target.url)(e))
            }
        }
    }
}

enum Recorded {
    Written((i64, String, jiff::Timestamp, i64), Store),
    Done((i64, String, jiff::Timestamp, i64)),
    Behind,
    Stale(Box<Correction>),
}

/// How long to wait before trying again, the nth time.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(attempt.min(5)))
}

/// A key that names one attempt to record a correction, so that trying again after a lost
/// answer does not record it twice.
fn client_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = jiff::Timestamp::now().as_nanosecond();
    format!(
        "{}-{now}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Whether their correction is about the same incident (or article) as mine.
fn touches(theirs: &Correction, mine: &Correction) -> bool {
    if matches!(mine.change, Change::Add { .. }) {
        return false;
    }
    if let (Change::SetArticle { .. }, Change::SetArticle { .. }) = (&theirs.change, &mine.change) {
        return theirs.target.article == mine.target.article;
    }
    let same = |a: &Anchor, b: &Anchor| {
        (!a.id.is_empty() && a.id == b.id)
            || (a.article == b.article && a.start < b.end && b.start < a.end)
    };
    anchors(theirs)
        .iter()
        .any(|a| anchors(mine).iter().any(|b| same(a, b)))
}

fn anchors(correction: &Correction) -> Vec<&Anchor> {
    let mut list = vec![&correction.target];
    match &correction.change {
        Change::Merge { other } => list.push(other),
        Change::Split { source } => list.push(source),
        Change::Add { .. } => {
            list.clear();
        }
        _ => {}
    }
    list
}

/// Creates the tables or brings them up to [`SCHEMA_VERSION`], one transaction per step; a
/// layout newer than this build is refused.
fn migrate(client: &mut Client, url: &ServerUrl, create: bool) -> Result<(), String> {
    let error = sql(url);
    let has_version: bool = client
        .query_one("SELECT to_regclass('incident_map_schema') IS NOT NULL", &[])
        .map_err(&error)?
        .get(0);
    let version: i32 = if has_version {
        client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM incident_map_schema",
                &[],
            )
            .map_err(&error)?
            .get(0)
    } else if create {
        0
    } else {
        return Err(format!(
            "{url}: no incident-map workspace in this database (create one with `incident-map workspace new {url}`)"
        ));
    };
    if version > SCHEMA_VERSION {
        return Err(format!(
            "{url}: workspace layout {version} is newer than this build reads ({SCHEMA_VERSION}); update incident-map"
        ));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let postgis: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')",
            &[],
        )
        .map_err(&error)?
        .get(0);
    if !postgis {
        client
            .batch_execute("CREATE EXTENSION IF NOT EXISTS postgis")
            .map_err(|e| {
                format!(
                    "{url}: PostGIS is not enabled in database {} and this role cannot enable it: ask its owner to run CREATE EXTENSION postgis ({})",
                    client_database(url),
                    connect::describe(&e)
                )
            })?;
    }
    let mut tx = client.transaction().map_err(&error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .map_err(&error)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS incident_map_schema (
             version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())",
    )
    .map_err(&error)?;
    // Another client may have migrated while this one waited for the lock.
    let version: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM incident_map_schema",
            &[],
        )
        .map_err(&error)?
        .get(0);
    for (index, step) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.batch_execute(step).map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                format!(
                    "{url}: the workspace's layout ({version}) is older than this build's ({SCHEMA_VERSION}) and your database role may not bring it up to date: the workspace's owner opens it once with this build ({})",
                    connect::describe(&e)
                )
            } else {
                error(e)
            }
        })?;
        tx.execute(
            "INSERT INTO incident_map_schema (version) VALUES ($1)",
            &[&(index as i32 + 1)],
        )
        .map_err(&error)?;
    }
    tx.commit().map_err(&error)
}

fn client_database(url: &ServerUrl) -> String {
    url.shown()
        .rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .unwrap_or("?")
        .to_owned()
}

fn generation(tx: &mut Transaction<'_>) -> Result<i64, postgres::Error> {
    Ok(tx
        .query_one(
            "SELECT value::bigint FROM incident_map_meta WHERE key = 'generation'",
            &[],
        )?
        .get(0))
}

/// How many times the marks have changed.
fn marks_change(client: &mut impl postgres::GenericClient) -> Result<i64, postgres::Error> {
    Ok(client
        .query_one(
            "SELECT coalesce((SELECT value::bigint FROM incident_map_meta WHERE key = 'marks'), 0)",
            &[],
        )?
        .get(0))
}

/// Counts a change to the marks and tells the others' viewers when it commits.
fn marks_changed(tx: &mut Transaction<'_>) -> Result<(), postgres::Error> {
    let marks: i64 = tx
        .query_one(
            "UPDATE incident_map_meta SET value = (value::bigint + 1)::text
             WHERE key = 'marks' RETURNING value::bigint",
            &[],
        )?
        .get(0);
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CHANNEL, &format!("marks {marks}")],
    )?;
    Ok(())
}

fn last_change(tx: &mut Transaction<'_>) -> Result<i64, postgres::Error> {
    Ok(tx
        .query_one(
            "SELECT coalesce(max(changed), 0) FROM incident_map_corrections",
            &[],
        )?
        .get(0))
}

type CorrectionRow = Result<Correction, String>;

fn correction_of(row: &postgres::Row) -> CorrectionRow {
    let seq: i64 = row.get("seq");
    let body: String = row.get("body");
    let change: Change =
        serde_json::from_str(&body).map_err(|e| format!("correction {seq}: body: {e}"))?;
    Ok(Correction {
        seq,
        author: row.get("author"),
        at: row.get("at"),
        target: Anchor {
            article: row.get("article"),
            start: usize::try_from(row.get::<_, i64>("span_start")).unwrap_or(0),
            end: usize::try_from(row.get::<_, i64>("span_end")).unwrap_or(0),
            text: row.get("span_text"),
            id: row.get("incident_id"),
        },
        change,
        why: row.get("why"),
    })
}

const CORRECTION_COLUMNS: &str =
    "seq, author, at, article, span_start, span_end, span_text, incident_id, body, why, undone_at";

fn read_changed_since(
    tx: &mut Transaction<'_>,
    change: i64,
) -> Result<Vec<CorrectionRow>, postgres::Error> {
    Ok(tx
        .query(
            &format!(
                "SELECT {CORRECTION_COLUMNS} FROM incident_map_corrections
                 WHERE changed > $1 ORDER BY changed"
            ),
            &[&change],
        )?
        .iter()
        .map(correction_of)
        .collect())
}

fn read_corrections(
    tx: &mut Transaction<'_>,
) -> Result<(Vec<Correction>, Vec<Correction>), String> {
    let rows = tx
        .query(
            &format!("SELECT {CORRECTION_COLUMNS} FROM incident_map_corrections ORDER BY seq"),
            &[],
        )
        .map_err(|e| connect::describe(&e))?;
    let mut active = Vec::new();
    let mut undone = Vec::new();
    for row in &rows {
        let correction = correction_of(row)?;
        match row.get::<_, Option<jiff::Timestamp>>("undone_at") {
            Some(when) => undone.push((when, correction)),
            None => active.push(correction),
        }
    }
    undone.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.seq.cmp(&b.1.seq)));
    Ok((active, undone.into_iter().map(|(_, c)| c).collect()))
}

fn read_machine(tx: &mut Transaction<'_>) -> Result<Machine, String> {
    let describe = |e: postgres::Error| connect::describe(&e);
    let mut machine = Machine {
        store: Store {
            schema: STORE_SCHEMA.to_owned(),
            ..Store::default()
        },
        ..Machine::default()
    };
    let rows = tx
        .query(
            "SELECT id, origin, title, publisher, published, url, text, source, boilerplate
             FROM incident_map_articles ORDER BY position",
            &[],
        )
        .map_err(describe)?;
    for row in &rows {
        let id: String = row.get(0);
        let origin: String = row.get(1);
        let text: String = row.get(6);
        if let Some(json) = row.get::<_, Option<String>>(8) {
            let ranges = held_ranges(&json, &text)
                .map_err(|e| format!("article {id}: bad boilerplate ranges: {e}"))?;
            machine.held_boilerplate.insert(id.clone(), ranges);
        }
        if let Some(source) = row.get::<_, Option<String>>(7) {
            machine.origins.insert(id.clone(), PathBuf::from(source));
        }
        if origin == "imported" {
            machine.imported.insert(id.clone());
        }
        machine.store.articles.push(Article {
            id,
            title: row.get(2),
            publisher: row.get(3),
            published: row.get(4),
            url: row.get(5),
            text,
        });
    }
    let rows = tx
        .query(
            "SELECT incident_id, body FROM incident_map_machine ORDER BY position",
            &[],
        )
        .map_err(describe)?;
    for row in &rows {
        let id: String = row.get(0);
        let body: String = row.get(1);
        let incident: Incident =
            serde_json::from_str(&body).map_err(|e| format!("machine incident {id}: {e}"))?;
        machine.store.incidents.push(incident);
    }
    Ok(machine)
}

fn write_machine(
    tx: &mut Transaction<'_>,
    sources: &[Source],
    machine: &Machine,
) -> Result<(), postgres::Error> {
    tx.execute("DELETE FROM incident_map_articles", &[])?;
    tx.execute("DELETE FROM incident_map_machine", &[])?;
    for source in sources {
        if matches!(source, Source::Workspace(_) | Source::Server(_)) {
            continue;
        }
        tx.execute(
            "INSERT INTO incident_map_sources (kind, location) VALUES ($1, $2)
             ON CONFLICT (location) DO NOTHING",
            &[
                &source_kind(source),
                &source.path().to_string_lossy().as_ref(),
            ],
        )?;
    }
    let mut rows = copy::Rows::start(
        tx,
        "incident_map_articles",
        "id, origin, title, publisher, published, url, text, source, boilerplate",
    )?;
    for article in &machine.store.articles {
        let origin = if machine.imported.contains(&article.id) {
            "imported"
        } else {
            "extracted"
        };
        let source = machine
            .origins
            .get(&article.id)
            .map(|p| p.to_string_lossy().into_owned());
        let boilerplate = machine
            .held_boilerplate
            .get(&article.id)
            .and_then(|ranges| serde_json::to_string(ranges).ok());
        rows.text(Some(&article.id))
            .text(Some(origin))
            .text(article.title.as_deref())
            .text(article.publisher.as_deref())
            .plain(article.published)
            .text(article.url.as_deref())
            .text(Some(&article.text))
            .text(source.as_deref())
            .text(boilerplate.as_deref())
            .end_row();
    }
    rows.finish()?;
    let mut rows = copy::Rows::start(tx, "incident_map_machine", "incident_id, body")?;
    for incident in &machine.store.incidents {
        let body = serde_json::to_string(incident).unwrap_or_default();
        rows.text(Some(&incident.id)).text(Some(&body)).end_row();
    }
    rows.finish()?;
    Ok(())
}

/// The columns of the layer after its `fid`.
const LAYER_COLUMNS: &str = "geom, incident_id, event_date, date_precision, event_type, \
    sub_event_type, actors, fatalities, place, country, admin1, location_precision, summary, \
    articles, status, edited, rejected_reason";

/// Writes every incident of `store` into the (emptied) layer in one COPY.
fn copy_layer(tx: &mut Transaction<'_>, store: &Store) -> Result<(), postgres::Error> {
    let mut rows = copy::Rows::start(tx, "incidents", LAYER_COLUMNS)?;
    for incident in &store.incidents {
        layer_row(&mut rows, incident);
    }
    rows.finish()?;
    Ok(())
}

/// One incident as a COPY row of the layer.
fn layer_row(rows: &mut copy::Rows<'_>, incident: &Incident) {
    let row = LayerRow::of(incident);
    {
        rows.point(row.lon, row.lat)
            .text(Some(&incident.id))
            .plain(incident.date)
            .text(Some(row.date_precision))
            .text(Some(row.event_type))
            .text(Some(row.sub_event_type))
            .text(Some(&row.actors))
            .plain(incident.fatalities)
            .text(Some(row.place))
            .text(row.country)
            .text(row.admin1)
            .text(Some(row.location_precision))
            .text(Some(&incident.summary))
            .text(Some(&row.articles))
            .text(Some(row.status))
            .text(row.edited.as_deref())
            .text(row.rejected)
            .end_row();
    }
}

/// Brings the layer from `before` (or from nothing: a full rewrite) to `after`, touching only
/// the rows that differ.
fn write_layer(
    tx: &mut Transaction<'_>,
    before: Option<&Store>,
    after: &Store,
) -> Result<(), postgres::Error> {
    let Some(before) = before else {
        tx.execute("DELETE FROM incidents", &[])?;
        return copy_layer(tx, after);
    };
    let old: HashMap<&str, &Incident> = before
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let new: HashMap<&str, &Incident> =
        after.incidents.iter().map(|i| (i.id.as_str(), i)).collect();
    let delete = tx.prepare("DELETE FROM incidents WHERE incident_id = $1")?;
    for (id, incident) in &old {
        if new.get(id).is_none_or(|now| now != incident) {
            tx.execute(&delete, &[id])?;
        }
    }
    let insert = tx.prepare(&format!(
        "INSERT INTO incidents ({LAYER_COLUMNS})
         VALUES (ST_SetSRID(ST_MakePoint($1, $2), 4326), $3, $4, $5, $6, $7, $8, $9, $10,
                 $11, $12, $13, $14, $15, $16, $17, $18)"
    ))?;
    for incident in &after.incidents {
        if old.get(incident.id.as_str()) == Some(&incident) {
            continue;
        }
        let row = LayerRow::of(incident);
        let fatalities = incident
            .fatalities
            .map(|f| i32::try_from(f).unwrap_or(i32::MAX));
        tx.execute(
            &insert,
            &[
                &row.lon,
                &row.lat,
                &incident.id,
                &incident.date,
                &row.date_precision,
                &row.event_type,
                &row.sub_event_type,
                &row.actors,
                &fatalities,
                &row.place,
                &row.country,
                &row.admin1,
                &row.location_precision,
                &incident.summary,
                &row.articles,
                &row.status,
                &row.edited,
                &row.rejected,
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_range_is_cut_into_whole_months_and_the_days_at_its_ends() {
        let d = |y, m, day| jiff::civil::date(y, m, day);
        // Unbounded: every month, the undated too.
        assert_eq!(
            month_cut(None, None),
            MonthCut {
                months: Some((None, None)),
                head: None,
                tail: None
            }
        );
        // Mid-month to mid-month: the days before and after the whole months.
        let cut = month_cut(Some(d(2023, 1, 15)), Some(d(2023, 4, 10)));
        assert_eq!(cut.months, Some((Some(d(2023, 2, 1)), Some(d(2023, 3, 1)))));
        assert_eq!(cut.head, Some((d(2023, 1, 15), d(2023, 1, 31))));
        assert_eq!(cut.tail, Some((d(2023, 4, 1), d(2023, 4, 10))));
        // Whole months exactly: nothing read day by day.
        let cut = month_cut(Some(d(2023, 1, 1)), Some(d(2023, 12, 31)));
        assert_eq!(
            cut.months,
            Some((Some(d(2023, 1, 1)), Some(d(2023, 12, 1))))
        );
        assert_eq!((cut.head, cut.tail), (None, None));
        // Inside one month: all of it day by day.
        let cut = month_cut(Some(d(2024, 2, 3)), Some(d(2024, 2, 20)));
        assert_eq!(cut.months, None);
        assert_eq!(cut.head, Some((d(2024, 2, 3), d(2024, 2, 20))));
        // Open at one end.
        let cut = month_cut(Some(d(2024, 2, 3)), None);
        assert_eq!(cut.months, Some((Some(d(2024, 3, 1)), None)));
        assert_eq!(cut.head, Some((d(2024, 2, 3), d(2024, 2, 29))));
        assert_eq!(cut.tail, None);
        // Grids: the coarsest that fits in the cells asked for.
        assert_eq!(counted_grid(2.0), Some((0, 1.0)));
        assert_eq!(counted_grid(0.5), Some((1, 0.25)));
        assert_eq!(counted_grid(0.1), None);
    }
}
