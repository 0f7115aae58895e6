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
    /// Select an incident underlined in the article being read, showing its evidence in that
    /// same article (the one starting at char `start`), not its first source.
    SelectInArticle {
        incident: usize,
        article: String,
        start: usize,
    },
    /// Select and move the map to the incident.
    SelectAndCenter(usize),
    ClearSelection,
    ShowSource(usize),
    FitToShown,
    ZoomToCluster(Vec<usize>),
    CloseClusterMembers,
    ZoomIn,
    ZoomOut,
    /// Starts or ends measuring distances on the map.
    ToggleMeasure,
    /// Shows the incidents as a heat map (true) or as markers.
    SetHeatMap(bool),
    /// Fly the map to a place (a place search's choice).
    FlyTo {
        lat: f64,
        lon: f64,
        zoom: f64,
    },
    SetFilter(Filter),
    SetSort(Sort),
    SetTheme(Theme),
    SetTiles(TileChoice),
    OpenUrl(String),
    /// Files or folders to open (dropped or typed); .pmtiles files switch the basemap. While
    /// incidents are open, the user is asked whether to add them or replace what is open.
    Open(Vec<PathBuf>),
    /// Files or folders to open in place of what is open.
    OpenReplacing(Vec<PathBuf>),
    /// Files or folders to add to what is open.
    AddSources(Vec<PathBuf>),
    OpenBundled,
    ShowOpenDialog,
    ShowExportDialog,
    ShowBriefingDialog,
    DismissProblem(usize),
    DismissAllProblems,
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
    ui.label(RichText::new(crate::view::bidi::display(&incident.summary)).italics());
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

    let source_index = source_index.min(incident.sources.len().saturating_sub(1));
    ui.separator();
    let steps = SourceSteps::new(incident, source_index);
    if steps.articles > 1 || steps.sentences > 1 {
        ui.horizontal(|ui| {
            let mut step = |ui: &mut Ui, label: &str, to: Option<usize>, hint: &str| {
                if ui
                    .add_enabled(to.is_some(), egui::Button::new(label))
                    .on_hover_text(hint)
                    .clicked()
                    && let Some(to) = to
                {
                    action = Some(Action::ShowSource(to));
                }
            };
            if steps.articles > 1 {
                step(ui, "◀", steps.previous_article, "Previous article");
                ui.label(format!(
                    "Article {} of {}",
                    steps.article + 1,
                    steps.articles
                ));
                step(ui, "▶", steps.next_article, "Next article");
            }
            if steps.sentences > 1 {
                if steps.articles > 1 {
                    ui.separator();
                }
                step(
                    ui,
                    "‹",
                    steps.previous_sentence,
                    "Previous evidence in this article",
                );
                ui.label(format!(
                    "Evidence {} of {}",
                    steps.sentence + 1,
                    steps.sentences
                ));
                step(
                    ui,
                    "›",
                    steps.next_sentence,
                    "Next evidence in this article",
                );
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
        egui::Label::new(
            RichText::new(format!(
                "Evidence{page}: “{}”",
                crate::view::bidi::display(evidence.trim())
            ))
            .strong(),
        )
        .wrap(),
    );
    ui.horizontal(|ui| {
        let copied_id = ui
            .scope_id()
            .with(("copied-evidence", selected, source_index));
        if ui
            .button("Copy with citation")
            .on_hover_text("The quote, title, publisher, date and link, ready to paste")
            .clicked()
        {
            ui.ctx()
                .copy_text(citation(article, evidence.trim(), &page));
            ui.data_mut(|d| d.insert_temp(copied_id, true));
        }
        if ui.data(|d| d.get_temp::<bool>(copied_id).unwrap_or(false)) {
            ui.weak("Copied to the clipboard");
        }
    });
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
            if let Some((clicked, start)) = article_text(
                ui,
                article,
                (source.start, source.end),
                &others,
                scroll_to_evidence,
                edit,
            ) {
                action = Some(Action::SelectInArticle {
                    incident: clicked,
                    article: article.id.clone(),
                    start,
                });
            }
        });
    action
}

/// Where the source shown sits among an incident's sources: which of its articles, and which
/// evidence sentence within that article, with the source indices one step away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSteps {
    pub article: usize,
    pub articles: usize,
    pub sentence: usize,
    pub sentences: usize,
    pub previous_article: Option<usize>,
    pub next_article: Option<usize>,
    pub previous_sentence: Option<usize>,
    pub next_sentence: Option<usize>,
}

