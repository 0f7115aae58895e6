//! The analyst's desk: the machine's incidents, the corrections over them, undo and redo, and
//! the workspace file they are saved in. The window and `incident-map workspace` both change
//! incidents only through [`Workspace::correct`], [`Workspace::undo`] and [`Workspace::redo`],
//! and bring in articles only through [`Workspace::reingest`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::annotations::{Annotation, Mark};
use super::corrections::{self, Anchor, Change, Correction, Orphan};
use super::file::Machine;
use super::saved::Saved;
use super::server::{Listener, RecordError, ServerUrl};
use super::{Problem, Source, Workspace, ingest};
use crate::articles::{self, LoadedArticle};
use crate::store::Store;

/// The corrections and the file behind a workspace.
#[derive(Debug, Default)]
pub struct Desk {
    pub(super) file: Option<Saved>,
    pub(super) machine: Machine,
    /// In force, in the order they apply.
    pub(super) corrections: Vec<Correction>,
    /// Undone, the most recently undone last: what redo brings back.
    pub(super) undone: Vec<Correction>,
    pub(super) orphans: Vec<Orphan>,
    /// On a server workspace too large to hold: how many incidents it has. Its map reads the
    /// window it shows from the server; nothing else is loaded.
    pub(super) windowed: Option<i64>,
    /// The analyst's marks on the map, in the order made.
    pub(super) annotations: Vec<Annotation>,
}

/// What a correction is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// An incident of the workspace's store, by index.
    Incident(usize),
    /// Words of an article: the evidence of an incident to add.
    Span(Anchor),
    /// An article, by id.
    Article(String),
}

