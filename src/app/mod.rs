//! The viewer window: one state struct over the workspace, the panels and chrome around the
//! map as functions that return what the user chose, and one [`ViewerApp::apply`] for every
//! choice. What is shown is [`Shown`], computed from the workspace, the filter and the sort;
//! opening data runs as a background [`Job`].

mod article_dialog;
mod briefing_dialog;
mod chrome;
mod export_dialog;
mod marks;
mod open_dialog;
mod place_search;
mod playback;

pub use crate::view::panels::Action;
pub use article_dialog::ArticleDialog;
pub use briefing_dialog::{BriefingDialog, BriefingView};

use std::collections::HashMap;
use std::path::PathBuf;

use egui::{Align2, Key, Ui};
use serde::{Deserialize, Serialize};
use walkers::{Map, MapMemory, Position, lat_lon};

use crate::store::Store;
use crate::view::basemap::{Basemap, Theme, TileChoice};
use crate::view::edit::{self, EditState};
use crate::view::markers::{self, MapOutcome};
use crate::view::panels;
use crate::view::query;
use crate::view::shown::{Shown, Sort};
use crate::workspace::corrections::{Anchor, Change, Patch};
use crate::workspace::desk::Target;
use crate::workspace::filter::Filter;
use crate::workspace::job::{Job, Poll};
use crate::workspace::server::{WindowAnswer, WindowQuery};
use crate::workspace::{Source, Workspace};
use export_dialog::ExportDialog;

/// Where the map looks before any data says otherwise: Iraq and Syria.
const REGION_CENTER: (f64, f64) = (34.5, 41.5);
const REGION_ZOOM: f64 = 5.0;

/// What the viewer opens at start-up.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// What to open; none means the bundled data.
    pub sources: Vec<Source>,
    /// Overrides the remembered tile source.
    pub tiles: Option<TileChoice>,
    /// Ignore what earlier runs remembered (for tests and first-run screenshots).
    pub fresh: bool,
    /// Past how many incidents a server workspace is read window by window (default
    /// [`crate::workspace::WINDOW_ABOVE`]).
    pub window_above: Option<usize>,
}

/// Opens the viewer window; returns when it is closed.
pub fn run_viewer(startup: Startup) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("incident-map")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    eframe::run_native(
        "incident-map",
        options,
        Box::new(move |cc| Ok(Box::new(ViewerApp::new(cc, startup)))),
    )
    .map_err(|e| format!("cannot open the viewer window: {e}"))
}

/// What the viewer remembers between runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Remembered {
    filter: Filter,
    theme: Theme,
    tiles: TileChoice,
    sort: Sort,
    /// Map centre (lat, lon) and zoom.
    view: Option<(f64, f64, f64)>,
    /// The workspace file last saved or opened: the next start reopens it.
    #[serde(default)]
    workspace: Option<PathBuf>,
    /// The folder exports last went to.
    #[serde(default)]
    export_folder: Option<PathBuf>,
}

const STORAGE_KEY: &str = "incident-map-viewer";

/// Which incident is selected and how it is shown.
#[derive(Default)]
struct Selection {
    incident: Option<usize>,
    /// Which of its sources the side panel shows.
    source: usize,
    scroll_to_evidence: bool,
    scroll_list: bool,
    /// The members of a clicked cluster whose markers cannot be told apart.
    cluster_members: Option<Vec<usize>>,
}

/// The map: its tiles, where it looks and what was drawn last.
struct MapState {
    basemap: Basemap,
    memory: MapMemory,
    /// Where the map returns to when not dragged.
    home: Position,
    fit_pending: bool,
    size: egui::Vec2,
    last_outcome: MapOutcome,
    /// A flight to a place searched for, while it lasts.
    flight: Option<place_search::Flight>,
    /// The points (lat, lon) clicked while measuring a distance; `None` when not measuring.
    measure: Option<Vec<(f64, f64)>>,
    /// The incidents drawn as a heat map instead of markers.
    heat: bool,
}

/// The windows over the map.
#[derive(Default)]
struct Dialogs {
    /// The Open window, while it is open.
    open: Option<open_dialog::OpenDialog>,
    /// The path last typed in the Open window: it is there again next time.
    last_open: String,
    /// The path the Open window opened, until it opens: a failure brings the window back.
    retry_open: Option<String>,
    /// Files dropped while incidents are open, until the user says to add or replace.
    add_or_replace: Option<Vec<PathBuf>>,
    /// The Open window's column mapping (`date=when,type=category`), kept between opens.
    last_mapping: String,
    export: Option<ExportDialog>,
    briefing: Option<BriefingDialog>,
    /// The Save workspace window's path, while it is open.
    save_workspace: Option<String>,
    /// The analyst declined to save corrections for now: not offered again this run.
    save_declined: bool,
    /// The "New article" window, while it is open.
    article: Option<ArticleDialog>,
    /// The folder an export last wrote into: both export windows start there.
    last_export_folder: Option<PathBuf>,
}

/// The viewer's whole state.
pub struct ViewerApp {
    workspace: Workspace,
    shown: Shown,
    selection: Selection,
    map: MapState,
    dialogs: Dialogs,
    /// Columns named by hand for tables whose fields are not guessed (the Open window's
    /// mapping), used for every file opened after it is set.
    mapping: crate::exchange::Mapping,
    problems: Vec<String>,
    loading: Option<Job<Result<Workspace, String>>>,
    focus_search: bool,
    /// The analyst's forms in the side panel.
    edit: EditState,
    /// The analyst's marks on the map: tools, selection, a mark being drawn or worded.
    marks: marks::Marks,
    /// The gazetteer loading for place suggestions, then whether it loaded.
    gazetteer: Option<Job<Result<(), String>>>,
    gazetteer_ready: bool,
    /// How many feeds the workspace follows, and a look at them while one runs.
    feeds: usize,
    feeds_job: Option<Job<Result<crate::articles::feeds::Collected, String>>>,
    /// On a shared workspace: a job that hears others' changes, and the last it said.
    watch: Option<(Job<Result<(), String>>, String)>,
    /// On a server workspace too large to hold: what the map shows, read from the server.
    window: MapWindow,
    window_above: usize,
    /// The "Go to place" field over the map.
    place_search: place_search::PlaceSearch,
    focus_place_search: bool,
    /// Timeline playback.
    playback: playback::Playback,
    ctx: egui::Context,
}

