//! The panels around the map. Each is a function that draws one panel and returns what the
//! user chose there; the app decides what that changes.

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Align, Color32, FontId, RichText, Sense, Stroke, Ui, Vec2};
use egui_extras::{Column, TableBuilder};
use jiff::civil::Date;

use crate::store::{Article, EventType, Incident, Store, byte_offset};
use std::path::PathBuf;

use crate::view::basemap::{Theme, TileChoice};
use crate::view::edit::EditState;
use crate::view::markers::event_color;
use crate::view::query::Histogram;
use crate::view::shown::{ArticleIndex, Shown, Sort, SortKey, source_label};
use crate::workspace::filter::{Filter, Undated};

/// What the user chose in a panel, a menu or on the map; the window applies each in one place.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Select(usize),
    /// Select and move the map to the incident.
    SelectAndCenter(usize),
    ClearSelection,
    ShowSource(usize),
    FitToShown,
    ZoomToCluster(Vec<usize>),
    CloseClusterMembers,
    ZoomIn,
    ZoomOut,
    SetFilter(Filter),
    SetSort(Sort),
    SetTheme(Theme),
    SetTiles(TileChoice),
    OpenUrl(String),
    /// Files or folders to open (dropped or typed); .pmtiles files switch the basemap.
    Open(Vec<PathBuf>),
    OpenBundled,
    ShowOpenDialog,
    ShowExportDialog,
    ShowBriefingDialog,
    DismissProblem(usize),
    DismissBasemapProblem,
    Quit,
    /// A correction of incident `incident` (an index into the store).
    Correct {
        incident: usize,
        change: crate::workspace::corrections::Change,
    },
    /// A new incident whose evidence is the selected words of an article (chars).
    AddIncident {
        article: String,
        start: usize,
        end: usize,
    },
    SetArticle {
        article: String,
        meta: crate::workspace::corrections::ArticleMeta,
    },
    /// Places an incident at a point clicked on the map.
    PlaceAt {
        incident: usize,
        lat: f64,
        lon: f64,
    },
    Undo,
    Redo,
    /// Shows the window that saves corrections into a workspace file.
    ShowSaveWorkspace,
    SaveWorkspace(PathBuf),
    /// Fetch what is new in the workspace's feeds and add it.
    UpdateFeeds,
    /// The "New article" window: paste text, or fetch a URL.
    ShowNewArticle {
        from_url: bool,
    },
    /// A new mark of the analyst's on the map.
    Annotate {
        mark: crate::workspace::annotations::Mark,
        text: String,
    },
    /// Mark `id` moved, reshaped or reworded.
    UpdateAnnotation {
        id: i64,
        mark: crate::workspace::annotations::Mark,
        text: String,
    },
    DeleteAnnotation(i64),
    /// Renders the briefing image of the current view and puts it on the clipboard.
    CopyBriefing,
}

/// Only web links are ever opened: a `file:` or other scheme in data must not run anything.
pub fn is_openable_url(url: &str) -> bool {
    crate::articles::page::is_web_url(url)
}

fn date_text(incident: &Incident) -> String {
    match incident.date {
        Some(date) => format!("{date} ({})", incident.date_precision.as_str()),
        None => "unknown".to_owned(),
    }
}