/// Who is making corrections: the login name, as version-control tools record it.
pub fn author() -> String {
    ["INCIDENT_MAP_AUTHOR", "USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "analyst".to_owned())
}

/// The machine's incidents with `corrections` applied: the store everyone sees, and the
/// corrections that found nothing to apply to.
fn rebuild(machine: &Machine, corrections: &[Correction]) -> (Store, Vec<Orphan>) {
    let mut base = machine.store.clone();
    let (_, mut orphans) = corrections::apply_article_meta(&mut base.articles, corrections);
    let applied = corrections::apply(&base, corrections);
    orphans.extend(applied.orphans);
    (applied.store, orphans)
}

/// What a re-ingest found.
#[derive(Debug, Default)]
pub struct Reingested {
    pub articles: usize,
    pub incidents: usize,
    pub problems: Vec<Problem>,
}

impl Workspace {
    /// Opens a workspace file: its machine incidents with the analyst's corrections over them.
    pub fn open_file(path: &Path) -> Result<Self, String> {
        Self::open_saved(&Source::Workspace(path.to_owned()))
    }

    /// Opens a saved workspace: a file, or a server's (`Source::Server`).
    pub fn open_saved(source: &Source) -> Result<Self, String> {
        Self::from_saved(Saved::open(source)?)
    }

    /// Opens a saved workspace for viewing: a server workspace with more than `window_above`
    /// incidents is not loaded but read window by window ([`Self::window_reader`]).
    pub fn open_for_viewing(source: &Source, window_above: usize) -> Result<Self, String> {
        let saved = Saved::open(source)?;
        let size = match saved.server() {
            Some(server) => server.layer_count()?,
            None => 0,
        };
        if size <= i64::try_from(window_above).unwrap_or(i64::MAX) {
            return Self::from_saved(saved);
        }
        let store = Store {
            schema: crate::store::SCHEMA.to_owned(),
            ..Store::default()
        };
        let mut workspace = Self::new(store, vec![saved.source()]);
        workspace.problems.push(super::Problem::new(format!(
            "{}: {size} incidents, more than the viewer holds at once: the map reads what it shows from the server (filtered by date and type); corrections are made in smaller workspaces",
            saved.source()
        )));
        workspace.desk.file = Some(saved);
        workspace.desk.windowed = Some(size);
        Ok(workspace)
    }

    /// How many incidents a workspace read window by window holds (none when it is loaded).
    pub fn windowed(&self) -> Option<i64> {
        self.desk.windowed
    }

    /// A reader of the map's windows, for a workspace read window by window.
    pub fn window_reader(&self) -> Option<super::server::WindowReader> {
        self.desk.windowed?;
        Some(self.desk.file.as_ref()?.server()?.window_reader())
    }

    fn from_saved(file: Saved) -> Result<Self, String> {
        let machine = file.machine()?;
        let (corrections, undone) = file.corrections()?;
        let annotations = file.annotations()?;
        let (store, orphans) = rebuild(&machine, &corrections);
        // A file damaged on disk or written by hand must not reach the map half-consistent.
        store.validate().map_err(|e| {
            format!(
                "{}: the workspace is damaged ({e}); it was left as it is",
                file.source()
            )
        })?;
        let mut workspace = Self::new(store, vec![file.source()]);
        workspace.desk = Desk {
            file: Some(file),
            machine,
            corrections,
            undone,
            orphans,
            windowed: None,
            annotations,
        };
        Ok(workspace)
    }

    /// Creates a workspace file at `path` holding what is open and every correction made so
    /// far; from now on each correction is saved in it at once.
    pub fn save_as(&mut self, path: &Path) -> Result<(), String> {
        self.save_to(&Source::Workspace(path.to_owned()))
    }

    /// Saves what is open, with every correction (their authors and times kept), as a new
    /// workspace where `to` says: a new file, or an empty database on a server. From now on
    /// corrections are saved there.
    pub fn save_to(&mut self, to: &Source) -> Result<(), String> {
        let sources: Vec<Source> = match self.desk.file.as_ref() {
            Some(saved) => saved.sources()?,
            None => self
                .sources
                .iter()
                .filter(|s| !matches!(s, Source::Workspace(_) | Source::Server(_)))
                .map(absolute)
                .collect(),
        };
        let mut file = Saved::create(to)?;
        file.replace_machine(&sources, &self.desk.machine, &self.desk.machine.store)?;
        // The corrections again, one transaction each, as they were made.
        let mut before = self.desk.machine.store.clone();
        let mut recorded = Vec::new();
        for correction in &self.desk.corrections {
            let machine = &self.desk.machine;
            let so_far = recorded.clone();
            let (saved, after) = file
                .record(
                    correction.clone(),
                    &before,
                    |c| {
                        let mut all = so_far.clone();
                        all.push(c.clone());
                        rebuild(machine, &all).0
                    },
                    true,
                )
                .map_err(|e| match e {
                    RecordError::Failed(e) | RecordError::Stale(e) => e,
                    RecordError::Behind => {
                        "someone else changed the new workspace while it was being written"
                            .to_owned()
                    }
                })?;
            recorded.push(saved);
            before = after;
        }
        self.desk.corrections = recorded;
        self.desk.undone.clear();
        for annotation in &mut self.desk.annotations {
            *annotation = file.save_annotation(
                &Annotation {
                    id: 0,
                    ..annotation.clone()
                },
                true,
            )?;
        }
        self.sources = vec![file.source()];
        self.desk.file = Some(file);
        self.rebuild();
        Ok(())
    }

    /// The workspace file, if what is open is saved in one.
    pub fn file_path(&self) -> Option<&Path> {
        self.desk.file.as_ref().and_then(Saved::file_path)
    }

    /// Where the workspace is saved, for messages (a server's URL without its password).
    pub fn location(&self) -> Option<String> {
        self.desk
            .file
            .as_ref()
            .map(|saved| saved.source().to_string())
    }

    /// The server the workspace is shared on, if it is.
    pub fn server_url(&self) -> Option<&ServerUrl> {
        self.desk.file.as_ref().and_then(Saved::server_url)
    }

    /// Whether the workspace may only be read (a server role granted no writes).
    pub fn read_only(&self) -> bool {
        self.desk.file.as_ref().is_some_and(Saved::read_only)
    }

    /// A connection that hears others' changes to a shared workspace (none for a file).
    pub fn listen(&self) -> Option<Result<Listener, String>> {
        let server = self.desk.file.as_ref()?.server()?;
        Some(server.listen())
    }

    /// The same, connecting only when first waited on (from a background job).
    pub fn listener(&self) -> Option<Listener> {
        Some(self.desk.file.as_ref()?.server()?.listener())
    }

    /// Takes in what others changed on the server since this workspace last looked: their
    /// corrections, and the machine's side when someone re-ingested. Returns whether
    /// anything changed.
    pub fn refresh(&mut self) -> Result<bool, String> {
        let Some(server) = self.desk.file.as_ref().and_then(Saved::server) else {
            return Ok(false);
        };
        if self.desk.windowed.is_some() {
            // Nothing is held to bring up to date: the map reads its window again.
            return Ok(true);
        }
        let news = server.news()?;
        if news.is_empty() {
            return Ok(false);
        }
        if let Some(machine) = news.machine {
            self.desk.machine = machine;
        }
        if let Some((active, undone)) = news.corrections {
            self.desk.corrections = active;
            self.desk.undone = undone;
        }
        if let Some(annotations) = news.annotations {
            self.desk.annotations = annotations;
        }
        self.rebuild();
        Ok(true)
    }

    /// The corrections in force, in the order they apply.
    pub fn corrections(&self) -> &[Correction] {
        &self.desk.corrections
    }

    /// Corrections whose incident or article is no longer there.
    pub fn orphans(&self) -> &[Orphan] {
        &self.desk.orphans
    }

    /// The incident as the machine coded it, before any correction (none for one an analyst
    /// added).
    pub fn machine_incident(&self, id: &str) -> Option<&crate::store::Incident> {
        self.desk
            .machine
            .store
            .incidents
            .iter()
            .find(|i| i.id == id)
    }

    /// The analyst's marks on the map, in the order made.
    pub fn annotations(&self) -> &[Annotation] {
        &self.desk.annotations
    }

    /// Adds a mark, saved at once when the workspace is saved (a file or a server); returns
    /// its id.
    pub fn annotate(&mut self, mark: Mark, text: &str) -> Result<i64, String> {
        let mut annotation = Annotation::new(mark, text)?;
        match &self.desk.file {
            Some(file) => annotation = file.save_annotation(&annotation, false)?,
            None => {
                annotation.id = self
                    .desk
                    .annotations
                    .iter()
                    .map(|a| a.id)
                    .max()
                    .unwrap_or(0)
                    + 1;
            }
        }
        self.desk.annotations.push(annotation);
        Ok(self.desk.annotations.last().map_or(0, |a| a.id))
    }

    /// Changes mark `id` (moved, reshaped or reworded), saved at once when the workspace is.
    pub fn update_annotation(&mut self, id: i64, mark: Mark, text: &str) -> Result<(), String> {
        let position = self
            .desk
            .annotations
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(|| format!("no annotation {id}"))?;
        let mut annotation = Annotation::new(mark, text)?;
        annotation.id = id;
        if let Some(file) = &self.desk.file {
            annotation = file.save_annotation(&annotation, false)?;
        }
        self.desk.annotations[position] = annotation;
        Ok(())
    }

    /// Deletes mark `id`, from the saved workspace too.
    pub fn remove_annotation(&mut self, id: i64) -> Result<(), String> {
        let position = self
            .desk
            .annotations
            .iter()
            .position(|a| a.id == id)
            .ok_or_else(|| format!("no annotation {id}"))?;
        if let Some(file) = &self.desk.file {
            file.delete_annotation(id)?;
        }
        self.desk.annotations.remove(position);
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.desk.corrections.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.desk.undone.is_empty()
    }

    fn rebuild(&mut self) {
        let (store, orphans) = rebuild(&self.desk.machine, &self.desk.corrections);
        self.store = std::sync::Arc::new(store);
        self.desk.orphans = orphans;
        self.reset_shapes();
    }

    /// Makes a correction, saved at once when a file is open. Returns the index of the
    /// incident it was about, as the store now is (none for a change of an article).
    pub fn correct(
        &mut self,
        target: Target,
        change: Change,
        why: Option<String>,
    ) -> Result<Option<usize>, String> {
        self.refuse_windowed()?;
        let target = match target {
            Target::Incident(index) => {
                let incident = self
                    .store
                    .incidents
                    .get(index)
                    .ok_or_else(|| format!("no incident number {index}"))?;
                Anchor::of(&self.store, incident)
                    .ok_or_else(|| format!("incident {} cites no article", incident.id))?
            }
            Target::Span(anchor) => anchor,
            Target::Article(id) => {
                if self.store.article(&id).is_none() {
                    return Err(format!("no article {id:?} in the workspace"));
                }
                Anchor {
                    article: id,
                    start: 0,
                    end: 0,
                    text: String::new(),
                    id: String::new(),
                }
            }
        };
        if let Change::Edit { patch } = &change
            && patch.is_empty()
        {
            return Err("nothing to change".to_owned());
        }
        let redates = matches!(&change, Change::SetArticle { meta } if meta.published.is_some());
        let correction = Correction {
            seq: self.desk.corrections.last().map_or(0, |c| c.seq) + 1,
            author: author(),
            at: jiff::Timestamp::now(),
            target,
            change,
            why,
        };
        // A correction made now comes after every other one: applied over the incidents as
        // they stand, it gives what applying all of them over the machine's would, for one
        // copy of the store instead of two rebuilds from the machine's (a second at 100,000
        // incidents). A change of an article's details acts before extraction: it rebuilds.
        let incremental = !matches!(&correction.change, Change::SetArticle { .. });
        let new_orphans = std::cell::RefCell::new(Vec::new());
        // On a server, others' changes that came in meanwhile are taken in and the correction
        // tried again over them; one about the same incident is refused.
        let mut tries = 0;
        let (saved, after) = loop {
            let machine = &self.desk.machine;
            let all = &self.desk.corrections;
            let current = &self.store;
            let after_it = |c: &Correction| {
                if incremental {
                    let mut after = Store::clone(current);
                    *new_orphans.borrow_mut() =
                        corrections::apply_onto(&mut after, std::slice::from_ref(c));
                    after
                } else {
                    let mut with = all.clone();
                    with.push(c.clone());
                    rebuild(machine, &with).0
                }
            };
            let outcome = match self.desk.file.as_mut() {
                Some(file) => file
                    .record(correction.clone(), current, after_it, false)
                    .map(|(saved, after)| (saved, Some(after))),
                None => Ok((correction.clone(), None)),
            };
            match outcome {
                Ok(recorded) => break recorded,
                Err(RecordError::Behind) if tries < 5 => {
                    tries += 1;
                    self.refresh()?;
                }
                Err(RecordError::Behind) => {
                    return Err("others keep changing the workspace; try again".to_owned());
                }
                Err(RecordError::Stale(message)) => {
                    self.refresh()?;
                    return Err(message);
                }
                Err(RecordError::Failed(message)) => return Err(message),
            }
        };
        let mut all = self.desk.corrections.clone();
        all.push(saved.clone());
        self.desk.corrections = all;
        self.desk.undone.clear();
        if redates {
            self.reextract()?;
        }
        if incremental {
            let after = after.unwrap_or_else(|| {
                let mut after = Store::clone(&self.store);
                *new_orphans.borrow_mut() =
                    corrections::apply_onto(&mut after, std::slice::from_ref(&saved));
                after
            });
            self.store = std::sync::Arc::new(after);
            self.desk.orphans.extend(new_orphans.into_inner());
            self.reset_shapes();
        } else {
            self.rebuild();
        }
        if let Some(orphan) = self
            .desk
            .orphans
            .iter()
            .find(|o| o.correction.seq == saved.seq)
        {
            return Err(format!("the correction found nothing: {}", orphan.reason));
        }
        Ok(self.locate(&saved))
    }

    /// Where the incident a correction is about is now.
    fn locate(&self, correction: &Correction) -> Option<usize> {
        if let Change::Add { .. } = correction.change {
            let id = format!("added-{}", correction.seq);
            return self.store.incidents.iter().position(|i| i.id == id);
        }
        if let Change::SetArticle { .. } = correction.change {
            return None;
        }
        let target = &correction.target;
        self.store
            .incidents
            .iter()
            .position(|i| i.id == target.id)
            .or_else(|| {
                self.store.incidents.iter().position(|i| {
                    i.sources.iter().any(|s| {
                        s.article == target.article && s.start < target.end && target.start < s.end
                    })
                })
            })
    }

    /// Takes the last correction back; returns it.
    pub fn undo(&mut self) -> Result<Option<Correction>, String> {
        let Some(last) = self.desk.corrections.last().cloned() else {
            return Ok(None);
        };
        self.set_in_force(&last, false)?;
        Ok(Some(last))
    }

    /// Makes the last undone correction again; returns it.
    pub fn redo(&mut self) -> Result<Option<Correction>, String> {
        let Some(next) = self.desk.undone.last().cloned() else {
            return Ok(None);
        };
        self.set_in_force(&next, true)?;
        Ok(Some(next))
    }

    /// Corrections need the machine's incidents, which a workspace read by window lacks.
    fn refuse_windowed(&self) -> Result<(), String> {
        match self.desk.windowed {
            Some(size) => Err(format!(
                "this workspace ({size} incidents) is read window by window and cannot be corrected here"
            )),
            None => Ok(()),
        }
    }

    fn set_in_force(&mut self, correction: &Correction, in_force: bool) -> Result<(), String> {
        self.refuse_windowed()?;
        let mut tries = 0;
        let corrections = loop {
            let mut corrections = self.desk.corrections.clone();
            if in_force {
                corrections.push(correction.clone());
                corrections.sort_by_key(|c| c.seq);
            } else {
                corrections.retain(|c| c.seq != correction.seq);
            }
            let (after, _) = rebuild(&self.desk.machine, &corrections);
            let Some(file) = self.desk.file.as_mut() else {
                break corrections;
            };
            match file.set_undone(correction.seq, !in_force, &self.store, &after) {
                Ok(()) => break corrections,
                Err(RecordError::Behind) if tries < 5 => {
                    tries += 1;
                    self.refresh()?;
                    let still = self
                        .desk
                        .corrections
                        .iter()
                        .any(|c| c.seq == correction.seq);
                    if still == in_force {
                        // Someone else already did it.
                        return Ok(());
                    }
                }
                Err(RecordError::Behind) => {
                    return Err("others keep changing the workspace; try again".to_owned());
                }
                Err(RecordError::Stale(message) | RecordError::Failed(message)) => {
                    return Err(message);
                }
            }
        };
        self.desk.corrections = corrections;
        if in_force {
            self.desk.undone.retain(|c| c.seq != correction.seq);
        } else {
            self.desk.undone.push(correction.clone());
        }
        if matches!(&correction.change, Change::SetArticle { meta } if meta.published.is_some()) {
            self.reextract()?;
        }
        self.rebuild();
        Ok(())
    }

    /// Extracts the incidents of the workspace's own article text again (after an article's
    /// date changed), keeping imported incidents as they are.
    fn reextract(&mut self) -> Result<(), String> {
        let machine = &self.desk.machine;
        let extracted: Vec<LoadedArticle> = machine
            .store
            .articles
            .iter()
            .filter(|a| !machine.imported.contains(&a.id))
            .map(|a| as_loaded(machine, a))
            .collect();
        let fresh = extract_with_corrections(extracted, &self.desk.corrections)?;
        let imported = &self.desk.machine.imported;
        let mut store = self.desk.machine.store.clone();
        store
            .incidents
            .retain(|i| i.sources.iter().all(|s| imported.contains(&s.article)));
        store.incidents.extend(fresh.incidents);
        self.replace_machine(Machine {
            store,
            imported: imported.clone(),
            origins: self.desk.machine.origins.clone(),
            held_boilerplate: self.desk.machine.held_boilerplate.clone(),
        })
    }

    /// Stores a new machine side and the layer it makes.
    fn replace_machine(&mut self, machine: Machine) -> Result<(), String> {
        let (store, _) = rebuild(&machine, &self.desk.corrections);
        if let Some(file) = self.desk.file.as_mut() {
            let sources = file.sources()?;
            file.replace_machine(&sources, &machine, &store)?;
        }
        self.desk.machine = machine;
        Ok(())
    }

    /// Adds sources to the workspace and ingests them with the rest.
    pub fn add_sources(
        &mut self,
        sources: &[Source],
        progress: &mut dyn FnMut(ingest::Step),
    ) -> Result<Reingested, String> {
        let Some(file) = self.desk.file.as_mut() else {
            return Err("sources are added to a saved workspace".to_owned());
        };
        let mut all = file.sources()?;
        for source in sources {
            if matches!(source, Source::Workspace(_) | Source::Server(_)) {
                return Err(format!("{source}: a workspace cannot be added to another"));
            }
            if !source.path().exists() {
                return Err(format!(
                    "{}: no such file or folder",
                    source.path().display()
                ));
            }
            let source = absolute(source);
            if !all.contains(&source) {
                all.push(source);
            }
        }
        self.reingest_from(all, progress)
    }

    /// Adds articles the workspace holds itself (a fetched page, a pasted text), each under
    /// its location (the URL, or `pasted:…`), and ingests them with the rest in one pass. An
    /// id already taken gets a numbered suffix. Returns the ids given, in order.
    pub fn add_held(
        &mut self,
        held: Vec<(String, LoadedArticle)>,
        progress: &mut dyn FnMut(ingest::Step),
    ) -> Result<(Vec<String>, Reingested), String> {
        // Unsaved, the sources are those opened; "Save workspace as" keeps them all.
        let mut all = match self.desk.file.as_ref() {
            Some(file) => file.sources()?,
            None => self
                .sources
                .iter()
                .filter(|s| !matches!(s, Source::Workspace(_) | Source::Server(_)))
                .cloned()
                .collect(),
        };
        for (location, _) in &held {
            let source = Source::Held(location.clone());
            if all.contains(&source) {
                return Err(format!("{location}: already in the workspace"));
            }
            all.push(source);
        }
        let mut ids = Vec::new();
        let machine = &mut self.desk.machine;
        for (location, mut loaded) in held {
            let mut id = loaded.article.id.clone();
            let mut n = 2;
            while machine.store.articles.iter().any(|a| a.id == id) {
                id = format!("{}-{n}", loaded.article.id);
                n += 1;
            }
            loaded.article.id = id.clone();
            machine.origins.insert(id.clone(), PathBuf::from(location));
            let mut boilerplate = loaded.boilerplate.clone();
            boilerplate.extend(loaded.title_range.clone());
            machine.held_boilerplate.insert(id.clone(), boilerplate);
            machine.store.articles.push(loaded.article);
            ids.push(id);
        }
        let report = self.reingest_from(all.clone(), progress)?;
        if self.desk.file.is_none() {
            self.sources = all;
        }
        Ok((ids, report))
    }

    /// Follows a news feed (saved in the workspace); [`Self::take_feed_items`] adds what
    /// [`crate::articles::feeds::collect`] finds in it.
    pub fn add_feed(&mut self, url: &str) -> Result<(), String> {
        if !articles::page::is_web_url(url) {
            return Err(format!(
                "{url}: only http:// and https:// feeds are followed"
            ));
        }
        let file = self
            .desk
            .file
            .as_ref()
            .ok_or("feeds are followed in a saved workspace")?;
        file.add_feed(url)
    }

    /// The feeds followed, with what was already taken from each.
    pub fn feeds(&self) -> Result<Vec<crate::articles::feeds::Feed>, String> {
        match self.desk.file.as_ref() {
            Some(file) => file.feeds(),
            None => Ok(Vec::new()),
        }
    }

    /// Adds the new items' articles found by a look at the feeds, and records the look.
    /// Returns how many articles and incidents are new.
    pub fn take_feed_items(
        &mut self,
        collected: crate::articles::feeds::Collected,
        progress: &mut dyn FnMut(ingest::Step),
    ) -> Result<FeedUpdate, String> {
        let before: std::collections::HashSet<String> = self
            .desk
            .machine
            .store
            .incidents
            .iter()
            .map(|i| i.id.clone())
            .collect();
        let known = |location: &str| {
            self.desk
                .machine
                .origins
                .values()
                .any(|o| o.as_os_str() == location)
        };
        let mut held: Vec<(String, LoadedArticle)> = Vec::new();
        // Each item taken, with the index of its article among those held, if it brought one.
        let mut items: Vec<(String, crate::articles::feeds::Item, Option<usize>)> = Vec::new();
        for new in collected.articles {
            // The same page reached through two feeds, or added by hand before, goes in once.
            let location = new.item.link.clone();
            if known(&location) || held.iter().any(|(l, _)| *l == location) {
                items.push((new.feed, new.item, None));
                continue;
            }
            items.push((new.feed, new.item, Some(held.len())));
            held.push((location, new.article));
        }
        let articles = held.len();
        let mut problems = collected.problems;
        let mut ids = Vec::new();
        if !held.is_empty() {
            let (added, report) = self.add_held(held, progress)?;
            problems.extend(report.problems.into_iter().map(|p| p.summary));
            ids = added;
        }
        let items: Vec<(String, crate::articles::feeds::Item, String)> = items
            .into_iter()
            .map(|(feed, item, at)| {
                let id = at.and_then(|at| ids.get(at).cloned()).unwrap_or_default();
                (feed, item, id)
            })
            .collect();
        if let Some(file) = self.desk.file.as_ref() {
            file.record_feeds(&collected.feeds, &items)?;
        }
        let incidents = self
            .desk
            .machine
            .store
            .incidents
            .iter()
            .filter(|i| !before.contains(&i.id))
            .count();
        Ok(FeedUpdate {
            feeds: collected.feeds.len(),
            unchanged: collected.unchanged,
            articles,
            incidents,
            problems,
        })
    }

    /// Reads every source again and extracts the articles anew (a better extractor, more
    /// articles), then applies every correction again. A source that cannot be read keeps
    /// the articles and incidents stored from it, and says so.
    pub fn reingest(
        &mut self,
        progress: &mut dyn FnMut(ingest::Step),
    ) -> Result<Reingested, String> {
        let Some(file) = self.desk.file.as_ref() else {
            return Err("only a saved workspace can be re-ingested".to_owned());
        };
        let sources = file.sources()?;
        self.reingest_from(sources, progress)
    }

    fn reingest_from(
        &mut self,
        sources: Vec<Source>,
        progress: &mut dyn FnMut(ingest::Step),
    ) -> Result<Reingested, String> {
        self.reingest_with_rule(sources, progress, &|_| {})
    }

    /// [`Self::reingest_from`] with `rule` run over the extracted store, as a changed rule of
    /// extraction would change it (for tests of what corrections survive).
    fn reingest_with_rule(
        &mut self,
        sources: Vec<Source>,
        progress: &mut dyn FnMut(ingest::Step),
        rule: &dyn Fn(&mut Store),
    ) -> Result<Reingested, String> {
        let old = &self.desk.machine;
        let mut report = Reingested::default();
        let mut machine = Machine::default();
        let mut incidents_store = Store::default();
        // Incident files first, imported as they are.
        for source in &sources {
            let Source::Incidents(path) = source else {
                continue;
            };
            match crate::exchange::import(path) {
                Ok(imported) => {
                    if let Some(summary) = imported.problem_summary(path) {
                        report.problems.push(Problem::new(summary));
                    }
                    for article in &imported.store.articles {
                        machine.imported.insert(article.id.clone());
                        machine.origins.insert(article.id.clone(), path.clone());
                    }
                    super::merge_store(&mut incidents_store, imported.store, &mut report.problems);
                }
                Err(e) => {
                    let kept = kept_from(old, path);
                    report.problems.push(Problem::new(format!(
                        "{e}; keeping the {} incidents stored from it",
                        kept.incidents.len()
                    )));
                    for article in &kept.articles {
                        machine.imported.insert(article.id.clone());
                        machine.origins.insert(article.id.clone(), path.clone());
                    }
                    super::merge_store(&mut incidents_store, kept, &mut report.problems);
                }
            }
        }
        // Articles: read again where they can be, kept as stored where they cannot.
        let mut readable = Vec::new();
        let mut loaded: Vec<LoadedArticle> = Vec::new();
        for source in &sources {
            let Source::Held(location) = source else {
                continue;
            };
            let location = PathBuf::from(location);
            for article in &kept_from(old, &location).articles {
                machine.origins.insert(article.id.clone(), location.clone());
                if let Some(ranges) = old.held_boilerplate.get(&article.id) {
                    machine
                        .held_boilerplate
                        .insert(article.id.clone(), ranges.clone());
                }
                loaded.push(as_loaded(old, article));
            }
        }
        for source in &sources {
            let Source::Articles(path) = source else {
                continue;
            };
            if path.exists() {
                readable.push(path.clone());
            } else {
                let kept = kept_from(old, path);
                report.problems.push(Problem::new(format!(
                    "{}: cannot be read; keeping the {} articles stored from it",
                    path.display(),
                    kept.articles.len()
                )));
                for article in kept.articles {
                    machine.origins.insert(article.id.clone(), path.clone());
                    let mut one = articles::parse_article(&article.id, article.text.clone());
                    one.article = article;
                    loaded.push(one);
                }
            }
        }
        if !readable.is_empty() {
            progress(ingest::Step::ReadingArticles);
            let read = articles::load_paths(&readable);
            report
                .problems
                .extend(read.errors.iter().map(|e| Problem::new(e.to_string())));
            for article in read.articles {
                let origin = article
                    .path
                    .as_ref()
                    .and_then(|p| readable.iter().find(|r| p.starts_with(r)))
                    .cloned()
                    .unwrap_or_default();
                machine.origins.insert(article.article.id.clone(), origin);
                // A saved page's captions and teasers, and a PDF's page lines, are known from
                // the file only.
                if article.path.as_deref().is_some_and(|p| {
                    articles::page::is_page_file(p) || articles::pdf::is_pdf_file(p)
                }) {
                    let mut ranges = article.boilerplate.clone();
                    ranges.extend(article.title_range.clone());
                    machine
                        .held_boilerplate
                        .insert(article.article.id.clone(), ranges);
                }
                loaded.push(article);
            }
        }
        let mut store = incidents_store;
        if !loaded.is_empty() {
            progress(ingest::Step::LoadingGazetteer);
            let mut extracted = extract_with_corrections_progress(
                loaded,
                &self.desk.corrections,
                &mut |done, total| progress(ingest::Step::Extracting { done, total }),
            )?;
            rule(&mut extracted);
            super::merge_store(&mut store, extracted, &mut report.problems);
        }
        store.schema = crate::store::SCHEMA.to_owned();
        report.articles = store.articles.len();
        report.incidents = store.incidents.len();
        machine.store = store;
        if let Some(file) = self.desk.file.as_mut() {
            let (layer, _) = rebuild(&machine, &self.desk.corrections);
            file.replace_machine(&sources, &machine, &layer)?;
        }
        self.desk.machine = machine;
        self.rebuild();
        Ok(report)
    }
}

/// What a look at the feeds added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedUpdate {
    /// Feeds that answered, and of them those unchanged since the last look.
    pub feeds: usize,
    pub unchanged: usize,
    pub articles: usize,
    pub incidents: usize,
    pub problems: Vec<String>,
}