impl ViewerApp {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        if let Some(render_state) = cc.wgpu_render_state.as_ref() {
            walkers::install_renderer(Some(render_state));
        }
        Self::build(&cc.egui_ctx, cc.storage, startup, None)
    }

    /// The viewer on a plain egui context, without a window or a GPU, showing `workspace` as a
    /// first run would: for benchmarks and tools that drive it frame by frame with [`Self::show`].
    pub fn headless(ctx: &egui::Context, workspace: Workspace, tiles: Option<TileChoice>) -> Self {
        let startup = Startup {
            sources: Vec::new(),
            tiles,
            fresh: true,
            window_above: None,
        };
        Self::build(ctx, None, startup, Some(workspace))
    }

    fn build(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        startup: Startup,
        workspace: Option<Workspace>,
    ) -> Self {
        crate::view::style::install_fonts(ctx);
        let remembered: Option<Remembered> = if startup.fresh {
            None
        } else {
            storage.and_then(|s| eframe::get_value(s, STORAGE_KEY))
        };
        let theme = remembered.as_ref().map_or(Theme::Light, |r| r.theme);
        apply_theme(ctx, theme);
        let tiles = startup
            .tiles
            .clone()
            .or_else(|| remembered.as_ref().map(|r| r.tiles.clone()))
            .unwrap_or_default();
        let empty = Workspace::default();
        let filter = remembered
            .as_ref()
            .map(|r| r.filter.clone())
            .unwrap_or_default();
        let sort = remembered.as_ref().map(|r| r.sort).unwrap_or_default();
        let mut app = Self {
            shown: Shown::new(&empty, filter, sort),
            workspace: empty,
            selection: Selection::default(),
            map: MapState {
                basemap: Basemap::open(tiles, theme, ctx),
                memory: MapMemory::default(),
                home: lat_lon(REGION_CENTER.0, REGION_CENTER.1),
                fit_pending: true,
                size: egui::vec2(1000.0, 700.0),
                last_outcome: MapOutcome::default(),
                flight: None,
                measure: None,
                heat: false,
            },
            dialogs: Dialogs::default(),
            mapping: Default::default(),
            problems: Vec::new(),
            loading: None,
            focus_search: false,
            edit: EditState::default(),
            marks: marks::Marks::default(),
            gazetteer: None,
            gazetteer_ready: false,
            feeds: 0,
            feeds_job: None,
            watch: None,
            window: MapWindow::default(),
            window_above: startup
                .window_above
                .unwrap_or(crate::workspace::WINDOW_ABOVE),
            place_search: place_search::PlaceSearch::default(),
            focus_place_search: false,
            playback: playback::Playback::default(),
            ctx: ctx.clone(),
        };
        app.dialogs.last_export_folder = remembered.as_ref().and_then(|r| r.export_folder.clone());
        let _ = app.map.memory.set_zoom(REGION_ZOOM);
        if let Some((lat, lon, zoom)) = remembered.as_ref().and_then(|r| r.view) {
            app.map.memory.center_at(lat_lon(lat, lon));
            let _ = app.map.memory.set_zoom(zoom);
            app.map.fit_pending = false;
        }
        // With nothing asked for, the workspace saved last time, else the bundled data.
        let remembered_workspace = remembered
            .as_ref()
            .and_then(|r| r.workspace.clone())
            .filter(|path| path.is_file());
        let sources = if !startup.sources.is_empty() {
            startup.sources
        } else if let Some(path) = remembered_workspace {
            vec![Source::Workspace(path)]
        } else {
            vec![Source::bundled()]
        };
        if let Some(workspace) = workspace {
            app.set_workspace(workspace);
        } else if crate::workspace::opens_quickly(&sources) {
            // The bundled data is small: open it at once so the first frame shows it.
            match Workspace::open(&sources, &|_, _| {}) {
                Ok(workspace) => app.set_workspace(workspace),
                Err(e) => app.problems.push(e),
            }
        } else {
            app.start_opening(sources);
        }
        app
    }

    /// Replaces what is open, keeping the filter and sort.
    fn set_workspace(&mut self, workspace: Workspace) {
        // What each imported file was read as and kept, as the command line prints it.
        self.problems.extend(workspace.imports.iter().cloned());
        self.problems
            .extend(workspace.problems.iter().map(ToString::to_string));
        if let Err(problem) = workspace.shapes() {
            self.problems.push(problem.to_owned());
        }
        self.shown = Shown::new(&workspace, self.shown.filter.clone(), self.shown.sort);
        self.window = MapWindow {
            reader: workspace.window_reader(),
            ..MapWindow::default()
        };
        self.workspace = workspace;
        self.watch = self.workspace.listener().map(|listener| {
            let ctx = self.ctx.clone();
            (watch_changes(listener, ctx), String::new())
        });
        self.feeds = self.workspace.feeds().map_or(0, |f| f.len());
        self.selection = Selection::default();
        self.edit = EditState::default();
        for orphan in self.workspace.orphans() {
            self.problems
                .push(format!("Orphaned {}", orphan.describe()));
        }
        if let Some(b) = query::bounds(&self.workspace.store, &self.shown.visible) {
            self.map.home = lat_lon((b[1] + b[3]) / 2.0, (b[0] + b[2]) / 2.0);
        }
    }

    /// Opens `sources` in the background; the map keeps showing what is open until they arrive.
    fn start_opening(&mut self, sources: Vec<Source>) {
        let what = sources
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let ctx = self.ctx.clone();
        let window_above = self.window_above;
        let mapping = self.mapping.clone();
        self.loading = Some(Job::spawn(
            format!("Opening {what}"),
            move || ctx.request_repaint(),
            move |progress| {
                Workspace::open_for_view(&sources, window_above, &mapping, &|fraction, message| {
                    progress.report(fraction, message)
                })
            },
        ));
    }

    fn poll_loading(&mut self) {
        let Some(result) = self.loading.as_mut().and_then(Job::finished) else {
            return;
        };
        self.loading = None;
        let retry = self.dialogs.retry_open.take();
        match result {
            Ok(workspace) => {
                self.set_workspace(workspace);
                self.map.fit_pending = true;
            }
            // Opened from the Open window: back to it, with the path typed and the reason.
            Err(e) if retry.is_some() => {
                let path = retry.unwrap_or_default();
                self.dialogs.open = Some(open_dialog::OpenDialog::new(
                    path,
                    self.dialogs.last_mapping.clone(),
                    Some(e),
                ));
            }
            Err(e) => self.problems.push(e),
        }
    }

    /// Applies what the user chose in a panel, a menu or on the map.
    fn apply(&mut self, action: Action) {
        // The frame that drew the choice may already be done: draw one more with its effect.
        self.ctx.request_repaint();
        match action {
            Action::Select(index) => self.select(index, false),
            Action::SelectInArticle {
                incident,
                article,
                start,
            } => {
                self.select(incident, false);
                // The reader stays in the article: the evidence there, not the first source.
                if let Some(sources) = self
                    .workspace
                    .store
                    .incidents
                    .get(incident)
                    .map(|i| &i.sources)
                {
                    let here = sources
                        .iter()
                        .position(|s| s.article == article && s.start == start)
                        .or_else(|| sources.iter().position(|s| s.article == article));
                    self.selection.source = here.unwrap_or(0);
                }
            }
            Action::SelectAndCenter(index) => self.select(index, true),
            Action::ClearSelection => {
                self.selection.incident = None;
                self.selection.cluster_members = None;
            }
            Action::ShowSource(i) => {
                self.selection.source = i;
                self.selection.scroll_to_evidence = true;
            }
            Action::FitToShown => self.map.fit_pending = true,
            Action::ZoomToCluster(members) => self.zoom_to(&members),
            Action::CloseClusterMembers => self.selection.cluster_members = None,
            Action::ZoomIn => {
                let _ = self.map.memory.zoom_in();
            }
            Action::ZoomOut => {
                let _ = self.map.memory.zoom_out();
            }
            Action::SetHeatMap(on) => self.map.heat = on,
            Action::ToggleMeasure => {
                self.map.measure = match self.map.measure {
                    Some(_) => None,
                    None => Some(Vec::new()),
                };
            }
            Action::FlyTo { lat, lon, zoom } => {
                let now = self.ctx.input(|i| i.time);
                let zoom = zoom.min(self.map.basemap.max_zoom());
                self.map.flight = Some(place_search::Flight::new(
                    self.view(),
                    (lat, lon, zoom),
                    now,
                ));
                self.map.fit_pending = false;
            }
            Action::SetFilter(filter) => {
                self.shown
                    .set_filter(&self.workspace.store, filter, &self.ctx);
                self.unselect_hidden();
            }
            Action::SetSort(sort) => self.shown.set_sort(&self.workspace.store, sort, &self.ctx),
            Action::SetTheme(theme) => self.set_theme(theme),
            Action::SetTiles(choice) => {
                let theme = self.map.basemap.theme;
                self.map.basemap.switch(choice, theme, &self.ctx);
            }
            Action::OpenUrl(url) => {
                if panels::is_openable_url(&url) {
                    // Only http(s) reaches the system's browser; nothing from data goes to a shell.
                    if let Err(e) = open_in_browser(&url) {
                        self.problems.push(format!("Cannot open {url}: {e}"));
                    }
                }
            }
            Action::Open(paths) => self.open_paths(paths, true),
            Action::OpenReplacing(paths) => self.open_paths(paths, false),
            Action::AddSources(paths) => self.add_sources(paths),
            Action::OpenBundled => self.start_opening(vec![Source::bundled()]),
            Action::ShowOpenDialog => {
                let path = self.dialogs.last_open.clone();
                self.dialogs.open = Some(open_dialog::OpenDialog::new(
                    path,
                    self.dialogs.last_mapping.clone(),
                    None,
                ));
            }
            Action::ShowExportDialog => {
                let folder = export_folder(self.dialogs.last_export_folder.as_deref());
                let dialog = self
                    .dialogs
                    .export
                    .get_or_insert_with(|| ExportDialog::new(&folder));
                dialog.status = None;
                dialog.set_folder(&folder);
            }
            Action::ShowBriefingDialog => {
                let theme = self.map.basemap.theme;
                let folder = export_folder(self.dialogs.last_export_folder.as_deref());
                let dialog = self
                    .dialogs
                    .briefing
                    .get_or_insert_with(|| BriefingDialog::new(theme, &folder));
                if !dialog.open {
                    dialog.set_folder(&folder);
                }
                dialog.open = true;
            }
            Action::DismissProblem(i) => {
                if i < self.problems.len() {
                    self.problems.remove(i);
                }
            }
            Action::DismissAllProblems => self.problems.clear(),
            Action::DismissBasemapProblem => self.map.basemap.problem = None,
            Action::Quit => self.ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Correct { incident, change } => {
                self.correct(Target::Incident(incident), change);
            }
            Action::AddIncident {
                article,
                start,
                end,
            } => self.add_incident(article, start, end),
            Action::SetArticle { article, meta } => {
                self.correct(Target::Article(article), Change::SetArticle { meta });
            }
            Action::PlaceAt { incident, lat, lon } => {
                let gazetteer = self
                    .gazetteer_ready
                    .then(|| crate::gazetteer::Gazetteer::bundled().ok())
                    .flatten();
                let patch = Patch {
                    location: Some(crate::workspace::places::location_at(gazetteer, lat, lon)),
                    ..Patch::default()
                };
                self.correct(Target::Incident(incident), Change::Edit { patch });
            }
            Action::Undo | Action::Redo if self.refuse_read_only("Undo") => {}
            Action::Undo => {
                let undone = self.workspace.undo();
                self.after_correction(undone.map(|_| None), "Undo");
            }
            Action::Redo => {
                let redone = self.workspace.redo();
                self.after_correction(redone.map(|_| None), "Redo");
            }
            Action::ShowNewArticle { from_url } => {
                let mode = if from_url {
                    article_dialog::Mode::Url
                } else {
                    article_dialog::Mode::Paste
                };
                self.dialogs.article = Some(ArticleDialog::new(mode));
            }
            Action::UpdateFeeds => self.update_feeds(),
            Action::ShowSaveWorkspace => {
                self.dialogs.save_workspace = Some(default_workspace_path().display().to_string());
            }
            Action::SaveWorkspace(path) => match self.workspace.save_as(&path) {
                Ok(()) => {
                    self.dialogs.save_workspace = None;
                    self.problems.push(format!(
                        "Corrections are saved in {} as they are made",
                        path.display()
                    ));
                }
                Err(e) => self
                    .problems
                    .push(format!("Cannot save the workspace: {e}")),
            },
            Action::Annotate { mark, text } => match self.workspace.annotate(mark, &text) {
                Ok(id) => {
                    self.marks.selected = Some(id);
                    self.offer_to_save();
                }
                Err(e) => self.problems.push(format!("The mark was not made: {e}")),
            },
            Action::UpdateAnnotation { id, mark, text } => {
                if let Err(e) = self.workspace.update_annotation(id, mark, &text) {
                    self.problems.push(format!("The mark was not changed: {e}"));
                }
            }
            Action::DeleteAnnotation(id) => {
                if let Err(e) = self.workspace.remove_annotation(id) {
                    self.problems.push(format!("The mark was not deleted: {e}"));
                }
                if self.marks.selected == Some(id) {
                    self.marks.selected = None;
                }
            }
            Action::CopyBriefing => {
                let theme = self.map.basemap.theme;
                let view = self.briefing_view();
                let folder = export_folder(self.dialogs.last_export_folder.as_deref());
                let dialog = self
                    .dialogs
                    .briefing
                    .get_or_insert_with(|| BriefingDialog::new(theme, &folder));
                dialog.open = true;
                dialog.copy(&self.ctx, &self.workspace, view);
            }
        }
    }

    /// The first change of an analyst's that is not saved offers to keep it in a workspace.
    fn offer_to_save(&mut self) {
        if self.workspace.location().is_none()
            && !self.dialogs.save_declined
            && self.dialogs.save_workspace.is_none()
        {
            self.apply(Action::ShowSaveWorkspace);
        }
    }

    /// Lets go of the selected incident when the filter shown no longer lets it through.
    fn unselect_hidden(&mut self) {
        if let Some(selected) = self.selection.incident
            && self.shown.visible.binary_search(&selected).is_err()
        {
            self.selection.incident = None;
        }
    }

    /// Makes a correction through the workspace, then shows its effect.
    fn correct(&mut self, target: Target, change: Change) {
        if self.refuse_read_only("The correction") {
            return;
        }
        let result = self.workspace.correct(target, change, None);
        self.after_correction(result, "The correction");
    }

    /// Says so when the workspace may only be read (a server role granted no writes); true
    /// when it is.
    fn refuse_read_only(&mut self, what: &str) -> bool {
        if !self.workspace.read_only() {
            return false;
        }
        self.problems.push(format!(
            "{what} was not made: your database role may view and export this workspace, not change it"
        ));
        true
    }

    /// Shows what a correction (or undo) changed: the incidents again, the same one selected.
    fn after_correction(&mut self, result: Result<Option<usize>, String>, what: &str) {
        let selected_id = self.selected_id();
        // A refused correction may still have brought in others' changes (on a server): the
        // incidents are shown again either way.
        self.show_again(selected_id);
        if let Some(now) = result.as_ref().ok().copied().flatten() {
            self.selection.incident = Some(now);
        }
        match result {
            Ok(_) => {
                self.selection.cluster_members = None;
                if self.workspace.can_undo() {
                    // The first correction offers to keep them.
                    self.offer_to_save();
                }
            }
            Err(e) => self.problems.push(format!("{what} was not made: {e}")),
        }
    }

    /// Adds an incident whose evidence is the selected words, placed and dated like the
    /// incident selected (or the article's first), then opens it for correction.
    fn add_incident(&mut self, article: String, start: usize, end: usize) {
        let store = &self.workspace.store;
        let Some(text) = store.article(&article).map(|a| a.text.clone()) else {
            return;
        };
        let template = self
            .selection
            .incident
            .and_then(|i| store.incidents.get(i))
            .or_else(|| {
                store
                    .incidents
                    .iter()
                    .find(|i| i.sources.iter().any(|s| s.article == article))
            });
        let published = store.article(&article).and_then(|a| a.published);
        let location = template.map(|t| t.location.clone()).unwrap_or_else(|| {
            crate::workspace::places::location_at(None, REGION_CENTER.0, REGION_CENTER.1)
        });
        let words: String = text.chars().skip(start).take(end - start).collect();
        let incident = crate::store::Incident {
            id: String::new(),
            date: template.and_then(|t| t.date).or(published),
            date_precision: if template.and_then(|t| t.date).or(published).is_some() {
                crate::store::DatePrecision::Day
            } else {
                crate::store::DatePrecision::Unknown
            },
            event_type: crate::store::EventType::StrategicDevelopments,
            sub_event_type: crate::store::SubEventType::Other,
            actors: Vec::new(),
            fatalities: None,
            counts: Default::default(),
            location,
            sources: Vec::new(),
            summary: words.split_whitespace().collect::<Vec<_>>().join(" "),
            review: Default::default(),
            coded: None,
        };
        let anchor = Anchor {
            article,
            start,
            end,
            text: words,
            id: String::new(),
        };
        self.correct(
            Target::Span(anchor),
            Change::Add {
                incident: Box::new(incident),
            },
        );
        if let Some(added) = self
            .selection
            .incident
            .and_then(|i| self.workspace.store.incidents.get(i))
        {
            self.edit.edit(added);
            self.load_gazetteer();
        }
    }

    /// Adds a pasted or fetched article to the workspace, shows its incidents and selects
    /// the first.
    fn add_article(&mut self, added: article_dialog::Added) {
        let title = added
            .article
            .article
            .title
            .clone()
            .unwrap_or_else(|| added.article.article.id.clone());
        match self
            .workspace
            .add_held(vec![(added.location, added.article)], &mut |_| {})
        {
            Ok((ids, report)) => {
                self.problems
                    .extend(report.problems.iter().map(|p| p.summary.clone()));
                self.shown =
                    Shown::new(&self.workspace, self.shown.filter.clone(), self.shown.sort);
                let store = &self.workspace.store;
                let found: Vec<usize> = store
                    .incidents
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.sources.iter().any(|s| ids.contains(&s.article)))
                    .map(|(n, _)| n)
                    .collect();
                self.problems.push(match found.len() {
                    0 => format!("Added “{title}”: no incident found in it"),
                    1 => format!("Added “{title}”: 1 incident"),
                    n => format!("Added “{title}”: {n} incidents"),
                });
                if let Some(&first) = found.first() {
                    self.select(first, true);
                }
                if self.workspace.file_path().is_none()
                    && !self.dialogs.save_declined
                    && self.dialogs.save_workspace.is_none()
                {
                    self.apply(Action::ShowSaveWorkspace);
                }
            }
            Err(e) => self.problems.push(format!("“{title}” was not added: {e}")),
        }
    }

    /// Follows a feed in the open workspace (saving the workspace first if it is not).
    fn follow_feed(&mut self, url: &str) {
        match self.workspace.add_feed(url) {
            Ok(()) => {
                self.feeds = self.workspace.feeds().map_or(0, |f| f.len());
                self.problems.push(format!(
                    "Following {url}: File → Update feeds takes in its items"
                ));
            }
            Err(e) => {
                self.problems.push(format!("{url} is not followed: {e}"));
                if self.workspace.file_path().is_none() {
                    self.apply(Action::ShowSaveWorkspace);
                }
            }
        }
    }

    /// Takes in others' changes to a shared workspace once the watch job has heard of them.
    fn poll_watch(&mut self) {
        let Some((job, last)) = self.watch.as_mut() else {
            return;
        };
        match job.poll() {
            Poll::Running if job.message != *last => *last = job.message.clone(),
            Poll::Running => return,
            Poll::Done(result) => {
                if let Err(e) = result {
                    self.problems
                        .push(format!("Others' changes are no longer followed: {e}"));
                }
                self.watch = None;
                return;
            }
            Poll::Lost => {
                self.watch = None;
                return;
            }
        }
        let selected_id = self.selected_id();
        match self.workspace.refresh() {
            Ok(true) if self.workspace.windowed().is_some() => self.window.asked = None,
            Ok(true) => self.show_again(selected_id),
            Ok(false) => {}
            Err(e) => self
                .problems
                .push(format!("Others' changes could not be read: {e}")),
        }
    }

    /// On a workspace read window by window: takes in the answer for the map's window when it
    /// arrives, and asks again when the window or the filter changed.
    fn poll_window(&mut self) {
        if let Some(job) = self.window.job.as_mut() {
            match job.poll() {
                Poll::Running => return,
                Poll::Done((reader, answer)) => {
                    self.window.job = None;
                    self.window.reader = Some(reader);
                    match answer {
                        Ok(answer) => self.show_window(answer),
                        Err(e) => self.problems.push(format!("The map's window: {e}")),
                    }
                }
                Poll::Lost => {
                    self.window.job = None;
                    self.window.reader = self.workspace.window_reader();
                }
            }
        }
        let Some(bbox) = self.window.bbox else {
            return;
        };
        let query = window_query(bbox, &self.shown.filter);
        if self.window.asked.as_ref() == Some(&query) {
            return;
        }
        let Some(mut reader) = self.window.reader.take() else {
            return;
        };
        self.window.asked = Some(query.clone());
        self.window.asked_at = Some(std::time::Instant::now());
        let ctx = self.ctx.clone();
        self.window.job = Some(Job::spawn(
            "Reading the map's window",
            move || ctx.request_repaint(),
            move |_| {
                let answer = reader.window(&query);
                (reader, answer)
            },
        ));
    }

    /// Shows what the server sent for the map's window: its incidents, or the cells that
    /// count them.
    fn show_window(&mut self, answer: WindowAnswer) {
        let selected_id = self.selected_id();
        match answer {
            WindowAnswer::Incidents(incidents) => {
                std::sync::Arc::make_mut(&mut self.workspace.store).incidents = incidents;
                self.window.cells.clear();
            }
            WindowAnswer::Cells(cells) => {
                std::sync::Arc::make_mut(&mut self.workspace.store)
                    .incidents
                    .clear();
                self.window.cells = cells;
            }
        }
        self.show_again(selected_id);
        self.selection.cluster_members = None;
    }

    /// The id of the incident selected, which outlives its index when the incidents change.
    fn selected_id(&self) -> Option<String> {
        self.selection
            .incident
            .and_then(|i| self.workspace.store.incidents.get(i))
            .map(|i| i.id.clone())
    }

    /// Shows the workspace's incidents again after they changed, the incident `selected`
    /// still selected where it is still there.
    fn show_again(&mut self, selected: Option<String>) {
        self.shown.refresh(&self.workspace, &self.ctx);
        self.selection.incident = selected.and_then(|id| {
            self.workspace
                .store
                .incidents
                .iter()
                .position(|i| i.id == id)
        });
    }

    /// Looks at the followed feeds in the background.
    fn update_feeds(&mut self) {
        if self.feeds_job.is_some() {
            return;
        }
        let feeds = match self.workspace.feeds() {
            Ok(feeds) => feeds,
            Err(e) => {
                self.problems.push(e);
                return;
            }
        };
        let ctx = self.ctx.clone();
        self.feeds_job = Some(Job::spawn(
            "Updating feeds",
            move || ctx.request_repaint(),
            move |progress| {
                let count = feeds.len().max(1) as f32;
                let done = std::cell::Cell::new(0.0_f32);
                let collected = crate::articles::feeds::collect(
                    &feeds,
                    &crate::articles::web::Limits::default(),
                    &|what| {
                        if what.starts_with("Checking") {
                            done.set(done.get() + 1.0);
                        }
                        progress.report((done.get() / count).min(0.99), what);
                    },
                );
                Ok(collected)
            },
        ));
    }

    fn poll_feeds(&mut self) {
        let Some(result) = self.feeds_job.as_mut().and_then(Job::finished) else {
            return;
        };
        self.feeds_job = None;
        let taken =
            result.and_then(|collected| self.workspace.take_feed_items(collected, &mut |_| {}));
        match taken {
            Ok(update) => {
                self.problems.extend(update.problems.iter().cloned());
                self.shown =
                    Shown::new(&self.workspace, self.shown.filter.clone(), self.shown.sort);
                self.problems.push(format!(
                    "Feeds updated: {} new {}, {} new {}",
                    update.articles,
                    if update.articles == 1 {
                        "article"
                    } else {
                        "articles"
                    },
                    update.incidents,
                    if update.incidents == 1 {
                        "incident"
                    } else {
                        "incidents"
                    },
                ));
            }
            Err(e) => self
                .problems
                .push(format!("The feeds were not updated: {e}")),
        }
    }

    /// Starts loading the gazetteer for place suggestions, once.
    fn load_gazetteer(&mut self) {
        if self.gazetteer.is_some() || self.gazetteer_ready {
            return;
        }
        let ctx = self.ctx.clone();
        self.gazetteer = Some(Job::spawn(
            "Loading the gazetteer".to_owned(),
            move || ctx.request_repaint(),
            |_| {
                let gazetteer =
                    crate::gazetteer::Gazetteer::bundled().map_err(|e| e.to_string())?;
                gazetteer.prepare_names();
                Ok(())
            },
        ));
    }

    fn poll_gazetteer(&mut self) {
        if let Some(result) = self.gazetteer.as_mut().and_then(Job::finished) {
            self.gazetteer = None;
            self.gazetteer_ready = result.is_ok();
            if let Err(e) = result {
                self.problems.push(format!("No place suggestions: {e}"));
            }
        }
    }

    /// Whether the gazetteer is ready for suggestions (for tests: it loads in the background).
    pub fn gazetteer_ready(&self) -> bool {
        self.gazetteer_ready
    }

    fn save_workspace_dialog(&mut self) -> Option<Action> {
        let mut path = self.dialogs.save_workspace.take()?;
        let mut keep_open = true;
        let mut declined = false;
        let mut chosen = None;
        egui::Window::new("Save your corrections")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut keep_open)
            .show(&self.ctx, |ui| {
                ui.label("Corrections are kept in a workspace file (a GeoPackage that GIS programs open too). Each correction is saved as it is made, and the next start reopens it.");
                ui.add(egui::TextEdit::singleline(&mut path).desired_width(460.0));
                ui.horizontal(|ui| {
                    if ui.button("Save workspace").clicked() {
                        chosen = Some(PathBuf::from(path.trim()));
                    }
                    if ui.button("Not now").clicked() {
                        declined = true;
                    }
                });
            });
        if let Some(chosen) = chosen {
            if let Some(parent) = chosen.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = std::fs::create_dir_all(parent);
            }
            self.dialogs.save_workspace = Some(path);
            return Some(Action::SaveWorkspace(chosen));
        }
        if keep_open && !declined {
            self.dialogs.save_workspace = Some(path);
        } else {
            self.dialogs.save_declined = true;
        }
        None
    }

    fn select(&mut self, index: usize, center: bool) {
        let Some(incident) = self.workspace.store.incidents.get(index) else {
            return;
        };
        self.selection.incident = Some(index);
        self.selection.source = 0;
        self.selection.scroll_to_evidence = true;
        self.selection.scroll_list = true;
        if center {
            let loc = &incident.location;
            self.map.memory.center_at(lat_lon(loc.lat, loc.lon));
        }
    }

    fn zoom_to(&mut self, members: &[usize]) {
        if let Some(b) = query::bounds(&self.workspace.store, members) {
            let (lat, lon, zoom) = query::fit_view(b, self.map.size);
            self.map.memory.center_at(lat_lon(lat, lon));
            let _ = self
                .map
                .memory
                .set_zoom(zoom.max(self.map.memory.zoom() + 1.0).min(18.0));
        }
    }

    fn fit_to_shown(&mut self) {
        if let Some(b) = self.shown.bounds(&self.workspace.store) {
            // A lone place is shown with its surroundings, not at street level.
            let pad = 1.5;
            let padded = [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad];
            let (lat, lon, zoom) = query::fit_view(padded, self.map.size);
            self.map.memory.center_at(lat_lon(lat, lon));
            let _ = self.map.memory.set_zoom(zoom);
        } else {
            self.map
                .memory
                .center_at(lat_lon(REGION_CENTER.0, REGION_CENTER.1));
            let _ = self.map.memory.set_zoom(REGION_ZOOM);
        }
    }

    /// Steps the selection through the list: +1 next, -1 previous.
    fn step_selection(&mut self, step: isize) {
        let rows = &self.shown.rows;
        if rows.is_empty() {
            return;
        }
        let position = self
            .selection
            .incident
            .and_then(|s| rows.iter().position(|&r| r == s));
        let next = match position {
            Some(p) => (p as isize + step).clamp(0, rows.len() as isize - 1) as usize,
            None if step >= 0 => 0,
            None => rows.len() - 1,
        };
        self.select(rows[next], true);
    }

    /// The keyboard's choices.
    fn keys(&mut self) -> Vec<Action> {
        let ctx = &self.ctx;
        // Keys typed into a text field belong to it.
        if ctx.egui_wants_keyboard_input() {
            if ctx.input(|i| i.key_pressed(Key::Escape)) {
                ctx.memory_mut(|m| m.stop_text_input());
            }
            return Vec::new();
        }
        let mut actions = Vec::new();
        let redo = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        if ctx.input_mut(|i| i.consume_key(redo, Key::Z)) {
            actions.push(Action::Redo);
        } else if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Z)) {
            actions.push(Action::Undo);
        }
        let copy = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
        if ctx.input_mut(|i| i.consume_key(copy, Key::C)) {
            actions.push(Action::CopyBriefing);
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::E)) {
            actions.push(Action::ShowBriefingDialog);
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::G)) {
            self.focus_place_search = true;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::N)) {
            actions.push(Action::ShowNewArticle { from_url: false });
        }
        let (next, previous, escape, find, zoom_in, zoom_out) = ctx.input_mut(|i| {
            (
                i.key_pressed(Key::J) || i.key_pressed(Key::ArrowDown),
                i.key_pressed(Key::K) || i.key_pressed(Key::ArrowUp),
                i.key_pressed(Key::Escape),
                i.consume_key(egui::Modifiers::COMMAND, Key::F),
                i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals),
                i.key_pressed(Key::Minus),
            )
        });
        if next {
            self.step_selection(1);
        }
        if previous {
            self.step_selection(-1);
        }
        if escape && !self.close_top_dialog() {
            actions.push(Action::ClearSelection);
        }
        if find {
            self.focus_search = true;
        }
        if zoom_in {
            actions.push(Action::ZoomIn);
        }
        if zoom_out {
            actions.push(Action::ZoomOut);
        }
        actions
    }

    /// Esc closes the window in front (a dialog, then a cluster's list) before it clears the
    /// selection; returns whether one was closed.
    fn close_top_dialog(&mut self) -> bool {
        let dialogs = &mut self.dialogs;
        if dialogs.save_workspace.take().is_some() {
            dialogs.save_declined = true;
            return true;
        }
        if dialogs.open.take().is_some()
            || dialogs.add_or_replace.take().is_some()
            || dialogs.article.take().is_some()
        {
            return true;
        }
        // A running export keeps its window: it says when the file is written.
        if dialogs.export.as_ref().is_some_and(|e| !e.running()) {
            dialogs.export = None;
            return true;
        }
        if let Some(briefing) = dialogs.briefing.as_mut().filter(|b| b.open) {
            briefing.open = false;
            return true;
        }
        if self.map.measure.take().is_some() {
            return true;
        }
        self.selection.cluster_members.take().is_some()
    }

    /// Screen positions of the markers drawn in the last frame, by incident index.
    pub fn marker_positions(&self) -> HashMap<usize, egui::Pos2> {
        self.map.last_outcome.positions(&self.shown.index)
    }

    /// The cells counting the map's window of a workspace read window by window, when it
    /// holds too many incidents to list.
    pub fn window_cells(&self) -> &[crate::workspace::server::Cell] {
        &self.window.cells
    }

    pub fn selected(&self) -> Option<usize> {
        self.selection.incident
    }

    pub fn visible(&self) -> &[usize] {
        &self.shown.visible
    }

    pub fn store(&self) -> &Store {
        &self.workspace.store
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn filter(&self) -> &Filter {
        &self.shown.filter
    }

    /// The filter whose result the list and the map show: the one asked for, or the one before
    /// while its result is computed.
    pub fn filter_on_screen(&self) -> &Filter {
        self.shown.filter_on_screen()
    }

    /// Does what a panel, a menu or the map would on the user's choice.
    pub fn act(&mut self, action: Action) {
        self.apply(action);
    }

    /// Adds a notice to the map's queue, as a problem found while opening would.
    pub fn notify(&mut self, notice: impl Into<String>) {
        self.problems.push(notice.into());
    }

    /// The points clicked while measuring a distance; `None` when not measuring.
    pub fn measuring(&self) -> Option<&[(f64, f64)]> {
        self.map.measure.as_deref()
    }

    /// Which of the selected incident's sources the side panel shows.
    pub fn shown_source(&self) -> usize {
        self.selection.source
    }

    /// Sets the filter as the panels do.
    pub fn set_filter(&mut self, filter: Filter) {
        self.apply(Action::SetFilter(filter));
    }

    /// Moves the map to centre (lat, lon) at `zoom`, as panning and zooming there would.
    pub fn set_view(&mut self, lat: f64, lon: f64, zoom: f64) {
        self.map.memory.center_at(lat_lon(lat, lon));
        let _ = self.map.memory.set_zoom(zoom);
        self.map.fit_pending = false;
    }

    /// Map centre (lat, lon) and zoom.
    pub fn view(&self) -> (f64, f64, f64) {
        let center = self.map.memory.detached().unwrap_or(self.map.home);
        (center.y(), center.x(), self.map.memory.zoom())
    }

    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Basemap tiles still being fetched or decoded.
    pub fn tiles_loading(&self) -> usize {
        self.map.basemap.loading()
    }

    /// Whether work is still running in the background: data opening, an export or a briefing
    /// being written, tiles arriving.
    pub fn busy(&self) -> bool {
        self.loading.is_some()
            || self.feeds_job.is_some()
            || self.map.flight.is_some()
            || self.gazetteer.is_some()
            || self
                .dialogs
                .open
                .as_ref()
                .is_some_and(open_dialog::OpenDialog::picking)
            || self.tiles_loading() > 0
            || self
                .dialogs
                .export
                .as_ref()
                .is_some_and(ExportDialog::running)
            || self
                .dialogs
                .briefing
                .as_ref()
                .is_some_and(BriefingDialog::running)
            || self
                .dialogs
                .article
                .as_ref()
                .is_some_and(ArticleDialog::fetching)
    }

    /// The last briefing export's outcome: `Ok("Saved PATH")` or the error.
    /// The analyst's marks on the map.
    pub fn annotations(&self) -> &[crate::workspace::annotations::Annotation] {
        self.workspace.annotations()
    }

    /// The selected mark.
    pub fn selected_annotation(&self) -> Option<i64> {
        self.marks.selected
    }

    pub fn briefing_outcome(&self) -> Option<&Result<String, String>> {
        self.dialogs.briefing.as_ref()?.outcome.as_ref()
    }

    /// What a briefing image of the current view shows.
    fn briefing_view(&self) -> BriefingView {
        let (lat, lon, zoom) = self.view();
        BriefingView {
            filter: self.shown.filter.clone(),
            view: crate::briefing::MapView { lat, lon, zoom },
            tiles: self.map.basemap.choice.clone(),
        }
    }

    /// Switches the interface and the map between light and dark.
    pub fn set_theme(&mut self, theme: Theme) {
        apply_theme(&self.ctx, theme);
        let tiles = self.map.basemap.choice.clone();
        self.map.basemap.switch(tiles, theme, &self.ctx);
    }

    /// The Open window and the question about dropped files.
    fn open_dialogs(&mut self) {
        let has_data = !self.workspace.store.incidents.is_empty();
        if let Some(dialog) = &mut self.dialogs.open {
            let (stays, chosen) = dialog.show(&self.ctx, has_data);
            let mapping = dialog.mapping.clone();
            if !stays {
                self.dialogs.open = None;
            }
            if let Some(chosen) = chosen {
                let (path, add) = match chosen {
                    open_dialog::Chosen::Add(path) => (path, true),
                    open_dialog::Chosen::Replace(path) => (path, false),
                };
                // The window checked the mapping before it let the path go.
                self.mapping = crate::exchange::Mapping::parse(&mapping).unwrap_or_default();
                self.dialogs.last_mapping = mapping;
                let typed = path.display().to_string();
                self.dialogs.last_open.clone_from(&typed);
                self.dialogs.retry_open = Some(typed);
                self.apply(if add {
                    Action::AddSources(vec![path])
                } else {
                    Action::OpenReplacing(vec![path])
                });
            }
        }
        if let Some(paths) = &self.dialogs.add_or_replace
            && let Some(answer) = open_dialog::add_or_replace(&self.ctx, paths)
        {
            let paths = self.dialogs.add_or_replace.take().unwrap_or_default();
            match answer {
                Some(open_dialog::DropChoice::Add) => self.apply(Action::AddSources(paths)),
                Some(open_dialog::DropChoice::Replace) => {
                    self.apply(Action::OpenReplacing(paths));
                }
                None => {}
            }
        }
    }

    /// Switches the basemap to the first .pmtiles file among `paths`; returns the rest.
    fn take_basemap(&mut self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        let (tiles, data): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| crate::view::basemap::is_tile_archive_path(p));
        if let Some(file) = tiles.into_iter().next() {
            let theme = self.map.basemap.theme;
            self.map
                .basemap
                .switch(TileChoice::File(file), theme, &self.ctx);
        }
        data
    }

    /// Opens what the user chose or dropped: basemaps switch the tiles, everything else is data.
    /// With `ask`, while incidents are open, the user is first asked to add or replace.
    fn open_paths(&mut self, paths: Vec<PathBuf>, ask: bool) {
        let data = self.take_basemap(paths);
        if data.is_empty() {
            self.dialogs.retry_open = None;
        } else if ask && !self.workspace.store.incidents.is_empty() {
            self.dialogs.add_or_replace = Some(data);
        } else {
            self.start_opening(data.into_iter().map(Source::from_path).collect());
        }
    }

    /// Adds files or folders to what is open: a saved workspace takes them as new sources
    /// (ingested with the rest), unsaved data is opened again with them.
    fn add_sources(&mut self, paths: Vec<PathBuf>) {
        let data = self.take_basemap(paths);
        if data.is_empty() {
            self.dialogs.retry_open = None;
            return;
        }
        let added: Vec<Source> = data.into_iter().map(Source::from_path).collect();
        if let Some(file) = self.workspace.file_path().map(std::path::Path::to_path_buf) {
            let what = added
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let ctx = self.ctx.clone();
            self.loading = Some(Job::spawn(
                format!("Adding {what}"),
                move || ctx.request_repaint(),
                move |progress| {
                    let mut workspace = Workspace::open_file(&file)?;
                    workspace.add_sources(&added, &mut |step| {
                        progress.report(step.fraction(), step.describe());
                    })?;
                    Ok(workspace)
                },
            ));
        } else if self.workspace.can_undo() {
            // Opening again would lose corrections kept only in memory.
            self.dialogs.retry_open = None;
            self.problems.push(
                "Your corrections are not saved yet: save the workspace, then add to it".to_owned(),
            );
            self.apply(Action::ShowSaveWorkspace);
        } else {
            let mut all = self.workspace.sources.clone();
            for source in added {
                if !all.contains(&source) {
                    all.push(source);
                }
            }
            self.start_opening(all);
        }
    }

    /// The map with its markers and overlays.
    fn map(&mut self, ui: &mut Ui) -> Option<Action> {
        self.map.size = ui.available_size();
        if self.map.fit_pending && self.map.size.x > 50.0 {
            self.fit_to_shown();
            self.map.fit_pending = false;
        }
        let store = &self.workspace.store;
        let shown = &mut self.shown;
        let selected = self.selection.incident;
        let home = self.map.home;
        let theme = self.map.basemap.theme;
        let tiles = self.map.basemap.tiles();
        let placing = self.edit.placing;
        let cells = &self.window.cells;
        let measuring = self.map.measure.clone();
        let heat = self.map.heat;
        let dark = ui.visuals().dark_mode;
        if let Some(flight) = self.map.flight {
            let ((lat, lon, zoom), done) = flight.at(ui.input(|i| i.time));
            self.map.memory.center_at(lat_lon(lat, lon));
            let _ = self.map.memory.set_zoom(zoom);
            if done {
                self.map.flight = None;
            } else {
                ui.ctx().request_repaint();
            }
        }
        // The sea behind the tiles: never a bare black frame around the world.
        ui.painter()
            .rect_filled(ui.max_rect(), 0.0, crate::view::basemap::sea_color(theme));
        let marks = &mut self.marks;
        let notes = self.workspace.annotations();
        let pans = marks.lets_map_pan(ui);
        let response = Map::new(Some(tiles), &mut self.map.memory, home)
            .zoom_with_ctrl(false)
            .drag_pan_buttons(if pans {
                egui::DragPanButtons::PRIMARY
            } else {
                egui::DragPanButtons::empty()
            })
            .show(ui, |ui, response, projector, _memory| {
                let clip = projector.clip_rect();
                let south_west = projector.unproject(clip.left_bottom().to_vec2());
                let north_east = projector.unproject(clip.right_top().to_vec2());
                let bbox = [
                    south_west.x(),
                    south_west.y(),
                    north_east.x(),
                    north_east.y(),
                ];
                let areas = markers::AreaLayer {
                    shapes: &shown.facets.area_shapes,
                    incidents: &shown.area_incidents,
                };
                let outcome = if heat {
                    let view = crate::view::index::View::from_projector(projector);
                    crate::view::heat::draw(ui, &view, &mut shown.index, projector.clip_rect());
                    MapOutcome::default()
                } else {
                    markers::draw_incidents(
                        ui,
                        projector,
                        store,
                        &mut shown.index,
                        selected,
                        &areas,
                    )
                };
                // Placing an incident, or measuring: where the map was clicked.
                let placed = (placing.is_some() || measuring.is_some())
                    .then_some(())
                    .filter(|_| response.clicked())
                    .and(response.interact_pointer_pos())
                    .map(|pointer| projector.unproject(pointer.to_vec2()));
                if let Some(points) = &measuring {
                    crate::view::measure::draw(ui.painter(), projector, points, dark);
                }
                let on_marks = if placing.is_some() || measuring.is_some() {
                    Default::default()
                } else {
                    marks.on_map(ui, response, projector, notes)
                };
                // Last, so that nothing drawn later takes a click meant for a cell.
                let cell_clicked = markers::draw_cells(ui, projector, cells);
                (outcome, placed, bbox, cell_clicked, on_marks)
            });
        // Past the tiles' deepest zoom the map would go blank; stop there instead.
        if self.map.memory.zoom() > self.map.basemap.max_zoom() {
            let _ = self.map.memory.set_zoom(self.map.basemap.max_zoom());
        }
        // Zoomed out, the world fills the map's height: never a small tile in a frame.
        let min_zoom = min_zoom(self.map.size);
        if self.map.memory.zoom() < min_zoom {
            let _ = self.map.memory.set_zoom(min_zoom);
        }
        let (outcome, placed, bbox, cell_clicked, on_marks) = response.inner;
        if self.workspace.windowed().is_some() {
            self.window.bbox = Some(bbox);
        }
        if let Some((lat, lon)) = cell_clicked {
            // A cell opens by zooming in on it.
            self.map.memory.center_at(lat_lon(lat, lon));
            let _ = self
                .map
                .memory
                .set_zoom((self.map.memory.zoom() + 2.0).min(self.map.basemap.max_zoom()));
        }
        let map_rect = response.response.rect;
        let mut action = on_marks.action;
        let toolbar = self
            .marks
            .toolbar(ui, map_rect, self.workspace.annotations());
        action = action.or(toolbar);
        if let (None, Some(points), Some(at)) = (placing, self.map.measure.as_mut(), placed) {
            // A third click starts a new measure.
            if points.len() >= 2 {
                points.clear();
            }
            points.push((at.y(), at.x()));
            ui.ctx().request_repaint();
        } else if let (Some(incident), Some(at)) = (placing, placed) {
            self.edit.placing = None;
            action = Some(Action::PlaceAt {
                incident,
                lat: at.y(),
                lon: at.x(),
            });
        } else if placing.is_some() || self.map.measure.is_some() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
        }
        if action.is_some() || on_marks.consumed {
        } else if let Some(index) = outcome.clicked_incident {
            self.selection.cluster_members = None;
            action = Some(Action::Select(index));
        } else if let Some(members) = outcome.clicked_cluster.clone() {
            action = self.cluster_clicked(members);
        } else if response.response.clicked() {
            self.selection.cluster_members = None;
        }
        self.map.last_outcome = outcome;
        let loading = self
            .loading
            .as_ref()
            .map(|job| (job.what.as_str(), job.progress, job.message.as_str()))
            .or_else(|| {
                let job = self.feeds_job.as_ref()?;
                Some((job.what.as_str(), job.progress, job.message.as_str()))
            })
            .or_else(|| {
                // A window the server takes long over (a zoomed-out count) is said, not silent.
                let job = self.window.job.as_ref()?;
                let slow = self
                    .window
                    .asked_at
                    .is_some_and(|at| at.elapsed() > std::time::Duration::from_millis(400));
                slow.then_some((job.what.as_str(), 0.0, "waiting for the server"))
            });
        let overlays = chrome::map_overlays(
            ui,
            map_rect,
            &chrome::OverlayState {
                basemap: &self.map.basemap,
                store: &self.workspace.store,
                shown: &self.shown,
                selected: self.selection.incident,
                cluster_members: self.selection.cluster_members.as_deref(),
                problems: &self.problems,
                loading,
                read_by_window: self.workspace.windowed().is_some(),
                measure: self.map.measure.as_deref(),
                heat: self.map.heat,
                view: self.view(),
                missing_tiles: {
                    let (lat, lon, zoom) = self.view();
                    self.map.basemap.missing_here(lat, lon, zoom)
                },
            },
        );
        overlays.or(action)
    }

    /// The "Go to place" field at the menu bar's right end; the map flies to the place chosen.
    fn place_search_field(&mut self, ui: &mut Ui) {
        let focus = std::mem::take(&mut self.focus_place_search);
        if focus || !self.place_search.text.is_empty() {
            self.load_gazetteer();
        }
        let gazetteer = self
            .gazetteer_ready
            .then(|| crate::gazetteer::Gazetteer::bundled().ok())
            .flatten();
        let (lat, lon, _) = self.view();
        if let Some(place) = self.place_search.show(ui, gazetteer, (lat, lon), focus) {
            self.apply(Action::FlyTo {
                lat: place.lat,
                lon: place.lon,
                zoom: place.zoom,
            });
        }
    }

    /// A click on a cluster: zoom into it, or list its members where zooming cannot part them.
    fn cluster_clicked(&mut self, members: Vec<usize>) -> Option<Action> {
        let store = &self.workspace.store;
        let same_place = members.windows(2).all(|w| {
            let (a, b) = (
                &store.incidents[w[0]].location,
                &store.incidents[w[1]].location,
            );
            (a.lat - b.lat).abs() < 1e-6 && (a.lon - b.lon).abs() < 1e-6
        });
        // Markers at one spot never separate by zooming: list them instead. Either, not both.
        if !same_place && self.map.memory.zoom() < 11.0 {
            self.selection.cluster_members = None;
            Some(Action::ZoomToCluster(members))
        } else {
            self.selection.cluster_members = Some(members);
            None
        }
    }
}

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember(storage);
    }
}

