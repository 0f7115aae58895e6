//! The Open window: a path typed or pasted (or chosen in the desktop's file dialog), checked
//! before the window closes, and opened either in place of what is open or added to it. It
//! keeps what was typed: a path that does not exist, or data that fails to open, brings the
//! window back with the path and the reason.

use std::path::{Path, PathBuf};

use egui::{Align2, Key};

use crate::workspace::job::Job;

/// What the user chose in the Open window.
#[derive(Debug, Clone, PartialEq)]
pub enum Chosen {
    /// Open the path in place of what is open.
    Replace(PathBuf),
    /// Add the path to what is open.
    Add(PathBuf),
}

/// What the desktop's file dialog is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    File,
    Folder,
}

/// The Open window's state while it is shown.
#[derive(Default)]
pub struct OpenDialog {
    pub path: String,
    /// Columns named by hand for a table whose fields are not found by their names
    /// (`date=when,type=category`); empty for none.
    pub mapping: String,
    /// Why the last path was not opened.
    pub error: Option<String>,
    /// The desktop's file dialog, open on its own thread: the window stays responsive.
    picking: Option<Job<Result<Option<PathBuf>, String>>>,
}

/// Whether a desktop file dialog can answer here: a session bus for the XDG desktop portal,
/// or zenity on the PATH (rfd's fallback). Without either the typed path is the way.
pub fn file_dialog_available() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) || zenity_on_path()
}

fn zenity_on_path() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()))
}

/// Asks the desktop's file dialog (XDG portal, else zenity) for a file or a folder, starting
/// in `from`. Blocks until the user answers: run it off the UI thread.
fn ask_desktop(pick: Pick, from: Option<PathBuf>) -> Option<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(match pick {
        Pick::File => "Open incidents, articles or a basemap",
        Pick::Folder => "Open a folder of articles",
    });
    if let Some(from) = from {
        dialog = dialog.set_directory(from);
    }
    match pick {
        Pick::File => dialog
            .add_filter(
                "Incidents, articles, basemaps",
                &[
                    "json", "geojson", "csv", "gpkg", "txt", "html", "htm", "pdf", "pmtiles",
                ],
            )
            .add_filter("All files", &["*"])
            .pick_file(),
        Pick::Folder => dialog.pick_folder(),
    }
}

impl OpenDialog {
    pub fn new(path: String, mapping: String, error: Option<String>) -> Self {
        Self {
            path,
            mapping,
            error,
            picking: None,
        }
    }

    /// Whether the desktop's file dialog is open (for tests and the busy check).
    pub fn picking(&self) -> bool {
        self.picking.is_some()
    }

    /// Starts the desktop's file dialog on its own thread.
    fn start_picking(&mut self, ctx: &egui::Context, pick: Pick) {
        let typed = PathBuf::from(self.path.trim());
        let from = if typed.is_dir() {
            Some(typed)
        } else {
            typed.parent().filter(|p| p.is_dir()).map(Path::to_path_buf)
        };
        let ctx = ctx.clone();
        self.picking = Some(Job::spawn(
            "Choosing a file",
            move || ctx.request_repaint(),
            move |_| Ok(ask_desktop(pick, from)),
        ));
    }

    /// Takes the desktop dialog's answer into the path field.
    fn poll_picking(&mut self) {
        let Some(answer) = self.picking.as_mut().and_then(Job::finished) else {
            return;
        };
        self.picking = None;
        match answer {
            Err(e) => self.error = Some(e),
            Ok(Some(path)) => {
                self.path = path.display().to_string();
                self.error = None;
            }
            Ok(None) if !file_dialog_available() => {
                self.error = Some(
                    "No file dialog answered (no desktop portal and no zenity here): type or                      paste the path."
                        .to_owned(),
                );
            }
            Ok(None) => {}
        }
    }