impl SourceSteps {
    /// Articles in the order they first appear among the sources; a step to another article
    /// shows its first evidence.
    pub fn new(incident: &Incident, shown: usize) -> Self {
        let sources = &incident.sources;
        let mut articles: Vec<&str> = Vec::new();
        for s in sources {
            if !articles.contains(&s.article.as_str()) {
                articles.push(&s.article);
            }
        }
        let current = sources.get(shown).map(|s| s.article.as_str());
        let article = current
            .and_then(|c| articles.iter().position(|&a| a == c))
            .unwrap_or(0);
        let first_of = |a: &str| sources.iter().position(|s| s.article == a);
        let within: Vec<usize> = (0..sources.len())
            .filter(|&i| Some(sources[i].article.as_str()) == current)
            .collect();
        let sentence = within.iter().position(|&i| i == shown).unwrap_or(0);
        Self {
            article,
            articles: articles.len(),
            sentence,
            sentences: within.len(),
            previous_article: article
                .checked_sub(1)
                .and_then(|a| articles.get(a))
                .and_then(|a| first_of(a)),
            next_article: articles.get(article + 1).and_then(|a| first_of(a)),
            previous_sentence: sentence.checked_sub(1).and_then(|k| within.get(k).copied()),
            next_sentence: within.get(sentence + 1).copied(),
        }
    }
}