impl ViewerApp {
    /// One frame of the whole window. What the user chose in each part is applied as soon as
    /// that part is drawn, so the parts drawn after it already show the change.
    pub fn show(&mut self, ui: &mut Ui) {
        self.poll_loading();
        // A filter or sort worked out in the background, once it is ready. The incidents
        // shown again after a correction keep the selection, as they do when worked out at once.
        let after_correction = self.shown.rebuilding();
        if self.shown.poll() && !after_correction {
            self.unselect_hidden();
        }
        self.poll_gazetteer();
        self.poll_feeds();
        self.poll_watch();
        self.poll_window();
        self.map.basemap.poll(&self.ctx);
        for action in self.keys() {
            self.apply(action);
        }
        let dropped: Vec<PathBuf> = self.ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.apply(Action::Open(dropped));
        }

        egui::Panel::top("menu").show(ui, |ui| {
            let edit_menu = chrome::EditMenu {
                heat: self.map.heat,
                can_undo: self.workspace.can_undo(),
                can_redo: self.workspace.can_redo(),
                saved_in: self.workspace.file_path().map(|p| p.display().to_string()),
                feeds: self.feeds,
            };
            let menu_top = ui.cursor().top();
            if let Some(action) = chrome::menu_bar(ui, &self.map.basemap, &edit_menu) {
                self.apply(action);
            }
            // "Go to place" at the right end of the menu bar's row, over its empty part.
            let row = egui::Rect::from_min_max(
                egui::pos2(ui.max_rect().right() - 250.0, menu_top),
                egui::pos2(ui.max_rect().right(), ui.cursor().top()),
            );
            ui.scope_builder(
                egui::UiBuilder::new()
                    .max_rect(row)
                    .layout(egui::Layout::left_to_right(egui::Align::Center)),
                |ui| self.place_search_field(ui),
            );
            let total = self.workspace.store.incidents.len();
            let focus = std::mem::take(&mut self.focus_search);
            let windowed = self.workspace.windowed();
            if let Some(action) = chrome::toolbar(ui, &self.shown, total, windowed, focus) {
                self.apply(action);
            }
            ui.add_space(2.0);
        });
        self.play_timeline();
        egui::Panel::bottom("timeline")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                if let Some(control) = playback::controls(ui, &mut self.playback) {
                    self.control_playback(control);
                }
                if let Some(action) = panels::timeline(
                    ui,
                    &self.shown.facets.histogram_all,
                    &self.shown.histogram,
                    &self.shown.filter,
                ) {
                    self.apply(action);
                }
                ui.add_space(4.0);
            });
        egui::Panel::left("incident-list")
            .resizable(true)
            .default_size(500.0)
            .size_range(260.0..=720.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                ui.strong("Incidents");
                let scroll = std::mem::take(&mut self.selection.scroll_list);
                if let Some(action) = panels::incident_list(
                    ui,
                    &self.workspace.store,
                    &self.shown,
                    self.selection.incident,
                    scroll,
                ) {
                    self.apply(action);
                }
            });
        if let Some(selected) = self.selection.incident {
            egui::Panel::right("incident-details")
                .resizable(true)
                .default_size(430.0)
                .size_range(300.0..=720.0)
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    let scroll = std::mem::take(&mut self.selection.scroll_to_evidence);
                    let store = &self.workspace.store;
                    let Some(incident) = store.incidents.get(selected) else {
                        return;
                    };
                    if !self.edit.editing(incident) && self.edit.placing.is_none() {
                        // The forms belong to the incident they were opened on.
                        self.edit.close_other(incident);
                    }
                    let articles: Vec<&str> = incident
                        .sources
                        .iter()
                        .map(|s| s.article.as_str())
                        .collect();
                    let neighbours: Vec<usize> = store
                        .incidents
                        .iter()
                        .enumerate()
                        .filter(|(i, other)| {
                            *i != selected
                                && other.review.rejected.is_none()
                                && other
                                    .sources
                                    .iter()
                                    .any(|s| articles.contains(&s.article.as_str()))
                        })
                        .map(|(i, _)| i)
                        .take(30)
                        .collect();
                    let gazetteer = self
                        .gazetteer_ready
                        .then(|| crate::gazetteer::Gazetteer::bundled().ok())
                        .flatten();
                    let context = edit::Context {
                        store,
                        machine: self.workspace.machine_incident(&incident.id),
                        gazetteer,
                        actors: &self.shown.facets.actors,
                        neighbours,
                        shown_source: self.selection.source,
                    };
                    let chosen = panels::incident_panel(
                        ui,
                        store,
                        &self.shown.facets.articles,
                        selected,
                        self.selection.source,
                        scroll,
                        &mut self.edit,
                        &context,
                    );
                    if self.edit.editing(incident) {
                        self.load_gazetteer();
                    }
                    if let Some(action) = chosen {
                        self.apply(action);
                    }
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if let Some(action) = self.map(ui) {
                self.apply(action);
            }
        });
        self.open_dialogs();
        if let Some(action) = self.save_workspace_dialog() {
            self.apply(action);
        }
        if let Some(action) = self.marks.wording_window(&self.ctx) {
            self.apply(action);
        }
        if let Some(action) = self.marks.keys(ui) {
            self.apply(action);
        }
        if let Some(dialog) = &mut self.dialogs.article {
            let (stays, chosen) = dialog.show(&self.ctx);
            if !stays {
                self.dialogs.article = None;
            }
            match chosen {
                Some(article_dialog::Chosen::Article(added)) => self.add_article(added),
                Some(article_dialog::Chosen::Follow(url)) => self.follow_feed(&url),
                None => {}
            }
        }
        if let Some(dialog) = &mut self.dialogs.export {
            if let Some(folder) = dialog.written_folder() {
                self.dialogs.last_export_folder = Some(folder);
            }
            if !dialog.show(&self.ctx, &self.workspace.store, &self.shown) {
                self.dialogs.export = None;
            }
        }
        if self.dialogs.briefing.is_some() {
            let view = self.briefing_view();
            if let Some(dialog) = &mut self.dialogs.briefing {
                dialog.show(&self.ctx, &self.workspace, view);
                if let Some(folder) = dialog.written_folder() {
                    self.dialogs.last_export_folder = Some(folder);
                }
            }
        }
        log_first_frame(&self.workspace.store);
    }

    /// Moves a playing timeline on when its next step is due.
    fn play_timeline(&mut self) {
        let now = self.ctx.input(|i| i.time);
        if let Some((from, to)) = self.playback.tick(now) {
            self.apply(Action::SetFilter(Filter {
                from,
                to,
                ..self.shown.filter.clone()
            }));
        }
        if let Some(due) = self.playback.due_in(now) {
            self.ctx
                .request_repaint_after(std::time::Duration::from_secs_f64(due));
        }
    }

    /// Play, pause or stop the timeline.
    fn control_playback(&mut self, control: playback::Control) {
        let now = self.ctx.input(|i| i.time);
        let filter = &self.shown.filter;
        let window = match control {
            playback::Control::Play => {
                let histogram = &self.shown.facets.histogram_all;
                let first = filter.from.or(histogram.bars.first().map(|b| b.0));
                let last = filter.to.or(histogram.bars.last().map(|b| {
                    histogram
                        .bin
                        .next(b.0)
                        .checked_sub(jiff::Span::new().days(1))
                        .unwrap_or(b.0)
                }));
                let (Some(first), Some(last)) = (first, last) else {
                    self.problems
                        .push("Nothing to play: no incident has a date".to_owned());
                    return;
                };
                self.playback
                    .play(first, last, (filter.from, filter.to), now)
            }
            playback::Control::Pause => {
                self.playback.pause();
                None
            }
            playback::Control::Stop => self.playback.stop(),
        };
        if let Some((from, to)) = window {
            self.apply(Action::SetFilter(Filter {
                from,
                to,
                ..self.shown.filter.clone()
            }));
        }
    }

    /// Whether the timeline is playing (for tests).
    pub fn playing(&self) -> bool {
        self.playback.playing()
    }

    fn remember(&mut self, storage: &mut dyn eframe::Storage) {
        let (lat, lon, zoom) = self.view();
        let remembered = Remembered {
            filter: self.shown.filter.clone(),
            theme: self.map.basemap.theme,
            tiles: self.map.basemap.choice.clone(),
            sort: self.shown.sort,
            view: Some((lat, lon, zoom)),
            workspace: self.workspace.file_path().map(std::path::Path::to_path_buf),
            export_folder: self.dialogs.last_export_folder.clone(),
        };
        eframe::set_value(storage, STORAGE_KEY, &remembered);
    }
}

