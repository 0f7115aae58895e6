//! The analyst's tools in the side panel: what the machine coded and what an analyst changed,
//! the edit form (type, date, place with gazetteer suggestions, actors, tolls, summary),
//! reject and restore, reviewed, merge and split, an article's metadata, and an incident added
//! from words selected in the article. Each returns what the analyst chose as an [`Action`];
//! the window makes the correction through the workspace.

use egui::{Color32, RichText, Ui};
use jiff::civil::Date;

use super::panels::Action;
use crate::gazetteer::Gazetteer;
use crate::store::{
    Article, DatePrecision, EventType, Incident, Location, Status, Store, SubEventType,
};
use crate::workspace::corrections::{ArticleMeta, Change, Patch};
use crate::workspace::places;

/// Forms in progress in the side panel, kept between frames.
#[derive(Debug, Default)]
pub struct EditState {
    form: Option<Form>,
    /// The incident being rejected and the reason typed so far.
    reject: Option<(String, String)>,
    article: Option<ArticleForm>,
    /// Words selected in the article shown: (article id, start, end) in chars.
    pub selection: Option<(String, usize, usize)>,
    /// Where a drag over the article's text began.
    pub drag_from: Option<usize>,
    /// The incident waiting for a click on the map to be placed there.
    pub placing: Option<usize>,
}

impl EditState {
    /// Opens the edit form on an incident (after adding one, say).
    pub fn edit(&mut self, incident: &Incident) {
        self.form = Some(Form::new(incident));
    }

    /// Whether the form is open on this incident.
    pub fn editing(&self, incident: &Incident) -> bool {
        self.form.as_ref().is_some_and(|f| f.id == incident.id)
    }

    /// Forgets the forms opened on other incidents than this one.
    pub fn close_other(&mut self, incident: &Incident) {
        if self.form.as_ref().is_some_and(|f| f.id != incident.id) {
            self.form = None;
        }
        if self
            .reject
            .as_ref()
            .is_some_and(|(id, _)| *id != incident.id)
        {
            self.reject = None;
        }
    }

    /// Forgets every form.
    pub fn close(&mut self) {
        self.form = None;
        self.reject = None;
        self.article = None;
        self.placing = None;
    }
}

#[derive(Debug, Clone)]
struct Form {
    id: String,
    date: String,
    precision: DatePrecision,
    sub: SubEventType,
    place: String,
    location: Location,
    lat: String,
    lon: String,
    fatalities: String,
    actors: String,
    summary: String,
    error: Option<String>,
    /// Gazetteer places for what was typed in `place`, looked up once per change.
    suggested: Option<(String, Vec<crate::gazetteer::Place>)>,
}

impl Form {
    fn new(incident: &Incident) -> Self {
        let loc = &incident.location;
        Self {
            id: incident.id.clone(),
            date: incident.date.map(|d| d.to_string()).unwrap_or_default(),
            precision: incident.date_precision,
            sub: incident.sub_event_type,
            place: loc.name.clone(),
            location: loc.clone(),
            lat: format!("{:.5}", loc.lat),
            lon: format!("{:.5}", loc.lon),
            fatalities: incident
                .fatalities
                .map(|n| n.to_string())
                .unwrap_or_default(),
            actors: incident.actors.join("; "),
            summary: incident.summary.clone(),
            error: None,
            suggested: None,
        }
    }