    /// Draws the window; returns whether it stays open and what was chosen. `has_data`:
    /// whether incidents are open, so that adding to them makes sense.
    pub fn show(&mut self, ctx: &egui::Context, has_data: bool) -> (bool, Option<Chosen>) {
        self.poll_picking();
        let mut keep_open = true;
        let mut chosen = None;
        egui::Window::new("Open")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut keep_open)
            .show(ctx, |ui| {
                ui.label(
                    "An incident store (.json), a GeoJSON or ACLED CSV file, a workspace (.gpkg), \
                     a folder of articles, or a .pmtiles basemap:",
                );
                let label = ui.weak("Path");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("/path/to/incidents.json")
                            .desired_width(460.0),
                    )
                    .labelled_by(label.id);
                ui.horizontal(|ui| {
                    let available = file_dialog_available() && self.picking.is_none();
                    let why = "No desktop file dialog here (no XDG portal, no zenity): type or \
                               paste the path";
                    if ui
                        .add_enabled(available, egui::Button::new("Choose a file…"))
                        .on_hover_text("The desktop's file dialog")
                        .on_disabled_hover_text(why)
                        .clicked()
                    {
                        self.start_picking(ui.ctx(), Pick::File);
                    }
                    if ui
                        .add_enabled(available, egui::Button::new("Choose a folder…"))
                        .on_hover_text("A folder of articles, through the desktop's dialog")
                        .on_disabled_hover_text(why)
                        .clicked()
                    {
                        self.start_picking(ui.ctx(), Pick::Folder);
                    }
                    if self.picking.is_some() {
                        ui.spinner();
                        ui.weak("Waiting for the file dialog…");
                    }
                });
                let label = ui.weak(
                    "Column mapping, for a table whose columns are not found by their names \
                     (optional):",
                );
                let mapped = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.mapping)
                            .hint_text("date=when,type=category,lat=y,lon=x")
                            .desired_width(460.0),
                    )
                    .labelled_by(label.id);
                if response.changed() || mapped.changed() {
                    self.error = None;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if let Some(error) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.horizontal(|ui| {
                    if has_data {
                        // Enter adds: it never throws away what is open.
                        if ui
                            .button("Add to the workspace")
                            .on_hover_text("Keep what is open and add this to it")
                            .clicked()
                            || enter
                        {
                            chosen = self.check().map(Chosen::Add);
                        }
                        if ui
                            .button("Replace what is open")
                            .on_hover_text("Close what is open and open this instead")
                            .clicked()
                        {
                            chosen = self.check().map(Chosen::Replace);
                        }
                    } else if ui.button("Open").clicked() || enter {
                        chosen = self.check().map(Chosen::Replace);
                    }
                });
                ui.weak("Tip: files can also be dropped onto the window.");
            });
        (keep_open && chosen.is_none(), chosen)
    }

    /// The typed path if it names something that exists; otherwise says why not.
    fn check(&mut self) -> Option<PathBuf> {
        if let Err(e) = crate::exchange::Mapping::parse(&self.mapping) {
            self.error = Some(format!("Column mapping: {e}"));
            return None;
        }
        let typed = self.path.trim();
        if typed.is_empty() {
            self.error = Some("Type or paste the path of a file or folder.".to_owned());
            return None;
        }
        let path = PathBuf::from(typed);
        if !path.exists() {
            self.error = Some(format!("{}: no such file or folder", path.display()));
            return None;
        }
        self.error = None;
        Some(path)
    }
}

/// What to do with files dropped on the window while incidents are open.
pub fn add_or_replace(ctx: &egui::Context, paths: &[PathBuf]) -> Option<Option<DropChoice>> {
    let mut keep_open = true;
    let mut cancelled = false;
    let mut chosen = None;
    let what = match paths {
        [one] => one.display().to_string(),
        _ => format!("{} files and folders", paths.len()),
    };
    egui::Window::new("Open dropped files")
        .collapsible(false)
        .resizable(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .open(&mut keep_open)
        .show(ctx, |ui| {
            ui.label(format!("Open {what}:"));
            ui.horizontal(|ui| {
                if ui.button("Add to the workspace").clicked() {
                    chosen = Some(DropChoice::Add);
                }
                if ui.button("Replace what is open").clicked() {
                    chosen = Some(DropChoice::Replace);
                }
                if ui.button("Cancel").clicked() {
                    cancelled = true;
                }
            });
        });
    if chosen.is_some() || !keep_open || cancelled {
        Some(chosen)
    } else {
        None
    }
}

/// The answer to [`add_or_replace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropChoice {
    Add,
    Replace,
}