/// What the map shows of a workspace read window by window.
#[derive(Default)]
struct MapWindow {
    /// The reader, while no job holds it.
    reader: Option<crate::workspace::server::WindowReader>,
    job: Option<
        Job<(
            crate::workspace::server::WindowReader,
            Result<WindowAnswer, String>,
        )>,
    >,
    /// The last window asked for, and when.
    asked: Option<WindowQuery>,
    asked_at: Option<std::time::Instant>,
    /// Cells counting the incidents when the window holds too many to list.
    cells: Vec<crate::workspace::server::Cell>,
    /// The map's window as last drawn: west, south, east, north.
    bbox: Option<[f64; 4]>,
}

/// Most incidents the map lists in one window; past that the server counts them in cells.
const WINDOW_LIMIT: usize = 20_000;

/// The query for the map's window and the filter's dates and types. The window is widened and
/// snapped to a grid a quarter of its size, so that small pans ask nothing new.
fn window_query(bbox: [f64; 4], filter: &crate::workspace::filter::Filter) -> WindowQuery {
    let [west, south, east, north] = bbox;
    let span = (east - west).max(north - south).max(1e-4);
    let step = span / 4.0;
    let snap_down = |v: f64| (v / step).floor() * step - step;
    let snap_up = |v: f64| (v / step).ceil() * step + step;
    WindowQuery {
        bbox: [
            snap_down(west).max(-180.0),
            snap_down(south).max(-90.0),
            snap_up(east).min(180.0),
            snap_up(north).min(90.0),
        ],
        from: filter.from,
        to: filter.to,
        event_types: if filter.hidden_types.is_empty() {
            Vec::new()
        } else {
            crate::store::EventType::ALL
                .iter()
                .filter(|t| !filter.hidden_types.contains(t))
                .map(|t| t.as_str().to_owned())
                .collect()
        },
        actor: filter.actor.clone(),
        text: Some(filter.text.trim().to_owned()).filter(|t| !t.is_empty()),
        publisher: filter.publisher.clone(),
        limit: WINDOW_LIMIT,
        // About a dozen cells across the window, so their discs stand apart.
        cell_deg: step * 4.0 / 12.0,
    }
}

