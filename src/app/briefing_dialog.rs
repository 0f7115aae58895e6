//! The viewer's "Export briefing…" window (toolbar button and Ctrl+E): title, size, theme,
//! style and output file; Export renders the current view with the same offscreen renderer as
//! `incident-map render`, as a background job so that the viewer stays responsive. "Copy to
//! clipboard" (and Ctrl+Shift+C anywhere in the viewer) renders the same image and puts it on
//! the clipboard, ready to paste into a slide.

use std::path::{Path, PathBuf};

use egui::{Id, Key};

use crate::briefing::{BriefingSpec, ImageSize, MapView, Offscreen, PRESET_SIZES, Style};
use crate::view::basemap::{Theme, TileChoice};
use crate::workspace::Workspace;
use crate::workspace::filter::{Filter, Undated};
use crate::workspace::job::Job;

/// What the viewer shows now, handed over each frame.
pub struct BriefingView {
    pub filter: Filter,
    pub view: MapView,
    pub tiles: TileChoice,
}

/// The state of the export window.
pub struct BriefingDialog {
    pub open: bool,
    title: String,
    size: ImageSize,
    theme: Theme,
    path: String,
    /// `None`: chosen by the number of incidents.
    style: Option<Style>,
    /// Whether a dated briefing keeps the undated incidents the map shows.
    undated: bool,
    running: Option<Job<Result<Rendered, String>>>,
    /// The last export's outcome: "Saved PATH", or the error.
    pub outcome: Option<Result<String, String>>,
}

/// A finished render: what to tell the user, and the image when it goes to the clipboard.
struct Rendered {
    message: String,
    copy: Option<egui::ColorImage>,
}

/// The file name an export gets unless the user says otherwise: named by today's date.
fn default_name() -> String {
    format!("incident-briefing-{}.png", crate::briefing::today())
}

impl BriefingDialog {
    /// A window opened for the first time, saving into `folder` (see [`super::export_folder`]);
    /// its theme starts as the viewer's.
    pub fn new(theme: Theme, folder: &Path) -> Self {
        Self {
            open: true,
            title: BriefingSpec::DEFAULT_TITLE.to_owned(),
            size: ImageSize::default(),
            theme,
            path: folder.join(default_name()).display().to_string(),
            style: None,
            undated: false,
            running: None,
            outcome: None,
        }
    }

