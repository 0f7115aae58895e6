//! The workspace: the incidents that are open, where they came from, and the work that joins
//! the stages below (articles, extraction, exchange) to the faces above (the window, the command
//! line, briefings). Opening sources, ingesting articles, merging stores, finding area shapes,
//! filtering and running work in the background each have one home here:
//!
//! - [`Source`] and [`Workspace::open`]: what was asked for, read and merged;
//! - [`ingest`]: articles → incidents, the one sequence;
//! - [`shapes`]: the area and border shapes incidents refer to;
//! - [`filter`]: the one [`Filter`](filter::Filter) and its command-line flags;
//! - [`job`]: the one way to do work off the window's thread.

pub mod annotations;
pub mod corrections;
pub mod desk;
pub mod file;
pub mod filter;
pub mod ingest;
pub mod job;
pub mod places;
pub mod saved;
pub mod server;
pub mod shapes;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::store::Store;
use shapes::Shapes;

/// One thing the user opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of incidents: a store (.json), GeoJSON, an ACLED-format or plain CSV.
    Incidents(PathBuf),
    /// Articles to ingest: a text file or a folder of them.
    Articles(PathBuf),
    /// A workspace file: incidents, their articles and the analyst's corrections.
    Workspace(PathBuf),
    /// Articles the workspace holds itself, with no file to read again: a page fetched from a
    /// URL (the location is the URL) or a pasted text (`pasted:ID`). Kept as stored and
    /// extracted anew at each re-ingest.
    Held(String),
    /// A workspace shared on a PostgreSQL server (`postgres://user@host/database`).
    Server(server::ServerUrl),
}

impl Source {
    /// Tells articles (a folder, or a text, web page or PDF file) and workspaces (.gpkg) from
    /// incident files.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        if let Some(text) = path.to_str()
            && server::is_server_url(text)
        {
            return Self::Server(server::ServerUrl::new(text));
        }
        // A GeoPackage made elsewhere is a layer of incidents to import, not a workspace.
        if file::is_workspace_path(&path) && !crate::exchange::geopackage::is_foreign(&path) {
            return Self::Workspace(path);
        }
        if path.is_dir() || crate::articles::is_article_file(&path) {
            Self::Articles(path)
        } else {
            Self::Incidents(path)
        }
    }

    /// The bundled incident store.
    pub fn bundled() -> Self {
        Self::Incidents(bundled_store())
    }

    pub fn path(&self) -> &Path {
        match self {
            Self::Incidents(path) | Self::Articles(path) | Self::Workspace(path) => path,
            Self::Held(location) => Path::new(location),
            Self::Server(url) => Path::new(url.shown()),
        }
    }

    /// The file or folder name, for titles and status lines.
    pub fn name(&self) -> String {
        if let Self::Held(location) = self {
            return location.clone();
        }
        if let Self::Server(url) = self {
            return url.to_string();
        }
        let path = self.path();
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path().display())
    }
}

/// Past how many incidents the viewer reads a server workspace window by window.
pub const WINDOW_ABOVE: usize = 500_000;

/// The bundled store's path.
pub fn bundled_store() -> PathBuf {
    crate::data_dir().join("incidents.json")
}

/// Whether these sources open in an instant (small stores), so that a window can show them in
/// its first frame instead of behind a progress bar.
pub fn opens_quickly(sources: &[Source]) -> bool {
    sources.iter().all(|source| match source {
        Source::Incidents(path) => {
            path.extension().is_some_and(|e| e == "json")
                && std::fs::metadata(path).is_ok_and(|m| m.len() < 5_000_000)
        }
        Source::Articles(_) | Source::Held(_) => false,
        // A workspace holds its incidents ready; opening one is a read of its tables.
        Source::Workspace(path) => std::fs::metadata(path).is_ok_and(|m| m.len() < 20_000_000),
        // A server may be far, or down: never in the first frame.
        Source::Server(_) => false,
    })
}

/// Something found while opening that did not stop it: one line for a banner, and the details
/// (each skipped row, say) for a terminal that has room for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub summary: String,
    pub details: Vec<String>,
}

impl Problem {
    pub fn new(summary: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            details: Vec::new(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)
    }
}

/// The incidents open, where they came from, and the shapes of their areas.
pub struct Workspace {
    /// Shared, so that work in the background (the viewer's filtering, a briefing's render)
    /// reads it without a copy; a change while such work holds it changes a copy
    /// ([`Arc::make_mut`]), and the work's result is for the store as it was.
    pub store: Arc<Store>,
    pub sources: Vec<Source>,
    /// Problems found while opening that did not stop it, each naming its file.
    pub problems: Vec<Problem>,
    /// What each imported file was read as and its counts: rows read, kept, skipped by
    /// reason (see [`crate::exchange::Imported::report`]).
    pub imports: Vec<String>,
    /// Area and line shapes by gazetteer id, looked up when first asked for: the window and
    /// briefings draw them, an export does not need them.
    shapes: OnceLock<Result<Shapes, String>>,
    /// The machine's incidents, the analyst's corrections and the file they are saved in.
    desk: desk::Desk,
}

