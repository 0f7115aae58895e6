//! The viewer: one state struct, the panels around the map, and the work of opening data in
//! the background. Querying what to show lives in `view::query`; drawing in `view::markers`
//! and `view::panels`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, channel};

use egui::{Align2, Color32, Key, RichText, Ui};
use geo::Geometry;
use serde::{Deserialize, Serialize};
use walkers::{Map, MapMemory, Position, lat_lon};

use crate::store::Store;
use crate::view::areas::AreaShapes;
use crate::view::basemap::{Basemap, Theme, TileChoice};
use crate::view::index::MapIndex;
use crate::view::markers::{self, MapOutcome};
use crate::view::panels::{self, Action, Sort};
use crate::view::query::{self, Filter, Histogram};

/// Where the map looks before any data says otherwise: Iraq and Syria.
const REGION_CENTER: (f64, f64) = (34.5, 41.5);
const REGION_ZOOM: f64 = 5.0;

/// What the viewer opens at start-up.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// Store files or folders of articles; empty means the bundled data.
    pub paths: Vec<PathBuf>,
    /// Overrides the remembered tile source.
    pub tiles: Option<TileChoice>,
    /// Ignore what earlier runs remembered (for tests and first-run screenshots).
    pub fresh: bool,
}

/// Opens the viewer window; returns when it is closed.
pub fn run_viewer(startup: Startup) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("incident-map")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        persist_window: true,
        ..Default::default()
    };
    let result = eframe::run_native(
        "incident-map",
        options,
        Box::new(move |cc| Ok(Box::new(ViewerApp::new(cc, startup)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::cli::fail(format!("cannot open the viewer window: {e}")),
    }
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
}

const STORAGE_KEY: &str = "incident-map-viewer";

/// Data arriving from a background load.
enum Loaded {
    Progress(f32, String),
    Done(Result<Dataset, String>),
}

/// A background load in progress.
struct Loading {
    what: String,
    progress: f32,
    message: String,
    receiver: Receiver<Loaded>,
}

/// The data the viewer shows, and the shapes of the areas it refers to.
pub struct Dataset {
    pub store: Store,
    /// Where it came from, for the window and the status line.
    pub name: String,
    /// Problems found while loading that did not stop it (named by file).
    pub problems: Vec<String>,
    /// Area and line geometry by gazetteer id, for admin1 and border incidents.
    pub geometries: HashMap<String, Geometry<f64>>,
}

impl Dataset {
    /// A dataset whose area shapes are still to be looked up (see [`area_geometries`]).
    pub fn new(store: Store, name: String, problems: Vec<String>) -> Self {
        Self {
            store,
            name,
            problems,
            geometries: HashMap::new(),
        }
    }
}

/// Area and line shapes by gazetteer id.
pub type Shapes = HashMap<String, Geometry<f64>>;

/// The shapes of the areas and lines that the store's area and border incidents refer to,
/// from the gazetteer.
pub fn area_geometries(store: &Store) -> Result<Shapes, String> {
    shapes_of(&area_ids(store))
}

/// The gazetteer ids of the store's area and border incidents.
fn area_ids(store: &Store) -> std::collections::BTreeSet<String> {
    store
        .incidents
        .iter()
        .filter(|i| i.location.precision != crate::store::LocationPrecision::Point)
        .filter_map(|i| i.location.gazetteer_id.clone())
        .collect()
}

/// The gazetteer's shapes for these ids.
fn shapes_of(wanted: &std::collections::BTreeSet<String>) -> Result<Shapes, String> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let gazetteer = crate::gazetteer::Gazetteer::bundled()
        .map_err(|e| format!("area shapes are not drawn: {e}"))?;
    Ok(wanted
        .iter()
        .filter_map(|id| Some((id.clone(), gazetteer.geometry(id)?.clone())))
        .collect())
}

/// Whether a path is read as articles (a folder or a text file) rather than a store.
fn is_article_path(path: &std::path::Path) -> bool {
    path.is_dir()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "text" | "md"))
}