/// The selected incident's details and its source article, evidence highlighted, with the
/// analyst's tools (see [`super::edit`]).
#[allow(clippy::too_many_arguments)]
pub fn incident_panel(
    ui: &mut Ui,
    store: &Store,
    articles: &ArticleIndex,
    selected: usize,
    source_index: usize,
    scroll_to_evidence: bool,
    edit: &mut EditState,
    context: &super::edit::Context<'_>,
) -> Option<Action> {
    let mut action = None;
    let incident = store.incidents.get(selected)?;
    ui.horizontal(|ui| {
        let color = event_color(incident.event_type);
        let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
        ui.painter().circle_filled(rect.center(), 6.0, color);
        ui.heading(incident.sub_event_type.as_str());
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            if ui
                .button("×")
                .on_hover_text("Clear the selection (Esc)")
                .clicked()
            {
                action = Some(Action::ClearSelection);
            }
        });
    });
    ui.label(RichText::new(&incident.summary).italics());
    egui::Grid::new("incident-details")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let row = |ui: &mut Ui, key: &str, value: String| {
                ui.weak(key);
                ui.label(value);
                ui.end_row();
            };
            row(ui, "Date", date_text(incident));
            row(
                ui,
                "Type",
                format!("{} / {}", incident.event_type, incident.sub_event_type),
            );
            row(
                ui,
                "Actors",
                if incident.actors.is_empty() {
                    "not named".to_owned()
                } else {
                    incident.actors.join(", ")
                },
            );
            row(
                ui,
                "Fatalities",
                incident
                    .fatalities
                    .map_or_else(|| "not reported".to_owned(), |f| f.to_string()),
            );
            for (what, count) in &incident.counts {
                row(ui, &capitalise(what), count.to_string());
            }
            let loc = &incident.location;
            let mut place = format!("{} ({})", loc.name, loc.precision.as_str());
            if let Some(admin1) = &loc.admin1
                && admin1 != &loc.name
            {
                place.push_str(&format!(", {admin1}"));
            }
            if let Some(country) = &loc.country {
                place.push_str(&format!(", {country}"));
            }
            row(ui, "Place", place);
            row(ui, "Coordinates", format!("{:.4}, {:.4}", loc.lat, loc.lon));
            row(
                ui,
                "Gazetteer",
                loc.gazetteer_id.clone().unwrap_or_else(|| "–".to_owned()),
            );
            if let Some(confidence) = loc.confidence {
                // Below one half the name had a rival reading about as likely: worth a look.
                let doubt = if confidence < 0.5 {
                    " – check the place"
                } else {
                    ""
                };
                row(
                    ui,
                    "Place confidence",
                    format!("{:.0} %{doubt}", confidence * 100.0),
                );
            }
        });
    ui.separator();
    if let Some(a) = super::edit::review_tools(ui, selected, incident, edit, context) {
        action = Some(a);
    }

    let source_count = incident.sources.len();
    let source_index = source_index.min(source_count.saturating_sub(1));
    ui.separator();
    if source_count > 1 {
        ui.horizontal(|ui| {
            if ui
                .add_enabled(source_index > 0, egui::Button::new("◀"))
                .on_hover_text("Previous source")
                .clicked()
            {
                action = Some(Action::ShowSource(source_index - 1));
            }
            ui.label(format!("Source {} of {source_count}", source_index + 1));
            if ui
                .add_enabled(source_index + 1 < source_count, egui::Button::new("▶"))
                .on_hover_text("Next source")
                .clicked()
            {
                action = Some(Action::ShowSource(source_index + 1));
            }
        });
    }
    let Some(source) = incident.sources.get(source_index) else {
        ui.weak("No source article recorded.");
        return action;
    };
    let Some(article) = articles.get(store, &source.article) else {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("The source article {:?} is not loaded.", source.article),
        );
        return action;
    };
    if let Some(a) = article_header(ui, article) {
        action = Some(a);
    }
    if let Some(a) = super::edit::article_tools(ui, article, edit) {
        action = Some(a);
    }
    let evidence: String = article
        .text
        .chars()
        .skip(source.start)
        .take(source.end.saturating_sub(source.start))
        .collect();
    // A PDF report's evidence cites its page.
    let page = article
        .text
        .char_indices()
        .nth(source.start)
        .and_then(|(byte, _)| crate::articles::pdf::page_at(&article.text, byte))
        .map(|page| format!(" (page {page})"))
        .unwrap_or_default();
    ui.add(
        egui::Label::new(RichText::new(format!("Evidence{page}: “{}”", evidence.trim())).strong())
            .wrap(),
    );
    ui.separator();
    if let Some(a) = super::edit::selection_tools(ui, article, edit) {
        action = Some(a);
    }
    ui.weak("Drag over the text to select the words of an incident the machine missed.");

    // The rest of the article's incidents, highlighted lightly and clickable.
    let others: Vec<(usize, usize, usize)> = store
        .incidents
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != selected)
        .flat_map(|(i, inc)| {
            inc.sources
                .iter()
                .filter(|s| s.article == article.id)
                .map(move |s| (i, s.start, s.end))
        })
        .collect();
    egui::ScrollArea::vertical()
        .id_salt("article-text")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(clicked) = article_text(
                ui,
                article,
                (source.start, source.end),
                &others,
                scroll_to_evidence,
                edit,
            ) {
                action = Some(Action::Select(clicked));
            }
        });
    action
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn article_header(ui: &mut Ui, article: &Article) -> Option<Action> {
    let mut action = None;
    ui.label(
        RichText::new(article.title.as_deref().unwrap_or(&article.id))
            .strong()
            .size(15.0),
    );
    let published = article
        .published
        .map_or_else(|| "date unknown".to_owned(), |d| d.to_string());
    let publisher = article.publisher.as_deref().unwrap_or("publisher unknown");
    ui.weak(format!("{publisher} · {published} · {}", article.id));
    if let Some(url) = &article.url {
        ui.horizontal(|ui| {
            if is_openable_url(url) {
                if ui.button("Open in browser").on_hover_text(url).clicked() {
                    action = Some(Action::OpenUrl(url.clone()));
                }
            } else {
                ui.weak("Link not opened (only http and https links are):");
            }
            ui.weak(url);
        });
    }
    action
}