/// A stored article as extraction reads it: its text's own boilerplate, and for a held
/// article the ranges its page marked (captions, teasers) and its title.
fn as_loaded(machine: &Machine, article: &crate::store::Article) -> LoadedArticle {
    let mut loaded = articles::parse_article(&article.id, article.text.clone());
    loaded.article = article.clone();
    if let Some(ranges) = machine.held_boilerplate.get(&article.id) {
        let title = loaded.title_range.clone();
        loaded.boilerplate.extend(
            ranges
                .iter()
                .filter(|r| Some(*r) != title.as_ref())
                .cloned(),
        );
        loaded.boilerplate.sort_by_key(|r| r.start);
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        for range in std::mem::take(&mut loaded.boilerplate) {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        loaded.boilerplate = merged;
    }
    loaded
}

/// The articles and incidents stored from one source.
fn kept_from(machine: &Machine, source: &Path) -> Store {
    let ids: std::collections::HashSet<&str> = machine
        .origins
        .iter()
        .filter(|(_, origin)| origin.as_path() == source)
        .map(|(id, _)| id.as_str())
        .collect();
    Store {
        schema: crate::store::SCHEMA.to_owned(),
        articles: machine
            .store
            .articles
            .iter()
            .filter(|a| ids.contains(a.id.as_str()))
            .cloned()
            .collect(),
        incidents: machine
            .store
            .incidents
            .iter()
            .filter(|i| i.sources.iter().all(|s| ids.contains(s.article.as_str())))
            .cloned()
            .collect(),
    }
}

fn extract_with_corrections(
    loaded: Vec<LoadedArticle>,
    corrections: &[Correction],
) -> Result<Store, String> {
    extract_with_corrections_progress(loaded, corrections, &mut |_, _| {})
}

/// Extracts incidents with the analyst's article metadata (dates above all) in force, and
/// returns the articles with their metadata as read, so that undoing a correction restores it.
fn extract_with_corrections_progress(
    mut loaded: Vec<LoadedArticle>,
    corrections: &[Correction],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Store, String> {
    let as_read: HashMap<String, crate::store::Article> = loaded
        .iter()
        .map(|l| (l.article.id.clone(), l.article.clone()))
        .collect();
    let mut articles: Vec<crate::store::Article> =
        loaded.iter().map(|l| l.article.clone()).collect();
    corrections::apply_article_meta(&mut articles, corrections);
    for (one, corrected) in loaded.iter_mut().zip(articles) {
        one.article = corrected;
    }
    let places = ingest::bundled_places()?;
    let mut store = ingest::extract_checked(&loaded, &places, progress)?.store;
    for article in &mut store.articles {
        if let Some(read) = as_read.get(&article.id) {
            *article = read.clone();
        }
    }
    Ok(store)
}

/// A source with an absolute path, so that a workspace re-ingests from wherever it is opened.
fn absolute(source: &Source) -> Source {
    let path = source.path();
    let absolute: PathBuf = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match source {
        Source::Articles(_) => Source::Articles(absolute),
        Source::Incidents(_) => Source::Incidents(absolute),
        Source::Workspace(_) => Source::Workspace(absolute),
        Source::Held(location) => Source::Held(location.clone()),
        Source::Server(url) => Source::Server(url.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{EventType, SubEventType};
    use crate::workspace::corrections::Patch;

    /// The bundled articles copied into a folder of their own, in a new workspace.
    fn workspace_over_copies(dir: &Path) -> Result<(Workspace, PathBuf), String> {
        let articles = dir.join("articles");
        std::fs::create_dir_all(&articles).map_err(|e| e.to_string())?;
        for entry in
            std::fs::read_dir(crate::data_dir().join("articles")).map_err(|e| e.to_string())?
        {
            let entry = entry.map_err(|e| e.to_string())?;
            std::fs::copy(entry.path(), articles.join(entry.file_name()))
                .map_err(|e| e.to_string())?;
        }
        let mut workspace = Workspace::default();
        workspace.save_as(&dir.join("desk.gpkg"))?;
        workspace.add_sources(&[Source::Articles(articles.clone())], &mut |_| {})?;
        Ok((workspace, articles))
    }

    #[test]
    fn corrections_hold_when_a_rule_retypes_an_incident_and_orphans_are_reported()
    -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (mut workspace, articles) = workspace_over_copies(dir.path())?;
        let store = &workspace.store;
        assert!(store.incidents.len() >= 6, "{}", store.incidents.len());
        // Three corrections on incidents of different articles.
        let mut picked: Vec<(usize, String)> = Vec::new();
        for (i, incident) in store.incidents.iter().enumerate() {
            let article = incident.sources[0].article.clone();
            if picked.iter().all(|(_, a)| *a != article) && picked.len() < 3 {
                picked.push((i, article));
            }
        }
        assert_eq!(picked.len(), 3, "three articles with incidents");
        let ids: Vec<String> = picked
            .iter()
            .map(|(i, _)| store.incidents[*i].id.clone())
            .collect();
        let evidence: Vec<_> = picked
            .iter()
            .map(|(i, _)| store.incidents[*i].sources[0].clone())
            .collect();
        workspace.correct(
            Target::Incident(picked[0].0),
            Change::Edit {
                patch: Patch {
                    fatalities: Some(Some(42)),
                    ..Patch::default()
                },
            },
            Some("the ministry's revised toll".into()),
        )?;
        let second = workspace
            .store
            .incidents
            .iter()
            .position(|i| i.id == ids[1])
            .ok_or("second")?;
        workspace.correct(
            Target::Incident(second),
            Change::Reject {
                reason: "background, not a new event".into(),
            },
            None,
        )?;
        let third = workspace
            .store
            .incidents
            .iter()
            .position(|i| i.id == ids[2])
            .ok_or("third")?;
        workspace.correct(
            Target::Incident(third),
            Change::Edit {
                patch: Patch {
                    date: Some(Some(jiff::civil::date(2022, 1, 24))),
                    ..Patch::default()
                },
            },
            None,
        )?;
        let path = workspace.file_path().ok_or("saved")?.to_owned();
        drop(workspace);

        // A changed rule re-types the first incident, which changes its id.
        let first_evidence = evidence[0].clone();
        let retype = move |store: &mut Store| {
            for incident in &mut store.incidents {
                if incident.sources.contains(&first_evidence) {
                    incident.sub_event_type = SubEventType::SuicideBomb;
                    incident.event_type = EventType::ExplosionsRemoteViolence;
                    incident.id = format!("{}-retyped", incident.id);
                }
            }
        };
        let mut reopened = Workspace::open_file(&path)?;
        let sources = reopened.desk.file.as_ref().ok_or("file")?.sources()?;
        reopened.reingest_with_rule(sources.clone(), &mut |_| {}, &retype)?;
        assert!(reopened.orphans().is_empty(), "{:?}", reopened.orphans());
        // The incident citing that evidence; of several, the one of that id (or re-typed).
        let find = |store: &Store, evidence: &crate::store::Source, id: &str| {
            let citing: Vec<&crate::store::Incident> = store
                .incidents
                .iter()
                .filter(|i| i.sources.contains(evidence))
                .collect();
            citing
                .iter()
                .find(|i| i.id.starts_with(id))
                .or(citing.first())
                .map(|i| (*i).clone())
                .ok_or("incident gone")
        };
        let first = find(&reopened.store, &evidence[0], &ids[0])?;
        assert!(
            first.id.ends_with("-retyped"),
            "the rule applied: {}",
            first.id
        );
        assert_eq!(first.sub_event_type, SubEventType::SuicideBomb);
        assert_eq!(first.fatalities, Some(42), "the edit held");
        assert_eq!(
            find(&reopened.store, &evidence[1], &ids[1])?
                .review
                .rejected
                .as_deref(),
            Some("background, not a new event")
        );
        assert_eq!(
            find(&reopened.store, &evidence[2], &ids[2])?.date,
            Some(jiff::civil::date(2022, 1, 24))
        );

        // The article of the third correction is removed: its correction is an orphan.
        let third_article = &picked[2].1;
        let removed = std::fs::read_dir(&articles)
            .map_err(|e| e.to_string())?
            .filter_map(Result::ok)
            .find(|e| {
                e.path()
                    .file_stem()
                    .is_some_and(|s| s.to_string_lossy() == *third_article)
            })
            .ok_or("article file")?;
        std::fs::remove_file(removed.path()).map_err(|e| e.to_string())?;
        reopened.reingest(&mut |_| {})?;
        assert_eq!(reopened.orphans().len(), 1, "{:?}", reopened.orphans());
        assert!(reopened.orphans()[0].reason.contains("article"));
        // The others still hold after a plain re-ingest too.
        assert_eq!(
            find(&reopened.store, &evidence[0], &ids[0])?.fatalities,
            Some(42)
        );
        // And the file says the same when opened again.
        let again = Workspace::open_file(&path)?;
        assert_eq!(again.orphans().len(), 1);
        assert_eq!(again.corrections().len(), 3);
        Ok(())
    }

    /// A workspace file damaged outside the program (an article renamed under the incidents
    /// that cite it) is refused with the reason, and left as it is.
    #[test]
    fn a_damaged_workspace_is_refused_with_the_reason_and_left_alone() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("damaged.gpkg");
        Workspace::open(&[Source::bundled()], &|_, _| {})?.save_as(&path)?;
        rusqlite::Connection::open(&path)
            .and_then(|c| {
                c.execute(
                    "UPDATE incident_map_articles SET id = id || '-renamed' WHERE position = \
                     (SELECT min(position) FROM incident_map_articles)",
                    [],
                )
            })
            .map_err(|e| e.to_string())?;
        let before = std::fs::read(&path).map_err(|e| e.to_string())?;
        let error = Workspace::open(&[Source::Workspace(path.clone())], &|_, _| {})
            .err()
            .unwrap_or_default();
        assert!(error.contains("damaged.gpkg"), "{error}");
        assert!(error.contains("the workspace is damaged"), "{error}");
        assert!(error.contains("not in the store"), "{error}");
        assert_eq!(std::fs::read(&path).map_err(|e| e.to_string())?, before);
        Ok(())
    }

    #[test]
    fn undo_and_redo_are_saved_and_a_new_edit_drops_the_redo() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {})?;
        workspace.correct(Target::Incident(0), Change::Reviewed, None)?;
        workspace.correct(
            Target::Incident(1),
            Change::Reject { reason: "x".into() },
            None,
        )?;
        // Unsaved corrections go into the file when it is saved.
        let path = dir.path().join("w.gpkg");
        workspace.save_as(&path)?;
        assert_eq!(Workspace::open_file(&path)?.corrections().len(), 2);
        workspace.undo()?;
        assert!(workspace.store.incidents[1].review.rejected.is_none());
        assert!(workspace.can_redo());
        let reopened = Workspace::open_file(&path)?;
        assert_eq!(reopened.corrections().len(), 1);
        assert!(
            reopened.can_redo(),
            "the undone correction is kept for redo"
        );
        workspace.redo()?;
        assert!(workspace.store.incidents[1].review.rejected.is_some());
        workspace.undo()?;
        workspace.correct(Target::Incident(2), Change::Reviewed, None)?;
        assert!(!workspace.can_redo());
        let reopened = Workspace::open_file(&path)?;
        assert_eq!(reopened.corrections().len(), 2);
        assert!(!reopened.can_redo());
        Ok(())
    }

    #[test]
    fn a_new_article_date_re_dates_its_relative_dates() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let articles = dir.path().join("articles");
        std::fs::create_dir_all(&articles).map_err(|e| e.to_string())?;
        std::fs::write(
            articles.join("raid.txt"),
            "Gunmen raid a checkpoint near Baqubah\n\nGunmen attacked an army checkpoint near Baqubah on Monday, killing four soldiers, police said.\n",
        )
        .map_err(|e| e.to_string())?;
        let mut workspace = Workspace::default();
        workspace.save_as(&dir.path().join("w.gpkg"))?;
        workspace.add_sources(&[Source::Articles(articles)], &mut |_| {})?;
        let incident = workspace.store.incidents.first().ok_or("an incident")?;
        assert_eq!(incident.date, None, "no publication date, no date");
        let meta = crate::workspace::corrections::ArticleMeta {
            published: Some(jiff::civil::date(2023, 5, 17)),
            ..Default::default()
        };
        workspace.correct(
            Target::Article("raid".into()),
            Change::SetArticle { meta },
            None,
        )?;
        let incident = workspace.store.incidents.first().ok_or("an incident")?;
        // 2023-05-17 was a Wednesday: "on Monday" is the 15th.
        assert_eq!(incident.date, Some(jiff::civil::date(2023, 5, 15)));
        assert_eq!(
            workspace.store.article("raid").and_then(|a| a.published),
            Some(jiff::civil::date(2023, 5, 17))
        );
        workspace.undo()?;
        assert_eq!(workspace.store.incidents.first().and_then(|i| i.date), None);
        Ok(())
    }

    #[test]
    fn a_held_article_keeps_its_marked_boilerplate_through_a_reingest_and_a_reopen()
    -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("held.gpkg");
        let mut workspace = Workspace::default();
        workspace.save_as(&path)?;
        let text = "Checkpoint attacked near Baquba\n\n\
                    BAQUBA, Iraq — Gunmen killed three soldiers at a checkpoint north of Baquba on Tuesday, officials said.\n\n\
                    Gunmen killed eleven shepherds near Rutba on Monday.\n";
        let mut page = articles::parse_article("page", text.to_owned());
        page.article.published = Some(jiff::civil::date(2025, 4, 2));
        // As a page's markup would mark it: a caption.
        let caption = text.find("Gunmen killed eleven").ok_or("caption")?;
        let end = caption + text[caption..].find('\n').ok_or("line end")?;
        page.boilerplate.push(caption..end);
        let tolls = |workspace: &Workspace| -> Vec<Option<u32>> {
            workspace
                .store
                .incidents
                .iter()
                .map(|i| i.fatalities)
                .collect()
        };
        let (ids, _) =
            workspace.add_held(vec![("https://example.org/a".into(), page)], &mut |_| {})?;
        assert_eq!(ids, ["page"]);
        assert_eq!(tolls(&workspace), [Some(3)], "the caption is not story");
        workspace.reingest(&mut |_| {})?;
        assert_eq!(tolls(&workspace), [Some(3)], "nor after a re-ingest");
        drop(workspace);
        let mut reopened = Workspace::open_file(&path)?;
        reopened.reingest(&mut |_| {})?;
        assert_eq!(tolls(&reopened), [Some(3)], "nor after a reopen");
        assert_eq!(
            reopened.store.articles[0].url, None,
            "a held article's URL is its page's, not the source's location"
        );
        // The same location twice is refused, not doubled.
        let again = articles::parse_article("page", text.to_owned());
        assert!(
            reopened
                .add_held(vec![("https://example.org/a".into(), again)], &mut |_| {})
                .is_err()
        );
        Ok(())
    }

    #[test]
    fn corrections_made_one_by_one_leave_what_a_rebuild_from_the_machine_gives()
    -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (mut workspace, _) = workspace_over_copies(dir.path())?;
        let original = std::sync::Arc::clone(&workspace.store);
        assert!(original.incidents.len() >= 6);
        let other = Anchor::of(&original, &original.incidents[5]).ok_or("anchor")?;
        let article = &original.articles[0];
        let edit = |summary: &str| Change::Edit {
            patch: Patch {
                summary: Some(summary.into()),
                ..Patch::default()
            },
        };
        let changes: Vec<(Target, Change)> = vec![
            (Target::Incident(0), edit("first look")),
            (Target::Incident(0), edit("second look")),
            (
                Target::Incident(1),
                Change::Reject {
                    reason: "a background paragraph".into(),
                },
            ),
            (Target::Incident(2), Change::Reviewed),
            (Target::Incident(3), Change::Merge { other }),
            (
                Target::Span(Anchor {
                    article: article.id.clone(),
                    start: 0,
                    end: 5,
                    text: article.text.chars().take(5).collect(),
                    id: String::new(),
                }),
                Change::Add {
                    incident: Box::new(original.incidents[0].clone()),
                },
            ),
            (Target::Incident(1), Change::Restore),
        ];
        for (target, change) in changes {
            workspace.correct(target, change, None)?;
        }
        // Words that are not in the article: recorded, and reported as finding nothing.
        let missing = Target::Span(Anchor {
            article: article.id.clone(),
            start: 0,
            end: 9,
            text: "not there".into(),
            id: String::new(),
        });
        let added = Change::Add {
            incident: Box::new(original.incidents[0].clone()),
        };
        assert!(workspace.correct(missing, added, None).is_err());

        let (rebuilt, orphans) = rebuild(&workspace.desk.machine, &workspace.desk.corrections);
        assert_eq!(*workspace.store, rebuilt);
        assert_eq!(workspace.orphans(), orphans.as_slice());
        assert_eq!(orphans.len(), 1);
        // And what the file holds, read afresh.
        let reopened = Workspace::open_file(&dir.path().join("desk.gpkg"))?;
        assert_eq!(reopened.store, workspace.store);
        assert_eq!(reopened.corrections().len(), 8);
        Ok(())
    }

    #[test]
    fn every_kind_of_correction_is_undone_and_redone() -> Result<(), String> {
        let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {})?;
        let original = workspace.store.clone();
        let with_two_sources = original
            .incidents
            .iter()
            .position(|i| i.sources.len() > 1)
            .ok_or("an incident with two sources")?;
        let split_source = Anchor::of_span(
            &original,
            &original.incidents[with_two_sources].sources[1],
            &original.incidents[with_two_sources].id,
        );
        let other = Anchor::of(&original, &original.incidents[3]).ok_or("anchor")?;
        let article = original.articles[0].id.clone();
        let added = original.incidents[0].clone();
        let changes: Vec<(Target, Change)> = vec![
            (
                Target::Incident(0),
                Change::Edit {
                    patch: Patch {
                        summary: Some("checked".into()),
                        ..Patch::default()
                    },
                },
            ),
            (
                Target::Incident(1),
                Change::Reject {
                    reason: "no".into(),
                },
            ),
            (Target::Incident(2), Change::Reviewed),
            (Target::Incident(4), Change::Merge { other }),
            (
                Target::Incident(with_two_sources),
                Change::Split {
                    source: split_source,
                },
            ),
            (
                Target::Span(Anchor {
                    article: article.clone(),
                    start: 0,
                    end: 5,
                    text: original.articles[0].text.chars().take(5).collect(),
                    id: String::new(),
                }),
                Change::Add {
                    incident: Box::new(added),
                },
            ),
            (
                Target::Article(article),
                Change::SetArticle {
                    meta: crate::workspace::corrections::ArticleMeta {
                        publisher: Some("Desk".into()),
                        ..Default::default()
                    },
                },
            ),
        ];
        for (target, change) in changes {
            let kind = change.kind();
            let before = workspace.store.clone();
            workspace.correct(target, change, None)?;
            assert_ne!(workspace.store, before, "{kind} changed nothing");
            let after = workspace.store.clone();
            workspace.undo()?;
            assert_eq!(workspace.store, before, "undo of {kind}");
            workspace.redo()?;
            assert_eq!(workspace.store, after, "redo of {kind}");
        }
        assert_eq!(workspace.corrections().len(), 7);
        Ok(())
    }
}