/// Opens store files, GeoJSON and ACLED or plain CSV files, and folders of articles (which are
/// ingested). Runs on a background
/// thread; `progress` gets the fraction done and what is happening.
pub fn load_data(paths: &[PathBuf], progress: &dyn Fn(f32, String)) -> Result<Dataset, String> {
    let mut problems = Vec::new();
    let mut merged = Store::default();
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        })
        .collect();
    let (article_paths, store_paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| is_article_path(p));
    for path in &store_paths {
        progress(0.0, format!("Reading {}", path.display()));
        // Stores, GeoJSON, ACLED and plain CSV; rows that fail are named and the rest load.
        match crate::exchange::import(path) {
            Ok(imported) => {
                problems.extend(imported.problem_summary(path));
                merge_store(&mut merged, imported.store, &mut problems);
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !article_paths.is_empty() {
        progress(0.0, "Reading articles".to_owned());
        let loaded = crate::articles::load_paths(&article_paths);
        problems.extend(loaded.errors.iter().map(ToString::to_string));
        if !loaded.articles.is_empty() {
            progress(0.05, "Loading the gazetteer".to_owned());
            let gazetteer = crate::gazetteer::Gazetteer::bundled()
                .map_err(|e| format!("cannot read the gazetteer: {e}"))?;
            let places = crate::extract::gazetteer::GazetteerPlaces::new(gazetteer);
            let extraction = crate::extract::extract_with_progress(
                &loaded.articles,
                &places,
                &mut |done, total| {
                    progress(
                        0.1 + 0.9 * done as f32 / total.max(1) as f32,
                        format!("Finding incidents: article {done} of {total}"),
                    );
                },
            );
            if extraction.stats.unresolved > 0 {
                problems.push(format!(
                    "{} reported incidents were left out because their place could not be resolved",
                    extraction.stats.unresolved
                ));
            }
            merge_store(&mut merged, extraction.store, &mut problems);
        }
    }
    if merged.incidents.is_empty() && merged.articles.is_empty() && !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    Ok(Dataset::new(merged, names.join(", "), problems))
}

/// Adds one store to another; articles and incidents already present (same id) are kept once.
fn merge_store(into: &mut Store, from: Store, problems: &mut Vec<String>) {
    let known_articles: std::collections::HashSet<String> =
        into.articles.iter().map(|a| a.id.clone()).collect();
    let known_incidents: std::collections::HashSet<String> =
        into.incidents.iter().map(|i| i.id.clone()).collect();
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
        problems.push(format!(
            "{skipped} incidents were already loaded and are shown once"
        ));
    }
}

/// The viewer's whole state.
pub struct ViewerApp {
    data: Dataset,
    filter: Filter,
    /// Incidents passing the filter, in store order.
    visible: Vec<usize>,
    /// The same, in list order.
    rows: Vec<usize>,
    sort: Sort,
    histogram_all: Histogram,
    histogram_shown: Histogram,
    selected: Option<usize>,
    source_index: usize,
    scroll_to_evidence: bool,
    scroll_list: bool,
    cluster_members: Option<Vec<usize>>,
    basemap: Basemap,
    memory: MapMemory,
    home: Position,
    fit_pending: bool,
    map_size: egui::Vec2,
    problems: Vec<String>,
    loading: Option<Loading>,
    open_dialog: Option<String>,
    export_dialog: Option<crate::exchange::dialog::ExportDialog>,
    focus_search: bool,
    last_outcome: MapOutcome,
    ctx: Option<egui::Context>,
    /// Area shapes being looked up in the background for the current data.
    shapes: Option<Receiver<Result<(Shapes, AreaShapes), String>>>,
    /// The shown incidents by place, with their clusters per zoom; rebuilt when they change.
    index: MapIndex,
    /// Area shapes in world coordinates, ready to draw.
    area_shapes: AreaShapes,
    /// The first shown incident of each area, whose colour tints it.
    area_incidents: Vec<usize>,
    /// What the toolbar and legend list, counted when the data changes rather than every frame.
    actors: Vec<(String, usize)>,
    publishers: Vec<String>,
    type_counts: Vec<(crate::store::EventType, usize)>,
}

impl ViewerApp {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        if let Some(render_state) = cc.wgpu_render_state.as_ref() {
            walkers::install_renderer(Some(render_state));
        }
        Self::build(&cc.egui_ctx, cc.storage, startup, None)
    }

    /// The viewer on a plain egui context, without a window or a GPU, showing `dataset` as a
    /// first run would: for benchmarks and tools that drive it frame by frame with [`Self::show`].
    pub fn headless(ctx: &egui::Context, dataset: Dataset, tiles: Option<TileChoice>) -> Self {
        let startup = Startup {
            paths: Vec::new(),
            tiles,
            fresh: true,
        };
        Self::build(ctx, None, startup, Some(dataset))
    }

    fn build(
        egui_ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        startup: Startup,
        dataset: Option<Dataset>,
    ) -> Self {
        crate::view::style::install_fonts(egui_ctx);
        let remembered: Option<Remembered> = if startup.fresh {
            None
        } else {
            storage.and_then(|s| eframe::get_value(s, STORAGE_KEY))
        };
        let theme = remembered.as_ref().map_or(Theme::Light, |r| r.theme);
        apply_theme(egui_ctx, theme);
        let tiles = startup
            .tiles
            .clone()
            .or_else(|| remembered.as_ref().map(|r| r.tiles.clone()))
            .unwrap_or_default();
        let basemap = Basemap::open(tiles, theme, egui_ctx);

        let empty = Dataset::new(Store::default(), "no data".to_owned(), Vec::new());
        let mut app = Self {
            data: empty,
            filter: remembered
                .as_ref()
                .map(|r| r.filter.clone())
                .unwrap_or_default(),
            visible: Vec::new(),
            rows: Vec::new(),
            sort: remembered.as_ref().map(|r| r.sort).unwrap_or_default(),
            histogram_all: query::histogram(&Store::default(), &[]),
            histogram_shown: query::histogram(&Store::default(), &[]),
            selected: None,
            source_index: 0,
            scroll_to_evidence: false,
            scroll_list: false,
            cluster_members: None,
            basemap,
            memory: MapMemory::default(),
            home: lat_lon(REGION_CENTER.0, REGION_CENTER.1),
            fit_pending: true,
            map_size: egui::vec2(1000.0, 700.0),
            problems: Vec::new(),
            loading: None,
            open_dialog: None,
            export_dialog: None,
            focus_search: false,
            last_outcome: MapOutcome::default(),
            ctx: Some(egui_ctx.clone()),
            shapes: None,
            index: MapIndex::empty(),
            area_shapes: AreaShapes::default(),
            area_incidents: Vec::new(),
            actors: Vec::new(),
            publishers: Vec::new(),
            type_counts: Vec::new(),
        };
        let _ = app.memory.set_zoom(REGION_ZOOM);
        if let Some((lat, lon, zoom)) = remembered.as_ref().and_then(|r| r.view) {
            app.memory.center_at(lat_lon(lat, lon));
            let _ = app.memory.set_zoom(zoom);
            app.fit_pending = false;
        }
        let paths = if startup.paths.is_empty() {
            vec![bundled_store()]
        } else {
            startup.paths
        };
        if let Some(dataset) = dataset {
            app.set_data(dataset);
        } else if startup_is_small(&paths) {
            // The bundled data is small: load it at once so the first frame shows it.
            match load_data(&paths, &|_, _| {}) {
                Ok(dataset) => app.set_data(dataset),
                Err(e) => app.problems.push(e),
            }
        } else {
            app.start_loading(paths, egui_ctx);
        }
        app
    }

    /// Replaces the data shown, keeping filters that still make sense.
    fn set_data(&mut self, dataset: Dataset) {
        self.problems.extend(dataset.problems.iter().cloned());
        self.data = dataset;
        self.selected = None;
        self.cluster_members = None;
        self.histogram_all = query::histogram(
            &self.data.store,
            &(0..self.data.store.incidents.len()).collect::<Vec<_>>(),
        );
        self.actors = query::actors_by_frequency(&self.data.store);
        self.publishers = query::publishers(&self.data.store);
        self.type_counts = query::type_counts(&self.data.store);
        self.area_shapes = AreaShapes::default();
        self.refresh();
        if let Some(b) = query::bounds(&self.data.store, &self.visible) {
            self.home = lat_lon((b[1] + b[3]) / 2.0, (b[0] + b[2]) / 2.0);
        }
        // The gazetteer is large: its shapes arrive a moment after the markers.
        let (sender, receiver) = channel();
        // Only the ids travel to the thread: a copy of a million incidents would not be free.
        let wanted = area_ids(&self.data.store);
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let shapes = shapes_of(&wanted).map(|shapes| {
                let drawable = AreaShapes::new(&shapes);
                (shapes, drawable)
            });
            let _ = sender.send(shapes);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        self.shapes = Some(receiver);
    }

    fn poll_shapes(&mut self) {
        let Some(receiver) = &self.shapes else { return };
        match receiver.try_recv() {
            Ok(Ok((shapes, drawable))) => {
                self.data.geometries = shapes;
                self.area_shapes = drawable;
                self.shapes = None;
            }
            Ok(Err(problem)) => {
                self.problems.push(problem);
                self.shapes = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.shapes = None,
        }
    }

    /// Whether area shapes are still being looked up.
    pub fn shapes_pending(&self) -> bool {
        self.shapes.is_some()
    }

    /// Recomputes what is shown after the data, the filter or the sort changed.
    fn refresh(&mut self) {
        self.visible = query::visible_incidents(&self.data.store, &self.filter);
        self.rows = self.visible.clone();
        panels::sort_incidents(&self.data.store, &mut self.rows, self.sort);
        self.histogram_shown = query::histogram(&self.data.store, &self.visible);
        self.index = MapIndex::new(&self.data.store, &self.visible, markers::CLUSTER_CELL_PX);
        self.area_incidents = crate::view::areas::area_incidents(&self.data.store, &self.visible);
        if let Some(selected) = self.selected
            && !self.visible.contains(&selected)
        {
            self.selected = None;
        }
    }

    fn start_loading(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let (sender, receiver) = channel();
        let what = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let report = |fraction: f32, message: String| {
                let _ = sender.send(Loaded::Progress(fraction, message));
                ctx.request_repaint();
            };
            let result = load_data(&paths, &report);
            let _ = sender.send(Loaded::Done(result));
            ctx.request_repaint();
        });
        self.loading = Some(Loading {
            what,
            progress: 0.0,
            message: "Starting".to_owned(),
            receiver,
        });
    }

    fn poll_loading(&mut self) {
        let Some(loading) = &mut self.loading else {
            return;
        };
        let mut finished = None;
        while let Ok(message) = loading.receiver.try_recv() {
            match message {
                Loaded::Progress(fraction, text) => {
                    loading.progress = fraction;
                    loading.message = text;
                }
                Loaded::Done(result) => finished = Some(result),
            }
        }
        if let Some(result) = finished {
            self.loading = None;
            match result {
                Ok(dataset) => {
                    self.set_data(dataset);
                    self.fit_pending = true;
                }
                Err(e) => self.problems.push(e),
            }
        }
    }

    /// Applies what the user chose in a panel or on the map.
    fn apply(&mut self, action: Action) {
        match action {
            Action::Select(index) => self.select(index, false),
            Action::SelectAndCenter(index) => self.select(index, true),
            Action::ClearSelection => {
                self.selected = None;
                self.cluster_members = None;
            }
            Action::ShowSource(i) => {
                self.source_index = i;
                self.scroll_to_evidence = true;
            }
            Action::FitToShown => self.fit_pending = true,
            Action::ZoomToCluster(members) => self.zoom_to(&members),
            Action::SetFilter(filter) => {
                self.filter = filter;
                self.refresh();
            }
            Action::OpenUrl(url) => {
                if panels::is_openable_url(&url) {
                    // Only http(s) reaches the system's browser; nothing from data goes to a shell.
                    if let Err(e) = open_in_browser(&url) {
                        self.problems.push(format!("Cannot open {url}: {e}"));
                    }
                }
            }
        }
    }

    fn select(&mut self, index: usize, center: bool) {
        if index >= self.data.store.incidents.len() {
            return;
        }
        self.selected = Some(index);
        self.source_index = 0;
        self.scroll_to_evidence = true;
        self.scroll_list = true;
        if center {
            let loc = &self.data.store.incidents[index].location;
            self.memory.center_at(lat_lon(loc.lat, loc.lon));
        }
    }

    fn zoom_to(&mut self, members: &[usize]) {
        if let Some(b) = query::bounds(&self.data.store, members) {
            let (lat, lon, zoom) = query::fit_view(b, self.map_size);
            self.memory.center_at(lat_lon(lat, lon));
            let _ = self
                .memory
                .set_zoom(zoom.max(self.memory.zoom() + 1.0).min(18.0));
        }
    }

    fn fit_to_shown(&mut self) {
        let indices = if self.visible.is_empty() {
            (0..self.data.store.incidents.len()).collect()
        } else {
            self.visible.clone()
        };
        if let Some(b) = query::bounds(&self.data.store, &indices) {
            // A lone place is shown with its surroundings, not at street level.
            let pad = 1.5;
            let padded = [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad];
            let (lat, lon, zoom) = query::fit_view(padded, self.map_size);
            self.memory.center_at(lat_lon(lat, lon));
            let _ = self.memory.set_zoom(zoom);
        } else {
            self.memory
                .center_at(lat_lon(REGION_CENTER.0, REGION_CENTER.1));
            let _ = self.memory.set_zoom(REGION_ZOOM);
        }
    }

    /// Steps the selection through the list: +1 next, -1 previous.
    fn step_selection(&mut self, step: isize) {
        if self.rows.is_empty() {
            return;
        }
        let position = self
            .selected
            .and_then(|s| self.rows.iter().position(|&r| r == s));
        let next = match position {
            Some(p) => (p as isize + step).clamp(0, self.rows.len() as isize - 1) as usize,
            None if step >= 0 => 0,
            None => self.rows.len() - 1,
        };
        self.select(self.rows[next], true);
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        // Keys typed into a text field belong to it.
        if ctx.egui_wants_keyboard_input() {
            if ctx.input(|i| i.key_pressed(Key::Escape)) {
                ctx.memory_mut(|m| m.stop_text_input());
            }
            return;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::E)) {
            crate::briefing::dialog::open(ctx, self.basemap.theme);
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
        if escape {
            self.apply(Action::ClearSelection);
        }
        if find {
            self.focus_search = true;
        }
        if zoom_in {
            let _ = self.memory.zoom_in();
        }
        if zoom_out {
            let _ = self.memory.zoom_out();
        }
    }

    /// Screen positions of the markers drawn in the last frame, by incident index.
    pub fn marker_positions(&self) -> HashMap<usize, egui::Pos2> {
        self.last_outcome.positions(&self.index)
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    pub fn store(&self) -> &Store {
        &self.data.store
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// Sets the filter as the panels do.
    pub fn set_filter(&mut self, filter: Filter) {
        self.apply(Action::SetFilter(filter));
    }

    /// Moves the map to centre (lat, lon) at `zoom`, as panning and zooming there would.
    pub fn set_view(&mut self, lat: f64, lon: f64, zoom: f64) {
        self.memory.center_at(lat_lon(lat, lon));
        let _ = self.memory.set_zoom(zoom);
        self.fit_pending = false;
    }

    /// Map centre (lat, lon) and zoom.
    pub fn view(&self) -> (f64, f64, f64) {
        let center = self.memory.detached().unwrap_or(self.home);
        (center.y(), center.x(), self.memory.zoom())
    }

    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Basemap tiles still being fetched or decoded.
    pub fn tiles_loading(&self) -> usize {
        self.basemap.loading()
    }

    /// What a briefing image of the current view needs.
    fn briefing_source(&self) -> crate::briefing::dialog::ExportSource {
        let (lat, lon, zoom) = self.view();
        crate::briefing::dialog::ExportSource {
            store: self.data.store.clone(),
            filter: self.filter.clone(),
            view: crate::briefing::MapView { lat, lon, zoom },
            tiles: self.basemap.choice.clone(),
            shapes: self.data.geometries.clone(),
        }
    }

    /// Switches the interface and the map between light and dark.
    pub fn set_theme(&mut self, theme: Theme) {
        if let Some(ctx) = self.ctx.clone() {
            apply_theme(&ctx, theme);
            let tiles = self.basemap.choice.clone();
            self.basemap.switch(tiles, theme, &ctx);
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open…").clicked() {
                    self.open_dialog = Some(String::new());
                }
                if ui.button("Open bundled data").clicked() {
                    let ctx = ui.ctx().clone();
                    self.start_loading(vec![bundled_store()], &ctx);
                }
                if ui.button("Export…").clicked() {
                    self.export_dialog.get_or_insert_default().status = None;
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button("View", |ui| {
                let theme = self.basemap.theme;
                for (label, choice) in [("Light", Theme::Light), ("Dark", Theme::Dark)] {
                    if ui.radio(theme == choice, label).clicked() {
                        self.set_theme(choice);
                    }
                }
                ui.separator();
                if ui.button("Fit map to what is shown").clicked() {
                    self.fit_pending = true;
                }
            });
            ui.menu_button("Map tiles", |ui| {
                for choice in [
                    TileChoice::BuiltIn,
                    TileChoice::OpenStreetMap,
                    TileChoice::OpenTopoMap,
                ] {
                    if ui
                        .radio(self.basemap.choice == choice, choice.label())
                        .clicked()
                    {
                        let theme = self.basemap.theme;
                        self.basemap.switch(choice, theme, ui.ctx());
                    }
                }
                if let TileChoice::File(_) = &self.basemap.choice {
                    let _ = ui.radio(true, self.basemap.choice.label());
                }
                if ui.button("Open a .pmtiles file…").clicked() {
                    self.open_dialog = Some(String::new());
                }
                ui.weak("Online tiles are cached on disk.");
            });
            ui.menu_button("Help", |ui| {
                ui.label("Keyboard: j/k or ↓/↑ step through incidents, Esc clears,");
                ui.label("Ctrl+F searches, + and − zoom. Drop files on the window to open them.");
                ui.separator();
                ui.label("Map data: Natural Earth, GeoNames (CC BY 4.0), GSHHG;");
                ui.label("online tiles © OpenStreetMap contributors.");
            });
        });
    }

    fn toolbar(&mut self, ui: &mut Ui) -> Option<Action> {
        let mut action = None;
        ui.horizontal(|ui| {
            let mut text = self.filter.text.clone();
            let search = ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("Search (Ctrl+F)")
                    .desired_width(220.0),
            );
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            if search.changed() {
                action = Some(Action::SetFilter(Filter {
                    text,
                    ..self.filter.clone()
                }));
            }
            let actors = &self.actors;
            let current = self.filter.actor.clone();
            egui::ComboBox::new("actor-filter", "Actor")
                .selected_text(current.clone().unwrap_or_else(|| "All actors".to_owned()))
                .width(170.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(current.is_none(), "All actors")
                        .clicked()
                    {
                        action = Some(Action::SetFilter(Filter {
                            actor: None,
                            ..self.filter.clone()
                        }));
                    }
                    for (actor, n) in actors {
                        let chosen = current.as_deref() == Some(actor.as_str());
                        if ui
                            .selectable_label(chosen, format!("{actor} ({n})"))
                            .clicked()
                        {
                            action = Some(Action::SetFilter(Filter {
                                actor: Some(actor.clone()),
                                ..self.filter.clone()
                            }));
                        }
                    }
                });
            let publishers = &self.publishers;
            let current = self.filter.publisher.clone();
            egui::ComboBox::new("publisher-filter", "Publisher")
                .selected_text(
                    current
                        .clone()
                        .unwrap_or_else(|| "All publishers".to_owned()),
                )
                .width(140.0)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(current.is_none(), "All publishers")
                        .clicked()
                    {
                        action = Some(Action::SetFilter(Filter {
                            publisher: None,
                            ..self.filter.clone()
                        }));
                    }
                    for publisher in publishers {
                        let chosen = current.as_deref() == Some(publisher.as_str());
                        if ui.selectable_label(chosen, publisher).clicked() {
                            action = Some(Action::SetFilter(Filter {
                                publisher: Some(publisher.clone()),
                                ..self.filter.clone()
                            }));
                        }
                    }
                });
            if ui
                .button("Fit map")
                .on_hover_text("Fit the map to what is shown")
                .clicked()
            {
                action = Some(Action::FitToShown);
            }
            if !self.filter.is_default() && ui.button("Reset filters").clicked() {
                action = Some(Action::SetFilter(Filter::default()));
            }
            if ui
                .button("Export briefing…")
                .on_hover_text("Save the current view as a slide-ready PNG (Ctrl+E)")
                .clicked()
            {
                crate::briefing::dialog::open(ui.ctx(), self.basemap.theme);
            }
            ui.separator();
            ui.label(format!(
                "{} of {} incidents shown",
                self.visible.len(),
                self.data.store.incidents.len()
            ));
        });
        action
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut path) = self.open_dialog.take() else {
            return;
        };
        let mut keep_open = true;
        let mut chosen = None;
        egui::Window::new("Open")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut keep_open)
            .show(ctx, |ui| {
                ui.label("An incident store (.json), a GeoJSON or ACLED CSV file, a folder of articles, or a .pmtiles basemap:");
                let response = ui.add(
                    egui::TextEdit::singleline(&mut path)
                        .hint_text("/path/to/incidents.json")
                        .desired_width(420.0),
                );
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button("Open").clicked() || enter {
                        chosen = Some(PathBuf::from(path.trim()));
                    }
                });
                ui.weak("Tip: files can also be dropped onto the window.");
            });
        if let Some(chosen) = chosen {
            self.open_paths(vec![chosen], ctx);
        } else if keep_open {
            self.open_dialog = Some(path);
        }
    }

    /// Opens what the user chose or dropped: basemaps switch the tiles, everything else is data.
    fn open_paths(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let (tiles, data): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e == "pmtiles"));
        if let Some(file) = tiles.into_iter().next() {
            let theme = self.basemap.theme;
            self.basemap.switch(TileChoice::File(file), theme, ctx);
        }
        if !data.is_empty() {
            self.start_loading(data, ctx);
        }
    }

    fn map(&mut self, ui: &mut Ui) {
        self.map_size = ui.available_size();
        if self.fit_pending && self.map_size.x > 50.0 {
            self.fit_to_shown();
            self.fit_pending = false;
        }
        let store = &self.data.store;
        let index = &mut self.index;
        let selected = self.selected;
        let areas = markers::AreaLayer {
            shapes: &self.area_shapes,
            incidents: &self.area_incidents,
        };
        let home = self.home;
        let tiles = self.basemap.tiles();
        let response = Map::new(Some(tiles), &mut self.memory, home)
            .zoom_with_ctrl(false)
            .show(ui, |ui, _response, projector, _memory| {
                markers::draw_incidents(ui, projector, store, index, selected, &areas)
            });
        // Past the tiles' deepest zoom the map would go blank; stop there instead.
        if self.memory.zoom() > self.basemap.max_zoom() {
            let _ = self.memory.set_zoom(self.basemap.max_zoom());
        }
        let outcome = response.inner;
        let map_rect = response.response.rect;
        if let Some(index) = outcome.clicked_incident {
            self.select(index, false);
            self.cluster_members = None;
        } else if let Some(members) = outcome.clicked_cluster.clone() {
            self.cluster_clicked(members);
        } else if response.response.clicked() {
            self.cluster_members = None;
        }
        self.last_outcome = outcome;
        self.map_overlays(ui, map_rect);
    }

    fn cluster_clicked(&mut self, members: Vec<usize>) {
        let store = &self.data.store;
        let same_place = members.windows(2).all(|w| {
            let (a, b) = (
                &store.incidents[w[0]].location,
                &store.incidents[w[1]].location,
            );
            (a.lat - b.lat).abs() < 1e-6 && (a.lon - b.lon).abs() < 1e-6
        });
        // Markers at one spot never separate by zooming: list them instead.
        if same_place || self.memory.zoom() >= 11.0 {
            self.cluster_members = Some(members);
        } else {
            self.cluster_members = Some(members.clone());
            self.zoom_to(&members);
        }
    }

    fn map_overlays(&mut self, ui: &mut Ui, rect: egui::Rect) {
        let painter = ui.painter_at(rect);
        // Attribution: always names the data in view.
        let credit = format!("Map: {}", self.basemap.attribution());
        let galley = painter.layout_no_wrap(
            credit,
            egui::FontId::proportional(11.0),
            ui.visuals().text_color(),
        );
        let at = rect.left_bottom() + egui::vec2(6.0, -6.0 - galley.size().y);
        painter.rect_filled(
            egui::Rect::from_min_size(
                at - egui::vec2(3.0, 2.0),
                galley.size() + egui::vec2(6.0, 4.0),
            ),
            3.0,
            ui.visuals().panel_fill.gamma_multiply(0.85),
        );
        painter.galley(at, galley, ui.visuals().text_color());

        // Zoom buttons.
        egui::Area::new(ui.scope_id().with("zoom-buttons"))
            .fixed_pos(rect.right_top() + egui::vec2(-44.0, 10.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    if ui
                        .button(RichText::new("+").size(18.0))
                        .on_hover_text("Zoom in (+)")
                        .clicked()
                    {
                        let _ = self.memory.zoom_in();
                    }
                    if ui
                        .button(RichText::new("−").size(18.0))
                        .on_hover_text("Zoom out (−)")
                        .clicked()
                    {
                        let _ = self.memory.zoom_out();
                    }
                });
            });

        // Legend.
        egui::Area::new(ui.scope_id().with("legend"))
            .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.strong("Event types");
                    if let Some(action) = panels::legend(ui, &self.type_counts, &self.filter) {
                        self.apply(action);
                    }
                });
            });

        // A cluster's members.
        if let Some(members) = self.cluster_members.clone() {
            let mut open = true;
            let mut chosen = None;
            egui::Window::new(format!("{} incidents here", members.len()))
                .id(egui::Id::unique("cluster-members"))
                .open(&mut open)
                .default_pos(rect.right_top() + egui::vec2(-380.0, 60.0))
                .default_width(340.0)
                .show(ui.ctx(), |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(300.0)
                        .show(ui, |ui| {
                            for &index in &members {
                                let incident = &self.data.store.incidents[index];
                                let date = incident.date_label();
                                let text = format!(
                                    "{date} · {} · {}",
                                    incident.sub_event_type, incident.location.name
                                );
                                if ui
                                    .selectable_label(self.selected == Some(index), text)
                                    .on_hover_text(&incident.summary)
                                    .clicked()
                                {
                                    chosen = Some(index);
                                }
                            }
                        });
                });
            if let Some(index) = chosen {
                self.select(index, false);
            }
            if !open {
                self.cluster_members = None;
            }
        }

        // Problems and progress, never an unexplained empty map.
        let mut y = rect.top() + 10.0;
        let mut dismissed = None;
        // Beside the legend, never over it.
        let banner_x = (rect.center().x - 260.0).max(rect.left() + 250.0);
        if let Some(problem) = self.basemap.problem.clone() {
            egui::Area::new(ui.scope_id().with("basemap-problem"))
                .fixed_pos(egui::pos2(banner_x, y))
                .show(ui.ctx(), |ui| {
                    banner(ui, &problem, ui.visuals().warn_fg_color, &mut || {
                        self.basemap.problem = None;
                    });
                });
            y += 40.0;
        }
        for (i, problem) in self.problems.iter().enumerate().take(4) {
            egui::Area::new(ui.scope_id().with(("problem", i)))
                .fixed_pos(egui::pos2(banner_x, y))
                .show(ui.ctx(), |ui| {
                    banner(ui, problem, ui.visuals().error_fg_color, &mut || {
                        dismissed = Some(i)
                    });
                });
            y += 40.0;
        }
        if let Some(i) = dismissed {
            self.problems.remove(i);
        }
        if let Some(loading) = &self.loading {
            egui::Area::new(ui.scope_id().with("loading"))
                .fixed_pos(egui::pos2(banner_x, y))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_width(520.0);
                        ui.label(format!("Opening {}", loading.what));
                        ui.add(
                            egui::ProgressBar::new(loading.progress).text(loading.message.clone()),
                        );
                    });
                });
        } else if self.data.store.incidents.is_empty() && self.problems.is_empty() {
            egui::Area::new(ui.scope_id().with("empty"))
                .fixed_pos(egui::pos2(banner_x, y))
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.label("No incidents loaded. Use File → Open or drop a store or a folder of articles here.");
                    });
                });
        }
        let loading_tiles = self.basemap.loading();
        if loading_tiles > 0 {
            painter.text(
                rect.right_bottom() + egui::vec2(-8.0, -8.0),
                Align2::RIGHT_BOTTOM,
                format!("loading {loading_tiles} tiles…"),
                egui::FontId::proportional(11.0),
                ui.visuals().weak_text_color(),
            );
        }
    }
}