/// Listens for others' changes to a shared workspace until the job is let go; each change
/// heard is reported as a new message (the window then reads what changed). A lost link is
/// tried again every few seconds.
fn watch_changes(
    mut listener: crate::workspace::server::Listener,
    ctx: egui::Context,
) -> Job<Result<(), String>> {
    Job::spawn(
        "Following others' changes",
        move || ctx.request_repaint(),
        move |progress| {
            let mut heard = 0u64;
            while !progress.cancelled() {
                match listener.wait(std::time::Duration::from_millis(500)) {
                    Ok(true) => {
                        heard += 1;
                        progress.report(0.0, format!("change {heard}"));
                    }
                    Ok(false) => {}
                    Err(e) => {
                        log::warn!("{e}; listening again shortly");
                        std::thread::sleep(std::time::Duration::from_secs(3));
                    }
                }
            }
            Ok(())
        },
    )
}

/// Where an export window starts: the folder last exported into (while it exists), else the
/// user's documents folder, else home; never the working directory (read-only in a checkout).
pub fn export_folder(last: Option<&std::path::Path>) -> PathBuf {
    if let Some(last) = last.filter(|dir| dir.is_dir()) {
        return last.to_path_buf();
    }
    directories::UserDirs::new()
        .map(|dirs| {
            dirs.document_dir()
                .filter(|d| d.is_dir())
                .unwrap_or(dirs.home_dir())
                .to_path_buf()
        })
        .unwrap_or_else(std::env::temp_dir)
}

