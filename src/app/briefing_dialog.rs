//! The viewer's "Export briefing…" window (toolbar button and Ctrl+E): title, size, theme and
//! output file; Export renders the current view with the same offscreen renderer as
//! `incident-map render`, on a background thread so that the viewer stays responsive.
//!
//! The window keeps its state in the egui context, so the viewer only has to open it and show
//! it each frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use egui::{Id, Key};

use super::{BriefingSpec, ImageSize, MapView, Offscreen, PRESET_SIZES};
use crate::app::Shapes;
use crate::store::Store;
use crate::view::basemap::{Theme, TileChoice};
use crate::view::query::Filter;

/// What the viewer shows now, handed over when the user clicks Export.
pub struct ExportSource {
    pub store: Store,
    pub filter: Filter,
    pub view: MapView,
    pub tiles: TileChoice,
    pub shapes: Shapes,
}

/// The state of the export window.
struct Dialog {
    open: bool,
    title: String,
    size: ImageSize,
    theme: Theme,
    path: String,
    running: Option<Receiver<Result<String, String>>>,
    /// The last export's outcome: "Saved PATH", or the error.
    outcome: Option<Result<String, String>>,
}

type Shared = Arc<Mutex<Dialog>>;

fn id() -> Id {
    Id::unique("incident-map-briefing-export")
}

fn shared(ctx: &egui::Context) -> Option<Shared> {
    ctx.data(|d| d.get_temp::<Shared>(id()))
}

/// Where an export goes unless the user says otherwise: the pictures folder (or home), named
/// by today's date.
fn default_path() -> PathBuf {
    let name = format!("incident-briefing-{}.png", super::today());
    directories::UserDirs::new()
        .map(|dirs| {
            dirs.picture_dir()
                .filter(|d| d.is_dir())
                .unwrap_or(dirs.home_dir())
                .join(&name)
        })
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Opens the window; the theme starts as the viewer's.
pub fn open(ctx: &egui::Context, theme: Theme) {
    match shared(ctx) {
        Some(dialog) => {
            if let Ok(mut dialog) = dialog.lock() {
                dialog.open = true;
            }
        }
        None => {
            let dialog = Dialog {
                open: true,
                title: BriefingSpec::DEFAULT_TITLE.to_owned(),
                size: ImageSize::default(),
                theme,
                path: default_path().display().to_string(),
                running: None,
                outcome: None,
            };
            ctx.data_mut(|d| d.insert_temp(id(), Arc::new(Mutex::new(dialog))));
        }
    }
}

/// Whether an export is being rendered now.
pub fn is_running(ctx: &egui::Context) -> bool {
    shared(ctx)
        .and_then(|d| d.lock().ok().map(|d| d.running.is_some()))
        .unwrap_or(false)
}

/// The last export's outcome, if any: `Ok("Saved PATH")` or the error.
pub fn outcome(ctx: &egui::Context) -> Option<Result<String, String>> {
    shared(ctx).and_then(|d| d.lock().ok().and_then(|d| d.outcome.clone()))
}

/// Shows the window when it is open; `source` is asked for the current view on Export.
pub fn show(ctx: &egui::Context, source: impl FnOnce() -> ExportSource) {
    let Some(dialog) = shared(ctx) else { return };
    let Ok(mut dialog) = dialog.lock() else {
        return;
    };
    poll(&mut dialog);
    if !dialog.open {
        return;
    }
    let mut open = true;
    let mut export = false;
    egui::Window::new("Export briefing image")
        .id(Id::unique("briefing-export-window"))
        .collapsible(false)
        .resizable(false)
        .open(&mut open)
        .show(ctx, |ui| {
            egui::Grid::new("briefing-export-grid")
                .num_columns(2)
                .spacing([10.0, 8.0])
                .show(ui, |ui| {
                    let label = ui.label("Title");
                    ui.add(egui::TextEdit::singleline(&mut dialog.title).desired_width(360.0))
                        .labelled_by(label.id);
                    ui.end_row();

                    ui.label("Size");
                    let current = dialog.size;
                    egui::ComboBox::from_id_salt("briefing-size")
                        .selected_text(format!("{current} px"))
                        .show_ui(ui, |ui| {
                            for size in PRESET_SIZES {
                                ui.selectable_value(&mut dialog.size, size, format!("{size} px"));
                            }
                        });
                    ui.end_row();

                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut dialog.theme, Theme::Light, "Light");
                        ui.radio_value(&mut dialog.theme, Theme::Dark, "Dark");
                    });
                    ui.end_row();

                    let label = ui.label("Save as");
                    ui.add(
                        egui::TextEdit::singleline(&mut dialog.path)
                            .hint_text("/path/to/briefing.png")
                            .desired_width(360.0),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                });
            ui.weak("The image shows the map's current view and the incidents the filters show.");
            ui.horizontal(|ui| {
                let running = dialog.running.is_some();
                if ui
                    .add_enabled(!running, egui::Button::new("Export"))
                    .clicked()
                {
                    export = true;
                }
                if running {
                    ui.spinner();
                    ui.label("Rendering…");
                }
            });
            match &dialog.outcome {
                Some(Ok(saved)) => {
                    ui.label(saved);
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {}
            }
        });
    if ctx.input(|i| i.key_pressed(Key::Escape)) && dialog.running.is_none() {
        open = false;
    }
    dialog.open = open;
    if export {
        start(ctx, &mut dialog, source());
    }
}

fn poll(dialog: &mut Dialog) {
    let Some(receiver) = &dialog.running else {
        return;
    };
    match receiver.try_recv() {
        Ok(result) => {
            dialog.outcome = Some(result);
            dialog.running = None;
        }
        Err(TryRecvError::Empty) => {}
        Err(TryRecvError::Disconnected) => {
            dialog.outcome = Some(Err("the export stopped unexpectedly".to_owned()));
            dialog.running = None;
        }
    }
}

/// Checks the path, then renders and saves on a background thread.
fn start(ctx: &egui::Context, dialog: &mut Dialog, source: ExportSource) {
    let path = PathBuf::from(dialog.path.trim());
    if let Err(e) = super::cli::check_output(&path) {
        dialog.outcome = Some(Err(e));
        return;
    }
    let spec = BriefingSpec {
        title: dialog.title.clone(),
        size: dialog.size,
        theme: dialog.theme,
        view: source.view,
        filter: source.filter,
        tiles: source.tiles,
        created: super::today(),
    };
    let (sender, receiver) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let result = Offscreen::new()
            .and_then(|offscreen| {
                super::render_briefing(&offscreen, &spec, &source.store, &source.shapes)
            })
            .and_then(|briefing| {
                super::save_png(&briefing.image, &path)?;
                let mut message = format!("Saved {}", path.display());
                for warning in &briefing.warnings {
                    message.push_str(&format!("\n{warning}"));
                }
                Ok(message)
            });
        let _ = sender.send(result);
        ctx.request_repaint();
    });
    dialog.outcome = None;
    dialog.running = Some(receiver);
}