fn banner(ui: &mut Ui, text: &str, color: Color32, dismiss: &mut dyn FnMut()) {
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.set_max_width(520.0);
        ui.horizontal(|ui| {
            ui.colored_label(color, RichText::new(" ! ").strong());
            ui.add(egui::Label::new(text).wrap());
            if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                dismiss();
            }
        });
    });
}

fn apply_theme(ctx: &egui::Context, theme: Theme) {
    ctx.set_theme(match theme {
        Theme::Light => egui::Theme::Light,
        Theme::Dark => egui::Theme::Dark,
    });
}

fn startup_is_small(paths: &[PathBuf]) -> bool {
    paths.iter().all(|p| {
        p.extension().is_some_and(|e| e == "json")
            && std::fs::metadata(p)
                .map(|m| m.len() < 5_000_000)
                .unwrap_or(true)
    })
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

impl eframe::App for ViewerApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.remember(storage);
    }
}

impl ViewerApp {
    /// One frame of the whole window.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll_loading();
        self.poll_shapes();
        self.basemap.poll(&ctx);
        self.handle_keys(&ctx);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_paths(dropped, &ctx);
        }

        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_bar(ui);
            if let Some(action) = self.toolbar(ui) {
                self.apply(action);
            }
            ui.add_space(2.0);
        });
        egui::Panel::bottom("timeline")
            .resizable(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                if let Some(action) =
                    panels::timeline(ui, &self.histogram_all, &self.histogram_shown, &self.filter)
                {
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
                let (action, sort) = panels::incident_list(
                    ui,
                    &self.data.store,
                    &self.rows,
                    self.selected,
                    self.sort,
                    self.scroll_list,
                );
                self.scroll_list = false;
                if let Some(sort) = sort {
                    self.sort = sort;
                    self.refresh();
                }
                if let Some(action) = action {
                    self.apply(action);
                }
            });
        if let Some(selected) = self.selected {
            egui::Panel::right("incident-details")
                .resizable(true)
                .default_size(430.0)
                .size_range(300.0..=720.0)
                .show(ui, |ui| {
                    ui.add_space(4.0);
                    let scroll = std::mem::take(&mut self.scroll_to_evidence);
                    if let Some(action) = panels::incident_panel(
                        ui,
                        &self.data.store,
                        selected,
                        self.source_index,
                        scroll,
                    ) {
                        self.apply(action);
                    }
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.map(ui));
        self.open_dialog(&ctx);
        crate::briefing::dialog::show(&ctx, || self.briefing_source());
        if let Some(dialog) = &mut self.export_dialog
            && !dialog.show(&ctx, &self.data.store, &self.visible, &self.filter)
        {
            self.export_dialog = None;
        }
        log_first_frame(&self.data.store);
    }

    fn remember(&mut self, storage: &mut dyn eframe::Storage) {
        let (lat, lon, zoom) = self.view();
        let remembered = Remembered {
            filter: self.filter.clone(),
            theme: self.basemap.theme,
            tiles: self.basemap.choice.clone(),
            sort: self.sort,
            view: Some((lat, lon, zoom)),
        };
        eframe::set_value(storage, STORAGE_KEY, &remembered);
    }
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
            eprintln!(
                "incident-map: first frame with {} incidents after {:.0} ms",
                store.incidents.len(),
                crate::bench::process_age().as_secs_f64() * 1000.0
            );
        }
    });
}

/// The bundled store's path.
pub fn bundled_store() -> PathBuf {
    crate::data_dir().join("incidents.json")
}