/// A quote with its citation, as pasted into a report: the words, then title, publisher,
/// date, page and link, each only where known.
pub fn citation(article: &Article, quote: &str, page: &str) -> String {
    let mut source: Vec<String> = Vec::new();
    source.push(match &article.title {
        Some(title) => format!("“{title}”"),
        None => article.id.clone(),
    });
    if let Some(publisher) = &article.publisher {
        source.push(publisher.clone());
    }
    source.push(
        article
            .published
            .map_or_else(|| "date unknown".to_owned(), |d| d.to_string()),
    );
    let page = page.trim().trim_start_matches('(').trim_end_matches(')');
    if !page.is_empty() {
        source.push(page.to_owned());
    }
    let mut text = format!(
        "“{}” — {}",
        quote.split_whitespace().collect::<Vec<_>>().join(" "),
        source.join(", ")
    );
    if let Some(url) = article.url.as_deref().filter(|u| is_openable_url(u)) {
        text.push_str(&format!(". {url}"));
    }
    text
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
        RichText::new(crate::view::bidi::display(
            article.title.as_deref().unwrap_or(&article.id),
        ))
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

/// Text and background colours of the article's highlights, each pair readable at WCAG AA
/// (contrast at least 4.5:1) in its theme.
pub struct Highlights {
    /// The selected incident's evidence.
    pub evidence: (Color32, Color32),
    /// The article's other incidents (underlined, clickable).
    pub other: (Color32, Color32),
}

impl Highlights {
    pub fn for_theme(dark: bool) -> Self {
        if dark {
            Self {
                evidence: (Color32::WHITE, Color32::from_rgb(105, 80, 0)),
                other: (
                    Color32::from_rgb(225, 235, 255),
                    Color32::from_rgb(38, 50, 78),
                ),
            }
        } else {
            Self {
                evidence: (Color32::BLACK, Color32::from_rgb(255, 224, 102)),
                other: (
                    Color32::from_rgb(10, 40, 110),
                    Color32::from_rgb(222, 232, 250),
                ),
            }
        }
    }
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    fn luminance(c: Color32) -> f32 {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The article's whole text; the evidence highlighted, other incidents' evidence lighter.
/// Returns the incident whose highlighted evidence was clicked, and where that evidence starts.
fn article_text(
    ui: &mut Ui,
    article: &Article,
    evidence: (usize, usize),
    others: &[(usize, usize, usize)],
    scroll_to_evidence: bool,
    edit: &mut EditState,
) -> Option<(usize, usize)> {
    let text = &article.text;
    let dark = ui.visuals().dark_mode;
    let font = FontId::proportional(14.0);
    let base = TextFormat {
        font_id: font.clone(),
        color: ui.visuals().text_color(),
        ..Default::default()
    };
    let highlight = Highlights::for_theme(dark);
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
    // Arabic (right-to-left) text is laid out in visual order; marks, clicks and selections
    // still count in the article's own order through the map back.
    let visual = crate::view::bidi::has_rtl(text).then(|| visual_text(ui, article, &font));
    let shown: &str = visual.as_ref().map_or(text.as_str(), |v| v.text.as_str());
    let logical = |i: usize| visual.as_ref().map_or(i, |v| v.to_logical(i));
    let visual_of = |i: usize| visual.as_ref().map_or(i, |v| v.to_visual(i));
    let mark_at = |i: usize| marks.get(logical(i)).copied().unwrap_or(0);
    let mut job = LayoutJob::default();
    let mut start = 0;
    while start < total {
        let mark = mark_at(start);
        let mut end = start + 1;
        while end < total && mark_at(end) == mark {
            end += 1;
        }
        let (from, to) = (byte_offset(shown, start), byte_offset(shown, end));
        let mut format = base.clone();
        match mark {
            2 => (format.color, format.background) = highlight.evidence,
            3 => {
                format.background = selection_bg;
                format.color = selection_fg;
            }
            1 => {
                (format.color, format.background) = highlight.other;
                format.underline = Stroke::new(1.0, highlight.other.0);
            }
            _ => {}
        }
        job.append(&shown[from..to], 0.0, format);
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
            .pos_from_cursor(CCursor::new(visual_of(evidence.0)))
            .union(galley.pos_from_cursor(CCursor::new(visual_of(evidence.1))))
            .translate(pos.to_vec2());
        ui.scroll_to_rect(rect, Some(Align::Center));
    }
    let char_at = |pointer: egui::Pos2| logical(galley.cursor_from_pos(pointer - pos).index.0);
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
        .map(|&(i, start, _)| (i, start));
    if hit.is_some() && response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    if response.clicked() { hit } else { None }
}

/// An incident's date as the list shows it: exact to the day only when it is known to the
/// day; "≈" before a date known to the week, the month or year alone when only those are.
pub fn list_date(incident: &Incident) -> String {
    use crate::store::DatePrecision;
    let Some(date) = incident.date else {
        return "unknown".to_owned();
    };
    match incident.date_precision {
        DatePrecision::Day => date.to_string(),
        DatePrecision::Week => format!("≈{date}"),
        DatePrecision::Month => date.strftime("%Y-%m").to_string(),
        DatePrecision::Year => date.strftime("%Y").to_string(),
        DatePrecision::Unknown => format!("≈{date}"),
    }
}

/// An article's right-to-left text in visual order, its lines broken for the width available;
/// kept between frames while the text and the width stay the same.
fn visual_text(
    ui: &Ui,
    article: &Article,
    font: &FontId,
) -> std::sync::Arc<crate::view::bidi::Visual> {
    let width = ui.available_width().floor();
    let id = ui.scope_id().with((
        "article-visual",
        &article.id,
        article.text.len(),
        width as i32,
    ));
    if let Some(kept) = ui.data(|d| d.get_temp::<std::sync::Arc<crate::view::bidi::Visual>>(id)) {
        return kept;
    }
    let ctx = ui.ctx().clone();
    let measure = |piece: &str| {
        ctx.fonts_mut(|f| {
            f.layout_no_wrap(piece.to_owned(), font.clone(), Color32::WHITE)
                .size()
                .x
        })
    };
    let visual = std::sync::Arc::new(crate::view::bidi::visual(
        &article.text,
        Some((width, &measure)),
    ));
    ui.data_mut(|d| d.insert_temp(id, visual.clone()));
    visual
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
    // The whole row is one target: text in its cells is not selectable, so a click anywhere
    // on the row reaches the row.
    ui.style_mut().interaction.selectable_labels = false;
    let mut table = TableBuilder::new(ui)
        .id_salt("incident-list")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(egui::Layout::left_to_right(Align::Center))
        .column(Column::initial(92.0).at_least(70.0).clip(true))
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
                row.col(|ui| {
                    ui.label(list_date(incident));
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
                    ui.label(crate::view::bidi::display(&incident.location.name));
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
                let response = row.response();
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Row,
                        true,
                        format!("Row: {}", crate::view::markers::marker_label(incident)),
                    )
                });
                if response.on_hover_text(&incident.summary).clicked() {
                    action = Some(Action::SelectAndCenter(index));
                }
            });
        });
    action
}