    /// The incident as the form describes it, or what is wrong with the form.
    fn edited(
        &self,
        incident: &Incident,
        gazetteer: Option<&Gazetteer>,
    ) -> Result<Incident, String> {
        let mut edited = incident.clone();
        let date = self.date.trim();
        edited.date = if date.is_empty() {
            None
        } else {
            Some(date.parse::<Date>().map_err(|_| {
                format!("{date:?} is not a date: write YYYY-MM-DD, or leave it empty")
            })?)
        };
        edited.date_precision = match edited.date {
            None => DatePrecision::Unknown,
            Some(_) if self.precision == DatePrecision::Unknown => DatePrecision::Day,
            Some(_) => self.precision,
        };
        edited.sub_event_type = self.sub;
        edited.event_type = self.sub.event_type();
        let lat: f64 = self
            .lat
            .trim()
            .parse()
            .map_err(|_| format!("latitude {:?} is not a number", self.lat))?;
        let lon: f64 = self
            .lon
            .trim()
            .parse()
            .map_err(|_| format!("longitude {:?} is not a number", self.lon))?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(format!("{lat}, {lon} is not on the globe"));
        }
        edited.location =
            if (lat - self.location.lat).abs() < 1e-5 && (lon - self.location.lon).abs() < 1e-5 {
                self.location.clone()
            } else {
                places::location_at(gazetteer, lat, lon)
            };
        let fatalities = self.fatalities.trim();
        edited.fatalities = if fatalities.is_empty() {
            None
        } else {
            Some(
                fatalities
                    .parse()
                    .map_err(|_| format!("fatalities {fatalities:?} is not a count"))?,
            )
        };
        edited.actors = self
            .actors
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        edited.summary = self.summary.trim().to_owned();
        Ok(edited)
    }
}

#[derive(Debug, Clone)]
struct ArticleForm {
    id: String,
    title: String,
    publisher: String,
    published: String,
    url: String,
    error: Option<String>,
}

/// What the panel needs besides the incident.
pub struct Context<'a> {
    pub store: &'a Store,
    /// The incident as the machine coded it (none for one an analyst added).
    pub machine: Option<&'a Incident>,
    /// For place suggestions; none while it loads.
    pub gazetteer: Option<&'a Gazetteer>,
    /// Actors known in the data, for suggestions.
    pub actors: &'a [(String, usize)],
    /// Other incidents citing the same articles, for merging.
    pub neighbours: Vec<usize>,
    /// Which of the incident's sources the panel shows (the one a split takes off).
    pub shown_source: usize,
}