/// The article's whole text; the evidence highlighted, other incidents' evidence lighter.
/// Returns the incident whose highlighted evidence was clicked.
fn article_text(
    ui: &mut Ui,
    article: &Article,
    evidence: (usize, usize),
    others: &[(usize, usize, usize)],
    scroll_to_evidence: bool,
    edit: &mut EditState,
) -> Option<usize> {
    let text = &article.text;
    let dark = ui.visuals().dark_mode;
    let font = FontId::proportional(14.0);
    let base = TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let strong_bg = if dark {
        Color32::from_rgb(110, 90, 10)
    } else {
        Color32::from_rgb(255, 224, 102)
    };
    let light_bg = if dark {
        Color32::from_rgb(45, 55, 75)
    } else {
        Color32::from_rgb(222, 232, 250)
    };
    // Character-level marks: 2 = evidence, 1 = another incident.
    let total = text.chars().count();
    let mut marks = vec![0u8; total];
    for &(_, start, end) in others {
        for m in marks.iter_mut().take(end.min(total)).skip(start) {
            *m = (*m).max(1);
        }
    }
    for m in marks
        .iter_mut()
        .take(evidence.1.min(total))
        .skip(evidence.0)
    {
        *m = 2;
    }
    // 3 = the words the analyst is selecting.
    if let Some((_, start, end)) = edit.selection.as_ref().filter(|(id, ..)| *id == article.id) {
        for m in marks.iter_mut().take((*end).min(total)).skip(*start) {
            *m = 3;
        }
    }
    let selection_bg = ui.visuals().selection.bg_fill;
    let selection_fg = ui.visuals().selection.stroke.color;
    let mut job = LayoutJob::default();
    let mut start = 0;
    while start < total {
        let mark = marks[start];
        let mut end = start + 1;
        while end < total && marks[end] == mark {
            end += 1;
        }
        let (from, to) = (byte_offset(text, start), byte_offset(text, end));
        let mut format = base.clone();
        match mark {
            2 => format.background = strong_bg,
            3 => {
                format.background = selection_bg;
                format.color = selection_fg;
            }
            1 => {
                format.background = light_bg;
                format.underline = Stroke::new(1.0, ui.visuals().hyperlink_color);
            }
            _ => {}
        }
        job.append(&text[from..to], 0.0, format);
        start = end;
    }
    job.wrap.max_width = ui.available_width();
    let (pos, galley, response) = egui::Label::new(job)
        .sense(Sense::click_and_drag())
        .layout_in_ui(ui);
    // Screen readers (and tests) read the article like any label.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, galley.text()));
    ui.painter()
        .galley(pos, galley.clone(), ui.visuals().text_color());
    if scroll_to_evidence {
        let rect = galley
            .pos_from_cursor(CCursor::new(evidence.0))
            .union(galley.pos_from_cursor(CCursor::new(evidence.1)))
            .translate(pos.to_vec2());
        ui.scroll_to_rect(rect, Some(Align::Center));
    }
    let char_at = |pointer: egui::Pos2| galley.cursor_from_pos(pointer - pos).index.0;
    if response.drag_started()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        edit.drag_from = Some(char_at(pointer));
    }
    if (response.dragged() || response.drag_stopped())
        && let (Some(from), Some(pointer)) = (edit.drag_from, response.interact_pointer_pos())
    {
        let to = char_at(pointer);
        edit.selection = Some((article.id.clone(), from.min(to), from.max(to)));
    }
    if response.drag_stopped() {
        edit.drag_from = None;
    }
    let pointer = response.interact_pointer_pos().or(response.hover_pos())?;
    let at = char_at(pointer);
    let hit = others
        .iter()
        .find(|&&(_, start, end)| (start..end).contains(&at))
        .map(|&(i, _, _)| i);
    if hit.is_some() && response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    if response.clicked() { hit } else { None }
}