impl Default for Workspace {
    fn default() -> Self {
        Self::new(Store::default(), Vec::new())
    }
}

impl Workspace {
    /// A workspace over a store already in memory.
    pub fn new(store: Store, sources: Vec<Source>) -> Self {
        Self {
            store: Arc::new(store),
            sources,
            problems: Vec::new(),
            imports: Vec::new(),
            shapes: OnceLock::new(),
            desk: desk::Desk::default(),
        }
    }

    /// A workspace over a store read from incident files and articles, ready for corrections
    /// (kept in memory until saved with [`Workspace::save_as`]).
    fn from_machine(machine: file::Machine, sources: Vec<Source>) -> Self {
        let mut workspace = Self::new(machine.store.clone(), sources);
        workspace.desk.machine = machine;
        workspace
    }

    /// Forgets the area shapes if the places referred to changed.
    fn reset_shapes(&mut self) {
        let Some(Ok(shapes)) = self.shapes.get() else {
            self.shapes = OnceLock::new();
            return;
        };
        let _ = shapes;
        self.shapes = OnceLock::new();
    }

    /// The shapes of the areas and borders the incidents are placed on, or why they cannot be
    /// drawn.
    pub fn shapes(&self) -> Result<&Shapes, &str> {
        self.shapes
            .get_or_init(|| shapes::area_shapes(&self.store))
            .as_ref()
            .map_err(String::as_str)
    }