/// Who coded the incident and what changed, then the tools.
pub fn review_tools(
    ui: &mut Ui,
    index: usize,
    incident: &Incident,
    state: &mut EditState,
    context: &Context<'_>,
) -> Option<Action> {
    let mut action = None;
    status_line(ui, incident);
    for field in &incident.review.edited {
        if let Some(before) = incident.review.machine.get(field) {
            ui.weak(format!("  {field}: the machine had {before}"));
        }
    }
    if let Some(form) = state.form.as_mut().filter(|f| f.id == incident.id) {
        if let Some(chosen) = edit_form(ui, index, incident, form, context) {
            match chosen {
                FormOutcome::Save(change) => {
                    action = Some(Action::Correct {
                        incident: index,
                        change: *change,
                    });
                    state.form = None;
                }
                FormOutcome::Cancel => state.form = None,
                FormOutcome::PickOnMap => {
                    state.placing = Some(index);
                    state.form = None;
                }
            }
        }
        return action;
    }
    if let Some((id, reason)) = state.reject.as_mut().filter(|(id, _)| *id == incident.id) {
        let _ = id;
        ui.horizontal(|ui| {
            let label = ui.label("Why is it false?");
            let field = ui.add(
                egui::TextEdit::singleline(reason)
                    .hint_text("duplicate, not an incident, wrong story…")
                    .desired_width(200.0),
            );
            let field = field.labelled_by(label.id);
            // Ready to type into as soon as it opens.
            if reason.is_empty() && !field.has_focus() {
                field.request_focus();
            }
        });
        let mut close = false;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!reason.trim().is_empty(), egui::Button::new("Reject"))
                .clicked()
            {
                action = Some(Action::Correct {
                    incident: index,
                    change: Change::Reject {
                        reason: reason.trim().to_owned(),
                    },
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        if close {
            state.reject = None;
        }
        return action;
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Edit incident")
            .on_hover_text("Correct type, date, place, actors, tolls or summary")
            .clicked()
        {
            state.form = Some(Form::new(incident));
        }
        if state.placing == Some(index) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Click the map where it happened",
            );
            if ui.button("Cancel").clicked() {
                state.placing = None;
            }
        } else if ui
            .button("Place on map")
            .on_hover_text("Move the incident: click the map where it happened")
            .clicked()
        {
            state.placing = Some(index);
        }
        if incident.review.rejected.is_some() {
            if ui
                .button("Restore")
                .on_hover_text("It is not false after all")
                .clicked()
            {
                action = Some(Action::Correct {
                    incident: index,
                    change: Change::Restore,
                });
            }
        } else if ui
            .button("Reject…")
            .on_hover_text("Mark it false; it stays in the workspace, hidden, and can be restored")
            .clicked()
        {
            state.reject = Some((incident.id.clone(), String::new()));
        }
        if !incident.review.reviewed
            && ui
                .button("Mark reviewed")
                .on_hover_text("Mark it checked by an analyst")
                .clicked()
        {
            action = Some(Action::Correct {
                incident: index,
                change: Change::Reviewed,
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        if incident.sources.len() > 1
            && let Some(source) = incident.sources.get(context.shown_source)
            && ui
                .button("Split this source off")
                .on_hover_text(
                    "The source shown tells another event: make it an incident of its own",
                )
                .clicked()
        {
            action = Some(Action::Correct {
                incident: index,
                change: Change::Split {
                    source: crate::workspace::corrections::Anchor::of_span(
                        context.store,
                        source,
                        &incident.id,
                    ),
                },
            });
        }
        if !context.neighbours.is_empty() {
            egui::ComboBox::new(("merge", index), "Merge")
                .selected_text("Merge with…")
                .width(150.0)
                .show_ui(ui, |ui| {
                    for &other in &context.neighbours {
                        let Some(them) = context.store.incidents.get(other) else {
                            continue;
                        };
                        let label = format!(
                            "{} · {} · {}",
                            them.sub_event_type.as_str(),
                            them.location.name,
                            them.date_label()
                        );
                        if ui.selectable_label(false, label).clicked()
                            && let Some(anchor) =
                                crate::workspace::corrections::Anchor::of(context.store, them)
                        {
                            action = Some(Action::Correct {
                                incident: index,
                                change: Change::Merge { other: anchor },
                            });
                        }
                    }
                })
                .response
                .on_hover_text("Fold another incident telling the same event into this one");
        }
    });
    action
}

fn status_line(ui: &mut Ui, incident: &Incident) {
    let review = &incident.review;
    let (text, color) = match review.status() {
        Status::Machine => ("Machine-coded, not yet reviewed".to_owned(), None),
        Status::Edited if review.added => {
            ("Added by an analyst".to_owned(), Some(edited_color(ui)))
        }
        Status::Edited => (
            format!("Edited by an analyst: {}", review.edited.join(", ")),
            Some(edited_color(ui)),
        ),
        Status::Reviewed if review.edited.is_empty() => (
            "Reviewed: as the machine coded it".to_owned(),
            Some(reviewed_color(ui)),
        ),
        Status::Reviewed => (
            format!("Reviewed; edited: {}", review.edited.join(", ")),
            Some(reviewed_color(ui)),
        ),
        Status::Rejected => (
            format!(
                "Rejected: {}",
                review.rejected.as_deref().unwrap_or("no reason given")
            ),
            Some(ui.visuals().error_fg_color),
        ),
    };
    match color {
        Some(color) => ui.colored_label(color, RichText::new(text).strong()),
        None => ui.weak(text),
    };
}

fn edited_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 196, 110)
    } else {
        Color32::from_rgb(150, 80, 0)
    }
}

fn reviewed_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(120, 220, 140)
    } else {
        Color32::from_rgb(20, 110, 40)
    }
}

enum FormOutcome {
    Save(Box<Change>),
    Cancel,
    PickOnMap,
}

