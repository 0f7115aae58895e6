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
    /// Whether the map shows a heat map (the View menu's tick).
    pub heat: bool,
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
            let mut heat = edit.heat;
            if ui
                .checkbox(&mut heat, "Heat map")
                .on_hover_text("Where the shown incidents crowd, instead of markers")
                .changed()
            {
                action = Some(Action::SetHeatMap(heat));
            }
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
            ui.strong("Keyboard");
            egui::Grid::new("help-keys")
                .num_columns(2)
                .spacing([16.0, 2.0])
                .show(ui, |ui| {
                    for (keys, what) in KEYS {
                        ui.monospace(*keys);
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            ui.label("Drop files or folders on the window to open them.");
            ui.separator();
            ui.label("Map data: Natural Earth, GeoNames (CC BY 4.0), GSHHG;");
            ui.label("online tiles © OpenStreetMap contributors.");
        });
    });
    action
}

/// The keys the Help menu lists: every shortcut the window answers to.
pub const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next incident in the list"),
    ("k / ↑", "previous incident"),
    ("Esc", "close the window in front, else clear the selection"),
    ("Ctrl+F", "search the incidents"),
    ("Ctrl+G", "go to a place"),
    ("Ctrl+E", "export a briefing image"),
    ("Ctrl+N", "new article (paste its text)"),
    ("Ctrl+Z", "undo a correction"),
    ("Ctrl+Shift+Z", "redo"),
    ("+ / −", "zoom in / out"),
    ("km button", "measure a distance on the map; Esc ends"),
];

/// Search, actor and publisher filters, fit, reset, the briefing button and the count shown.
/// `windowed`: how many incidents a workspace read window by window holds (none is loaded).
pub fn toolbar(
    ui: &mut Ui,
    shown: &Shown,
    total: usize,
    windowed: Option<i64>,
    focus_search: bool,
) -> Option<Action> {
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
                if let Some(actor) = current.as_ref()
                    && !shown.actors.iter().any(|(a, _)| a == actor)
                {
                    // The actor chosen stays in the menu even when nothing else shows it.
                    let _ = ui.selectable_label(true, format!("{actor} (0)"));
                }
                for (actor, n) in &shown.actors {
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
        ui.label(match windowed {
            // Nothing is loaded: what the map reads is the window's, not a share of a total.
            Some(all) => format!(
                "{} in the workspace, read by window",
                crate::files::thousands(usize::try_from(all).unwrap_or(0))
            ),
            None => format!("{} of {total} incidents shown", shown.visible.len()),
        });
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
    /// The built-in map has no more detail at this view.
    /// What to say when the map has no tiles at this view.
    pub missing_tiles: Option<String>,
    /// The points clicked while measuring a distance; `None` when not measuring.
    pub measure: Option<&'a [(f64, f64)]>,
    /// The incidents are drawn as a heat map.
    pub heat: bool,
    /// The map's centre (lat, lon) and zoom.
    pub view: (f64, f64, f64),
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
    scale_bar(ui, &painter, at + egui::vec2(0.0, -10.0), state.view);
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
                if ui
                    .selectable_label(state.measure.is_some(), RichText::new("km").size(13.0))
                    .on_hover_text("Measure a distance: click two points on the map (Esc ends)")
                    .clicked()
                {
                    action = Some(Action::ToggleMeasure);
                }
            });
        });

    egui::Area::new(ui.scope_id().with("legend"))
        .fixed_pos(rect.left_top() + egui::vec2(10.0, 10.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.strong("Event types");
                if let Some(chosen) =
                    panels::legend(ui, &state.shown.type_counts, &state.shown.filter)
                {
                    action = Some(chosen);
                }
                let mut heat = state.heat;
                if ui
                    .checkbox(&mut heat, "Heat map")
                    .on_hover_text("Where the shown incidents crowd (View ▸ Heat map)")
                    .changed()
                {
                    action = Some(Action::SetHeatMap(heat));
                }
                if state.heat {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(140.0, 10.0), egui::Sense::hover());
                    for i in 0..28 {
                        let h = i as f32 / 27.0;
                        let cell = egui::Rect::from_min_size(
                            rect.left_top() + egui::vec2(i as f32 * 5.0, 0.0),
                            egui::vec2(5.0, 10.0),
                        );
                        ui.painter()
                            .rect_filled(cell, 0.0, crate::view::heat::ramp(h));
                    }
                    ui.weak("few → many incidents");
                }
            });
        });

    if let Some(members) = state.cluster_members {
        let mut open = true;
        egui::Window::new(format!("{} incidents here", members.len()))
            .id(egui::Id::unique("cluster-members"))
            .open(&mut open)
            // Top right, beside the zoom buttons: never over the legend (top left).
            .pivot(Align2::RIGHT_TOP)
            .default_pos(rect.right_top() + egui::vec2(-56.0, 56.0))
            .constrain_to(rect)
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

    // Problems and progress, never an unexplained empty map: one column beside the legend,
    // inside the map (never over the side panels), the notices queued one under another.
    let left = (rect.left() + 250.0).min(rect.right() - 200.0);
    let width = (rect.right() - 60.0 - left).clamp(160.0, 520.0);
    let column = egui::Rect::from_min_max(
        egui::pos2(left, rect.top()),
        egui::pos2(left + width, rect.bottom() - 30.0),
    );
    egui::Area::new(ui.scope_id().with("notices"))
        // Below the place search field (top right).
        .fixed_pos(column.left_top() + egui::vec2(0.0, 52.0))
        .constrain_to(column)
        .show(ui.ctx(), |ui| {
            ui.set_max_width(width);
            ui.spacing_mut().item_spacing.y = 6.0;
            if let Some(chosen) = notices(ui, state, width) {
                action = Some(chosen);
            }
        });
    if let Some(points) = state.measure {
        egui::Area::new(ui.scope_id().with("measure"))
            .pivot(Align2::RIGHT_BOTTOM)
            .fixed_pos(rect.right_bottom() + egui::vec2(-10.0, -28.0))
            .constrain_to(rect)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        match points {
                            [] => ui.label("Measuring: click the first point"),
                            [_] => ui.label("Measuring: click the second point"),
                            _ => ui.strong(format!(
                                "Distance: {}",
                                crate::view::measure::format_km(crate::view::measure::path_km(
                                    points
                                ))
                            )),
                        };
                        if ui.small_button("Done").on_hover_text("Esc").clicked() {
                            action = Some(Action::ToggleMeasure);
                        }
                    });
                    if points.len() >= 2 {
                        ui.weak("Great-circle distance; click again to start a new one.");
                    }
                });
            });
    }
    if let Some(missing) = &state.missing_tiles {
        egui::Area::new(ui.scope_id().with("out-of-detail"))
            .pivot(Align2::CENTER_BOTTOM)
            .fixed_pos(rect.center_bottom() + egui::vec2(0.0, -34.0))
            .constrain_to(rect)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(missing);
                        if ui
                            .button("Use OpenStreetMap")
                            .on_hover_text("Online tiles, cached on disk (Map tiles menu)")
                            .clicked()
                        {
                            action = Some(Action::SetTiles(TileChoice::OpenStreetMap));
                        }
                        ui.weak("or Map tiles → a .pmtiles or .mbtiles file");
                    });
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

