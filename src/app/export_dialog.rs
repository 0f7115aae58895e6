//! File → Export…: a small window to write the incidents shown, in a chosen format, as a
//! background job (a million incidents take a while to write).

use std::path::{Path, PathBuf};

use egui::{Align2, Key};

use crate::exchange::Format;
use crate::store::Store;
use crate::view::shown::Shown;
use crate::workspace::job::Job;

/// The export window's state while it is open.
pub struct ExportDialog {
    pub format: Format,
    /// Where to write, as typed; relative paths are taken from the current directory.
    pub path: String,
    /// The last export's outcome: a message, or an error.
    pub status: Option<Result<String, String>>,
    running: Option<Job<Result<String, String>>>,
}

impl ExportDialog {
    /// A window writing GeoJSON into `folder` (see [`super::export_folder`]).
    pub fn new(folder: &Path) -> Self {
        let format = Format::GeoJson;
        Self {
            format,
            path: folder
                .join(format.default_file_name())
                .display()
                .to_string(),
            status: None,
            running: None,
        }
    }

    /// Points the path at `folder`, keeping the file name.
    pub fn set_folder(&mut self, folder: &Path) {
        let path = PathBuf::from(self.path.trim());
        let name = path
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(self.format.default_file_name()));
        self.path = folder.join(name).display().to_string();
    }

    /// The folder of the file last written, for the next export's default.
    pub fn written_folder(&self) -> Option<PathBuf> {
        matches!(self.status, Some(Ok(_)))
            .then(|| Path::new(self.path.trim()).parent().map(Path::to_path_buf))
            .flatten()
            .filter(|dir| dir.is_dir())
    }

    /// Switches the format, and the path's file name with it while it still is a default one.
    pub fn set_format(&mut self, format: Format) {
        if format == self.format {
            return;
        }
        let path = Path::new(self.path.trim());
        let defaults = Format::ALL.map(Format::default_file_name);
        let is_default = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| defaults.contains(&n));
        if is_default {
            self.path = path
                .with_file_name(format.default_file_name())
                .display()
                .to_string();
        } else if path.extension().is_some() {
            self.path = path
                .with_extension(format.extension())
                .display()
                .to_string();
        }
        self.format = format;
    }

    /// Whether an export is being written now.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts writing the incidents at `shown` to the chosen path.
    fn start(&mut self, ctx: &egui::Context, store: &Store, shown: &[usize]) {
        let path = PathBuf::from(self.path.trim());
        if path.as_os_str().is_empty() {
            self.status = Some(Err("Type the path of the file to write.".to_owned()));
            return;
        }
        // The job gets its own copy of what is shown: the window goes on using the store.
        let (subset, all) = crate::exchange::subset(store, shown);
        let format = self.format;
        let ctx = ctx.clone();
        self.status = None;
        self.running = Some(Job::spawn(
            format!("Exporting to {}", path.display()),
            move || ctx.request_repaint(),
            move |_| export(&subset, &all, format, &path),
        ));
    }

    fn poll(&mut self) {
        if let Some(status) = self.running.as_mut().and_then(Job::finished) {
            self.status = Some(status);
            self.running = None;
        }
    }

    /// Draws the window; returns whether it stays open.
    pub fn show(&mut self, ctx: &egui::Context, store: &Store, shown: &Shown) -> bool {
        self.poll();
        let filter = &shown.filter;
        let shown = &shown.visible;
        let mut keep_open = true;
        egui::Window::new("Export incidents")
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut keep_open)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Writes the {} incidents shown ({}).",
                    shown.len(),
                    filter.describe()
                ));
                ui.add_space(4.0);
                for format in Format::ALL {
                    if ui.radio(self.format == format, format.label()).clicked() {
                        self.set_format(format);
                    }
                }
                ui.add_space(4.0);
                let mut enter = false;
                ui.horizontal(|ui| {
                    let label = ui.label("Save as:");
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut self.path).desired_width(420.0))
                        .labelled_by(label.id);
                    enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                });
                let running = self.running.is_some();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!running, egui::Button::new("Export"))
                        .clicked()
                        || (enter && !running)
                    {
                        self.start(ctx, store, shown);
                    }
                    if running {
                        ui.spinner();
                        ui.label("Writing…");
                    }
                });
                match &self.status {
                    Some(Ok(message)) => {
                        ui.label(message);
                    }
                    Some(Err(error)) => {
                        ui.colored_label(ui.visuals().error_fg_color, error);
                    }
                    None => {}
                }
            });
        keep_open
    }
}

/// Writes the incidents at `indices` of `store` to `path`; says what was written, or why not.
fn export(store: &Store, indices: &[usize], format: Format, path: &Path) -> Result<String, String> {
    let exported =
        crate::exchange::export_to_file(store, indices, format, path).map_err(|e| e.to_string())?;
    let mut message = format!(
        "Exported {} {} to {}",
        exported.written,
        if exported.written == 1 {
            "incident"
        } else {
            "incidents"
        },
        path.display()
    );
    if let Some(note) = exported.left_out {
        message.push_str(&format!(" ({note})"));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_follows_the_format_until_the_user_names_it() {
        let mut dialog = ExportDialog {
            path: "/data/incidents.geojson".to_owned(),
            ..ExportDialog::new(Path::new("/data"))
        };
        dialog.set_format(Format::Acled);
        assert_eq!(dialog.path, "/data/incidents-acled.csv");
        dialog.set_format(Format::Csv);
        assert_eq!(dialog.path, "/data/incidents.csv");
        dialog.path = "/data/syria.csv".to_owned();
        dialog.set_format(Format::GeoJson);
        assert_eq!(dialog.path, "/data/syria.geojson");
        dialog.set_format(Format::GeoPackage);
        assert_eq!(dialog.path, "/data/syria.gpkg");
    }

    #[test]
    fn an_unwritable_path_is_reported_not_panicked() {
        let store = Store::default();
        let path = Path::new("/nonexistent-dir-for-incident-map/x.geojson");
        let error = export(&store, &[], Format::GeoJson, path).err();
        assert!(
            error.as_deref().is_some_and(|e| e.contains("cannot write")),
            "{error:?}"
        );
        let mut dialog = ExportDialog {
            path: "  ".to_owned(),
            ..ExportDialog::new(Path::new("/data"))
        };
        dialog.start(&egui::Context::default(), &store, &[]);
        assert!(matches!(dialog.status, Some(Err(_))));
        assert!(!dialog.running());
    }
}