fn edit_form(
    ui: &mut Ui,
    index: usize,
    incident: &Incident,
    form: &mut Form,
    context: &Context<'_>,
) -> Option<FormOutcome> {
    let mut outcome = None;
    ui.strong("Correct this incident");
    egui::Grid::new(("edit-form", index))
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            let label = ui.label("Type");
            egui::ComboBox::new(("edit-type", index), "")
                .selected_text(format!("{} / {}", form.sub.event_type(), form.sub))
                .width(260.0)
                // Tall enough for ACLED's whole taxonomy without scrolling on a laptop screen.
                .height(680.0)
                .show_ui(ui, |ui| {
                    for event_type in EventType::ALL {
                        ui.weak(event_type.as_str());
                        for sub in SubEventType::ALL
                            .into_iter()
                            .filter(|s| s.event_type() == event_type)
                        {
                            ui.selectable_value(&mut form.sub, sub, format!("   {sub}"));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Date");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.date)
                        .hint_text("YYYY-MM-DD, empty if unknown")
                        .desired_width(110.0),
                )
                .labelled_by(label.id);
                egui::ComboBox::new(("edit-precision", index), "")
                    .selected_text(form.precision.as_str())
                    .width(70.0)
                    .show_ui(ui, |ui| {
                        for precision in [
                            DatePrecision::Day,
                            DatePrecision::Week,
                            DatePrecision::Month,
                            DatePrecision::Year,
                        ] {
                            ui.selectable_value(&mut form.precision, precision, precision.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            ui.end_row();

            let label = ui.label("Place");
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.place)
                        .hint_text("type a place name")
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                if form.place != form.location.name {
                    match context.gazetteer {
                        None => {
                            ui.weak("Loading the gazetteer…");
                        }
                        Some(gazetteer) => {
                            if form
                                .suggested
                                .as_ref()
                                .is_none_or(|(typed, _)| *typed != form.place)
                            {
                                let near = Some((incident.location.lat, incident.location.lon));
                                let found = places::suggest(gazetteer, &form.place, near, 6);
                                form.suggested = Some((
                                    form.place.clone(),
                                    found.into_iter().cloned().collect(),
                                ));
                            }
                            let found = form
                                .suggested
                                .as_ref()
                                .map(|(_, found)| found.clone())
                                .unwrap_or_default();
                            if found.is_empty() && form.place.trim().chars().count() >= 2 {
                                ui.weak("No such place in the gazetteer");
                            }
                            for place in &found {
                                let label = format!(
                                    "{} ({}{}{})",
                                    place.name,
                                    place.kind.as_str(),
                                    place
                                        .admin1
                                        .as_deref()
                                        .map(|a| format!(", {a}"))
                                        .unwrap_or_default(),
                                    place
                                        .country
                                        .as_deref()
                                        .map(|c| format!(", {c}"))
                                        .unwrap_or_default()
                                );
                                if ui.selectable_label(false, label).clicked() {
                                    form.location = places::location_of(place);
                                    form.place = form.location.name.clone();
                                    form.lat = format!("{:.5}", form.location.lat);
                                    form.lon = format!("{:.5}", form.location.lon);
                                }
                            }
                        }
                    }
                }
            });
            ui.end_row();

            let label = ui.label("Lat, lon");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut form.lat).desired_width(80.0))
                    .labelled_by(label.id);
                ui.add(egui::TextEdit::singleline(&mut form.lon).desired_width(80.0))
                    .labelled_by(label.id);
                if ui
                    .small_button("Pick on map")
                    .on_hover_text("Click the map where it happened")
                    .clicked()
                {
                    outcome = Some(FormOutcome::PickOnMap);
                }
            });
            ui.end_row();

            let label = ui.label("Actors");
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.actors)
                        .hint_text("separated by ;")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
                // The names already in the data, for the last actor being typed.
                let typing = form
                    .actors
                    .rsplit(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_lowercase();
                if typing.chars().count() >= 2 {
                    let known: Vec<&String> = context
                        .actors
                        .iter()
                        .map(|(name, _)| name)
                        .filter(|name| {
                            let lower = name.to_lowercase();
                            lower.contains(&typing) && lower != typing
                        })
                        .take(5)
                        .collect();
                    ui.horizontal_wrapped(|ui| {
                        for name in known {
                            if ui.small_button(name).clicked() {
                                let mut parts: Vec<String> = form
                                    .actors
                                    .split(';')
                                    .map(|p| p.trim().to_owned())
                                    .collect();
                                parts.pop();
                                parts.push(name.clone());
                                form.actors = parts.join("; ");
                            }
                        }
                    });
                }
            });
            ui.end_row();

            let label = ui.label("Fatalities");
            ui.add(
                egui::TextEdit::singleline(&mut form.fatalities)
                    .hint_text("empty if not reported")
                    .desired_width(80.0),
            )
            .labelled_by(label.id);
            ui.end_row();

            let label = ui.label("Summary");
            ui.add(
                egui::TextEdit::multiline(&mut form.summary)
                    .desired_rows(2)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.horizontal(|ui| {
        if ui.button("Save correction").clicked() {
            match form.edited(incident, context.gazetteer) {
                Ok(edited) => {
                    let patch = Patch::between(incident, &edited);
                    if patch.is_empty() {
                        outcome = Some(FormOutcome::Cancel);
                    } else {
                        outcome = Some(FormOutcome::Save(Box::new(Change::Edit { patch })));
                    }
                }
                Err(error) => form.error = Some(error),
            }
        }
        if ui.button("Cancel").clicked() {
            outcome = Some(FormOutcome::Cancel);
        }
    });
    outcome
}

