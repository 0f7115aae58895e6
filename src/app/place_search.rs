//! "Go to place": a field over the map where a place name is typed; the gazetteer's places of
//! that name (or beginning with it) are offered, nearest the map's centre first, and the map
//! flies to the one chosen.

use egui::{Key, Ui};

use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::workspace::places;

/// A place chosen: where, at what zoom, and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub zoom: f64,
}

/// The field's text and the places it found.
#[derive(Default)]
pub struct PlaceSearch {
    pub text: String,
    /// The text the suggestions were found for, and them.
    found: Option<(String, Vec<Destination>)>,
}

/// How close to come for each kind of place: a country whole, a village with its streets.
pub fn zoom_for(kind: PlaceKind) -> f64 {
    match kind {
        PlaceKind::Continent => 3.0,
        PlaceKind::Country | PlaceKind::Region => 5.5,
        PlaceKind::Admin1 | PlaceKind::Border | PlaceKind::Area | PlaceKind::River => 7.5,
        PlaceKind::Admin2 | PlaceKind::Mountain => 9.0,
        PlaceKind::City => 10.0,
        _ => 11.0,
    }
}

/// A line naming a place so two of one name can be told apart.
fn describe(place: &crate::gazetteer::Place) -> String {
    let mut text = place.name.clone();
    for part in [place.admin1.as_deref(), place.country.as_deref()]
        .into_iter()
        .flatten()
    {
        if part != place.name {
            text.push_str(", ");
            text.push_str(part);
        }
    }
    text
}

impl PlaceSearch {
    /// Draws the field and its suggestions; returns the place chosen. `gazetteer` is `None`
    /// while it loads; `near` is the map's centre.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        gazetteer: Option<&Gazetteer>,
        near: (f64, f64),
        focus: bool,
    ) -> Option<Destination> {
        let mut chosen = None;
        let response = ui
            .horizontal(|ui| {
                let label = ui.label("Go to");
                ui.add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text("place (Ctrl+G)")
                        .desired_width(190.0),
                )
                .labelled_by(label.id)
            })
            .inner;
        if focus {
            response.request_focus();
        }
        let typed = self.text.trim().to_owned();
        if typed.chars().count() < 2 {
            self.found = None;
            return None;
        }
        if let Some(gazetteer) = gazetteer
            && self.found.as_ref().is_none_or(|(text, _)| *text != typed)
        {
            let found = places::suggest(gazetteer, &typed, Some(near), 8)
                .into_iter()
                .map(|p| Destination {
                    name: describe(p),
                    lat: p.lat,
                    lon: p.lon,
                    zoom: zoom_for(p.kind),
                })
                .collect();
            self.found = Some((typed, found));
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let found = self
            .found
            .as_ref()
            .map(|(_, f)| f.as_slice())
            .unwrap_or(&[]);
        if enter {
            chosen = found.first().cloned();
        }
        // The places found, in a list under the field, over whatever is below it.
        egui::Area::new(response.id.with("places-found"))
            .order(egui::Order::Foreground)
            .fixed_pos(response.rect.left_bottom() + egui::vec2(0.0, 4.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_min_width(response.rect.width());
                    if gazetteer.is_none() {
                        ui.weak("Loading the gazetteer…");
                    } else if found.is_empty() {
                        ui.weak("No place of that name in the gazetteer");
                    }
                    for place in found {
                        if ui
                            .selectable_label(false, &place.name)
                            .on_hover_text(format!("{:.4}, {:.4}", place.lat, place.lon))
                            .clicked()
                        {
                            chosen = Some(place.clone());
                        }
                    }
                });
            });
        if chosen.is_some() {
            self.text.clear();
            self.found = None;
        }
        chosen
    }
}

/// A flight of the map from one view to another: the centre glides, the zoom eases out and
/// back in on long hops.
#[derive(Debug, Clone, Copy)]
pub struct Flight {
    from: (f64, f64, f64),
    to: (f64, f64, f64),
    started: f64,
}

/// How long a flight takes, in seconds.
const FLIGHT_SECONDS: f64 = 0.8;

impl Flight {
    pub fn new(from: (f64, f64, f64), to: (f64, f64, f64), now: f64) -> Self {
        Self {
            from,
            to,
            started: now,
        }
    }

    /// Where the map is at `now` (lat, lon, zoom), and whether the flight is over.
    pub fn at(&self, now: f64) -> ((f64, f64, f64), bool) {
        let t = ((now - self.started) / FLIGHT_SECONDS).clamp(0.0, 1.0);
        if t >= 1.0 {
            return (self.to, true);
        }
        let s = t * t * (3.0 - 2.0 * t);
        let lerp = |a: f64, b: f64| a + (b - a) * s;
        let (from, to) = (self.from, self.to);
        // A long hop zooms out on the way, by up to three steps.
        let hop = crate::gazetteer::distance_km(from.0, from.1, to.0, to.1);
        let dip = (hop / 150.0).log2().clamp(0.0, 3.0) * (std::f64::consts::PI * t).sin();
        let zoom = (lerp(from.2, to.2) - dip).max(1.0);
        ((lerp(from.0, to.0), lerp(from.1, to.1), zoom), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flight_ends_where_it_was_sent_and_eases_out_on_long_hops() {
        let flight = Flight::new((33.3, 44.4, 9.0), (36.5, 40.75, 11.0), 10.0);
        let (start, done) = flight.at(10.0);
        assert!(!done);
        assert!((start.0 - 33.3).abs() < 1e-9 && (start.2 - 9.0).abs() < 1e-9);
        let (middle, _) = flight.at(10.0 + FLIGHT_SECONDS / 2.0);
        assert!(middle.2 < 10.0, "zoomed out mid-way: {middle:?}");
        let (end, done) = flight.at(10.0 + FLIGHT_SECONDS);
        assert!(done);
        assert_eq!(end, (36.5, 40.75, 11.0));
    }

    #[test]
    fn a_typed_name_finds_its_place_with_a_zoom_for_its_kind() -> Result<(), String> {
        let gazetteer = Gazetteer::bundled().map_err(|e| e.to_string())?;
        let found = places::suggest(gazetteer, "Qamishli", Some((36.5, 40.75)), 5);
        let first = found.first().ok_or("no place")?;
        assert!(describe(first).contains("SY"), "{}", describe(first));
        assert_eq!(zoom_for(PlaceKind::Country), 5.5);
        assert!(zoom_for(first.kind) >= 10.0);
        Ok(())
    }
}