/// The sortable incident list of what is shown: a click on a row selects its incident, a click
/// on a column's title sorts by it.
pub fn incident_list(
    ui: &mut Ui,
    store: &Store,
    shown: &Shown,
    selected: Option<usize>,
    scroll_to_selected: bool,
) -> Option<Action> {
    let mut action = None;
    let (rows, sort) = (&shown.rows, shown.sort);
    // Looked for only when scrolling to it: a scan of a million rows is not free every frame.
    let selected_row = selected
        .filter(|_| scroll_to_selected)
        .and_then(|s| rows.iter().position(|&r| r == s));
    let mut table = TableBuilder::new(ui)
        .id_salt("incident-list")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(Align::Center))
        .column(Column::initial(82.0).at_least(70.0).clip(true))
        .column(Column::initial(150.0).at_least(80.0).clip(true))
        .column(Column::initial(130.0).at_least(80.0).clip(true))
        .column(Column::initial(44.0).at_least(30.0).clip(true))
        .column(Column::remainder().at_least(60.0).clip(true))
        .min_scrolled_height(0.0);
    if scroll_to_selected && let Some(row) = selected_row {
        table = table.scroll_to_row(row, Some(Align::Center));
    }
    table
        .header(22.0, |mut header| {
            for (key, title) in [
                (SortKey::Date, "Date"),
                (SortKey::Type, "Type"),
                (SortKey::Place, "Place"),
                (SortKey::Fatalities, "Killed"),
                (SortKey::Source, "Source"),
            ] {
                header.col(|ui| {
                    let arrow = match (sort.key == key, sort.descending) {
                        (true, false) => " ↑",
                        (true, true) => " ↓",
                        _ => "",
                    };
                    if ui
                        .add(
                            egui::Button::new(RichText::new(format!("{title}{arrow}")).strong())
                                .frame(false),
                        )
                        .on_hover_text(format!("Sort by {}", title.to_lowercase()))
                        .clicked()
                    {
                        action = Some(Action::SetSort(Sort {
                            key,
                            descending: sort.key == key && !sort.descending,
                        }));
                    }
                });
            }
        })
        .body(|body| {
            body.rows(20.0, rows.len(), |mut row| {
                let index = rows[row.index()];
                let incident = &store.incidents[index];
                let is_selected = Some(index) == selected;
                row.set_selected(is_selected);
                let date = incident
                    .date
                    .map_or_else(|| "unknown".to_owned(), |d| d.to_string());
                row.col(|ui| {
                    if ui
                        .add(egui::Button::selectable(is_selected, date).frame_when_inactive(false))
                        .on_hover_text(&incident.summary)
                        .clicked()
                    {
                        action = Some(Action::SelectAndCenter(index));
                    }
                });
                row.col(|ui| {
                    let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                    ui.painter().circle_filled(
                        rect.center(),
                        4.5,
                        event_color(incident.event_type),
                    );
                    ui.label(incident.sub_event_type.as_str());
                });
                row.col(|ui| {
                    ui.label(&incident.location.name);
                });
                row.col(|ui| {
                    ui.label(
                        incident
                            .fatalities
                            .map_or_else(String::new, |f| f.to_string()),
                    );
                });
                row.col(|ui| {
                    ui.label(source_label(store, &shown.facets.articles, incident));
                });
                if row.response().clicked() {
                    action = Some(Action::SelectAndCenter(index));
                }
            });
        });
    action
}