    /// What is open, for the window's title and status lines.
    pub fn name(&self) -> String {
        if self.sources.is_empty() {
            return "no data".to_owned();
        }
        self.sources
            .iter()
            .map(Source::name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Opens sources for the viewer: as [`Self::open`], except that a server workspace with more
    /// than `window_above` incidents is read window by window instead of loaded.
    pub fn open_for_view(
        sources: &[Source],
        window_above: usize,
        mapping: &crate::exchange::Mapping,
        progress: &dyn Fn(f32, String),
    ) -> Result<Self, String> {
        match sources {
            [server @ Source::Server(_)] => {
                progress(0.0, format!("Opening {server}"));
                Self::open_for_viewing(server, window_above)
            }
            _ => Self::open_mapped(sources, mapping, progress),
        }
    }

    /// Opens incident files (stores, GeoJSON, ACLED and plain CSV) and ingests article
    /// sources, merging them into one store. A source that fails is named among the problems
    /// and the rest still open; it fails only when nothing at all could be read.
    /// `progress` gets the fraction done and what is happening.
    pub fn open(sources: &[Source], progress: &dyn Fn(f32, String)) -> Result<Self, String> {
        Self::open_mapped(sources, &crate::exchange::Mapping::default(), progress)
    }

    /// [`Workspace::open`], with columns named by hand for tables whose fields are not guessed
    /// (`--map date=when,type=category`).
    pub fn open_mapped(
        sources: &[Source],
        mapping: &crate::exchange::Mapping,
        progress: &dyn Fn(f32, String),
    ) -> Result<Self, String> {
        let mut workspaces = sources
            .iter()
            .filter(|s| matches!(s, Source::Workspace(_) | Source::Server(_)));
        if let Some(saved) = workspaces.next() {
            progress(0.0, format!("Opening {saved}"));
            let mut workspace = Self::open_saved(saved)?;
            if let Some(other) = workspaces.next() {
                workspace.problems.push(Problem::new(format!(
                    "{saved}: one workspace is open at a time; {other} was not opened"
                )));
            }
            if sources.len() > 1 + workspaces.count() {
                workspace.problems.push(Problem::new(format!(
                    "other files are added to a workspace with `incident-map workspace add {saved}`"
                )));
            }
            return Ok(workspace);
        }
        let mut problems = Vec::new();
        let mut imports = Vec::new();
        let mut merged = Store::default();
        let mut machine = file::Machine::default();
        for source in sources {
            if let Source::Incidents(path) = source {
                progress(0.0, format!("Reading {}", path.display()));
                match crate::exchange::import_mapped(path, mapping) {
                    Ok(imported) => {
                        // A store is ours and whole: only other files get a count line.
                        if imported.unit != "incidents" {
                            imports.push(imported.report(path));
                        }
                        if let Some(summary) = imported.problem_summary(path) {
                            problems.push(Problem {
                                summary,
                                details: imported
                                    .problems
                                    .iter()
                                    .map(|row| format!("{}: skipped {row}", path.display()))
                                    .collect(),
                            });
                        }
                        for article in &imported.store.articles {
                            machine.imported.insert(article.id.clone());
                            machine.origins.insert(article.id.clone(), path.clone());
                        }
                        merge_store(&mut merged, imported.store, &mut problems);
                    }
                    Err(e) => problems.push(Problem::new(e.to_string())),
                }
            }
        }
        let article_paths: Vec<PathBuf> = sources
            .iter()
            .filter_map(|s| match s {
                Source::Articles(path) => Some(path.clone()),
                Source::Incidents(_)
                | Source::Workspace(_)
                | Source::Held(_)
                | Source::Server(_) => None,
            })
            .collect();
        if !article_paths.is_empty() {
            match ingest::ingest(&article_paths, &mut |step| {
                progress(step.fraction(), step.describe())
            }) {
                Ok(ingested) => {
                    problems.extend(ingested.skipped.into_iter().map(Problem::new));
                    let unresolved = ingested.extraction.stats.unresolved;
                    if unresolved > 0 {
                        problems.push(Problem::new(format!(
                            "{unresolved} reported incidents were left out because their place could not be resolved"
                        )));
                    }
                    for article in &ingested.extraction.store.articles {
                        if let Some(origin) = article_paths.first() {
                            machine.origins.insert(article.id.clone(), origin.clone());
                        }
                    }
                    merge_store(&mut merged, ingested.extraction.store, &mut problems);
                }
                Err(e) => problems.push(Problem::new(e)),
            }
        }
        if merged.incidents.is_empty() && merged.articles.is_empty() && !problems.is_empty() {
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(all.join("\n"));
        }
        machine.store = merged;
        let mut workspace = Self::from_machine(machine, sources.to_vec());
        workspace.problems = problems;
        workspace.imports = imports;
        Ok(workspace)
    }
}

/// Adds one store to another; articles and incidents already present (same id) are kept once.
pub(super) fn merge_store(into: &mut Store, from: Store, problems: &mut Vec<Problem>) {
    let known_articles: HashSet<String> = into.articles.iter().map(|a| a.id.clone()).collect();
    let known_incidents: HashSet<String> = into.incidents.iter().map(|i| i.id.clone()).collect();
    let mut skipped = 0;
    into.articles.extend(
        from.articles
            .into_iter()
            .filter(|a| !known_articles.contains(&a.id)),
    );
    for incident in from.incidents {
        if known_incidents.contains(&incident.id) {
            skipped += 1;
        } else {
            into.incidents.push(incident);
        }
    }
    if skipped > 0 {
        problems.push(Problem::new(format!(
            "{skipped} incidents were already loaded and are shown once"
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_text_files_are_articles_everything_else_incidents() {
        assert!(matches!(
            Source::from_path(crate::data_dir().join("articles")),
            Source::Articles(_)
        ));
        assert!(matches!(
            Source::from_path("report.TXT"),
            Source::Articles(_)
        ));
        assert!(matches!(
            Source::from_path("acled.csv"),
            Source::Incidents(_)
        ));
        assert_eq!(Source::bundled().name(), "incidents.json");
    }

    #[test]
    fn opening_the_same_store_twice_keeps_each_incident_once() -> Result<(), String> {
        let sources = [Source::bundled(), Source::bundled()];
        assert!(opens_quickly(&sources));
        let once = Workspace::open(&sources[..1], &|_, _| {})?;
        let twice = Workspace::open(&sources, &|_, _| {})?;
        assert_eq!(once.store.incidents.len(), twice.store.incidents.len());
        assert!(
            twice
                .problems
                .iter()
                .any(|p| p.summary.contains("already loaded")),
            "{:?}",
            twice.problems
        );
        assert_eq!(twice.name(), "incidents.json, incidents.json");
        assert!(
            once.shapes().is_ok_and(|shapes| !shapes.is_empty()),
            "area incidents come with their shapes"
        );
        Ok(())
    }

    #[test]
    fn a_source_that_fails_is_named_and_the_rest_open() -> Result<(), String> {
        let missing = Source::Incidents(PathBuf::from("/nonexistent/incidents.json"));
        let workspace = Workspace::open(&[missing.clone(), Source::bundled()], &|_, _| {})?;
        assert!(!workspace.store.incidents.is_empty());
        assert!(
            workspace
                .problems
                .iter()
                .any(|p| p.summary.contains("/nonexistent/incidents.json")),
            "{:?}",
            workspace.problems
        );
        let error = Workspace::open(&[missing], &|_, _| {}).err();
        assert!(error.is_some_and(|e| e.contains("/nonexistent")));
        Ok(())
    }
}
