//! The window's chrome: the menu bar, the toolbar and what floats over the map (attribution,
//! zoom buttons, legend, a cluster's members, problems and progress). Each is a function that
//! draws and returns what the user chose, as an [`Action`] the app applies in one place.

use egui::{Align2, Color32, RichText, Ui};

use super::Action;
use crate::store::Store;
use crate::view::basemap::{Basemap, Theme, TileChoice};
use crate::view::panels;
use crate::view::shown::Shown;
use crate::workspace::filter::Filter;

/// What the Edit menu can do now.
pub struct EditMenu {
    pub can_undo: bool,
    pub can_redo: bool,
    /// The workspace file corrections are saved in, if any.
    pub saved_in: Option<String>,
    /// How many news feeds the workspace follows.
    pub feeds: usize,
}

/// The File, Edit, View, Map tiles and Help menus.
pub fn menu_bar(ui: &mut Ui, basemap: &Basemap, edit: &EditMenu) -> Option<Action> {
    let mut action = None;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("Open…").clicked() {
                action = Some(Action::ShowOpenDialog);
            }
            if ui.button("Open bundled data").clicked() {
                action = Some(Action::OpenBundled);
            }
            if ui
                .add(egui::Button::new("New article…").shortcut_text("Ctrl+N"))
                .on_hover_text("Paste an article's text; its incidents are added to the map")
                .clicked()
            {
                action = Some(Action::ShowNewArticle { from_url: false });
            }
            if ui
                .button("Add article from URL…")
                .on_hover_text("Fetch a news page and add its incidents")
                .clicked()
            {
                action = Some(Action::ShowNewArticle { from_url: true });
            }
            if ui
                .add_enabled(edit.feeds > 0, egui::Button::new("Update feeds"))
                .on_hover_text(if edit.feeds > 0 {
                    format!("Fetch what is new in the {} followed feeds", edit.feeds)
                } else {
                    "Follow a feed with `incident-map workspace feeds add FILE URL`".to_owned()
                })
                .on_disabled_hover_text(
                    "Follow a feed with `incident-map workspace feeds add FILE URL`",
                )
                .clicked()
            {
                action = Some(Action::UpdateFeeds);
            }
            if ui.button("Export…").clicked() {
                action = Some(Action::ShowExportDialog);
            }
            if ui
                .button("Save workspace as…")
                .on_hover_text("Keep the data and your corrections in a workspace file (.gpkg)")
                .clicked()
            {
                action = Some(Action::ShowSaveWorkspace);
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                action = Some(Action::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            if ui
                .add_enabled(
                    edit.can_undo,
                    egui::Button::new("Undo correction").shortcut_text("Ctrl+Z"),
                )
                .clicked()
            {
                action = Some(Action::Undo);
            }
            if ui
                .add_enabled(
                    edit.can_redo,
                    egui::Button::new("Redo correction").shortcut_text("Ctrl+Shift+Z"),
                )
                .clicked()
            {
                action = Some(Action::Redo);
            }
            ui.separator();
            match &edit.saved_in {
                Some(path) => ui.weak(format!("Corrections are saved in {path}")),
                None => ui.weak("Corrections are not saved yet: File ▸ Save workspace as…"),
            };
        });
        ui.menu_button("View", |ui| {
            for (label, choice) in [("Light", Theme::Light), ("Dark", Theme::Dark)] {
                if ui.radio(basemap.theme == choice, label).clicked() {
                    action = Some(Action::SetTheme(choice));
                }
            }
            ui.separator();
            if ui.button("Fit map to what is shown").clicked() {
                action = Some(Action::FitToShown);
            }
        });
        ui.menu_button("Map tiles", |ui| {
            for choice in [
                TileChoice::BuiltIn,
                TileChoice::OpenStreetMap,
                TileChoice::OpenTopoMap,
            ] {
                if ui.radio(basemap.choice == choice, choice.label()).clicked() {
                    action = Some(Action::SetTiles(choice));
                }
            }
            if let TileChoice::File(_) = &basemap.choice {
                let _ = ui.radio(true, basemap.choice.label());
            }
            if ui.button("Open a .pmtiles file…").clicked() {
                action = Some(Action::ShowOpenDialog);
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
    action
}

/// Search, actor and publisher filters, fit, reset, the briefing button and the count shown.
pub fn toolbar(ui: &mut Ui, shown: &Shown, total: usize, focus_search: bool) -> Option<Action> {
    let mut action = None;
    let filter = &shown.filter;
    let with = |change: &dyn Fn(&mut Filter)| {
        let mut next = filter.clone();
        change(&mut next);
        Some(Action::SetFilter(next))
    };
    ui.horizontal(|ui| {
        let mut text = filter.text.clone();
        let search = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text("Search (Ctrl+F)")
                .desired_width(220.0),
        );
        if focus_search {
            search.request_focus();
        }
        if search.changed() {
            action = with(&|f| f.text = text.clone());
        }
        let current = filter.actor.clone();
        egui::ComboBox::new("actor-filter", "Actor")
            .selected_text(current.clone().unwrap_or_else(|| "All actors".to_owned()))
            .width(170.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(current.is_none(), "All actors")
                    .clicked()
                {
                    action = with(&|f| f.actor = None);
                }
                for (actor, n) in &shown.facets.actors {
                    let chosen = current.as_deref() == Some(actor.as_str());
                    if ui
                        .selectable_label(chosen, format!("{actor} ({n})"))
                        .clicked()
                    {
                        action = with(&|f| f.actor = Some(actor.clone()));
                    }
                }
            });
        let current = filter.publisher.clone();
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
                    action = with(&|f| f.publisher = None);
                }
                for publisher in &shown.facets.publishers {
                    let chosen = current.as_deref() == Some(publisher.as_str());
                    if ui.selectable_label(chosen, publisher).clicked() {
                        action = with(&|f| f.publisher = Some(publisher.clone()));
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
        let statuses = &filter.statuses;
        egui::ComboBox::new("status-filter", "Status")
            .selected_text(if statuses.is_empty() {
                "All but rejected".to_owned()
            } else {
                statuses
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .width(120.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(statuses.is_empty(), "All but rejected")
                    .clicked()
                {
                    action = with(&|f| f.statuses.clear());
                }
                for status in crate::store::Status::ALL {
                    let mut on = statuses.contains(&status);
                    if ui.checkbox(&mut on, status.as_str()).changed() {
                        action = with(&|f| {
                            if on {
                                f.statuses.insert(status);
                            } else {
                                f.statuses.remove(&status);
                            }
                        });
                    }
                }
            });
        let to_review = shown.sort.key == crate::view::shown::SortKey::Confidence;
        if ui
            .selectable_label(to_review, "To review")
            .on_hover_text("Least certain first: the incidents most worth an analyst's look")
            .clicked()
        {
            action = Some(Action::SetSort(crate::view::shown::Sort {
                key: if to_review {
                    crate::view::shown::SortKey::Date
                } else {
                    crate::view::shown::SortKey::Confidence
                },
                descending: false,
            }));
        }
        if !filter.is_default() && ui.button("Reset filters").clicked() {
            action = Some(Action::SetFilter(Filter::default()));
        }
        if ui
            .button("Export briefing…")
            .on_hover_text("Save the current view as a slide-ready PNG (Ctrl+E)")
            .clicked()
        {
            action = Some(Action::ShowBriefingDialog);
        }
        ui.separator();
        ui.label(format!(
            "{} of {total} incidents shown",
            shown.visible.len()
        ));
    });
    action
}

/// What the overlays need to know besides what is shown.
pub struct OverlayState<'a> {
    pub basemap: &'a Basemap,
    pub store: &'a Store,
    pub shown: &'a Shown,
    pub selected: Option<usize>,
    pub cluster_members: Option<&'a [usize]>,
    pub problems: &'a [String],
    /// What is being opened ("Opening PATH"), its progress and its last message.
    pub loading: Option<(&'a str, f32, &'a str)>,
    /// The workspace is read window by window: an empty list is no empty workspace.
    pub read_by_window: bool,
}

/// Attribution, zoom buttons, legend, a cluster's members, problems and progress.
pub fn map_overlays(ui: &mut Ui, rect: egui::Rect, state: &OverlayState<'_>) -> Option<Action> {
    let mut action = None;
    let painter = ui.painter_at(rect);
    // Attribution: always names the data in view.
    let credit = format!("Map: {}", state.basemap.attribution());
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

    egui::Area::new(ui.scope_id().with("zoom-buttons"))
        .fixed_pos(rect.right_top() + egui::vec2(-44.0, 10.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                if ui
                    .button(RichText::new("+").size(18.0))
                    .on_hover_text("Zoom in (+)")
                    .clicked()
                {
                    action = Some(Action::ZoomIn);
                }
                if ui
                    .button(RichText::new("−").size(18.0))
                    .on_hover_text("Zoom out (−)")
                    .clicked()
                {
                    action = Some(Action::ZoomOut);
                }
            });
        });

    egui::Area::new(ui.scope_id().with("legend"))
        .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong("Event types");
                if let Some(chosen) =
                    panels::legend(ui, &state.shown.facets.type_counts, &state.shown.filter)
                {
                    action = Some(chosen);
                }
            });
        });

    if let Some(members) = state.cluster_members {
        let mut open = true;
        egui::Window::new(format!("{} incidents here", members.len()))
            .id(egui::Id::unique("cluster-members"))
            .open(&mut open)
            .default_pos(rect.right_top() + egui::vec2(-380.0, 60.0))
            .default_width(340.0)
            .show(ui.ctx(), |ui| {
                egui::ScrollArea::vertical()
                    .max_height(300.0)
                    .show(ui, |ui| {
                        for &index in members {
                            let Some(incident) = state.store.incidents.get(index) else {
                                continue;
                            };
                            let text = format!(
                                "{} · {} · {}",
                                incident.date_label(),
                                incident.sub_event_type,
                                incident.location.name
                            );
                            if ui
                                .selectable_label(state.selected == Some(index), text)
                                .on_hover_text(&incident.summary)
                                .clicked()
                            {
                                action = Some(Action::Select(index));
                            }
                        }
                    });
            });
        if !open {
            action = Some(Action::CloseClusterMembers);
        }
    }

    // Problems and progress, never an unexplained empty map.
    let mut y = rect.top() + 10.0;
    // Beside the legend, never over it.
    let banner_x = (rect.center().x - 260.0).max(rect.left() + 250.0);
    if let Some(problem) = &state.basemap.problem {
        egui::Area::new(ui.scope_id().with("basemap-problem"))
            .fixed_pos(egui::pos2(banner_x, y))
            .show(ui.ctx(), |ui| {
                if banner(ui, problem, ui.visuals().warn_fg_color) {
                    action = Some(Action::DismissBasemapProblem);
                }
            });
        y += 40.0;
    }
    for (i, problem) in state.problems.iter().enumerate().take(4) {
        egui::Area::new(ui.scope_id().with(("problem", i)))
            .fixed_pos(egui::pos2(banner_x, y))
            .show(ui.ctx(), |ui| {
                if banner(ui, problem, ui.visuals().error_fg_color) {
                    action = Some(Action::DismissProblem(i));
                }
            });
        y += 40.0;
    }
    if let Some((what, progress, message)) = state.loading {
        egui::Area::new(ui.scope_id().with("loading"))
            .fixed_pos(egui::pos2(banner_x, y))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(520.0);
                    ui.label(what);
                    ui.add(egui::ProgressBar::new(progress).text(message));
                });
            });
    } else if state.store.incidents.is_empty() && state.problems.is_empty() && !state.read_by_window
    {
        egui::Area::new(ui.scope_id().with("empty"))
            .fixed_pos(egui::pos2(banner_x, y))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label("No incidents loaded. Use File → Open or drop a store or a folder of articles here.");
                });
            });
    }
    let loading_tiles = state.basemap.loading();
    if loading_tiles > 0 {
        painter.text(
            rect.right_bottom() + egui::vec2(-8.0, -8.0),
            Align2::RIGHT_BOTTOM,
            format!("loading {loading_tiles} tiles…"),
            egui::FontId::proportional(11.0),
            ui.visuals().weak_text_color(),
        );
    }
    action
}

/// A dismissable message; returns whether it was dismissed.
fn banner(ui: &mut Ui, text: &str, color: Color32) -> bool {
    let mut dismissed = false;
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.set_max_width(520.0);
        ui.horizontal(|ui| {
            ui.colored_label(color, RichText::new(" ! ").strong());
            ui.add(egui::Label::new(text).wrap());
            dismissed = ui.small_button("×").on_hover_text("Dismiss").clicked();
        });
    });
    dismissed
}