/// The legend: one checkbox per event type present, with its colour and count.
/// `counts` come from [`crate::view::query::type_counts`], counted when the data changes.
pub fn legend(ui: &mut Ui, counts: &[(EventType, usize)], filter: &Filter) -> Option<Action> {
    let mut action = None;
    for &(event_type, count) in counts {
        ui.horizontal(|ui| {
            let mut shown = !filter.hidden_types.contains(&event_type);
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            ui.painter()
                .circle_filled(rect.center(), 6.0, event_color(event_type));
            if ui
                .checkbox(&mut shown, format!("{event_type} ({count})"))
                .changed()
            {
                let mut next = filter.clone();
                if shown {
                    next.hidden_types.remove(&event_type);
                } else {
                    next.hidden_types.insert(event_type);
                }
                action = Some(Action::SetFilter(next));
            }
        });
    }
    ui.weak("Size: fatalities · hollow: area or border");
    action
}

/// The timeline: a histogram of incidents over time that can be brushed to set the date range.
pub fn timeline(
    ui: &mut Ui,
    histogram: &Histogram,
    shown: &Histogram,
    filter: &Filter,
) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.strong("Timeline");
        let bin = match histogram.bin {
            crate::view::query::Bin::Day => "per day",
            crate::view::query::Bin::Week => "per week",
            crate::view::query::Bin::Month => "per month",
        };
        ui.weak(format!(
            "incidents {bin} · drag to choose a range · double-click to clear"
        ));
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            let mut undated = filter.shows_undated();
            if ui
                .checkbox(&mut undated, format!("Undated ({})", histogram.undated))
                .on_hover_text(
                    "Show incidents whose date is unknown (a date range leaves them out until \
                     this is ticked)",
                )
                .changed()
            {
                action = Some(Action::SetFilter(Filter {
                    undated: if undated {
                        Undated::Shown
                    } else {
                        Undated::Hidden
                    },
                    ..filter.clone()
                }));
            }
            if (filter.from.is_some() || filter.to.is_some()) && ui.button("All dates").clicked() {
                action = Some(Action::SetFilter(Filter {
                    from: None,
                    to: None,
                    ..filter.clone()
                }));
            }
            if let (Some(first), Some(last)) = (histogram.bars.first(), histogram.bars.last()) {
                let mut to = filter.to.unwrap_or(last.0);
                let mut from = filter.from.unwrap_or(first.0);
                let to_changed = ui
                    .add(
                        egui_extras::DatePickerButton::new(&mut to)
                            .id_salt("date-to")
                            .show_icon(false),
                    )
                    .changed();
                ui.label("to");
                let from_changed = ui
                    .add(
                        egui_extras::DatePickerButton::new(&mut from)
                            .id_salt("date-from")
                            .show_icon(false),
                    )
                    .changed();
                ui.label("From");
                if from_changed || to_changed {
                    action = Some(Action::SetFilter(Filter {
                        from: Some(from.min(to)),
                        to: Some(to.max(from)),
                        ..filter.clone()
                    }));
                }
            }
        });
    });
    if histogram.bars.is_empty() {
        ui.weak("No dated incidents.");
        return action;
    }
    let height = 56.0;
    let (rect, response) = ui.allocate_exact_size(
        Vec2::new(ui.available_width(), height),
        Sense::click_and_drag(),
    );
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline histogram"));
    let painter = ui.painter_at(rect);
    let bars = &histogram.bars;
    let n = bars.len() as f32;
    let width = rect.width() / n;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f32;
    let bar_index_at =
        |x: f32| (((x - rect.left()) / width).floor().max(0.0) as usize).min(bars.len() - 1);
    let in_range = |date: Date| {
        filter
            .from
            .is_none_or(|f| date >= crate::view::query::Bin::start(histogram.bin, f))
            && filter.to.is_none_or(|t| date <= t)
    };
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    let shown_counts: std::collections::HashMap<Date, usize> = shown.bars.iter().copied().collect();
    for (i, (date, count)) in bars.iter().enumerate() {
        let x = rect.left() + i as f32 * width;
        let h = (height - 14.0) * (*count as f32 / max);
        let bar = egui::Rect::from_min_max(
            egui::pos2(x + width * 0.1, rect.bottom() - 12.0 - h),
            egui::pos2(x + width * 0.9, rect.bottom() - 12.0),
        );
        let active = in_range(*date);
        painter.rect_filled(bar, 1.0, ui.visuals().widgets.inactive.bg_fill);
        let visible = shown_counts.get(date).copied().unwrap_or(0) as f32;
        if active && visible > 0.0 {
            let vh = (height - 14.0) * (visible / max);
            let vbar = egui::Rect::from_min_max(egui::pos2(bar.left(), bar.bottom() - vh), bar.max);
            painter.rect_filled(vbar, 1.0, ui.visuals().selection.bg_fill);
        }
    }
    // Date labels at both ends.
    let small = FontId::proportional(10.0);
    let label_color = ui.visuals().weak_text_color();
    painter.text(
        rect.left_bottom(),
        egui::Align2::LEFT_BOTTOM,
        bars[0].0.to_string(),
        small.clone(),
        label_color,
    );
    painter.text(
        rect.right_bottom(),
        egui::Align2::RIGHT_BOTTOM,
        bars[bars.len() - 1].0.to_string(),
        small,
        label_color,
    );
    // Brushing.
    let brush_id = ui.scope_id().with("timeline-brush");
    if response.drag_started()
        && let Some(pos) = response.interact_pointer_pos()
    {
        ui.data_mut(|d| d.insert_temp(brush_id, bar_index_at(pos.x)));
    }
    if let Some(start) = ui.data(|d| d.get_temp::<usize>(brush_id))
        && let Some(pos) = response.interact_pointer_pos()
    {
        let end = bar_index_at(pos.x);
        let (a, b) = (start.min(end), start.max(end));
        let brush = egui::Rect::from_min_max(
            egui::pos2(rect.left() + a as f32 * width, rect.top()),
            egui::pos2(rect.left() + (b + 1) as f32 * width, rect.bottom()),
        );
        painter.rect_stroke(
            brush,
            2.0,
            Stroke::new(1.5, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Inside,
        );
        if response.drag_stopped() {
            ui.data_mut(|d| d.remove::<usize>(brush_id));
            let last_day = histogram
                .bin
                .next(bars[b].0)
                .checked_sub(jiff::Span::new().days(1))
                .unwrap_or(bars[b].0);
            action = Some(Action::SetFilter(Filter {
                from: Some(bars[a].0),
                to: Some(last_day),
                ..filter.clone()
            }));
        }
    }
    if response.double_clicked() {
        action = Some(Action::SetFilter(Filter {
            from: None,
            to: None,
            ..filter.clone()
        }));
    } else if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        // A click picks one bar.
        let i = bar_index_at(pos.x);
        let last_day = histogram
            .bin
            .next(bars[i].0)
            .checked_sub(jiff::Span::new().days(1))
            .unwrap_or(bars[i].0);
        action = Some(Action::SetFilter(Filter {
            from: Some(bars[i].0),
            to: Some(last_day),
            ..filter.clone()
        }));
    }
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_open() {
        assert!(is_openable_url("https://www.rudaw.net/english/x"));
        assert!(is_openable_url("http://example.org"));
        assert!(!is_openable_url("file:///etc/passwd"));
        assert!(!is_openable_url("javascript:alert(1)"));
        assert!(!is_openable_url("https://x.org/a b"));
        assert!(!is_openable_url("/usr/bin/xterm"));
    }
}