/// The article's metadata, with a form to correct it.
pub fn article_tools(ui: &mut Ui, article: &Article, state: &mut EditState) -> Option<Action> {
    let mut action = None;
    let Some(form) = state.article.as_mut().filter(|f| f.id == article.id) else {
        if ui
            .small_button("Edit article details")
            .on_hover_text("Set the article's date, publisher, title or link; a new date re-dates its incidents")
            .clicked()
        {
            state.article = Some(ArticleForm {
                id: article.id.clone(),
                title: article.title.clone().unwrap_or_default(),
                publisher: article.publisher.clone().unwrap_or_default(),
                published: article.published.map(|d| d.to_string()).unwrap_or_default(),
                url: article.url.clone().unwrap_or_default(),
                error: None,
            });
        }
        return None;
    };
    let mut close = false;
    egui::Grid::new(("article-form", &article.id))
        .num_columns(2)
        .show(ui, |ui| {
            for (label, value, hint) in [
                ("Published", &mut form.published, "YYYY-MM-DD"),
                ("Publisher", &mut form.publisher, ""),
                ("Title", &mut form.title, ""),
                ("Link", &mut form.url, "https://…"),
            ] {
                let label = ui.label(label);
                ui.add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
    if let Some(error) = &form.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    ui.horizontal(|ui| {
        if ui.button("Save article details").clicked() {
            match article_meta(article, form) {
                Ok(meta) if meta == ArticleMeta::default() => close = true,
                Ok(meta) => {
                    action = Some(Action::SetArticle {
                        article: article.id.clone(),
                        meta,
                    });
                    close = true;
                }
                Err(error) => form.error = Some(error),
            }
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    if close {
        state.article = None;
    }
    action
}

/// The fields of the form that differ from the article.
fn article_meta(article: &Article, form: &ArticleForm) -> Result<ArticleMeta, String> {
    let changed = |now: &Option<String>, typed: &str| {
        let typed = typed.trim();
        (!typed.is_empty() && now.as_deref() != Some(typed)).then(|| typed.to_owned())
    };
    let published = match form.published.trim() {
        "" => None,
        text => {
            let date: Date = text
                .parse()
                .map_err(|_| format!("{text:?} is not a date: write YYYY-MM-DD"))?;
            (article.published != Some(date)).then_some(date)
        }
    };
    let url = changed(&article.url, &form.url);
    if let Some(url) = &url
        && !super::panels::is_openable_url(url)
    {
        return Err("only http and https links are kept".to_owned());
    }
    Ok(ArticleMeta {
        title: changed(&article.title, &form.title),
        publisher: changed(&article.publisher, &form.publisher),
        published,
        url,
    })
}

/// The button that adds an incident from the words selected in the article.
pub fn selection_tools(ui: &mut Ui, article: &Article, state: &mut EditState) -> Option<Action> {
    let (id, start, end) = state.selection.clone()?;
    if id != article.id || start >= end {
        return None;
    }
    let words: String = article.text.chars().skip(start).take(end - start).collect();
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Add incident from selection")
            .on_hover_text("The selected words become the new incident's evidence")
            .clicked()
        {
            action = Some(Action::AddIncident {
                article: article.id.clone(),
                start,
                end,
            });
            state.selection = None;
        }
        ui.weak(format!("“{}”", shorten(&words, 60)));
        if ui
            .small_button("×")
            .on_hover_text("Clear the selection")
            .clicked()
        {
            state.selection = None;
        }
    });
    action
}

fn shorten(text: &str, chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= chars {
        text
    } else {
        format!("{}…", text.chars().take(chars).collect::<String>())
    }
}