/// The least zoom at which the world (256 points tall at zoom 0) fills a map of `size`.
fn min_zoom(size: egui::Vec2) -> f64 {
    f64::from(size.y / 256.0).log2().max(0.0)
}

/// Where a first workspace is offered to be saved: the user's data directory.
fn default_workspace_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "incident-map")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("workspace.gpkg")
}

fn apply_theme(ctx: &egui::Context, theme: Theme) {
    ctx.set_theme(match theme {
        Theme::Light => egui::Theme::Light,
        Theme::Dark => egui::Theme::Dark,
    });
}

/// Hands an http(s) URL to the desktop's browser. The URL is one argument, never shell text.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(url)
        .spawn()
        .map(drop)
}

/// With `INCIDENT_MAP_LOG_FIRST_FRAME=1`, prints once to stderr how long after the process
/// started the first frame with incidents was laid out (for the start-up figure in
/// BENCHMARKS.md).
fn log_first_frame(store: &Store) {
    static LOGGED: std::sync::Once = std::sync::Once::new();
    if store.incidents.is_empty() || LOGGED.is_completed() {
        return;
    }
    LOGGED.call_once(|| {
        if std::env::var_os("INCIDENT_MAP_LOG_FIRST_FRAME").is_some_and(|v| v == "1") {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "incident-map: first frame with {} incidents after {:.0} ms",
                store.incidents.len(),
                crate::process_age().as_secs_f64() * 1000.0
            );
        }
    });
}