/// The legend: one checkbox per event type present, with its colour and count.
/// `counts` are [`Shown::type_counts`]: what the other filters let through, per type.
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
    // Dates between the ends, as many as fit without crowding.
    for i in timeline_ticks(bars.len(), rect.width(), 90.0) {
        let x = rect.left() + i as f32 * width;
        painter.line_segment(
            [
                egui::pos2(x, rect.bottom() - 12.0),
                egui::pos2(x, rect.bottom()),
            ],
            Stroke::new(1.0, label_color),
        );
        painter.text(
            egui::pos2(x + 3.0, rect.bottom()),
            egui::Align2::LEFT_BOTTOM,
            tick_label(histogram.bin, bars[i].0),
            FontId::proportional(10.0),
            label_color,
        );
    }
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

/// The bars whose start gets a date under the timeline, between the two end labels: evenly
/// spaced, at least `spacing` points apart and clear of both ends.
pub fn timeline_ticks(bars: usize, width: f32, spacing: f32) -> Vec<usize> {
    if bars < 3 || width <= 0.0 {
        return Vec::new();
    }
    let bar = width / bars as f32;
    let every = ((spacing / bar).ceil() as usize).max(1);
    // The last bar's date is already the right-hand end label.
    (every..bars - 1)
        .step_by(every)
        .filter(|&i| {
            let x = i as f32 * bar;
            x >= spacing && width - x >= spacing
        })
        .collect()
}

/// A tick's date as short as its bin allows.
fn tick_label(bin: crate::view::query::Bin, date: Date) -> String {
    match bin {
        crate::view::query::Bin::Month => date.strftime("%Y-%m").to_string(),
        _ => date.strftime("%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_has_dates_between_its_ends() {
        // A week of days on a wide timeline: a date under most bars between the ends.
        let ticks = timeline_ticks(7, 900.0, 90.0);
        assert_eq!(ticks, [1, 2, 3, 4, 5]);
        // Three years of days on 900 points: about ten dates, evenly spaced, none crowded.
        let ticks = timeline_ticks(1100, 900.0, 90.0);
        assert!((7..=10).contains(&ticks.len()), "{ticks:?}");
        let bar = 900.0 / 1100.0;
        for pair in ticks.windows(2) {
            assert!((pair[1] - pair[0]) as f32 * bar >= 90.0);
        }
        assert!(timeline_ticks(2, 900.0, 90.0).is_empty());
        let date = jiff::civil::date(2022, 1, 20);
        assert_eq!(tick_label(crate::view::query::Bin::Day, date), "01-20");
        assert_eq!(tick_label(crate::view::query::Bin::Month, date), "2022-01");
    }

    #[test]
    fn article_highlights_meet_wcag_aa_in_both_themes() {
        for dark in [false, true] {
            let h = Highlights::for_theme(dark);
            for (what, (fg, bg)) in [("evidence", h.evidence), ("other", h.other)] {
                let ratio = contrast_ratio(fg, bg);
                assert!(ratio >= 4.5, "{what} (dark: {dark}): {ratio:.2}:1");
            }
        }
        // The old dark evidence colours, grey on olive, were about 2:1.
        let old = contrast_ratio(Color32::from_gray(140), Color32::from_rgb(110, 90, 10));
        assert!(old < 3.0, "{old}");
    }

    #[test]
    fn a_citation_carries_quote_title_publisher_date_and_link() {
        let mut article = Article {
            id: "004_x".into(),
            title: Some("Kadhimi orders Iraqi forces to fortify border".into()),
            publisher: Some("Rudaw".into()),
            published: Some(jiff::civil::date(2022, 1, 23)),
            url: Some("https://www.rudaw.net/english/middleeast/iraq/230120221".into()),
            text: String::new(),
        };
        assert_eq!(
            citation(&article, "  Troops  moved\nnorth. ", ""),
            "“Troops moved north.” — “Kadhimi orders Iraqi forces to fortify border”, Rudaw, \
             2022-01-23. https://www.rudaw.net/english/middleeast/iraq/230120221"
        );
        article.title = None;
        article.publisher = None;
        article.published = None;
        article.url = Some("file:///etc/passwd".into());
        assert_eq!(
            citation(&article, "Words", " (page 3)"),
            "“Words” — 004_x, date unknown, page 3"
        );
    }

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