/// The scale bar, its left end at `at`, for the view's centre (lat, lon, zoom).
fn scale_bar(ui: &Ui, painter: &egui::Painter, at: egui::Pos2, view: (f64, f64, f64)) {
    let (lat, _, zoom) = view;
    let (label, length) = crate::view::measure::scale_bar(lat, zoom, 120.0);
    let color = ui.visuals().text_color();
    let halo = ui.visuals().panel_fill.gamma_multiply(0.85);
    let galley = painter.layout_no_wrap(label, egui::FontId::proportional(11.0), color);
    let back = egui::Rect::from_min_max(
        at + egui::vec2(-3.0, -galley.size().y - 8.0),
        at + egui::vec2(length.max(galley.size().x) + 3.0, 2.0),
    );
    painter.rect_filled(back, 3.0, halo);
    let y = at.y - 2.0;
    let stroke = egui::Stroke::new(1.5, color);
    painter.line_segment([egui::pos2(at.x, y), egui::pos2(at.x + length, y)], stroke);
    for x in [at.x, at.x + length] {
        painter.line_segment([egui::pos2(x, y - 5.0), egui::pos2(x, y)], stroke);
    }
    painter.galley(egui::pos2(at.x, y - 6.0 - galley.size().y), galley, color);
}

/// Notices shown in full before the rest fold into one line.
const NOTICES_OPEN: usize = 2;

/// The basemap's problem, the first notices in the order they came, the rest folded behind a
/// "more" line, then what is loading.
fn notices(ui: &mut Ui, state: &OverlayState<'_>, width: f32) -> Option<Action> {
    let mut action = None;
    if let Some(problem) = &state.basemap.problem
        && banner(ui, problem, ui.visuals().warn_fg_color, width)
    {
        action = Some(Action::DismissBasemapProblem);
    }
    let unfolded_id = ui.scope_id().with("notices-unfolded");
    let unfolded = ui.data(|d| d.get_temp::<bool>(unfolded_id).unwrap_or(false));
    let problems = state.problems;
    let open = if unfolded {
        problems.len()
    } else {
        problems.len().min(NOTICES_OPEN)
    };
    let mut show = |ui: &mut Ui| {
        for (i, problem) in problems.iter().enumerate().take(open) {
            if banner(ui, problem, ui.visuals().error_fg_color, width) {
                action = Some(Action::DismissProblem(i));
            }
        }
    };
    if unfolded && problems.len() > NOTICES_OPEN {
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .id_salt("notices-scroll")
            .show(ui, show);
    } else {
        show(ui);
    }
    if problems.len() > NOTICES_OPEN {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_width(width - 16.0);
            ui.horizontal(|ui| {
                let more = problems.len() - NOTICES_OPEN;
                let text = if unfolded {
                    "Fold the notices".to_owned()
                } else if more == 1 {
                    "1 more notice".to_owned()
                } else {
                    format!("{more} more notices")
                };
                if ui.link(text).clicked() {
                    ui.data_mut(|d| d.insert_temp(unfolded_id, !unfolded));
                }
                if ui.small_button("Dismiss all").clicked() {
                    action = Some(Action::DismissAllProblems);
                }
            });
        });
    }
    if let Some((what, progress, message)) = state.loading {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_width(width - 16.0);
            ui.label(what);
            ui.add(egui::ProgressBar::new(progress).text(message));
        });
    } else if state.store.incidents.is_empty() && problems.is_empty() && !state.read_by_window {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.set_width(width - 16.0);
            ui.label(
                "No incidents loaded. Use File → Open or drop a store or a folder of articles here.",
            );
        });
    }
    action
}

/// A dismissable message; returns whether it was dismissed.
fn banner(ui: &mut Ui, text: &str, color: Color32, width: f32) -> bool {
    let mut dismissed = false;
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.set_width(width - 16.0);
        ui.horizontal_top(|ui| {
            // The dismiss button first: a long notice wraps within what is left.
            dismissed = ui.small_button("×").on_hover_text("Dismiss").clicked();
            ui.colored_label(color, RichText::new("!").strong());
            ui.add(egui::Label::new(text).wrap());
        });
    });
    dismissed
}