    /// Points the path at `folder`, keeping the file name.
    pub fn set_folder(&mut self, folder: &Path) {
        let name = Path::new(self.path.trim())
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default_name()));
        self.path = folder.join(name).display().to_string();
    }

    /// The folder of the image last saved, for the next export's default.
    pub fn written_folder(&self) -> Option<PathBuf> {
        matches!(self.outcome, Some(Ok(_)))
            .then(|| Path::new(self.path.trim()).parent().map(Path::to_path_buf))
            .flatten()
            .filter(|dir| dir.is_dir())
    }

    /// Whether an export is being rendered now.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Shows the window when it is open; on Export, renders `workspace` as `view` shows it.
    pub fn show(&mut self, ctx: &egui::Context, workspace: &Workspace, view: BriefingView) {
        self.poll(ctx);
        if !self.open {
            return;
        }
        let dialog = self;
        let mut open = true;
        let mut export = false;
        let mut copy = false;
        egui::Window::new("Export briefing image")
            .id(Id::unique("briefing-export-window"))
            // Below the menu bar and the toolbar, never over them.
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 90.0))
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
                                    ui.selectable_value(
                                        &mut dialog.size,
                                        size,
                                        format!("{size} px"),
                                    );
                                }
                            });
                        ui.end_row();

                        ui.label("Style");
                        let name = |style: Option<Style>| match style {
                            None => "Automatic (by number of incidents)",
                            Some(Style::Markers) => "Numbered markers",
                            Some(Style::Aggregate) => "Symbols per area",
                            Some(Style::Density) => "Density surface",
                        };
                        egui::ComboBox::from_id_salt("briefing-style")
                            .selected_text(name(dialog.style))
                            .show_ui(ui, |ui| {
                                for style in [
                                    None,
                                    Some(Style::Markers),
                                    Some(Style::Aggregate),
                                    Some(Style::Density),
                                ] {
                                    ui.selectable_value(&mut dialog.style, style, name(style));
                                }
                            });
                        ui.end_row();

                        ui.label("Undated");
                        ui.checkbox(
                            &mut dialog.undated,
                            "Include incidents of unknown date (left out of a dated briefing)",
                        );
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
                ui.weak(
                    "The image shows the map's current view and the incidents the filters show.",
                );
                ui.horizontal(|ui| {
                    let running = dialog.running.is_some();
                    if ui
                        .add_enabled(!running, egui::Button::new("Export"))
                        .clicked()
                    {
                        export = true;
                    }
                    if ui
                        .add_enabled(!running, egui::Button::new("Copy to clipboard"))
                        .on_hover_text("Ctrl+Shift+C")
                        .clicked()
                    {
                        copy = true;
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
            dialog.start(ctx, workspace, view);
        } else if copy {
            dialog.copy(ctx, workspace, view);
        }
    }

    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(outcome) = self.running.as_mut().and_then(Job::finished) {
            self.outcome = Some(outcome.map(|rendered| {
                if let Some(image) = rendered.copy {
                    ctx.copy_image(image);
                }
                rendered.message
            }));
            self.running = None;
        }
    }

    /// What to render: the window's choices over the viewer's view.
    fn spec(&self, workspace: &Workspace, view: BriefingView) -> BriefingSpec {
        BriefingSpec {
            title: self.title.clone(),
            size: self.size,
            theme: self.theme,
            view: view.view,
            filter: if self.undated && view.filter.shows_undated() {
                Filter {
                    undated: Undated::Shown,
                    ..view.filter
                }
            } else {
                view.filter
            },
            tiles: view.tiles,
            created: crate::briefing::today(),
            style: self.style,
            annotations: workspace.annotations().to_vec(),
        }
    }

    /// Renders the image in the background and puts it on the clipboard (unless one is being
    /// rendered already).
    pub fn copy(&mut self, ctx: &egui::Context, workspace: &Workspace, view: BriefingView) {
        if self.running.is_some() {
            return;
        }
        let spec = self.spec(workspace, view);
        let store = workspace.store.clone();
        let shapes = workspace.shapes().cloned().unwrap_or_default();
        let repaint = ctx.clone();
        self.outcome = None;
        self.running = Some(Job::spawn(
            "Copying the briefing image".to_owned(),
            move || repaint.request_repaint(),
            move |_| {
                let briefing = Offscreen::new().and_then(|offscreen| {
                    crate::briefing::render_briefing(&offscreen, &spec, &store, &shapes)
                })?;
                let size = [
                    briefing.image.width() as usize,
                    briefing.image.height() as usize,
                ];
                let image = egui::ColorImage::from_rgba_unmultiplied(size, briefing.image.as_raw());
                let mut message = format!(
                    "Copied the image ({}×{}) to the clipboard",
                    size[0], size[1]
                );
                for warning in &briefing.warnings {
                    message.push_str(&format!("\n{warning}"));
                }
                Ok(Rendered {
                    message,
                    copy: Some(image),
                })
            },
        ));
    }

    /// Checks the path, then renders and saves in the background.
    fn start(&mut self, ctx: &egui::Context, workspace: &Workspace, view: BriefingView) {
        let path = PathBuf::from(self.path.trim());
        if let Err(e) = crate::briefing::check_output(&path) {
            self.outcome = Some(Err(e));
            return;
        }
        let spec = self.spec(workspace, view);
        // The render thread shares the store: the window goes on using the workspace.
        let store = workspace.store.clone();
        let shapes = workspace.shapes().cloned().unwrap_or_default();
        let ctx = ctx.clone();
        self.outcome = None;
        self.running = Some(Job::spawn(
            format!("Saving {}", path.display()),
            move || ctx.request_repaint(),
            move |_| {
                let briefing = Offscreen::new().and_then(|offscreen| {
                    crate::briefing::render_briefing(&offscreen, &spec, &store, &shapes)
                })?;
                crate::briefing::save_png(&briefing.image, &path)?;
                let mut message = format!("Saved {}", path.display());
                for warning in &briefing.warnings {
                    message.push_str(&format!("\n{warning}"));
                }
                Ok(Rendered {
                    message,
                    copy: None,
                })
            },
        ));
    }
}
